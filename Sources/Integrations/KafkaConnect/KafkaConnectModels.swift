import Foundation

/// `GET /` of a Connect worker.
public struct KafkaConnectServerInfo: Sendable, Hashable {
    public var version: String
    public var commit: String?
    public var kafkaClusterID: String?

    public init(version: String, commit: String? = nil, kafkaClusterID: String? = nil) {
        self.version = version
        self.commit = commit
        self.kafkaClusterID = kafkaClusterID
    }
}

/// `initial_state` of a connector created with `POST /connectors`.
public enum KafkaConnectorTargetState: String, Sendable, Hashable, CaseIterable {
    case running = "RUNNING"
    case paused = "PAUSED"
    case stopped = "STOPPED"
}

/// A connector or task state as Connect reports it. Unknown values are kept.
public struct KafkaConnectState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let unassigned = KafkaConnectState(rawValue: "UNASSIGNED")
    public static let running = KafkaConnectState(rawValue: "RUNNING")
    public static let paused = KafkaConnectState(rawValue: "PAUSED")
    public static let stopped = KafkaConnectState(rawValue: "STOPPED")
    public static let failed = KafkaConnectState(rawValue: "FAILED")
    public static let restarting = KafkaConnectState(rawValue: "RESTARTING")

    public var description: String { rawValue }
}

/// `source` or `sink` (or whatever a newer Connect reports).
public struct KafkaConnectorType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let source = KafkaConnectorType(rawValue: "source")
    public static let sink = KafkaConnectorType(rawValue: "sink")
    public static let unknown = KafkaConnectorType(rawValue: "unknown")

    public var description: String { rawValue }
}

/// `ConnectorInfo`: a connector's definition.
public struct KafkaConnectorInfo: Sendable, Hashable {
    public var name: String
    public var config: [String: String]
    /// The task ids (`{connector, task}` → `task`).
    public var tasks: [Int]
    public var type: KafkaConnectorType?

    public init(name: String, config: [String: String], tasks: [Int] = [], type: KafkaConnectorType? = nil) {
        self.name = name
        self.config = config
        self.tasks = tasks
        self.type = type
    }
}

/// The state of the connector instance (`ConnectorStateInfo.connector`).
public struct KafkaConnectorInstanceState: Sendable, Hashable {
    public var state: KafkaConnectState
    public var workerID: String?
    /// The Java stack trace of a failure.
    public var trace: String?
    /// The spec's `msg`. Connect reads it but writes it out as ``trace``, so a
    /// real worker leaves this nil; it is kept for proxies and fakes that send `msg`.
    public var message: String?
    /// The connector plugin's version (`version`, sent by workers since KIP-891).
    public var version: String?

    public init(
        state: KafkaConnectState, workerID: String? = nil, trace: String? = nil, message: String? = nil,
        version: String? = nil
    ) {
        self.state = state
        self.workerID = workerID
        self.trace = trace
        self.message = message
        self.version = version
    }
}

/// One task's state (`TaskState`).
public struct KafkaTaskState: Sendable, Hashable {
    public var id: Int
    public var state: KafkaConnectState
    public var workerID: String?
    /// The Java stack trace of a failure.
    public var trace: String?
    /// The task plugin's version (`version`, sent by workers since KIP-891).
    public var version: String?

    public init(
        id: Int, state: KafkaConnectState, workerID: String? = nil, trace: String? = nil, version: String? = nil
    ) {
        self.id = id
        self.state = state
        self.workerID = workerID
        self.trace = trace
        self.version = version
    }
}

/// `ConnectorStateInfo`: a connector's and its tasks' states.
public struct KafkaConnectorStateInfo: Sendable, Hashable {
    public var name: String
    public var connector: KafkaConnectorInstanceState
    public var tasks: [KafkaTaskState]
    public var type: KafkaConnectorType?

    public init(
        name: String, connector: KafkaConnectorInstanceState, tasks: [KafkaTaskState], type: KafkaConnectorType? = nil
    ) {
        self.name = name
        self.connector = connector
        self.tasks = tasks
        self.type = type
    }
}

/// One entry of `GET /connectors?expand=status&expand=info`.
public struct KafkaConnectorOverview: Sendable, Hashable {
    public var info: KafkaConnectorInfo?
    public var status: KafkaConnectorStateInfo?

    public init(info: KafkaConnectorInfo? = nil, status: KafkaConnectorStateInfo? = nil) {
        self.info = info
        self.status = status
    }
}

/// `TaskInfo`: a task's id and the configuration it runs with.
public struct KafkaTaskInfo: Sendable, Hashable {
    public var connector: String
    public var task: Int
    public var config: [String: String]

    public init(connector: String, task: Int, config: [String: String]) {
        self.connector = connector
        self.task = task
        self.config = config
    }
}

/// `PluginInfo` from `GET /connector-plugins`.
public struct KafkaConnectorPlugin: Sendable, Hashable {
    public var className: String
    public var type: KafkaConnectorType?
    public var version: String?

    public init(className: String, type: KafkaConnectorType? = nil, version: String? = nil) {
        self.className = className
        self.type = type
        self.version = version
    }
}

/// The outcome of `PUT /connector-plugins/{plugin}/config/validate` (`ConfigInfos`).
public struct KafkaConfigValidation: Sendable, Hashable {
    /// The plugin's class name as Connect reports it.
    public var name: String
    public var errorCount: Int
    public var groups: [String]
    /// Every key Connect reported on, with its value and errors.
    public var configs: [KafkaConfigValue]

    public init(name: String, errorCount: Int, groups: [String] = [], configs: [KafkaConfigValue]) {
        self.name = name
        self.errorCount = errorCount
        self.groups = groups
        self.configs = configs
    }

    /// The keys with errors, in the order Connect listed them.
    public var errors: [(key: String, messages: [String])] {
        configs.filter { !$0.errors.isEmpty }.map { ($0.name, $0.errors) }
    }
}

/// One key of a validation (`ConfigInfo.value`, with the definition's essentials).
public struct KafkaConfigValue: Sendable, Hashable {
    public var name: String
    public var value: String?
    public var errors: [String]
    public var recommendedValues: [String]
    public var visible: Bool
    /// From the definition: whether the key is required (it has no default).
    public var required: Bool?
    /// From the definition: the key's documentation.
    public var documentation: String?

    public init(
        name: String, value: String? = nil, errors: [String] = [], recommendedValues: [String] = [],
        visible: Bool = true, required: Bool? = nil, documentation: String? = nil
    ) {
        self.name = name
        self.value = value
        self.errors = errors
        self.recommendedValues = recommendedValues
        self.visible = visible
        self.required = required
        self.documentation = documentation
    }
}

/// One partition's offset (`ConnectorOffset`). Partition and offset maps are
/// connector-specific JSON objects, kept as JSON text.
public struct KafkaConnectorOffset: Sendable, Hashable {
    /// The partition map as a JSON object text, e.g. `{"server":"cdc.trading"}`.
    public var partitionJSON: String
    /// The offset map as a JSON object text, or nil to reset that partition.
    public var offsetJSON: String?

    public init(partitionJSON: String, offsetJSON: String?) {
        self.partitionJSON = partitionJSON
        self.offsetJSON = offsetJSON
    }
}
