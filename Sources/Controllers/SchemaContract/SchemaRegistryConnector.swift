import Foundation
import IntegrationSupport
import SchemaRegistry

/// Makes schema registry clients; tests substitute one that points at a simulator or a fake.
public protocol SchemaRegistryConnector: Sendable {
    func client(for target: BackendTarget) throws -> any SchemaRegistryClient
}

/// HTTP clients, one per target, sharing their bounded concurrency toward each registry.
public final class HTTPSchemaRegistryConnector: SchemaRegistryConnector {
    private let clients = ClientCache<BackendTarget, HTTPSchemaRegistryClient>()
    private let timeout: Duration
    private let maxConcurrentRequests: Int

    public init(timeout: Duration = .seconds(30), maxConcurrentRequests: Int = 8) {
        self.timeout = timeout
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    public func client(for target: BackendTarget) throws -> any SchemaRegistryClient {
        try clients.client(for: target) { url in
            HTTPSchemaRegistryClient(serverURL: url, auth: target.auth, timeout: timeout, maxConcurrentRequests: maxConcurrentRequests)
        }
    }

    /// Forgets every client made so far. They share the process-wide connection pool: nothing to close.
    public func shutdown() async { clients.removeAll() }
}

/// The operator-wide schema registry settings a SchemaContract falls back on
/// (`schemaRegistry.url`, `schemaRegistry.credentialsSecret`).
public typealias SchemaRegistryDefaults = BackendDefaults
