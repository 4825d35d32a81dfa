import Foundation
import IntegrationSupport
import KafkaConnect
import Simulators
import TestSupport
import Testing

/// The client against the Kafka Connect simulator over real HTTP on an
/// ephemeral loopback port. The two were written apart from the same spec and
/// notes and share no types, so a misreading on one side shows up here.
@Suite("HTTPKafkaConnectClient against the Kafka Connect simulator over HTTP")
struct KafkaConnectClientSimulatorTests {
    /// A running simulator and a client for it.
    struct Fixture {
        let connect: KafkaConnectSimulator
        let client: HTTPKafkaConnectClient

        /// Runs `body` with a fresh simulator and client, and stops the simulator afterwards.
        static func with(
            _ configuration: KafkaConnectSimulator.Configuration = .init(), auth: BackendAuth = .none,
            _ body: (Fixture) async throws -> Void
        ) async throws {
            let connect = KafkaConnectSimulator(configuration: configuration)
            let url = try await connect.start()
            let fixture = Fixture(
                connect: connect, client: HTTPKafkaConnectClient(baseURL: url, auth: auth, timeout: .seconds(10)))
            do {
                try await body(fixture)
            } catch {
                await connect.stop()
                throw error
            }
            await connect.stop()
        }
    }

    /// A Debezium PostgreSQL source; the password stays a config provider placeholder.
    static let source: [String: String] = [
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "tasks.max": "1",
        "database.hostname": "pg.trading.svc",
        "database.port": "5432",
        "database.user": "debezium",
        "database.password": "${file:/opt/kafka/secrets/pg.properties:password}",
        "database.dbname": "trading",
        "topic.prefix": "trading",
        "plugin.name": "pgoutput",
    ]

    /// A ClickHouse sink with two tasks.
    static let sink: [String: String] = [
        "connector.class": "com.clickhouse.kafka.connect.ClickHouseSinkConnector",
        "tasks.max": "2",
        "topics": "trading.public.orders",
        "hostname": "clickhouse.lake.svc",
        "database": "lake",
    ]

    @Test("the worker reports its version, commit and cluster id")
    func serverInfo() async throws {
        try await Fixture.with(.init(version: "4.2.0", commit: "c0ffee", kafkaClusterID: "cluster-1")) { f in
            let info = try await f.client.serverInfo()
            #expect(info == KafkaConnectServerInfo(version: "4.2.0", commit: "c0ffee", kafkaClusterID: "cluster-1"))
        }
    }

