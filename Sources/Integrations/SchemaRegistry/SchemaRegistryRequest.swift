import Foundation

/// One call to the schema registry API, fully described before it is sent:
/// what ``SchemaRegistryRequests`` builds and ``HTTPSchemaRegistryClient``
/// sends. Plan mode can show it (``description``) without sending it.
public struct SchemaRegistryRequest: Sendable, Hashable, CustomStringConvertible {
    /// Which API operation this is; decides which "not found" answers mean "absent".
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case listSubjects, listVersions, getVersion, register, lookup
        case checkCompatibility
        case getGlobalConfig, setGlobalConfig, getSubjectConfig, setSubjectConfig, deleteSubjectConfig
        case getMode, setMode, deleteMode
        case deleteVersion, deleteSubject
        case getSchemaByID, getSubjectVersionsByID, getReferencedBy
    }

    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The registry's own media type, for bodies.
    public static let contentType = "application/vnd.schemaregistry.v1+json"
    /// What Confluent's own clients accept, in order of preference.
    public static let accept =
        "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5"

    public var action: Action
    public var method: String
    /// Percent-encoded path below the registry's base URL, e.g. `/subjects/a%2Fb/versions`.
    public var path: String
    public var query: [QueryItem]
    /// JSON body, if any.
    public var body: Data?
    /// What is being done, for errors: "registering a schema under subject orders-value".
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

    /// The path with its percent-encoded query: `/subjects/s/versions?deleted=true`.
    public var target: String {
        let query = query.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
        return path + (query.isEmpty ? "" : "?" + query)
    }

    /// `POST /subjects/orders-value/versions?normalize=true`.
    public var description: String { "\(method) \(target)" }

    /// Percent-encodes one path segment or query component; only RFC 3986
    /// unreserved ASCII characters stay as they are, so `/` in a subject becomes `%2F`.
    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
