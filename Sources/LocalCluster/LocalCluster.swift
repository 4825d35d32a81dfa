import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import Synchronization

/// How a ``LocalCluster`` is run.
public struct LocalClusterOptions: Sendable {
    /// The address to listen on; loopback by default.
    public var host: String
    /// The port; 0 picks a free one (kept across ``LocalCluster/stop()`` and a new ``LocalCluster/start()``).
    public var port: Int
    /// The bearer token clients must send; generated when nil.
    public var token: String?
    /// Where the store is kept across runs; nil keeps it in memory only.
    public var dataDirectory: String?
    /// How many changes are kept for watches resuming from a resourceVersion.
    public var watchHistoryLimit: Int
    /// Events buffered for one watch before it is closed as too slow.
    public var watchBufferLimit: Int
    /// How often watches that allow bookmarks get one.
    public var bookmarkInterval: Duration
    /// The length of a watch that asks for no `timeoutSeconds`.
    public var defaultWatchTimeout: Duration
    /// How long writes are gathered before the store is saved.
    public var persistenceDebounce: Duration
    public var logger: Logger

    public init(
        host: String = "127.0.0.1", port: Int = 0, token: String? = nil, dataDirectory: String? = nil,
        watchHistoryLimit: Int = 10_000, watchBufferLimit: Int = 10_000, bookmarkInterval: Duration = .seconds(5),
        defaultWatchTimeout: Duration = .seconds(1800), persistenceDebounce: Duration = .milliseconds(200),
        logger: Logger = Logger(label: "local-cluster")
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.dataDirectory = dataDirectory
        self.watchHistoryLimit = watchHistoryLimit
        self.watchBufferLimit = watchBufferLimit
        self.bookmarkInterval = bookmarkInterval
        self.defaultWatchTimeout = defaultWatchTimeout
        self.persistenceDebounce = persistenceDebounce
        self.logger = logger
    }
}

/// An embedded Kubernetes API server: HTTPS with a CA made at start, bearer
/// token authentication and an in-memory store, faithful to kube-apiserver in
/// what the operator, kubectl and GitOps tools use (see docs/local-cluster.md).
///
/// Guarantees: ``start()`` returns once the server accepts connections;
/// ``stop()`` ends every watch, stops listening and, with a data directory,
/// saves the store before it returns. A stopped cluster can be started again
/// with its objects, token, CA and port.
public final class LocalCluster: Sendable {
    private struct Running {
        var server: Task<Void, any Error>
        var bookmarks: Task<Void, Never>
        var saver: Task<Void, Never>?
        var saveSignal: AsyncStream<Void>.Continuation?
    }

    public let options: LocalClusterOptions
    /// The bearer token clients authenticate with.
    public let token: String
    private let certificates: ServingCertificates
    private let store: ClusterStore
    private let faultState = FaultState()
    private let portBox = PortBox()
    private let running = Mutex<Running?>(nil)
    private let loaded = Mutex(false)

    /// Prepares a cluster (certificates and token are made here); call ``start()`` to serve.
    public init(options: LocalClusterOptions = LocalClusterOptions()) throws {
        self.options = options
        self.token = options.token ?? Self.makeToken()
        self.certificates = try ServingCertificates.generate()
        self.store = ClusterStore(historyLimit: options.watchHistoryLimit, watchBufferLimit: options.watchBufferLimit)
    }

    private static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The CA certificate (PEM) that signed the serving certificate.
    public var caCertificatePEM: String { certificates.caCertificatePEM }

    /// The port being served, or 0 before ``start()``.
    public var port: Int { portBox.port }

    /// `https://127.0.0.1:<port>`.
    public var url: URL {
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        return URL(string: "https://\(host):\(port)") ?? URL(fileURLWithPath: "/")
    }

    // MARK: Lifecycle

