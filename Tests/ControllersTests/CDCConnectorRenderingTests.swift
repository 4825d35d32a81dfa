import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Testing
import Yams

/// Builds CDCConnector values for the rendering tables: namespace `shop`.
enum RenderFixture {
    static let pgPassword = SecretKeySelector(name: "pg-credentials", key: "password")
    static let mysqlPassword = SecretKeySelector(name: "mysql-credentials", key: "password")
    static let settings = CDCRenderSettings(kafkaBootstrapServers: "kafka:9092")

    static func postgres(
        name: String = "orders", tables: [String] = ["public.orders", "public.order_lines"],
        tls: DatabaseTLS? = nil, snapshot: SnapshotMode = .initial, postgres: PostgresSettings? = nil,
        heartbeat: String? = nil, config: [String: String]? = nil, sinks: CDCSinks? = nil
    ) -> CDCConnector {
        CDCConnector(
            name: name, namespace: "shop",
            spec: CDCConnectorSpec(
                engine: .postgres,
                database: SourceDatabase(
                    host: "pg.shop.svc", name: "shop", user: "dbz", passwordSecretRef: pgPassword, tls: tls),
                tables: tables, topicPrefix: "shop", snapshot: SnapshotSettings(mode: snapshot), postgres: postgres,
                heartbeatInterval: heartbeat, config: config, sinks: sinks))
    }

    static func mysql(
        tables: [String] = ["inventory.products"], tls: DatabaseTLS? = nil, snapshot: SnapshotMode = .initial,
        settings: MySQLSettings = MySQLSettings(serverID: 184054), config: [String: String]? = nil,
        sinks: CDCSinks? = nil
    ) -> CDCConnector {
        CDCConnector(
            name: "inventory", namespace: "shop",
            spec: CDCConnectorSpec(
                engine: .mysql,
                database: SourceDatabase(
                    host: "mysql.shop.svc", user: "dbz", passwordSecretRef: mysqlPassword, tls: tls),
                tables: tables, topicPrefix: "shop", snapshot: SnapshotSettings(mode: snapshot), mysql: settings,
                config: config, sinks: sinks))
    }

    static let catalog = IcebergCatalog(
        name: "lakehouse", type: .rest, uri: "http://iceberg-rest:8181", warehouse: "s3://lake/warehouse",
        secretProperties: ["credential": SecretKeySelector(name: "iceberg-credentials", key: "credential")])

    static func render(
        _ object: CDCConnector, _ settings: CDCRenderSettings = RenderFixture.settings
    ) throws
        -> [RenderedConnector]
    {
        try CDCConnectorRendering.render(object, settings: settings)
    }

    static func source(
        _ object: CDCConnector, _ settings: CDCRenderSettings = RenderFixture.settings
    ) throws
        -> [String: String]
    {
        try #require(try render(object, settings).first).config
    }

    static func sink(
        _ object: CDCConnector, _ type: SinkType, _ settings: CDCRenderSettings = RenderFixture.settings
    )
        throws -> [String: String]
    {
        try #require(try render(object, settings).first { $0.role == .sink(type) }).config
    }

    /// The error rendering gives, or nil when it renders.
    static func error(_ object: CDCConnector, _ settings: CDCRenderSettings = RenderFixture.settings) -> RenderError? {
        do {
            _ = try CDCConnectorRendering.render(object, settings: settings)
            return nil
        } catch {
            return error
        }
    }
}

/// One source rendering case: the object, the settings, the exact configuration.
struct SourceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var object: CDCConnector
    var settings: CDCRenderSettings = RenderFixture.settings
    var config: [String: String]
    var testDescription: String { name }
}

