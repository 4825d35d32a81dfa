extension SchemaRegistrySimulator {
    /// The schema formats the registry accepts; the raw value is the wire name.
    public enum SchemaType: String, Sendable, Hashable, CaseIterable, Codable {
        case avro = "AVRO"
        case protobuf = "PROTOBUF"
        case json = "JSON"
    }

    /// A compatibility level; the raw value is the wire name.
    public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable, Codable {
        case backward = "BACKWARD"
        case backwardTransitive = "BACKWARD_TRANSITIVE"
        case forward = "FORWARD"
        case forwardTransitive = "FORWARD_TRANSITIVE"
        case full = "FULL"
        case fullTransitive = "FULL_TRANSITIVE"
        case none = "NONE"

        /// Whether a new schema is checked against every earlier version, not only the latest.
        public var isTransitive: Bool {
            self == .backwardTransitive || self == .forwardTransitive || self == .fullTransitive
        }

        /// The level with the transitive part removed, naming the direction of the check.
        var direction: CompatibilityLevel {
            switch self {
            case .backwardTransitive: .backward
            case .forwardTransitive: .forward
            case .fullTransitive: .full
            default: self
            }
        }
    }

    /// A registry or subject mode; the raw value is the wire name.
    public enum Mode: String, Sendable, Hashable, CaseIterable, Codable {
        case readWrite = "READWRITE"
        case readOnly = "READONLY"
        case readOnlyOverride = "READONLY_OVERRIDE"
        case `import` = "IMPORT"

        /// Whether registrations and deletions are refused (42205).
        var refusesWrites: Bool { self == .readOnly || self == .readOnlyOverride }
    }

    /// Which registry the simulator imitates where Confluent and Karapace differ.
    public enum Flavor: Sendable, Hashable {
        /// Current Confluent: incompatible schemas answer `error_code` 40901; a compatibility
        /// check of a missing subject against `latest` is compatible; messages only with `verbose=true`.
        case confluent
        /// Karapace (and older Confluent): incompatible schemas answer `error_code` 409; a
        /// check against `latest` of a missing subject answers 404/40402; messages always.
        case karapace
    }

    /// A reference from one schema to a schema registered under another subject.
    public struct Reference: Sendable, Hashable, Codable {
        /// The import path (Protobuf), `$ref` (JSON Schema) or full type name (Avro).
        public var name: String
        /// The subject the referenced schema is registered under.
        public var subject: String
        /// The referenced version.
        public var version: Int

        public init(name: String, subject: String, version: Int) {
            self.name = name
            self.subject = subject
            self.version = version
        }
    }

    /// One version of a subject as tests see it.
    public struct SubjectVersion: Sendable, Hashable {
        public var subject: String
        /// 1-based.
        public var version: Int
        /// The global schema id, shared by every subject registering the same schema.
        public var id: Int
        public var schemaType: SchemaType
        /// The schema text as stored (normalized when registered with `normalize`).
        public var schema: String
        public var references: [Reference]
        /// Whether the version is soft-deleted.
        public var deleted: Bool
    }

    /// A schema by id as tests see it.
    public struct StoredSchema: Sendable, Hashable {
        public var id: Int
        public var schemaType: SchemaType
        public var schema: String
        public var references: [Reference]
    }
}
