import Foundation
import IntegrationSupport
import SchemaRegistry
import Synchronization

/// Where one SchemaContract's registry is and the credentials to use. Compared and
/// hashed to reuse clients; never printed (``description`` hides the password).
public struct SchemaRegistryTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Credentials: Sendable, Hashable {
        case none
        case basic(username: String, password: String)
        case bearer(token: String)
    }

    public var url: String
    public var credentials: Credentials

    public init(url: String, credentials: Credentials = .none) {
        self.url = url
        self.credentials = credentials
    }

    public var description: String {
        switch credentials {
        case .none: url
        case .basic(let username, _): "\(url) as \(username)"
        case .bearer: "\(url) with a bearer token"
        }
    }
}

/// Makes schema registry clients; tests substitute one that points at a simulator or a fake.
public protocol SchemaRegistryConnector: Sendable {
    func client(for target: SchemaRegistryTarget) throws -> any SchemaRegistryClient
}

/// HTTP clients, one per target, sharing their bounded concurrency toward each registry.
public final class HTTPSchemaRegistryConnector: SchemaRegistryConnector {
    private let clients = Mutex<[SchemaRegistryTarget: HTTPSchemaRegistryClient]>([:])
    private let timeout: Duration
    private let maxConcurrentRequests: Int

    public init(timeout: Duration = .seconds(30), maxConcurrentRequests: Int = 8) {
        self.timeout = timeout
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    public func client(for target: SchemaRegistryTarget) throws -> any SchemaRegistryClient {
        guard let url = URL(string: target.url), url.scheme == "http" || url.scheme == "https" else {
            throw InvalidEndpointError(url: target.url)
        }
        let auth: BackendAuth
        switch target.credentials {
        case .none: auth = .none
        case .basic(let username, let password): auth = .basic(username: username, password: password)
        case .bearer(let token): auth = .bearer(token: token)
        }
        // Made under the lock, so racing callers share one client and one concurrency bound.
        return clients.withLock { clients in
            if let existing = clients[target] { return existing }
            let client = HTTPSchemaRegistryClient(
                serverURL: url, auth: auth, timeout: timeout, maxConcurrentRequests: maxConcurrentRequests)
            clients[target] = client
            return client
        }
    }

    /// Forgets every client made so far. They share the process-wide connection pool: nothing to close.
    public func shutdown() async {
        clients.withLock { $0.removeAll() }
    }
}

/// The operator-wide schema registry settings a SchemaContract falls back on.
public struct SchemaRegistryDefaults: Sendable {
    /// The registry URL when a SchemaContract names none.
    public var url: String?
    /// `namespace/name` of a Secret with keys `username` and `password`.
    public var credentialsSecret: String?

    public init(url: String? = nil, credentialsSecret: String? = nil) {
        self.url = url
        self.credentialsSecret = credentialsSecret
    }
}
