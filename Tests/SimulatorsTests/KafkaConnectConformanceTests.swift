import Foundation
import Testing

@testable import Simulators

/// Validates the simulator's answers against Kafka Connect's own `connect_rest-4.2.0.yaml`,
/// so the simulator cannot drift from the real API unnoticed. The yaml declares only
/// `default` responses, so statuses come from REST_NOTES.md; bodies are checked against the
/// yaml's component schemas, strictly: no undeclared property, and the properties Connect
/// always sends present.
@Suite("Kafka Connect simulator: conformance to connect_rest-4.2.0.yaml")
struct KafkaConnectConformanceTests {
    /// Connect's yaml, beside the repository: `<repo>/../shared/specs/kafka-connect/connect_rest-4.2.0.yaml`.
    static let spec: Result<OpenAPISpec, any Error> = Result {
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // SimulatorsTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let url = repositoryRoot.appendingPathComponent("../shared/specs/kafka-connect/connect_rest-4.2.0.yaml")
            .standardizedFileURL
        return try OpenAPISpec(yaml: String(contentsOf: url, encoding: .utf8))
    }

    /// Properties Connect always writes, per component schema (the yaml marks none required).
    static let alwaysPresent: [String: [String]] = [
        "ServerInfo": ["version", "commit", "kafka_cluster_id"],
        "PluginInfo": ["class", "type", "version"],
        "ConnectorInfo": ["name", "config", "tasks", "type"],
        "ConnectorTaskId": ["connector", "task"],
        "ConnectorStateInfo": ["name", "connector", "tasks", "type"],
        "ConnectorState": ["state", "worker_id"],
        "TaskState": ["id", "state", "worker_id"],
        "TaskInfo": ["id", "config"],
        "ConfigInfos": ["name", "error_count", "groups", "configs"],
        "ConfigInfo": ["definition", "value"],
        "ConfigKeyInfo": [
            "name", "type", "required", "importance", "documentation", "order_in_group", "width", "display_name",
            "dependents",
        ],
        "ConfigValueInfo": ["name", "recommended_values", "errors", "visible"],
        "ConnectorOffsets": ["offsets"],
        "ConnectorOffset": ["partition", "offset"],
    ]

    /// One request, the yaml operation it must reach, the status it must get, and — where the
    /// yaml gives the operation no schema — the component its body must match.
    private struct Step {
        var operation: String
        var method: String
        var template: String
        var path: String
        var query: [(String, String)] = []
        var body: TestBody?
        var status: Int
        var component: String?
    }

    private typealias Op = KafkaConnectSimulator.Operation
    private let connector = "/connectors/{connector}"

