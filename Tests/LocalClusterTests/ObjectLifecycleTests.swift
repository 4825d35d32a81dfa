import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Testing

@Suite("Objects: create, read, update, conflicts")
struct ObjectLifecycleTests {
    @Test("the initial namespaces exist")
    func initialNamespaces() async throws {
        try await withCluster { f in
            let list = try await f.client.list(Namespace.self)
            #expect(Set(list.items.map(\.name)).isSuperset(of: ["default", "kube-system", "kube-public", "kube-node-lease"]))
            #expect(list.items.first { $0.name == "default" }?.phase == "Active")
        }
    }

    @Test("a created object gets uid, creationTimestamp and a resourceVersion from one global counter")
    func serverFields() async throws {
        try await withCluster { f in
            let a = try await f.client.create(Fixtures.configMap("a"))
            let b = try await f.client.create(Fixtures.configMap("b"))
            #expect(a.metadata.uid?.isEmpty == false)
            #expect(a.metadata.creationTimestamp != nil)
            let rvA = try #require(Int(a.metadata.resourceVersion ?? ""))
            let rvB = try #require(Int(b.metadata.resourceVersion ?? ""))
            #expect(rvB > rvA)
            #expect(a.metadata.generation == nil)
        }
    }

    @Test("generateName makes a unique name")
    func generateName() async throws {
        try await withCluster { f in
            var meta = ObjectMeta(namespace: "default")
            meta.generateName = "gen-"
            let created = try await f.client.create(ConfigMap(metadata: meta, data: [:]))
            #expect(created.name.hasPrefix("gen-"))
            #expect(created.name.count == 9)
        }
    }

    @Test("creating twice is AlreadyExists with kube's message")
    func alreadyExists() async throws {
        try await withCluster { f in
            _ = try await f.client.create(Fixtures.configMap("x"))
            let error = await expectKubeError { _ = try await f.client.create(Fixtures.configMap("x")) }
            #expect(error?.code == 409)
            #expect(error?.isAlreadyExists == true)
            #expect(error?.status?.message == "configmaps \"x\" already exists")
            #expect(error?.status?.details?.kind == "configmaps")
        }
    }

    @Test("a missing object is NotFound with kube's message")
    func notFound() async throws {
        try await withCluster { f in
            let error = await expectKubeError { _ = try await f.client.get(ConfigMap.self, name: "nope", namespace: "default") }
            #expect(error?.code == 404)
            #expect(error?.status?.message == "configmaps \"nope\" not found")
        }
    }

    @Test("creating in a namespace that does not exist is NotFound for the namespace")
    func namespaceMustExist() async throws {
        try await withCluster { f in
            let error = await expectKubeError { _ = try await f.client.create(Fixtures.configMap("x", namespace: "ghost")) }
            #expect(error?.code == 404)
            #expect(error?.status?.message == "namespaces \"ghost\" not found")
        }
    }

