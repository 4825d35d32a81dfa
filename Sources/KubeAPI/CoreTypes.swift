import Foundation

/// core/v1 Secret. Values in `data` are base64 on the wire and decoded here.
public struct Secret: KubernetesObject, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true)

    public var apiVersion: String = "v1"
    public var kind: String = "Secret"
    public var metadata: ObjectMeta
    public var type: String?
    public var data: [String: Data]?
    /// Write-only convenience field: the server merges it into `data`.
    public var stringData: [String: String]?
    public var immutable: Bool?
    public var unknownFields: JSONObject = [:]

    public init(metadata: ObjectMeta, type: String? = "Opaque", data: [String: Data]? = nil, stringData: [String: String]? = nil) {
        self.metadata = metadata
        self.type = type
        self.data = data
        self.stringData = stringData
    }

    /// The value of a key as UTF-8 text.
    public func string(_ key: String) -> String? {
        if let value = data?[key] { return String(decoding: value, as: UTF8.self) }
        return stringData?[key]
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case apiVersion, kind, metadata, type, data, stringData, immutable }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? "v1"
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "Secret"
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        type = try c.decodeIfPresent(String.self, forKey: .type)
        if let encoded = try c.decodeIfPresent([String: String].self, forKey: .data) {
            var decoded: [String: Data] = [:]
            for (key, value) in encoded {
                guard let bytes = Data(base64Encoded: value) else {
                    throw DecodingError.dataCorruptedError(forKey: .data, in: c, debugDescription: "data.\(key) is not base64")
                }
                decoded[key] = bytes
            }
            data = decoded
        }
        stringData = try c.decodeIfPresent([String: String].self, forKey: .stringData)
        immutable = try c.decodeIfPresent(Bool.self, forKey: .immutable)
        unknownFields = try UnknownFields.decode(from: decoder, known: CodingKeys.allCases.map(\.rawValue))
    }

    public func encode(to encoder: any Encoder) throws {
        try UnknownFields.encode(unknownFields, to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(apiVersion, forKey: .apiVersion)
        try c.encode(kind, forKey: .kind)
        try c.encode(metadata, forKey: .metadata)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encodeIfPresent(data?.mapValues { $0.base64EncodedString() }, forKey: .data)
        try c.encodeIfPresent(stringData, forKey: .stringData)
        try c.encodeIfPresent(immutable, forKey: .immutable)
    }
}

/// core/v1 ConfigMap.
public struct ConfigMap: KubernetesObject, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true)

    public var apiVersion: String = "v1"
    public var kind: String = "ConfigMap"
    public var metadata: ObjectMeta
    public var data: [String: String]?
    public var binaryData: [String: String]?
    public var immutable: Bool?
    public var unknownFields: JSONObject = [:]

    public init(metadata: ObjectMeta, data: [String: String]? = nil) {
        self.metadata = metadata
        self.data = data
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case apiVersion, kind, metadata, data, binaryData, immutable }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? "v1"
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "ConfigMap"
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        data = try c.decodeIfPresent([String: String].self, forKey: .data)
        binaryData = try c.decodeIfPresent([String: String].self, forKey: .binaryData)
        immutable = try c.decodeIfPresent(Bool.self, forKey: .immutable)
        unknownFields = try UnknownFields.decode(from: decoder, known: CodingKeys.allCases.map(\.rawValue))
    }

    public func encode(to encoder: any Encoder) throws {
        try UnknownFields.encode(unknownFields, to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(apiVersion, forKey: .apiVersion)
        try c.encode(kind, forKey: .kind)
        try c.encode(metadata, forKey: .metadata)
        try c.encodeIfPresent(data, forKey: .data)
        try c.encodeIfPresent(binaryData, forKey: .binaryData)
        try c.encodeIfPresent(immutable, forKey: .immutable)
    }
}

/// core/v1 Namespace. `spec` and `status` are kept as JSON.
public struct Namespace: KubernetesObject, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false)

    public var apiVersion: String = "v1"
    public var kind: String = "Namespace"
    public var metadata: ObjectMeta
    public var spec: JSONValue?
    public var status: JSONValue?

    public init(name: String) { metadata = ObjectMeta(name: name) }

    /// `Active` or `Terminating`.
    public var phase: String? { status?["phase"]?.stringValue }
}

