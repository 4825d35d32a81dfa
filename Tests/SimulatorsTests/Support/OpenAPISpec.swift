import Foundation
import Yams

/// A YAML document as plain values.
indirect enum SpecNode: Sendable {
    case scalar(String)
    case sequence([SpecNode])
    case mapping([String: SpecNode])

    init(_ node: Node) {
        switch node {
        case .scalar(let scalar): self = .scalar(scalar.string)
        case .sequence(let sequence): self = .sequence(sequence.map(SpecNode.init))
        case .mapping(let mapping):
            var values: [String: SpecNode] = [:]
            for (key, value) in mapping { values[key.string ?? ""] = SpecNode(value) }
            self = .mapping(values)
        case .alias: self = .scalar("")
        }
    }

    subscript(_ key: String) -> SpecNode? {
        if case .mapping(let mapping) = self { return mapping[key] }
        return nil
    }

    var string: String? { if case .scalar(let value) = self { value } else { nil } }
    var items: [SpecNode]? { if case .sequence(let value) = self { value } else { nil } }
    var mapping: [String: SpecNode]? { if case .mapping(let value) = self { value } else { nil } }
}

/// An OpenAPI 3 document and a validator for responses against it: the status must
/// be one the operation declares, the content type one it declares for that status,
/// and a JSON body must match the schema — required properties present, every
/// property of the declared type (recursively, through `$ref`s), enums respected.
struct OpenAPISpec: Sendable {
    let root: SpecNode

    /// lakeFS's swagger.yml, beside the repository: `<repo>/../shared/specs/lakefs/swagger.yml`.
    static let lakeFS: Result<OpenAPISpec, any Error> = Result {
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // SimulatorsTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let url = repositoryRoot.appendingPathComponent("../shared/specs/lakefs/swagger.yml").standardizedFileURL
        return try OpenAPISpec(yaml: String(contentsOf: url, encoding: .utf8))
    }

    init(yaml: String) throws {
        guard let node = try Yams.compose(yaml: yaml) else { throw SpecError.empty }
        root = SpecNode(node)
    }

    enum SpecError: Error {
        case empty
    }

    /// Follows a local `$ref` (`#/components/...`).
    func resolve(_ node: SpecNode) -> SpecNode {
        var current = node
        var hops = 0
        while let reference = current["$ref"]?.string, reference.hasPrefix("#/"), hops < 16 {
            var target: SpecNode? = root
            for part in reference.dropFirst(2).split(separator: "/") { target = target?[String(part)] }
            guard let target else { return current }
            current = target
            hops += 1
        }
        return current
    }

    /// The operation at a path template and method, e.g. `/repositories/{repository}`, `get`.
    func operation(_ method: String, _ path: String) -> SpecNode? {
        root["paths"]?[path]?[method.lowercased()]
    }

    /// Everything wrong with a response to `method path`; empty when it conforms.
    func problems(_ method: String, _ path: String, response: TestResponse) -> [String] {
        let label = "\(method.uppercased()) \(path) → \(response.status)"
        guard let operation = operation(method, path) else { return ["\(label): no such operation in the spec"] }
        guard let responses = operation["responses"]?.mapping else { return ["\(label): operation has no responses"] }
        guard let declared = responses[String(response.status)] ?? (response.status >= 500 ? responses["default"] : nil)
        else {
            return ["\(label): status not declared (declared: \(responses.keys.sorted().joined(separator: ", ")))"]
        }
        let spec = resolve(declared)
        var problems: [String] = []
        for name in spec["headers"]?.mapping?.keys.sorted() ?? [] where response.header(name) == nil {
            problems.append("\(label): declared header \(name) is missing")
        }
        guard let content = spec["content"]?.mapping else {
            if response.status == 204, !response.body.isEmpty { problems.append("\(label): 204 with a body") }
            return problems
        }
        let mediaType =
            (response.header("Content-Type") ?? "").split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let media = content[mediaType] else {
            return problems + ["\(label): content type '\(mediaType)' not declared (\(content.keys.sorted()))"]
        }
        guard let schema = media["schema"] else { return problems }
        if mediaType == "application/json" {
            do {
                validate(try TestJSON.parse(response.body), against: schema, at: "", into: &problems, context: label)
            } catch {
                problems.append("\(label): body is not JSON: \(response.text)")
            }
        } else if resolve(schema)["type"]?.string != "string" {
            problems.append("\(label): non-JSON body for a non-string schema")
        }
        return problems
    }

    /// Validates a value against a schema, appending what does not match.
    func validate(
        _ value: TestJSON, against schemaNode: SpecNode, at path: String, into problems: inout [String], context: String
    ) {
        let schema = resolve(schemaNode)
        for part in schema["allOf"]?.items ?? [] {
            validate(value, against: part, at: path, into: &problems, context: context)
        }
        let location = path.isEmpty ? "body" : path
        if value == .null {
            if schema["nullable"]?.string != "true" { problems.append("\(context): \(location) is null") }
            return
        }
        if let allowed = schema["enum"]?.items?.compactMap(\.string), let text = value.string, !allowed.contains(text) {
            problems.append("\(context): \(location) = '\(text)' is not one of \(allowed)")
        }
        switch schema["type"]?.string {
        case "object":
            guard let object = value.object else {
                problems.append("\(context): \(location) is \(value.kind), want object")
                return
            }
            for required in schema["required"]?.items?.compactMap(\.string) ?? [] where object[required] == nil {
                problems.append("\(context): \(location) lacks required property '\(required)'")
            }
            let properties = schema["properties"]?.mapping ?? [:]
            for (name, propertyValue) in object {
                if let property = properties[name] {
                    validate(propertyValue, against: property, at: path + "/" + name, into: &problems, context: context)
                } else if let additional = schema["additionalProperties"], additional.mapping != nil {
                    validate(
                        propertyValue, against: additional, at: path + "/" + name, into: &problems, context: context)
                }
            }
        case "array":
            guard let array = value.array else {
                problems.append("\(context): \(location) is \(value.kind), want array")
                return
            }
            if let items = schema["items"] {
                for (index, item) in array.enumerated() {
                    validate(item, against: items, at: "\(path)/\(index)", into: &problems, context: context)
                }
            }
        case "string":
            guard let text = value.string else {
                problems.append("\(context): \(location) is \(value.kind), want string")
                return
            }
            if schema["format"]?.string == "date-time", (try? Date(text, strategy: .iso8601)) == nil {
                problems.append("\(context): \(location) = '\(text)' is not a date-time")
            }
        case "integer":
            guard let number = value.int else {
                problems.append("\(context): \(location) is \(value.kind), want integer")
                return
            }
            if let minimum = schema["minimum"]?.string.flatMap(Int64.init), number < minimum {
                problems.append("\(context): \(location) = \(number) is below \(minimum)")
            }
            if let maximum = schema["maximum"]?.string.flatMap(Int64.init), number > maximum {
                problems.append("\(context): \(location) = \(number) is above \(maximum)")
            }
        case "number":
            switch value {
            case .int, .double: break
            default: problems.append("\(context): \(location) is \(value.kind), want number")
            }
        case "boolean":
            if value.bool == nil { problems.append("\(context): \(location) is \(value.kind), want boolean") }
        default:
            break
        }
    }
}
