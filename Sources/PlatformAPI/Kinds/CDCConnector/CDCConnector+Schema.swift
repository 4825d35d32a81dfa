import KubeAPI

extension CDCConnector {
    static let sourceTablePattern = "^[A-Za-z0-9_$]+\\.[A-Za-z0-9_$]+$"
    static let topicPrefixPattern = "^[A-Za-z0-9._-]+$"

    /// The CEL form of "config may not set a key the operator owns".
    static var ownedKeysRule: String {
        "[" + ownedConfigKeys.map { "'\($0)'" }.joined(separator: ", ") + "].all(k, !(k in self))"
    }

    static func passThroughConfig(_ description: String) -> APISchema {
        APISchema.stringMap(description).maxProperties(100)
    }

    static func sinkTables(_ description: String) -> APISchema {
        .array(
            description,
            of: .object(
                "Settings of one table that differ from the sink's.",
                [
                    "source": .string("The source table, as listed in spec.tables.").pattern(sourceTablePattern)
                        .length(max: 256).required(),
                    "name": .string("The destination table name, instead of tableNameTemplate.").length(
                        min: 1, max: 256),
                    "primaryKeys": .stringSet(
                        "The table's primary-key columns, instead of the sink's primaryKeys.",
                        item: .string("").length(min: 1, max: 128)
                    ).items(min: 1, max: 16),
                ])
        ).listMap(keys: ["source"]).items(max: 256)
    }

