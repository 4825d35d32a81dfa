import Foundation
import KubeAPI
import PlatformAPI

/// The sink connectors. Both consume exactly the source's topics (`topics`, in
/// spec order) and write one destination table per source table.
extension CDCConnectorRendering {
    /// Keys every sink owns besides the ones it renders: `topics.regex` would
    /// widen the sink beyond the source's topics.
    static let sinkReservedKeys: Set<String> = ["name", "connector.class", "topics", "topics.regex"]

    // MARK: Iceberg

    /// The field Tabular's `DebeziumTransform` fills with the source table, `<schema>.<table>`
    /// (Postgres; `<database>.<table>` for MySQL), the form `spec.tables` uses.
    static let icebergRouteField = "_cdc.source"
    /// The field the same transform fills with the operation, `I`, `U` or `D`.
    static let icebergCDCField = "_cdc.op"

    /// The Iceberg sink (Tabular's configuration keys, from its README and
    /// `IcebergSinkConfig`; the Apache sink shares the non-CDC ones).
    ///
    /// Routing: static fan-out. `iceberg.tables` lists the destination tables and
    /// each has `iceberg.table.<table>.route-regex` matching its source table against
    /// `iceberg.tables.route-field` = `_cdc.source`, which the `DebeziumTransform`
    /// SMT sets from the Debezium envelope (`source.schema` or `source.db`, then
    /// `source.table`); the sink matches the whole value (`Pattern.matches`). This
    /// keeps per-table names and keys, which dynamic routing by a field cannot.
    ///
    /// Upsert: `iceberg.tables.cdc-field` = `_cdc.op` applies updates and deletes,
    /// `iceberg.tables.upsert-mode-enabled` turns inserts (snapshot reads, replays)
    /// into upserts, both by the identifier columns (`iceberg.tables.default-id-columns`,
    /// `iceberg.table.<table>.id-columns`); this needs format-v2 tables. Without upsert
    /// every change is appended, `_cdc` column included. The sink skips tombstones.
    ///
    /// Not rendered, so `spec.sinks.iceberg.config` may set them: `tasks.max`,
    /// `iceberg.control.topic` (default `control-iceberg`, shared), commit intervals,
    /// `iceberg.tables.evolve-schema-enabled`, `iceberg.kafka.*`.
    static func renderIceberg(_ sink: IcebergSink, _ context: Context) throws(RenderError) -> RenderedConnector {
        let field = "spec.sinks.iceberg"
        let name = sinkConnectorName(namespace: context.namespace, name: context.name, sink: .iceberg)
        let pluginClass = context.settings.icebergSinkClass
        var config = context.settings.converterConfig
        config["name"] = name
        config["connector.class"] = pluginClass
        config["topics"] = topics(of: context.object).joined(separator: ",")

        let catalog = sink.catalog
        config["iceberg.catalog"] = catalog.name
        // `type` covers rest, hive and hadoop; other catalogs are named by class (the sink's README).
        switch catalog.type {
        case .rest: config["iceberg.catalog.type"] = "rest"
        case .hive: config["iceberg.catalog.type"] = "hive"
        case .hadoop: config["iceberg.catalog.type"] = "hadoop"
        case .glue: config["iceberg.catalog.catalog-impl"] = "org.apache.iceberg.aws.glue.GlueCatalog"
        case .nessie: config["iceberg.catalog.catalog-impl"] = "org.apache.iceberg.nessie.NessieCatalog"
        case .jdbc: config["iceberg.catalog.catalog-impl"] = "org.apache.iceberg.jdbc.JdbcCatalog"
        }
        if let uri = catalog.uri { config["iceberg.catalog.uri"] = uri }
        if let warehouse = catalog.warehouse { config["iceberg.catalog.warehouse"] = warehouse }
        for (key, value) in (catalog.properties ?? [:]).sorted(by: { $0.key < $1.key }) {
            try setCatalogProperty(key, value, in: &config, field: "\(field).catalog.properties[\(key)]")
        }
        for (key, selector) in (catalog.secretProperties ?? [:]).sorted(by: { $0.key < $1.key }) {
            try setCatalogProperty(
                key, context.placeholder(selector), in: &config, field: "\(field).catalog.secretProperties[\(key)]")
        }

        let routes = try destinations(
            of: context.spec.tables, template: sink.tableNameTemplate, overrides: sink.tables, field: field
        ) { "\(sink.namespace).\($0)" }
        config["iceberg.tables"] = routes.map(\.destination).joined(separator: ",")
        config["iceberg.tables.dynamic-enabled"] = "false"
        config["iceberg.tables.route-field"] = icebergRouteField
        for route in routes {
            config["iceberg.table.\(route.destination).route-regex"] = regexLiteral(route.source)
        }
        config["iceberg.tables.auto-create-enabled"] = String(sink.autoCreateTables)
        config["iceberg.tables.upsert-mode-enabled"] = String(sink.upsert)
        if sink.upsert { config["iceberg.tables.cdc-field"] = icebergCDCField }
        // Identifier columns also become the identifier fields of auto-created tables.
        if let keys = sink.primaryKeys { config["iceberg.tables.default-id-columns"] = keys.joined(separator: ",") }
        for route in routes {
            if let keys = route.override?.primaryKeys {
                config["iceberg.table.\(route.destination).id-columns"] = keys.joined(separator: ",")
            } else if sink.upsert && sink.primaryKeys == nil {
                throw RenderError(
                    field: "\(field).primaryKeys", message: "upsert needs primary keys for table \(route.source)")
            }
        }
        config["transforms"] = "debezium"
        config["transforms.debezium.type"] = context.settings.icebergDebeziumTransformClass

        try mergePassThrough(sink.config, into: &config, reserved: sinkReservedKeys, field: "\(field).config")
        return RenderedConnector(name: name, role: .sink(.iceberg), pluginClass: pluginClass, config: config)
    }

