import IntegrationSupport
import Foundation

// Bodies as they exist on the wire, named as in `connect_rest-4.2.0.yaml`.
// Fields a newer worker adds are ignored; fields an older one leaves out are optional.

// MARK: Requests

/// `CreateConnectorRequest`; `initial_state` is omitted when nil (workers before 3.5 do not know it).
struct CreateConnectorBody: Encodable {
    var name: String
    var config: [String: String]
    var initialState: String?

    enum CodingKeys: String, CodingKey {
        case name, config
        case initialState = "initial_state"
    }
}

// MARK: Responses

/// `{"error_code": N, "message": "…"}`.
struct ErrorBody: Decodable {
    var errorCode: Int?
    var message: String?

    enum CodingKeys: String, CodingKey {
        case errorCode = "error_code"
        case message
    }
}

struct ServerInfoBody: Decodable {
    var version: String
    var commit: String?
    var kafkaClusterID: String?

    enum CodingKeys: String, CodingKey {
        case version, commit
        case kafkaClusterID = "kafka_cluster_id"
    }
}

/// `ConnectorTaskId`.
struct TaskIDBody: Decodable {
    var connector: String?
    var task: Int
}

/// `ConnectorInfo`.
struct ConnectorInfoBody: Decodable {
    var name: String
    var config: ConfigMap
    var tasks: [TaskIDBody]?
    var type: String?

    var model: KafkaConnectorInfo {
        KafkaConnectorInfo(
            name: name, config: config.values, tasks: (tasks ?? []).map(\.task),
            type: type.map(KafkaConnectorType.init(rawValue:)))
    }
}

/// `ConnectorState`. Connect reads a state's message as `msg` but writes it as
/// `trace`; `msg` is read too, for proxies and fakes that echo it.
struct ConnectorStateBody: Decodable {
    var state: String
    var workerID: String?
    var trace: String?
    var msg: String?
    var version: String?

    enum CodingKeys: String, CodingKey {
        case state, trace, msg, version
        case workerID = "worker_id"
    }

    var model: KafkaConnectorInstanceState {
        KafkaConnectorInstanceState(
            state: KafkaConnectState(rawValue: state), workerID: workerID, trace: trace, message: msg,
            version: version)
    }
}

/// `TaskState`.
struct TaskStateBody: Decodable {
    var id: Int
    var state: String
    var workerID: String?
    var trace: String?
    var version: String?

    enum CodingKeys: String, CodingKey {
        case id, state, trace, version
        case workerID = "worker_id"
    }

    var model: KafkaTaskState {
        KafkaTaskState(
            id: id, state: KafkaConnectState(rawValue: state), workerID: workerID, trace: trace, version: version)
    }
}

/// `ConnectorStateInfo`. `tasks` is empty (or, from some versions, missing) until the
/// first rebalance after a create has assigned them.
struct ConnectorStateInfoBody: Decodable {
    var name: String
    var connector: ConnectorStateBody
    var tasks: [TaskStateBody]?
    var type: String?

    var model: KafkaConnectorStateInfo {
        KafkaConnectorStateInfo(
            name: name, connector: connector.model, tasks: (tasks ?? []).map(\.model),
            type: type.map(KafkaConnectorType.init(rawValue:)))
    }
}

/// One value of `GET /connectors?expand=status&expand=info`.
struct ExpandedConnectorBody: Decodable {
    var status: ConnectorStateInfoBody?
    var info: ConnectorInfoBody?
}

/// `TaskInfo`.
struct TaskInfoBody: Decodable {
    var id: TaskIDBody
    var config: ConfigMap
}

/// `PluginInfo`.
struct PluginInfoBody: Decodable {
    var className: String
    var type: String?
    var version: String?

    enum CodingKeys: String, CodingKey {
        case className = "class"
        case type, version
    }
}

/// `ConfigInfos`.
struct ConfigInfosBody: Decodable {
    var name: String
    var errorCount: Int
    var groups: [String]?
    var configs: [ConfigInfoBody]?

    enum CodingKeys: String, CodingKey {
        case name, groups, configs
        case errorCount = "error_count"
    }
}

/// `ConfigInfo`: a key's definition and its validated value.
struct ConfigInfoBody: Decodable {
    var definition: ConfigKeyInfoBody?
    var value: ConfigValueInfoBody
}

/// The parts of `ConfigKeyInfo` the client keeps.
struct ConfigKeyInfoBody: Decodable {
    var name: String?
    var required: Bool?
    var documentation: String?
}

/// `ConfigValueInfo`.
struct ConfigValueInfoBody: Decodable {
    var name: String
    var value: String?
    var recommendedValues: [String]?
    var errors: [String]?
    var visible: Bool?

    enum CodingKeys: String, CodingKey {
        case name, value, errors, visible
        case recommendedValues = "recommended_values"
    }
}

/// `ConnectorOffsets`.
struct OffsetsBody: Decodable {
    var offsets: [OffsetBody]
}

/// `ConnectorOffset`: connector-defined maps, kept as JSON.
struct OffsetBody: Decodable {
    var partition: [String: JSONValue]
    var offset: [String: JSONValue]?
}

/// `{"message": "…"}` from altering or resetting offsets.
struct MessageBody: Decodable {
    var message: String
}

/// One value of `GET /connectors/{name}/topics`.
struct TopicsBody: Decodable {
    var topics: [String]
}

/// A configuration map. Connect sends strings only; a number or boolean (from a
/// proxy or an older worker) is kept as its text, and a null value as no key.
/// An array or object is not a configuration value.
struct ConfigMap: Decodable {
    var values: [String: String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var values: [String: String] = [:]
        for key in container.allKeys {
            switch try container.decode(JSONValue.self, forKey: key) {
            case .null: continue
            case .string(let text): values[key.stringValue] = text
            case let scalar where scalar.isScalar: values[key.stringValue] = scalar.json
            default:
                throw DecodingError.typeMismatch(
                    String.self,
                    .init(codingPath: container.codingPath + [key], debugDescription: "not a configuration value"))
            }
        }
        self.values = values
    }
}

/// A JSON document, for values whose shape belongs to a connector (offsets).
typealias JSONValue = WireJSON

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
