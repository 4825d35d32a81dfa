import Foundation
import KubeAPI

/// The discovery documents: /version, /api, /api/v1, /apis, /apis/{group},
/// /apis/{group}/{version}. Aggregated discovery is not served; clients that
/// ask for it get the legacy documents (with a plain JSON content type) and fall back.
struct Discovery: Sendable {
    let store: ClusterStore
    let serverAddress: String

    static let version: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-hmco-local", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
        "platform": "linux/amd64",
    ]

    func apiVersions() -> JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    private func groups() async -> [(name: String, versions: [String])] {
        var result: [(String, [String])] = []
        for def in await store.allDefinitions() where !def.group.isEmpty {
            if let index = result.firstIndex(where: { $0.0 == def.group }) {
                for version in def.versions where !result[index].1.contains(version) { result[index].1.append(version) }
            } else {
                result.append((def.group, def.versions))
            }
        }
        return result
    }

    private static func groupJSON(_ name: String, _ versions: [String]) -> JSONObject {
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return [
            "name": .string(name), "versions": .array(entries),
            "preferredVersion": entries.first ?? .null,
        ]
    }

    func groupList() async -> JSONValue {
        let groups = await groups().map { JSONValue.object(Self.groupJSON($0.name, $0.versions)) }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    func group(_ name: String) async -> JSONValue? {
        guard let group = await groups().first(where: { $0.name == name }) else { return nil }
        var object = Self.groupJSON(group.name, group.versions)
        object["kind"] = "APIGroup"
        object["apiVersion"] = "v1"
        return .object(object)
    }

    func resourceList(group: String, version: String) async -> JSONValue {
        var resources: [JSONValue] = []
        for def in await store.allDefinitions() where def.group == group && def.versions.contains(version) {
            var entry: JSONObject = [
                "name": .string(def.plural), "singularName": .string(def.singular), "namespaced": .bool(def.namespaced),
                "kind": .string(def.kind), "verbs": .array(def.verbs.map(JSONValue.string)),
            ]
            if !def.shortNames.isEmpty { entry["shortNames"] = .array(def.shortNames.map(JSONValue.string)) }
            if !def.categories.isEmpty { entry["categories"] = .array(def.categories.map(JSONValue.string)) }
            resources.append(.object(entry))
            if def.hasStatus {
                resources.append([
                    "name": .string("\(def.plural)/status"), "singularName": "", "namespaced": .bool(def.namespaced),
                    "kind": .string(def.kind), "verbs": ["get", "patch", "update"],
                ])
            }
            if def.scale != nil {
                resources.append([
                    "name": .string("\(def.plural)/scale"), "singularName": "", "namespaced": .bool(def.namespaced),
                    "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"],
                ])
            }
            if def.groupResource == BuiltinResources.namespaces.groupResource {
                resources.append([
                    "name": "namespaces/finalize", "singularName": "", "namespaced": false, "kind": "Namespace",
                    "verbs": ["update"],
                ])
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(resources),
        ]
    }
}
