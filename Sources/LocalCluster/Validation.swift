import Foundation
import KubeAPI

/// Checks of object metadata that kube-apiserver makes for every kind.
enum ObjectValidation {
    static let subdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    static func metadataErrors(_ metadata: JSONObject, def: ResourceDefinition, isCreate: Bool) -> [FieldError] {
        let name = metadata["name"]?.stringValue ?? ""
        if name.isEmpty {
            return [.required(FieldPath("metadata", "name"), "name or generateName is required")]
        }
        return nameErrors(name, path: FieldPath("metadata", "name"), label: def.groupResource == BuiltinResources.namespaces.groupResource)
    }

    /// RFC 1123 subdomain (most names) or label (namespaces) checks.
    static func nameErrors(_ name: String, path: FieldPath, label: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let maxLength = label ? 63 : 253
        if name.utf8.count > maxLength {
            errors.append(.invalid(path, .string(name), "must be no more than \(maxLength) characters"))
        }
        let valid = label ? isLabel(Substring(name)) : name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
        if !valid {
            errors.append(.invalid(path, .string(name), label ? labelMessage : subdomainMessage))
        }
        return errors
    }

    private static func isLabel(_ part: Substring) -> Bool {
        let bytes = Array(part.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        return alnum(first) && alnum(last) && bytes.allSatisfy { alnum($0) || $0 == 45 }
    }
}

/// Custom resource admission through the CRD schema: pruning, defaulting,
/// validation, with kube-apiserver's answers for unknown fields.
enum SchemaAdmission {
    static func schema(_ json: JSONValue) -> JSONSchemaProps? {
        try? JSONCoding.fromJSON(JSONSchemaProps.self, json)
    }

    static func structuralErrors(_ json: JSONValue, at path: FieldPath) -> [FieldError] {
        do {
            let schema = try JSONCoding.fromJSON(JSONSchemaProps.self, json)
            return SchemaValidator.structuralErrors(of: schema, at: path)
        } catch {
            return [.invalid(path, .string("<schema>"), "cannot be decoded: \(error)")]
        }
    }
}

extension ClusterStore {
    /// Runs schema admission for custom resources; other kinds pass unchanged.
    func admit(
        _ object: JSONObject, old: JSONObject?, def: ResourceDefinition, version: String, options: WriteOptions,
        warnings: inout [String]
    ) throws(APIError) -> JSONObject {
        guard def.isCustom, let json = def.schemas[def.preferredVersion] ?? def.schemas[version],
            let schema = SchemaAdmission.schema(json)
        else { return object }
        let outcome = SchemaValidator(schema: schema).admit(.object(object))
        if !outcome.unknownFields.isEmpty {
            switch options.fieldValidation {
            case .strict:
                throw APIError.badRequest(
                    "\(def.kind) in version \"\(version)\" cannot be handled as a \(def.kind): "
                        + SchemaValidator.strictDecodingMessage(unknownFields: outcome.unknownFields))
            case .warn:
                warnings += outcome.unknownFields.map(SchemaValidator.unknownFieldMessage)
            case .ignore:
                break
            }
        }
        if !outcome.errors.isEmpty {
            throw APIError.invalid(
                kind: def.kind, group: def.group, name: object["metadata"]?["name"]?.stringValue ?? "",
                errors: outcome.errors)
        }
        var admitted = outcome.object.objectValue ?? object
        admitted["metadata"] = object["metadata"]
        return admitted
    }
}

/// What kube-apiserver's strategies and controllers fill in for built-in kinds.
enum Defaulting {
    static func onCreate(_ object: JSONObject, def: ResourceDefinition) -> JSONObject {
        var result = common(object, def: def)
        switch def.groupResource {
        case BuiltinResources.namespaces.groupResource:
            result["spec"] = ["finalizers": ["kubernetes"]]
            result["status"] = ["phase": "Active"]
        default:
            break
        }
        return result
    }

    static func onUpdate(_ object: JSONObject, old: JSONObject, def: ResourceDefinition) -> JSONObject {
        var result = common(object, def: def)
        if def.groupResource == BuiltinResources.namespaces.groupResource {
            result["spec"] = old["spec"]
        }
        return result
    }

    private static func common(_ object: JSONObject, def: ResourceDefinition) -> JSONObject {
        var result = object
        switch def.groupResource {
        case BuiltinResources.secrets.groupResource:
            if result["type"] == nil { result["type"] = "Opaque" }
            if let stringData = result["stringData"]?.objectValue {
                var data = result["data"]?.objectValue ?? [:]
                for (key, value) in stringData {
                    data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString())
                }
                result["data"] = .object(data)
                result["stringData"] = nil
            }
        case BuiltinResources.deployments.groupResource:
            if result["spec"]?["replicas"] == nil { result["spec"]?["replicas"] = 1 }
        default:
            break
        }
        return result
    }

    /// A stand-in for the deployment controller (there are no pods): the
    /// status reports every desired replica ready at the current generation.
    static func deploymentStatus(_ object: JSONObject) -> JSONObject {
        var result = object
        let replicas = result["spec"]?["replicas"]?.intValue ?? 1
        let now = JSONValue.string(Time.now().description)
        let previous = (result["status"]?["conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Available" }
        result["status"] = [
            "observedGeneration": result["metadata"]?["generation"] ?? 1,
            "replicas": .int(replicas), "updatedReplicas": .int(replicas), "readyReplicas": .int(replicas),
            "availableReplicas": .int(replicas),
            "conditions": [
                [
                    "type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                    "message": "Deployment has minimum availability.",
                    "lastTransitionTime": previous?["lastTransitionTime"] ?? now, "lastUpdateTime": now,
                ],
                [
                    "type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                    "message": "ReplicaSet has successfully progressed.",
                    "lastTransitionTime": previous?["lastTransitionTime"] ?? now, "lastUpdateTime": now,
                ],
            ],
        ]
        return result
    }
}
