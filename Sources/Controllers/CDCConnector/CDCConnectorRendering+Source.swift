import Foundation
import KubeAPI
import PlatformAPI

/// The Debezium source connector. Keys and values follow Debezium's PostgreSQL
/// and MySQL connector references (summarised in
/// `shared/specs/kafka-connect/DEBEZIUM_CONFIG.md`).
extension CDCConnectorRendering {
    static let postgresConnectorClass = "io.debezium.connector.postgresql.PostgresConnector"
    static let mysqlConnectorClass = "io.debezium.connector.mysql.MySqlConnector"

    static func renderSource(_ context: Context) throws(RenderError) -> RenderedConnector {
        let spec = context.spec
        let name = sourceConnectorName(namespace: context.namespace, name: context.name)
        let pluginClass = spec.engine == .postgres ? postgresConnectorClass : mysqlConnectorClass
        var config = context.settings.converterConfig
        config["name"] = name
        config["connector.class"] = pluginClass
        config["tasks.max"] = String(spec.tasksMax)
        config["database.hostname"] = spec.database.host
        config["database.port"] = String(spec.database.effectivePort(for: spec.engine))
        config["database.user"] = spec.database.user
        config["database.password"] = context.placeholder(spec.database.passwordSecretRef)
        config["topic.prefix"] = spec.topicPrefix
        // Anchored regexes over `schema.table` / `database.table`, joined in spec order.
        config["table.include.list"] = spec.tables.map(regexLiteral).joined(separator: ",")
        config["snapshot.mode"] = spec.snapshot.mode.debeziumValue
        if let interval = spec.heartbeatInterval {
            guard let seconds = GoDuration.seconds(interval) else {
                throw RenderError(field: "spec.heartbeatInterval", message: "\"\(interval)\" is not a duration")
            }
            config["heartbeat.interval.ms"] = String(Int64((seconds * 1000).rounded()))
        }
        let tlsMode = spec.database.tls?.mode ?? .prefer

        switch spec.engine {
        case .postgres:
            guard let database = spec.database.name else {
                throw RenderError(field: "spec.database.name", message: "required for engine Postgres")
            }
            if spec.snapshot.mode == .recovery {
                throw RenderError(field: "spec.snapshot.mode", message: "Recovery is only allowed for engine MySQL")
            }
            config["database.dbname"] = database
            config["database.sslmode"] = tlsMode.postgresValue
            if let ca = spec.database.tls?.caSecretRef {
                // PgJDBC reads the CA from a file; only the directory style mounts Secret keys as files.
                guard let path = context.settings.secretReferences.mountedFile(secret: ca.name, key: ca.key) else {
                    throw RenderError(
                        field: "spec.database.tls.caSecretRef",
                        message:
                            "PostgreSQL reads the CA bundle from a file (database.sslrootcert), and this operator's secret style does not mount Secrets as files; leave caSecretRef out and set database.sslrootcert in spec.config to a file on the Kafka Connect workers"
                    )
                }
                config["database.sslrootcert"] = path
            }
            // pgoutput is built into PostgreSQL 10+, no server extension needed.
            config["plugin.name"] = "pgoutput"
            config["slot.name"] = slotName(of: context.object)
            config["publication.name"] = publicationName(of: context.object)
            config["publication.autocreate.mode"] =
                (spec.postgres?.publicationAutocreate ?? .filtered).debeziumValue
            // Debezium's PostgreSQL signaling collection is `<schema>.<table>`.
            if let signalTable = spec.postgres?.signalTable {
                config["signal.data.collection"] = signalTable
            }
        case .mysql:
            guard let mysql = spec.mysql else {
                throw RenderError(field: "spec.mysql.serverID", message: "required for engine MySQL")
            }
            if spec.database.tls?.caSecretRef != nil {
                throw RenderError(
                    field: "spec.database.tls.caSecretRef",
                    message:
                        "Debezium's MySQL connector takes a JKS or PKCS#12 trust store (database.ssl.truststore), not a PEM bundle; leave caSecretRef out and set the trust store in spec.config"
                )
            }
            guard let servers = context.settings.kafkaBootstrapServers, !servers.isEmpty else {
                throw RenderError(
                    field: "spec.engine",
                    message:
                        "a MySQL source keeps its schema history in Kafka, and the operator is not configured with the Kafka bootstrap servers"
                )
            }
            config["database.server.id"] = String(mysql.serverID)
            config["database.ssl.mode"] = tlsMode.mysqlValue
            var databases: [String] = []
            for table in spec.tables {
                let database = String(table.prefix { $0 != "." })
                if !databases.contains(database) { databases.append(database) }
            }
            config["database.include.list"] = databases.map(regexLiteral).joined(separator: ",")
            config["schema.history.internal.kafka.bootstrap.servers"] = servers
            config["schema.history.internal.kafka.topic"] =
                mysql.schemaHistoryTopic ?? "\(spec.topicPrefix).schema-history"
            // DDL events would go to a topic named after the prefix that no sink reads.
            config["include.schema.changes"] = "false"
        }

        try mergePassThrough(
            spec.config, into: &config, reserved: Set(CDCConnector.ownedConfigKeys), field: "spec.config")
        return RenderedConnector(name: name, role: .source, pluginClass: pluginClass, config: config)
    }
}
