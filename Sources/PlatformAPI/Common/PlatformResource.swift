import Foundation
import KubeAPI

/// The parts every kind's spec has.
public protocol PlatformSpec: Codable, Sendable, Hashable {
    /// Pauses reconciliation: the operator neither reads nor changes the backend.
    var suspend: Bool { get set }
    /// `Apply` changes the backend; `Plan` only reports what Apply would do.
    var mode: ReconcileMode { get set }
    /// What deleting the object does to the backend object.
    var deletionPolicy: DeletionPolicy { get set }
}

/// The parts every kind's status has. They sit at the top of `status` so that
/// kstatus (Flux, Argo CD, `kubectl wait`) finds `observedGeneration` and
/// `conditions` where it looks.
public protocol PlatformStatus: Codable, Sendable, Hashable {
    /// An empty status.
    init()
    /// The `metadata.generation` the status was computed from.
    var observedGeneration: Int64? { get set }
    /// Ready, Reconciling, Stalled and the kind's own conditions, keyed by type.
    var conditions: [Condition]? { get set }
    /// In Plan mode, what Apply would do now; empty when nothing is to be done.
    var plan: [PlannedAction]? { get set }
    /// In Apply mode, the last plan carried out.
    var lastAppliedPlan: AppliedPlan? { get set }
    /// When the operator last compared the spec with the backend. Written only
    /// together with another status change, so a resync that finds nothing new
    /// costs no write.
    var lastReconcileTime: Time? { get set }
}

/// A status that records the one-shot requests it has dealt with.
public protocol RequestRecordingStatus: PlatformStatus {
    /// The most recent handled requests, newest last, at most ``HandledRequest/historyLimit``.
    var handledRequests: [HandledRequest]? { get set }
}

/// One of the seven kinds of `data.hmco.io/v1alpha1`.
///
/// Guarantees: decoding applies the schema's defaults first, as the API server
/// does, so a value decoded from a user's YAML equals the one read back from
/// the cluster. Encoding writes `apiVersion` and `kind`.
public protocol PlatformResource: KubernetesObject, Hashable {
    associatedtype Spec: PlatformSpec
    associatedtype Status: PlatformStatus

    /// The kind, e.g. `DataBranch`.
    static var kind: String { get }
    /// The resource name in URLs, e.g. `databranches`.
    static var plural: String { get }
    /// Short names for kubectl, e.g. `dbr`.
    static var shortNames: [String] { get }
    /// The `deletionPolicy` when the spec leaves it out.
    static var defaultDeletionPolicy: DeletionPolicy { get }
    /// What an object of this kind is, for `kubectl explain` and the docs.
    static var summary: String { get }
    /// Schema of `spec`, including the common fields.
    static var specSchema: APISchema { get }
    /// Schema of `status`, including the common fields.
    static var statusSchema: APISchema { get }
    /// The printer column that says most about this kind at a glance (KubeAPI's
    /// `additionalPrinterColumns` entry).
    static var printerColumn: PrinterColumn { get }
    /// The condition types the kind sets: Ready, Reconciling, Stalled and its own.
    static var conditionTypes: [String] { get }

    var apiVersion: String { get set }
    var kind: String { get set }
    var metadata: ObjectMeta { get set }
    var spec: Spec { get set }
    var status: Status? { get set }

    init(metadata: ObjectMeta, spec: Spec, status: Status?)

    /// Checks the rules that tie fields together (the same ones the CRD states
    /// as CEL rules). An empty result means the spec is usable; otherwise the
    /// operator sets Stalled and names the fields.
    func validate() -> [FieldError]

    /// ``validate()`` plus the rules about changes (immutable fields).
    func validateUpdate(from old: Self) -> [FieldError]
}

extension PlatformResource {
    /// The REST resource: group `data.hmco.io`, version `v1alpha1`, namespaced.
    public static var resource: ResourceDescriptor {
        ResourceDescriptor(
            group: PlatformAPIGroup.group, version: PlatformAPIGroup.version, kind: kind, plural: plural,
            namespaced: true)
    }

    /// The singular resource name, e.g. `databranch`.
    public static var singular: String { kind.lowercased() }
    /// `<plural>.data.hmco.io`, the CRD's name.
    public static var crdName: String { "\(plural).\(PlatformAPIGroup.group)" }

    /// The whole object's `openAPIV3Schema`.
    public static var openAPISchema: APISchema {
        .object(
            summary,
            [
                "apiVersion": .string(
                    "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values."
                ),
                "kind": .string(
                    "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase."
                ),
                "metadata": .opaqueObject(""),
                "spec": specSchema.required(),
                "status": statusSchema,
            ])
    }

    /// A new object with `apiVersion` and `kind` set and no status.
    public init(name: String, namespace: String? = nil, spec: Spec) {
        self.init(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec, status: nil)
    }

    public func validateUpdate(from old: Self) -> [FieldError] { validate() }