/// events.k8s.io/v1 Event. The core/v1 view of the same object differs only in
/// field names; the API server converts between them.
public struct Event: KubernetesObject, Hashable {
    public static let resource = ResourceDescriptor(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", namespaced: true)

    public var apiVersion: String = "events.k8s.io/v1"
    public var kind: String = "Event"
    public var metadata: ObjectMeta
    /// When the event was first observed; required.
    public var eventTime: MicroTime
    public var series: EventSeries?
    /// `Normal` or `Warning`.
    public var type: String?
    public var reason: String?
    /// What was done, e.g. `Merge`, `Reconcile`.
    public var action: String?
    public var note: String?
    public var regarding: ObjectReference?
    public var related: ObjectReference?
    public var reportingController: String?
    public var reportingInstance: String?
    public var deprecatedCount: Int?
    public var deprecatedFirstTimestamp: Time?
    public var deprecatedLastTimestamp: Time?
    public var deprecatedSource: JSONValue?

    public init(
        metadata: ObjectMeta, eventTime: MicroTime, type: String, reason: String, action: String, note: String,
        regarding: ObjectReference, reportingController: String, reportingInstance: String
    ) {
        self.metadata = metadata
        self.eventTime = eventTime
        self.type = type
        self.reason = reason
        self.action = action
        self.note = note
        self.regarding = regarding
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
    }
}

/// events.k8s.io/v1 EventSeries: how often an aggregated event recurred.
public struct EventSeries: Codable, Sendable, Hashable {
    public var count: Int
    public var lastObservedTime: MicroTime

    public init(count: Int, lastObservedTime: MicroTime) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}

/// core/v1 ObjectReference.
public struct ObjectReference: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var fieldPath: String?

    public init(
        apiVersion: String? = nil, kind: String? = nil, name: String? = nil, namespace: String? = nil,
        uid: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }
}

/// coordination.k8s.io/v1 Lease, used for leader election.
public struct Lease: KubernetesObject, Hashable {
    public static let resource = ResourceDescriptor(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true)

    public var apiVersion: String = "coordination.k8s.io/v1"
    public var kind: String = "Lease"
    public var metadata: ObjectMeta
    public var spec: LeaseSpec

    public init(metadata: ObjectMeta, spec: LeaseSpec) {
        self.metadata = metadata
        self.spec = spec
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? "coordination.k8s.io/v1"
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "Lease"
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try c.decodeIfPresent(LeaseSpec.self, forKey: .spec) ?? LeaseSpec()
    }
}

/// coordination.k8s.io/v1 LeaseSpec.
public struct LeaseSpec: Codable, Sendable, Hashable {
    public var holderIdentity: String?
    public var leaseDurationSeconds: Int?
    public var acquireTime: MicroTime?
    public var renewTime: MicroTime?
    public var leaseTransitions: Int?
    public var strategy: String?
    public var preferredHolder: String?

    public init(
        holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: MicroTime? = nil,
        renewTime: MicroTime? = nil, leaseTransitions: Int? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}

/// apps/v1 Deployment: replicas, selector and template labels are typed; the
/// rest of the spec (the pod template's spec above all) is kept as JSON.
public struct Deployment: KubernetesObject, Hashable {
    public static let resource = ResourceDescriptor(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true)

    public var apiVersion: String = "apps/v1"
    public var kind: String = "Deployment"
    public var metadata: ObjectMeta
    public var spec: DeploymentSpec
    public var status: JSONValue?

    public init(metadata: ObjectMeta, spec: DeploymentSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// The part of apps/v1 DeploymentSpec the operator reads; other members are preserved.
public struct DeploymentSpec: Codable, Sendable, Hashable {
    public var replicas: Int32?
    public var selector: LabelSelector
    public var template: PodTemplate
    public var unknownFields: JSONObject = [:]

    public init(replicas: Int32? = nil, selector: LabelSelector, template: PodTemplate) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case replicas, selector, template }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        replicas = try c.decodeIfPresent(Int32.self, forKey: .replicas)
        selector = try c.decodeIfPresent(LabelSelector.self, forKey: .selector) ?? LabelSelector()
        template = try c.decodeIfPresent(PodTemplate.self, forKey: .template) ?? PodTemplate()
        unknownFields = try UnknownFields.decode(from: decoder, known: CodingKeys.allCases.map(\.rawValue))
    }

    public func encode(to encoder: any Encoder) throws {
        try UnknownFields.encode(unknownFields, to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(replicas, forKey: .replicas)
        try c.encode(selector, forKey: .selector)
        try c.encode(template, forKey: .template)
    }
}

/// core/v1 PodTemplateSpec: metadata typed, the pod spec kept as JSON.
public struct PodTemplate: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta?
    public var spec: JSONValue?

