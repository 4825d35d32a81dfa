import Foundation
import Simulators
import Testing

@Suite("Kafka Connect simulator: connector lifecycle")
struct KafkaConnectLifecycleTests {
    @Test("POST /connectors answers 201 with a Location and the raw config; the same name again is 409")
    func create() async throws {
        try await withKafkaConnect { connect, client in
            let created = try await client.post(
                "/connectors", .json(["name": "orders-pg", "config": ConnectFixture.postgres]))
            #expect(created.status == 201)
            let location = try #require(created.header("Location"))
            #expect(location.hasPrefix("http://127.0.0.1:") && location.hasSuffix("/connectors/orders-pg"))
            let body = try created.json()
            #expect(body["name"]?.string == "orders-pg")
            #expect(body["type"]?.string == "source")
            #expect(body["config"]?["name"]?.string == "orders-pg")
            #expect(body["config"]?["database.password"]?.string == "${file:/secrets/pg.properties:password}")
            #expect(body["tasks"] == .array([.object(["connector": .string("orders-pg"), "task": .int(0)])]))

            let again = try await client.post(
                "/connectors", .json(["name": "orders-pg", "config": ConnectFixture.postgres]))
            #expect(again.status == 409)
            #expect(again.errorCode == 409)
            #expect(again.message == "Connector orders-pg already exists")
            #expect(connect.configWriteCount(of: "orders-pg") == 1)
            #expect(connect.status(of: "orders-pg")?.state == .running)
        }
    }

    @Test("PUT config creates with 201, updates with 200, and GET returns exactly what was written")
    func putCreatesThenUpdates() async throws {
        try await withKafkaConnect { connect, client in
            let first = try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres))
            #expect(first.status == 201)
            #expect(first.header("Location")?.hasSuffix("/connectors/orders-pg") == true)

            let changed = ConnectFixture.with(ConnectFixture.postgres, ["snapshot.mode": "no_data"])
            let second = try await client.put("/connectors/orders-pg/config", .json(changed))
            #expect(second.status == 200)
            #expect(second.header("Location") == nil)

