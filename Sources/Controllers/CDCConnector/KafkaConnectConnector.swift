import Foundation
import IntegrationSupport
import KafkaConnect
import Synchronization

/// Where one CDCConnector's Kafka Connect is and the credentials to use.
/// Compared and hashed to reuse clients; never printed with its secret
/// (``description`` hides it).
public struct KafkaConnectTarget: Sendable, Hashable, CustomStringConvertible {
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

/// Makes Kafka Connect clients; tests substitute one that points at a simulator or a fake.
public protocol KafkaConnectConnector: Sendable {
    func client(for target: KafkaConnectTarget) throws -> any KafkaConnectClient
}

/// HTTP clients, one per target, sharing their bounded concurrency toward each Connect cluster.
public final class HTTPKafkaConnectConnector: KafkaConnectConnector {
    private let clients = Mutex<[KafkaConnectTarget: HTTPKafkaConnectClient]>([:])
    private let timeout: Duration
    private let maxConcurrentRequests: Int

    public init(timeout: Duration = .seconds(30), maxConcurrentRequests: Int = 8) {
        self.timeout = timeout
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    public func client(for target: KafkaConnectTarget) throws -> any KafkaConnectClient {
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
            let client = HTTPKafkaConnectClient(
                baseURL: url, auth: auth, timeout: timeout, maxConcurrentRequests: maxConcurrentRequests)
            clients[target] = client
            return client
        }
    }
}

/// The operator-wide Kafka Connect settings a CDCConnector falls back on.
public struct KafkaConnectDefaults: Sendable {
    /// The Kafka Connect URL when a CDCConnector names none.
    public var url: String?
    /// `namespace/name` of a Secret with keys `username` and `password`.
    public var credentialsSecret: String?

    public init(url: String? = nil, credentialsSecret: String? = nil) {
        self.url = url
        self.credentialsSecret = credentialsSecret
    }
}