@Suite("CDCConnector rendering: source connectors")
struct CDCConnectorSourceRenderingTests {
    static let cases: [SourceCase] = [
        SourceCase(
            name: "Postgres, minimal",
            object: RenderFixture.postgres(),
            config: [
                "name": "shop.orders",
                "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
                "tasks.max": "1",
                "database.hostname": "pg.shop.svc",
                "database.port": "5432",
                "database.user": "dbz",
                "database.password": "${secrets:shop/pg-credentials:password}",
                "database.dbname": "shop",
                "database.sslmode": "prefer",
                "topic.prefix": "shop",
                "table.include.list": #"public\.orders,public\.order_lines"#,
                "plugin.name": "pgoutput",
                "slot.name": "shop_orders",
                "publication.name": "shop_orders",
                "publication.autocreate.mode": "filtered",
                "snapshot.mode": "initial",
            ]),
        SourceCase(
            name: "Postgres, every field, CA mounted as a file, converters from the settings",
            object: {
                var object = RenderFixture.postgres(
                    tables: ["public.orders", "sales.order$lines"],
                    tls: DatabaseTLS(mode: .verifyFull, caSecretRef: SecretKeySelector(name: "pg-ca", key: "ca.crt")),
                    snapshot: .whenNeeded,
                    postgres: PostgresSettings(
                        slotName: "orders_slot", publicationName: "orders_pub", publicationAutocreate: .allTables,
                        signalTable: "public.debezium_signal"),
                    heartbeat: "1m30s",
                    config: ["column.exclude.list": "public.orders.card_number", "tombstones.on.delete": "false"])
                object.spec.database.port = 6432
                object.spec.tasksMax = 2
                return object
            }(),
            settings: CDCRenderSettings(
                secretReferences: .directory(alias: "directory", mountPath: "/opt/kafka/external-configuration/"),
                keyConverter: "org.apache.kafka.connect.json.JsonConverter",
                valueConverter: "io.confluent.connect.avro.AvroConverter",
                converterProperties: ["value.converter.schema.registry.url": "http://registry:8081"]),
            config: [
                "name": "shop.orders",
                "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
                "tasks.max": "2",
                "database.hostname": "pg.shop.svc",
                "database.port": "6432",
                "database.user": "dbz",
                "database.password": "${directory:/opt/kafka/external-configuration/pg-credentials:password}",
                "database.dbname": "shop",
                "database.sslmode": "verify-full",
                "database.sslrootcert": "/opt/kafka/external-configuration/pg-ca/ca.crt",
                "topic.prefix": "shop",
                "table.include.list": #"public\.orders,sales\.order\$lines"#,
                "plugin.name": "pgoutput",
                "slot.name": "orders_slot",
                "publication.name": "orders_pub",
                "publication.autocreate.mode": "all_tables",
                "snapshot.mode": "when_needed",
                "heartbeat.interval.ms": "90000",
                "signal.data.collection": "public.debezium_signal",
                "column.exclude.list": "public.orders.card_number",
                "tombstones.on.delete": "false",
                "key.converter": "org.apache.kafka.connect.json.JsonConverter",
                "value.converter": "io.confluent.connect.avro.AvroConverter",
                "value.converter.schema.registry.url": "http://registry:8081",
            ]),
        SourceCase(
            name: "MySQL, minimal",
            object: RenderFixture.mysql(),
            config: [
                "name": "shop.inventory",
                "connector.class": "io.debezium.connector.mysql.MySqlConnector",
                "tasks.max": "1",
                "database.hostname": "mysql.shop.svc",
                "database.port": "3306",
                "database.user": "dbz",
                "database.password": "${secrets:shop/mysql-credentials:password}",
                "database.server.id": "184054",
                "database.ssl.mode": "preferred",
                "topic.prefix": "shop",
                "database.include.list": "inventory",
                "table.include.list": #"inventory\.products"#,
                "snapshot.mode": "initial",
                "schema.history.internal.kafka.bootstrap.servers": "kafka:9092",
                "schema.history.internal.kafka.topic": "shop.schema-history",
                "include.schema.changes": "false",
            ]),
        SourceCase(
            name: "MySQL, every field, file-provider secrets",
            object: {
                var object = RenderFixture.mysql(
                    tables: ["inventory.products", "billing.invoices", "inventory.stock"],
                    tls: DatabaseTLS(mode: .require), snapshot: .recovery,
                    settings: MySQLSettings(serverID: 4_294_967_295, schemaHistoryTopic: "shop.history"),
                    config: ["snapshot.locking.mode": "none"])
                object.spec.database.port = 3307
                object.spec.heartbeatInterval = "10s"
                return object
            }(),
            settings: CDCRenderSettings(
                secretReferences: .file(alias: "file", mountPath: "/mnt/secrets"),
                kafkaBootstrapServers: "kafka-0:9092,kafka-1:9092"),
            config: [
                "name": "shop.inventory",
                "connector.class": "io.debezium.connector.mysql.MySqlConnector",
                "tasks.max": "1",
                "database.hostname": "mysql.shop.svc",
                "database.port": "3307",
                "database.user": "dbz",
                "database.password": "${file:/mnt/secrets/mysql-credentials.properties:password}",
                "database.server.id": "4294967295",
                "database.ssl.mode": "required",
                "topic.prefix": "shop",
                "database.include.list": "inventory,billing",
                "table.include.list": #"inventory\.products,billing\.invoices,inventory\.stock"#,
                "snapshot.mode": "recovery",
                "heartbeat.interval.ms": "10000",
                "schema.history.internal.kafka.bootstrap.servers": "kafka-0:9092,kafka-1:9092",
                "schema.history.internal.kafka.topic": "shop.history",
                "include.schema.changes": "false",
                "snapshot.locking.mode": "none",
            ]),
    ]

    @Test("the source connector's configuration is exactly the expected map", arguments: cases)
    func sourceConfig(_ row: SourceCase) throws {
        let connectors = try RenderFixture.render(row.object, row.settings)
        let source = try #require(connectors.first)
        #expect(source.role == .source)
        #expect(source.name == row.config["name"])
        #expect(source.pluginClass == row.config["connector.class"])
        #expect(source.config == row.config)
    }