            var expected = changed
            expected["name"] = "orders-pg"
            let config = try await client.get("/connectors/orders-pg/config").json()
            #expect(config == .object(expected.mapValues { .string($0) }))
            #expect(connect.config(of: "orders-pg") == expected)
            let info = try await client.get("/connectors/orders-pg").json()
            #expect(info["name"]?.string == "orders-pg")
            #expect(info["config"]?["snapshot.mode"]?.string == "no_data")
            #expect(connect.configWriteCount(of: "orders-pg") == 2)
        }
    }

    @Test("a config whose name differs from the URL is refused with 400 and nothing is created")
    func nameMismatch() async throws {
        try await withKafkaConnect { connect, client in
            let config = ConnectFixture.with(ConnectFixture.postgres, ["name": "other"])
            let response = try await client.put("/connectors/orders-pg/config", .json(config))
            #expect(response.status == 400)
            #expect(
                response.message
                    == "Connector name configuration (other) doesn't match connector name in the URL (orders-pg)")
            #expect(connect.connectorNames().isEmpty)
        }
    }

    @Test("PATCH merges keys, a null removes one, and an unknown connector is 404")
    func patch() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand(
                "orders-pg", config: ConnectFixture.with(ConnectFixture.postgres, ["heartbeat.interval.ms": "10000"]))
            let response = try await client.send(
                "PATCH", "/connectors/orders-pg/config",
                body: .json(["snapshot.mode": "when_needed", "heartbeat.interval.ms": NSNull()]))
            #expect(response.status == 200)
            let config = try #require(connect.config(of: "orders-pg"))
            #expect(config["snapshot.mode"] == "when_needed")
            #expect(config["heartbeat.interval.ms"] == nil)
            #expect(config["database.hostname"] == "pg")
            #expect(connect.configWriteCount(of: "orders-pg") == 1)

            let missing = try await client.send("PATCH", "/connectors/nope/config", body: .json(["a": "b"]))
            #expect(missing.status == 404)
            #expect(missing.message == "Connector nope not found")
        }
    }

    @Test("DELETE answers 204 and the connector is gone; a second DELETE is 404")
    func delete() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            #expect(try await client.delete("/connectors/orders-pg").status == 204)
            #expect(connect.connectorNames().isEmpty)
            let get = try await client.get("/connectors/orders-pg")
            #expect(get.status == 404)
            #expect(get.message == "Connector orders-pg not found")
            let again = try await client.delete("/connectors/orders-pg")
            #expect(again.status == 404)
            #expect(again.errorCode == 404)
        }
    }

    @Test("a PUT that changes nothing still counts as a write and restarts every task, as real Connect does")
    func noOpPutRestartsTasks() async throws {
        try await withKafkaConnect { connect, client in
            #expect(try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres)).status == 201)
            try connect.failTask(connector: "orders-pg", task: 0)
            #expect(connect.status(of: "orders-pg")?.taskStates == [.failed])

            #expect(try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres)).status == 200)
            #expect(connect.configWriteCount(of: "orders-pg") == 2)
            #expect(connect.taskRestartsFromConfigWrites(of: "orders-pg") == 1)
            // The write restarted the failed task: the side effect an idempotent operator must avoid.
            #expect(connect.status(of: "orders-pg")?.taskStates == [.running])
            #expect(connect.restartCount(of: "orders-pg") == 0)
        }
    }

    @Test("Debezium sources run one task whatever tasks.max says; sinks run tasks.max tasks, workers round robin")
    func taskCounts() async throws {
        let workers = ["10.0.0.5:8083", "10.0.0.6:8083", "10.0.0.7:8083"]
        try await withKafkaConnect(configuration: .init(workerIDs: workers)) { connect, client in
            let source = ConnectFixture.with(ConnectFixture.postgres, ["tasks.max": "4"])
            #expect(try await client.put("/connectors/orders-pg/config", .json(source)).status == 201)
            let sink = ConnectFixture.with(ConnectFixture.iceberg, ["tasks.max": "3"])
            #expect(try await client.put("/connectors/orders-iceberg/config", .json(sink)).status == 201)

            let pg = try await client.get("/connectors/orders-pg/status").json()
            #expect(pg["tasks"]?.array?.count == 1)
            let iceberg = try #require(connect.status(of: "orders-iceberg"))
            #expect(iceberg.taskStates == [.running, .running, .running])
            #expect(iceberg.type == .sink)
            // Connector then task of orders-pg took workers 0 and 1; orders-iceberg continues the rotation.
            #expect(connect.status(of: "orders-pg")?.workerID == workers[0])
            #expect(connect.status(of: "orders-pg")?.tasks.first?.workerID == workers[1])
            #expect(iceberg.workerID == workers[2])
            #expect(iceberg.tasks.map(\.workerID) == [workers[0], workers[1], workers[2]])
        }
    }

    @Test("initial_state PAUSED creates paused tasks; STOPPED creates no tasks")
    func initialState() async throws {
        try await withKafkaConnect { connect, client in
            let paused = try await client.post(
                "/connectors", .json(["name": "p", "config": ConnectFixture.postgres, "initial_state": "PAUSED"]))
            #expect(paused.status == 201)
            #expect(connect.status(of: "p")?.state == .paused)
            #expect(connect.status(of: "p")?.taskStates == [.paused])

            let stopped = try await client.post(
                "/connectors", .json(["name": "s", "config": ConnectFixture.postgres, "initial_state": "STOPPED"]))
            #expect(stopped.status == 201)
            #expect(try stopped.json()["tasks"] == .array([]))
            #expect(connect.status(of: "s")?.state == .stopped)
            #expect(connect.status(of: "s")?.tasks.isEmpty == true)
        }
    }

    @Test("GET /connectors lists names; expand=status and expand=info, repeatable, add the details")
    func listAndExpand() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("b-sink", config: ConnectFixture.clickHouse)
            try connect.setConfigOutOfBand("a-source", config: ConnectFixture.postgres)
            #expect(try await client.get("/connectors").json() == .array([.string("a-source"), .string("b-sink")]))

            let statusOnly = try await client.get("/connectors", query: [("expand", "status")]).json()
            #expect(statusOnly["a-source"]?["status"]?["connector"]?["state"]?.string == "RUNNING")
            #expect(statusOnly["a-source"]?["info"] == nil)

            let both = try await client.get("/connectors", query: [("expand", "status"), ("expand", "info")]).json()
            #expect(both["b-sink"]?["info"]?["type"]?.string == "sink")
            #expect(both["b-sink"]?["status"]?["tasks"]?[0]?["state"]?.string == "RUNNING")
            #expect(both["a-source"]?["info"]?["config"]?["topic.prefix"]?.string == "shop")
        }
    }

    @Test("task configs carry the raw connector config and the task class")
    func taskConfigs() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            let tasks = try await client.get("/connectors/orders-pg/tasks").json()
            #expect(tasks[0]?["id"] == .object(["connector": .string("orders-pg"), "task": .int(0)]))
            #expect(
                tasks[0]?["config"]?["task.class"]?.string == "io.debezium.connector.postgresql.PostgresConnectorTask")
            #expect(tasks[0]?["config"]?["database.password"]?.string == "${file:/secrets/pg.properties:password}")
            #expect(try await client.get("/connectors/nope/tasks").status == 404)
        }
    }

    @Test("GET / describes the worker; /health follows setHealth with 200, 503 and 500")
    func serverInfoAndHealth() async throws {
        try await withKafkaConnect { connect, client in
            let info = try await client.get("/").json()
            #expect(info["version"]?.string == "4.2.0")
            #expect(info["kafka_cluster_id"]?.string?.isEmpty == false)

            let healthy = try await client.get("/health")
            #expect(healthy.status == 200)
            #expect(try healthy.json()["status"]?.string == "healthy")
            connect.setHealth(.starting)
            let starting = try await client.get("/health")
            #expect(starting.status == 503)
            #expect(try starting.json()["status"]?.string == "starting")
            connect.setHealth(.unhealthy)
            #expect(try await client.get("/health").status == 500)
        }
    }

    @Test("GET /connector-plugins lists the installed connectors; connectorsOnly=false adds other plugins")
    func plugins() async throws {
        try await withKafkaConnect { _, client in
            let connectors = try await client.get("/connector-plugins").json()
            let classes = Set(connectors.array?.compactMap { $0["class"]?.string } ?? [])
            #expect(
                classes == [
                    "io.debezium.connector.postgresql.PostgresConnector", "io.debezium.connector.mysql.MySqlConnector",
                    "org.apache.iceberg.connect.IcebergSinkConnector",
                    "io.tabular.iceberg.connect.IcebergSinkConnector",
                    "com.clickhouse.kafka.connect.ClickHouseSinkConnector",
                ])
            let all = try await client.get("/connector-plugins", query: [("connectorsOnly", "false")]).json()
            let types = Set(all.array?.compactMap { $0["type"]?.string } ?? [])
            #expect(types.isSuperset(of: ["source", "sink", "converter", "transformation"]))
        }
    }
}

