import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Testing

/// A started cluster and a client for it; every test gets its own.
struct ClusterFixture {
    let cluster: LocalCluster
    let client: KubernetesClient

    static func start(_ options: LocalClusterOptions = LocalClusterOptions()) async throws -> ClusterFixture {
        let cluster = try LocalCluster(options: options)
        try await cluster.start()
        return ClusterFixture(cluster: cluster, client: try client(for: cluster))
    }

    static func client(for cluster: LocalCluster, token: String? = nil) throws -> KubernetesClient {
        let config = ClusterConfig(
            server: cluster.url, caCertificatePEM: Data(cluster.caCertificatePEM.utf8),
            credentials: .bearerToken(token ?? cluster.token))
        return try KubernetesClient(config: config, options: ClientOptions(qps: 1000, burst: 1000))
    }

    func stop() async {
        try? await client.shutdown()
        await cluster.stop()
    }
}

/// Runs `body` against a fresh cluster and always stops it.
func withCluster(
    _ options: LocalClusterOptions = LocalClusterOptions(), _ body: (ClusterFixture) async throws -> Void
) async throws {
    let fixture = try await ClusterFixture.start(options)
    do {
        try await body(fixture)
    } catch {
        await fixture.stop()
        throw error
    }
    await fixture.stop()
}

/// Polls until `condition` holds or the deadline passes.
func eventually(
    timeout: Duration = .seconds(10), _ what: String, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting for \(what)")
    throw CancellationError()
}

/// Expects a KubeError and returns it.
func expectKubeError(_ body: () async throws -> Void) async -> KubeError? {
    do {
        try await body()
        Issue.record("expected an error")
        return nil
    } catch let error as KubeError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

enum Fixtures {
    static let widgets = ResourceDescriptor(group: "example.com", version: "v1", kind: "Widget", plural: "widgets", namespaced: true)

    /// A CRD with a status subresource, printer columns, an enum, bounds and a default.
    static var widgetCRD: JSONValue {
        [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "widgets.example.com"],
            "spec": [
                "group": "example.com", "scope": "Namespaced",
                "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"], "categories": ["hmco"]],
                "versions": [[
                    "name": "v1", "served": true, "storage": true,
                    "subresources": ["status": [:]],
                    "additionalPrinterColumns": [
                        ["name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status"],
                        ["name": "Mode", "type": "string", "jsonPath": ".spec.mode"],
                        ["name": "Size", "type": "integer", "jsonPath": ".spec.size", "priority": 1],
                        ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
                    ],
                    "schema": ["openAPIV3Schema": [
                        "type": "object",
                        "properties": [
                            "spec": [
                                "type": "object", "description": "The desired widget.",
                                "required": ["mode"],
                                "properties": [
                                    "mode": ["type": "string", "enum": ["Apply", "Plan"], "description": "Apply changes or only plan them."],
                                    "size": ["type": "integer", "minimum": 1, "maximum": 10, "default": 3],
                                    "tags": ["type": "array", "items": ["type": "string"], "maxItems": 3],
                                ],
                            ],
                            "status": [
                                "type": "object",
                                "properties": [
                                    "observedGeneration": ["type": "integer"],
                                    "conditions": ["type": "array", "items": [
                                        "type": "object",
                                        "properties": ["type": ["type": "string"], "status": ["type": "string"], "reason": ["type": "string"]],
                                    ]],
                                ],
                            ],
                        ],
                    ]],
                ]],
            ],
        ]
    }

    static func widget(_ name: String, namespace: String = "default", mode: String = "Apply", extra: JSONObject = [:]) -> DynamicObject {
        var spec: JSONObject = ["mode": .string(mode)]
        for (key, value) in extra { spec[key] = value }
        return DynamicObject([
            "apiVersion": "example.com/v1", "kind": "Widget",
            "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": .object(spec),
        ])
    }

    static func installWidgets(_ client: KubernetesClient) async throws {
        let crd = try JSONCoding.fromJSON(DynamicObject.self, widgetCRD)
        _ = try await client.create(crd, CustomResourceDefinition.resource, namespace: nil)
    }

    static func configMap(_ name: String, namespace: String = "default", data: [String: String] = ["a": "1"], labels: [String: String]? = nil) -> ConfigMap {
        ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace, labels: labels), data: data)
    }
}