    @Test("rendering twice gives identical maps, whatever order the pass-through keys were given in")
    func deterministic() throws {
        var reversed: [String: String] = [:]
        let keys = (0..<40).map { "custom.key.\($0)" }
        for key in keys.reversed() { reversed[key] = "v-\(key)" }
        var forward: [String: String] = [:]
        for key in keys { forward[key] = "v-\(key)" }
        let first = try RenderFixture.render(RenderFixture.postgres(config: forward))
        let second = try RenderFixture.render(RenderFixture.postgres(config: reversed))
        #expect(first == second)
        let firstSource = try #require(first.first)
        let secondSource = try #require(second.first)
        #expect(
            CDCConnectorRendering.configHash(firstSource.config)
                == CDCConnectorRendering.configHash(secondSource.config))
    }

    @Test("a MySQL source without the operator's Kafka bootstrap servers cannot be rendered")
    func mysqlNeedsBootstrapServers() {
        for servers in [nil, ""] as [String?] {
            let error = RenderFixture.error(RenderFixture.mysql(), CDCRenderSettings(kafkaBootstrapServers: servers))
            #expect(error?.field == "spec.engine")
            #expect(error?.message.contains("bootstrap servers") == true)
        }
    }

    static let tlsModes: [(DatabaseTLSMode, postgres: String, mysql: String)] = [
        (.disable, "disable", "disabled"),
        (.prefer, "prefer", "preferred"),
        (.require, "require", "required"),
        (.verifyCA, "verify-ca", "verify_ca"),
        (.verifyFull, "verify-full", "verify_identity"),
    ]

    @Test("TLS modes map to each engine's own names", arguments: tlsModes)
    func tlsMode(_ row: (DatabaseTLSMode, postgres: String, mysql: String)) throws {
        let (mode, postgres, mysql) = row
        let pg = try RenderFixture.source(RenderFixture.postgres(tls: DatabaseTLS(mode: mode)))
        #expect(pg["database.sslmode"] == postgres)
        #expect(pg["database.ssl.mode"] == nil)
        let my = try RenderFixture.source(RenderFixture.mysql(tls: DatabaseTLS(mode: mode)))
        #expect(my["database.ssl.mode"] == mysql)
        #expect(my["database.sslmode"] == nil)
    }

    @Test("a CA bundle is only rendered where the worker can read it as a file")
    func caBundle() {
        let ca = DatabaseTLS(mode: .verifyCA, caSecretRef: SecretKeySelector(name: "pg-ca", key: "ca.crt"))
        #expect(RenderFixture.error(RenderFixture.postgres(tls: ca))?.field == "spec.database.tls.caSecretRef")
        #expect(
            RenderFixture.error(
                RenderFixture.mysql(tls: ca),
                CDCRenderSettings(
                    secretReferences: .directory(alias: "d", mountPath: "/m"), kafkaBootstrapServers: "k:9092"))?.field
                == "spec.database.tls.caSecretRef")
    }

    static let snapshotModes: [(SnapshotMode, String)] = [
        (.initial, "initial"), (.always, "always"), (.initialOnly, "initial_only"), (.noData, "no_data"),
        (.whenNeeded, "when_needed"), (.recovery, "recovery"),
    ]

    @Test("snapshot modes render Debezium's names; Recovery only for MySQL", arguments: snapshotModes)
    func snapshotMode(_ mode: SnapshotMode, value: String) throws {
        #expect(try RenderFixture.source(RenderFixture.mysql(snapshot: mode))["snapshot.mode"] == value)
        if mode == .recovery {
            #expect(RenderFixture.error(RenderFixture.postgres(snapshot: mode))?.field == "spec.snapshot.mode")
        } else {
            #expect(try RenderFixture.source(RenderFixture.postgres(snapshot: mode))["snapshot.mode"] == value)
        }
    }

    static let secretStyles: [(SecretReferenceStyle, String)] = [
        (.kubernetesSecret(alias: "secrets"), "${secrets:shop/pg-credentials:password}"),
        (.kubernetesSecret(alias: "k8s"), "${k8s:shop/pg-credentials:password}"),
        (
            .directory(alias: "directory", mountPath: "/mnt/secrets"),
            "${directory:/mnt/secrets/pg-credentials:password}"
        ),
        (.directory(alias: "dir", mountPath: "/mnt/secrets//"), "${dir:/mnt/secrets/pg-credentials:password}"),
        (.file(alias: "file", mountPath: "/etc/connect"), "${file:/etc/connect/pg-credentials.properties:password}"),
    ]

    @Test("the password is a config provider placeholder in each secret style", arguments: secretStyles)
    func secretStyle(_ style: SecretReferenceStyle, placeholder: String) throws {
        let config = try RenderFixture.source(RenderFixture.postgres(), CDCRenderSettings(secretReferences: style))
        #expect(config["database.password"] == placeholder)
    }

    @Test("a heartbeat interval that is not a duration is a render error")
    func badHeartbeat() {
        #expect(RenderFixture.error(RenderFixture.postgres(heartbeat: "soon"))?.field == "spec.heartbeatInterval")
    }
}

@Suite("CDCConnector rendering: names, topics, hashes, secrets")
struct CDCConnectorNamingTests {
    static let derivedNames: [(namespace: String, name: String, expected: String)] = [
        ("shop", "orders", "shop_orders"),
        ("team-a", "orders", "team_a_orders_75c1a60b"),
        ("a-b", "c", "a_b_c_4e84717d"),
        ("a", "b-c", "a_b_c_b88f83c8"),
        ("1ns", "x", "cdc_1ns_x_8ef91bea"),
        ("team.x", "orders.v2", "team_x_orders_v2_37579adb"),
    ]

    @Test("derived slot and publication names", arguments: derivedNames)
    func derivedName(_ row: (namespace: String, name: String, expected: String)) {
        #expect(CDCConnectorRendering.derivedReplicationName(namespace: row.namespace, name: row.name) == row.expected)
    }

    @Test("derived names stay within Postgres' limits and differ between objects, long and odd names included")
    func derivedNamesAreValidAndUnique() {
        let long = String(repeating: "n", count: 63)
        let pairs = [
            ("shop", "orders"), ("a-b", "c"), ("a", "b-c"), ("a_b", "c"), (long, long), (long, long + "x"),
            (long, String(repeating: "m", count: 253)), ("UPPER", "Case"), ("1ns", "x"), ("x", "ünïcode"),
        ]
        let names = pairs.map { CDCConnectorRendering.derivedReplicationName(namespace: $0.0, name: $0.1) }
        for name in names {
            #expect(name.utf8.count <= 63, "\(name)")
            #expect(name.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil, "\(name)")
        }
        #expect(Set(names).count == names.count, "\(names)")
    }

