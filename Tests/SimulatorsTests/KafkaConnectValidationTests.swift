import Foundation
import Simulators
import Testing

@Suite("Kafka Connect simulator: config validation per plugin")
struct KafkaConnectValidationTests {
    private let postgresValidate =
        "/connector-plugins/io.debezium.connector.postgresql.PostgresConnector/config/validate"

    @Test("validate answers 200 with each Postgres mistake on its key and counts them")
    func postgres() async throws {
        try await withKafkaConnect { _, client in
            let config = ConnectFixture.with(
                ConnectFixture.postgres,
                [
                    "name": "orders-pg", "database.hostname": nil, "snapshot.mode": "foo", "plugin.name": "wal2json",
                    "slot.name": "Bad-Slot", "topic.prefix": "shop/x", "table.exclude.list": "public.audit",
                    "database.port": "abc", "publication.autocreate.mode": "some", "database.sslmode": "on",
                ])
            let response = try await client.put(postgresValidate, .json(config))
            #expect(response.status == 200)
            let body = try response.json()
            #expect(body["name"]?.string == "io.debezium.connector.postgresql.PostgresConnector")
            #expect(body["error_count"]?.int == 9)
            #expect(
                body.configErrors("database.hostname")
                    == ["Missing required configuration \"database.hostname\" which has no default value."])
            #expect(
                body.configErrors("snapshot.mode").first?.hasPrefix(
                    "Invalid value foo for configuration snapshot.mode: ") == true)
            #expect(body.configErrors("snapshot.mode").first?.contains("no_data") == true)
            #expect(
                body.configErrors("plugin.name").first?.hasPrefix(
                    "Invalid value wal2json for configuration plugin.name") == true)
            #expect(body.configErrors("slot.name").first?.contains("lowercase characters and underscores") == true)
            #expect(
                body.configErrors("topic.prefix").first?.hasPrefix(
                    "Invalid value shop/x for configuration topic.prefix") == true)
            #expect(
                body.configErrors("table.exclude.list")
                    == [
                        "Invalid value public.audit for configuration table.exclude.list: "
                            + "\"table.include.list\" is already specified"
                    ])
            #expect(
                body.configErrors("database.port") == [
                    "Invalid value abc for configuration database.port: Not a number of type INT"
                ])
            #expect(body.configErrors("publication.autocreate.mode").count == 1)
            #expect(body.configErrors("database.sslmode").count == 1)
            #expect(body.configErrors("database.user").isEmpty)
        }
    }

    @Test("MySQL needs a numeric server id and the schema history settings, and its own enumerations")
    func mysql() async throws {
        try await withKafkaConnect { _, client in
            let config = ConnectFixture.with(
                ConnectFixture.mysql,
                [
                    "name": "orders-mysql", "database.server.id": "one", "schema.history.internal.kafka.topic": nil,
                    "database.ssl.mode": "prefer", "snapshot.mode": "recovery", "heartbeat.interval.ms": "soon",
                ])
            let body = try await client.put("/connector-plugins/MySqlConnector/config/validate", .json(config)).json()
            #expect(body["error_count"]?.int == 4)
            #expect(
                body.configErrors("database.server.id")
                    == ["Invalid value one for configuration database.server.id: Not a number of type LONG"])
            #expect(
                body.configErrors("schema.history.internal.kafka.topic")
                    == [
                        "Missing required configuration \"schema.history.internal.kafka.topic\" "
                            + "which has no default value."
                    ])
            #expect(body.configErrors("database.ssl.mode").count == 1)
            #expect(body.configErrors("snapshot.mode").isEmpty, "recovery is a MySQL snapshot mode")
            #expect(body.configErrors("heartbeat.interval.ms").count == 1)

            let postgresRecovery = ConnectFixture.with(
                ConnectFixture.postgres, ["name": "x", "snapshot.mode": "recovery"])
            let pg = try await client.put(postgresValidate, .json(postgresRecovery)).json()
            #expect(pg.configErrors("snapshot.mode").count == 1, "recovery is not a Postgres snapshot mode")
        }
    }

    @Test("sinks need topics or topics.regex, and not both")
    func sinkTopics() async throws {
        try await withKafkaConnect { _, client in
            let path = "/connector-plugins/ClickHouseSinkConnector/config/validate"
            let neither = ConnectFixture.with(ConnectFixture.clickHouse, ["name": "ch", "topics": nil])
            let none = try await client.put(path, .json(neither)).json()
            #expect(none["error_count"]?.int == 2)
            #expect(none.configErrors("topics") == ["Must configure one of topics or topics.regex"])
            #expect(none.configErrors("topics.regex") == ["Must configure one of topics or topics.regex"])

            let both = ConnectFixture.with(ConnectFixture.clickHouse, ["name": "ch", "topics.regex": "shop\\..*"])
            let twice = try await client.put(path, .json(both)).json()
            #expect(
                twice.configErrors("topics") == [
                    "topics and topics.regex are mutually exclusive options, but both are set."
                ])
            #expect(twice["error_count"]?.int == 2)
        }
    }

    @Test("the Iceberg sinks need a catalog and static or dynamic tables")
    func iceberg() async throws {
        try await withKafkaConnect { _, client in
            for plugin in [
                "org.apache.iceberg.connect.IcebergSinkConnector", "io.tabular.iceberg.connect.IcebergSinkConnector",
            ] {
                let path = "/connector-plugins/\(plugin)/config/validate"
                let bare = ConnectFixture.with(
                    ConnectFixture.iceberg,
                    ["name": "ice", "connector.class": plugin, "iceberg.catalog.type": nil, "iceberg.tables": nil])
                let body = try await client.put(path, .json(bare)).json()
                #expect(body["error_count"]?.int == 2, "\(plugin)")
                #expect(body.configErrors("iceberg.catalog.type").count == 1)
                #expect(body.configErrors("iceberg.tables").count == 1)

                let dynamic = ConnectFixture.with(
                    ConnectFixture.iceberg,
                    [
                        "name": "ice", "connector.class": plugin, "iceberg.tables": nil,
                        "iceberg.tables.dynamic-enabled": "true",
                    ])
                let noRoute = try await client.put(path, .json(dynamic)).json()
                #expect(
                    noRoute.configErrors("iceberg.tables.route-field")
                        == [
                            "Invalid value null for configuration iceberg.tables.route-field: "
                                + "Route field cannot be null with dynamic routing"
                        ])
                let routed = ConnectFixture.with(dynamic, ["iceberg.tables.route-field": "table"])
                #expect(try await client.put(path, .json(routed)).json()["error_count"]?.int == 0)
            }
        }
    }

    @Test("ClickHouse needs hostname and database")
    func clickHouse() async throws {
        try await withKafkaConnect { _, client in
            let config = ConnectFixture.with(
                ConnectFixture.clickHouse, ["name": "ch", "hostname": nil, "database": nil])
            let body = try await client.put("/connector-plugins/ClickHouseSink/config/validate", .json(config)).json()
            #expect(body["error_count"]?.int == 2)
            #expect(
                body.configErrors("hostname") == [
                    "Missing required configuration \"hostname\" which has no default value."
                ])
            #expect(body.configErrors("database").count == 1)
        }
    }

    @Test("a valid config validates clean; placeholders pass and password values are shown as [hidden]")
    func validConfig() async throws {
        try await withKafkaConnect { _, client in
            let config = ConnectFixture.with(
                ConnectFixture.postgres, ["name": "orders-pg", "database.port": "${file:/secrets/pg.properties:port}"])
            let body = try await client.put(postgresValidate, .json(config)).json()
            #expect(body["error_count"]?.int == 0)
            #expect(body.configValue("database.password") == .string("[hidden]"))
            #expect(body.configValue("slot.name") == .string("orders_pg"))
            #expect(body.configValue("slot.drop.on.stop") == .string("false"), "defaults are shown for unset keys")
            #expect(body["groups"]?.array?.contains(.string("Common")) == true)
            #expect(body.configErrors("name").isEmpty)
        }
    }

    @Test("validate without a name reports the missing name, as Connect does")
    func missingName() async throws {
        try await withKafkaConnect { _, client in
            let body = try await client.put(postgresValidate, .json(ConnectFixture.postgres)).json()
            #expect(
                body.configErrors("name") == ["Missing required configuration \"name\" which has no default value."])
        }
    }

    @Test("validate takes a simple name or alias; a connector.class for another plugin or none is 400")
    func pluginNames() async throws {
        try await withKafkaConnect { _, client in
            let config = ConnectFixture.with(ConnectFixture.postgres, ["name": "x"])
            for alias in ["PostgresConnector", "Postgres"] {
                let response = try await client.put("/connector-plugins/\(alias)/config/validate", .json(config))
                #expect(response.status == 200, "\(alias)")
            }
            let mismatch = try await client.put("/connector-plugins/MySqlConnector/config/validate", .json(config))
            #expect(mismatch.status == 400)
            #expect(
                mismatch.message
                    == "Included connector type io.debezium.connector.postgresql.PostgresConnector does not match "
                    + "request type MySqlConnector")
            let classless = ConnectFixture.with(config, ["connector.class": nil])
            let none = try await client.put("/connector-plugins/Postgres/config/validate", .json(classless))
            #expect(none.status == 400)
            #expect(none.errorCode == 400)
        }
    }

    @Test("create and update refuse an invalid config with Connect's 400 listing each error, and change nothing")
    func createRefusesInvalid() async throws {
        try await withKafkaConnect { connect, client in
            let invalid = ConnectFixture.with(
                ConnectFixture.postgres, ["database.hostname": nil, "snapshot.mode": "foo"])
            let post = try await client.post("/connectors", .json(["name": "orders-pg", "config": invalid]))
            #expect(post.status == 400)
            let message = try #require(post.message)
            #expect(message.hasPrefix("Connector configuration is invalid and contains the following 2 error(s):\n"))
            #expect(
                message.contains("\nMissing required configuration \"database.hostname\" which has no default value."))
            #expect(message.contains("\nInvalid value foo for configuration snapshot.mode: "))
            #expect(message.hasSuffix("`/connector-plugins/{connectorType}/config/validate`"))
            #expect(connect.connectorNames().isEmpty)

            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            let put = try await client.put("/connectors/orders-pg/config", .json(invalid))
            #expect(put.status == 400)
            #expect(connect.config(of: "orders-pg")?["snapshot.mode"] == "initial")
            #expect(connect.configWriteCount(of: "orders-pg") == 0)
        }
    }

    @Test("an unknown connector.class is 400 naming the installed connectors; a config without one is 400")
    func unknownClass() async throws {
        try await withKafkaConnect { connect, client in
            let unknown = ConnectFixture.with(ConnectFixture.postgres, ["connector.class": "com.example.Nope"])
            let response = try await client.put("/connectors/x/config", .json(unknown))
            #expect(response.status == 400)
            #expect(
                response.message?.hasPrefix(
                    "Failed to find any class that implements Connector and which name matches com.example.Nope")
                    == true)
            let classless = ConnectFixture.with(ConnectFixture.postgres, ["connector.class": nil])
            #expect(try await client.put("/connectors/x/config", .json(classless)).status == 400)
            #expect(connect.connectorNames().isEmpty)
        }
    }

    @Test("a null config value is an error; a number is read as its text")
    func nullsAndNumbers() async throws {
        try await withKafkaConnect { connect, client in
            var body: [String: Any] = ConnectFixture.with(ConnectFixture.postgres, ["database.port": nil])
            body["database.port"] = 5433
            #expect(try await client.put("/connectors/orders-pg/config", .json(body)).status == 201)
            #expect(connect.config(of: "orders-pg")?["database.port"] == "5433")

            body["snapshot.mode"] = NSNull()
            let refused = try await client.put("/connectors/orders-pg/config", .json(body))
            #expect(refused.status == 400)
            #expect(refused.message?.contains("Null value can not be supplied as the configuration value.") == true)
        }
    }

    @Test("GET /connector-plugins/{plugin}/config lists the plugin's keys then Connect's; unknown plugins are 404")
    func configDef() async throws {
        try await withKafkaConnect { _, client in
            let keys = try await client.get("/connector-plugins/MySqlConnector/config").json()
            let names = keys.array?.compactMap { $0["name"]?.string } ?? []
            #expect(names.first == "database.hostname")
            #expect(names.contains("database.server.id"))
            #expect(names.contains("tasks.max"))
            let serverID = keys.array?.first { $0["name"]?.string == "database.server.id" }
            #expect(serverID?["required"] == .bool(true))
            #expect(serverID?["type"]?.string == "LONG")

            let unknown = try await client.get("/connector-plugins/Nope/config")
            #expect(unknown.status == 404)
            #expect(unknown.message == "Unknown plugin Nope.")
            // Two plugins share the simple name IcebergSinkConnector, so it is no alias.
            #expect(try await client.get("/connector-plugins/IcebergSinkConnector/config").status == 404)
        }
    }
}
