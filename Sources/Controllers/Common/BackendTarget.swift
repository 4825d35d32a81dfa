import Foundation
import IntegrationSupport
import KubeAPI
import PlatformAPI
import Synchronization

/// Where one object's backend is and the credentials to use. Compared and
/// hashed to reuse clients; never printed with its secret (``description`` hides it).
public struct BackendTarget: Sendable, Hashable, CustomStringConvertible {
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

    /// The credentials as the HTTP transport takes them.
    public var auth: BackendAuth {
        switch credentials {
        case .none: .none
        case .basic(let username, let password): .basic(username: username, password: password)
        case .bearer(let token): .bearer(token: token)
        }
    }

    public var description: String {
        switch credentials {
        case .none: url
        case .basic(let username, _): "\(url) as \(username)"
        case .bearer: "\(url) with a bearer token"
        }
    }
}

/// What a client is made for: a backend URL and whatever else tells clients apart (credentials).
protocol ClientTarget: Sendable, Hashable {
    var url: String { get }
}

extension BackendTarget: ClientTarget {}

/// One client per target, made under a lock so racing callers share one
/// client and with it one concurrency bound toward the backend.
final class ClientCache<Target: ClientTarget, Client: Sendable>: Sendable {
    private let clients = Mutex<[Target: Client]>([:])

    /// The client for `target`, made with `make` (given the parsed URL) the first time;
    /// throws when the URL is not http(s).
    func client(for target: Target, make: (URL) -> Client) throws -> Client {
        guard let url = URL(string: target.url), url.scheme == "http" || url.scheme == "https" else {
            throw InvalidEndpointError(url: target.url)
        }
        return clients.withLock { clients in
            if let existing = clients[target] { return existing }
            let client = make(url)
            clients[target] = client
            return client
        }
    }

    /// Forgets every client; the next request makes new ones.
    func removeAll() { clients.withLock { $0.removeAll() } }
}

/// The operator-wide settings of a backend an object falls back on.
public struct BackendDefaults: Sendable {
    /// The URL when an object names none.
    public var url: String?
    /// `namespace/name` (or a name in the operator's namespace) of a Secret with keys `username` and `password`.
    public var credentialsSecret: String?

    public init(url: String? = nil, credentialsSecret: String? = nil) {
        self.url = url
        self.credentialsSecret = credentialsSecret
    }
}

/// No URL (or no credentials) for a backend, in the object or in the operator's
/// configuration. Terminal until either changes.
public struct BackendNotConfigured: Error, Sendable, CustomStringConvertible {
    /// The Stalled reason it sets.
    public static let reason = "BackendNotConfigured"

    public var message: String
    public var description: String { message }
}

/// A backend URL that is not an http or https URL.
public struct InvalidEndpointError: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var description: String { "\"\(url)\" is not an http or https URL" }
}

extension SecretValues {
    /// The backend an object's `ServiceEndpoint` names, with its credentials read
    /// from Secrets, or the operator's defaults where the object is silent.
    /// - Parameters:
    ///   - field: the spec field of the endpoint, e.g. `spec.kafkaConnect`, for messages.
    ///   - configKey: the operator configuration's key for this backend, e.g. `kafkaConnect`.
    ///   - backendName: what the backend is called in the message when there is no URL
    ///     ("no schema registry URL: …"); nil for a plain "no URL: …".
    func target(
        _ endpoint: ServiceEndpoint?, field: String, namespace: String, defaults: BackendDefaults, configKey: String,
        operatorNamespace: String, backendName: String? = nil
    ) async throws -> BackendTarget {
        guard let url = endpoint?.url ?? defaults.url else {
            let what = backendName.map { "\($0) URL" } ?? "URL"
            throw BackendNotConfigured(message: "no \(what): set \(field).url or the operator's \(configKey).url configuration")
        }
        if let basic = endpoint?.basicAuth {
            return BackendTarget(
                url: url,
                credentials: .basic(
                    username: try await value(basic.usernameSecretRef, namespace: namespace, field: "\(field).basicAuth.usernameSecretRef"),
                    password: try await value(basic.passwordSecretRef, namespace: namespace, field: "\(field).basicAuth.passwordSecretRef")))
        }
        if let token = endpoint?.bearerTokenSecretRef {
            return BackendTarget(
                url: url, credentials: .bearer(token: try await value(token, namespace: namespace, field: "\(field).bearerTokenSecretRef")))
        }
        guard let reference = defaults.credentialsSecret else { return BackendTarget(url: url) }
        let (secretNamespace, secretName) = Self.secret(named: reference, operatorNamespace: operatorNamespace)
        let configField = "\(configKey).credentialsSecret"
        return BackendTarget(
            url: url,
            credentials: .basic(
                username: try await value(SecretKeySelector(name: secretName, key: "username"), namespace: secretNamespace, field: configField),
                password: try await value(SecretKeySelector(name: secretName, key: "password"), namespace: secretNamespace, field: configField)))
    }

    /// The namespace and name of an operator-wide credentials Secret given as
    /// `namespace/name`, or as a name in the operator's namespace.
    static func secret(named reference: String, operatorNamespace: String) -> (namespace: String, name: String) {
        let parts = reference.split(separator: "/").map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (operatorNamespace, reference)
    }
}
