import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Testing

@Suite("Custom resources")
struct CustomResourceTests {
    @Test("a new CRD is Established and NamesAccepted and served at once")
    func crdEstablished() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            let crd = try await f.client.get(CustomResourceDefinition.self, name: "widgets.example.com")
            #expect(crd.isEstablished)
            #expect(crd.status?.conditions?.contains { $0.type == "NamesAccepted" && $0.status == .true } == true)
            let created = try await f.client.create(Fixtures.widget("w1"), Fixtures.widgets, namespace: "default")
            #expect(created.object["spec"]?["size"] == 3, "the schema default is applied")
            #expect(created.metadata.generation == 1)
        }
    }

    @Test("an enum violation is a 422 worded like kube-apiserver")
    func enumViolation() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            let error = await expectKubeError {
                _ = try await f.client.create(Fixtures.widget("w1", mode: "X"), Fixtures.widgets, namespace: "default")
            }
            #expect(error?.code == 422)
            #expect(error?.status?.message == "Widget.example.com \"w1\" is invalid: spec.mode: Unsupported value: \"X\": supported values: \"Apply\", \"Plan\"")
            #expect(error?.causes.first?.reason == "FieldValueNotSupported")
            #expect(error?.causes.first?.field == "spec.mode")
            #expect(error?.status?.details?.kind == "Widget")
            #expect(error?.status?.details?.group == "example.com")
        }
    }

    @Test("bounds and required fields are validated")
    func boundsAndRequired() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            let tooBig = await expectKubeError {
                _ = try await f.client.create(Fixtures.widget("w1", extra: ["size": 11]), Fixtures.widgets, namespace: "default")
            }
            #expect(tooBig?.status?.message?.contains("spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10") == true)
            let missing = DynamicObject(["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w2"], "spec": [:]])
            let required = await expectKubeError { _ = try await f.client.create(missing, Fixtures.widgets, namespace: "default") }
            #expect(required?.causes.contains { $0.field == "spec.mode" && $0.reason == "FieldValueRequired" } == true)
        }
    }

    @Test("unknown fields: Strict rejects, Warn warns in a Warning header, Ignore prunes")
    func fieldValidation() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            let body = try JSONCoding.encode(Fixtures.widget("w1", extra: ["foo": "bar"]))
            let path = Fixtures.widgets.collectionPath(namespace: "default")
            let strict = await expectKubeError {
                _ = try await f.client.request(
                    method: "POST", path: path, query: [URLQueryItem(name: "fieldValidation", value: "Strict")], body: body, operation: "create")
            }
            #expect(strict?.code == 400)
            #expect(strict?.status?.message == "Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.foo\"")
            let warned = try await f.client.request(
                method: "POST", path: path, query: [URLQueryItem(name: "fieldValidation", value: "Warn")], body: body, operation: "create")
            #expect(warned.headers.contains { $0.0.lowercased() == "warning" && $0.1 == "299 - \"unknown field \\\"spec.foo\\\"\"" })
            let stored = try JSONValue(parsing: warned.body)
            #expect(stored["spec"]?["foo"] == nil)
        }
    }

    @Test("the status subresource changes only status, and the main resource ignores status")
    func statusSubresource() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            var widget = try await f.client.create(Fixtures.widget("w1"), Fixtures.widgets, namespace: "default")
            widget.object["status"] = ["observedGeneration": 1]
            widget.object["spec"]?["mode"] = "Plan"
            let afterStatus = try await f.client.update(widget, Fixtures.widgets, name: "w1", namespace: "default", subresource: "status")
            #expect(afterStatus.object["status"]?["observedGeneration"] == 1)
            #expect(afterStatus.object["spec"]?["mode"] == "Apply", "spec changes through /status are ignored")
            #expect(afterStatus.metadata.generation == 1)

            var main = afterStatus
            main.object["status"] = ["observedGeneration": 99]
            main.object["spec"]?["mode"] = "Plan"
            let afterMain = try await f.client.update(main, Fixtures.widgets, name: "w1", namespace: "default")
            #expect(afterMain.object["status"]?["observedGeneration"] == 1, "status changes through the main resource are ignored")
            #expect(afterMain.object["spec"]?["mode"] == "Plan")
            #expect(afterMain.metadata.generation == 2, "a spec change bumps generation")

            var labelled = afterMain
            labelled.metadata.labels = ["x": "y"]
            let afterLabel = try await f.client.update(labelled, Fixtures.widgets, name: "w1", namespace: "default")
            #expect(afterLabel.metadata.generation == 2, "a metadata change does not bump generation")
        }
    }

    @Test("an update of a custom resource without resourceVersion is Invalid")
    func unconditionalUpdate() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            _ = try await f.client.create(Fixtures.widget("w1"), Fixtures.widgets, namespace: "default")
            let error = await expectKubeError {
                _ = try await f.client.update(Fixtures.widget("w1"), Fixtures.widgets, name: "w1", namespace: "default")
            }
            #expect(error?.status?.message == "Widget.example.com \"w1\" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update")
        }
    }

    @Test("patches: merge, JSON, status, and apply-patch answered with 415")
    func patches() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            _ = try await f.client.create(Fixtures.widget("w1"), Fixtures.widgets, namespace: "default")
            let merged = try await f.client.patch(
                DynamicObject.self, Fixtures.widgets, name: "w1", namespace: "default", patch: .merge(["spec": ["size": 5]]))
            #expect(merged.object["spec"]?["size"] == 5)
            let json = try await f.client.patch(
                DynamicObject.self, Fixtures.widgets, name: "w1", namespace: "default",
                patch: .json([["op": "replace", "path": "/spec/mode", "value": "Plan"]]))
            #expect(json.object["spec"]?["mode"] == "Plan")
            let status = try await f.client.patch(
                DynamicObject.self, Fixtures.widgets, name: "w1", namespace: "default",
                patch: .merge(["status": ["conditions": [["type": "Ready", "status": "True"]]]]), subresource: "status")
            #expect(status.object["status"]?["conditions"]?.arrayValue?.count == 1)
            let apply = await expectKubeError {
                _ = try await f.client.patch(
                    DynamicObject.self, Fixtures.widgets, name: "w1", namespace: "default", patch: .apply(["spec": ["size": 2]], force: true))
            }
            #expect(apply?.code == 415)
            #expect(apply?.status?.reason == "UnsupportedMediaType")
            let strategic = await expectKubeError {
                _ = try await f.client.patch(
                    DynamicObject.self, Fixtures.widgets, name: "w1", namespace: "default", patch: .strategicMerge(["spec": ["size": 2]]))
            }
            #expect(strategic?.code == 415)
        }
    }

    @Test("strategic merge patch merges a deployment's containers by name")
    func strategicMerge() async throws {
        try await withCluster { f in
            let deployment = Deployment(
                metadata: ObjectMeta(name: "web", namespace: "default"),
                spec: DeploymentSpec(
                    replicas: 1, selector: LabelSelector(matchLabels: ["app": "web"]),
                    template: PodTemplate(metadata: ObjectMeta(labels: ["app": "web"]), spec: [
                        "containers": [["name": "web", "image": "nginx:1"], ["name": "sidecar", "image": "envoy:1"]],
                    ])))
            _ = try await f.client.create(deployment)
            let patched = try await f.client.patch(
                Deployment.self, name: "web", namespace: "default",
                patch: .strategicMerge([
                    "spec": ["template": ["spec": [
                        "$setElementOrder/containers": [["name": "web"], ["name": "sidecar"]],
                        "containers": [["name": "web", "image": "nginx:2"]],
                    ]]],
                ]))
            let containers = patched.spec.template.spec?["containers"]?.arrayValue ?? []
            #expect(containers.count == 2)
            #expect(containers.first { $0["name"] == "web" }?["image"] == "nginx:2")
            #expect(containers.first { $0["name"] == "sidecar" }?["image"] == "envoy:1")
        }
    }

    @Test("discovery lists the custom resource with short names, categories and subresources")
    func discovery() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            let response = try await f.client.request(method: "GET", path: "/apis/example.com/v1", operation: "discover")
            let list = try JSONValue(parsing: response.body)
            let resources = list["resources"]?.arrayValue ?? []
            let widgets = try #require(resources.first { $0["name"] == "widgets" })
            #expect(widgets["shortNames"] == ["wd"])
            #expect(widgets["categories"] == ["hmco"])
            #expect(widgets["namespaced"] == true)
            #expect(widgets["kind"] == "Widget")
            #expect(resources.contains { $0["name"] == "widgets/status" })
            let groups = try JSONValue(parsing: try await f.client.request(method: "GET", path: "/apis", operation: "groups").body)
            #expect(groups["groups"]?.arrayValue?.contains { $0["name"] == "example.com" } == true)
            let openapi = try JSONValue(parsing: try await f.client.request(method: "GET", path: "/openapi/v3", operation: "openapi").body)
            #expect(openapi["paths"]?["apis/example.com/v1"] != nil)
        }
    }

    @Test("the Table view shows the printer columns")
    func table() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            _ = try await f.client.create(Fixtures.widget("w1"), Fixtures.widgets, namespace: "default")
            _ = try await f.client.patch(
                DynamicObject.self, Fixtures.widgets, name: "w1", namespace: "default",
                patch: .merge(["status": ["conditions": [["type": "Ready", "status": "True"]]]]), subresource: "status")
            let response = try await f.client.request(
                method: "GET", path: Fixtures.widgets.collectionPath(namespace: "default"),
                accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json", operation: "table")
            let table = try JSONValue(parsing: response.body)
            #expect(table["kind"] == "Table")
            let names = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["Name", "Ready", "Mode", "Size", "Age"])
            let cells = table["rows"]?.arrayValue?.first?["cells"]?.arrayValue ?? []
            #expect(cells.prefix(4) == ["w1", "True", "Apply", 3])
        }
    }

    @Test("deleting a CRD removes its objects and stops serving it")
    func crdDeletion() async throws {
        try await withCluster { f in
            try await Fixtures.installWidgets(f.client)
            _ = try await f.client.create(Fixtures.widget("w1"), Fixtures.widgets, namespace: "default")
            try await f.client.delete(CustomResourceDefinition.resource, name: "widgets.example.com", namespace: nil)
            try await eventually("the CRD is gone") {
                (try? await f.client.get(CustomResourceDefinition.self, name: "widgets.example.com")) == nil
            }
            let error = await expectKubeError { _ = try await f.client.list(DynamicObject.self, Fixtures.widgets, namespace: "default") }
            #expect(error?.code == 404)
            try await Fixtures.installWidgets(f.client)
            let list = try await f.client.list(DynamicObject.self, Fixtures.widgets, namespace: "default")
            #expect(list.items.isEmpty)
        }
    }
}
