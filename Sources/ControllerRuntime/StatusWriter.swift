import KubeAPI
import KubeClient

/// Writes an object's status through the status subresource, once per
/// reconcile, and not at all when nothing changed.
///
/// The write is a JSON merge patch of the whole `status`, computed against the
/// status the reconcile started from; it carries no resourceVersion, so it
/// cannot conflict with writes to spec or metadata, and it is retried by the
/// controller's backoff if it fails.
public struct StatusWriter: Sendable {
    let client: KubernetesClient

    public init(client: KubernetesClient) { self.client = client }

    /// Patches `status` from `old` to `new`; returns false when they are equal (no request made).
    @discardableResult
    public func write<Status: Codable & Equatable & Sendable>(
        _ resource: ResourceDescriptor, name: String, namespace: String?, old: Status?, new: Status
    ) async throws -> Bool {
        guard old != new else { return false }
        let oldJSON = try old.map { try JSONCoding.toJSON($0) } ?? .null
        let newJSON = try JSONCoding.toJSON(new)
        let patch = JSONMergePatch.create(from: ["status": oldJSON], to: ["status": newJSON])
        if case .object(let members) = patch, members.isEmpty { return false }
        _ = try await client.patch(
            DynamicObject.self, resource, name: name, namespace: namespace, patch: .merge(patch), subresource: "status")
        return true
    }
}
