import KubeAPI

/// Change data capture from a PostgreSQL or MySQL database through Debezium on
/// Kafka Connect, with optional sink connectors into Iceberg and ClickHouse.
public struct CDCConnector: PlatformResource {
    public static let kind = "CDCConnector"
    public static let plural = "cdcconnectors"
    public static let shortNames = ["cdc"]
    /// Delete: connectors are re-creatable; offsets and replication slots outlive them.
    public static let defaultDeletionPolicy = DeletionPolicy.delete
    public static let summary =
        "CDCConnector captures the changes of database tables with a Debezium source connector on Kafka Connect and, optionally, writes them on with sink connectors into Iceberg and ClickHouse."
    public static let printerColumn = PrinterColumn(
        name: "State", type: "string", jsonPath: ".status.connectorState",
        description: "The source connector's state in Kafka Connect.")
    public static let conditionTypes = ConditionType.all

    /// Debezium and Kafka Connect keys the operator renders from the spec;
    /// `spec.config` may not set them.
    public static let ownedConfigKeys: [String] = [
        "name", "connector.class", "tasks.max", "topic.prefix", "table.include.list", "table.exclude.list",
        "database.hostname", "database.port", "database.user", "database.password", "database.dbname",
        "database.server.id", "database.sslmode", "database.ssl.mode", "database.include.list",
        "database.exclude.list", "plugin.name", "slot.name", "publication.name", "publication.autocreate.mode",
        "snapshot.mode", "signal.data.collection", "heartbeat.interval.ms",
        "schema.history.internal.kafka.topic", "schema.history.internal.kafka.bootstrap.servers",
    ]

    /// Always `data.hmco.io/v1alpha1`.
    public var apiVersion: String = PlatformAPIGroup.apiVersion
    /// Always the kind's name.
    public var kind: String = CDCConnector.kind
    /// Name, namespace, labels, finalizers and the rest of the standard metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: CDCConnectorSpec
    /// The observed state, written by the operator through the status subresource.
    public var status: CDCConnectorStatus?

    /// An object with the given metadata, spec and (optionally) status.
    public init(metadata: ObjectMeta, spec: CDCConnectorSpec, status: CDCConnectorStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Decodes an object, filling in the schema's defaults first (as the API server does).
    public init(from decoder: any Decoder) throws { self = try Self.decodeApplyingDefaults(from: decoder) }
}

/// The source database engine.
public enum DatabaseEngine: String, Codable, Sendable, Hashable, CaseIterable {
    case postgres = "Postgres"
    case mysql = "MySQL"
}

/// The connector state the spec asks for.
public enum ConnectorDesiredState: String, Codable, Sendable, Hashable, CaseIterable {
    case running = "Running"
    case paused = "Paused"
    case stopped = "Stopped"
}

/// Debezium's snapshot modes (`snapshot.mode`).
public enum SnapshotMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// Snapshot once when no offsets exist, then stream (`initial`).
    case initial = "Initial"
    /// Snapshot at every start (`always`).
    case always = "Always"
    /// Snapshot, then stop (`initial_only`).
    case initialOnly = "InitialOnly"
    /// Stream only, no snapshot (`no_data`).
    case noData = "NoData"
    /// Snapshot when offsets are missing or no longer usable (`when_needed`).
    case whenNeeded = "WhenNeeded"
    /// MySQL only: rebuild a lost schema-history topic (`recovery`).
    case recovery = "Recovery"

    /// The value Debezium expects.
    public var debeziumValue: String {
        switch self {
        case .initial: "initial"
        case .always: "always"
        case .initialOnly: "initial_only"
        case .noData: "no_data"
        case .whenNeeded: "when_needed"
        case .recovery: "recovery"
        }
    }
}

/// TLS towards the source database, in the engine-neutral form.
public enum DatabaseTLSMode: String, Codable, Sendable, Hashable, CaseIterable {
    case disable = "Disable"
    case prefer = "Prefer"
    case require = "Require"
    case verifyCA = "VerifyCA"
    case verifyFull = "VerifyFull"

    /// PostgreSQL's `database.sslmode` value.
    public var postgresValue: String {
        switch self {
        case .disable: "disable"
        case .prefer: "prefer"
        case .require: "require"
        case .verifyCA: "verify-ca"
        case .verifyFull: "verify-full"
        }
    }

    /// MySQL's `database.ssl.mode` value.
    public var mysqlValue: String {
        switch self {
        case .disable: "disabled"
        case .prefer: "preferred"
        case .require: "required"
        case .verifyCA: "verify_ca"
        case .verifyFull: "verify_identity"
        }
    }
}