    @Test("an update with a stale resourceVersion is a Conflict with kube's message")
    func optimisticConcurrency() async throws {
        try await withCluster { f in
            let created = try await f.client.create(Fixtures.configMap("x"))
            var first = created
            first.data = ["a": "2"]
            _ = try await f.client.update(first)
            var stale = created
            stale.data = ["a": "3"]
            let error = await expectKubeError { _ = try await f.client.update(stale) }
            #expect(error?.isConflict == true)
            #expect(
                error?.status?.message
                    == "Operation cannot be fulfilled on configmaps \"x\": the object has been modified; please apply your changes to the latest version and try again")
        }
    }

    @Test("an invalid name is rejected as Invalid with the field path")
    func invalidName() async throws {
        try await withCluster { f in
            let error = await expectKubeError { _ = try await f.client.create(Fixtures.configMap("Bad_Name")) }
            #expect(error?.code == 422)
            #expect(error?.status?.message?.hasPrefix("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain") == true)
            #expect(error?.causes.first?.field == "metadata.name")
        }
    }

    @Test("stringData of a Secret is merged into data")
    func secretStringData() async throws {
        try await withCluster { f in
            let secret = Secret(metadata: ObjectMeta(name: "s", namespace: "default"), data: ["a": Data("x".utf8)], stringData: ["b": "y"])
            let created = try await f.client.create(secret)
            #expect(created.stringData == nil)
            #expect(created.string("a") == "x")
            #expect(created.string("b") == "y")
        }
    }

    @Test("dry-run create validates but stores nothing")
    func dryRun() async throws {
        try await withCluster { f in
            let created = try await f.client.create(Fixtures.configMap("dry"), options: .init(dryRun: true))
            #expect(created.name == "dry")
            let error = await expectKubeError { _ = try await f.client.get(ConfigMap.self, name: "dry", namespace: "default") }
            #expect(error?.isNotFound == true)
        }
    }

    @Test("requests without the bearer token get 401 Unauthorized")
    func unauthorized() async throws {
        try await withCluster { f in
            let other = try ClusterFixture.client(for: f.cluster, token: "wrong")
            let error = await expectKubeError { _ = try await other.list(ConfigMap.self, namespace: "default") }
            try? await other.shutdown()
            #expect(error?.code == 401)
            #expect(error?.status?.reason == "Unauthorized")
        }
    }

    @Test("an Event written through events.k8s.io is listed through core/v1")
    func eventViews() async throws {
        try await withCluster { f in
            let event = Event(
                metadata: ObjectMeta(name: "e1", namespace: "default"), eventTime: .now(), type: "Normal", reason: "Merged",
                action: "Merge", note: "merged dev into main",
                regarding: ObjectReference(apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: "default"),
                reportingController: "hmco", reportingInstance: "hmco-0")
            _ = try await f.client.create(event)
            let core = ResourceDescriptor(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)
            let list = try await f.client.list(DynamicObject.self, core, namespace: "default")
            let item = try #require(list.items.first)
            #expect(item.object["message"] == "merged dev into main")
            #expect(item.object["involvedObject"]?["name"] == "x")
            #expect(item.object["reportingComponent"] == "hmco")
            let back = try await f.client.get(Event.self, name: "e1", namespace: "default")
            #expect(back.note == "merged dev into main")
        }
    }

    @Test("a deployment serves the scale subresource")
    func deploymentScale() async throws {
        try await withCluster { f in
            let deployment = Deployment(
                metadata: ObjectMeta(name: "web", namespace: "default"),
                spec: DeploymentSpec(
                    replicas: 2, selector: LabelSelector(matchLabels: ["app": "web"]),
                    template: PodTemplate(metadata: ObjectMeta(labels: ["app": "web"]), spec: ["containers": [["name": "web", "image": "nginx"]]])))
            let created = try await f.client.create(deployment)
            #expect(created.metadata.generation == 1)
            let scale = try await f.client.get(DynamicObject.self, Deployment.resource, name: "web", namespace: "default", subresource: "scale")
            #expect(scale.object["spec"]?["replicas"] == 2)
            #expect(scale.object["status"]?["selector"] == "app=web")
            _ = try await f.client.patch(
                DynamicObject.self, Deployment.resource, name: "web", namespace: "default",
                patch: .merge(["spec": ["replicas": 5]]), subresource: "scale")
            let after = try await f.client.get(Deployment.self, name: "web", namespace: "default")
            #expect(after.spec.replicas == 5)
            #expect(after.metadata.generation == 2)
        }
    }
}

@Suite("Listing: selectors and pages")
struct ListTests {
    @Test("label and field selectors filter a list")
    func selectors() async throws {
        try await withCluster { f in
            _ = try await f.client.create(Fixtures.configMap("a", labels: ["tier": "db"]))
            _ = try await f.client.create(Fixtures.configMap("b", labels: ["tier": "web"]))
            _ = try await f.client.create(Fixtures.configMap("c"))
            let db = try await f.client.list(ConfigMap.self, namespace: "default", options: ListOptions(labelSelector: "tier=db"))
            #expect(db.items.map(\.name) == ["a"])
            let notWeb = try await f.client.list(ConfigMap.self, namespace: "default", options: ListOptions(labelSelector: "tier,tier!=web"))
            #expect(notWeb.items.map(\.name) == ["a"])
            let byName = try await f.client.list(ConfigMap.self, namespace: nil, options: ListOptions(fieldSelector: "metadata.name=c"))
            #expect(byName.items.map(\.name) == ["c"])
        }
    }

    @Test("limit and continue page through a list")
    func pagination() async throws {
        try await withCluster { f in
            for i in 0..<5 { _ = try await f.client.create(Fixtures.configMap("cm-\(i)")) }
            let first = try await f.client.list(ConfigMap.self, ConfigMap.resource, namespace: "default", options: ListOptions(limit: 2))
            #expect(first.items.count == 2)
            #expect(first.metadata.remainingItemCount == 3)
            let token = try #require(first.metadata.continue)
            let second = try await f.client.list(ConfigMap.self, ConfigMap.resource, namespace: "default", options: ListOptions(limit: 2, continue: token))
            #expect(second.items.map(\.name) == ["cm-2", "cm-3"])
            let all = try await f.client.listAll(ConfigMap.self, ConfigMap.resource, namespace: "default", options: ListOptions(limit: 2))
            #expect(all.items.count == 5)
        }
    }

    @Test("a custom resource rejects field selectors on fields that are not selectable")
    func unsupportedFieldSelector() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            let error = await expectKubeError {
                _ = try await f.client.list(DynamicObject.self, Fixtures.widgets, namespace: "default", options: ListOptions(fieldSelector: "spec.mode=Apply"))
            }
            #expect(error?.code == 400)
            #expect(error?.status?.message == "field label not supported: spec.mode")
        }
    }
}
