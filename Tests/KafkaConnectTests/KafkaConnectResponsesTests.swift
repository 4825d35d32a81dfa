import Foundation
import IntegrationSupport
import KafkaConnect
import Testing

/// What the client makes of Connect's answers, from fixtures written from
/// `connect_rest-4.2.0.yaml` and the status codes in `REST_NOTES.md`.
@Suite("HTTPKafkaConnectClient reads Connect's answers")
struct KafkaConnectResponsesTests {
    let name = Fixture.connectorName

    @Test("the worker's version, commit and cluster id are read")
    func serverInfo() async throws {
        let client = answering(200, #"{"version":"4.2.0","commit":"d1a4c1e","kafka_cluster_id":"Xk2-cluster"}"#)
        #expect(
            try await client.serverInfo()
                == KafkaConnectServerInfo(version: "4.2.0", commit: "d1a4c1e", kafkaClusterID: "Xk2-cluster"))
    }

    @Test("a ConnectorInfo gives the config, the task numbers and the type")
    func connectorInfo() async throws {
        let info = try #require(try await answering(200, Fixture.connectorInfo).connector(name))
        #expect(info.name == "trading.cdc")
        #expect(info.tasks == [0, 1])
        #expect(info.type == .source)
        #expect(info.config["connector.class"] == "io.debezium.connector.postgresql.PostgresConnector")
        #expect(info.config.count == 4)
    }

    @Test("a ConnectorInfo of a just-created connector may have no tasks and no type")
    func connectorInfoMinimal() async throws {
        let info = try await answering(201, #"{"name":"c","config":{"tasks.max":"1"},"tasks":[]}"#)
            .createConnector("c", config: ["tasks.max": "1"], initialState: nil)
        #expect(info == KafkaConnectorInfo(name: "c", config: ["tasks.max": "1"], tasks: [], type: nil))
    }

    @Test("PUT config tells created (201) from updated (200)")
    func putCreatedOrUpdated() async throws {
        let connect = ScriptedConnect()
        await connect.on(
            "PUT /connectors/trading.cdc/config", response(201, Fixture.connectorInfo),
            response(200, Fixture.connectorInfo))
        let first = try await connect.client.putConnectorConfig(name, config: ["tasks.max": "2"])
        let second = try await connect.client.putConnectorConfig(name, config: ["tasks.max": "2"])
        #expect(first.created)
        #expect(!second.created)
        #expect(first.info == second.info)
        #expect(first.info.tasks == [0, 1])
    }

    @Test("a configuration is read as a flat map")
    func config() async throws {
        let config = try await answering(200, #"{"connector.class":"X","tasks.max":"3","topics":"a,b"}"#)
            .connectorConfig(name)
        #expect(config == ["connector.class": "X", "tasks.max": "3", "topics": "a,b"])
    }

    @Test("a number or boolean in a configuration is kept as its text, a null as no key")
    func looseConfig() async throws {
        let config = try await answering(200, #"{"tasks.max":3,"errors.tolerance.all":true,"gone":null}"#)
            .connectorConfig(name)
        #expect(config == ["tasks.max": "3", "errors.tolerance.all": "true"])
    }

    @Test("a status shows each task, with the stack trace of the failed one")
    func statusWithTrace() async throws {
        let status = try #require(try await answering(200, Fixture.stateWithFailedTask).connectorStatus(name))
        #expect(status.name == "trading.cdc")
        #expect(status.type == .source)
        #expect(status.connector == KafkaConnectorInstanceState(state: .running, workerID: "10.0.0.5:8083"))
        #expect(status.tasks.map(\.id) == [0, 1])
        #expect(status.tasks.map(\.state) == [.running, .failed])
        #expect(status.tasks[1].workerID == "10.0.0.6:8083")
        let trace = try #require(status.tasks[1].trace)
        #expect(trace.hasPrefix("org.apache.kafka.connect.errors.ConnectException: replication slot is active\n\tat"))
        #expect(status.tasks[0].trace == nil)
    }

    @Test("an unassigned connector without tasks yet, and unknown states, are kept")
    func statusEarlyAndUnknown() async throws {
        let early = try #require(
            try await answering(
                200, #"{"name":"c","connector":{"state":"UNASSIGNED","worker_id":"w:8083"},"tasks":[],"type":"sink"}"#
            )
            .connectorStatus("c"))
        #expect(early.connector.state == .unassigned)
        #expect(early.tasks.isEmpty)
        let unknown = try #require(
            try await answering(
                200,
                #"{"name":"c","connector":{"state":"DEGRADED","worker_id":"w","version":"3.1.0"},"tasks":[{"id":0,"state":"STOPPED","worker_id":"w","version":"3.1.0"}]}"#
            ).connectorStatus("c"))
        #expect(unknown.connector.state.rawValue == "DEGRADED")
        #expect(unknown.connector.version == "3.1.0")
        #expect(unknown.tasks.first?.version == "3.1.0")
        #expect(unknown.type == nil)
    }

    @Test("a task status is read")
    func taskStatus() async throws {
        let state = try await answering(200, #"{"id":1,"state":"FAILED","worker_id":"w:8083","trace":"boom"}"#)
            .taskStatus(name, task: 1)
        #expect(state == KafkaTaskState(id: 1, state: .failed, workerID: "w:8083", trace: "boom"))
    }

    @Test("tasks give their ids and configurations")
    func tasks() async throws {
        let tasks = try await answering(
            200,
            #"[{"id":{"connector":"trading.cdc","task":0},"config":{"task.class":"io.debezium.connector.postgresql.PostgresConnectorTask"}}]"#
        ).tasks(name)
        #expect(
            tasks == [
                KafkaTaskInfo(
                    connector: "trading.cdc", task: 0,
                    config: ["task.class": "io.debezium.connector.postgresql.PostgresConnectorTask"])
            ])
    }

    @Test("expand=status&expand=info gives each connector's definition and state")
    func expanded() async throws {
        let all = try await answering(200, Fixture.expanded).listConnectorsExpanded()
        #expect(Set(all.keys) == ["trading.cdc", "lake sink"])
        let source = try #require(all["trading.cdc"])
        #expect(source.info?.tasks == [0])
        #expect(source.info?.config["connector.class"] == "PostgresConnector")
        #expect(source.status?.connector.state == .running)
        #expect(source.status?.tasks.map(\.state) == [.running])
        let sink = try #require(all["lake sink"])
        #expect(sink.info?.type == .sink)
        #expect(sink.status?.connector.state == .paused)
        #expect(sink.status?.tasks == [])
    }

    @Test("expand with only status leaves info nil")
    func expandedStatusOnly() async throws {
        let all = try await answering(
            200, #"{"c":{"status":{"name":"c","connector":{"state":"STOPPED","worker_id":"w"},"tasks":[]}}}"#
        ).listConnectorsExpanded()
        #expect(all["c"]?.info == nil)
        #expect(all["c"]?.status?.connector.state == .stopped)
    }

    @Test("a plain restart (204, or 200 from old workers) returns nil; with flags (202) the plan")
    func restart() async throws {
        #expect(try await answering(204).restartConnector(name, includeTasks: false, onlyFailed: false) == nil)
        #expect(try await answering(200).restartConnector(name, includeTasks: false, onlyFailed: false) == nil)
        let plan = try #require(
            try await answering(202, Fixture.restartPlan).restartConnector(name, includeTasks: true, onlyFailed: true))
        #expect(plan.tasks.map(\.state) == [.running, .restarting])
    }