    @Test("every answer has the status Connect gives and a body matching the yaml's schemas")
    func conformance() async throws {
        let spec = try Self.spec.get()
        try await withKafkaConnect { connect, client in
            let pg = "/connectors/orders-pg"
            let sink = "/connectors/orders-ch"
            let validate = "/connector-plugins/{pluginName}/config/validate"
            let named = ConnectFixture.with(ConnectFixture.postgres, ["name": "orders-pg"])
            let invalid = ConnectFixture.with(named, ["database.hostname": nil, "snapshot.mode": "foo"])
            let steps: [Step] = [
                Step(operation: Op.serverInfo, method: "GET", template: "/", path: "/", status: 200),
                Step(operation: Op.healthCheck, method: "GET", template: "/health", path: "/health", status: 200),
                Step(
                    operation: Op.listConnectorPlugins, method: "GET", template: "/connector-plugins",
                    path: "/connector-plugins", status: 200),
                Step(
                    operation: Op.listConnectorPlugins, method: "GET", template: "/connector-plugins",
                    path: "/connector-plugins", query: [("connectorsOnly", "false")], status: 200),
                Step(
                    operation: Op.getConnectorConfigDef, method: "GET",
                    template: "/connector-plugins/{pluginName}/config",
                    path: "/connector-plugins/PostgresConnector/config", status: 200),
                Step(
                    operation: Op.getConnectorConfigDef, method: "GET",
                    template: "/connector-plugins/{pluginName}/config", path: "/connector-plugins/Nope/config",
                    status: 404),
                Step(
                    operation: Op.validateConfigs, method: "PUT", template: validate,
                    path: "/connector-plugins/PostgresConnector/config/validate", body: .json(named), status: 200),
                Step(
                    operation: Op.validateConfigs, method: "PUT", template: validate,
                    path: "/connector-plugins/PostgresConnector/config/validate", body: .json(invalid), status: 200),
                Step(
                    operation: Op.validateConfigs, method: "PUT", template: validate,
                    path: "/connector-plugins/MySqlConnector/config/validate", body: .json(named), status: 400),
                Step(
                    operation: Op.createConnector, method: "POST", template: "/connectors", path: "/connectors",
                    body: .json(["name": "orders-pg", "config": ConnectFixture.postgres]), status: 201,
                    component: "ConnectorInfo"),
                Step(
                    operation: Op.createConnector, method: "POST", template: "/connectors", path: "/connectors",
                    body: .json(["name": "orders-pg", "config": ConnectFixture.postgres]), status: 409),
                Step(
                    operation: Op.createConnector, method: "POST", template: "/connectors", path: "/connectors",
                    body: .json(["name": "bad", "config": invalid]), status: 400),
                Step(
                    operation: Op.putConnectorConfig, method: "PUT", template: connector + "/config",
                    path: sink + "/config", body: .json(ConnectFixture.clickHouse), status: 201,
                    component: "ConnectorInfo"),
                Step(
                    operation: Op.putConnectorConfig, method: "PUT", template: connector + "/config",
                    path: sink + "/config",
                    body: .json(ConnectFixture.with(ConnectFixture.clickHouse, ["tasks.max": "2"])),
                    status: 200, component: "ConnectorInfo"),
                Step(
                    operation: Op.putConnectorConfig, method: "PUT", template: connector + "/config",
                    path: sink + "/config", body: .json(named), status: 400),
                Step(
                    operation: Op.patchConnectorConfig, method: "PATCH", template: connector + "/config",
                    path: pg + "/config", body: .json(["snapshot.mode": "when_needed"]), status: 200,
                    component: "ConnectorInfo"),
                Step(
                    operation: Op.patchConnectorConfig, method: "PATCH", template: connector + "/config",
                    path: "/connectors/nope/config", body: .json(["a": "b"]), status: 404),
                Step(
                    operation: Op.listConnectors, method: "GET", template: "/connectors", path: "/connectors",
                    status: 200),
                Step(operation: Op.getConnector, method: "GET", template: connector, path: pg, status: 200),
                Step(
                    operation: Op.getConnector, method: "GET", template: connector, path: "/connectors/nope",
                    status: 404),
                Step(
                    operation: Op.getConnectorConfig, method: "GET", template: connector + "/config",
                    path: pg + "/config", status: 200),
                Step(
                    operation: Op.getConnectorStatus, method: "GET", template: connector + "/status",
                    path: sink + "/status", status: 200),
                Step(
                    operation: Op.getConnectorStatus, method: "GET", template: connector + "/status",
                    path: "/connectors/nope/status", status: 404),
                Step(
                    operation: Op.getTaskConfigs, method: "GET", template: connector + "/tasks", path: sink + "/tasks",
                    status: 200),
                Step(
                    operation: Op.getTaskStatus, method: "GET", template: connector + "/tasks/{task}/status",
                    path: sink + "/tasks/1/status", status: 200),
                Step(
                    operation: Op.getTaskStatus, method: "GET", template: connector + "/tasks/{task}/status",
                    path: sink + "/tasks/9/status", status: 404),
                Step(
                    operation: Op.restartConnector, method: "POST", template: connector + "/restart",
                    path: sink + "/restart", query: [("includeTasks", "true"), ("onlyFailed", "true")], status: 202,
                    component: "ConnectorStateInfo"),
                Step(
                    operation: Op.restartConnector, method: "POST", template: connector + "/restart",
                    path: sink + "/restart", status: 204),
                Step(
                    operation: Op.restartConnector, method: "POST", template: connector + "/restart",
                    path: "/connectors/nope/restart", status: 404),
                Step(
                    operation: Op.restartTask, method: "POST", template: connector + "/tasks/{task}/restart",
                    path: sink + "/tasks/0/restart", status: 204),
                Step(
                    operation: Op.restartTask, method: "POST", template: connector + "/tasks/{task}/restart",
                    path: sink + "/tasks/5/restart", status: 404),
                Step(
                    operation: Op.pauseConnector, method: "PUT", template: connector + "/pause", path: sink + "/pause",
                    status: 202),
                Step(
                    operation: Op.resumeConnector, method: "PUT", template: connector + "/resume",
                    path: sink + "/resume", status: 202),
                Step(
                    operation: Op.getOffsets, method: "GET", template: connector + "/offsets", path: pg + "/offsets",
                    status: 200),
                Step(
                    operation: Op.alterConnectorOffsets, method: "PATCH", template: connector + "/offsets",
                    path: pg + "/offsets",
                    body: .json(["offsets": [["partition": ["server": "shop"], "offset": ["lsn": 1]]]]), status: 400),
                Step(
                    operation: Op.resetConnectorOffsets, method: "DELETE", template: connector + "/offsets",
                    path: pg + "/offsets", status: 400),
                Step(
                    operation: Op.stopConnector, method: "PUT", template: connector + "/stop", path: pg + "/stop",
                    status: 204),
                Step(
                    operation: Op.alterConnectorOffsets, method: "PATCH", template: connector + "/offsets",
                    path: pg + "/offsets",
                    body: .json(["offsets": [["partition": ["server": "shop"], "offset": ["lsn": 1]]]]), status: 200),
                Step(
                    operation: Op.getOffsets, method: "GET", template: connector + "/offsets", path: pg + "/offsets",
                    status: 200),
                Step(
                    operation: Op.resetConnectorOffsets, method: "DELETE", template: connector + "/offsets",
                    path: pg + "/offsets", status: 200),
                Step(
                    operation: Op.getConnectorActiveTopics, method: "GET", template: connector + "/topics",
                    path: sink + "/topics", status: 200),
                Step(
                    operation: Op.resetConnectorActiveTopics, method: "PUT", template: connector + "/topics/reset",
                    path: sink + "/topics/reset", status: 202),
                Step(operation: Op.destroyConnector, method: "DELETE", template: connector, path: pg, status: 204),
                Step(operation: Op.destroyConnector, method: "DELETE", template: connector, path: pg, status: 404),
            ]
            for step in steps {
                if step.operation == Op.restartConnector, step.status == 202 {
                    try connect.failTask(connector: "orders-ch", task: 1)
                }
                if step.operation == Op.getOffsets, connect.offsets(of: "orders-pg")?.isEmpty == true {
                    try connect.setOffsets(
                        [.init(partition: ["server": .string("shop")], offset: ["lsn": .int(24_023_128)])],
                        of: "orders-pg")
                }
                try await run(step, spec: spec, connect: connect, client: client)
            }

            let served = Set(KafkaConnectAPI.routeTable.entries.map(\.operation))
            let unexercised = served.subtracting(connect.requests.counts.keys)
            #expect(unexercised.isEmpty, "operations the walk does not reach: \(unexercised.sorted())")
        }
    }

