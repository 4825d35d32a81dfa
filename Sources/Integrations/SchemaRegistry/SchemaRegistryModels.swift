import Foundation

// What the client sends and reads, as the operator sees it. The JSON shapes
// on the wire live in SchemaRegistryRequests.swift and SchemaRegistryResponses.swift.

/// The format of a schema (`schemaType`). Absent on the wire means Avro.
public enum SchemaType: String, Sendable, Hashable, CaseIterable, Codable {
    case avro = "AVRO"
    case protobuf = "PROTOBUF"
    case json = "JSON"
}

/// A subject's compatibility level.
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable, Codable {
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
    case none = "NONE"
}

/// Whether the registry (or one subject) accepts writes.
public enum RegistryMode: String, Sendable, Hashable, CaseIterable, Codable {
    case readWrite = "READWRITE"
    case readOnly = "READONLY"
    case readOnlyOverride = "READONLY_OVERRIDE"
    /// Registrations may carry explicit ids and versions (migrations).
    case `import` = "IMPORT"
}

/// A version of a subject: a number from 1, or the newest one.
public enum SchemaVersion: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    case latest
    case number(Int)

    public init(integerLiteral value: Int) { self = .number(value) }

    /// As it appears in a path: `latest` or the number.
    public var description: String {
        switch self {
        case .latest: "latest"
        case .number(let number): String(number)
        }
    }
}

/// Which soft-deleted items a list includes.
public enum DeletedFilter: Sendable, Hashable {
    /// Only live items (the registry's default).
    case exclude
    /// Live and soft-deleted items (`deleted=true`).
    case include
    /// Only soft-deleted items (`deletedOnly=true`).
    case only
}

/// A schema another one depends on: a Protobuf import, a JSON Schema `$ref`
/// or an Avro named type, resolved to a version of another subject.
public struct SchemaReference: Sendable, Hashable, Codable {
    /// The import path or type name as the referring schema spells it.
    public var name: String
    public var subject: String
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}

/// A schema as registered: its text, format and references.
public struct SchemaDefinition: Sendable, Hashable {
    /// The schema document as text (Avro JSON, `.proto` source, JSON Schema).
    public var schema: String
    public var type: SchemaType
    /// In the order they must be resolved.
    public var references: [SchemaReference]

    public init(schema: String, type: SchemaType = .avro, references: [SchemaReference] = []) {
        self.schema = schema
        self.type = type
        self.references = references
    }
}

/// One version of a subject (`GET /subjects/{s}/versions/{v}`, or a lookup).
public struct RegisteredSchema: Sendable, Hashable {
    public var subject: String
    public var version: Int
    /// The registry-wide id; identical schemas share it across subjects.
    public var id: Int
    public var definition: SchemaDefinition

    public init(subject: String, version: Int, id: Int, definition: SchemaDefinition) {
        self.subject = subject
        self.version = version
        self.id = id
        self.definition = definition
    }
}

/// What registering answered: the id, and the version when the registry says it
/// (newer Confluent does; Karapace and Redpanda answer only the id).
public struct SchemaRegistration: Sendable, Hashable {
    public var id: Int
    public var version: Int?

    public init(id: Int, version: Int? = nil) {
        self.id = id
        self.version = version
    }
}

/// What to check a schema against.
public enum CompatibilityTarget: Sendable, Hashable {
    /// One version (`latest` by default). For `*_TRANSITIVE` levels the registry
    /// checks all versions whatever the one named.
    case version(SchemaVersion)
    /// All the versions the subject's level requires.
    case allVersions
}

/// The registry's verdict on a schema.
public struct CompatibilityResult: Sendable, Hashable {
    public var isCompatible: Bool
    /// Why it is not compatible, as the registry words it; may be empty.
    public var messages: [String]

    public init(isCompatible: Bool, messages: [String] = []) {
        self.isCompatible = isCompatible
        self.messages = messages
    }
}

/// A subject and version where a schema id is registered.
public struct SubjectVersion: Sendable, Hashable {
    public var subject: String
    public var version: Int

    public init(subject: String, version: Int) {
        self.subject = subject
        self.version = version
    }
}