    public static var specSchema: APISchema {
        CommonSchema.spec(
            "The source database, the tables to capture and where their changes go.",
            [
                "engine": .enumeration("The source database engine.", DatabaseEngine.self).required(),
                "database": .object(
                    "How Debezium reaches the source database.",
                    [
                        "host": .string("Host name or address.").length(min: 1, max: 253).required(),
                        "port": .integer("Port; defaults to 5432 for Postgres and 3306 for MySQL.").range(
                            min: 1, max: 65535),
                        "name": .string("The database to stream from. Required for Postgres.").length(min: 1, max: 63),
                        "user": .string("The replication user.").length(min: 1, max: 128).required(),
                        "passwordSecretRef": CommonSchema.secretKeySelector(
                            "Secret key holding the user's password. It reaches Kafka Connect through a config provider, never in the connector's configuration."
                        ).required(),
                        "tls": .object(
                            "TLS towards the database.",
                            [
                                "mode": .enumeration(
                                    "Disable, Prefer, Require, VerifyCA or VerifyFull (mapped to the engine's own names).",
                                    DatabaseTLSMode.self
                                ).withDefault(.string(DatabaseTLSMode.prefer.rawValue)),
                                "caSecretRef": CommonSchema.secretKeySelector(
                                    "Secret key holding the PEM bundle of the CA that signed the server's certificate."),
                            ]),
                    ]
                ).required(),
                "tables": .stringSet(
                    "The tables to capture: schema.table for Postgres, database.table for MySQL.",
                    item: .string("").pattern(sourceTablePattern).length(max: 256)
                ).items(min: 1, max: 256).required(),
                "topicPrefix": .string(
                    "Prefix of every topic the connector writes (<prefix>.<schema>.<table>). Immutable: Debezium cannot follow a change."
                ).pattern(topicPrefixPattern).length(max: 200).immutable("topicPrefix is immutable").required(),
                "snapshot": .object(
                    "How existing rows are captured.",
                    [
                        "mode": .enumeration(
                            "Initial: once when no offsets exist. Always: at every start. InitialOnly: snapshot, then stop. NoData: stream only. WhenNeeded: when offsets are missing or unusable. Recovery (MySQL only): rebuild a lost schema-history topic.",
                            SnapshotMode.self
                        ).withDefault(.string(SnapshotMode.initial.rawValue)),
                        "incrementalOnNewTables": .boolean(
                            "Postgres: when a table is added to a running connector, signal an incremental snapshot of it through postgres.signalTable."
                        ).withDefault(false),
                    ]
                ).withDefault(.object([:])),
                "postgres": .object(
                    "Postgres-only settings. Not allowed for MySQL.",
                    [
                        "slotName": .string(
                            "The logical replication slot, unique per connector; defaults to one derived from the object's namespace and name."
                        ).pattern("^[a-z0-9_]+$").length(max: 63),
                        "publicationName": .string(
                            "The publication; defaults to one derived from the object's namespace and name."
                        ).pattern(Patterns.sqlIdentifier).length(max: 63),
                        "publicationAutocreate": .enumeration(
                            "Filtered: a publication for the captured tables. AllTables: for all tables (needs superuser). Disabled: it must exist. NoTables: an empty one.",
                            PublicationAutocreateMode.self
                        ).withDefault(.string(PublicationAutocreateMode.filtered.rawValue)),
                        "signalTable": .string(
                            "The Debezium signaling table (schema.table) used for incremental snapshots."
                        ).pattern(sourceTablePattern).length(max: 256),
                    ]),
                "mysql": .object(
                    "MySQL-only settings. Required for MySQL, not allowed for Postgres.",
                    [
                        "serverID": .integer(
                            "The replica id the connector joins the MySQL cluster with; unique among its replicas.",
                            format: "int64"
                        ).range(min: 1, max: 4_294_967_295).required(),
                        "schemaHistoryTopic": .string(
                            "The schema-history topic, one per connector; defaults to <topicPrefix>.schema-history."
                        ).pattern(SchemaContract.topicNamePattern),
                    ]),
                "state": .enumeration(
                    "Whether the connectors run, are paused (tasks kept, no progress) or are stopped (tasks released).",
                    ConnectorDesiredState.self
                ).withDefault(.string(ConnectorDesiredState.running.rawValue)),
                "tasksMax": .integer("The most tasks the source connector may run (Debezium uses one).")
                    .range(min: 1, max: 16).withDefault(1),
                "heartbeatInterval": CommonSchema.duration(
                    "How often Debezium writes heartbeat records, so quiet tables let the replication slot advance; off when absent."
                ),
                "config": passThroughConfig(
                    "Extra source connector configuration, passed through. Keys the operator renders from the spec are rejected."
                ).rule(ownedKeysRule, message: "config may not set keys the operator renders from the spec"),
                "sinks": .object(
                    "Sink connectors that write the captured changes on.",
                    [
                        "iceberg": .object(
                            "An Iceberg sink connector.",
                            [
                                "catalog": .object(
                                    "The Iceberg catalog the sink writes through.",
                                    [
                                        "name": .string("The catalog name.").pattern(Patterns.sqlIdentifier)
                                            .withDefault("iceberg"),
                                        "type": .enumeration("The catalog implementation.", IcebergCatalogType.self)
                                            .required(),
                                        "uri": .string("The catalog URI (REST, Hive, Nessie, JDBC).").length(max: 2048),
                                        "warehouse": .string("The warehouse location, e.g. s3://hmco-lake/warehouse.")
                                            .length(max: 2048),
                                        "properties": passThroughConfig(
                                            "Further catalog properties (iceberg.catalog.<key>), not secret."),
                                        "secretProperties": .map(
                                            "Catalog properties whose values come from Secrets, e.g. credential or s3.secret-access-key.",
                                            of: CommonSchema.secretKeySelector("The Secret key holding the value.")
                                        ).maxProperties(20),
                                    ]
                                ).required(),
                                "namespace": .string("The Iceberg namespace the tables are written to.")
                                    .length(min: 1, max: 256).required(),
                                "tableNameTemplate": .string(
                                    "Destination table names; {schema} and {table} stand for the source's."
                                ).length(min: 1, max: 256).withDefault("{table}"),
                                "upsert": .boolean(
                                    "Upsert by the primary keys (Iceberg identifier fields) instead of appending every change."
                                ).withDefault(true),
                                "primaryKeys": .stringSet(
                                    "The primary-key columns of every table, unless a table says otherwise. Required with upsert.",
                                    item: .string("").length(min: 1, max: 128)
                                ).items(min: 1, max: 16),
                                "tables": sinkTables("Per-table names and keys."),
                                "autoCreateTables": .boolean("Create destination tables that do not exist.")
                                    .withDefault(true),
                                "config": passThroughConfig("Extra sink connector configuration, passed through."),
                            ]
                        ).rule(
                            "!self.upsert || has(self.primaryKeys) || has(self.tables)",
                            message: "upsert needs primaryKeys, or tables with primaryKeys"),
                        "clickHouse": .object(
                            "A ClickHouse sink connector.",
                            [
                                "endpoint": CommonSchema.serviceEndpoint(
                                    "How the sink reaches ClickHouse's HTTP interface.", backend: "ClickHouse"),
                                "database": .string("The ClickHouse database.").pattern(Patterns.sqlIdentifier)
                                    .length(max: 256).required(),
                                "tableNameTemplate": .string(
                                    "Destination table names; {schema} and {table} stand for the source's."
                                ).length(min: 1, max: 256).withDefault("{table}"),
                                "upsert": .boolean(
                                    "Upsert through ReplacingMergeTree tables ordered by the primary keys."
                                ).withDefault(true),
                                "versionColumn": .string("The ReplacingMergeTree version column.")
                                    .pattern(Patterns.sqlIdentifier).length(max: 128),
                                "primaryKeys": .stringSet(
                                    "The primary-key columns of every table, unless a table says otherwise. Required with upsert.",
                                    item: .string("").length(min: 1, max: 128)
                                ).items(min: 1, max: 16),
                                "tables": sinkTables("Per-table names and keys."),
                                "config": passThroughConfig("Extra sink connector configuration, passed through."),
                            ]
                        ).rule(
                            "!self.upsert || has(self.primaryKeys) || has(self.tables)",
                            message: "upsert needs primaryKeys, or tables with primaryKeys"),
                    ]),
                "autoRestart": .object(
                    "Restarting failed connectors and tasks with exponential backoff.",
                    [
                        "enabled": .boolean("Restart failed connectors and tasks.").withDefault(true),
                        "maxRestarts": .integer(
                            "Restarts before the object is marked Stalled; the count resets once all tasks run."
                        ).range(min: 0, max: 100).withDefault(5),
                        "initialBackoff": CommonSchema.duration(
                            "The wait before the first restart; doubled after each."
                        )
                        .withDefault("30s"),
                        "maxBackoff": CommonSchema.duration("The longest wait between restarts.").withDefault("10m"),
                    ]
                ).withDefault(.object([:])),
                "restartRequest": .object(
                    "A one-shot restart of the source connector, carried out once per id.",
                    [
                        "id": CommonSchema.requestID("Identifies the request; set a new id to ask again."),
                        "includeTasks": .boolean("Restart the tasks too, not only the connector.").withDefault(true),
                        "onlyFailed": .boolean("Restart only instances that failed.").withDefault(false),
                    ]),
                "kafkaConnect": CommonSchema.serviceEndpoint(
                    "How to reach Kafka Connect's REST API.", backend: "Kafka Connect"),
            ],
            defaultDeletionPolicy: defaultDeletionPolicy,
            deletionEffect: "delete the source and sink connectors (offsets and the replication slot stay)."
        )
        .rule("self.engine == 'MySQL' || !has(self.mysql)", message: "mysql settings are only allowed for engine MySQL")
        .rule(
            "self.engine == 'Postgres' || !has(self.postgres)",
            message: "postgres settings are only allowed for engine Postgres"
        )
        .rule("self.engine != 'MySQL' || has(self.mysql)", message: "mysql.serverID is required for engine MySQL")
        .rule(
            "self.engine != 'Postgres' || has(self.database.name)",
            message: "database.name is required for engine Postgres"
        )
        .rule(
            "self.engine == 'MySQL' || !has(self.snapshot) || self.snapshot.mode != 'Recovery'",
            message: "snapshot mode Recovery is only allowed for engine MySQL")
    }

