import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How requests to a backend authenticate. Values come from Kubernetes Secrets
/// and are never logged (``description`` hides them).
public enum BackendAuth: Sendable, Hashable, CustomStringConvertible {
    case none
    case basic(username: String, password: String)
    case bearer(token: String)
    /// A named header, e.g. `X-Vault-Token`.
    case header(name: String, value: String)

    public var description: String {
        switch self {
        case .none: "none"
        case .basic(let username, _): "basic(\(username), ***)"
        case .bearer: "bearer(***)"
        case .header(let name, _): "header(\(name): ***)"
        }
    }
}

/// Where a backend lives and how to talk to it.
public struct BackendEndpoint: Sendable, Hashable {
    /// Base URL; request paths are appended to it (e.g. `http://lakefs:8000/api/v1`).
    public var baseURL: URL
    public var auth: BackendAuth
    /// Deadline of one request.
    public var timeout: Duration
    /// Requests allowed in flight at once toward this backend.
    public var maxConcurrentRequests: Int

    public init(baseURL: URL, auth: BackendAuth = .none, timeout: Duration = .seconds(30), maxConcurrentRequests: Int = 8) {
        self.baseURL = baseURL
        self.auth = auth
        self.timeout = timeout
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
    }
}

/// A response from a backend.
public struct BackendResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A request that never got an HTTP response.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case timeout, connection }
    public var system: String
    public var operation: String
    public var kind: Kind
    public var detail: String

    /// Lets clients' tests and fake transports describe a failed request.
    public init(system: String, operation: String, kind: Kind, detail: String) {
        self.system = system
        self.operation = operation
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "while \(operation) on \(system): \(kind == .timeout ? "timed out" : "cannot connect"): \(detail)" }
}

/// HTTP transport shared by the integration clients: base URL, auth, a
/// deadline per request and a bound on requests in flight toward one backend.
/// It returns every response, whatever its status; each client maps statuses
/// and error bodies to its own typed errors.
public final class HTTPBackend: Sendable {
    /// Name of the system, used in error messages (`lakeFS`, `schema registry`, …).
    public let system: String
    public let endpoint: BackendEndpoint
    private let client: HTTPClient
    private let limiter: ConcurrencyLimiter
    private let base: String

    /// - Parameter httpClient: a client to use; by default the process-wide
    ///   `HTTPClient.shared`, which needs no shutdown, so a backend can be dropped at any time.
    public init(system: String, endpoint: BackendEndpoint, httpClient: HTTPClient = .shared) {
        self.system = system
        self.endpoint = endpoint
        self.client = httpClient
        self.limiter = ConcurrencyLimiter(limit: endpoint.maxConcurrentRequests)
        var base = endpoint.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
    }

    /// Sends one request.
    /// - Parameters:
    ///   - path: appended to the base URL; must start with `/` and be percent-encoded already.
    ///   - operation: what is being done, for error messages ("creating branch dev").
    public func send(
        _ method: String, _ path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: Data? = nil, contentType: String = "application/json", operation: String
    ) async throws -> BackendResponse {
        try await limiter.withPermit {
            var request = HTTPClientRequest(url: base + path + Self.encode(query))
            request.method = HTTPMethod(rawValue: method)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "User-Agent", value: "hmco-operator")
            switch endpoint.auth {
            case .none: break
            case .basic(let username, let password):
                request.headers.add(name: "Authorization", value: "Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
            case .bearer(let token):
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
            case .header(let name, let value):
                request.headers.add(name: name, value: value)
            }
            for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
            if let body {
                request.headers.replaceOrAdd(name: "Content-Type", value: contentType)
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let timeout = TimeAmount.nanoseconds(
                Int64(endpoint.timeout.components.seconds) * 1_000_000_000 + endpoint.timeout.components.attoseconds / 1_000_000_000)
            do {
                let response = try await client.execute(request, timeout: timeout)
                let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
                return BackendResponse(
                    status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                    body: Data(buffer.readableBytesView))
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                throw TransportError(system: system, operation: operation, kind: .timeout, detail: "\(error)")
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw TransportError(system: system, operation: operation, kind: .connection, detail: "\(error)")
            }
        }
    }

    /// `?a=b&c=d` with RFC 3986 encoding, or "" for no items.
    public static func encode(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes one path segment or query component.
    public static func escape(_ text: String) -> String {
        // RFC 3986 unreserved characters only; CharacterSet.alphanumerics would let non-ASCII letters through.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Bounds concurrent work: at most `limit` permits at a time; waiters are
/// served first come, first served.
public actor ConcurrencyLimiter {
    private let limit: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) { self.limit = max(1, limit) }

    public func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
