extension KafkaConnectSimulator {
    /// The state of a connector or task instance, as `/status` reports it.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case unassigned = "UNASSIGNED"
        case running = "RUNNING"
        case paused = "PAUSED"
        case stopped = "STOPPED"
        case failed = "FAILED"
        case restarting = "RESTARTING"
    }

    /// The state a connector was asked to be in (`initial_state`, pause, resume, stop).
    public enum TargetState: String, Sendable, Hashable, CaseIterable {
        case running = "RUNNING"
        case paused = "PAUSED"
        case stopped = "STOPPED"

        /// The state a healthy instance settles in under this target.
        var instanceState: State {
            switch self {
            case .running: .running
            case .paused: .paused
            case .stopped: .stopped
            }
        }
    }

    /// Whether a connector plugin reads from outside into Kafka or writes out of it.
    public enum PluginType: String, Sendable, Hashable {
        case source
        case sink
    }

    /// One task as `/status` shows it.
    public struct TaskStatus: Sendable, Hashable {
        /// 0-based task id.
        public var id: Int
        public var state: State
        /// The worker it is assigned to, `host:port`.
        public var workerID: String
        /// The Java stack trace of a failed task.
        public var trace: String?
    }

    /// A connector and its tasks as `GET /connectors/{name}/status` shows them.
    public struct ConnectorStatus: Sendable, Hashable {
        public var name: String
        public var type: PluginType
        /// What the connector was asked to be; not part of Connect's status body.
        public var target: TargetState
        /// The connector instance's state.
        public var state: State
        public var workerID: String
        /// The Java stack trace of a failed connector instance.
        public var trace: String?
        /// Tasks by id; empty while stopped, or (when creates settle lazily) before the first assignment.
        public var tasks: [TaskStatus]

        /// The tasks' states in id order.
        public var taskStates: [State] { tasks.map(\.state) }
    }

    /// One source partition (or sink topic partition) and its committed offset, as
    /// `GET /connectors/{name}/offsets` lists them.
    public struct Offset: Sendable, Hashable {
        /// e.g. `{"server": "shop"}` for Debezium, `{"kafka_topic": "t", "kafka_partition": 0}` for sinks.
        public var partition: [String: OffsetValue]
        /// e.g. `{"lsn": 24023128}`; `nil` in a PATCH resets the partition.
        public var offset: [String: OffsetValue]?

        public init(partition: [String: OffsetValue], offset: [String: OffsetValue]?) {
            self.partition = partition
            self.offset = offset
        }
    }

    /// A primitive JSON value inside a partition or an offset.
    public enum OffsetValue: Sendable, Hashable, Codable {
        case string(String)
        case int(Int64)
        case double(Double)
        case bool(Bool)
        case null

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int64.self) {
                self = .int(value)
            } else if let value = try? container.decode(Double.self) {
                self = .double(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .double(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .null: try container.encodeNil()
            }
        }
    }

    /// What `GET /health` answers.
    public enum Health: String, Sendable, Hashable {
        /// 200, ready.
        case healthy
        /// 503, still starting.
        case starting
        /// 500, unable to serve.
        case unhealthy
    }

    /// How creates, resumes and restarts settle in `/status`.
    public enum Settling: Sendable, Hashable {
        /// The final state shows at once.
        case immediately
        /// For the next `reads` status reads after a create or resume the connector shows
        /// `UNASSIGNED` (tasks `UNASSIGNED`, or none yet when they are new), and after a
        /// restart the restarted instances show `RESTARTING`; then the final state shows.
        /// Status reads are `GET …/status`, `GET …/tasks/{id}/status` and `expand=status`.
        case afterStatusReads(Int)
    }

    /// A connector plugin installed on the simulated workers.
    public struct Plugin: Sendable, Hashable {
        /// Which configuration checks the plugin makes (on validate, create and update).
        public enum Rules: Sendable, Hashable {
            /// Debezium PostgreSQL: required connection keys, `plugin.name`, `slot.name`,
            /// `publication.autocreate.mode`, `snapshot.mode`, `database.sslmode`, filters.
            case debeziumPostgres
            /// Debezium MySQL: required connection keys, `database.server.id`, schema
            /// history, `snapshot.mode`, `snapshot.locking.mode`, `database.ssl.mode`, filters.
            case debeziumMySQL
            /// Iceberg sink: a catalog (`iceberg.catalog.type` or `…catalog-impl`) and
            /// static (`iceberg.tables`) or dynamic (`…dynamic-enabled` + `…route-field`) tables.
            case icebergSink
            /// ClickHouse sink: `hostname` and `database`.
            case clickHouseSink
            /// Only Connect's own checks plus these keys being required.
            case generic(required: [String])
        }

        /// Fully-qualified class name, e.g. `io.debezium.connector.postgresql.PostgresConnector`.
        public var className: String
        public var type: PluginType
        public var version: String
        /// The most tasks the plugin creates whatever `tasks.max` says; `nil` for `tasks.max`.
        public var maxTasks: Int?
        public var rules: Rules
        /// The task class shown in task configs.
        public var taskClass: String

        public init(
            className: String, type: PluginType, version: String, maxTasks: Int? = nil, rules: Rules,
            taskClass: String? = nil
        ) {
            self.className = className
            self.type = type
            self.version = version
            self.maxTasks = maxTasks
            self.rules = rules
            self.taskClass = taskClass ?? className + "Task"
        }

        /// The class name without its package, e.g. `PostgresConnector`.
        public var simpleName: String { className.split(separator: ".").last.map(String.init) ?? className }

        /// Debezium's PostgreSQL source (one task).
        public static let debeziumPostgres = Plugin(
            className: "io.debezium.connector.postgresql.PostgresConnector", type: .source, version: "3.1.2.Final",
            maxTasks: 1, rules: .debeziumPostgres)
        /// Debezium's MySQL source (one task).
        public static let debeziumMySQL = Plugin(
            className: "io.debezium.connector.mysql.MySqlConnector", type: .source, version: "3.1.2.Final",
            maxTasks: 1, rules: .debeziumMySQL)
        /// The Apache Iceberg sink.
        public static let icebergSink = Plugin(
            className: "org.apache.iceberg.connect.IcebergSinkConnector", type: .sink, version: "1.9.1",
            rules: .icebergSink, taskClass: "org.apache.iceberg.connect.IcebergSinkTask")
        /// Tabular's Iceberg sink, the Apache one's predecessor.
        public static let tabularIcebergSink = Plugin(
            className: "io.tabular.iceberg.connect.IcebergSinkConnector", type: .sink, version: "0.6.19",
            rules: .icebergSink, taskClass: "io.tabular.iceberg.connect.IcebergSinkTask")
        /// ClickHouse's sink.
        public static let clickHouseSink = Plugin(
            className: "com.clickhouse.kafka.connect.ClickHouseSinkConnector", type: .sink, version: "v1.3.1",
            rules: .clickHouseSink, taskClass: "com.clickhouse.kafka.connect.sink.ClickHouseSinkTask")

        /// The plugins installed unless configured otherwise.
        public static let defaults: [Plugin] = [
            .debeziumPostgres, .debeziumMySQL, .icebergSink, .tabularIcebergSink, .clickHouseSink,
        ]
    }
}