    @Test("a connector is created once, read back every way, and a second create is alreadyExists")
    func createAndRead() async throws {
        try await Fixture.with { f in
            let name = "trading.cdc"
            let created = try await f.client.createConnector(name, config: Self.source, initialState: nil)
            #expect(created.name == name)
            #expect(created.type == .source)
            #expect(created.config["database.password"] == Self.source["database.password"])
            #expect(f.connect.config(of: name)?["database.hostname"] == "pg.trading.svc")

            #expect(try await f.client.listConnectors() == [name])
            let info = try #require(try await f.client.connector(name))
            #expect(info.tasks == [0])
            let config = try #require(try await f.client.connectorConfig(name))
            #expect(config["topic.prefix"] == "trading")
            #expect(config["database.password"] == "${file:/opt/kafka/secrets/pg.properties:password}")

            let status = try #require(try await f.client.connectorStatus(name))
            #expect(status.connector.state == .running)
            #expect(status.tasks.map(\.state) == [.running])
            #expect(status.type == .source)
            #expect(try await f.client.taskStatus(name, task: 0).state == .running)
            let tasks = try await f.client.tasks(name)
            #expect(tasks.map(\.task) == [0])
            #expect(tasks.first?.connector == name)

            let again = try #require(
                await connectError {
                    _ = try await f.client.createConnector(name, config: Self.source, initialState: nil)
                })
            #expect(again.kind == .alreadyExists)
            #expect(again.status == 409)
            #expect(!again.isRetryable)
            #expect(again.message.contains(name))
        }
    }

    @Test("a connector created STOPPED shows STOPPED without tasks")
    func createStopped() async throws {
        try await Fixture.with { f in
            _ = try await f.client.createConnector("lake.sink", config: Self.sink, initialState: .stopped)
            let status = try #require(try await f.client.connectorStatus("lake.sink"))
            #expect(status.connector.state == .stopped)
            #expect(status.tasks.isEmpty)
            #expect(f.connect.status(of: "lake.sink")?.target == .stopped)
        }
    }

    @Test("PUT config answers created (201) first, updated (200) after, and the change shows")
    func putCreatesThenUpdates() async throws {
        try await Fixture.with { f in
            let first = try await f.client.putConnectorConfig("lake.sink", config: Self.sink)
            #expect(first.created)
            #expect(first.info.tasks == [0, 1])
            var changed = Self.sink
            changed["tasks.max"] = "3"
            let second = try await f.client.putConnectorConfig("lake.sink", config: changed)
            #expect(!second.created)
            #expect(second.info.config["tasks.max"] == "3")
            #expect(try await f.client.connectorConfig("lake.sink")?["tasks.max"] == "3")
            #expect(f.connect.configWriteCount(of: "lake.sink") == 2)
        }
    }

    @Test("an invalid configuration is refused with Connect's message verbatim")
    func invalidPut() async throws {
        try await Fixture.with { f in
            var config = Self.source
            config["database.hostname"] = nil
            let error = try #require(
                await connectError { _ = try await f.client.putConnectorConfig("trading.cdc", config: config) })
            #expect(error.kind == .badRequest)
            #expect(error.message.contains("database.hostname"))
            #expect(error.message.hasPrefix("Connector configuration is invalid"))
            #expect(f.connect.connectorNames().isEmpty)
        }
    }

    @Test("pause, resume and stop move the connector between PAUSED, RUNNING and STOPPED")
    func lifecycle() async throws {
        try await Fixture.with { f in
            let name = "lake.sink"
            _ = try await f.client.putConnectorConfig(name, config: Self.sink)
            try await f.client.pauseConnector(name)
            var status = try #require(try await f.client.connectorStatus(name))
            #expect(status.connector.state == .paused)
            #expect(status.tasks.map(\.state) == [.paused, .paused])

            try await f.client.resumeConnector(name)
            status = try #require(try await f.client.connectorStatus(name))
            #expect(status.connector.state == .running)
            #expect(status.tasks.map(\.state) == [.running, .running])

            try await f.client.stopConnector(name)
            status = try #require(try await f.client.connectorStatus(name))
            #expect(status.connector.state == .stopped)
            #expect(status.tasks.isEmpty)
            #expect(f.connect.status(of: name)?.target == .stopped)

            try await f.client.resumeConnector(name)
            #expect(try await f.client.connectorStatus(name)?.connector.state == .running)
        }
    }

    @Test("a failed task is shown with its trace and restarted by each kind of restart")
    func restarts() async throws {
        try await Fixture.with { f in
            let name = "lake.sink"
            _ = try await f.client.putConnectorConfig(name, config: Self.sink)
            try f.connect.failTask(connector: name, task: 1, trace: KafkaConnectSimulator.javaTrace("sink down"))

            let failed = try #require(try await f.client.connectorStatus(name))
            #expect(failed.connector.state == .running)
            #expect(failed.tasks.map(\.state) == [.running, .failed])
            #expect(failed.tasks[1].trace?.contains("ConnectException: sink down") == true)
            let failedTask = try await f.client.taskStatus(name, task: 1)
            #expect(failedTask.state == .failed)
            #expect(failedTask.trace?.contains("sink down") == true)

            // A plain restart restarts the connector instance only: 204, no plan.
            #expect(try await f.client.restartConnector(name, includeTasks: false, onlyFailed: false) == nil)
            #expect(try await f.client.connectorStatus(name)?.tasks[1].state == .failed)

            // Failed tasks only: 202 with the plan.
            let plan = try #require(try await f.client.restartConnector(name, includeTasks: true, onlyFailed: true))
            #expect(plan.name == name)
            #expect(plan.tasks.first { $0.id == 1 }?.state == .restarting)
            #expect(plan.tasks.first { $0.id == 0 }?.state == .running)
            #expect(try await f.client.connectorStatus(name)?.tasks.map(\.state) == [.running, .running])

            try f.connect.failTask(connector: name, task: 0)
            try await f.client.restartTask(name, task: 0)
            #expect(try await f.client.taskStatus(name, task: 0).state == .running)
            #expect(f.connect.restartCount(of: name) == 3)
        }
    }

    @Test("validation answers 200 with per-key errors, and none for a good configuration")
    func validate() async throws {
        try await Fixture.with { f in
            var bad = Self.source
            bad["database.hostname"] = nil
            bad["plugin.name"] = "wal2json"
            let invalid = try await f.client.validateConfig(plugin: "PostgresConnector", config: bad)
            #expect(invalid.name == "io.debezium.connector.postgresql.PostgresConnector")
            #expect(invalid.errorCount >= 2)
            let keys = invalid.errors.map(\.key)
            #expect(keys.contains("database.hostname"))
            #expect(keys.contains("plugin.name"))
            #expect(invalid.configs.first { $0.name == "plugin.name" }?.recommendedValues.contains("pgoutput") == true)
            #expect(invalid.configs.first { $0.name == "database.hostname" }?.required == true)
            #expect(!invalid.groups.isEmpty)

            var good = Self.source
            good["name"] = "trading.cdc"
            let valid = try await f.client.validateConfig(
                plugin: "io.debezium.connector.postgresql.PostgresConnector", config: good)
            #expect(valid.errorCount == 0)
            #expect(valid.errors.isEmpty)
            #expect(f.connect.connectorNames().isEmpty, "validation creates nothing")
        }
    }

    @Test("offsets are read any time but changed only while STOPPED")
    func offsets() async throws {
        try await Fixture.with { f in
            let name = "trading.cdc"
            _ = try await f.client.putConnectorConfig(name, config: Self.source)
            try f.connect.setOffsets(
                [.init(partition: ["server": .string("trading")], offset: ["lsn": .int(9_007_199_254_740_993)])],
                of: name)
            let read = try await f.client.offsets(name)
            #expect(
                read == [
                    KafkaConnectorOffset(
                        partitionJSON: #"{"server":"trading"}"#, offsetJSON: #"{"lsn":9007199254740993}"#)
                ])

            let change = [
                KafkaConnectorOffset(partitionJSON: #"{"server":"trading"}"#, offsetJSON: #"{"lsn":24023128}"#)
            ]
            let running = try #require(
                await connectError { _ = try await f.client.alterOffsets(name, offsets: change) })
            #expect(running.kind == .badRequest)
            #expect(running.message.contains("STOPPED"))
            let resetRunning = try #require(await connectError { _ = try await f.client.resetOffsets(name) })
            #expect(resetRunning.kind == .badRequest)

            try await f.client.stopConnector(name)
            let altered = try await f.client.alterOffsets(name, offsets: change)
            #expect(altered.contains("altered successfully"))
            #expect(
                f.connect.offsets(of: name) == [
                    .init(partition: ["server": .string("trading")], offset: ["lsn": .int(24_023_128)])
                ])
            #expect(try await f.client.offsets(name).first?.offsetJSON == #"{"lsn":24023128}"#)

            let reset = try await f.client.resetOffsets(name)
            #expect(reset.contains("reset successfully"))
            #expect(f.connect.offsets(of: name) == [])
            #expect(try await f.client.offsets(name).isEmpty)
        }
    }

    @Test("deleting answers 204 once, then the connector is absent everywhere")
    func delete() async throws {
        try await Fixture.with { f in
            let name = "trading.cdc"
            _ = try await f.client.putConnectorConfig(name, config: Self.source)
            #expect(try await f.client.deleteConnector(name))
            #expect(f.connect.connectorNames().isEmpty)
            #expect(try await f.client.deleteConnector(name) == false)
            #expect(try await f.client.connector(name) == nil)
            #expect(try await f.client.connectorConfig(name) == nil)
            #expect(try await f.client.connectorStatus(name) == nil)
            #expect(try await f.client.listConnectors().isEmpty)
            for call: @Sendable (HTTPKafkaConnectClient) async throws -> Void in [
                { _ = try await $0.taskStatus(name, task: 0) }, { _ = try await $0.tasks(name) },
                { try await $0.pauseConnector(name) }, { try await $0.resumeConnector(name) },
                { try await $0.stopConnector(name) }, { try await $0.restartTask(name, task: 0) },
                { _ = try await $0.restartConnector(name, includeTasks: true, onlyFailed: false) },
                { _ = try await $0.offsets(name) },
            ] {
                let error = try #require(await connectError { try await call(f.client) })
                #expect(error.kind == .notFound, "\(error)")
                #expect(error.status == 404)
            }
        }
    }

    @Test("expand=status&expand=info lists every connector's definition and state")
    func expanded() async throws {
        try await Fixture.with { f in
            _ = try await f.client.putConnectorConfig("trading.cdc", config: Self.source)
            _ = try await f.client.createConnector("lake.sink", config: Self.sink, initialState: .paused)
            let all = try await f.client.listConnectorsExpanded()
            #expect(Set(all.keys) == ["trading.cdc", "lake.sink"])
            #expect(all["trading.cdc"]?.info?.type == .source)
            #expect(all["trading.cdc"]?.status?.connector.state == .running)
            #expect(all["lake.sink"]?.info?.tasks == [0, 1])
            #expect(all["lake.sink"]?.status?.connector.state == .paused)
            #expect(all["lake.sink"]?.status?.tasks.map(\.state) == [.paused, .paused])
        }
    }

    @Test("a rebalance answers 409 to writes, which is retryable, even on create")
    func rebalance() async throws {
        try await Fixture.with { f in
            f.connect.beginRebalance(requests: 2)
            let put = try #require(
                await connectError { _ = try await f.client.putConnectorConfig("lake.sink", config: Self.sink) })
            #expect(put.kind == .rebalancing)
            #expect(put.isRetryable)
            let create = try #require(
                await connectError {
                    _ = try await f.client.createConnector("lake.sink", config: Self.sink, initialState: nil)
                })
            #expect(create.kind == .rebalancing, "a rebalance on create is not alreadyExists")
            #expect(create.isRetryable)
            #expect(f.connect.pendingRebalanceRequests == 0)
            #expect(try await f.client.putConnectorConfig("lake.sink", config: Self.sink).created)
        }
    }

    @Test("Connect's 500 Request timed out is a retryable server error")
    func requestTimedOut() async throws {
        try await Fixture.with { f in
            f.connect.faults.failNext(
                1, with: .kafkaConnectRequestTimeout, operation: KafkaConnectSimulator.Operation.putConnectorConfig)
            let error = try #require(
                await connectError { _ = try await f.client.putConnectorConfig("lake.sink", config: Self.sink) })
            #expect(error.kind == .serverError)
            #expect(error.message == "Request timed out")
            #expect(error.isRetryable)
            #expect(try await f.client.putConnectorConfig("lake.sink", config: Self.sink).created)
        }
    }

    @Test("topics are listed, and 403 when the worker does not track them")
    func topics() async throws {
        try await Fixture.with { f in
            _ = try await f.client.putConnectorConfig("lake.sink", config: Self.sink)
            #expect(try await f.client.topics("lake.sink") == f.connect.activeTopics(of: "lake.sink"))
        }
        try await Fixture.with(.init(topicTracking: false)) { f in
            _ = try await f.client.putConnectorConfig("lake.sink", config: Self.sink)
            let error = try #require(await connectError { _ = try await f.client.topics("lake.sink") })
            #expect(error.kind == .forbidden)
            #expect(!error.isRetryable)
        }
    }

    @Test("plugins are listed with their class, type and version")
    func plugins() async throws {
        try await Fixture.with { f in
            let plugins = try await f.client.connectorPlugins(connectorsOnly: true)
            let postgres = try #require(
                plugins.first { $0.className == "io.debezium.connector.postgresql.PostgresConnector" })
            #expect(postgres.type == .source)
            #expect(postgres.version == KafkaConnectSimulator.Plugin.debeziumPostgres.version)
            #expect(
                plugins.contains {
                    $0.className == "com.clickhouse.kafka.connect.ClickHouseSinkConnector" && $0.type == .sink
                })
        }
    }

    @Test("names with spaces and non-ASCII letters round-trip through paths")
    func oddNames() async throws {
        try await Fixture.with { f in
            for name in ["lake sink", "zürich.orders", "a+b&c=d?e"] {
                let put = try await f.client.putConnectorConfig(name, config: Self.sink)
                #expect(put.created)
                #expect(put.info.name == name)
                let status = try await f.client.connectorStatus(name)
                #expect(status?.name == name)
                let info = try await f.client.connector(name)
                #expect(info?.name == name)
                let deleted = try await f.client.deleteConnector(name)
                #expect(deleted)
            }
            #expect(f.connect.connectorNames().isEmpty)
        }
    }

    @Test("a worker with basic auth refuses a client without it, and accepts one with it")
    func basicAuth() async throws {
        let configuration = KafkaConnectSimulator.Configuration(
            credentials: .init(username: "connect-admin", password: "pa55word"))
        try await Fixture.with(configuration) { f in
            let error = try #require(await connectError { _ = try await f.client.listConnectors() })
            #expect(error.kind == .unauthorized)
            #expect(!error.isRetryable)
        }
        try await Fixture.with(configuration, auth: .basic(username: "connect-admin", password: "pa55word")) { f in
            let names = try await f.client.listConnectors()
            #expect(names.isEmpty)
        }
    }

    @Test("a stopped simulator is a retryable connection error, and the client recovers when it is back")
    func downAndBack() async throws {
        try await Fixture.with { f in
            // AsyncHTTPClient retries refused connections until the deadline, so keep it short.
            let client = HTTPKafkaConnectClient(baseURL: try #require(f.connect.baseURL), timeout: .seconds(2))
            _ = try await f.client.putConnectorConfig("lake.sink", config: Self.sink)
            await f.connect.stop()
            let error = try #require(await connectError { _ = try await client.listConnectors() })
            #expect(error.kind == .connection || error.kind == .timeout)
            #expect(error.isRetryable)
            _ = try await f.connect.start()
            // Back on the same port; a loaded machine may need more than one 2 s attempt.
            let names = Locked<[String]>([])
            #expect(await eventually(timeout: .seconds(30)) {
                guard let listed = try? await client.listConnectors() else { return false }
                names.withLock { $0 = listed }
                return true
            })
            #expect(names.value == ["lake.sink"])
        }
    }
}
