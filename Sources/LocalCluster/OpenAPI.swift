import Crypto
import Foundation
import Hummingbird
import KubeAPI

/// OpenAPI v3 documents: `/openapi/v3` lists one document per group version,
/// each built from the served resources (CRD schemas for custom resources),
/// with the operations and `x-kubernetes-group-version-kind` extensions that
/// `kubectl explain`, `kubectl apply` and kubectl's query-parameter checks read.
struct OpenAPI: Sendable {
    let store: ClusterStore

    func respond(segments: [String]) async throws -> Response {
        guard segments.first == "v3" else { throw APIError.pathNotFound() }
        let documents = await self.documents()
        if segments.count == 1 {
            var paths: JSONObject = [:]
            for (key, document) in documents {
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(Self.hash(document))")]
            }
            return APIServer.json(["paths": .object(paths)])
        }
        let key = segments.dropFirst().joined(separator: "/")
        guard let document = documents[key] else { throw APIError.pathNotFound() }
        return APIServer.json(document)
    }

    static func hash(_ document: JSONValue) -> String {
        let data = (try? document.serialized()) ?? Data()
        return SHA512.hash(data: data).map { String(format: "%02X", $0) }.joined()
    }

    /// Documents by key (`api/v1`, `apis/{group}/{version}`).
    func documents() async -> [String: JSONValue] {
        var byKey: [String: [(ResourceDefinition, String)]] = [:]
        for def in await store.allDefinitions() {
            for version in def.versions {
                let key = def.group.isEmpty ? "api/\(version)" : "apis/\(def.group)/\(version)"
                byKey[key, default: []].append((def, version))
            }
        }
        return byKey.mapValues { Self.document($0) }
    }

    static func schemaName(_ def: ResourceDefinition, version: String) -> String {
        let group = def.group.isEmpty ? "io.k8s.api.core" : def.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(group).\(version).\(def.kind)"
    }

    static let objectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

    static func document(_ resources: [(ResourceDefinition, String)]) -> JSONValue {
        var paths: JSONObject = [:]
        var schemas: JSONObject = [objectMetaName: objectMetaSchema]
        for (def, version) in resources {
            let name = schemaName(def, version: version)
            let gvk: JSONValue = ["group": .string(def.group), "version": .string(version), "kind": .string(def.kind)]
            var schema = def.schemas[version]?.objectValue ?? ["type": "object"]
            var properties = schema["properties"]?.objectValue ?? [:]
            properties["apiVersion"] = properties["apiVersion"] ?? [
                "type": "string",
                "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            ]
            properties["kind"] = properties["kind"] ?? [
                "type": "string",
                "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            ]
            properties["metadata"] = [
                "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
                "allOf": [["$ref": .string("#/components/schemas/\(objectMetaName)")]],
            ]
            schema["properties"] = .object(properties)
            schema["type"] = "object"
            schema["x-kubernetes-group-version-kind"] = [gvk]
            schemas[name] = .object(schema)

            let ref: JSONValue = ["$ref": .string("#/components/schemas/\(name)")]
            let body: JSONValue = ["schema": ref]
            let responses: JSONValue = ["200": ["description": "OK", "content": ["application/json": body]]]
            let writeParameters: JSONValue = [
                ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ]
            func operation(_ action: String, content: [String]? = nil) -> JSONValue {
                var op: JSONObject = [
                    "operationId": .string("\(action)\(def.kind)"), "responses": responses,
                    "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": gvk,
                ]
                if let content {
                    var types: JSONObject = [:]
                    for type in content { types[type] = body }
                    op["requestBody"] = ["content": .object(types)]
                    op["parameters"] = writeParameters
                }
                return .object(op)
            }
            let base = def.group.isEmpty ? "/api/\(version)" : "/apis/\(def.group)/\(version)"
            let collection = def.namespaced ? "\(base)/namespaces/{namespace}/\(def.plural)" : "\(base)/\(def.plural)"
            let patchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
            paths[collection] = [
                "get": operation("list"), "post": operation("post", content: ["application/json"]),
            ]
            paths["\(collection)/{name}"] = [
                "get": operation("get"), "put": operation("put", content: ["application/json"]),
                "patch": operation("patch", content: patchTypes), "delete": operation("delete"),
            ]
            if def.hasStatus {
                paths["\(collection)/{name}/status"] = [
                    "get": operation("get"), "put": operation("put", content: ["application/json"]),
                    "patch": operation("patch", content: patchTypes),
                ]
            }
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .object(paths), "components": ["schemas": .object(schemas)],
        ]
    }

    static let objectMetaSchema: JSONValue = [
        "description": "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        "type": "object",
        "properties": [
            "name": ["type": "string", "description": "Name must be unique within a namespace."],
            "namespace": ["type": "string", "description": "Namespace defines the space within which each name must be unique."],
            "labels": ["type": "object", "additionalProperties": ["type": "string"], "description": "Map of string keys and values that can be used to organize and categorize (scope and select) objects."],
            "annotations": ["type": "object", "additionalProperties": ["type": "string"], "description": "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata."],
            "finalizers": ["type": "array", "items": ["type": "string"], "description": "Must be empty before the object is deleted from the registry."],
            "generation": ["type": "integer", "format": "int64", "description": "A sequence number representing a specific generation of the desired state."],
            "resourceVersion": ["type": "string", "description": "An opaque value that represents the internal version of this object."],
            "uid": ["type": "string", "description": "UID is the unique in time and space value for this object."],
            "creationTimestamp": ["type": "string", "format": "date-time", "description": "CreationTimestamp is a timestamp representing the server time when this object was created."],
            "deletionTimestamp": ["type": "string", "format": "date-time", "description": "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."],
        ],
    ]
}