// MARK: - Shared by the Kafka Connect tests

/// Runs `body` against a fresh Kafka Connect simulator on an ephemeral port, stopping it afterwards.
func withKafkaConnect(
    configuration: KafkaConnectSimulator.Configuration = .init(),
    _ body: (KafkaConnectSimulator, HTTPTestClient) async throws -> Void
) async throws {
    let connect = KafkaConnectSimulator(configuration: configuration)
    let url = try await connect.start()
    let credentials = configuration.credentials.map { ($0.username, $0.password) }
    do {
        try await body(connect, HTTPTestClient(baseURL: url, credentials: credentials))
    } catch {
        await connect.stop()
        throw error
    }
    await connect.stop()
}

/// Valid connector configs, one per plugin.
enum ConnectFixture {
    static let postgres: [String: String] = [
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "database.hostname": "pg", "database.port": "5432", "database.user": "dbz",
        "database.password": "${file:/secrets/pg.properties:password}", "database.dbname": "shop",
        "topic.prefix": "shop", "plugin.name": "pgoutput", "slot.name": "orders_pg",
        "publication.name": "orders_pub", "publication.autocreate.mode": "filtered",
        "table.include.list": "public.orders,public.order_lines", "snapshot.mode": "initial",
    ]

    static let mysql: [String: String] = [
        "connector.class": "io.debezium.connector.mysql.MySqlConnector",
        "database.hostname": "mysql", "database.port": "3306", "database.user": "dbz",
        "database.password": "${file:/secrets/mysql.properties:password}", "database.server.id": "184054",
        "topic.prefix": "shop", "database.include.list": "shop", "table.include.list": "shop.orders",
        "schema.history.internal.kafka.bootstrap.servers": "kafka:9092",
        "schema.history.internal.kafka.topic": "schema-history.shop", "snapshot.mode": "initial",
    ]

    static let iceberg: [String: String] = [
        "connector.class": "org.apache.iceberg.connect.IcebergSinkConnector",
        "topics": "shop.public.orders", "iceberg.catalog.type": "rest", "iceberg.catalog.uri": "http://catalog:8181",
        "iceberg.tables": "analytics.orders",
    ]

    static let clickHouse: [String: String] = [
        "connector.class": "com.clickhouse.kafka.connect.ClickHouseSinkConnector",
        "topics": "shop.public.orders", "hostname": "clickhouse", "database": "analytics",
        "password": "${file:/secrets/clickhouse.properties:password}",
    ]

    /// `base` with keys set, or removed where the change is `nil`.
    static func with(_ base: [String: String], _ changes: [String: String?]) -> [String: String] {
        var config = base
        for (key, value) in changes { config[key] = value }
        return config
    }
}

extension TestJSON {
    /// The errors a `ConfigInfos` body reports for one key.
    func configErrors(_ key: String) -> [String] {
        let entry = self["configs"]?.array?.first { $0["value"]?["name"]?.string == key }
        return entry?["value"]?["errors"]?.array?.compactMap(\.string) ?? []
    }

    /// The value a `ConfigInfos` body shows for one key.
    func configValue(_ key: String) -> TestJSON? {
        self["configs"]?.array?.first { $0["value"]?["name"]?.string == key }?["value"]?["value"]
    }
}