    @Test("the sample's explicit slot and publication names win; without them both are derived")
    func slotAndPublication() throws {
        let derived = RenderFixture.postgres(name: "orders-cdc")
        // a5aa727e: the first 8 hex digits of `printf shop/orders-cdc | sha256sum`.
        #expect(CDCConnectorRendering.slotName(of: derived) == "shop_orders_cdc_a5aa727e")
        #expect(CDCConnectorRendering.publicationName(of: derived) == CDCConnectorRendering.slotName(of: derived))
        let explicit = RenderFixture.postgres(postgres: PostgresSettings(slotName: "s", publicationName: "p"))
        let config = try RenderFixture.source(explicit)
        #expect(config["slot.name"] == "s")
        #expect(config["publication.name"] == "p")
    }

    @Test("connector names")
    func connectorNames() {
        #expect(CDCConnectorRendering.sourceConnectorName(namespace: "shop", name: "orders") == "shop.orders")
        #expect(
            CDCConnectorRendering.sinkConnectorName(namespace: "shop", name: "orders", sink: .iceberg)
                == "shop.orders.iceberg")
        #expect(
            CDCConnectorRendering.sinkConnectorName(namespace: "shop", name: "orders", sink: .clickHouse)
                == "shop.orders.clickhouse")
    }

    @Test("topics are <prefix>.<schema or database>.<table> in spec order, with $ replaced as Debezium does")
    func topics() {
        #expect(
            CDCConnectorRendering.topics(of: RenderFixture.postgres(tables: ["public.orders", "sales.order$lines"]))
                == ["shop.public.orders", "shop.sales.order_lines"])
        #expect(
            CDCConnectorRendering.topics(of: RenderFixture.mysql(tables: ["inventory.stock", "billing.invoices"]))
                == ["shop.inventory.stock", "shop.billing.invoices"])
    }

    @Test("the config hash is SHA-256 of sorted key=value lines, independent of insertion order")
    func configHash() {
        #expect(
            CDCConnectorRendering.configHash(["b": "2", "a": "1"])
                == "sha256:4a73850fde34aad40ff8649b93a66523a5fe744357a3931caea0f10609d0d930")
        var one: [String: String] = [:]
        var other: [String: String] = [:]
        for index in 0..<100 { one["key\(index)"] = "\(index)" }
        for index in (0..<100).reversed() { other["key\(index)"] = "\(index)" }
        #expect(CDCConnectorRendering.configHash(one) == CDCConnectorRendering.configHash(other))
        #expect(CDCConnectorRendering.configHash(["a": "1"]) != CDCConnectorRendering.configHash(["a": "2"]))
        // Escaping keeps a value with a line break from imitating a second key.
        #expect(
            CDCConnectorRendering.configHash(["a": "1\nb=2"]) != CDCConnectorRendering.configHash(["a": "1", "b": "2"]))
        #expect(CDCConnectorRendering.configHash(["a=b": "c"]) != CDCConnectorRendering.configHash(["a": "b=c"]))
    }

    @Test("referenced Secrets: the password, catalog secrets and ClickHouse credentials, sorted, once each")
    func referencedSecrets() {
        let sinks = CDCSinks(
            iceberg: IcebergSink(catalog: RenderFixture.catalog, namespace: "cdc", primaryKeys: ["id"]),
            clickHouse: ClickHouseSink(
                endpoint: ServiceEndpoint(
                    url: "http://ch:8123",
                    basicAuth: BasicAuth(
                        usernameSecretRef: SecretKeySelector(name: "ch-credentials", key: "user"),
                        passwordSecretRef: SecretKeySelector(name: "ch-credentials", key: "password"))),
                database: "cdc", upsert: false))
        let object = RenderFixture.postgres(sinks: sinks)
        #expect(
            CDCConnectorRendering.referencedSecrets(of: object, settings: RenderFixture.settings) == [
                SecretRef(namespace: "shop", name: "ch-credentials"),
                SecretRef(namespace: "shop", name: "iceberg-credentials"),
                SecretRef(namespace: "shop", name: "pg-credentials"),
            ])
        var defaults = object
        defaults.spec.sinks?.clickHouse?.endpoint = nil
        let settings = CDCRenderSettings(
            defaultClickHouseCredentialsSecret: SecretRef(namespace: "hmco", name: "clickhouse"))
        #expect(
            CDCConnectorRendering.referencedSecrets(of: defaults, settings: settings) == [
                SecretRef(namespace: "hmco", name: "clickhouse"),
                SecretRef(namespace: "shop", name: "iceberg-credentials"),
                SecretRef(namespace: "shop", name: "pg-credentials"),
            ])
    }
}

