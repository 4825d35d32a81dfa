import KubeAPI

/// A schema contract: one subject of the schema registry, its schema and its
/// compatibility level. Incompatible changes are refused before registering.
public struct SchemaContract: PlatformResource {
    public static let kind = "SchemaContract"
    public static let plural = "schemacontracts"
    public static let shortNames = ["scon"]
    /// Retain: consumers keep decoding with the registered versions after the object goes.
    public static let defaultDeletionPolicy = DeletionPolicy.retain
    public static let summary =
        "SchemaContract is a subject in the schema registry with its schema, references and compatibility level. The operator sets the level, checks compatibility and registers only compatible schemas."
    public static let printerColumn = PrinterColumn(
        name: "Version", type: "integer", jsonPath: ".status.version",
        description: "The registered version of the subject.")
    public static let conditionTypes = ConditionType.all

    /// Always `data.hmco.io/v1alpha1`.
    public var apiVersion: String = PlatformAPIGroup.apiVersion
    /// Always the kind's name.
    public var kind: String = SchemaContract.kind
    /// Name, namespace, labels, finalizers and the rest of the standard metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: SchemaContractSpec
    /// The observed state, written by the operator through the status subresource.
    public var status: SchemaContractStatus?

    /// An object with the given metadata, spec and (optionally) status.
    public init(metadata: ObjectMeta, spec: SchemaContractSpec, status: SchemaContractStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Decodes an object, filling in the schema's defaults first (as the API server does).
    public init(from decoder: any Decoder) throws { self = try Self.decodeApplyingDefaults(from: decoder) }
}

/// The format of a schema, as the registry names it.
public enum SchemaType: String, Codable, Sendable, Hashable, CaseIterable {
    case avro = "AVRO"
    case protobuf = "PROTOBUF"
    case json = "JSON"
}

/// A compatibility level, as the registry names it.
public enum CompatibilityLevel: String, Codable, Sendable, Hashable, CaseIterable {
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
    case none = "NONE"
}

/// Which half of a Kafka record a subject describes (TopicNameStrategy).
public enum TopicPart: String, Codable, Sendable, Hashable, CaseIterable {
    case key = "Key"
    case value = "Value"
}

/// The desired state of a ``SchemaContract``.
public struct SchemaContractSpec: PlatformSpec {
    /// The subject. Exactly one of subject and topic. Immutable.
    public var subject: String?
    /// A topic whose key or value subject this is (`<topic>-key`, `<topic>-value`). Immutable.
    public var topic: TopicSubject?
    /// The schema format.
    public var type: SchemaType
    /// The schema text. Exactly one of schema and schemaFrom. Kept the subject's latest
    /// version: in Apply mode newer versions are soft-deleted.
    public var schema: String?
    /// Where to read the schema text from.
    public var schemaFrom: SchemaSource?
    /// Other subjects' versions this schema imports, in resolution order; resolved with
    /// their own references before checking, registering and fingerprinting.
    public var references: [SchemaReference]?
    /// The subject's compatibility level; when absent the registry's global level applies.
    public var compatibility: CompatibilityLevel?
    /// Ask the registry to normalize the schema before comparing and registering.
    public var normalize: Bool
    /// With deletionPolicy Delete: permanently delete the subject after the soft delete.
    public var hardDelete: Bool
    /// How to reach the schema registry.
    public var registry: ServiceEndpoint?
    public var suspend: Bool
    public var mode: ReconcileMode
    public var deletionPolicy: DeletionPolicy

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        subject: String? = nil, topic: TopicSubject? = nil, type: SchemaType = .avro, schema: String? = nil,
        schemaFrom: SchemaSource? = nil, references: [SchemaReference]? = nil,
        compatibility: CompatibilityLevel? = nil, normalize: Bool = false, hardDelete: Bool = false,
        registry: ServiceEndpoint? = nil, suspend: Bool = false, mode: ReconcileMode = .apply,
        deletionPolicy: DeletionPolicy = SchemaContract.defaultDeletionPolicy
    ) {
        self.subject = subject
        self.topic = topic
        self.type = type
        self.schema = schema
        self.schemaFrom = schemaFrom
        self.references = references
        self.compatibility = compatibility
        self.normalize = normalize
        self.hardDelete = hardDelete
        self.registry = registry
        self.suspend = suspend
        self.mode = mode
        self.deletionPolicy = deletionPolicy
    }

