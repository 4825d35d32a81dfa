import AsyncHTTPClient
import Foundation
import KubeAPI
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// Tuning of a ``KubernetesClient``.
public struct ClientOptions: Sendable {
    /// Sustained requests per second (client-side rate limit).
    public var qps: Double
    /// Requests allowed in a burst above `qps`.
    public var burst: Int
    /// Deadline of one non-watch request.
    public var requestTimeout: Duration
    /// Deadline for establishing a connection.
    public var connectTimeout: Duration
    public var userAgent: String
    /// Called after every request with its outcome, for metrics.
    public var observer: (@Sendable (RequestOutcome) -> Void)?

    public init(
        qps: Double = 50, burst: Int = 100, requestTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10), userAgent: String = "hmco-operator",
        observer: (@Sendable (RequestOutcome) -> Void)? = nil
    ) {
        self.qps = qps
        self.burst = burst
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.userAgent = userAgent
        self.observer = observer
    }
}

/// What one request did, reported to ``ClientOptions/observer``.
public struct RequestOutcome: Sendable {
    public var method: String
    /// HTTP status code as text, or `<error>` when no response arrived.
    public var code: String
    public var duration: Duration
}

/// A Kubernetes REST client: typed and dynamic verbs, watch streams, typed errors.
///
/// Guarantees: every request passes the client-side rate limiter; connections
/// are pooled and reused; credentials are refreshed through the
/// ``CredentialProvider`` and retried once after a 401. Call ``shutdown()``
/// before dropping the client.
public final class KubernetesClient: Sendable {
    public let config: ClusterConfig
    public let options: ClientOptions
    private let http: HTTPClient
    private let credentials: CredentialProvider
    private let limiter: TokenBucketRateLimiter
    private let logger: Logger
    private let baseURL: String