@Suite("CDCConnector rendering: pass-through configuration")
struct CDCConnectorPassThroughTests {
    @Test("extra source keys are merged in", arguments: [["max.batch.size": "4096"], ["a": "1", "b": "2"]])
    func merged(_ extra: [String: String]) throws {
        let config = try RenderFixture.source(RenderFixture.postgres(config: extra))
        let baseline = try RenderFixture.source(RenderFixture.postgres())
        for (key, value) in extra { #expect(config[key] == value) }
        #expect(config.count == baseline.count + extra.count)
    }

    @Test("every key the kind owns is rejected with its field path", arguments: CDCConnector.ownedConfigKeys)
    func ownedKey(_ key: String) {
        let error = RenderFixture.error(RenderFixture.postgres(config: [key: "x", "zzz.harmless": "1"]))
        #expect(error?.field == "spec.config[\(key)]")
    }

    static let renderedKeys: [(String, CDCConnector, CDCRenderSettings)] = [
        (
            "include.schema.changes", RenderFixture.mysql(config: ["include.schema.changes": "true"]),
            RenderFixture.settings
        ),
        (
            "value.converter",
            RenderFixture.postgres(config: ["value.converter": "x"]),
            CDCRenderSettings(valueConverter: "io.confluent.connect.avro.AvroConverter")
        ),
        (
            "database.sslrootcert",
            RenderFixture.postgres(
                tls: DatabaseTLS(mode: .verifyCA, caSecretRef: SecretKeySelector(name: "ca", key: "ca.crt")),
                config: ["database.sslrootcert": "/elsewhere"]),
            CDCRenderSettings(secretReferences: .directory(alias: "d", mountPath: "/m"))
        ),
    ]

    @Test("a key the operator renders, though not in the owned list, is rejected too", arguments: renderedKeys)
    func renderedKey(_ row: (String, CDCConnector, CDCRenderSettings)) {
        let (key, object, settings) = row
        #expect(RenderFixture.error(object, settings)?.field == "spec.config[\(key)]")
    }

    @Test("keys the operator does not render stay free, e.g. the converters when the settings leave them out")
    func converterFree() throws {
        let config = try RenderFixture.source(RenderFixture.postgres(config: ["value.converter": "x"]))
        #expect(config["value.converter"] == "x")
    }

    static let sinkKeys: [(String, String)] = [
        ("iceberg", "iceberg.tables"), ("iceberg", "topics"), ("iceberg", "topics.regex"),
        ("iceberg", "connector.class"),
        ("iceberg", "iceberg.tables.upsert-mode-enabled"), ("iceberg", "transforms"),
        ("iceberg", "iceberg.table.cdc.orders.route-regex"), ("clickHouse", "topic2TableMap"),
        ("clickHouse", "hostname"),
        ("clickHouse", "password"), ("clickHouse", "transforms.unwrap.delete.tombstone.handling.mode"),
        ("clickHouse", "name"),
    ]

    @Test("sink pass-through keys the operator renders are rejected with the sink's field path", arguments: sinkKeys)
    func sinkKey(_ sink: String, key: String) {
        var sinks = CDCSinks(
            iceberg: IcebergSink(catalog: RenderFixture.catalog, namespace: "cdc", primaryKeys: ["id"]),
            clickHouse: ClickHouseSink(endpoint: ServiceEndpoint(url: "http://ch:8123"), database: "cdc"))
        if sink == "iceberg" { sinks.iceberg?.config = [key: "x"] } else { sinks.clickHouse?.config = [key: "x"] }
        let settings = CDCRenderSettings(defaultClickHouseCredentialsSecret: SecretRef(namespace: "hmco", name: "ch"))
        let error = RenderFixture.error(RenderFixture.postgres(sinks: sinks), settings)
        #expect(error?.field == "spec.sinks.\(sink).config[\(key)]")
    }
}

@Suite("CDCConnector rendering: Iceberg sink")
struct CDCConnectorIcebergRenderingTests {
    static func object(_ sink: IcebergSink, tables: [String] = ["public.orders", "public.order_lines"]) -> CDCConnector
    {
        RenderFixture.postgres(tables: tables, sinks: CDCSinks(iceberg: sink))
    }

    @Test("upsert: static routes by source table, identifier columns, CDC field, Debezium transform")
    func upsert() throws {
        let rendered = try RenderFixture.render(
            Self.object(IcebergSink(catalog: RenderFixture.catalog, namespace: "cdc", primaryKeys: ["id"])))
        #expect(rendered.map(\.role) == [.source, .sink(.iceberg)])
        let sink = try #require(rendered.last)
        #expect(sink.name == "shop.orders.iceberg")
        #expect(sink.pluginClass == "io.tabular.iceberg.connect.IcebergSinkConnector")
        #expect(
            sink.config == [
                "name": "shop.orders.iceberg",
                "connector.class": "io.tabular.iceberg.connect.IcebergSinkConnector",
                "topics": "shop.public.orders,shop.public.order_lines",
                "iceberg.catalog": "lakehouse",
                "iceberg.catalog.type": "rest",
                "iceberg.catalog.uri": "http://iceberg-rest:8181",
                "iceberg.catalog.warehouse": "s3://lake/warehouse",
                "iceberg.catalog.credential": "${secrets:shop/iceberg-credentials:credential}",
                "iceberg.tables": "cdc.orders,cdc.order_lines",
                "iceberg.tables.dynamic-enabled": "false",
                "iceberg.tables.route-field": "_cdc.source",
                "iceberg.table.cdc.orders.route-regex": #"public\.orders"#,
                "iceberg.table.cdc.order_lines.route-regex": #"public\.order_lines"#,
                "iceberg.tables.auto-create-enabled": "true",
                "iceberg.tables.upsert-mode-enabled": "true",
                "iceberg.tables.cdc-field": "_cdc.op",
                "iceberg.tables.default-id-columns": "id",
                "transforms": "debezium",
                "transforms.debezium.type": "io.tabular.iceberg.connect.transforms.DebeziumTransform",
            ])
    }

    @Test("without upsert every change is appended: no CDC field, upsert mode off")
    func append() throws {
        let config = try RenderFixture.sink(
            Self.object(
                IcebergSink(
                    catalog: RenderFixture.catalog, namespace: "cdc", upsert: false, autoCreateTables: false,
                    config: ["iceberg.control.topic": "control-shop", "tasks.max": "2"])), .iceberg)
        #expect(config["iceberg.tables.upsert-mode-enabled"] == "false")
        #expect(config["iceberg.tables.cdc-field"] == nil)
        #expect(config["iceberg.tables.default-id-columns"] == nil)
        #expect(config["iceberg.tables.auto-create-enabled"] == "false")
        #expect(config["iceberg.control.topic"] == "control-shop")
        #expect(config["tasks.max"] == "2")
    }

