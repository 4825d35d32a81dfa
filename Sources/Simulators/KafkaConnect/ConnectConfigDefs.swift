/// The configuration keys Connect defines for every connector and the keys each simulated
/// plugin defines — a subset of the real `ConfigDef`s, with their defaults and checks.
enum ConnectConfigDefs {
    typealias Key = ConnectConfigKey
    typealias Plugin = KafkaConnectSimulator.Plugin

    /// Connect's own keys (`ConnectorConfig` plus the sink or source additions), in definition order.
    static func base(_ type: KafkaConnectSimulator.PluginType) -> [Key] {
        var keys = common
        keys.append(contentsOf: type == .sink ? sink : source)
        return keys
    }

    /// The plugin's own keys, in definition order.
    static func plugin(_ plugin: Plugin) -> [Key] {
        switch plugin.rules {
        case .debeziumPostgres: postgres
        case .debeziumMySQL: mysql
        case .icebergSink: iceberg
        case .clickHouseSink: clickHouse
        case .generic(let required):
            required.enumerated().map { index, name in
                Key(name, .string, required: true, importance: .high, order: index + 1, documentation: name)
            }
        }
    }

    /// Groups in the order Connect lists them: its own, then the plugin's.
    static func groups(_ keys: [Key]) -> [String] {
        var seen: [String] = []
        for key in keys { if let group = key.group, !seen.contains(group) { seen.append(group) } }
        return seen
    }

    // MARK: Connect