    public init(config: ClusterConfig, options: ClientOptions = ClientOptions(), logger: Logger = Logger(label: "kube-client")) throws {
        self.config = config
        self.options = options
        self.logger = logger
        var tls = TLSConfiguration.makeClientConfiguration()
        // Like Go's TLS client (client-go), do not wait for the server's close_notify when
        // closing: a server busy streaming a watch may not read ours for a long time.
        tls.shutdownTimeout = .milliseconds(100)
        if config.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let ca = config.caCertificatePEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca)))
            tls.additionalTrustRoots = []
        }
        if let cert = config.clientCertificatePEM, let key = config.clientKeyPEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(cert)).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key), format: .pem))
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            timeout: .init(connect: .nanoseconds(Int64(options.connectTimeout.components.seconds) * 1_000_000_000), read: nil),
            decompression: .disabled)
        configuration.connectionPool = .init(idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        configuration.httpVersion = .http1Only
        if let proxyURL = config.proxyURL {
            guard let proxy = Self.proxy(for: proxyURL) else {
                throw KubeConfigError(
                    .invalidCluster, "proxy-url \"\(proxyURL.absoluteString)\": only http, https and socks5 proxies are supported")
            }
            configuration.proxy = proxy
        }
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.credentials = CredentialProvider(config: config, logger: logger)
        self.limiter = TokenBucketRateLimiter(qps: options.qps, burst: options.burst)
        var base = config.server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }

    /// The proxy a kubeconfig's `proxy-url` names: an HTTP CONNECT proxy (`http://`, `https://`,
    /// with basic credentials from the URL's user and password) or a SOCKS5 proxy (`socks5://`).
    static func proxy(for url: URL) -> HTTPClient.Configuration.Proxy? {
        guard let host = url.host, !host.isEmpty else { return nil }
        switch url.scheme?.lowercased() {
        case "http", "https":
            let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
            let authorization = url.user.map { HTTPClient.Authorization.basic(username: $0, password: url.password ?? "") }
            return .server(host: host, port: port, authorization: authorization)
        case "socks5", "socks5h":
            return .socksServer(host: host, port: url.port ?? 1080)
        default:
            return nil
        }
    }

    /// Closes connections. The client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// The namespace of the current context (or of the service account in-cluster).
    public var defaultNamespace: String { config.namespace }

    // MARK: Raw requests

    /// A response body and its headers.
    public struct RawResponse: Sendable {
        public var code: Int
        public var headers: [(String, String)]
        public var body: Data
    }

    /// Sends one request and returns the body of a 2xx response; throws ``KubeError`` otherwise.
    public func request(
        method: String, path: String, query: [URLQueryItem] = [], body: Data? = nil,
        contentType: String = "application/json", accept: String = "application/json", operation: String
    ) async throws -> RawResponse {
        var retriedAfterUnauthorized = false
        while true {
            try await limiter.acquire()
            let started = ContinuousClock.now
            var request = HTTPClientRequest(url: url(path: path, query: query))
            request.method = HTTPMethod(rawValue: method)
            request.headers.add(name: "Accept", value: accept)
            request.headers.add(name: "User-Agent", value: options.userAgent)
            if let authorization = try await credentials.authorization() {
                request.headers.add(name: "Authorization", value: authorization)
            }
            if let body {
                request.headers.add(name: "Content-Type", value: contentType)
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let response: HTTPClientResponse
            let data: Data
            do {
                response = try await http.execute(request, timeout: timeAmount(options.requestTimeout))
                let buffer = try await response.body.collect(upTo: 256 * 1024 * 1024)
                data = Data(buffer.readableBytesView)
            } catch {
                observe(method: method, code: "<error>", since: started)
                throw KubeError(operation: operation, code: nil, status: nil, underlying: String(describing: error))
            }
            let code = Int(response.status.code)
            observe(method: method, code: String(code), since: started)
            if (200..<300).contains(code) {
                return RawResponse(code: code, headers: response.headers.map { ($0.name, $0.value) }, body: data)
            }
            if code == 401, !retriedAfterUnauthorized {
                retriedAfterUnauthorized = true
                await credentials.invalidate()
                continue
            }
            throw KubeError.fromResponse(
                operation: operation, code: code, body: data, retryAfter: response.headers.first(name: "Retry-After"))
        }
    }

    private func observe(method: String, code: String, since started: ContinuousClock.Instant) {
        options.observer?(RequestOutcome(method: method, code: code, duration: started.duration(to: .now)))
    }

    func url(path: String, query: [URLQueryItem]) -> String {
        guard !query.isEmpty else { return baseURL + path }
        var components = URLComponents()
        components.queryItems = query
        // URLComponents leaves '+' alone, which servers read as a space.
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return baseURL + path + "?" + encoded
    }

    private func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    // MARK: Verbs by resource descriptor (typed or dynamic bodies)

    /// Reads one object.
    public func get<T: Decodable>(
        _ type: T.Type, _ resource: ResourceDescriptor, name: String, namespace: String?, subresource: String? = nil
    ) async throws -> T {
        let path = resource.objectPath(name: name, namespace: namespace, subresource: subresource)
        let response = try await request(
            method: "GET", path: path, operation: "get \(resource.groupResource) \(display(name, namespace))")
        return try decode(T.self, response.body, operation: "get \(resource.groupResource)")
    }

    /// Lists objects (one page, or all pages with ``listAll(_:_:namespace:options:)``).
    public func list<T: Codable & Sendable>(
        _ type: T.Type, _ resource: ResourceDescriptor, namespace: String?, options: ListOptions = ListOptions()
    ) async throws -> ObjectList<T> {
        let response = try await request(
            method: "GET", path: resource.collectionPath(namespace: namespace), query: options.queryItems,
            operation: "list \(resource.groupResource)\(namespace.map { " in namespace \($0)" } ?? "")")
        return try decode(ObjectList<T>.self, response.body, operation: "list \(resource.groupResource)")
    }

    /// Lists every page, following `continue` tokens.
    public func listAll<T: Codable & Sendable>(
        _ type: T.Type, _ resource: ResourceDescriptor, namespace: String?, options: ListOptions = ListOptions()
    ) async throws -> ObjectList<T> {
        var options = options
        var result = try await list(T.self, resource, namespace: namespace, options: options)
        while let token = result.metadata.continue, !token.isEmpty {
            options.continue = token
            let page = try await list(T.self, resource, namespace: namespace, options: options)
            result.items += page.items
            result.metadata = page.metadata
        }
        return result
    }

    /// Creates an object.
    public func create<T: Codable>(
        _ object: T, _ resource: ResourceDescriptor, namespace: String?, options: WriteOptions = WriteOptions()
    ) async throws -> T {
        let body = try JSONCoding.encode(object)
        let response = try await request(
            method: "POST", path: resource.collectionPath(namespace: resource.namespaced ? (namespace ?? "default") : nil),
            query: options.queryItems, body: body, operation: "create \(resource.groupResource)")
        return try decode(T.self, response.body, operation: "create \(resource.groupResource)")
    }

    /// Replaces an object (PUT). The object's resourceVersion makes it a compare-and-swap.
    public func update<T: Codable>(
        _ object: T, _ resource: ResourceDescriptor, name: String, namespace: String?, subresource: String? = nil,
        options: WriteOptions = WriteOptions()
    ) async throws -> T {
        let body = try JSONCoding.encode(object)
        let response = try await request(
            method: "PUT", path: resource.objectPath(name: name, namespace: namespace, subresource: subresource),
            query: options.queryItems, body: body,
            operation: "update \(resource.groupResource)\(subresource.map { "/" + $0 } ?? "") \(display(name, namespace))")
        return try decode(T.self, response.body, operation: "update \(resource.groupResource)")
    }

    /// Patches an object or one of its subresources.
    public func patch<T: Decodable>(
        _ type: T.Type, _ resource: ResourceDescriptor, name: String, namespace: String?, patch: Patch,
        subresource: String? = nil, options: WriteOptions = WriteOptions()
    ) async throws -> T {
        var query = options.queryItems
        if case .apply(_, let force) = patch {
            if options.fieldManager == nil { query.append(.init(name: "fieldManager", value: self.options.userAgent)) }
            if force { query.append(.init(name: "force", value: "true")) }
        }
        let response = try await request(
            method: "PATCH", path: resource.objectPath(name: name, namespace: namespace, subresource: subresource),
            query: query, body: try JSONCoding.encode(patch.body), contentType: patch.contentType,
            operation: "patch \(resource.groupResource)\(subresource.map { "/" + $0 } ?? "") \(display(name, namespace))")
        return try decode(T.self, response.body, operation: "patch \(resource.groupResource)")
    }

    /// Deletes an object. Returns normally when the server accepted the delete
    /// (the object may live on while finalizers run).
    public func delete(
        _ resource: ResourceDescriptor, name: String, namespace: String?, options: DeleteOptions = DeleteOptions()
    ) async throws {
        _ = try await request(
            method: "DELETE", path: resource.objectPath(name: name, namespace: namespace),
            body: try JSONCoding.encode(options),
            operation: "delete \(resource.groupResource) \(display(name, namespace))")
    }

    /// Starts a watch. The stream ends when the server closes it (timeout) and
    /// throws ``KubeError`` for an ERROR event (e.g. 410 Gone: relist).
    /// Bookmarks that do not decode as `T` (they carry only metadata) are not
    /// yielded; ``watchStream(_:_:namespace:options:)`` reports every bookmark.
    public func watch<T: Codable & Sendable>(
        _ type: T.Type, _ resource: ResourceDescriptor, namespace: String?, options: WatchOptions = WatchOptions()
    ) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        let events = watchStream(T.self, resource, namespace: namespace, options: options)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in events {
                        switch event {
                        case .added(let object): continuation.yield(WatchEvent(type: .added, object: object))
                        case .modified(let object): continuation.yield(WatchEvent(type: .modified, object: object))
                        case .deleted(let object): continuation.yield(WatchEvent(type: .deleted, object: object))
                        case .bookmark(_, let object):
                            if let object { continuation.yield(WatchEvent(type: .bookmark, object: object)) }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Starts a watch that reports bookmarks by their resourceVersion (what an
    /// informer needs to resume after a quiet period).
    public func watchStream<T: Codable & Sendable>(
        _ type: T.Type, _ resource: ResourceDescriptor, namespace: String?, options: WatchOptions = WatchOptions()
    ) -> AsyncThrowingStream<WatchStreamEvent<T>, any Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchStreamEvent<T>, any Error>.makeStream(bufferingPolicy: .unbounded)
        let operation = "watch \(resource.groupResource)\(namespace.map { " in namespace \($0)" } ?? "")"
        let url = self.url(path: resource.collectionPath(namespace: namespace), query: options.queryItems)
        // The request runs through the delegate API because its task can be cancelled while the
        // body streams: cancelling the consumer then closes the connection at once instead of
        // when the server next writes (a bookmark can be a minute away).
        let handle = WatchHandle()
        let task = Task {
            do {
                try await self.limiter.acquire()
                var headers = HTTPHeaders()
                headers.add(name: "Accept", value: "application/json")
                headers.add(name: "User-Agent", value: self.options.userAgent)
                if let authorization = try await self.credentials.authorization() {
                    headers.add(name: "Authorization", value: authorization)
                }
                let request = try HTTPClient.Request(url: url, method: .GET, headers: headers)
                let delegate = WatchDelegate<T>(operation: operation, continuation: continuation) { code in
                    self.observe(method: "WATCH", code: code, since: .now)
                }
                try Task.checkCancellation()
                let httpTask = self.http.execute(request: request, delegate: delegate, eventLoop: .indifferent)
                handle.set(httpTask)
                do {
                    try await httpTask.futureResult.get()
                } catch let error as KubeError {
                    if error.code == 401 { await self.credentials.invalidate() }
                    throw error
                } catch {
                    if Task.isCancelled { throw CancellationError() }
                    throw KubeError(operation: operation, code: nil, status: nil, underlying: String(describing: error))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in
            task.cancel()
            handle.cancel()
        }
        return stream
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, operation: String) throws -> T {
        do {
            return try JSONCoding.decode(T.self, from: data)
        } catch {
            throw KubeError(
                operation: operation, code: nil, status: nil,
                underlying: "cannot decode the response as \(T.self): \(error)")
        }
    }

    private func display(_ name: String, _ namespace: String?) -> String {
        namespace.map { "\($0)/\(name)" } ?? name
    }
}

// MARK: Typed conveniences

extension KubernetesClient {
    public func get<T: KubernetesObject>(_ type: T.Type, name: String, namespace: String? = nil) async throws -> T {
        try await get(T.self, T.resource, name: name, namespace: namespace)
    }

    public func list<T: KubernetesObject>(
        _ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws -> ObjectList<T> {
        try await listAll(T.self, T.resource, namespace: namespace, options: options)
    }

    public func create<T: KubernetesObject>(_ object: T, options: WriteOptions = WriteOptions()) async throws -> T {
        try await create(object, T.resource, namespace: object.metadata.namespace, options: options)
    }

    public func update<T: KubernetesObject>(_ object: T, options: WriteOptions = WriteOptions()) async throws -> T {
        try await update(object, T.resource, name: object.name, namespace: object.namespace, options: options)
    }

    /// Replaces the status subresource.
    public func updateStatus<T: KubernetesObject>(_ object: T, options: WriteOptions = WriteOptions()) async throws -> T {
        try await update(
            object, T.resource, name: object.name, namespace: object.namespace, subresource: "status", options: options)
    }

    public func patch<T: KubernetesObject>(
        _ type: T.Type, name: String, namespace: String? = nil, patch: Patch, subresource: String? = nil,
        options: WriteOptions = WriteOptions()
    ) async throws -> T {
        try await self.patch(
            T.self, T.resource, name: name, namespace: namespace, patch: patch, subresource: subresource,
            options: options)
    }

    public func delete<T: KubernetesObject>(
        _ type: T.Type, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
    ) async throws {
        try await delete(T.resource, name: name, namespace: namespace, options: options)
    }

    public func watch<T: KubernetesObject>(
        _ type: T.Type, namespace: String? = nil, options: WatchOptions = WatchOptions()
    ) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        watch(T.self, T.resource, namespace: namespace, options: options)
    }
}

/// The in-flight HTTP task of a watch, cancellable from the stream's termination handler.
final class WatchHandle: Sendable {
    private let state = Mutex<(task: HTTPClient.Task<Void>?, cancelled: Bool)>((nil, false))

    func set(_ task: HTTPClient.Task<Void>) {
        let cancelNow = state.withLock { state -> Bool in
            state.task = task
            return state.cancelled
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state -> HTTPClient.Task<Void>? in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}

/// Receives a watch response on the event loop: splits lines, decodes events
/// and yields them; a non-2xx answer or an ERROR event fails the request.
final class WatchDelegate<T: Codable & Sendable>: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void

    // Touched only on the request's event loop, one callback at a time.
    private var splitter = LineSplitter()
    private var code = 0
    private var errorBody = Data()
    private var retryAfter: String?
    private let operation: String
    private let continuation: AsyncThrowingStream<WatchStreamEvent<T>, any Error>.Continuation
    private let observe: @Sendable (String) -> Void

    init(
        operation: String, continuation: AsyncThrowingStream<WatchStreamEvent<T>, any Error>.Continuation,
        observe: @escaping @Sendable (String) -> Void
    ) {
        self.operation = operation
        self.continuation = continuation
        self.observe = observe
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        code = Int(head.status.code)
        retryAfter = head.headers.first(name: "Retry-After")
        observe(String(code))
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        guard (200..<300).contains(code) else {
            if errorBody.count < 1024 * 1024 { errorBody.append(contentsOf: buffer.readableBytesView) }
            return task.eventLoop.makeSucceededVoidFuture()
        }
        do {
            for line in splitter.append(buffer.readableBytesView) {
                continuation.yield(try WatchEventDecoder.decode(T.self, line: line, operation: operation))
            }
            return task.eventLoop.makeSucceededVoidFuture()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        guard (200..<300).contains(code) else {
            throw KubeError.fromResponse(operation: operation, code: code, body: errorBody, retryAfter: retryAfter)
        }
        if let rest = splitter.finish() {
            continuation.yield(try WatchEventDecoder.decode(T.self, line: rest, operation: operation))
        }
    }
}

/// Splits a byte stream into newline-terminated lines (the watch framing).
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func append(_ bytes: some Collection<UInt8>) -> [Data] {
        var lines: [Data] = []
        for byte in bytes {
            if byte == 10 {
                if !pending.isEmpty { lines.append(Data(pending)) }
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
            }
        }
        return lines
    }

    mutating func finish() -> Data? {
        defer { pending.removeAll() }
        let trimmed = pending.filter { $0 != 13 && $0 != 32 }
        return trimmed.isEmpty ? nil : Data(pending)
    }
}

/// One event of a watch stream as ``KubernetesClient/watchStream(_:_:namespace:options:)`` yields it.
public enum WatchStreamEvent<Object: Codable & Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// The server has sent every change up to `resourceVersion`; `object` is
    /// there only when the bookmark decodes as `Object`.
    case bookmark(resourceVersion: String, object: Object?)
}

/// Decodes one line of a watch stream; ERROR events become ``KubeError``.
public enum WatchEventDecoder {
    private struct Header: Decodable { var type: WatchEventType }
    private struct ErrorEvent: Decodable { var object: Status }

    private struct Bookmark: Decodable {
        struct Object: Decodable { var metadata: ObjectMeta }
        var object: Object
    }

    public static func decode<T: Codable & Sendable>(_ type: T.Type, line: Data, operation: String) throws -> WatchStreamEvent<T> {
        let decoder = JSONCoding.decoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: line)
        } catch {
            throw KubeError(operation: operation, code: nil, status: nil, underlying: "malformed watch event: \(error)")
        }
        if header.type == .error {
            let status = (try? decoder.decode(ErrorEvent.self, from: line))?.object
            throw KubeError(operation: operation, code: status?.code ?? 500, status: status)
        }
        if header.type == .bookmark {
            let version = (try? decoder.decode(Bookmark.self, from: line))?.object.metadata.resourceVersion ?? ""
            return .bookmark(resourceVersion: version, object: (try? decoder.decode(WatchEvent<T>.self, from: line))?.object)
        }
        do {
            let event = try decoder.decode(WatchEvent<T>.self, from: line)
            switch event.type {
            case .added: return .added(event.object)
            case .modified: return .modified(event.object)
            case .deleted: return .deleted(event.object)
            case .bookmark, .error: return .bookmark(resourceVersion: "", object: event.object)
            }
        } catch {
            throw KubeError(
                operation: operation, code: nil, status: nil,
                underlying: "cannot decode a \(header.type.rawValue) event as \(T.self): \(error)")
        }
    }
}
