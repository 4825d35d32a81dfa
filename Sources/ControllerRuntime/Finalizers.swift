import KubeAPI
import KubeClient

/// What the finalizer helper decided, in kube-rs's four cases of
/// (has the finalizer?, is the object being deleted?).
public enum FinalizerStep: Sendable, Equatable {
    /// Not deleting and the finalizer is missing: add it and stop; that write triggers the next reconcile.
    case addFinalizer
    /// Not deleting and the finalizer is present: reconcile normally.
    case apply
    /// Deleting and the finalizer is present: clean up, then remove it.
    case cleanup
    /// Deleting and our finalizer is gone: nothing left for us to do.
    case done

    public init(metadata: ObjectMeta, finalizer: String) {
        switch (metadata.hasFinalizer(finalizer), metadata.isDeleting) {
        case (false, false): self = .addFinalizer
        case (true, false): self = .apply
        case (true, true): self = .cleanup
        case (false, true): self = .done
        }
    }
}

/// Adds and removes finalizers with JSON patches guarded by a `test` of the
/// current list, so a concurrent change to the list makes the patch fail (and
/// the reconcile retry) instead of silently overwriting it.
public struct Finalizers: Sendable {
    let client: KubernetesClient

    public init(client: KubernetesClient) { self.client = client }

    /// Adds `finalizer` to the object's list.
    public func add(_ finalizer: String, to resource: ResourceDescriptor, metadata: ObjectMeta) async throws {
        guard !metadata.hasFinalizer(finalizer) else { return }
        let operations = Self.addPatch(finalizer, current: metadata.finalizers, resourceVersion: metadata.resourceVersion)
        _ = try await client.patch(
            DynamicObject.self, resource, name: metadata.name ?? "", namespace: metadata.namespace, patch: .json(operations))
    }

    /// Removes `finalizer`; a 404 (object already gone) counts as success.
    public func remove(_ finalizer: String, from resource: ResourceDescriptor, metadata: ObjectMeta) async throws {
        guard let current = metadata.finalizers, current.contains(finalizer) else { return }
        do {
            _ = try await client.patch(
                DynamicObject.self, resource, name: metadata.name ?? "", namespace: metadata.namespace,
                patch: .json(Self.removePatch(finalizer, current: current)))
        } catch let error as KubeError where error.isNotFound {
            return
        }
    }

    /// The JSON patch that adds a finalizer to `current`. With no list yet there
    /// is nothing to `test`, so the patch is guarded by the resourceVersion instead.
    public static func addPatch(_ finalizer: String, current: [String]?, resourceVersion: String?) -> JSONValue {
        guard let current else {
            var operations: [JSONValue] = []
            if let resourceVersion {
                operations.append(["op": "test", "path": "/metadata/resourceVersion", "value": .string(resourceVersion)])
            }
            operations.append(["op": "add", "path": "/metadata/finalizers", "value": [.string(finalizer)]])
            return .array(operations)
        }
        return [
            ["op": "test", "path": "/metadata/finalizers", "value": .array(current.map(JSONValue.string))],
            ["op": "add", "path": "/metadata/finalizers/-", "value": .string(finalizer)],
        ]
    }

    /// The JSON patch that removes a finalizer from `current`.
    public static func removePatch(_ finalizer: String, current: [String]) -> JSONValue {
        let remaining = current.filter { $0 != finalizer }
        return [
            ["op": "test", "path": "/metadata/finalizers", "value": .array(current.map(JSONValue.string))],
            ["op": "replace", "path": "/metadata/finalizers", "value": .array(remaining.map(JSONValue.string))],
        ]
    }
}
