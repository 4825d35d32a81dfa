import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Serves `/metrics` (Prometheus text format), `/healthz` and `/readyz`.
///
/// `/readyz` answers 200 once every registered readiness check passes (the
/// operator registers "caches synced"); `/healthz` answers 200 while the
/// process runs.
public final class ProbeServer: Sendable {
    public typealias Check = @Sendable () async -> Bool

    private let registry: MetricsRegistry
    private let host: String
    private let requestedPort: Int
    private let checks = Mutex<[(String, Check)]>([])
    private let boundPort = Mutex<Int?>(nil)
    private let logger: Logger

    /// - Parameter address: `host:port`; port 0 picks a free one (see ``listeningPort()``).
    public init(address: String, registry: MetricsRegistry, logger: Logger) {
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        let host = parts.dropLast().joined(separator: ":")
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.requestedPort = Int(parts.last ?? "0") ?? 0
        self.registry = registry
        self.logger = logger
    }

    /// Adds a readiness check.
    public func addReadinessCheck(_ name: String, _ check: @escaping Check) {
        checks.withLock { $0.append((name, check)) }
    }

    /// The port the server listens on, once it runs.
    public func listeningPort() -> Int? { boundPort.withLock { $0 } }

    /// Serves until the task is cancelled.
    public func run() async throws {
        let router = Router()
        let registry = self.registry
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: registry.exposition())))
        }
        router.get("/healthz") { _, _ -> Response in Self.text(.ok, "ok") }
        router.get("/readyz") { _, _ -> Response in
            let checks = self.checks.withLock { $0 }
            var failing: [String] = []
            for (name, check) in checks where await !check() { failing.append(name) }
            if failing.isEmpty { return Self.text(.ok, "ok") }
            return Self.text(.serviceUnavailable, failing.map { "[-]\($0) failed" }.joined(separator: "\n"))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: requestedPort)),
            onServerRunning: { channel in self.boundPort.withLock { $0 = channel.localAddress?.port } },
            logger: Logger(label: "probe-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.runService(gracefulShutdownSignals: [])
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body + "\n")))
    }
}