    private static func setCatalogProperty(
        _ key: String, _ value: String, in config: inout [String: String], field: String
    ) throws(RenderError) {
        let fullKey = "iceberg.catalog.\(key)"
        guard config[fullKey] == nil else {
            throw RenderError(
                field: field,
                message: "\(fullKey) is rendered from the catalog's name, type, uri, warehouse or another property")
        }
        config[fullKey] = value
    }

    // MARK: ClickHouse

    static let extractNewRecordStateClass = "io.debezium.transforms.ExtractNewRecordState"
    static let replaceFieldClass = "org.apache.kafka.connect.transforms.ReplaceField$Value"

    /// The ClickHouse sink (`com.clickhouse.kafka.connect.ClickHouseSinkConnector`,
    /// keys from ClickHouse's "ClickHouse Kafka Connect Sink" page). The sink only
    /// inserts into existing tables and does not apply deletes, so changes arrive as
    /// rows for a `ReplacingMergeTree`:
    ///
    /// - Debezium's `ExtractNewRecordState` SMT replaces the envelope by the row.
    ///   With upsert, `delete.tombstone.handling.mode=rewrite` turns a delete into
    ///   its before-image plus `__deleted = true` and drops tombstones; without
    ///   upsert (`drop`) deletes and tombstones are dropped and rows are appended.
    /// - With ``ClickHouseSink/versionColumn`` the SMT adds the change's position
    ///   (`add.fields`: `source.lsn` for Postgres, the event's `ts_ms` for MySQL,
    ///   which has no single increasing position) as `__source_lsn` / `__ts_ms`, and
    ///   Kafka's `ReplaceField$Value` renames it to the version column.
    ///
    /// So tables look like `ENGINE = ReplacingMergeTree(<versionColumn>, __deleted)
    /// ORDER BY (<primaryKeys>)` with `__deleted UInt8`; the primary keys are the
    /// tables' `ORDER BY`, not part of the connector configuration. Without a version
    /// column the last inserted row wins. Columns a delete's before-image lacks
    /// (Postgres without `REPLICA IDENTITY FULL`) need defaults or `Nullable`.
    ///
    /// Not rendered, so `spec.sinks.clickHouse.config` may set them: `tasks.max`,
    /// `exactlyOnce` (needs KeeperMap on the server), `clickhouseSettings`,
    /// `jdbcConnectionProperties`, the sink's trust store.
    static func renderClickHouse(
        _ sink: ClickHouseSink, _ context: Context
    ) throws(RenderError)
        -> RenderedConnector
    {
        let field = "spec.sinks.clickHouse"
        let name = sinkConnectorName(namespace: context.namespace, name: context.name, sink: .clickHouse)
        let pluginClass = context.settings.clickHouseSinkClass
        var config = context.settings.converterConfig
        config["name"] = name
        config["connector.class"] = pluginClass

        guard let url = sink.endpoint?.url ?? context.settings.defaultClickHouseURL else {
            throw RenderError(
                field: "\(field).endpoint.url", message: "required: the operator has no default ClickHouse URL")
        }
        let server = try clickHouseServer(url, field: "\(field).endpoint.url")
        config["hostname"] = server.host
        config["port"] = String(server.port)
        config["ssl"] = String(server.ssl)
        if sink.endpoint?.tls?.caSecretRef != nil {
            throw RenderError(
                field: "\(field).endpoint.tls.caSecretRef",
                message:
                    "the ClickHouse sink takes a JKS trust store (ssl.truststore.location), not a PEM bundle; leave caSecretRef out and set the trust store in spec.sinks.clickHouse.config"
            )
        }
        if sink.endpoint?.bearerTokenSecretRef != nil {
            throw RenderError(
                field: "\(field).endpoint.bearerTokenSecretRef",
                message: "the ClickHouse sink authenticates with a username and password only; use basicAuth")
        }
        if let auth = sink.endpoint?.basicAuth {
            config["username"] = context.placeholder(auth.usernameSecretRef)
            config["password"] = context.placeholder(auth.passwordSecretRef)
        } else if let secret = context.settings.defaultClickHouseCredentialsSecret {
            let style = context.settings.secretReferences
            config["username"] = style.placeholder(namespace: secret.namespace, secret: secret.name, key: "username")
            config["password"] = style.placeholder(namespace: secret.namespace, secret: secret.name, key: "password")
        } else {
            throw RenderError(
                field: "\(field).endpoint.basicAuth",
                message: "required: the operator has no default ClickHouse credentials")
        }
        config["database"] = sink.database

        let sourceTopics = topics(of: context.object)
        config["topics"] = sourceTopics.joined(separator: ",")
        let routes = try destinations(
            of: context.spec.tables, template: sink.tableNameTemplate, overrides: sink.tables, field: field
        ) { $0 }
        config["topic2TableMap"] = zip(sourceTopics, routes).map { "\($0)=\($1.destination)" }.joined(separator: ",")

        config["transforms.unwrap.type"] = extractNewRecordStateClass
        config["transforms.unwrap.delete.tombstone.handling.mode"] = sink.upsert ? "rewrite" : "drop"
        if sink.upsert, let versionColumn = sink.versionColumn {
            let (sourceField, addedField) =
                context.spec.engine == .postgres ? ("source.lsn", "__source_lsn") : ("ts_ms", "__ts_ms")
            config["transforms"] = "unwrap,version"
            config["transforms.unwrap.add.fields"] = sourceField
            config["transforms.version.type"] = replaceFieldClass
            config["transforms.version.renames"] = "\(addedField):\(versionColumn)"
        } else {
            config["transforms"] = "unwrap"
        }

        try mergePassThrough(sink.config, into: &config, reserved: sinkReservedKeys, field: "\(field).config")
        return RenderedConnector(name: name, role: .sink(.clickHouse), pluginClass: pluginClass, config: config)
    }