    public init(metadata: ObjectMeta? = nil, spec: JSONValue? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// apiextensions.k8s.io/v1 CustomResourceDefinition. The schemas are kept as
/// JSON; ``JSONSchemaProps`` decodes them where they are interpreted.
public struct CustomResourceDefinition: KubernetesObject, Hashable {
    public static let resource = ResourceDescriptor(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
        plural: "customresourcedefinitions", namespaced: false)

    public var apiVersion: String = "apiextensions.k8s.io/v1"
    public var kind: String = "CustomResourceDefinition"
    public var metadata: ObjectMeta
    public var spec: CRDSpec
    public var status: CRDStatus?

    public init(metadata: ObjectMeta, spec: CRDSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// apiextensions.k8s.io/v1 CustomResourceDefinitionSpec.
public struct CRDSpec: Codable, Sendable, Hashable {
    public var group: String
    public var names: CRDNames
    /// `Namespaced` or `Cluster`.
    public var scope: String
    public var versions: [CRDVersion]
    public var conversion: JSONValue?
    public var preserveUnknownFields: Bool?

    public init(group: String, names: CRDNames, scope: String, versions: [CRDVersion]) {
        self.group = group
        self.names = names
        self.scope = scope
        self.versions = versions
    }
}

/// apiextensions.k8s.io/v1 CustomResourceDefinitionNames.
public struct CRDNames: Codable, Sendable, Hashable {
    public var plural: String
    public var singular: String?
    public var kind: String
    public var listKind: String?
    public var shortNames: [String]?
    public var categories: [String]?

    public init(
        plural: String, singular: String? = nil, kind: String, listKind: String? = nil, shortNames: [String]? = nil,
        categories: [String]? = nil
    ) {
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.listKind = listKind
        self.shortNames = shortNames
        self.categories = categories
    }
}

/// apiextensions.k8s.io/v1 CustomResourceDefinitionVersion.
public struct CRDVersion: Codable, Sendable, Hashable {
    public var name: String
    public var served: Bool
    public var storage: Bool
    public var deprecated: Bool?
    public var deprecationWarning: String?
    public var schema: CRDValidation?
    public var subresources: CRDSubresources?
    public var additionalPrinterColumns: [PrinterColumn]?
    public var selectableFields: JSONValue?

    public init(
        name: String, served: Bool = true, storage: Bool = true, schema: CRDValidation? = nil,
        subresources: CRDSubresources? = nil, additionalPrinterColumns: [PrinterColumn]? = nil
    ) {
        self.name = name
        self.served = served
        self.storage = storage
        self.schema = schema
        self.subresources = subresources
        self.additionalPrinterColumns = additionalPrinterColumns
    }
}

/// apiextensions.k8s.io/v1 CustomResourceValidation.
public struct CRDValidation: Codable, Sendable, Hashable {
    public var openAPIV3Schema: JSONValue?

    public init(openAPIV3Schema: JSONValue?) { self.openAPIV3Schema = openAPIV3Schema }
}

/// apiextensions.k8s.io/v1 CustomResourceSubresources.
public struct CRDSubresources: Codable, Sendable, Hashable {
    /// Present (as an empty object) when the status subresource is enabled.
    public var status: JSONValue?
    public var scale: CRDScale?

    public init(status: JSONValue? = nil, scale: CRDScale? = nil) {
        self.status = status
        self.scale = scale
    }
}

/// apiextensions.k8s.io/v1 CustomResourceSubresourceScale.
public struct CRDScale: Codable, Sendable, Hashable {
    public var specReplicasPath: String
    public var statusReplicasPath: String
    public var labelSelectorPath: String?
}

/// apiextensions.k8s.io/v1 CustomResourceColumnDefinition.
public struct PrinterColumn: Codable, Sendable, Hashable {
    public var name: String
    public var type: String
    public var format: String?
    public var description: String?
    public var priority: Int?
    public var jsonPath: String

    public init(name: String, type: String, jsonPath: String, description: String? = nil, priority: Int? = nil, format: String? = nil) {
        self.name = name
        self.type = type
        self.jsonPath = jsonPath
        self.description = description
        self.priority = priority
        self.format = format
    }
}

/// apiextensions.k8s.io/v1 CustomResourceDefinitionStatus.
public struct CRDStatus: Codable, Sendable, Hashable {
    public var conditions: [CRDCondition]?
    public var acceptedNames: CRDNames?
    public var storedVersions: [String]?

    public init(conditions: [CRDCondition]? = nil, acceptedNames: CRDNames? = nil, storedVersions: [String]? = nil) {
        self.conditions = conditions
        self.acceptedNames = acceptedNames
        self.storedVersions = storedVersions
    }
}

/// apiextensions.k8s.io/v1 CustomResourceDefinitionCondition (no observedGeneration).
public struct CRDCondition: Codable, Sendable, Hashable {
    public var type: String
    public var status: ConditionStatus
    public var lastTransitionTime: Time?
    public var reason: String?
    public var message: String?

    public init(type: String, status: ConditionStatus, reason: String? = nil, message: String? = nil, lastTransitionTime: Time? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

extension CustomResourceDefinition {
    /// The resource this CRD serves at its storage version.
    public var servedResource: ResourceDescriptor {
        let version = spec.versions.first(where: \.storage)?.name ?? spec.versions.first?.name ?? "v1"
        return ResourceDescriptor(
            group: spec.group, version: version, kind: spec.names.kind, plural: spec.names.plural,
            namespaced: spec.scope == "Namespaced")
    }

    /// Whether the API server reports the CRD as Established.
    public var isEstablished: Bool {
        status?.conditions?.contains { $0.type == "Established" && $0.status == .true } ?? false
    }
}
