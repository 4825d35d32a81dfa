import Foundation

/// One call to the Kafka Connect REST API, fully described before it is sent:
/// what ``HTTPKafkaConnectClient`` builds and sends. A fake transport (see
/// ``HTTPKafkaConnectClient/init(transport:)``) receives these.
public struct KafkaConnectRequest: Sendable, Hashable, CustomStringConvertible {
    /// Which API operation this is; decides how error statuses are read
    /// (409 on a create means "exists", elsewhere a rebalance).
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case serverInfo
        case listConnectors, listConnectorsExpanded
        case getConnector, getConnectorConfig, createConnector, putConnectorConfig, deleteConnector
        case getConnectorStatus, listTasks, getTaskStatus
        case pauseConnector, resumeConnector, stopConnector, restartConnector, restartTask
        case listConnectorPlugins, validateConfig
        case getOffsets, alterOffsets, resetOffsets
        case getTopics
    }

    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var action: Action
    public var method: String
    /// Percent-encoded path below the worker's base URL, e.g. `/connectors/trading.cdc/status`.
    public var path: String
    /// In order; a name may repeat (`expand=status&expand=info`).
    public var query: [QueryItem]
    /// JSON body, if any.
    public var body: Data?
    /// What is being done, for errors: "creating connector trading-cdc".
    public var operation: String

    public init(
        action: Action, method: String, path: String, query: [QueryItem] = [], body: Data? = nil, operation: String
    ) {
        self.action = action
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.operation = operation
    }

    /// The path with its percent-encoded query: `/connectors/c/restart?includeTasks=true`.
    public var target: String {
        let query = query.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
        return path + (query.isEmpty ? "" : "?" + query)
    }

    /// `POST /connectors/trading.cdc/restart?includeTasks=true&onlyFailed=true`.
    public var description: String { "\(method) \(target)" }

    /// Percent-encodes one path segment or query component: only RFC 3986
    /// unreserved ASCII characters stay as they are, so `/` in a name becomes `%2F`.
    /// A segment of dots only (`.`, `..`) is encoded whole, so no URL layer reads it
    /// as "this" or "parent" directory.
    public static func escape(_ text: String) -> String {
        if !text.isEmpty, text.allSatisfy({ $0 == "." }) {
            return String(repeating: "%2E", count: text.count)
        }
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