    /// Host, port and TLS of an `http(s)://host[:port]` URL; the ports default to
    /// ClickHouse's HTTP (8123) and HTTPS (8443) ports.
    static func clickHouseServer(
        _ url: String, field: String
    ) throws(RenderError) -> (host: String, port: Int, ssl: Bool) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw RenderError(field: field, message: "\"\(url)\" is not an http(s)://host[:port] URL")
        }
        guard components.user == nil, components.password == nil else {
            throw RenderError(field: field, message: "credentials belong in basicAuth, not in the URL")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw RenderError(
                field: field, message: "the ClickHouse sink takes a host and port only, not a path or query")
        }
        let ssl = scheme == "https"
        return (host, components.port ?? (ssl ? 8443 : 8123), ssl)
    }

    // MARK: Destination tables

    /// One source table and where a sink writes it.
    struct Route {
        var source: String
        var destination: String
        var override: SinkTableOverride?
    }

    /// The destination of each source table in spec order: the override's name or
    /// the template with `{schema}` and `{table}` filled in, then `qualify`.
    /// Names are used in comma-separated (and, for ClickHouse, `topic=table`)
    /// lists, and two source tables may not share a destination.
    static func destinations(
        of tables: [String], template: String, overrides: [SinkTableOverride]?, field: String,
        qualify: (String) -> String
    ) throws(RenderError) -> [Route] {
        var routes: [Route] = []
        for source in tables {
            let schema = String(source.prefix { $0 != "." })
            let table = String(source.dropFirst(schema.count + 1))
            let index = overrides?.firstIndex { $0.source == source }
            let override = index.flatMap { overrides?[$0] }
            let nameField = index.map { "\(field).tables[\($0)].name" } ?? "\(field).tableNameTemplate"
            let name =
                override?.name
                ?? template.replacingOccurrences(of: "{schema}", with: schema)
                .replacingOccurrences(of: "{table}", with: table)
            guard !name.isEmpty, !name.contains(where: { $0 == "," || $0 == "=" || $0.isWhitespace }) else {
                throw RenderError(
                    field: nameField,
                    message: "destination \"\(name)\" of \(source) is empty or has a comma, = or space")
            }
            let destination = qualify(name)
            if let other = routes.first(where: { $0.destination == destination }) {
                throw RenderError(
                    field: nameField,
                    message: "tables \(other.source) and \(source) would both be written to \(destination)")
            }
            routes.append(Route(source: source, destination: destination, override: override))
        }
        return routes
    }
}
