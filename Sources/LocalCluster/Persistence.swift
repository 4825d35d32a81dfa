import Foundation
import KubeAPI

/// The store on disk: one JSON document written atomically to
/// `<dataDirectory>/store.json`.
enum Persistence {
    static func file(in directory: String) -> URL {
        URL(fileURLWithPath: directory).appendingPathComponent("store.json")
    }

    static func load(from directory: String) throws -> JSONValue? {
        let url = file(in: directory)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try JSONValue(parsing: Data(contentsOf: url))
    }

    static func save(_ snapshot: Data, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try snapshot.write(to: file(in: directory), options: .atomic)
    }
}

extension ClusterStore {
    /// Every object and the resourceVersion counter, as JSON.
    func snapshot() throws -> Data {
        var entries: [JSONValue] = []
        for (storage, bucket) in objects.sorted(by: { $0.key.description < $1.key.description }) {
            for key in bucket.keys.sorted() {
                guard let object = bucket[key] else { continue }
                entries.append([
                    "group": .string(storage.group), "plural": .string(storage.plural), "key": .string(key),
                    "object": .object(object),
                ])
            }
        }
        return try JSONValue.object(["resourceVersion": .int(resourceVersion), "objects": .array(entries)]).serialized()
    }

    /// Replaces the state with a snapshot; CRDs in it are served again.
    func restore(_ snapshot: JSONValue) {
        objects = [:]
        uidIndex = [:]
        dependents = [:]
        terminating = []
        history = []
        customResources = [:]
        resourceVersion = snapshot["resourceVersion"]?.intValue ?? 0
        for entry in snapshot["objects"]?.arrayValue ?? [] {
            guard let group = entry["group"]?.stringValue, let plural = entry["plural"]?.stringValue,
                let key = entry["key"]?.stringValue, let object = entry["object"]?.objectValue
            else { continue }
            let storage = GroupResource(group: group, plural: plural)
            objects[storage, default: [:]][key] = object
            let ref = ObjectRef(storage: storage, key: key)
            if let uid = object["metadata"]?["uid"]?.stringValue { uidIndex[uid] = ref }
            if object["metadata"]?["deletionTimestamp"] != nil { terminating.insert(ref) }
            for owner in object["metadata"]?["ownerReferences"]?.arrayValue ?? [] {
                if let uid = owner["uid"]?.stringValue { dependents[uid, default: []].insert(ref) }
            }
            if storage == BuiltinResources.customResourceDefinitions.storage { registerCRD(object) }
        }
    }
}
