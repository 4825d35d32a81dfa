import Foundation
import KubeAPI

/// Where one object lives: its storage resource and `namespace/name` key.
struct ObjectRef: Sendable, Hashable {
    var storage: GroupResource
    var key: String

    static func key(namespace: String?, name: String) -> String {
        if let namespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }
}

/// One change in the store, kept in the bounded history watches resume from.
struct ChangeRecord: Sendable {
    var resourceVersion: Int64
    var type: WatchEventType
    var storage: GroupResource
    var namespace: String?
    /// The object after the change (before it, for a deletion, with the new resourceVersion).
    var object: JSONObject
    /// The object before a modification, so selector-filtered watches can turn a change
    /// into ADDED or DELETED when it moves into or out of the selection.
    var previous: JSONObject?
}

/// How a write is carried out: `dryRun=All` and `fieldValidation`.
struct WriteOptions: Sendable {
    enum FieldValidation: String, Sendable { case strict = "Strict", warn = "Warn", ignore = "Ignore" }
    var dryRun = false
    var fieldValidation: FieldValidation = .warn
}

/// The result of a write: the object as stored (or as it would be, for a dry run) and warnings.
struct WriteResult: Sendable {
    var object: JSONObject
    var warnings: [String] = []
    var created = false
}

/// The in-memory state of the control plane: every object, one global
/// resourceVersion counter, the bounded change history and the open watches.
///
/// Guarantees: every accepted write gets a resourceVersion greater than all
/// before it, is appended to the history and is offered to every matching
/// watch in order, all within one actor turn.
actor ClusterStore {
    var resourceVersion: Int64 = 0
    var objects: [GroupResource: [String: JSONObject]] = [:]
    var customResources: [GroupResource: ResourceDefinition] = [:]
    var uidIndex: [String: ObjectRef] = [:]
    /// Owner uid → dependents, for garbage collection.
    var dependents: [String: Set<ObjectRef>] = [:]
    var history: [ChangeRecord] = []
    let historyLimit: Int
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 0
    let watchBufferLimit: Int
    /// Deletions whose follow-up work (GC, namespace and CRD cleanup) is pending.
    var pendingSettlement = false
    /// Owners whose removal left dependents to collect.
    var orphanedOwners: Set<String> = []
    /// Objects with a deletionTimestamp, waiting for finalizers or cleanup.
    var terminating: Set<ObjectRef> = []
    var onChange: (@Sendable () -> Void)?

    init(historyLimit: Int, watchBufferLimit: Int) {
        self.historyLimit = historyLimit
        self.watchBufferLimit = watchBufferLimit
    }

    func setOnChange(_ handler: (@Sendable () -> Void)?) { onChange = handler }

    // MARK: Resources

    /// Every served resource: built-ins, then custom resources sorted by group and plural.
    func allDefinitions() -> [ResourceDefinition] {
        BuiltinResources.all
            + customResources.values.sorted { ($0.group, $0.plural) < ($1.group, $1.plural) }
    }

    /// The resource served at `group/version/plural`, if any.
    func definition(group: String, version: String, plural: String) -> ResourceDefinition? {
        if let builtin = BuiltinResources.all.first(where: { $0.group == group && $0.plural == plural }) {
            return builtin.versions.contains(version) ? builtin : nil
        }
        guard let custom = customResources[GroupResource(group: group, plural: plural)],
            custom.versions.contains(version)
        else { return nil }
        return custom
    }

    // MARK: Bootstrap

    /// Creates the namespaces every cluster has, unless they exist.
    func bootstrap() {
        for name in BuiltinResources.initialNamespaces
        where objects[BuiltinResources.namespaces.storage]?[name] == nil {
            _ = try? create(
                BuiltinResources.namespaces, version: "v1", namespace: nil,
                body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                options: WriteOptions())
        }
    }

    // MARK: Reads

    func get(_ def: ResourceDefinition, version: String, namespace: String?, name: String) throws(APIError) -> JSONObject {
        guard let stored = objects[def.storage]?[ObjectRef.key(namespace: namespace, name: name)] else {
            throw APIError.notFound(def.groupResource, name: name)
        }
        return present(stored, def, version: version)
    }

    /// Stored form (not presented), for subresources that build their own view.
    func stored(_ def: ResourceDefinition, namespace: String?, name: String) -> JSONObject? {
        objects[def.storage]?[ObjectRef.key(namespace: namespace, name: name)]
    }

    struct ListQuery: Sendable {
        var labelSelector: LabelSelectorQuery = .everything
        var fieldSelector: FieldSelector = .everything
        var limit: Int?
        var continueKey: String?
    }

    struct ListPage: Sendable {
        var items: [JSONObject]
        var resourceVersion: Int64
        var continueToken: String?
        var remaining: Int?
    }

    func list(_ def: ResourceDefinition, version: String, namespace: String?, query: ListQuery) -> ListPage {
        let bucket = objects[def.storage] ?? [:]
        var keys = bucket.keys.sorted()
        if let namespace { keys = keys.filter { $0.hasPrefix(namespace + "/") } }
        if let start = query.continueKey { keys = keys.filter { $0 > start } }
        var items: [JSONObject] = []
        var continueToken: String?
        var remaining: Int?
        for (offset, key) in keys.enumerated() {
            guard let stored = bucket[key] else { continue }
            let object = present(stored, def, version: version)
            guard matches(object, query.labelSelector, query.fieldSelector) else { continue }
            if let limit = query.limit, limit > 0, items.count == limit {
                continueToken = ContinueToken(resourceVersion: resourceVersion, start: items.last.flatMap(Self.keyOf) ?? key).encoded
                remaining = keys[offset...].reduce(0) { count, key in
                    guard let stored = bucket[key] else { return count }
                    return count + (matches(present(stored, def, version: version), query.labelSelector, query.fieldSelector) ? 1 : 0)
                }
                break
            }
            items.append(object)
        }
        return ListPage(items: items, resourceVersion: resourceVersion, continueToken: continueToken, remaining: remaining)
    }

    static func keyOf(_ object: JSONObject) -> String? {
        guard let name = object["metadata"]?["name"]?.stringValue else { return nil }
        return ObjectRef.key(namespace: object["metadata"]?["namespace"]?.stringValue, name: name)
    }

    nonisolated func matches(_ object: JSONObject, _ labels: LabelSelectorQuery, _ fields: FieldSelector) -> Bool {
        if !labels.isEmpty {
            let objectLabels = (object["metadata"]?["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            if !labels.matches(objectLabels) { return false }
        }
        return fields.isEmpty || fields.matches(.object(object))
    }

    // MARK: Writes

    func create(
        _ def: ResourceDefinition, version: String, namespace: String?, body: JSONObject, options: WriteOptions
    ) throws(APIError) -> WriteResult {
        var object = ingest(body, def)
        var metadata = object["metadata"]?.objectValue ?? [:]
        let namespace = def.namespaced ? namespace : nil
        if let bodyNamespace = metadata["namespace"]?.stringValue, !bodyNamespace.isEmpty, def.namespaced,
            bodyNamespace != namespace
        {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        if let namespace { metadata["namespace"] = .string(namespace) } else { metadata["namespace"] = nil }

        var name = metadata["name"]?.stringValue ?? ""
        if name.isEmpty, let prefix = metadata["generateName"]?.stringValue, !prefix.isEmpty {
            repeat {
                name = prefix + Self.randomSuffix()
            } while objects[def.storage]?[ObjectRef.key(namespace: namespace, name: name)] != nil
            metadata["name"] = .string(name)
        }
        var errors = ObjectValidation.metadataErrors(metadata, def: def, isCreate: true)
        if let namespace, def.namespaced {
            errors += ObjectValidation.nameErrors(namespace, path: FieldPath("metadata", "namespace"), label: true)
        }
        guard errors.isEmpty else {
            throw APIError.invalid(kind: def.kind, group: def.group, name: name, errors: errors)
        }
        if let namespace {
            guard let ns = objects[BuiltinResources.namespaces.storage]?[namespace] else {
                throw APIError.notFound(BuiltinResources.namespaces.groupResource, name: namespace)
            }
            if ns["metadata"]?["deletionTimestamp"] != nil {
                let detail = "unable to create new content in namespace \(namespace) because it is being terminated"
                throw APIError.forbidden(
                    def.groupResource, name: name, detail: detail,
                    causes: [StatusCause(reason: "NamespaceTerminating", message: detail, field: "metadata.namespace")])
            }
        }
        let key = ObjectRef.key(namespace: namespace, name: name)
        if objects[def.storage]?[key] != nil {
            throw APIError.alreadyExists(def.groupResource, name: name)
        }

        for server in ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink"] {
            metadata[server] = nil
        }
        metadata["uid"] = .string(UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = .string(Time.now().description)
        if def.tracksGeneration { metadata["generation"] = 1 }
        object["metadata"] = .object(metadata)
        if def.hasStatus && def.isCustom { object["status"] = nil }

        var warnings: [String] = []
        object = try admit(object, old: nil, def: def, version: version, options: options, warnings: &warnings)
        object = Defaulting.onCreate(object, def: def)
        if def.groupResource == BuiltinResources.customResourceDefinitions.groupResource {
            object = try prepareCRD(object)
        }

        if def.groupResource == BuiltinResources.deployments.groupResource {
            object = Defaulting.deploymentStatus(object)
        }
        if options.dryRun {
            return WriteResult(object: present(object, def, version: version), warnings: warnings, created: true)
        }
        let stored = commit(object, def: def, key: key, type: .added, previous: nil)
        if def.groupResource == BuiltinResources.customResourceDefinitions.groupResource {
            registerCRD(stored)
        }
        return WriteResult(object: present(stored, def, version: version), warnings: warnings, created: true)
    }

    /// PUT of an object or its status; `subresource` is nil or `status`.
    func update(
        _ def: ResourceDefinition, version: String, namespace: String?, name: String, body: JSONObject,
        subresource: String?, options: WriteOptions
    ) throws(APIError) -> WriteResult {
        let namespace = def.namespaced ? namespace : nil
        let key = ObjectRef.key(namespace: namespace, name: name)
        guard let old = objects[def.storage]?[key] else {
            throw APIError.notFound(def.groupResource, name: name)
        }
        var object = ingest(body, def)
        var metadata = object["metadata"]?.objectValue ?? [:]
        let oldMetadata = old["metadata"]?.objectValue ?? [:]
        if let bodyName = metadata["name"]?.stringValue, !bodyName.isEmpty, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if let bodyNamespace = metadata["namespace"]?.stringValue, !bodyNamespace.isEmpty, bodyNamespace != (namespace ?? "") {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let oldVersion = oldMetadata["resourceVersion"]?.stringValue ?? ""
        switch metadata["resourceVersion"]?.stringValue {
        case .some(let rv) where !rv.isEmpty:
            guard rv == oldVersion else { throw APIError.conflict(def.groupResource, name: name) }
        default:
            if !def.allowsUnconditionalUpdate {
                throw APIError.invalid(
                    kind: def.kind, group: def.group, name: name,
                    errors: [FieldError.invalid(FieldPath("metadata", "resourceVersion"), .int(0), "must be specified for an update")])
            }
        }

        if subresource == "status" {
            var updated = old
            if let status = object["status"] { updated["status"] = status } else { updated["status"] = nil }
            object = updated
            metadata = oldMetadata
        } else {
            for immutable in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name"] {
                metadata[immutable] = oldMetadata[immutable]
            }
            if metadata["managedFields"] == nil { metadata["managedFields"] = oldMetadata["managedFields"] }
            if def.hasStatus { object["status"] = old["status"] }
            if oldMetadata["deletionTimestamp"] != nil {
                let oldFinalizers = Set(oldMetadata["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                let added = (metadata["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []).filter { !oldFinalizers.contains($0) }
                if !added.isEmpty {
                    let list = added.map { "\"\($0)\"" }.joined(separator: ", ")
                    throw APIError.invalid(
                        kind: def.kind, group: def.group, name: name,
                        errors: [FieldError.forbidden(
                            FieldPath("metadata", "finalizers"),
                            "no new finalizers can be added if the object is being deleted, found new finalizers []string{\(list)}")])
                }
            }
        }
        metadata["resourceVersion"] = .string(oldVersion)
        object["metadata"] = .object(metadata)
        object["apiVersion"] = old["apiVersion"]
        object["kind"] = old["kind"]

        var warnings: [String] = []
        object = try admit(object, old: old, def: def, version: version, options: options, warnings: &warnings)
        if subresource == nil { object = Defaulting.onUpdate(object, old: old, def: def) }
        if def.groupResource == BuiltinResources.customResourceDefinitions.groupResource, subresource == nil {
            object = try prepareCRD(object)
        }
        if def.tracksGeneration, Self.specChanged(old: old, new: object, hasStatus: def.hasStatus) {
            let generation = (old["metadata"]?["generation"]?.intValue ?? 0) + 1
            object.setMetadata("generation", .int(generation))
        }
        if def.groupResource == BuiltinResources.deployments.groupResource, subresource == nil {
            object = Defaulting.deploymentStatus(object)
            if let old = old["status"], object["status"]?["observedGeneration"] == old["observedGeneration"],
                object["status"]?["replicas"] == old["replicas"]
            {
                object["status"] = old
            }
        }
        if object == old {
            return WriteResult(object: present(old, def, version: version), warnings: warnings)
        }
        if options.dryRun {
            return WriteResult(object: present(object, def, version: version), warnings: warnings)
        }
        let isDeleting = object["metadata"]?["deletionTimestamp"] != nil
        let finalizers = object["metadata"]?["finalizers"]?.arrayValue ?? []
        if isDeleting && finalizers.isEmpty && def.groupResource != BuiltinResources.namespaces.groupResource {
            let removed = remove(object, def: def, key: key)
            settle()
            return WriteResult(object: present(removed, def, version: version), warnings: warnings)
        }
        let stored = commit(object, def: def, key: key, type: .modified, previous: old)
        if def.groupResource == BuiltinResources.customResourceDefinitions.groupResource {
            registerCRD(stored)
        }
        if isDeleting { settle() }
        return WriteResult(object: present(stored, def, version: version), warnings: warnings)
    }

    /// Read-modify-write used by PATCH: `transform` receives the presented
    /// object and returns the new body, which then goes through ``update``.
    func patch(
        _ def: ResourceDefinition, version: String, namespace: String?, name: String, subresource: String?,
        options: WriteOptions, transform: @Sendable (JSONObject) throws(APIError) -> JSONObject
    ) throws(APIError) -> WriteResult {
        let current = try get(def, version: version, namespace: namespace, name: name)
        var patched = try transform(current)
        if patched["metadata"]?["resourceVersion"] == nil {
            patched.setMetadata("resourceVersion", current["metadata"]?["resourceVersion"] ?? .null)
        }
        return try update(
            def, version: version, namespace: namespace, name: name, body: patched, subresource: subresource,
            options: options)
    }

    // MARK: Commit

    /// Stores an object under a new resourceVersion and records the change.
    @discardableResult
    func commit(_ object: JSONObject, def: ResourceDefinition, key: String, type: WatchEventType, previous: JSONObject?) -> JSONObject {
        resourceVersion += 1
        var stored = object
        stored.setMetadata("resourceVersion", .string(String(resourceVersion)))
        objects[def.storage, default: [:]][key] = stored
        let ref = ObjectRef(storage: def.storage, key: key)
        if let previous { unindex(previous, ref: ref) }
        index(stored, ref: ref)
        record(ChangeRecord(
            resourceVersion: resourceVersion, type: type, storage: def.storage,
            namespace: stored["metadata"]?["namespace"]?.stringValue, object: stored, previous: previous))
        return stored
    }

    /// Removes an object for good, recording a DELETED event with a new resourceVersion.
    @discardableResult
    func remove(_ object: JSONObject, def: ResourceDefinition, key: String) -> JSONObject {
        resourceVersion += 1
        var removed = object
        removed.setMetadata("resourceVersion", .string(String(resourceVersion)))
        let ref = ObjectRef(storage: def.storage, key: key)
        if let old = objects[def.storage]?[key] { unindex(old, ref: ref) }
        objects[def.storage]?[key] = nil
        if let uid = object["metadata"]?["uid"]?.stringValue, uidIndex[uid] == ref { uidIndex[uid] = nil }
        if let uid = object["metadata"]?["uid"]?.stringValue, dependents[uid] != nil {
            pendingSettlement = true
            orphanedOwners.insert(uid)
        }
        record(ChangeRecord(
            resourceVersion: resourceVersion, type: .deleted, storage: def.storage,
            namespace: object["metadata"]?["namespace"]?.stringValue, object: removed, previous: object))
        if def.groupResource == BuiltinResources.customResourceDefinitions.groupResource {
            unregisterCRD(removed)
        }
        return removed
    }

    private func index(_ object: JSONObject, ref: ObjectRef) {
        if let uid = object["metadata"]?["uid"]?.stringValue { uidIndex[uid] = ref }
        if object["metadata"]?["deletionTimestamp"] != nil { terminating.insert(ref) }
        for owner in object["metadata"]?["ownerReferences"]?.arrayValue ?? [] {
            if let uid = owner["uid"]?.stringValue { dependents[uid, default: []].insert(ref) }
        }
    }

    private func unindex(_ object: JSONObject, ref: ObjectRef) {
        terminating.remove(ref)
        for owner in object["metadata"]?["ownerReferences"]?.arrayValue ?? [] {
            if let uid = owner["uid"]?.stringValue {
                dependents[uid]?.remove(ref)
                if dependents[uid]?.isEmpty == true { dependents[uid] = nil }
            }
        }
    }

    private func record(_ change: ChangeRecord) {
        history.append(change)
        if history.count > historyLimit + historyLimit / 10 {
            history.removeFirst(history.count - historyLimit)
        }
        dispatch(change)
        onChange?()
    }

    // MARK: Helpers

    /// Whether anything outside metadata (and status, when it is a subresource) changed.
    static func specChanged(old: JSONObject, new: JSONObject, hasStatus: Bool) -> Bool {
        var a = old
        var b = new
        for key in ["metadata", "apiVersion", "kind"] {
            a[key] = nil
            b[key] = nil
        }
        if hasStatus {
            a["status"] = nil
            b["status"] = nil
        }
        return a != b
    }

    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    /// The definition that stores objects in `storage` (the core view for events).
    func storageDefinition(_ storage: GroupResource) -> ResourceDefinition? {
        if let builtin = BuiltinResources.all.first(where: { $0.storage == storage }) { return builtin }
        return customResources[storage]
    }

}

extension Dictionary where Key == String, Value == JSONValue {
    /// Sets (or with `.null`, removes) one member of `metadata`.
    mutating func setMetadata(_ key: String, _ value: JSONValue) {
        var metadata = self["metadata"]?.objectValue ?? [:]
        metadata[key] = value.isNull ? nil : value
        self["metadata"] = .object(metadata)
    }
}

/// The opaque `continue` token of a paginated list, shaped like kube-apiserver's
/// (base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}`).
struct ContinueToken: Sendable {
    var resourceVersion: Int64
    var start: String

    var encoded: String {
        let object: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(resourceVersion), "start": .string(start + "\u{0}")]
        return ((try? object.serialized()) ?? Data()).base64EncodedString()
    }

    init(resourceVersion: Int64, start: String) {
        self.resourceVersion = resourceVersion
        self.start = start
    }

    init?(decoding token: String) {
        guard let data = Data(base64Encoded: token), let value = try? JSONValue(parsing: data),
            let rv = value["rv"]?.intValue, var start = value["start"]?.stringValue
        else { return nil }
        if start.hasSuffix("\u{0}") { start.removeLast() }
        self.init(resourceVersion: rv, start: start)
    }
}
