import Foundation
import KubeAPI

/// Server-side printing: a `meta.k8s.io/v1` Table answering
/// `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`.
struct TableFormat: Sendable {
    /// `None`, `Object` or `Metadata` (the default, PartialObjectMetadata).
    var includeObject: String

    init?(accept: String?, query: QueryParameters) {
        guard let accept else { return nil }
        let wantsTable = accept.split(separator: ",").contains { part in
            let params = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return params.contains("as=Table") && (params.contains("g=meta.k8s.io") || !params.contains { $0.hasPrefix("g=") })
                && !params.contains("v=v1beta1")
        }
        guard wantsTable else { return nil }
        includeObject = query["includeObject"] ?? "Metadata"
    }

    struct Column: Sendable {
        var name: String
        var type: String
        var format: String = ""
        var description: String = ""
        var priority: Int = 0
        var cell: @Sendable (JSONObject) -> JSONValue
    }

    func render(_ items: [JSONObject], def: ResourceDefinition, version: String, listMeta: JSONObject?) -> JSONObject {
        let columns = Self.columns(def, version: version)
        let definitions: [JSONValue] = columns.map {
            [
                "name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
                "description": .string($0.description), "priority": .int(Int64($0.priority)),
            ]
        }
        let rows: [JSONValue] = items.map { item in
            var row: JSONObject = ["cells": .array(columns.map { $0.cell(item) })]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = .object(item)
            default:
                row["object"] = [
                    "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                    "metadata": item["metadata"] ?? .object([:]),
                ]
            }
            return .object(row)
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(listMeta ?? [:]),
            "columnDefinitions": .array(definitions), "rows": .array(rows),
        ]
    }

    static let nameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    static let ageDescription =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    static let name = Column(name: "Name", type: "string", format: "name", description: nameDescription) {
        $0["metadata"]?["name"] ?? ""
    }
    static let age = Column(name: "Age", type: "string", description: ageDescription) { object in
        .string(age(object["metadata"]?["creationTimestamp"]?.stringValue))
    }

    static func columns(_ def: ResourceDefinition, version: String) -> [Column] {
        if def.isCustom {
            let printer = def.printerColumns[version] ?? []
            if printer.isEmpty { return [name, age] }
            return [name] + printer.map { column in
                let path = SimpleJSONPath(column.jsonPath)
                return Column(
                    name: column.name, type: column.type, format: column.format ?? "",
                    description: column.description ?? "", priority: column.priority ?? 0
                ) { object in
                    cell(path.evaluate(.object(object)).first, type: column.type)
                }
            }
        }
        switch def.groupResource {
        case BuiltinResources.namespaces.groupResource:
            return [name, Column(name: "Status", type: "string", description: "The status of the namespace") { $0["status"]?["phase"] ?? "" }, age]
        case BuiltinResources.configMaps.groupResource:
            return [name, Column(name: "Data", type: "string", description: "Data contains the configuration data.") {
                .int(Int64(($0["data"]?.objectValue?.count ?? 0) + ($0["binaryData"]?.objectValue?.count ?? 0)))
            }, age]
        case BuiltinResources.secrets.groupResource:
            return [
                name, Column(name: "Type", type: "string", description: "Used to facilitate programmatic handling of secret data.") { $0["type"] ?? "" },
                Column(name: "Data", type: "string", description: "Contains the secret data.") { .int(Int64($0["data"]?.objectValue?.count ?? 0)) }, age,
            ]
        case BuiltinResources.deployments.groupResource:
            return [
                name,
                Column(name: "Ready", type: "string", description: "Number of the pod with ready state") {
                    .string("\($0["status"]?["readyReplicas"]?.intValue ?? 0)/\($0["spec"]?["replicas"]?.intValue ?? 0)")
                },
                Column(name: "Up-to-date", type: "string", description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec.") {
                    .int($0["status"]?["updatedReplicas"]?.intValue ?? 0)
                },
                Column(name: "Available", type: "string", description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.") {
                    .int($0["status"]?["availableReplicas"]?.intValue ?? 0)
                },
                age,
                Column(name: "Containers", type: "string", description: "Names of each container in the template.", priority: 1) {
                    .string(($0["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.joined(separator: ","))
                },
                Column(name: "Images", type: "string", description: "Images referenced by each container in the template.", priority: 1) {
                    .string(($0["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []).compactMap { $0["image"]?.stringValue }.joined(separator: ","))
                },
                Column(name: "Selector", type: "string", description: "Label selector for pods.", priority: 1) { object in
                    let labels = object["spec"]?["selector"]?["matchLabels"]?.objectValue ?? [:]
                    return .string(labels.keys.sorted().map { "\($0)=\(labels[$0]?.stringValue ?? "")" }.joined(separator: ","))
                },
            ]
        case BuiltinResources.customResourceDefinitions.groupResource:
            return [name, Column(name: "Created At", type: "date", description: ageDescription) { $0["metadata"]?["creationTimestamp"] ?? .null }]
        case BuiltinResources.coreEvents.storage where def.group.isEmpty:
            return [
                Column(name: "Last Seen", type: "string", description: "Time when this Event was last seen") { object in
                    .string(age(object["lastTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue ?? object["metadata"]?["creationTimestamp"]?.stringValue))
                },
                Column(name: "Type", type: "string", description: "Type of this event (Normal, Warning)") { $0["type"] ?? "" },
                Column(name: "Reason", type: "string", description: "Short, machine understandable string that gives the reason for this event being generated.") { $0["reason"] ?? "" },
                Column(name: "Object", type: "string", description: "The object that this event is about.") { object in
                    let involved = object["involvedObject"]
                    return .string("\((involved?["kind"]?.stringValue ?? "").lowercased())/\(involved?["name"]?.stringValue ?? "")")
                },
                Column(name: "Message", type: "string", description: "A human-readable description of the status of this operation.") { $0["message"] ?? "" },
            ]
        case BuiltinResources.leases.groupResource:
            return [name, Column(name: "Holder", type: "string", description: "The holder of the lease") { $0["spec"]?["holderIdentity"] ?? "" }, age]
        default:
            return [name, age]
        }
    }

    /// A printer-column cell the way apiextensions-apiserver renders one.
    static func cell(_ value: JSONValue?, type: String) -> JSONValue {
        guard let value, !value.isNull else { return .null }
        switch type {
        case "integer": return value.intValue.map(JSONValue.int) ?? .null
        case "number": return value.doubleValue.map(JSONValue.double) ?? .null
        case "boolean": return value.boolValue.map(JSONValue.bool) ?? .null
        case "date":
            guard let text = value.stringValue, RFC3339.parse(text) != nil else { return .null }
            return .string(age(text))
        default:
            switch value {
            case .string: return value
            case .int(let i): return .string(String(i))
            case .double(let d): return .string(String(d))
            case .bool(let b): return .string(b ? "true" : "false")
            default: return .string((try? value.serialized()).map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
        }
    }

    /// `duration.HumanDuration` of the time since a timestamp; `<unknown>` when there is none.
    static func age(_ timestamp: String?, now: Date = Date()) -> String {
        guard let timestamp, let date = RFC3339.parse(timestamp) else { return "<unknown>" }
        return humanDuration(now.timeIntervalSince(date))
    }

    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 180 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