    private static let connectorName: @Sendable (String) -> String? = { value in
        if value.isEmpty { return "String may not be empty" }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "String may not contain control sequences"
        }
        return nil
    }

    private static let common: [Key] = [
        Key(
            "name", .string, required: true, importance: .high, group: "Common", order: 1, width: .medium,
            display: "Connector name", documentation: "Globally unique name to use for this connector.",
            check: connectorName),
        Key(
            "connector.class", .string, required: true, importance: .high, group: "Common", order: 2, width: .long,
            display: "Connector class",
            documentation: "Name or alias of the class for this connector. Must be a subclass of "
                + "org.apache.kafka.connect.connector.Connector."),
        Key(
            "tasks.max", .int, default: "1", importance: .high, group: "Common", order: 3, width: .short,
            display: "Tasks max", documentation: "Maximum number of tasks to use for this connector.",
            check: Key.atLeast(1)),
        Key(
            "key.converter", .className, importance: .low, group: "Common", order: 5, width: .short,
            display: "Key converter class",
            documentation: "Converter class used to convert between Kafka Connect format and the serialized form "
                + "that is written to Kafka."),
        Key(
            "value.converter", .className, importance: .low, group: "Common", order: 6, width: .short,
            display: "Value converter class",
            documentation: "Converter class used to convert between Kafka Connect format and the serialized form "
                + "that is written to Kafka."),
        Key(
            "header.converter", .className, default: "org.apache.kafka.connect.storage.SimpleHeaderConverter",
            importance: .low, group: "Common", order: 7, width: .short, display: "Header converter class",
            documentation: "HeaderConverter class used to convert between Kafka Connect format and the serialized "
                + "form that is written to Kafka."),
        Key(
            "config.action.reload", .string, default: "restart", importance: .low, group: "Common", order: 8,
            width: .medium, display: "Reload Action", allowed: ["none", "restart"], caseInsensitive: true,
            documentation: "The action that Connect should take on the connector when changes in external "
                + "configuration providers result in a change in the connector's configuration properties."),
        Key(
            "transforms", .list, default: "", importance: .low, group: "Transforms", order: 1, width: .long,
            display: "Transforms", documentation: "Aliases for the transformations to be applied to records."),
        Key(
            "predicates", .list, default: "", importance: .low, group: "Predicates", order: 1, width: .long,
            display: "Predicates", documentation: "Aliases for the predicates used by transformations."),
        Key(
            "errors.retry.timeout", .long, default: "0", importance: .medium, group: "Error Handling", order: 1,
            width: .medium, display: "Retry Timeout for Errors",
            documentation: "The maximum duration in milliseconds that a failed operation will be reattempted."),
        Key(
            "errors.retry.delay.max.ms", .long, default: "60000", importance: .medium, group: "Error Handling",
            order: 2, width: .medium, display: "Maximum Delay Between Retries for Errors",
            documentation: "The maximum duration in milliseconds between consecutive retry attempts."),
        Key(
            "errors.tolerance", .string, default: "none", importance: .medium, group: "Error Handling", order: 3,
            width: .short, display: "Error Tolerance", allowed: ["none", "all"], caseInsensitive: true,
            documentation: "Behavior for tolerating errors during connector operation."),
        Key(
            "errors.log.enable", .boolean, default: "false", importance: .medium, group: "Error Handling", order: 4,
            width: .short, display: "Log Errors",
            documentation: "If true, write each error and the details of the failed operation to the Connect log."),
        Key(
            "errors.log.include.messages", .boolean, default: "false", importance: .medium, group: "Error Handling",
            order: 5, width: .short, display: "Log Error Details",
            documentation: "Whether to include in the log the Connect record that resulted in a failure."),
    ]

    private static let sink: [Key] = [
        Key(
            "topics", .list, default: "", importance: .high, group: "Common", order: 4, width: .long,
            display: "Topics", documentation: "List of topics to consume, separated by commas"),
        Key(
            "topics.regex", .string, default: "", importance: .high, group: "Common", order: 4, width: .long,
            display: "Topics regex",
            documentation: "Regular expression giving topics to consume. Only one of topics or topics.regex "
                + "should be specified."),
        Key(
            "errors.deadletterqueue.topic.name", .string, default: "", importance: .medium, group: "Error Handling",
            order: 6, width: .medium, display: "Dead Letter Queue Topic Name",
            documentation: "The name of the topic to be used as the dead letter queue (DLQ) for messages that "
                + "result in an error when processed by this sink connector."),
        Key(
            "errors.deadletterqueue.topic.replication.factor", .short, default: "3", importance: .medium,
            group: "Error Handling", order: 7, width: .medium, display: "Dead Letter Queue Topic Replication Factor",
            documentation: "Replication factor used to create the dead letter queue topic when it doesn't already "
                + "exist."),
        Key(
            "errors.deadletterqueue.context.headers.enable", .boolean, default: "false", importance: .medium,
            group: "Error Handling", order: 8, width: .medium, display: "Enable Error Context Headers",
            documentation: "If true, add headers containing error context to the messages written to the dead "
                + "letter queue."),
    ]

    private static let source: [Key] = [
        Key(
            "topic.creation.groups", .list, default: "", importance: .low, group: "Topic Creation", order: 1,
            width: .long, display: "Topic Creation Groups",
            documentation: "Groups of configurations for topics created by source connectors"),
        Key(
            "exactly.once.support", .string, default: "requested", importance: .medium,
            group: "Exactly Once Support", order: 1, width: .short, display: "Exactly once support",
            allowed: ["requested", "required"], caseInsensitive: true,
            documentation: "Permitted values are requested, required."),
        Key(
            "transaction.boundary", .string, default: "poll", importance: .medium, group: "Exactly Once Support",
            order: 2, width: .short, display: "Transaction Boundary", allowed: ["poll", "interval", "connector"],
            caseInsensitive: true, documentation: "Permitted values are: poll, interval, connector."),
        Key(
            "offsets.storage.topic", .string, importance: .low, group: "offsets.topic", order: 1, width: .long,
            display: "Offsets topic",
            documentation: "The name of a separate offsets topic to use for this connector."),
    ]

    // MARK: Debezium

    private static let topicPrefix = Key.matches(
        Key.lowercaseLetters.union(Key.uppercaseLetters).union(Key.digits).union(["-", ".", "_"]),
        reason: "Topic prefix must only contain alphanumerics, '.', '_' and '-'")

    private static let slotName = Key.matches(
        Key.lowercaseLetters.union(Key.digits).union(["_"]), maxLength: 63,
        reason: "Valid replication slot name must contain only digits, lowercase characters and underscores "
            + "with length <= 63")

    private static let positiveLong: @Sendable (String) -> String? = { value in
        (Int64(value) ?? 1) > 0 ? nil : "A positive, non-zero value is required"
    }

    private static func connection(port: String) -> [Key] {
        [
            Key(
                "database.hostname", .string, required: true, importance: .high, group: "Connection", order: 1,
                width: .medium, display: "Hostname",
                documentation: "Resolvable hostname or IP address of the database server."),
            Key(
                "database.port", .int, default: port, importance: .high, group: "Connection", order: 2,
                width: .short, display: "Port", documentation: "Port of the database server.",
                check: Key.atLeast(1)),
            Key(
                "database.user", .string, required: true, importance: .high, group: "Connection", order: 3,
                width: .short, display: "User",
                documentation: "Name of the database user to be used when connecting to the database."),
            Key(
                "database.password", .password, required: true, importance: .high, group: "Connection", order: 4,
                width: .short, display: "Password",
                documentation: "Password of the database user to be used when connecting to the database."),
        ]
    }

    private static func filters(_ outer: String) -> [Key] {
        [outer, "table", "column"].flatMap { level in
            ["include", "exclude"].map { kind in
                Key(
                    "\(level).\(kind).list", .list, importance: .medium, group: "Filters", order: 1, width: .long,
                    display: "\(level.capitalized) \(kind.capitalized) List",
                    documentation: "A comma-separated list of regular expressions that match the \(level)s to "
                        + "\(kind == "include" ? "capture" : "leave out").")
            }
        }
    }

    private static func connector(snapshotModes: [String]) -> [Key] {
        [
            Key(
                "topic.prefix", .string, required: true, importance: .high, group: "Connector", order: 1,
                width: .medium, display: "Topic prefix",
                documentation: "Topic prefix that identifies and provides a namespace for the particular database "
                    + "server/cluster is capturing changes. Must not change after the first start.",
                check: topicPrefix),
            Key(
                "snapshot.mode", .string, default: "initial", importance: .low, group: "Connector", order: 2,
                width: .short, display: "Snapshot mode", allowed: snapshotModes, caseInsensitive: true,
                documentation: "The criteria for running a snapshot upon startup of the connector."),
            Key(
                "heartbeat.interval.ms", .int, default: "0", importance: .medium, group: "Connector", order: 3,
                width: .medium, display: "Connector heartbeat interval (milli-seconds)",
                documentation: "Length of an interval in milli-seconds in which the connector periodically sends "
                    + "heartbeat messages; 0 disables them.", check: Key.atLeast(0)),
            Key(
                "tombstones.on.delete", .boolean, default: "true", importance: .medium, group: "Connector", order: 4,
                width: .short, display: "Change the behaviour of Debezium with regards to delete operations",
                documentation: "Whether delete operations should be represented by a delete event and a subsequent "
                    + "tombstone event (true) or only by a delete event (false)."),
        ]
    }

    private static let postgres: [Key] =
        connection(port: "5432") + [
            Key(
                "database.dbname", .string, required: true, importance: .high, group: "Connection", order: 5,
                width: .medium, display: "Database",
                documentation: "The name of the database from which the connector should capture changes."),
            Key(
                "database.sslmode", .string, default: "prefer", importance: .medium, group: "Connection", order: 6,
                width: .short, display: "Connection SSL mode",
                allowed: ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"], caseInsensitive: true,
                documentation: "Whether to use an encrypted connection to Postgres."),
            Key(
                "plugin.name", .string, default: "decoderbufs", importance: .medium, group: "Connection", order: 7,
                width: .medium, display: "Plugin", allowed: ["decoderbufs", "pgoutput"], caseInsensitive: true,
                documentation: "The name of the Postgres logical decoding plugin installed on the server."),
            Key(
                "slot.name", .string, default: "debezium", importance: .medium, group: "Connection", order: 8,
                width: .medium, display: "Slot",
                documentation: "The name of the Postgres logical decoding slot created for streaming changes from a "
                    + "plugin. Defaults to 'debezium'.", check: slotName),
            Key(
                "slot.drop.on.stop", .boolean, default: "false", importance: .medium, group: "Connection", order: 9,
                width: .short, display: "Drop slot on stop",
                documentation: "Whether or not to drop the logical replication slot when the connector finishes "
                    + "orderly."),
            Key(
                "publication.name", .string, default: "dbz_publication", importance: .medium, group: "Connection",
                order: 10, width: .medium, display: "Publication",
                documentation: "The name of the Postgres 10+ publication used for streaming changes from a plugin."),
            Key(
                "publication.autocreate.mode", .string, default: "all_tables", importance: .medium,
                group: "Connection", order: 11, width: .medium, display: "Publication Auto Create Mode",
                allowed: ["all_tables", "disabled", "filtered", "no_tables"], caseInsensitive: true,
                documentation: "Applies only when streaming changes using pgoutput. Determines how creation of a "
                    + "publication should work."),
            Key(
                "offset.mismatch.strategy", .string, default: "no_validation", importance: .low, group: "Connection",
                order: 12, width: .medium, display: "Offset mismatch strategy",
                allowed: ["no_validation", "trust_offset", "trust_slot", "trust_greater_lsn"], caseInsensitive: true,
                documentation: "How to reconcile the stored offset with the replication slot's position."),
        ] + filters("schema")
        + connector(snapshotModes: [
            "always", "initial", "initial_only", "no_data", "when_needed", "configuration_based", "custom",
        ])

    private static let mysql: [Key] =
        connection(port: "3306") + [
            Key(
                "database.server.id", .long, required: true, importance: .high, group: "Connection", order: 5,
                width: .long, display: "Cluster ID",
                documentation: "A numeric ID of this database client, which must be unique across all "
                    + "currently-running database processes in the cluster.", check: positiveLong),
            Key(
                "database.ssl.mode", .string, default: "preferred", importance: .medium, group: "Connection",
                order: 6, width: .medium, display: "SSL mode",
                allowed: ["disabled", "preferred", "required", "verify_ca", "verify_identity"], caseInsensitive: true,
                documentation: "Whether to use an encrypted connection to the database."),
            Key(
                "schema.history.internal", .className, default: "io.debezium.storage.kafka.history.KafkaSchemaHistory",
                importance: .low, group: "History Storage", order: 1, width: .long,
                display: "Database schema history class",
                documentation: "The name of the SchemaHistory class that should be used to store and recover "
                    + "database schema changes."),
            Key(
                "schema.history.internal.kafka.bootstrap.servers", .string, required: true, importance: .high,
                group: "History Storage", order: 2, width: .long, display: "Kafka broker addresses",
                documentation: "A list of host/port pairs that the connector will use for establishing the initial "
                    + "connection to the Kafka cluster for retrieving database schema history previously stored."),
            Key(
                "schema.history.internal.kafka.topic", .string, required: true, importance: .high,
                group: "History Storage", order: 3, width: .long, display: "Database schema history topic name",
                documentation: "The name of the topic for the database schema history."),
            Key(
                "include.schema.changes", .boolean, default: "true", importance: .medium, group: "Connector",
                order: 5, width: .short, display: "Include database schema changes",
                documentation: "Whether the connector should publish changes in the database schema to a Kafka "
                    + "topic with the same name as the database server ID."),
            Key(
                "snapshot.locking.mode", .string, default: "minimal", importance: .low, group: "Connector", order: 6,
                width: .short, display: "Snapshot locking mode", allowed: ["minimal", "extended", "none", "custom"],
                caseInsensitive: true, documentation: "Controls how long the connector holds onto the global read lock."
            ),
        ] + filters("database")
        + connector(snapshotModes: [
            "always", "initial", "initial_only", "no_data", "recovery", "when_needed", "configuration_based", "custom",
        ])

    // MARK: Sinks

    private static let iceberg: [Key] = [
        Key(
            "iceberg.catalog", .string, default: "iceberg", importance: .medium,
            documentation: "Name of the catalog."),
        Key(
            "iceberg.catalog.type", .string, importance: .medium,
            documentation:
                "Catalog type: rest, hive, hadoop, glue, nessie or jdbc. Set this or iceberg.catalog.catalog-impl."),
        Key(
            "iceberg.catalog.catalog-impl", .string, importance: .medium,
            documentation: "Catalog implementation class. Set this or iceberg.catalog.type."),
        Key(
            "iceberg.tables", .list, importance: .high,
            documentation: "Comma-delimited list of destination tables."),
        Key(
            "iceberg.tables.dynamic-enabled", .boolean, default: "false", importance: .medium,
            documentation: "Enable dynamic routing to tables based on a record value."),
        Key(
            "iceberg.tables.route-field", .string, importance: .medium,
            documentation: "Source record field for routing records to tables."),
        Key(
            "iceberg.tables.default-commit-branch", .string, importance: .medium,
            documentation: "Default branch for commits."),
        Key(
            "iceberg.tables.auto-create-enabled", .boolean, default: "false", importance: .medium,
            documentation: "Set to true to automatically create destination tables."),
        Key(
            "iceberg.tables.evolve-schema-enabled", .boolean, default: "false", importance: .medium,
            documentation: "Set to true to add any missing record fields to the table schema."),
        Key(
            "iceberg.control.topic", .string, default: "control-iceberg", importance: .medium,
            documentation: "Name of the control topic."),
        Key(
            "iceberg.control.commit.interval-ms", .int, default: "300000", importance: .medium,
            documentation: "Commit interval in msec."),
        Key(
            "iceberg.control.commit.timeout-ms", .int, default: "30000", importance: .medium,
            documentation: "Commit timeout interval in msec."),
    ]

    private static let clickHouse: [Key] = [
        Key("hostname", .string, required: true, importance: .high, documentation: "hostname"),
        Key("port", .int, default: "8443", importance: .high, documentation: "port", check: Key.atLeast(1)),
        Key("database", .string, required: true, importance: .high, documentation: "database"),
        Key("username", .string, default: "default", importance: .high, documentation: "username"),
        Key("password", .password, default: "", importance: .low, documentation: "password"),
        Key("ssl", .boolean, default: "true", importance: .low, documentation: "enable SSL"),
        Key(
            "exactlyOnce", .boolean, default: "false", importance: .low,
            documentation: "enable exactly once semantics"),
        Key("topic2TableMap", .string, default: "", importance: .low, documentation: "Map of topics to tables"),
        Key(
            "tableRefreshInterval", .long, default: "0", importance: .low,
            documentation: "Table refresh interval in seconds"),
    ]
}