    static var taskStatus: APISchema {
        .object(
            "One task of a connector.",
            [
                "id": .integer("The task number.").range(min: 0).required(),
                "state": .string("The task's state as Kafka Connect reports it.").required(),
                "workerID": .string("The worker running the task."),
                "trace": .string("The start of the failure trace, truncated.").length(max: 4096),
            ])
    }

    public static var statusSchema: APISchema {
        CommonSchema.status(
            "The observed state of the connectors.",
            [
                "handledRequests": CommonSchema.handledRequests,
                "connectorName": .string("The source connector's name in Kafka Connect."),
                "connectorState": .string(
                    "The source connector's state as Kafka Connect reports it: RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED or RESTARTING."
                ),
                "workerID": .string("The worker running the source connector."),
                "tasks": .array("The source connector's tasks.", of: taskStatus).listMap(keys: ["id"]).items(max: 64),
                "sinkConnectors": .array(
                    "The sink connectors.",
                    of: .object(
                        "One sink connector.",
                        [
                            "type": .enumeration("Iceberg or ClickHouse.", SinkType.self).required(),
                            "name": .string("The connector's name in Kafka Connect.").required(),
                            "state": .string("The connector's state as Kafka Connect reports it."),
                            "workerID": .string("The worker running the connector."),
                            "tasks": .array("The connector's tasks.", of: taskStatus).listMap(keys: ["id"]).items(
                                max: 64),
                        ])
                ).listMap(keys: ["type"]).items(max: 2),
                "restartCount": .integer("Automatic restarts since all tasks last ran.").range(min: 0),
                "lastRestartTime": .dateTime("When the operator last restarted a connector or task."),
                "lastError": .object(
                    "The last failure seen.",
                    [
                        "connector": .string("The connector that failed.").required(),
                        "taskID": .integer("The failed task, when a task failed."),
                        "message": .string("The error, truncated to 1 KiB.").length(max: 1024).required(),
                        "time": .dateTime("When the failure was seen.").required(),
                    ]),
                "topics": .array("The topics the connector writes.", of: .string("")).items(max: 1024),
                "capturedTables": .array("The tables in the configuration last applied.", of: .string(""))
                    .items(max: 256),
                "configHash": .string("sha256:<hex> of the rendered source configuration last applied."),
                "secretsVersion": .string(
                    "sha256:<hex> over the resourceVersions of the Secrets the connector configurations refer to; when it changes the connectors are restarted so Kafka Connect's config provider reads the new values."
                ),
            ])
    }
}
