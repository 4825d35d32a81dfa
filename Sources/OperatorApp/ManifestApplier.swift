import Foundation
import KubeAPI
import KubeClient

/// Applies manifests the way `kubectl apply` does for a fresh object: create,
/// or replace the existing object's spec-level content keeping its metadata
/// bookkeeping. Resources are found through discovery, so any served kind works.
public struct ManifestApplier: Sendable {
    let client: KubernetesClient

    public init(client: KubernetesClient) { self.client = client }

    /// What applying one object did.
    public enum Outcome: String, Sendable { case created, configured, unchanged }

    /// Applies one object; `defaultNamespace` is used for namespaced objects without one.
    @discardableResult
    public func apply(_ object: JSONValue, defaultNamespace: String = "default") async throws -> Outcome {
        let resource = try await resolve(object)
        guard var object = object.objectValue else { throw ManifestError("a manifest must be an object") }
        var metadata = object["metadata"]?.objectValue ?? [:]
        guard let name = metadata["name"]?.stringValue else {
            throw ManifestError("\(resource.kind) without metadata.name cannot be applied")
        }
        let namespace = resource.namespaced ? (metadata["namespace"]?.stringValue ?? defaultNamespace) : nil
        if let namespace { metadata["namespace"] = .string(namespace) }
        object["metadata"] = .object(metadata)
        do {
            let live = try await client.get(DynamicObject.self, resource, name: name, namespace: namespace)
            var desired = object
            var desiredMetadata = metadata
            desiredMetadata["resourceVersion"] = live.object["metadata"]?["resourceVersion"]
            desired["metadata"] = .object(desiredMetadata)
            if let status = live.object["status"] { desired["status"] = status }
            if Self.sameContent(live.object, desired) { return .unchanged }
            _ = try await client.update(DynamicObject(desired), resource, name: name, namespace: namespace)
            return .configured
        } catch let error as KubeError where error.isNotFound {
            _ = try await client.create(DynamicObject(object), resource, namespace: namespace)
            return .created
        }
    }

    /// The resource serving an object's apiVersion and kind, from discovery.
    public func resolve(_ object: JSONValue) async throws -> ResourceDescriptor {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else {
            throw ManifestError("a manifest needs apiVersion and kind")
        }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
        guard let list = try await client.serverResources(group: group, version: version),
            let served = list.resources.first(where: { $0.kind == kind && !$0.name.contains("/") })
        else {
            throw ManifestError("the server does not serve \(kind) in \(apiVersion) (is its CRD installed?)")
        }
        return ResourceDescriptor(group: group, version: version, kind: kind, plural: served.name, namespaced: served.namespaced)
    }

    /// Whether the live object already has the desired labels, annotations and content.
    static func sameContent(_ live: JSONObject, _ desired: JSONObject) -> Bool {
        for (key, value) in desired where key != "metadata" && key != "status" {
            if live[key] != value { return false }
        }
        let liveMetadata = live["metadata"]?.objectValue ?? [:]
        let desiredMetadata = desired["metadata"]?.objectValue ?? [:]
        return liveMetadata["labels"] == desiredMetadata["labels"] && liveMetadata["annotations"] == desiredMetadata["annotations"]
    }
}
