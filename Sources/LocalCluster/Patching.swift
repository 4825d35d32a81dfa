import Foundation
import KubeAPI

/// A PATCH body of one of the supported types.
enum PatchDocument: Sendable {
    case merge(JSONValue)
    case json(JSONPatch)
    case strategic(JSONValue, mergeKeys: [String: String])

    init(contentType: String, data: Data, def: ResourceDefinition) throws(APIError) {
        switch contentType {
        case "application/json-patch+json":
            do {
                self = .json(try JSONPatch(parsing: data))
            } catch {
                throw APIError.badRequest(String(describing: error))
            }
        default:
            let value: JSONValue
            do {
                value = try JSONValue(parsing: data)
            } catch {
                throw APIError.badRequest("error decoding patch: \(error)")
            }
            guard value.objectValue != nil else {
                throw APIError.badRequest("json: cannot unmarshal \(value.typeName) into Go value of type map[string]interface {}")
            }
            if contentType == "application/strategic-merge-patch+json" {
                self = .strategic(value, mergeKeys: StrategicMergePatch.mergeKeys(for: def))
            } else {
                self = .merge(value)
            }
        }
    }

    func apply(to object: JSONObject) throws(APIError) -> JSONObject {
        let result: JSONValue
        switch self {
        case .merge(let patch):
            result = JSONMergePatch.apply(patch, to: .object(object))
        case .json(let patch):
            do {
                result = try patch.apply(to: .object(object))
            } catch {
                throw APIError(code: 422, reason: StatusReason.invalid, message: String(describing: error))
            }
        case .strategic(let patch, let keys):
            result = StrategicMergePatch.apply(patch, to: .object(object), path: [], mergeKeys: keys) ?? .object([:])
        }
        guard let patched = result.objectValue else {
            throw APIError.badRequest("the patched document is not a JSON object")
        }
        return patched
    }
}

/// Kubernetes strategic merge patch for the built-in kinds `kubectl apply`
/// sends it for: lists of objects merge by their merge key, `$patch`,
/// `$retainKeys` and `$deleteFromPrimitiveList` directives are honoured and
/// `$setElementOrder` is accepted (order is kept as in the target).
enum StrategicMergePatch {
    /// Merge keys by field path (list indexes left out), from the Go types' `patchMergeKey` tags.
    static func mergeKeys(for def: ResourceDefinition) -> [String: String] {
        var keys: [String: String] = ["metadata.ownerReferences": "uid"]
        if def.groupResource == BuiltinResources.deployments.groupResource {
            let pod = "spec.template.spec"
            for containers in ["containers", "initContainers", "ephemeralContainers"] {
                keys["\(pod).\(containers)"] = "name"
                keys["\(pod).\(containers).env"] = "name"
                keys["\(pod).\(containers).ports"] = "containerPort"
                keys["\(pod).\(containers).volumeMounts"] = "mountPath"
                keys["\(pod).\(containers).volumeDevices"] = "devicePath"
            }
            keys["\(pod).volumes"] = "name"
            keys["\(pod).imagePullSecrets"] = "name"
            keys["\(pod).hostAliases"] = "ip"
            keys["\(pod).resourceClaims"] = "name"
            keys["status.conditions"] = "type"
        }
        if def.groupResource == BuiltinResources.serviceAccounts.groupResource {
            keys["secrets"] = "name"
        }
        return keys
    }

    /// Lists of primitives merged as sets (`patchStrategy:"merge"` on a primitive list).
    static let primitiveMergeLists: Set<String> = ["metadata.finalizers"]

    /// The patched value, or nil when the patch deletes it.
    static func apply(_ patch: JSONValue, to target: JSONValue, path: [String], mergeKeys: [String: String]) -> JSONValue? {
        guard case .object(let members) = patch else { return patch }
        switch members["$patch"]?.stringValue {
        case "replace": return strip(patch)
        case "delete": return nil
        default: break
        }
        var result = target.objectValue ?? [:]
        if let retain = members["$retainKeys"]?.arrayValue?.compactMap(\.stringValue) {
            let keep = Set(retain)
            result = result.filter { keep.contains($0.key) }
        }
        for (key, value) in members {
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let remove = Set(value.arrayValue ?? [])
                if let list = result[field]?.arrayValue { result[field] = .array(list.filter { !remove.contains($0) }) }
                continue
            }
            if key.hasPrefix("$") { continue }
            if value.isNull {
                result[key] = nil
                continue
            }
            let childPath = path + [key]
            let dotted = childPath.joined(separator: ".")
            switch value {
            case .object:
                if let merged = apply(value, to: result[key] ?? .object([:]), path: childPath, mergeKeys: mergeKeys) {
                    result[key] = merged
                } else {
                    result[key] = nil
                }
            case .array(let items):
                if let mergeKey = mergeKeys[dotted] {
                    result[key] = .array(mergeList(items, into: result[key]?.arrayValue ?? [], key: mergeKey, path: childPath, mergeKeys: mergeKeys))
                } else if primitiveMergeLists.contains(dotted) {
                    var list = result[key]?.arrayValue ?? []
                    for item in items where !list.contains(item) { list.append(item) }
                    result[key] = .array(list)
                } else {
                    result[key] = strip(value)
                }
            default:
                result[key] = value
            }
        }
        return .object(result)
    }

    private static func mergeList(
        _ items: [JSONValue], into target: [JSONValue], key: String, path: [String], mergeKeys: [String: String]
    ) -> [JSONValue] {
        var result = target
        for item in items {
            guard let keyValue = item[key] else {
                if item["$patch"]?.stringValue == "replace" { return [] }
                result.append(strip(item))
                continue
            }
            let index = result.firstIndex { $0[key] == keyValue }
            if item["$patch"]?.stringValue == "delete" {
                if let index { result.remove(at: index) }
                continue
            }
            if let index {
                if let merged = apply(item, to: result[index], path: path, mergeKeys: mergeKeys) {
                    result[index] = merged
                } else {
                    result.remove(at: index)
                }
            } else {
                result.append(strip(item))
            }
        }
        return result
    }

    /// The value without patch directives.
    static func strip(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.filter { !$0.key.hasPrefix("$") }.mapValues(strip))
        case .array(let items):
            return .array(items.map(strip))
        default:
            return value
        }
    }
}