    @Test("per-table overrides rename a destination and give it its own keys; the template fills {schema} and {table}")
    func overridesAndTemplate() throws {
        let sink = IcebergSink(
            catalog: RenderFixture.catalog, namespace: "lake.cdc", tableNameTemplate: "{schema}_{table}_v1",
            primaryKeys: ["id"],
            tables: [
                SinkTableOverride(source: "sales.lines", name: "order_lines", primaryKeys: ["order_id", "line_no"])
            ])
        let config = try RenderFixture.sink(Self.object(sink, tables: ["public.orders", "sales.lines"]), .iceberg)
        #expect(config["iceberg.tables"] == "lake.cdc.public_orders_v1,lake.cdc.order_lines")
        #expect(config["iceberg.table.lake.cdc.order_lines.route-regex"] == #"sales\.lines"#)
        #expect(config["iceberg.table.lake.cdc.order_lines.id-columns"] == "order_id,line_no")
        #expect(config["iceberg.table.lake.cdc.public_orders_v1.id-columns"] == nil)
        #expect(config["iceberg.tables.default-id-columns"] == "id")
    }

    @Test("upsert with a table that has no keys at all cannot be rendered")
    func upsertWithoutKeys() {
        let sink = IcebergSink(
            catalog: RenderFixture.catalog, namespace: "cdc",
            tables: [SinkTableOverride(source: "public.orders", primaryKeys: ["id"])])
        let error = RenderFixture.error(Self.object(sink))
        #expect(error?.field == "spec.sinks.iceberg.primaryKeys")
        #expect(error?.message.contains("public.order_lines") == true)
    }

    @Test("two source tables written to one destination are a render error")
    func collidingDestinations() {
        let sink = IcebergSink(catalog: RenderFixture.catalog, namespace: "cdc", primaryKeys: ["id"])
        let error = RenderFixture.error(Self.object(sink, tables: ["public.orders", "archive.orders"]))
        #expect(error?.field == "spec.sinks.iceberg.tableNameTemplate")
    }

    static let catalogTypes: [(IcebergCatalogType, key: String, value: String)] = [
        (.rest, "iceberg.catalog.type", "rest"), (.hive, "iceberg.catalog.type", "hive"),
        (.hadoop, "iceberg.catalog.type", "hadoop"),
        (.glue, "iceberg.catalog.catalog-impl", "org.apache.iceberg.aws.glue.GlueCatalog"),
        (.nessie, "iceberg.catalog.catalog-impl", "org.apache.iceberg.nessie.NessieCatalog"),
        (.jdbc, "iceberg.catalog.catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog"),
    ]

    @Test("catalog types: type for REST, Hive and Hadoop, the class for the others", arguments: catalogTypes)
    func catalogType(_ row: (IcebergCatalogType, key: String, value: String)) throws {
        let (type, key, value) = row
        let catalog = IcebergCatalog(type: type, properties: ["io-impl": "org.apache.iceberg.aws.s3.S3FileIO"])
        let config = try RenderFixture.sink(
            Self.object(IcebergSink(catalog: catalog, namespace: "cdc", primaryKeys: ["id"])), .iceberg)
        #expect(config[key] == value)
        #expect(config["iceberg.catalog"] == "iceberg")
        #expect(config["iceberg.catalog.io-impl"] == "org.apache.iceberg.aws.s3.S3FileIO")
        #expect(config.keys.filter { $0 == "iceberg.catalog.type" || $0 == "iceberg.catalog.catalog-impl" }.count == 1)
    }

    @Test("a catalog property that repeats a rendered one is a render error naming it")
    func catalogPropertyCollision() {
        var catalog = RenderFixture.catalog
        catalog.properties = ["uri": "http://elsewhere"]
        let error = RenderFixture.error(
            Self.object(IcebergSink(catalog: catalog, namespace: "cdc", primaryKeys: ["id"])))
        #expect(error?.field == "spec.sinks.iceberg.catalog.properties[uri]")
    }

    @Test("the Iceberg sink class and its transform come from the settings")
    func sinkClassOverride() throws {
        let settings = CDCRenderSettings(
            icebergSinkClass: CDCRenderSettings.apacheIcebergSinkClass,
            icebergDebeziumTransformClass: CDCRenderSettings.apacheDebeziumTransformClass)
        let rendered = try RenderFixture.render(
            Self.object(IcebergSink(catalog: RenderFixture.catalog, namespace: "cdc", upsert: false)), settings)
        let sink = try #require(rendered.last)
        #expect(sink.pluginClass == "org.apache.iceberg.connect.IcebergSinkConnector")
        #expect(sink.config["connector.class"] == "org.apache.iceberg.connect.IcebergSinkConnector")
        #expect(sink.config["transforms.debezium.type"] == "org.apache.iceberg.connect.transforms.DebeziumTransform")
    }
}

@Suite("CDCConnector rendering: ClickHouse sink")
struct CDCConnectorClickHouseRenderingTests {
    static let auth = BasicAuth(
        usernameSecretRef: SecretKeySelector(name: "ch-credentials", key: "username"),
        passwordSecretRef: SecretKeySelector(name: "ch-credentials", key: "password"))

    static func object(_ sink: ClickHouseSink, engine: DatabaseEngine = .postgres) -> CDCConnector {
        engine == .postgres
            ? RenderFixture.postgres(sinks: CDCSinks(clickHouse: sink))
            : RenderFixture.mysql(tables: ["inventory.products", "inventory.stock"], sinks: CDCSinks(clickHouse: sink))
    }

