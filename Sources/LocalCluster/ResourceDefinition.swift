import Foundation
import KubeAPI

/// Everything the server needs to serve one resource: names, scope, verbs,
/// subresources, printer columns and, for custom resources, schemas.
struct ResourceDefinition: Sendable {
    var group: String
    /// Served versions, the preferred (storage) one first.
    var versions: [String]
    var kind: String
    var plural: String
    var singular: String
    var namespaced: Bool
    var shortNames: [String] = []
    var categories: [String] = []
    var verbs: [String] = ResourceDefinition.allVerbs
    var hasStatus = false
    var scale: ScalePaths?
    /// Whether `metadata.generation` is kept (custom resources, deployments, CRDs).
    var tracksGeneration = false
    /// Whether PUT without `metadata.resourceVersion` is accepted (false for custom resources).
    var allowsUnconditionalUpdate = true
    /// Whether strategic merge patch is accepted (built-in kinds only).
    var acceptsStrategicMerge = false
    /// Where objects live; two views of one store (events) share it.
    var storage: GroupResource
    var isCustom = false
    /// Printer columns by version (custom resources).
    var printerColumns: [String: [PrinterColumn]] = [:]
    /// `openAPIV3Schema` by version (custom resources).
    var schemas: [String: JSONValue] = [:]
    /// Labels of a CRD's `selectableFields` aside, custom resources only select on these.
    var selectableFields: Set<String>? = nil

    static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    var groupResource: GroupResource { GroupResource(group: group, plural: plural) }
    var preferredVersion: String { versions.first ?? "v1" }
    var listKind: String { kind + "List" }

    func apiVersion(_ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }

    /// Paths of a scale subresource, as in a CRD's `subresources.scale`.
    struct ScalePaths: Sendable, Hashable {
        var specReplicasPath: String
        var statusReplicasPath: String
        var labelSelectorPath: String?
    }
}

/// The built-in resources the local control plane serves.
enum BuiltinResources {
    static let namespaces = ResourceDefinition(
        group: "", versions: ["v1"], kind: "Namespace", plural: "namespaces", singular: "namespace",
        namespaced: false, shortNames: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
        hasStatus: true, storage: GroupResource(group: "", plural: "namespaces"))
    static let configMaps = ResourceDefinition(
        group: "", versions: ["v1"], kind: "ConfigMap", plural: "configmaps", singular: "configmap",
        namespaced: true, shortNames: ["cm"], acceptsStrategicMerge: true,
        storage: GroupResource(group: "", plural: "configmaps"))
    static let secrets = ResourceDefinition(
        group: "", versions: ["v1"], kind: "Secret", plural: "secrets", singular: "secret",
        namespaced: true, acceptsStrategicMerge: true, storage: GroupResource(group: "", plural: "secrets"))
    static let serviceAccounts = ResourceDefinition(
        group: "", versions: ["v1"], kind: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount",
        namespaced: true, shortNames: ["sa"], acceptsStrategicMerge: true,
        storage: GroupResource(group: "", plural: "serviceaccounts"))
    static let coreEvents = ResourceDefinition(
        group: "", versions: ["v1"], kind: "Event", plural: "events", singular: "event",
        namespaced: true, shortNames: ["ev"], acceptsStrategicMerge: true,
        storage: GroupResource(group: "", plural: "events"))
    static let events = ResourceDefinition(
        group: "events.k8s.io", versions: ["v1"], kind: "Event", plural: "events", singular: "event",
        namespaced: true, shortNames: ["ev"], acceptsStrategicMerge: true,
        storage: GroupResource(group: "", plural: "events"))
    static let leases = ResourceDefinition(
        group: "coordination.k8s.io", versions: ["v1"], kind: "Lease", plural: "leases", singular: "lease",
        namespaced: true, acceptsStrategicMerge: true, storage: GroupResource(group: "coordination.k8s.io", plural: "leases"))
    static let deployments = ResourceDefinition(
        group: "apps", versions: ["v1"], kind: "Deployment", plural: "deployments", singular: "deployment",
        namespaced: true, shortNames: ["deploy"], categories: ["all"], hasStatus: true,
        scale: ResourceDefinition.ScalePaths(
            specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: nil),
        tracksGeneration: true, acceptsStrategicMerge: true,
        storage: GroupResource(group: "apps", plural: "deployments"))
    static let customResourceDefinitions = ResourceDefinition(
        group: "apiextensions.k8s.io", versions: ["v1"], kind: "CustomResourceDefinition",
        plural: "customresourcedefinitions", singular: "customresourcedefinition", namespaced: false,
        shortNames: ["crd", "crds"], categories: ["api-extensions"], hasStatus: true, tracksGeneration: true,
        storage: GroupResource(group: "apiextensions.k8s.io", plural: "customresourcedefinitions"))

    static let all: [ResourceDefinition] = [
        namespaces, configMaps, secrets, serviceAccounts, coreEvents, events, leases, deployments,
        customResourceDefinitions,
    ]

    /// The namespaces that exist in every cluster.
    static let initialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]
}

extension ResourceDefinition {
    /// The resource a CRD serves, or an error list when the CRD cannot be served.
    init(crd: CustomResourceDefinition) {
        let served = crd.spec.versions.filter(\.served)
        let storage = served.first(where: \.storage) ?? served.first
        var versions = served.map(\.name)
        if let storage, let index = versions.firstIndex(of: storage.name) {
            versions.remove(at: index)
            versions.insert(storage.name, at: 0)
        }
        let hasStatus = storage?.subresources?.status != nil
        var scale: ScalePaths?
        if let s = storage?.subresources?.scale {
            scale = ScalePaths(
                specReplicasPath: s.specReplicasPath, statusReplicasPath: s.statusReplicasPath,
                labelSelectorPath: s.labelSelectorPath)
        }
        var columns: [String: [PrinterColumn]] = [:]
        var schemas: [String: JSONValue] = [:]
        for version in served {
            columns[version.name] = version.additionalPrinterColumns ?? []
            if let schema = version.schema?.openAPIV3Schema { schemas[version.name] = schema }
        }
        var selectable: Set<String> = ["metadata.name", "metadata.namespace"]
        for field in storage?.selectableFields?.arrayValue ?? [] {
            if let path = field["jsonPath"]?.stringValue {
                selectable.insert(path.hasPrefix(".") ? String(path.dropFirst()) : path)
            }
        }
        self.init(
            group: crd.spec.group, versions: versions, kind: crd.spec.names.kind, plural: crd.spec.names.plural,
            singular: crd.spec.names.singular ?? crd.spec.names.kind.lowercased(),
            namespaced: crd.spec.scope == "Namespaced", shortNames: crd.spec.names.shortNames ?? [],
            categories: crd.spec.names.categories ?? [], hasStatus: hasStatus, scale: scale, tracksGeneration: true,
            allowsUnconditionalUpdate: false, acceptsStrategicMerge: false,
            storage: GroupResource(group: crd.spec.group, plural: crd.spec.names.plural), isCustom: true,
            printerColumns: columns, schemas: schemas, selectableFields: selectable)
    }
}
