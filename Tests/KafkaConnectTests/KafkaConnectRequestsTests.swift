import Foundation
import IntegrationSupport
import KafkaConnect
import Testing

/// What the client sends for each call: method, path, query and body, as
/// `connect_rest-4.2.0.yaml` names them. Bodies are compared as generic JSON.
@Suite("HTTPKafkaConnectClient sends the requests the Connect REST API documents")
struct KafkaConnectRequestsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// `METHOD /path?query` as sent.
        var line: String
        /// The body as JSON text; nil for none.
        var body: String?
        /// What the stand-in answers, so the call completes.
        var answer: BackendResponse
        var call: @Sendable (HTTPKafkaConnectClient) async throws -> Void
    }

    static let name = Fixture.connectorName
    static let config = [
        "connector.class": "PostgresConnector", "tasks.max": "1", "database.password": "${file:/s:pw}",
    ]

    static let cases: [Case] = [
        Case(
            testDescription: "serverInfo is GET /", line: "GET /", body: nil,
            answer: response(200, #"{"version":"4.2.0","commit":"abc","kafka_cluster_id":"k1"}"#),
            call: { _ = try await $0.serverInfo() }),
        Case(
            testDescription: "listConnectors is GET /connectors", line: "GET /connectors", body: nil,
            answer: response(200, "[]"), call: { _ = try await $0.listConnectors() }),
        Case(
            testDescription: "listConnectorsExpanded asks for status and info",
            line: "GET /connectors?expand=status&expand=info", body: nil, answer: response(200, "{}"),
            call: { _ = try await $0.listConnectorsExpanded() }),
        Case(
            testDescription: "connector is GET /connectors/{name}", line: "GET /connectors/trading.cdc", body: nil,
            answer: response(200, Fixture.connectorInfo), call: { _ = try await $0.connector(name) }),
        Case(
            testDescription: "connectorConfig is GET /connectors/{name}/config",
            line: "GET /connectors/trading.cdc/config", body: nil, answer: response(200, "{}"),
            call: { _ = try await $0.connectorConfig(name) }),
        Case(
            testDescription: "createConnector posts name, config and initial_state",
            line: "POST /connectors",
            body:
                #"{"name":"trading.cdc","config":{"connector.class":"PostgresConnector","tasks.max":"1","database.password":"${file:/s:pw}"},"initial_state":"STOPPED"}"#,
            answer: response(201, Fixture.connectorInfo),
            call: { _ = try await $0.createConnector(name, config: config, initialState: .stopped) }),
        Case(
            testDescription: "createConnector without an initial state leaves initial_state out",
            line: "POST /connectors", body: #"{"name":"trading.cdc","config":{"tasks.max":"1"}}"#,
            answer: response(201, Fixture.connectorInfo),
            call: { _ = try await $0.createConnector(name, config: ["tasks.max": "1"], initialState: nil) }),
        Case(
            testDescription: "putConnectorConfig puts the flat configuration",
            line: "PUT /connectors/trading.cdc/config",
            body: #"{"connector.class":"PostgresConnector","tasks.max":"1","database.password":"${file:/s:pw}"}"#,
            answer: response(200, Fixture.connectorInfo),
            call: { _ = try await $0.putConnectorConfig(name, config: config) }),
        Case(
            testDescription: "deleteConnector is DELETE /connectors/{name}", line: "DELETE /connectors/trading.cdc",
            body: nil, answer: response(204), call: { try await $0.deleteConnector(name) }),
        Case(
            testDescription: "connectorStatus is GET …/status", line: "GET /connectors/trading.cdc/status", body: nil,
            answer: response(200, Fixture.stateWithFailedTask), call: { _ = try await $0.connectorStatus(name) }),
        Case(
            testDescription: "tasks is GET …/tasks", line: "GET /connectors/trading.cdc/tasks", body: nil,
            answer: response(200, "[]"), call: { _ = try await $0.tasks(name) }),
        Case(
            testDescription: "taskStatus is GET …/tasks/{task}/status",
            line: "GET /connectors/trading.cdc/tasks/3/status",
            body: nil, answer: response(200, #"{"id":3,"state":"RUNNING","worker_id":"w:8083"}"#),
            call: { _ = try await $0.taskStatus(name, task: 3) }),
        Case(
            testDescription: "pauseConnector is PUT …/pause", line: "PUT /connectors/trading.cdc/pause", body: nil,
            answer: response(202), call: { try await $0.pauseConnector(name) }),
        Case(
            testDescription: "resumeConnector is PUT …/resume", line: "PUT /connectors/trading.cdc/resume", body: nil,
            answer: response(202), call: { try await $0.resumeConnector(name) }),
        Case(
            testDescription: "stopConnector is PUT …/stop", line: "PUT /connectors/trading.cdc/stop", body: nil,
            answer: response(204), call: { try await $0.stopConnector(name) }),
        Case(
            testDescription: "a plain restart sends no flags", line: "POST /connectors/trading.cdc/restart", body: nil,
            answer: response(204),
            call: { try await $0.restartConnector(name, includeTasks: false, onlyFailed: false) }),
        Case(
            testDescription: "a restart of failed tasks sends both flags",
            line: "POST /connectors/trading.cdc/restart?includeTasks=true&onlyFailed=true", body: nil,
            answer: response(202, Fixture.restartPlan),
            call: { try await $0.restartConnector(name, includeTasks: true, onlyFailed: true) }),
        Case(
            testDescription: "a restart of a failed connector alone sends onlyFailed",
            line: "POST /connectors/trading.cdc/restart?onlyFailed=true", body: nil, answer: response(204),
            call: { try await $0.restartConnector(name, includeTasks: false, onlyFailed: true) }),
        Case(
            testDescription: "restartTask is POST …/tasks/{task}/restart",
            line: "POST /connectors/trading.cdc/tasks/1/restart", body: nil, answer: response(204),
            call: { try await $0.restartTask(name, task: 1) }),
        Case(
            testDescription: "connectorPlugins always sends connectorsOnly",
            line: "GET /connector-plugins?connectorsOnly=false", body: nil, answer: response(200, "[]"),
            call: { _ = try await $0.connectorPlugins(connectorsOnly: false) }),
        Case(
            testDescription: "validateConfig puts the flat configuration to the plugin",
            line: "PUT /connector-plugins/PostgresConnector/config/validate",
            body: #"{"connector.class":"PostgresConnector","tasks.max":"1","database.password":"${file:/s:pw}"}"#,
            answer: response(200, Fixture.validationWithErrors),
            call: { _ = try await $0.validateConfig(plugin: "PostgresConnector", config: config) }),
        Case(
            testDescription: "offsets is GET …/offsets", line: "GET /connectors/trading.cdc/offsets", body: nil,
            answer: response(200, #"{"offsets":[]}"#), call: { _ = try await $0.offsets(name) }),
        Case(
            testDescription: "alterOffsets patches partitions with offsets, null resetting one",
            line: "PATCH /connectors/trading.cdc/offsets",
            body:
                #"{"offsets":[{"partition":{"server":"trading"},"offset":{"lsn":9007199254740993}},{"partition":{"kafka_topic":"t","kafka_partition":2},"offset":null}]}"#,
            answer: response(200, #"{"message":"The offsets for this connector have been altered successfully"}"#),
            call: {
                _ = try await $0.alterOffsets(
                    name,
                    offsets: [
                        .init(partitionJSON: #"{"server":"trading"}"#, offsetJSON: #" {"lsn":9007199254740993} "#),
                        .init(partitionJSON: #"{"kafka_topic":"t","kafka_partition":2}"#, offsetJSON: nil),
                    ])
            }),
        Case(
            testDescription: "resetOffsets is DELETE …/offsets", line: "DELETE /connectors/trading.cdc/offsets",
            body: nil,
            answer: response(200, #"{"message":"The offsets for this connector have been reset successfully"}"#),
            call: { _ = try await $0.resetOffsets(name) }),
        Case(
            testDescription: "topics is GET …/topics", line: "GET /connectors/trading.cdc/topics", body: nil,
            answer: response(200, #"{"trading.cdc":{"topics":[]}}"#), call: { _ = try await $0.topics(name) }),
    ]

    @Test("each call sends its documented method, path, query and body", arguments: cases)
    func sends(_ c: Case) async throws {
        let connect = ScriptedConnect()
        await connect.on(c.line, c.answer)
        try await c.call(connect.client)
        let sent = try #require(await connect.last)
        #expect(await connect.lines == [c.line])
        #expect(sent.body == c.body.flatMap(canonicalJSON))
    }

    @Test("the cases above cover every operation of the client")
    func coverage() async throws {
        let connect = ScriptedConnect()
        for c in Self.cases { await connect.on(c.line, c.answer) }
        for c in Self.cases { try await c.call(connect.client) }
        #expect(Set(await connect.sent.map(\.action)) == Set(KafkaConnectRequest.Action.allCases))
    }

    @Test(
        "connector names are percent-encoded into one path segment",
        arguments: [
            ("trading.cdc", "/connectors/trading.cdc/status"),
            ("lake sink", "/connectors/lake%20sink/status"),
            ("team/orders", "/connectors/team%2Forders/status"),
            ("a?b#c&d=e", "/connectors/a%3Fb%23c%26d%3De/status"),
            ("100%", "/connectors/100%25/status"),
            ("zürich-ö", "/connectors/z%C3%BCrich-%C3%B6/status"),
            ("..", "/connectors/%2E%2E/status"),
            ("my_conn~1", "/connectors/my_conn~1/status"),
        ])
    func percentEncoding(name: String, path: String) async throws {
        let connect = ScriptedConnect()
        _ = try await connect.client.connectorStatus(name)
        #expect(await connect.lines == ["GET \(path)"])
    }

    @Test("plugin names are percent-encoded too")
    func pluginEncoding() async throws {
        let connect = ScriptedConnect()
        _ = await connectError { _ = try await connect.client.validateConfig(plugin: "my plugin/v1", config: [:]) }
        #expect(await connect.lines == ["PUT /connector-plugins/my%20plugin%2Fv1/config/validate"])
    }

    @Test("an empty connector name is refused before anything is sent")
    func emptyName() async throws {
        let connect = ScriptedConnect()
        let error = await connectError { _ = try await connect.client.connector("") }
        #expect(error?.kind == .badRequest)
        #expect(error?.status == nil)
        #expect(await connect.lines.isEmpty)
    }

    @Test("offsets that are not JSON objects are refused without echoing them")
    func invalidOffsets() async throws {
        let connect = ScriptedConnect()
        let error = await connectError {
            _ = try await connect.client.alterOffsets(
                "c", offsets: [.init(partitionJSON: #"{"server":"x"}"#, offsetJSON: "[\"hunter2\"]")])
        }
        #expect(error?.kind == .badRequest)
        #expect(error?.message.contains("hunter2") == false)
        #expect(await connect.lines.isEmpty)
    }

    @Test("operations name what was being done and the connector")
    func operations() async throws {
        let connect = ScriptedConnect()
        _ = try await connect.client.connectorStatus("trading.cdc")
        _ = await connectError {
            try await connect.client.restartConnector("trading.cdc", includeTasks: true, onlyFailed: true)
        }
        _ = await connectError { try await connect.client.restartTask("trading.cdc", task: 2) }
        #expect(
            await connect.sent.map(\.operation) == [
                "reading the status of connector trading.cdc",
                "restarting connector trading.cdc and its tasks that failed",
                "restarting task 2 of connector trading.cdc",
            ])
    }
}