    @Test("upsert with a version column: rewrite deletes, add the LSN, rename it, map topics to tables")
    func upsertPostgres() throws {
        let rendered = try RenderFixture.render(
            Self.object(
                ClickHouseSink(
                    endpoint: ServiceEndpoint(url: "https://clickhouse.analytics.svc:8443", basicAuth: Self.auth),
                    database: "cdc", tableNameTemplate: "{schema}_{table}", versionColumn: "_version")))
        let sink = try #require(rendered.last)
        #expect(sink.role == .sink(.clickHouse))
        #expect(sink.pluginClass == "com.clickhouse.kafka.connect.ClickHouseSinkConnector")
        #expect(
            sink.config == [
                "name": "shop.orders.clickhouse",
                "connector.class": "com.clickhouse.kafka.connect.ClickHouseSinkConnector",
                "hostname": "clickhouse.analytics.svc",
                "port": "8443",
                "ssl": "true",
                "username": "${secrets:shop/ch-credentials:username}",
                "password": "${secrets:shop/ch-credentials:password}",
                "database": "cdc",
                "topics": "shop.public.orders,shop.public.order_lines",
                "topic2TableMap": "shop.public.orders=public_orders,shop.public.order_lines=public_order_lines",
                "transforms": "unwrap,version",
                "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
                "transforms.unwrap.delete.tombstone.handling.mode": "rewrite",
                "transforms.unwrap.add.fields": "source.lsn",
                "transforms.version.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
                "transforms.version.renames": "__source_lsn:_version",
            ])
    }

    @Test("MySQL versions rows by the event time; a table override renames one destination")
    func upsertMySQL() throws {
        let config = try RenderFixture.sink(
            Self.object(
                ClickHouseSink(
                    endpoint: ServiceEndpoint(url: "http://ch:8123", basicAuth: Self.auth), database: "cdc",
                    versionColumn: "ver", tables: [SinkTableOverride(source: "inventory.stock", name: "stock_levels")]),
                engine: .mysql), .clickHouse)
        #expect(config["transforms.unwrap.add.fields"] == "ts_ms")
        #expect(config["transforms.version.renames"] == "__ts_ms:ver")
        #expect(config["topic2TableMap"] == "shop.inventory.products=products,shop.inventory.stock=stock_levels")
    }

    @Test("without upsert deletes are dropped and no version is added; without a version column no rename")
    func appendAndNoVersion() throws {
        let append = try RenderFixture.sink(
            Self.object(
                ClickHouseSink(
                    endpoint: ServiceEndpoint(url: "http://ch", basicAuth: Self.auth), database: "cdc", upsert: false,
                    versionColumn: "_version")), .clickHouse)
        #expect(append["transforms"] == "unwrap")
        #expect(append["transforms.unwrap.delete.tombstone.handling.mode"] == "drop")
        #expect(append["transforms.unwrap.add.fields"] == nil)
        let noVersion = try RenderFixture.sink(
            Self.object(
                ClickHouseSink(endpoint: ServiceEndpoint(url: "http://ch", basicAuth: Self.auth), database: "cdc")),
            .clickHouse)
        #expect(noVersion["transforms"] == "unwrap")
        #expect(noVersion["transforms.unwrap.delete.tombstone.handling.mode"] == "rewrite")
        #expect(noVersion["transforms.version.renames"] == nil)
    }

    static let urls: [(String, host: String, port: String, ssl: String)] = [
        ("http://ch:8123", "ch", "8123", "false"),
        ("http://ch", "ch", "8123", "false"),
        ("https://ch.example.com", "ch.example.com", "8443", "true"),
        ("HTTPS://ch.example.com:9443/", "ch.example.com", "9443", "true"),
        ("http://10.1.2.3:18123", "10.1.2.3", "18123", "false"),
    ]

    @Test("the endpoint URL becomes hostname, port and ssl, with ClickHouse's default ports", arguments: urls)
    func url(_ row: (String, host: String, port: String, ssl: String)) throws {
        let (url, host, port, ssl) = row
        let config = try RenderFixture.sink(
            Self.object(ClickHouseSink(endpoint: ServiceEndpoint(url: url, basicAuth: Self.auth), database: "cdc")),
            .clickHouse)
        #expect(config["hostname"] == host)
        #expect(config["port"] == port)
        #expect(config["ssl"] == ssl)
    }

    @Test(
        "URLs the sink cannot take are render errors on the URL field",
        arguments: ["ftp://ch:21", "ch:8123", "http://user:pw@ch:8123", "http://ch:8123/play", "http://ch?x=1", ""])
    func badURL(_ url: String) {
        let error = RenderFixture.error(
            Self.object(ClickHouseSink(endpoint: ServiceEndpoint(url: url, basicAuth: Self.auth), database: "cdc")))
        #expect(error?.field == "spec.sinks.clickHouse.endpoint.url")
    }

    @Test("without URL or credentials in the spec, the operator's defaults are used; without defaults it is an error")
    func defaults() throws {
        let object = Self.object(ClickHouseSink(database: "cdc"))
        let settings = CDCRenderSettings(
            secretReferences: .file(alias: "file", mountPath: "/mnt"), defaultClickHouseURL: "https://ch.hmco.svc",
            defaultClickHouseCredentialsSecret: SecretRef(namespace: "hmco", name: "clickhouse"))
        let config = try RenderFixture.sink(object, .clickHouse, settings)
        #expect(config["hostname"] == "ch.hmco.svc")
        #expect(config["port"] == "8443")
        #expect(config["username"] == "${file:/mnt/clickhouse.properties:username}")
        #expect(config["password"] == "${file:/mnt/clickhouse.properties:password}")

        var noURL = settings
        noURL.defaultClickHouseURL = nil
        #expect(RenderFixture.error(object, noURL)?.field == "spec.sinks.clickHouse.endpoint.url")
        var noCredentials = settings
        noCredentials.defaultClickHouseCredentialsSecret = nil
        #expect(RenderFixture.error(object, noCredentials)?.field == "spec.sinks.clickHouse.endpoint.basicAuth")
    }

    @Test("a bearer token or a PEM CA cannot be given to the ClickHouse sink")
    func unsupportedAuth() {
        let bearer = Self.object(
            ClickHouseSink(
                endpoint: ServiceEndpoint(
                    url: "http://ch", bearerTokenSecretRef: SecretKeySelector(name: "t", key: "token")), database: "cdc"
            ))
        #expect(RenderFixture.error(bearer)?.field == "spec.sinks.clickHouse.endpoint.bearerTokenSecretRef")
        let ca = Self.object(
            ClickHouseSink(
                endpoint: ServiceEndpoint(
                    url: "https://ch", basicAuth: Self.auth,
                    tls: ClientTLS(caSecretRef: SecretKeySelector(name: "ca", key: "ca.crt"))), database: "cdc"))
        #expect(RenderFixture.error(ca)?.field == "spec.sinks.clickHouse.endpoint.tls.caSecretRef")
    }

    @Test("sinks come after the source: Iceberg, then ClickHouse")
    func order() throws {
        let sinks = CDCSinks(
            iceberg: IcebergSink(catalog: RenderFixture.catalog, namespace: "cdc", primaryKeys: ["id"]),
            clickHouse: ClickHouseSink(
                endpoint: ServiceEndpoint(url: "http://ch", basicAuth: Self.auth), database: "cdc"))
        let rendered = try RenderFixture.render(RenderFixture.postgres(sinks: sinks))
        #expect(rendered.map(\.name) == ["shop.orders", "shop.orders.iceberg", "shop.orders.clickhouse"])
        #expect(rendered.map(\.role) == [.source, .sink(.iceberg), .sink(.clickHouse)])
        let topics = try #require(rendered.first?.config["table.include.list"]).split(separator: ",").count
        for sink in rendered.dropFirst() {
            #expect(sink.config["topics"]?.split(separator: ",").count == topics)
        }
    }
}

