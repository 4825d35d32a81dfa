import Foundation
import KubeAPI
import Yams

/// Reads Kubernetes manifests (multi-document YAML or JSON) as JSON objects.
public enum Manifests {
    /// Parses every non-empty document of a YAML stream.
    public static func parse(yaml text: String) throws -> [JSONValue] {
        var documents: [JSONValue] = []
        for node in try Yams.compose_all(yaml: text) {
            let value = try json(from: node)
            if !value.isNull { documents.append(value) }
        }
        return documents
    }

    /// Parses every `.yaml`, `.yml` and `.json` file in a directory, in name order.
    public static func load(directory: String) throws -> [(file: String, object: JSONValue)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .sorted()
        var result: [(String, JSONValue)] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for object in try parse(yaml: text) { result.append((path, object)) }
        }
        return result
    }

    /// Converts a YAML node to JSON with the YAML 1.2 core schema's scalar rules.
    static func json(from node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
                if let bool = ["true": true, "True": true, "TRUE": true, "false": false, "False": false, "FALSE": false][scalar.string] {
                    return .bool(bool)
                }
                if let int = Int64(scalar.string) { return .int(int) }
                if scalar.string.range(of: #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
                    let double = Double(scalar.string)
                {
                    return .double(double)
                }
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object: JSONObject = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else { throw ManifestError("mapping keys must be scalars") }
                object[keyScalar.string] = try json(from: value)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(try sequence.map { try json(from: $0) })
        case .alias:
            throw ManifestError("YAML aliases are not supported in manifests")
        }
    }
}

/// A manifest that cannot be read.
public struct ManifestError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