    /// Starts serving; returns once the port is bound.
    public func start() async throws {
        guard running.withLock({ $0 == nil }) else { return }
        if !loaded.withLock({ $0 }) {
            if let directory = options.dataDirectory, let snapshot = try Persistence.load(from: directory) {
                await store.restore(snapshot)
            }
            await store.bootstrap()
            loaded.withLock { $0 = true }
        }

        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        let portBox = self.portBox
        let responder = APIServer(
            store: store, token: token, faults: faultState, options: options, portBox: portBox, logger: options.logger)
        // Hummingbird logs cancelled connections at error level when the server stops; only
        // debugging asks for them.
        var logger = options.logger
        if logger.logLevel > .debug { logger.logLevel = .critical }
        let port = portBox.port != 0 ? portBox.port : options.port
        let app = Application(
            responder: responder,
            server: try .tls(.http1(), tlsConfiguration: certificates.serverTLSConfiguration()),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: port), serverName: nil),
            onServerRunning: { channel in
                portBox.port = channel.localAddress?.port ?? 0
                readyContinuation.yield(portBox.port)
                readyContinuation.finish()
            },
            logger: logger)
        let server = Task {
            defer { readyContinuation.finish() }
            try await app.run()
        }
        var bound = false
        for await _ in ready { bound = true }
        guard bound else {
            server.cancel()
            _ = try await server.value
            throw LocalClusterError(message: "the server did not start listening on \(options.host):\(port)")
        }

        let store = self.store
        let interval = options.bookmarkInterval
        let bookmarks = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await store.sendBookmarks()
            }
        }
        var saver: Task<Void, Never>?
        var saveSignal: AsyncStream<Void>.Continuation?
        if let directory = options.dataDirectory {
            let (signals, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            saveSignal = continuation
            let debounce = options.persistenceDebounce
            let logger = options.logger
            saver = Task {
                for await _ in signals {
                    try? await Task.sleep(for: debounce)
                    do {
                        try Persistence.save(try await store.snapshot(), to: directory)
                    } catch {
                        logger.error("could not save the local cluster store to \(directory): \(error)")
                    }
                }
            }
            await store.setOnChange { continuation.yield() }
        }
        running.withLock { $0 = Running(server: server, bookmarks: bookmarks, saver: saver, saveSignal: saveSignal) }
    }

    /// Stops serving: ends every watch, closes the listener and saves the store.
    public func stop() async {
        guard let current = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        await store.dropAllWatches()
        current.bookmarks.cancel()
        current.server.cancel()
        _ = try? await current.server.value
        await current.bookmarks.value
        await store.setOnChange(nil)
        current.saveSignal?.finish()
        await current.saver?.value
        if let directory = options.dataDirectory {
            do {
                try Persistence.save(try await store.snapshot(), to: directory)
            } catch {
                options.logger.error("could not save the local cluster store to \(directory): \(error)")
            }
        }
    }

    // MARK: kubeconfig

    /// A kubeconfig (YAML) for kubectl and clients: the cluster with its CA, a user with the token, one context.
    public func kubeconfig(name: String = "hmco-local", namespace: String = "default") -> String {
        let ca = Data(caCertificatePEM.utf8).base64EncodedString()
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: \(name)
              cluster:
                server: \(url.absoluteString)
                certificate-authority-data: \(ca)
            users:
            - name: \(name)
              user:
                token: \(token)
            contexts:
            - name: \(name)
              context:
                cluster: \(name)
                user: \(name)
                namespace: \(namespace)
            current-context: \(name)

            """
    }

    /// Writes ``kubeconfig(name:namespace:)`` to a file (mode 0600), creating its directory.
    public func writeKubeconfig(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(kubeconfig().utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    // MARK: Fault injection

    /// Ends every open watch now; clients see their streams close.
    public func dropAllWatches() async { await store.dropAllWatches() }

    /// Answers the next `count` watch requests with a 410 Gone ERROR event.
    public func failNextWatchWithGone(count: Int = 1) { faultState.failNextWatches(count) }

    /// Request failures and latency to inject from now on.
    public var faults: FaultSettings {
        get { faultState.settings }
        set { faultState.settings = newValue }
    }

    /// Sets the faults to inject (``faults`` for callers holding a `let`).
    public func setFaults(_ settings: FaultSettings) { faultState.settings = settings }

    /// The number of open watches (for tests of watch lifecycle).
    public func openWatchCount() async -> Int { await store.watcherCount }

    /// The current global resourceVersion.
    public func currentResourceVersion() async -> Int64 { await store.resourceVersion }
}

/// A failure to start or run the local cluster.
public struct LocalClusterError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