    @Test("pause and resume accept 202, stop and delete 204")
    func noBodySuccesses() async throws {
        try await answering(202).pauseConnector(name)
        try await answering(202).resumeConnector(name)
        try await answering(204).stopConnector(name)
        try await answering(204).restartTask(name, task: 0)
        #expect(try await answering(204).deleteConnector(name))
    }

    @Test("a validation with errors is a 200 with per-key errors, in Connect's order")
    func validationErrors() async throws {
        let validation = try await answering(200, Fixture.validationWithErrors)
            .validateConfig(plugin: "PostgresConnector", config: ["connector.class": "PostgresConnector"])
        #expect(validation.name == "io.debezium.connector.postgresql.PostgresConnector")
        #expect(validation.errorCount == 2)
        #expect(validation.groups == ["Common", "Postgres"])
        #expect(validation.configs.map(\.name) == ["connector.class", "database.hostname", "plugin.name"])
        #expect(validation.errors.map(\.key) == ["database.hostname", "plugin.name"])
        #expect(
            validation.errors.first?.messages
                == [#"Missing required configuration "database.hostname" which has no default value."#])
        let hostname = validation.configs[1]
        #expect(hostname.value == nil)
        #expect(hostname.required == true)
        #expect(hostname.documentation == "Resolvable hostname or IP address of the database server.")
        let plugin = validation.configs[2]
        #expect(plugin.value == "wal2json")
        #expect(plugin.recommendedValues == ["decoderbufs", "pgoutput"])
        #expect(plugin.required == false)
        #expect(plugin.visible)
    }

    @Test("a valid configuration has no errors")
    func validationClean() async throws {
        let validation = try await answering(
            200,
            #"{"name":"X","error_count":0,"groups":[],"configs":[{"definition":{"name":"a"},"value":{"name":"a","value":"1","recommended_values":[],"errors":[],"visible":false}}]}"#
        ).validateConfig(plugin: "X", config: ["a": "1"])
        #expect(validation.errorCount == 0)
        #expect(validation.errors.isEmpty)
        #expect(validation.configs == [KafkaConfigValue(name: "a", value: "1", visible: false)])
    }

    @Test("offsets keep their partition and offset maps as JSON, integers exact")
    func offsets() async throws {
        let offsets = try await answering(200, Fixture.sourceOffsets).offsets(name)
        #expect(offsets.count == 1)
        #expect(offsets[0].partitionJSON == #"{"server":"trading"}"#)
        #expect(
            offsets[0].offsetJSON == #"{"lsn":9007199254740993,"snapshot":false,"ts_usec":1732950000123456,"txId":771}"#
        )
    }