@Suite("CDCConnector rendering: the sample")
struct CDCConnectorSampleRenderingTests {
    static func sample() throws -> CDCConnector {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/cdcconnector.yaml")
        let node = try #require(try Yams.compose(yaml: String(contentsOf: url, encoding: .utf8)))
        var object = try JSONCoding.fromJSON(CDCConnector.self, try json(node))
        object.metadata.namespace = "trading"
        return object
    }

    /// YAML 1.2 core schema, as kubectl reads manifests.
    static func json(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
            if ["", "~", "null"].contains(scalar.string) { return .null }
            if scalar.string == "true" || scalar.string == "false" { return .bool(scalar.string == "true") }
            if let int = Int64(scalar.string) { return .int(int) }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object: JSONObject = [:]
            for (key, value) in mapping { object[key.string ?? ""] = try json(value) }
            return .object(object)
        case .sequence(let sequence):
            return .array(try sequence.map(json))
        case .alias:
            throw RenderError(field: "yaml", message: "aliases are not used")
        }
    }

    @Test("samples/cdcconnector.yaml renders exactly the expected source connector")
    func sampleSource() throws {
        let sample = try Self.sample()
        let rendered = try RenderFixture.render(sample)
        let source = try #require(rendered.first)
        #expect(source.name == "trading.trading-cdc")
        #expect(
            source.config == [
                "name": "trading.trading-cdc",
                "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
                "tasks.max": "1",
                "database.hostname": "trading-db.trading.svc.cluster.local",
                "database.port": "5432",
                "database.user": "debezium",
                "database.password": "${secrets:trading/trading-db-debezium:password}",
                "database.dbname": "trading",
                "database.sslmode": "require",
                "topic.prefix": "cdc.trading",
                "table.include.list": #"public\.trades,public\.positions"#,
                "plugin.name": "pgoutput",
                "slot.name": "trading_cdc",
                "publication.name": "trading_cdc",
                "publication.autocreate.mode": "filtered",
                "snapshot.mode": "initial",
                "heartbeat.interval.ms": "30000",
            ])
        #expect(
            CDCConnectorRendering.topics(of: sample) == ["cdc.trading.public.trades", "cdc.trading.public.positions"])
    }

    @Test("the sample's Iceberg sink upserts both tables by trade_id into trading_cdc")
    func sampleSink() throws {
        let sample = try Self.sample()
        let rendered = try RenderFixture.render(sample)
        #expect(rendered.map(\.role) == [.source, .sink(.iceberg)])
        let sink = try #require(rendered.last).config
        #expect(sink["topics"] == "cdc.trading.public.trades,cdc.trading.public.positions")
        #expect(sink["iceberg.tables"] == "trading_cdc.trades,trading_cdc.positions")
        #expect(sink["iceberg.tables.default-id-columns"] == "trade_id")
        #expect(sink["iceberg.catalog.credential"] == "${secrets:trading/iceberg-catalog-credentials:credential}")
        #expect(
            CDCConnectorRendering.referencedSecrets(of: sample, settings: RenderFixture.settings) == [
                SecretRef(namespace: "trading", name: "iceberg-catalog-credentials"),
                SecretRef(namespace: "trading", name: "trading-db-debezium"),
            ])
    }
}
