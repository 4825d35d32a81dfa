import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Testing

@Suite("Deletion: finalizers, garbage collection, namespaces")
struct DeletionTests {
    @Test("an object with a finalizer is kept with a deletionTimestamp until the finalizer is removed")
    func finalizers() async throws {
        try await withCluster { f in
            var cm = Fixtures.configMap("x")
            cm.metadata.finalizers = ["example.com/hold"]
            _ = try await f.client.create(cm)
            try await f.client.delete(ConfigMap.self, name: "x", namespace: "default")
            var held = try await f.client.get(ConfigMap.self, name: "x", namespace: "default")
            #expect(held.metadata.deletionTimestamp != nil)

            var more = held
            more.metadata.finalizers = ["example.com/hold", "example.com/other"]
            let error = await expectKubeError { _ = try await f.client.update(more) }
            #expect(error?.code == 422)
            #expect(error?.status?.message?.contains("no new finalizers can be added if the object is being deleted") == true)

            held.metadata.finalizers = []
            _ = try await f.client.update(held)
            let gone = await expectKubeError { _ = try await f.client.get(ConfigMap.self, name: "x", namespace: "default") }
            #expect(gone?.isNotFound == true)
        }
    }

    private func owned(_ name: String, by owner: ConfigMap) -> ConfigMap {
        var child = Fixtures.configMap(name)
        child.metadata.ownerReferences = [
            OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: owner.name, uid: owner.metadata.uid ?? "", blockOwnerDeletion: true)
        ]
        return child
    }

    @Test("background deletion collects owned objects")
    func backgroundCascade() async throws {
        try await withCluster { f in
            let owner = try await f.client.create(Fixtures.configMap("owner"))
            _ = try await f.client.create(owned("child", by: owner))
            try await f.client.delete(ConfigMap.self, name: "owner", namespace: "default", options: DeleteOptions(propagationPolicy: .background))
            try await eventually("the child is collected") {
                (try? await f.client.get(ConfigMap.self, name: "child", namespace: "default")) == nil
            }
        }
    }

    @Test("foreground deletion removes dependents before the owner")
    func foregroundCascade() async throws {
        try await withCluster { f in
            let owner = try await f.client.create(Fixtures.configMap("owner"))
            var child = owned("child", by: owner)
            child.metadata.finalizers = ["example.com/hold"]
            _ = try await f.client.create(child)
            try await f.client.delete(ConfigMap.self, name: "owner", namespace: "default", options: DeleteOptions(propagationPolicy: .foreground))
            let waiting = try await f.client.get(ConfigMap.self, name: "owner", namespace: "default")
            #expect(waiting.metadata.finalizers == ["foregroundDeletion"])
            var heldChild = try await f.client.get(ConfigMap.self, name: "child", namespace: "default")
            #expect(heldChild.metadata.deletionTimestamp != nil)
            heldChild.metadata.finalizers = nil
            _ = try await f.client.update(heldChild)
            try await eventually("the owner is removed after its child") {
                (try? await f.client.get(ConfigMap.self, name: "owner", namespace: "default")) == nil
            }
        }
    }

    @Test("orphan deletion keeps dependents and drops their owner reference")
    func orphan() async throws {
        try await withCluster { f in
            let owner = try await f.client.create(Fixtures.configMap("owner"))
            _ = try await f.client.create(owned("child", by: owner))
            try await f.client.delete(ConfigMap.self, name: "owner", namespace: "default", options: DeleteOptions(propagationPolicy: .orphan))
            try await eventually("the owner is removed") {
                (try? await f.client.get(ConfigMap.self, name: "owner", namespace: "default")) == nil
            }
            let child = try await f.client.get(ConfigMap.self, name: "child", namespace: "default")
            #expect(child.metadata.ownerReferences == nil)
        }
    }

    @Test("deleting a namespace removes its objects, then the namespace")
    func namespaceDeletion() async throws {
        try await withCluster { f in
            _ = try await f.client.create(Namespace(name: "team"))
            _ = try await f.client.create(Fixtures.configMap("a", namespace: "team"))
            try await f.client.delete(Namespace.self, name: "team")
            try await eventually("the namespace is gone") {
                (try? await f.client.get(Namespace.self, name: "team")) == nil
            }
            let list = try await f.client.list(ConfigMap.self, namespace: "team")
            #expect(list.items.isEmpty)
        }
    }

    @Test("a terminating namespace refuses new objects")
    func terminatingNamespace() async throws {
        try await withCluster { f in
            _ = try await f.client.create(Namespace(name: "team"))
            var held = Fixtures.configMap("held", namespace: "team")
            held.metadata.finalizers = ["example.com/hold"]
            _ = try await f.client.create(held)
            try await f.client.delete(Namespace.self, name: "team")
            let ns = try await f.client.get(Namespace.self, name: "team")
            #expect(ns.phase == "Terminating")
            let error = await expectKubeError { _ = try await f.client.create(Fixtures.configMap("new", namespace: "team")) }
            #expect(error?.code == 403)
            #expect(error?.status?.message == "configmaps \"new\" is forbidden: unable to create new content in namespace team because it is being terminated")
        }
    }
}
