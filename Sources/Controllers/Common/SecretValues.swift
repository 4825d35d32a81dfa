import Foundation
import KubeAPI
import PlatformAPI
import ControllerRuntime

/// A referenced Secret or key that does not exist. Not terminal: the Secret
/// may be created later, and its creation triggers a reconcile (Secrets are watched).
public struct MissingSecretError: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var namespace: String
    public var name: String
    public var key: String
    public var secretExists: Bool

    public var description: String {
        secretExists
            ? "\(field): key \"\(key)\" not found in Secret \(namespace)/\(name)"
            : "\(field): Secret \(namespace)/\(name) not found"
    }
}

/// Reads Secret values from the shared Secret informer's cache — never from
/// the API server, and never into a log, an Event or a status.
public struct SecretValues: Sendable {
    let secrets: Informer<Secret>

    public init(secrets: Informer<Secret>) { self.secrets = secrets }

    /// The UTF-8 value of one key; `field` names the spec field for the error message.
    public func value(_ selector: SecretKeySelector, namespace: String, field: String) async throws -> String {
        guard let secret = await secrets.get("\(namespace)/\(selector.name)") else {
            throw MissingSecretError(field: field, namespace: namespace, name: selector.name, key: selector.key, secretExists: false)
        }
        guard let value = secret.string(selector.key) else {
            throw MissingSecretError(field: field, namespace: namespace, name: selector.name, key: selector.key, secretExists: true)
        }
        return value
    }

    /// The index function that lets a Secret change find the objects referencing it.
    public static let indexName = "secretRefs"
}