    /// The subject name in the registry: ``subject``, or `<topic>-key` / `<topic>-value`.
    public var subjectName: String? {
        if let subject { return subject }
        guard let topic else { return nil }
        return topic.name + (topic.part == .key ? "-key" : "-value")
    }
}

/// A subject named after a topic (TopicNameStrategy).
public struct TopicSubject: Codable, Sendable, Hashable {
    /// The Kafka topic.
    public var name: String
    /// Key or Value.
    public var part: TopicPart

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(name: String, part: TopicPart = .value) {
        self.name = name
        self.part = part
    }
}

/// Where the schema text comes from.
public struct SchemaSource: Codable, Sendable, Hashable {
    /// The ConfigMap key holding the schema text; the ConfigMap is watched.
    public var configMapKeyRef: ConfigMapKeySelector

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(configMapKeyRef: ConfigMapKeySelector) { self.configMapKeyRef = configMapKeyRef }
}

/// A reference to a schema in another subject.
public struct SchemaReference: Codable, Sendable, Hashable {
    /// The name the schema uses for it: an Avro full name, a Protobuf import path, a JSON `$ref`.
    public var name: String
    /// The referenced subject.
    public var subject: String
    /// The referenced version.
    public var version: Int

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}

/// The verdict of a compatibility check.
public enum CompatibilityVerdict: String, Codable, Sendable, Hashable, CaseIterable {
    case compatible = "Compatible"
    case incompatible = "Incompatible"
}

/// The observed state of a ``SchemaContract``.
public struct SchemaContractStatus: PlatformStatus {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var plan: [PlannedAction]?
    public var lastAppliedPlan: AppliedPlan?
    public var lastReconcileTime: Time?
    /// The subject name in the registry.
    public var subject: String?
    /// The registry's global id of the schema.
    public var schemaID: Int64?
    /// The subject's version holding the schema; in Apply mode kept the latest.
    public var version: Int?
    /// The schema's CRC-64-AVRO (Rabin) fingerprint over its canonical form, 16 hex digits,
    /// computed with the referenced schemas.
    public var fingerprint: String?
    /// The subject-level compatibility the operator set; nil when the subject follows the global level.
    public var compatibilityLevel: CompatibilityLevel?
    /// The last compatibility check.
    public var lastCompatibilityCheck: CompatibilityCheck?

    /// An empty status, as on an object the operator has not reconciled yet.
    public init() {}
}

/// The result of one compatibility check.
public struct CompatibilityCheck: Codable, Sendable, Hashable {
    /// Compatible or Incompatible.
    public var result: CompatibilityVerdict
    /// The level checked against.
    public var level: CompatibilityLevel
    /// The fingerprint of the schema that was checked.
    public var fingerprint: String
    /// The registry's explanations, truncated.
    public var messages: [String]?
    public var time: Time

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        result: CompatibilityVerdict, level: CompatibilityLevel, fingerprint: String, messages: [String]? = nil,
        time: Time
    ) {
        self.result = result
        self.level = level
        self.fingerprint = fingerprint
        self.messages = messages
        self.time = time
    }
}

extension SchemaContract {
    /// The condition types of a SchemaContract.
    public enum ConditionType {
        public static let ready = StandardCondition.ready
        public static let reconciling = StandardCondition.reconciling
        public static let stalled = StandardCondition.stalled
        /// True when the spec's schema is compatible with the subject's history at its level.
        public static let compatible = "Compatible"
        /// True when the spec's schema is the subject's registered latest version.
        public static let registered = "Registered"
        public static let all = [ready, reconciling, stalled, compatible, registered]
    }

    /// The reasons a SchemaContract's conditions give, besides ``StandardReason``.
    public enum Reason {
        public static let compatibilityChecked = "CompatibilityChecked"
        public static let incompatibleSchema = "IncompatibleSchema"
        public static let invalidSchema = "InvalidSchema"
        public static let schemaRegistered = "SchemaRegistered"
        public static let referenceNotFound = "ReferenceNotFound"
        public static let invalidCompatibilityLevel = "InvalidCompatibilityLevel"
        public static let levelDrift = "CompatibilityLevelDrift"
        public static let foreignVersion = "ForeignVersion"
        public static let registryReadOnly = "RegistryReadOnly"
    }
}
