import Foundation

/// Connect's JSON bodies, written from `connect_rest-4.2.0.yaml`; the simulator's own types.
/// Absent optional fields are left out rather than written as `null`.
enum KafkaConnectWire {
    struct ErrorBody: Encodable {
        var errorCode: Int
        var message: String

        enum CodingKeys: String, CodingKey {
            case errorCode = "error_code"
            case message
        }
    }

    struct ServerInfo: Encodable {
        var version: String
        var commit: String
        var kafkaClusterID: String

        enum CodingKeys: String, CodingKey {
            case version, commit
            case kafkaClusterID = "kafka_cluster_id"
        }
    }

    struct Health: Encodable {
        var status: String
        var message: String
    }

    struct ConnectorTaskID: Encodable {
        var connector: String
        var task: Int
    }

    struct ConnectorInfo: Encodable {
        var name: String
        var config: [String: String]
        var tasks: [ConnectorTaskID]
        var type: String
    }

    struct ConnectorState: Encodable {
        var state: String
        var workerID: String
        var trace: String?
        var version: String?

        enum CodingKeys: String, CodingKey {
            case state, trace, version
            case workerID = "worker_id"
        }
    }

    struct TaskState: Encodable {
        var id: Int
        var state: String
        var workerID: String
        var trace: String?
        var version: String?

        enum CodingKeys: String, CodingKey {
            case id, state, trace, version
            case workerID = "worker_id"
        }
    }

    struct ConnectorStateInfo: Encodable {
        var name: String
        var connector: ConnectorState
        var tasks: [TaskState]
        var type: String
    }

    struct TaskInfo: Encodable {
        var id: ConnectorTaskID
        var config: [String: String]
    }

    /// One connector of `GET /connectors?expand=…`.
    struct Expansions: Encodable {
        var status: ConnectorStateInfo?
        var info: ConnectorInfo?
    }

    /// `POST /connectors`; `config` values are kept as sent, `null` included.
    struct CreateConnectorRequest: Decodable {
        var name: String?
        var config: [String: Scalar]?
        var initialState: String?

        enum CodingKeys: String, CodingKey {
            case name, config
            case initialState = "initial_state"
        }
    }

    /// A config value as JSON may carry it; Connect reads numbers and booleans as their text.
    enum Scalar: Decodable {
        case null
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .text(String(value))
            } else if let value = try? container.decode(Int64.self) {
                self = .text(String(value))
            } else if let value = try? container.decode(Double.self) {
                self = .text(String(value))
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        var text: String? { if case .text(let value) = self { value } else { nil } }
    }

    struct PluginInfo: Encodable {
        var className: String
        var type: String
        var version: String

        enum CodingKeys: String, CodingKey {
            case className = "class"
            case type, version
        }
    }

    struct ConfigKeyInfo: Encodable {
        var name: String
        var type: String
        var required: Bool
        var defaultValue: String?
        var importance: String
        var documentation: String
        var group: String?
        var orderInGroup: Int
        var width: String
        var displayName: String
        var dependents: [String]

        enum CodingKeys: String, CodingKey {
            case name, type, required, importance, documentation, group, width, dependents
            case defaultValue = "default_value"
            case orderInGroup = "order_in_group"
            case displayName = "display_name"
        }

        init(_ key: ConnectConfigKey) {
            name = key.name
            type = key.type.rawValue
            required = key.required
            defaultValue = key.defaultValue
            importance = key.importance.rawValue
            documentation = key.documentation
            group = key.group
            orderInGroup = key.orderInGroup
            width = key.width.rawValue
            displayName = key.displayName
            dependents = []
        }
    }

    struct ConfigValueInfo: Encodable {
        var name: String
        var value: String?
        var recommendedValues: [String]
        var errors: [String]
        var visible: Bool

        enum CodingKeys: String, CodingKey {
            case name, value, errors, visible
            case recommendedValues = "recommended_values"
        }
    }

    struct ConfigInfo: Encodable {
        var definition: ConfigKeyInfo?
        var value: ConfigValueInfo
    }

    struct ConfigInfos: Encodable {
        var name: String
        var errorCount: Int
        var groups: [String]
        var configs: [ConfigInfo]

        enum CodingKeys: String, CodingKey {
            case name, groups, configs
            case errorCount = "error_count"
        }

        init(_ validation: ConfigValidation) {
            name = validation.className
            errorCount = validation.errorCount
            groups = validation.groups
            configs = validation.entries.map { entry in
                ConfigInfo(
                    definition: entry.key.map(ConfigKeyInfo.init),
                    value: ConfigValueInfo(
                        name: entry.name, value: entry.value, recommendedValues: entry.recommended,
                        errors: entry.errors, visible: true))
            }
        }
    }

    struct ConnectorOffset: Codable {
        var partition: [String: KafkaConnectSimulator.OffsetValue]?
        var offset: [String: KafkaConnectSimulator.OffsetValue]?
    }

    struct ConnectorOffsets: Codable {
        var offsets: [ConnectorOffset]?
    }

    struct Message: Encodable {
        var message: String
    }

    struct ActiveTopics: Encodable {
        var topics: [String]
    }
}