    /// Whether the spec asks the operator to pause.
    public var isSuspended: Bool { spec.suspend }

    /// Whether the status reflects the current generation.
    public var isStatusCurrent: Bool {
        guard let generation = metadata.generation else { return true }
        return status?.observedGeneration == generation
    }
}

// MARK: - Decoding with defaults

/// The coding keys of every resource's top level.
enum ResourceCodingKeys: String, CodingKey {
    case apiVersion, kind, metadata, spec, status
}

extension PlatformResource {
    /// Decodes an object, first filling in the schema's defaults.
    ///
    /// The kinds call this from `init(from:)`, so decoding user YAML, an API
    /// server response or a test fixture all give the same value.
    static func decodeApplyingDefaults(from decoder: any Decoder) throws -> Self {
        let raw = try JSONValue(from: decoder)
        guard case .object = raw else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a \(kind) must be a JSON object"))
        }
        let json = openAPISchema.applyingDefaults(to: raw)
        let metadata = try decodePart(ObjectMeta.self, json["metadata"] ?? .object([:]), key: .metadata, decoder)
        guard let specJSON = json["spec"] else {
            throw DecodingError.keyNotFound(
                ResourceCodingKeys.spec,
                .init(codingPath: decoder.codingPath, debugDescription: "a \(kind) needs a spec"))
        }
        let spec = try decodePart(Spec.self, specJSON, key: .spec, decoder)
        var status: Status?
        if let statusJSON = json["status"], !statusJSON.isNull {
            status = try decodePart(Status.self, statusJSON, key: .status, decoder)
        }
        var value = Self(metadata: metadata, spec: spec, status: status)
        value.apiVersion = json["apiVersion"]?.stringValue ?? PlatformAPIGroup.apiVersion
        value.kind = json["kind"]?.stringValue ?? kind
        return value
    }

    /// Decodes one member, keeping the full coding path in errors so they name
    /// the field (`spec.merge.into`).
    private static func decodePart<T: Decodable>(
        _ type: T.Type, _ json: JSONValue, key: ResourceCodingKeys, _ decoder: any Decoder
    ) throws -> T {
        do {
            return try JSONCoding.fromJSON(type, json)
        } catch let error as DecodingError {
            throw error.prefixingPath(decoder.codingPath + [key])
        }
    }
}

extension DecodingError {
    /// The same error with `prefix` put in front of its coding path.
    func prefixingPath(_ prefix: [any CodingKey]) -> DecodingError {
        func prefixed(_ context: Context) -> Context {
            Context(
                codingPath: prefix + context.codingPath, debugDescription: context.debugDescription,
                underlyingError: context.underlyingError)
        }
        switch self {
        case .typeMismatch(let type, let context): return .typeMismatch(type, prefixed(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, prefixed(context))
        case .keyNotFound(let key, let context): return .keyNotFound(key, prefixed(context))
        case .dataCorrupted(let context): return .dataCorrupted(prefixed(context))
        @unknown default: return self
        }
    }
}

// MARK: - Status helpers

extension PlatformStatus {
    /// The condition of the given type, if present.
    public func condition(_ type: String) -> Condition? { conditions?[type: type] }

    /// Whether the condition of the given type is True.
    public func isTrue(_ type: String) -> Bool { conditions?.isTrue(type) ?? false }

    /// Sets a condition, keeping `lastTransitionTime` unless its status flips.
    /// Returns whether anything changed.
    @discardableResult
    public mutating func setCondition(_ condition: Condition) -> Bool {
        var list = conditions ?? []
        let changed = list.set(condition)
        conditions = list
        return changed
    }

    /// Removes the condition of the given type; returns whether one was removed.
    @discardableResult
    public mutating func removeCondition(_ type: String) -> Bool {
        guard var list = conditions else { return false }
        let removed = list.remove(type: type)
        conditions = list
        return removed
    }
}

extension HandledRequest {
    /// How many handled requests a status keeps (the schema's `maxItems`).
    public static let historyLimit = 20
}

extension RequestRecordingStatus {
    /// The record of a request, if the operator has dealt with it.
    public func handled<R: OneShotRequest>(_ request: R) -> HandledRequest? {
        handledRequests?.last { $0.type == R.requestType && $0.id == request.id }
    }

    /// Whether the operator has dealt with the request (successfully or not).
    public func hasHandled<R: OneShotRequest>(_ request: R) -> Bool { handled(request) != nil }

    /// Records a handled request, replacing an earlier record of the same
    /// request and dropping the oldest beyond ``HandledRequest/historyLimit``.
    public mutating func recordHandled(_ record: HandledRequest) {
        var list = handledRequests ?? []
        list.removeAll { $0.type == record.type && $0.id == record.id }
        list.append(record)
        if list.count > HandledRequest.historyLimit { list.removeFirst(list.count - HandledRequest.historyLimit) }
        handledRequests = list
    }
}