/// PostgreSQL's `publication.autocreate.mode`.
public enum PublicationAutocreateMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// A publication for the included tables only (`filtered`).
    case filtered = "Filtered"
    /// A publication for all tables; needs superuser (`all_tables`).
    case allTables = "AllTables"
    /// The publication must exist already (`disabled`).
    case disabled = "Disabled"
    /// An empty publication (`no_tables`).
    case noTables = "NoTables"

    /// The value Debezium expects.
    public var debeziumValue: String {
        switch self {
        case .filtered: "filtered"
        case .allTables: "all_tables"
        case .disabled: "disabled"
        case .noTables: "no_tables"
        }
    }
}

/// The desired state of a ``CDCConnector``.
public struct CDCConnectorSpec: PlatformSpec {
    /// Postgres or MySQL; decides which Debezium connector is rendered.
    public var engine: DatabaseEngine
    /// How to reach the source database.
    public var database: SourceDatabase
    /// The tables to capture, `schema.table` (Postgres) or `database.table` (MySQL).
    public var tables: [String]
    /// Prefix of every topic the connector writes (`<prefix>.<schema>.<table>`). Immutable.
    public var topicPrefix: String
    /// How existing rows are captured.
    public var snapshot: SnapshotSettings
    /// Postgres-only settings.
    public var postgres: PostgresSettings?
    /// MySQL-only settings; required for MySQL.
    public var mysql: MySQLSettings?
    /// Whether the connectors run, are paused or are stopped.
    public var state: ConnectorDesiredState
    /// The most tasks the source connector may run (Debezium uses one).
    public var tasksMax: Int
    /// How often Debezium emits heartbeat records, so quiet tables let the slot advance.
    public var heartbeatInterval: String?
    /// Extra connector configuration passed through; keys the operator owns are rejected.
    public var config: [String: String]?
    /// Sink connectors that write the captured changes on.
    public var sinks: CDCSinks?
    /// Restarting failed connectors and tasks.
    public var autoRestart: AutoRestartPolicy
    /// A one-shot restart of the source connector.
    public var restartRequest: ConnectorRestartRequest?
    /// How to reach Kafka Connect.
    public var kafkaConnect: ServiceEndpoint?
    public var suspend: Bool
    public var mode: ReconcileMode
    public var deletionPolicy: DeletionPolicy

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        engine: DatabaseEngine, database: SourceDatabase, tables: [String], topicPrefix: String,
        snapshot: SnapshotSettings = SnapshotSettings(), postgres: PostgresSettings? = nil,
        mysql: MySQLSettings? = nil, state: ConnectorDesiredState = .running, tasksMax: Int = 1,
        heartbeatInterval: String? = nil, config: [String: String]? = nil, sinks: CDCSinks? = nil,
        autoRestart: AutoRestartPolicy = AutoRestartPolicy(), restartRequest: ConnectorRestartRequest? = nil,
        kafkaConnect: ServiceEndpoint? = nil, suspend: Bool = false, mode: ReconcileMode = .apply,
        deletionPolicy: DeletionPolicy = CDCConnector.defaultDeletionPolicy
    ) {
        self.engine = engine
        self.database = database
        self.tables = tables
        self.topicPrefix = topicPrefix
        self.snapshot = snapshot
        self.postgres = postgres
        self.mysql = mysql
        self.state = state
        self.tasksMax = tasksMax
        self.heartbeatInterval = heartbeatInterval
        self.config = config
        self.sinks = sinks
        self.autoRestart = autoRestart
        self.restartRequest = restartRequest
        self.kafkaConnect = kafkaConnect
        self.suspend = suspend
        self.mode = mode
        self.deletionPolicy = deletionPolicy
    }
}

/// The source database connection.
public struct SourceDatabase: Codable, Sendable, Hashable {
    public var host: String
    /// Defaults to 5432 (Postgres) or 3306 (MySQL); see ``effectivePort(for:)``.
    public var port: Int?
    /// The database to stream from; required for Postgres.
    public var name: String?
    /// The replication user.
    public var user: String
    /// The user's password; it reaches Kafka Connect through a config provider, never in the connector configuration.
    public var passwordSecretRef: SecretKeySelector
    /// TLS towards the database; the engine's default (prefer) when absent.
    public var tls: DatabaseTLS?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        host: String, port: Int? = nil, name: String? = nil, user: String, passwordSecretRef: SecretKeySelector,
        tls: DatabaseTLS? = nil
    ) {
        self.host = host
        self.port = port
        self.name = name
        self.user = user
        self.passwordSecretRef = passwordSecretRef
        self.tls = tls
    }

    /// The port, or the engine's default.
    public func effectivePort(for engine: DatabaseEngine) -> Int {
        port ?? (engine == .postgres ? 5432 : 3306)
    }
}

