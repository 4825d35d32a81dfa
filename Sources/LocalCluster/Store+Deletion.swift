import Foundation
import KubeAPI

/// What a DELETE asks for (metav1.DeleteOptions).
struct DeleteRequest: Sendable {
    var propagationPolicy: String?
    var orphanDependents: Bool?
    var preconditionUID: String?
    var preconditionResourceVersion: String?
    var dryRun = false

    init(body: JSONValue?, dryRunQuery: Bool, propagationQuery: String?) {
        propagationPolicy = body?["propagationPolicy"]?.stringValue ?? propagationQuery
        orphanDependents = body?["orphanDependents"]?.boolValue
        preconditionUID = body?["preconditions"]?["uid"]?.stringValue
        preconditionResourceVersion = body?["preconditions"]?["resourceVersion"]?.stringValue
        dryRun = dryRunQuery || (body?["dryRun"]?.arrayValue?.contains("All") ?? false)
    }

    init() {}
}

/// Finalizers the server itself manages.
enum SystemFinalizers {
    static let foreground = "foregroundDeletion"
    static let orphan = "orphan"
    static let crdCleanup = "customresourcecleanup.apiextensions.k8s.io"
}

extension ClusterStore {
    /// Deletes an object: marks it with a deletionTimestamp while finalizers
    /// remain, removes it otherwise, then lets garbage collection and
    /// namespace/CRD cleanup run.
    func delete(
        _ def: ResourceDefinition, version: String, namespace: String?, name: String, request: DeleteRequest
    ) throws(APIError) -> JSONObject {
        let namespace = def.namespaced ? namespace : nil
        let key = ObjectRef.key(namespace: namespace, name: name)
        guard let object = objects[def.storage]?[key] else {
            throw APIError.notFound(def.groupResource, name: name)
        }
        if let uid = request.preconditionUID, uid != object["metadata"]?["uid"]?.stringValue {
            let actual = object["metadata"]?["uid"]?.stringValue ?? ""
            throw APIError.conflict(
                def.groupResource, name: name,
                detail: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(actual)")
        }
        if let rv = request.preconditionResourceVersion, rv != object["metadata"]?["resourceVersion"]?.stringValue {
            let actual = object["metadata"]?["resourceVersion"]?.stringValue ?? ""
            throw APIError.conflict(
                def.groupResource, name: name,
                detail: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(actual)")
        }
        if let policy = request.propagationPolicy, !["Foreground", "Background", "Orphan"].contains(policy) {
            throw APIError.invalid(
                kind: "DeleteOptions", group: "", name: "",
                errors: [FieldError.notSupported(
                    FieldPath("propagationPolicy"), .string(policy), supported: ["Foreground", "Background", "Orphan"])])
        }
        let result = deleteObject(object, def: def, key: key, request: request)
        if !request.dryRun { settle() }
        return present(objects[def.storage]?[key] ?? result, def, version: version)
    }

    /// Deletes every object of a collection that matches the query.
    func deleteCollection(
        _ def: ResourceDefinition, version: String, namespace: String?, query: ListQuery, request: DeleteRequest
    ) -> [JSONObject] {
        var all = query
        all.limit = nil
        let page = list(def, version: version, namespace: namespace, query: all)
        var deleted: [JSONObject] = []
        for item in page.items {
            guard let key = Self.keyOf(item), let object = objects[def.storage]?[key] else { continue }
            deleted.append(present(deleteObject(object, def: def, key: key, request: request), def, version: version))
        }
        if !request.dryRun { settle() }
        return deleted
    }

    /// One deletion, without settling.
    @discardableResult
    func deleteObject(_ object: JSONObject, def: ResourceDefinition, key: String, request: DeleteRequest) -> JSONObject {
        var updated = object
        var finalizers = object["metadata"]?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let alreadyDeleting = object["metadata"]?["deletionTimestamp"] != nil
        let policy = request.propagationPolicy ?? (request.orphanDependents == true ? "Orphan" : nil)
        let isNamespace = def.groupResource == BuiltinResources.namespaces.groupResource

        if isNamespace {
            guard !alreadyDeleting else { return object }
            updated.setMetadata("deletionTimestamp", .string(Time.now().description))
            updated.setMetadata("deletionGracePeriodSeconds", 0)
            updated["status"] = ["phase": "Terminating"]
            if request.dryRun { return updated }
            return commit(updated, def: def, key: key, type: .modified, previous: object)
        }
        if policy == "Foreground", !finalizers.contains(SystemFinalizers.foreground) {
            finalizers.append(SystemFinalizers.foreground)
        }
        if policy == "Orphan", !finalizers.contains(SystemFinalizers.orphan) {
            finalizers.append(SystemFinalizers.orphan)
        }
        if finalizers.isEmpty {
            if request.dryRun { return object }
            return remove(object, def: def, key: key)
        }
        updated.setMetadata("finalizers", .array(finalizers.map(JSONValue.string)))
        if !alreadyDeleting {
            updated.setMetadata("deletionTimestamp", .string(Time.now().description))
            updated.setMetadata("deletionGracePeriodSeconds", 0)
        }
        if def.groupResource == BuiltinResources.customResourceDefinitions.groupResource {
            var conditions = (updated["status"]?["conditions"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "Terminating" }
            conditions.append([
                "type": "Terminating", "status": "True", "reason": "InstanceDeletionInProgress",
                "message": "CustomResource deletion is in progress", "lastTransitionTime": .string(Time.now().description),
            ])
            updated["status"]?["conditions"] = .array(conditions)
        }
        if updated == object || request.dryRun { return updated }
        return commit(updated, def: def, key: key, type: .modified, previous: object)
    }

    /// Runs the work deletions leave behind until nothing changes: collect
    /// dependents whose owners are all gone, honour `foregroundDeletion` and
    /// `orphan`, empty terminating namespaces and CRDs.
    func settle() {
        var rounds = 0
        while rounds < 1000 {
            rounds += 1
            let before = resourceVersion
            collectOrphans()
            for ref in terminating.sorted(by: { $0.key < $1.key }) { finishTermination(ref) }
            if resourceVersion == before { break }
        }
    }

    private func collectOrphans() {
        let owners = orphanedOwners
        orphanedOwners = []
        for owner in owners {
            for ref in dependents[owner] ?? [] {
                guard let object = objects[ref.storage]?[ref.key], let def = storageDefinition(ref.storage) else { continue }
                let ownerUIDs = (object["metadata"]?["ownerReferences"]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
                if ownerUIDs.allSatisfy({ uidIndex[$0] == nil }), object["metadata"]?["deletionTimestamp"] == nil {
                    deleteObject(object, def: def, key: ref.key, request: DeleteRequest())
                }
            }
        }
    }

    private func finishTermination(_ ref: ObjectRef) {
        guard let object = objects[ref.storage]?[ref.key], let def = storageDefinition(ref.storage) else { return }
        let finalizers = object["metadata"]?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let uid = object["metadata"]?["uid"]?.stringValue ?? ""

        if def.groupResource == BuiltinResources.namespaces.groupResource {
            let namespace = object["metadata"]?["name"]?.stringValue ?? ""
            var remaining = 0
            for (storage, bucket) in objects where storage != ref.storage {
                guard let contentDef = storageDefinition(storage) else { continue }
                for (key, item) in bucket where key.hasPrefix(namespace + "/") {
                    remaining += 1
                    if item["metadata"]?["deletionTimestamp"] == nil {
                        deleteObject(item, def: contentDef, key: key, request: DeleteRequest())
                    }
                }
            }
            if remaining == 0 { remove(object, def: def, key: ref.key) }
            return
        }
        if finalizers.contains(SystemFinalizers.crdCleanup), let crd = try? JSONCoding.fromJSON(CustomResourceDefinition.self, .object(object)) {
            let storage = GroupResource(group: crd.spec.group, plural: crd.spec.names.plural)
            let bucket = objects[storage] ?? [:]
            if let crDef = customResources[storage] {
                for (key, item) in bucket where item["metadata"]?["deletionTimestamp"] == nil {
                    deleteObject(item, def: crDef, key: key, request: DeleteRequest())
                }
            }
            if (objects[storage] ?? [:]).isEmpty { dropFinalizer(SystemFinalizers.crdCleanup, from: object, def: def, key: ref.key) }
            return
        }
        if finalizers.contains(SystemFinalizers.orphan) {
            for dependent in dependents[uid] ?? [] {
                guard var item = objects[dependent.storage]?[dependent.key] else { continue }
                let previous = item
                let owners = (item["metadata"]?["ownerReferences"]?.arrayValue ?? []).filter { $0["uid"]?.stringValue != uid }
                item.setMetadata("ownerReferences", owners.isEmpty ? .null : .array(owners))
                if let dependentDef = storageDefinition(dependent.storage) {
                    commit(item, def: dependentDef, key: dependent.key, type: .modified, previous: previous)
                }
            }
            if let current = objects[ref.storage]?[ref.key] {
                dropFinalizer(SystemFinalizers.orphan, from: current, def: def, key: ref.key)
            }
            return
        }
        if finalizers.contains(SystemFinalizers.foreground) {
            var remaining = 0
            for dependent in dependents[uid] ?? [] {
                guard let item = objects[dependent.storage]?[dependent.key], let dependentDef = storageDefinition(dependent.storage) else { continue }
                remaining += 1
                if item["metadata"]?["deletionTimestamp"] == nil {
                    deleteObject(item, def: dependentDef, key: dependent.key, request: DeleteRequest(propagationPolicy: "Foreground"))
                }
            }
            if remaining == 0 { dropFinalizer(SystemFinalizers.foreground, from: object, def: def, key: ref.key) }
        }
    }

    private func dropFinalizer(_ finalizer: String, from object: JSONObject, def: ResourceDefinition, key: String) {
        let remaining = (object["metadata"]?["finalizers"]?.arrayValue ?? []).filter { $0.stringValue != finalizer }
        var updated = object
        updated.setMetadata("finalizers", remaining.isEmpty ? .null : .array(remaining))
        if remaining.isEmpty {
            remove(updated, def: def, key: key)
        } else {
            commit(updated, def: def, key: key, type: .modified, previous: object)
        }
    }
}

extension DeleteRequest {
    init(propagationPolicy: String) {
        self.init()
        self.propagationPolicy = propagationPolicy
    }
}