    @Test("sink offsets and a partition without an offset are read")
    func sinkOffsets() async throws {
        let offsets = try await answering(
            200,
            #"{"offsets":[{"partition":{"kafka_topic":"trading.orders","kafka_partition":0},"offset":{"kafka_offset":42}},{"partition":{"kafka_topic":"trading.orders","kafka_partition":1},"offset":null}]}"#
        ).offsets("lake sink")
        #expect(
            offsets == [
                KafkaConnectorOffset(
                    partitionJSON: #"{"kafka_partition":0,"kafka_topic":"trading.orders"}"#,
                    offsetJSON: #"{"kafka_offset":42}"#),
                KafkaConnectorOffset(
                    partitionJSON: #"{"kafka_partition":1,"kafka_topic":"trading.orders"}"#, offsetJSON: nil),
            ])
    }

    @Test("altering and resetting offsets return Connect's message")
    func offsetMessages() async throws {
        let message = "The offsets for this connector have been reset successfully"
        #expect(try await answering(200, #"{"message":"\#(message)"}"#).resetOffsets(name) == message)
        #expect(
            try await answering(200, #"{"message":"altered"}"#)
                .alterOffsets(name, offsets: [.init(partitionJSON: "{}", offsetJSON: nil)]) == "altered")
    }

    @Test("topics are read from the entry named after the connector")
    func topics() async throws {
        #expect(
            try await answering(200, #"{"trading.cdc":{"topics":["trading.orders","trading.trades"]}}"#).topics(name)
                == ["trading.orders", "trading.trades"])
        #expect(try await answering(200, "{}").topics(name) == [])
    }

    @Test("plugins give class, type and version; unknown types are kept")
    func plugins() async throws {
        let plugins = try await answering(
            200,
            #"[{"class":"io.debezium.connector.postgresql.PostgresConnector","type":"source","version":"3.0.0.Final"},{"class":"org.apache.kafka.connect.transforms.Cast$Key","type":"transformation","version":"4.2.0"}]"#
        ).connectorPlugins(connectorsOnly: false)
        #expect(
            plugins.map(\.className) == [
                "io.debezium.connector.postgresql.PostgresConnector", "org.apache.kafka.connect.transforms.Cast$Key",
            ])
        #expect(plugins.map(\.type) == [.source, KafkaConnectorType(rawValue: "transformation")])
        #expect(plugins.first?.version == "3.0.0.Final")
    }

    @Test("lists of names are read")
    func names() async throws {
        #expect(
            try await answering(200, #"["trading.cdc","lake sink"]"#).listConnectors() == ["trading.cdc", "lake sink"])
    }

    @Test("404 on the lookups is nil, and deleting a missing connector is false")
    func absent() async throws {
        let missing = answering(404, errorBody(404, "Connector trading.cdc not found"))
        #expect(try await missing.connector(name) == nil)
        #expect(try await missing.connectorConfig(name) == nil)
        #expect(try await missing.connectorStatus(name) == nil)
        #expect(try await missing.deleteConnector(name) == false)
        let error = await connectError { _ = try await missing.taskStatus(name, task: 0) }
        #expect(error?.kind == .notFound)
        #expect(error?.message == "Connector trading.cdc not found")
    }

    @Test("a 2xx body that is not what the spec says is invalidResponse, without quoting the body")
    func invalidBodies() async throws {
        let secret = "p4ssw0rd-in-config"
        let cases: [(String, @Sendable (HTTPKafkaConnectClient) async throws -> Void)] = [
            (#"{"database.password":["\#(secret)"]}"#, { _ = try await $0.connectorConfig("c") }),
            (
                #"{"name":"c","config":{"database.password":"\#(secret)"},"tasks":"\#(secret)"}"#,
                { _ = try await $0.connector("c") }
            ),
            ("<html>\(secret)</html>", { _ = try await $0.connectorStatus("c") }),
            (#"{"version":null}"#, { _ = try await $0.serverInfo() }),
            (#"{"offsets":[{"partition":"\#(secret)"}]}"#, { _ = try await $0.offsets("c") }),
            ("not json", { _ = try await $0.restartConnector("c", includeTasks: true, onlyFailed: true) }),
        ]
        for (body, call) in cases {
            let error = await connectError { try await call(answering(200, body)) }
            #expect(error?.kind == .invalidResponse, "\(body)")
            #expect(error?.status == 200)
            #expect(error?.isRetryable == false)
            #expect(error?.message.contains(secret) == false)
            #expect(error.map { "\($0)" }?.contains(secret) == false)
        }
    }
}