    @Test("expand=status and expand=info hold a ConnectorStateInfo and a ConnectorInfo per connector")
    func expandedList() async throws {
        let spec = try Self.spec.get()
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            try connect.failTask(connector: "orders-pg", task: 0)
            let body = try await client.get("/connectors", query: [("expand", "status"), ("expand", "info")]).json()
            let entry = try #require(body["orders-pg"])
            var problems: [String] = []
            check(try #require(entry["status"]), component: "ConnectorStateInfo", spec: spec, into: &problems)
            check(try #require(entry["info"]), component: "ConnectorInfo", spec: spec, into: &problems)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }

    @Test("error bodies are always {error_code, message} with error_code the status, injected ones too")
    func errorShape() async throws {
        try await withKafkaConnect { connect, client in
            connect.beginRebalance(requests: 1)
            connect.faults.failNext(1, with: .serviceUnavailable, operation: Op.getConnector)
            let responses = [
                try await client.put("/connectors/x/config", .json(ConnectFixture.postgres)),
                try await client.get("/connectors/x"),
                try await client.get("/connectors/x"),
                try await client.send("PATCH", "/connectors"),
                try await client.get("/nowhere"),
            ]
            #expect(responses.map(\.status) == [409, 503, 404, 405, 404])
            for response in responses {
                let body = try response.json()
                #expect(body.object?.keys.sorted() == ["error_code", "message"], "\(response.text)")
                #expect(body["error_code"]?.int == Int64(response.status))
                #expect(response.header("Content-Type") == "application/json")
            }
        }
    }

    @Test("every route the simulator serves is a yaml operation with the same method, path and id")
    func routesMatchSpec() throws {
        let spec = try Self.spec.get()
        for route in KafkaConnectAPI.routeTable.entries {
            let operation = spec.operation(route.method, route.template)
            #expect(operation?["operationId"]?.string == route.operation, "\(route.method) \(route.template)")
        }
    }

    @Test("the strict check itself catches a wrong type, an undeclared property and a missing one")
    func validatorCatchesDrift() throws {
        let spec = try Self.spec.get()
        let drifted = try TestJSON.parse(
            Array(#"{"name":"x","config":{},"tasks":[{"connector":"x","task":"0"}],"type":"source","extra":1}"#.utf8))
        var problems: [String] = []
        check(drifted, component: "ConnectorInfo", spec: spec, into: &problems)
        #expect(problems.contains { $0.contains("/tasks/0/task is string, want integer") })
        #expect(problems.contains { $0.contains("'extra' is not declared") })
        let missing = try TestJSON.parse(Array(#"{"name":"x","config":{},"tasks":[]}"#.utf8))
        problems = []
        check(missing, component: "ConnectorInfo", spec: spec, into: &problems)
        #expect(problems.contains { $0.contains("lacks 'type'") })
        let badType = try TestJSON.parse(Array(#"{"name":"x","config":{},"tasks":[],"type":"both"}"#.utf8))
        problems = []
        check(badType, component: "ConnectorInfo", spec: spec, into: &problems)
        #expect(problems.contains { $0.contains("is not one of") })
    }

    // MARK: Helpers

    private func run(
        _ step: Step, spec: OpenAPISpec, connect: KafkaConnectSimulator, client: HTTPTestClient
    ) async throws {
        let label = "\(step.method) \(step.path)"
        let operation = try #require(spec.operation(step.method, step.template), "\(label): not in the yaml")
        #expect(operation["operationId"]?.string == step.operation, "\(label): yaml operation differs")
        let before = connect.requestCount(step.operation)
        let response = try await client.send(step.method, step.path, query: step.query, body: step.body)
        #expect(connect.requestCount(step.operation) == before + 1, "\(label): routed to another operation")
        #expect(response.status == step.status, "\(label): \(response.text)")

        var problems: [String] = []
        if response.status >= 400 {
            let body = try response.json()
            if body.object?.keys.sorted() != ["error_code", "message"]
                || body["error_code"]?.int != Int64(response.status)
            {
                problems.append("\(label): error body \(response.text)")
            }
        } else if response.body.isEmpty {
            if ![202, 204].contains(response.status) { problems.append("\(label): \(response.status) without a body") }
        } else {
            if response.header("Content-Type") != "application/json" { problems.append("\(label): not JSON") }
            let body = try response.json()
            let declared = operation["responses"]?["default"]?["content"]?["application/json"]?["schema"]
            if let declared {
                check(body, against: declared, spec: spec, at: "", context: label, into: &problems)
            }
            if let component = step.component {
                check(body, component: component, spec: spec, into: &problems, context: label)
            }
            if declared == nil, step.component == nil, ![Op.healthCheck, Op.listConnectors].contains(step.operation),
                ![Op.getConnectorActiveTopics, Op.alterConnectorOffsets, Op.resetConnectorOffsets].contains(
                    step.operation)
            {
                problems.append("\(label): nothing to validate the body against")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    private func check(
        _ value: TestJSON, component: String, spec: OpenAPISpec, into problems: inout [String], context: String = ""
    ) {
        let node = SpecNode.mapping(["$ref": .scalar("#/components/schemas/\(component)")])
        check(value, against: node, spec: spec, at: "", context: context.isEmpty ? component : context, into: &problems)
    }

    /// The shared validator (types, enums, `$ref`s) plus strictness the yaml cannot express.
    private func check(
        _ value: TestJSON, against node: SpecNode, spec: OpenAPISpec, at path: String, context: String,
        into problems: inout [String]
    ) {
        var found: [String] = []
        spec.validate(value, against: node, at: path, into: &found, context: context)
        // Connect's yaml renders Java's Map<String, ?> for partitions and offsets as objects of
        // objects; real values are primitives, so those two complaints are the yaml's, not ours.
        problems += found.filter {
            !(($0.contains("/partition/") || $0.contains("/offset/")) && $0.hasSuffix("want object"))
        }
        strict(value, against: node, spec: spec, at: path, context: context, into: &problems)
    }

    private func strict(
        _ value: TestJSON, against node: SpecNode, spec: OpenAPISpec, at path: String, context: String,
        into problems: inout [String]
    ) {
        let component = node["$ref"]?.string?.split(separator: "/").last.map(String.init)
        let schema = spec.resolve(node)
        let location = path.isEmpty ? "body" : path
        if let object = value.object, let properties = schema["properties"]?.mapping {
            for required in component.flatMap({ Self.alwaysPresent[$0] }) ?? [] where object[required] == nil {
                problems.append("\(context): \(location) lacks '\(required)'")
            }
            for (name, property) in object {
                guard let declared = properties[name] else {
                    problems.append("\(context): \(location) property '\(name)' is not declared")
                    continue
                }
                strict(
                    property, against: declared, spec: spec, at: path + "/" + name, context: context, into: &problems)
            }
        } else if let array = value.array, let items = schema["items"] {
            for (index, item) in array.enumerated() {
                strict(item, against: items, spec: spec, at: "\(path)/\(index)", context: context, into: &problems)
            }
        }
    }
}
