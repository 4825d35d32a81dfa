import Foundation
import IntegrationSupport
import KafkaConnect

/// Makes Kafka Connect clients; tests substitute one that points at a simulator or a fake.
public protocol KafkaConnectConnector: Sendable {
    func client(for target: BackendTarget) throws -> any KafkaConnectClient
}

/// HTTP clients, one per target, sharing their bounded concurrency toward each Connect cluster.
public final class HTTPKafkaConnectConnector: KafkaConnectConnector {
    private let clients = ClientCache<BackendTarget, HTTPKafkaConnectClient>()
    private let timeout: Duration
    private let maxConcurrentRequests: Int

    public init(timeout: Duration = .seconds(30), maxConcurrentRequests: Int = 8) {
        self.timeout = timeout
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    public func client(for target: BackendTarget) throws -> any KafkaConnectClient {
        try clients.client(for: target) { url in
            HTTPKafkaConnectClient(baseURL: url, auth: target.auth, timeout: timeout, maxConcurrentRequests: maxConcurrentRequests)
        }
    }

    /// Forgets every client made so far. The clients share the process-wide HTTP connection pool, so nothing needs closing.
    public func shutdown() async { clients.removeAll() }
}
