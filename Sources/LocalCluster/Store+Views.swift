import Foundation
import KubeAPI

/// Conversion between the stored form of an object and the form a client
/// reads or writes through one resource view (version, events API group).
extension ClusterStore {
    /// The object as served at `version` of `def`.
    nonisolated func present(_ stored: JSONObject, _ def: ResourceDefinition, version: String) -> JSONObject {
        var object = stored
        if def.group == "events.k8s.io" { object = EventConversion.coreToEvents(object) }
        object["apiVersion"] = .string(def.apiVersion(version))
        object["kind"] = .string(def.kind)
        return object
    }

    /// The stored form of a body written through `def`.
    nonisolated func ingest(_ body: JSONObject, _ def: ResourceDefinition) -> JSONObject {
        var object = body
        if def.group == "events.k8s.io" { object = EventConversion.eventsToCore(object) }
        object["apiVersion"] = .string(def.storage == def.groupResource ? def.apiVersion(def.preferredVersion) : "v1")
        object["kind"] = .string(def.kind)
        return object
    }
}

/// core/v1 Event ↔ events.k8s.io/v1 Event: the same object under other field names.
enum EventConversion {
    /// (events.k8s.io name, core name).
    static let renames: [(String, String)] = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    static func coreToEvents(_ object: JSONObject) -> JSONObject {
        var result = object
        for (events, core) in renames {
            result[events] = object[core]
            result[core] = nil
        }
        return result
    }

    static func eventsToCore(_ object: JSONObject) -> JSONObject {
        var result = object
        for (events, core) in renames {
            result[core] = object[events]
            result[events] = nil
        }
        return result
    }
}

// MARK: - Custom resource definitions

extension ClusterStore {
    /// Checks a CRD and fills in what kube-apiserver's controllers would:
    /// accepted names, stored versions, the Established and NamesAccepted
    /// conditions and the cleanup finalizer.
    func prepareCRD(_ object: JSONObject) throws(APIError) -> JSONObject {
        let crd: CustomResourceDefinition
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        do {
            crd = try JSONCoding.fromJSON(CustomResourceDefinition.self, .object(object))
        } catch {
            throw APIError.badRequest("CustomResourceDefinition in version \"v1\" cannot be handled as a CustomResourceDefinition: \(error)")
        }
        var errors: [FieldError] = []
        let expected = "\(crd.spec.names.plural).\(crd.spec.group)"
        if name != expected {
            errors.append(.invalid(FieldPath("metadata", "name"), .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        if !["Namespaced", "Cluster"].contains(crd.spec.scope) {
            errors.append(.notSupported(FieldPath("spec", "scope"), .string(crd.spec.scope), supported: ["Cluster", "Namespaced"]))
        }
        let storageCount = crd.spec.versions.filter(\.storage).count
        if storageCount != 1 {
            errors.append(.invalid(FieldPath("spec", "versions"), .array(crd.spec.versions.map { .string($0.name) }), "must have exactly one version marked as storage version"))
        }
        for (index, version) in crd.spec.versions.enumerated() {
            if let schema = version.schema?.openAPIV3Schema {
                errors += SchemaAdmission.structuralErrors(
                    schema, at: FieldPath("spec", "versions").index(index).child("schema", "openAPIV3Schema"))
            }
        }
        let storage = GroupResource(group: crd.spec.group, plural: crd.spec.names.plural)
        if let builtin = BuiltinResources.all.first(where: { $0.storage == storage }) {
            errors.append(.invalid(FieldPath("metadata", "name"), .string(name), "\(builtin.groupResource) is a built-in resource"))
        }
        guard errors.isEmpty else {
            throw APIError.invalid(kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", name: name, errors: errors)
        }

        var result = object
        var finalizers = object["metadata"]?["finalizers"]?.arrayValue ?? []
        if object["metadata"]?["deletionTimestamp"] == nil, !finalizers.contains(.string(SystemFinalizers.crdCleanup)) {
            finalizers.append(.string(SystemFinalizers.crdCleanup))
            result.setMetadata("finalizers", .array(finalizers))
        }
        var names = crd.spec.names
        if names.singular == nil || names.singular == "" { names.singular = names.kind.lowercased() }
        if names.listKind == nil || names.listKind == "" { names.listKind = names.kind + "List" }
        var spec = object["spec"]?.objectValue ?? [:]
        var specNames = spec["names"]?.objectValue ?? [:]
        specNames["singular"] = .string(names.singular ?? "")
        specNames["listKind"] = .string(names.listKind ?? "")
        spec["names"] = .object(specNames)
        if spec["conversion"] == nil { spec["conversion"] = ["strategy": "None"] }
        result["spec"] = .object(spec)

        let now = JSONValue.string(Time.now().description)
        var status = object["status"]?.objectValue ?? [:]
        var conditions = status["conditions"]?.arrayValue ?? []
        func ensure(_ type: String, _ reason: String, _ message: String) {
            if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == type }) {
                if conditions[index]["status"]?.stringValue == "True" { return }
                conditions.remove(at: index)
            }
            conditions.append([
                "type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message),
                "lastTransitionTime": now,
            ])
        }
        ensure("NamesAccepted", "NoConflicts", "no conflicts found")
        ensure("Established", "InitialNamesAccepted", "the initial names have been accepted")
        status["conditions"] = .array(conditions)
        status["acceptedNames"] = (try? JSONCoding.toJSON(names)) ?? .null
        var stored = Set(status["storedVersions"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        if let version = crd.spec.versions.first(where: \.storage)?.name { stored.insert(version) }
        status["storedVersions"] = .array(stored.sorted().map(JSONValue.string))
        result["status"] = .object(status)
        return result
    }

    /// Starts serving the resource of a stored CRD.
    func registerCRD(_ object: JSONObject) {
        guard let crd = try? JSONCoding.fromJSON(CustomResourceDefinition.self, .object(object)) else { return }
        let def = ResourceDefinition(crd: crd)
        guard !def.versions.isEmpty else { return }
        customResources[def.storage] = def
    }

    /// Stops serving the resource of a removed CRD and drops whatever is left of its objects.
    func unregisterCRD(_ object: JSONObject) {
        guard let crd = try? JSONCoding.fromJSON(CustomResourceDefinition.self, .object(object)) else { return }
        let storage = GroupResource(group: crd.spec.group, plural: crd.spec.names.plural)
        customResources[storage] = nil
        objects[storage] = nil
    }
}