/// TLS to the source database.
public struct DatabaseTLS: Codable, Sendable, Hashable {
    public var mode: DatabaseTLSMode
    /// PEM bundle of the CA to verify the server with (VerifyCA, VerifyFull).
    public var caSecretRef: SecretKeySelector?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(mode: DatabaseTLSMode = .prefer, caSecretRef: SecretKeySelector? = nil) {
        self.mode = mode
        self.caSecretRef = caSecretRef
    }
}

/// How the connector snapshots existing rows.
public struct SnapshotSettings: Codable, Sendable, Hashable {
    public var mode: SnapshotMode
    /// Postgres: when a table is added to a running connector, signal an
    /// incremental snapshot of it (needs ``PostgresSettings/signalTable``).
    public var incrementalOnNewTables: Bool

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(mode: SnapshotMode = .initial, incrementalOnNewTables: Bool = false) {
        self.mode = mode
        self.incrementalOnNewTables = incrementalOnNewTables
    }
}

/// Postgres-only settings.
public struct PostgresSettings: Codable, Sendable, Hashable {
    /// The logical replication slot; defaults to one derived from the object's namespace and name.
    public var slotName: String?
    /// The publication; defaults to one derived from the object's namespace and name.
    public var publicationName: String?
    /// Whether and how Debezium creates the publication.
    public var publicationAutocreate: PublicationAutocreateMode
    /// The Debezium signaling table (`schema.table`) used for incremental snapshots.
    public var signalTable: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        slotName: String? = nil, publicationName: String? = nil,
        publicationAutocreate: PublicationAutocreateMode = .filtered, signalTable: String? = nil
    ) {
        self.slotName = slotName
        self.publicationName = publicationName
        self.publicationAutocreate = publicationAutocreate
        self.signalTable = signalTable
    }
}

/// MySQL-only settings.
public struct MySQLSettings: Codable, Sendable, Hashable {
    /// The replica id the connector joins the MySQL cluster with; unique in that cluster.
    public var serverID: Int64
    /// The schema-history topic; defaults to `<topicPrefix>.schema-history`.
    public var schemaHistoryTopic: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(serverID: Int64, schemaHistoryTopic: String? = nil) {
        self.serverID = serverID
        self.schemaHistoryTopic = schemaHistoryTopic
    }
}

/// The sink connectors written next to the source connector.
public struct CDCSinks: Codable, Sendable, Hashable {
    public var iceberg: IcebergSink?
    public var clickHouse: ClickHouseSink?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(iceberg: IcebergSink? = nil, clickHouse: ClickHouseSink? = nil) {
        self.iceberg = iceberg
        self.clickHouse = clickHouse
    }
}

/// The kind of Iceberg catalog.
public enum IcebergCatalogType: String, Codable, Sendable, Hashable, CaseIterable {
    case rest = "REST"
    case hive = "Hive"
    case glue = "Glue"
    case nessie = "Nessie"
    case jdbc = "JDBC"
    case hadoop = "Hadoop"
}

/// An Iceberg catalog the sink writes through.
public struct IcebergCatalog: Codable, Sendable, Hashable {
    /// The catalog name the sink uses.
    public var name: String
    /// The catalog implementation.
    public var type: IcebergCatalogType
    /// The catalog URI (REST, Hive, Nessie, JDBC).
    public var uri: String?
    /// The warehouse location, e.g. `s3://hmco-lake/warehouse`.
    public var warehouse: String?
    /// Further catalog properties (`iceberg.catalog.<key>`), not secret.
    public var properties: [String: String]?
    /// Catalog properties whose values come from Secrets, e.g. `credential`, `s3.secret-access-key`.
    public var secretProperties: [String: SecretKeySelector]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        name: String = "iceberg", type: IcebergCatalogType, uri: String? = nil, warehouse: String? = nil,
        properties: [String: String]? = nil, secretProperties: [String: SecretKeySelector]? = nil
    ) {
        self.name = name
        self.type = type
        self.uri = uri
        self.warehouse = warehouse
        self.properties = properties
        self.secretProperties = secretProperties
    }
}

