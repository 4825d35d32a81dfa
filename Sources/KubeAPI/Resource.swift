import Foundation

/// Identifies a REST resource: what a client needs to build its URL and what a
/// server needs to serve it.
public struct ResourceDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// API group; empty for the core group.
    public var group: String
    public var version: String
    public var kind: String
    /// Lower-case plural used in URLs, e.g. `configmaps`.
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `v1` for the core group, `group/version` otherwise.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `/api/v1` or `/apis/group/version`.
    public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The collection path, e.g. `/api/v1/namespaces/default/configmaps`; nil
    /// namespace lists across all namespaces.
    public func collectionPath(namespace: String?) -> String {
        if namespaced, let namespace {
            return "\(groupVersionPath)/namespaces/\(namespace.percentEncodedPathSegment)/\(plural)"
        }
        return "\(groupVersionPath)/\(plural)"
    }

    /// The path of one object, optionally of one of its subresources.
    public func objectPath(name: String, namespace: String?, subresource: String? = nil) -> String {
        var path = collectionPath(namespace: namespaced ? (namespace ?? "default") : nil) + "/" + name.percentEncodedPathSegment
        if let subresource { path += "/" + subresource }
        return path
    }

    /// `plural.group`, or just `plural` for the core group.
    public var groupResource: String { group.isEmpty ? plural : "\(plural).\(group)" }

    public var description: String { "\(groupResource)/\(version)" }
}

extension String {
    var percentEncodedPathSegment: String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}

/// A typed Kubernetes object that knows which resource it is.
public protocol KubernetesObject: Codable, Sendable {
    static var resource: ResourceDescriptor { get }
    var metadata: ObjectMeta { get set }
}

extension KubernetesObject {
    public var name: String { metadata.name ?? "" }
    public var namespace: String? { metadata.namespace }
    /// `namespace/name` (or `name`): the key of this object in caches and queues.
    public var key: String { metadata.key }
}

/// A list of objects as returned by a list call.
public struct ObjectList<Item: Codable & Sendable>: Codable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta
    public var items: [Item]

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ListMeta = ListMeta(), items: [Item]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, items }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        // The API server writes `"items": null` for an empty list of some kinds.
        items = try c.decodeIfPresent([Item].self, forKey: .items) ?? []
    }
}

/// Any object as raw JSON, with typed access to its metadata: used where the
/// kind is only known at run time (the local control plane, dynamic clients).
public struct DynamicObject: KubernetesObject, Hashable {
    public static var resource: ResourceDescriptor {
        ResourceDescriptor(group: "", version: "v1", kind: "", plural: "", namespaced: true)
    }

    /// The whole object.
    public var object: JSONObject

    public init(_ object: JSONObject) { self.object = object }

    public var apiVersion: String? {
        get { object["apiVersion"]?.stringValue }
        set { object["apiVersion"] = newValue.map(JSONValue.string) }
    }

    public var kind: String? {
        get { object["kind"]?.stringValue }
        set { object["kind"] = newValue.map(JSONValue.string) }
    }

    public var metadata: ObjectMeta {
        get { (try? JSONCoding.fromJSON(ObjectMeta.self, object["metadata"] ?? .object([:]))) ?? ObjectMeta() }
        set { object["metadata"] = try? JSONCoding.toJSON(newValue) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        object = try container.decode(JSONObject.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(object)
    }
}
