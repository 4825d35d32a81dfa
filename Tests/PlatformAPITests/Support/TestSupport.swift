import Foundation
import KubeAPI
import PlatformAPI
import Yams

/// Where the repository's files are, found from this file's path.
enum Repo {
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // PlatformAPITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    static func read(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// `../shared/specs/...`, present beside the repository in development and CI.
    static func sharedSpec(_ relativePath: String) -> URL {
        root.deletingLastPathComponent().appendingPathComponent("shared/specs/" + relativePath)
    }
}

struct YAMLLoadError: Error, CustomStringConvertible {
    var description: String
}

/// Reads YAML into ``JSONValue`` with the YAML 1.2 core schema, as
/// kubectl and the API server do: only `true`/`false` are booleans and quoted
/// scalars are always strings.
enum YAMLLoader {
    static func load(_ text: String) throws -> JSONValue {
        guard let node = try Yams.compose(yaml: text) else { throw YAMLLoadError(description: "empty document") }
        return try convert(node)
    }

    static func loadFile(_ relativePath: String) throws -> JSONValue {
        try load(Repo.read(relativePath))
    }

    static func convert(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return resolve(scalar)
        case .mapping(let mapping):
            var object: JSONObject = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw YAMLLoadError(description: "non-scalar mapping key")
                }
                guard object[keyScalar.string] == nil else {
                    throw YAMLLoadError(description: "duplicate key \(keyScalar.string)")
                }
                object[keyScalar.string] = try convert(value)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(try sequence.map(convert))
        case .alias:
            throw YAMLLoadError(description: "aliases are not used in this repository's YAML")
        }
    }

    static func resolve(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if text.range(of: "^[-+]?[0-9]+$", options: .regularExpression) != nil, let int = Int64(text) {
            return .int(int)
        }
        if text.range(of: "^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", options: .regularExpression)
            != nil,
            let double = Double(text)
        {
            return .double(double)
        }
        return .string(text)
    }
}

extension PlatformResource {
    /// The CRD's `openAPIV3Schema` in KubeAPI's model, as the API server would load it.
    static func schemaProps() throws -> JSONSchemaProps {
        let schema = customResourceDefinition.value(at: ["spec", "versions"])?.arrayValue?.first?
            .value(at: ["schema", "openAPIV3Schema"])
        return try JSONCoding.fromJSON(JSONSchemaProps.self, schema ?? .null)
    }

    /// The sample file of the kind, `samples/<kind>.yaml`.
    static var samplePath: String { "samples/\(singular).yaml" }
}

/// Paths of a schema, in the form the coverage test compares:
/// `spec.merge.into`, `spec.tables[]`, `spec.config.*`.
enum SchemaPaths {
    static func all(_ schema: APISchema, prefix: String) -> Set<String> {
        var paths: Set<String> = []
        collect(schema, prefix, into: &paths)
        return paths
    }

    private static func collect(_ schema: APISchema, _ path: String, into paths: inout Set<String>) {
        switch schema.shape {
        case .object(let properties):
            for property in properties {
                let child = "\(path).\(property.name)"
                paths.insert(child)
                collect(property.schema, child, into: &paths)
            }
        case .map(let values):
            paths.insert("\(path).*")
            collect(values, "\(path).*", into: &paths)
        case .array(let items):
            collect(items, "\(path)[]", into: &paths)
        default:
            break
        }
    }

    /// A JSON value in which every property the schema declares is present,
    /// every list and map has one entry, and every value has the right type.
    static func fullyPopulated(_ schema: APISchema) -> JSONValue {
        switch schema.shape {
        case .object(let properties):
            return .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.name, fullyPopulated($0.schema)) }))
        case .map(let values):
            return .object(["key": fullyPopulated(values)])
        case .array(let items):
            return .array([fullyPopulated(items)])
        case .opaqueObject:
            return .object(["name": "x"])
        case .string:
            if let first = schema.enumValues?.first { return .string(first) }
            if schema.format == "date-time" { return "2026-11-30T05:00:00Z" }
            return "x"
        case .integer:
            return 1
        case .number:
            return 1.5
        case .boolean:
            return true
        }
    }
}