/// Per-table settings of a sink that differ from the sink's defaults.
public struct SinkTableOverride: Codable, Sendable, Hashable {
    /// The source table, as listed in `spec.tables`.
    public var source: String
    /// The destination table name, instead of the sink's tableNameTemplate.
    public var name: String?
    /// The table's primary-key columns, instead of the sink's primaryKeys.
    public var primaryKeys: [String]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(source: String, name: String? = nil, primaryKeys: [String]? = nil) {
        self.source = source
        self.name = name
        self.primaryKeys = primaryKeys
    }
}

/// An Iceberg sink connector.
public struct IcebergSink: Codable, Sendable, Hashable {
    /// The catalog the sink writes through.
    public var catalog: IcebergCatalog
    /// The Iceberg namespace the tables are written to.
    public var namespace: String
    /// Destination table names; `{schema}` and `{table}` are the source's.
    public var tableNameTemplate: String
    /// Upsert by the primary keys (identifier fields) instead of appending every change.
    public var upsert: Bool
    /// The primary-key columns of every table, unless a table override says otherwise.
    public var primaryKeys: [String]?
    /// Per-table names and keys.
    public var tables: [SinkTableOverride]?
    /// Create destination tables that do not exist.
    public var autoCreateTables: Bool
    /// Extra sink configuration passed through.
    public var config: [String: String]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        catalog: IcebergCatalog, namespace: String, tableNameTemplate: String = "{table}", upsert: Bool = true,
        primaryKeys: [String]? = nil, tables: [SinkTableOverride]? = nil, autoCreateTables: Bool = true,
        config: [String: String]? = nil
    ) {
        self.catalog = catalog
        self.namespace = namespace
        self.tableNameTemplate = tableNameTemplate
        self.upsert = upsert
        self.primaryKeys = primaryKeys
        self.tables = tables
        self.autoCreateTables = autoCreateTables
        self.config = config
    }
}

/// A ClickHouse sink connector.
public struct ClickHouseSink: Codable, Sendable, Hashable {
    /// How the sink reaches ClickHouse (URL and credentials); defaults to the operator's configuration.
    public var endpoint: ServiceEndpoint?
    /// The ClickHouse database the tables are written to.
    public var database: String
    /// Destination table names; `{schema}` and `{table}` are the source's.
    public var tableNameTemplate: String
    /// Upsert through ReplacingMergeTree tables keyed by the primary keys.
    public var upsert: Bool
    /// The ReplacingMergeTree version column.
    public var versionColumn: String?
    /// The primary-key columns of every table, unless a table override says otherwise.
    public var primaryKeys: [String]?
    /// Per-table names and keys.
    public var tables: [SinkTableOverride]?
    /// Extra sink configuration passed through.
    public var config: [String: String]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        endpoint: ServiceEndpoint? = nil, database: String, tableNameTemplate: String = "{table}", upsert: Bool = true,
        versionColumn: String? = nil, primaryKeys: [String]? = nil, tables: [SinkTableOverride]? = nil,
        config: [String: String]? = nil
    ) {
        self.endpoint = endpoint
        self.database = database
        self.tableNameTemplate = tableNameTemplate
        self.upsert = upsert
        self.versionColumn = versionColumn
        self.primaryKeys = primaryKeys
        self.tables = tables
        self.config = config
    }
}

/// When and how often failed connectors and tasks are restarted.
public struct AutoRestartPolicy: Codable, Sendable, Hashable {
    /// Restart failed connectors and tasks at all.
    public var enabled: Bool
    /// Restarts before the object is marked Stalled; the count resets once all tasks run.
    public var maxRestarts: Int
    /// The wait before the first restart; doubled after each.
    public var initialBackoff: String
    /// The longest wait between restarts.
    public var maxBackoff: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(enabled: Bool = true, maxRestarts: Int = 5, initialBackoff: String = "30s", maxBackoff: String = "10m")
    {
        self.enabled = enabled
        self.maxRestarts = maxRestarts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }
}

/// A one-shot restart of the source connector.
public struct ConnectorRestartRequest: OneShotRequest {
    public static let requestType = "Restart"
    public var id: String
    /// Restart the tasks too, not only the connector.
    public var includeTasks: Bool
    /// Restart only instances that failed.
    public var onlyFailed: Bool

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(id: String, includeTasks: Bool = true, onlyFailed: Bool = false) {
        self.id = id
        self.includeTasks = includeTasks
        self.onlyFailed = onlyFailed
    }
}

/// The kind of a sink connector.
public enum SinkType: String, Codable, Sendable, Hashable, CaseIterable {
    case iceberg = "Iceberg"
    case clickHouse = "ClickHouse"
}

/// The observed state of a ``CDCConnector``.
public struct CDCConnectorStatus: RequestRecordingStatus {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var plan: [PlannedAction]?
    public var lastAppliedPlan: AppliedPlan?
    public var lastReconcileTime: Time?
    public var handledRequests: [HandledRequest]?
    /// The source connector's name in Kafka Connect.
    public var connectorName: String?
    /// The source connector's state as Kafka Connect reports it (RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING).
    public var connectorState: String?
    /// The worker running the source connector.
    public var workerID: String?
    /// The connector's tasks.
    public var tasks: [ConnectorTaskStatus]?
    /// The sink connectors.
    public var sinkConnectors: [SinkConnectorStatus]?
    /// Automatic restarts since the tasks last all ran.
    public var restartCount: Int?
    /// When the operator last restarted a connector or task.
    public var lastRestartTime: Time?
    /// The last failure seen.
    public var lastError: ConnectorError?
    /// The topics the connector writes.
    public var topics: [String]?
    /// The tables in the configuration last applied (to spot added tables).
    public var capturedTables: [String]?
    /// `sha256:<hex>` of the rendered source configuration last applied.
    public var configHash: String?
    /// `sha256:<hex>` over the resourceVersions (never the values) of the Secrets the
    /// connector configurations refer to; a change restarts the connectors so Kafka
    /// Connect's config provider reads the new values.
    public var secretsVersion: String?

    /// An empty status, as on an object the operator has not reconciled yet.
    public init() {}
}

/// One task of a connector.
public struct ConnectorTaskStatus: Codable, Sendable, Hashable {
    public var id: Int
    /// As Kafka Connect reports it.
    public var state: String
    /// The Kafka Connect worker running it.
    public var workerID: String?
    /// The start of the failure trace, truncated.
    public var trace: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(id: Int, state: String, workerID: String? = nil, trace: String? = nil) {
        self.id = id
        self.state = state
        self.workerID = workerID
        self.trace = trace
    }
}

/// One sink connector.
public struct SinkConnectorStatus: Codable, Sendable, Hashable {
    public var type: SinkType
    /// The connector's name in Kafka Connect.
    public var name: String
    /// The connector's state as Kafka Connect reports it.
    public var state: String?
    /// The Kafka Connect worker running it.
    public var workerID: String?
    /// The connector's tasks.
    public var tasks: [ConnectorTaskStatus]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        type: SinkType, name: String, state: String? = nil, workerID: String? = nil,
        tasks: [ConnectorTaskStatus]? = nil
    ) {
        self.type = type
        self.name = name
        self.state = state
        self.workerID = workerID
        self.tasks = tasks
    }
}

/// The last failure seen.
public struct ConnectorError: Codable, Sendable, Hashable {
    /// The connector that failed.
    public var connector: String
    /// The failed task, when a task failed.
    public var taskID: Int?
    /// The error, truncated to 1 KiB.
    public var message: String
    /// When the failure was seen.
    public var time: Time

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(connector: String, taskID: Int? = nil, message: String, time: Time) {
        self.connector = connector
        self.taskID = taskID
        self.message = message
        self.time = time
    }
}

extension CDCConnector {
    /// The condition types of a CDCConnector.
    public enum ConditionType {
        public static let ready = StandardCondition.ready
        public static let reconciling = StandardCondition.reconciling
        public static let stalled = StandardCondition.stalled
        /// True when the source connector and all its tasks are in the desired state.
        public static let connectorRunning = "ConnectorRunning"
        /// True when every sink connector and its tasks run.
        public static let sinksRunning = "SinksRunning"
        public static let all = [ready, reconciling, stalled, connectorRunning, sinksRunning]
    }

    /// The reasons a CDCConnector's conditions give, besides ``StandardReason``.
    public enum Reason {
        public static let running = "Running"
        public static let paused = "Paused"
        public static let stopped = "Stopped"
        public static let taskFailed = "TaskFailed"
        public static let connectorFailed = "ConnectorFailed"
        public static let restarting = "Restarting"
        public static let restartLimitReached = "RestartLimitReached"
        public static let configInvalid = "ConfigInvalid"
        public static let ownedKeyOverride = "OwnedKeyOverride"
        public static let rebalancing = "Rebalancing"
        public static let connectorCreated = "ConnectorCreated"
        public static let connectorUpdated = "ConnectorUpdated"
        public static let snapshotSignaled = "SnapshotSignaled"
        public static let noSinks = "NoSinks"
    }
}
