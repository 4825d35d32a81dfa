import Foundation

/// The simulator's own small rule set, used where the `SchemaCompatibility` library
/// gives no answer: Avro schemas must be JSON and are compared with the core of the
/// Avro resolution rules (record fields and defaults, promotions, unions, enums,
/// arrays, maps, fixed sizes); JSON Schemas must be JSON; Protobuf must be non-empty.
///
/// Caveats: named types are compared by name only; JSON Schema and Protobuf evolution
/// is accepted without comparison.
struct BasicSchemaRules: SchemaRules {
    func canonicalForm(of schema: SchemaDocument) throws(InvalidSchema) -> String {
        switch schema.type {
        case .avro, .json:
            let value = try Self.parse(schema.text)
            if schema.type == .avro { try Self.validateAvro(value, path: "") }
            return Self.canonicalJSON(value)
        case .protobuf:
            let lines = schema.text.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("//") }
            guard !lines.isEmpty else { throw InvalidSchema(detail: "empty Protobuf schema") }
            return lines.joined(separator: "\n")
        }
    }

    func incompatibilities(
        of new: SchemaDocument, against existing: SchemaDocument, level: SchemaRegistrySimulator.CompatibilityLevel
    ) -> [String] {
        guard new.type == existing.type else {
            return ["{errorType:'TYPE_MISMATCH', description:'The schema type changed from \(existing.type.rawValue) to \(new.type.rawValue)'}"]
        }
        guard new.type == .avro, let newValue = try? Self.parse(new.text),
            let oldValue = try? Self.parse(existing.text)
        else { return [] }
        switch level.direction {
        case .backward: return Self.readable(reader: newValue, writer: oldValue, path: "")
        case .forward: return Self.readable(reader: oldValue, writer: newValue, path: "")
        case .full:
            return Self.readable(reader: newValue, writer: oldValue, path: "")
                + Self.readable(reader: oldValue, writer: newValue, path: "")
        default: return []
        }
    }

    // MARK: Parsing

    private static func parse(_ text: String) throws(InvalidSchema) -> Any {
        guard let data = text.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { throw InvalidSchema(detail: "the schema is not valid JSON") }
        return value
    }

    private static let primitives: Set<String> = [
        "null", "boolean", "int", "long", "float", "double", "bytes", "string",
    ]

    private static func validateAvro(_ value: Any, path: String) throws(InvalidSchema) {
        switch value {
        case is String: return
        case let union as [Any]:
            for (index, branch) in union.enumerated() { try validateAvro(branch, path: "\(path)/\(index)") }
        case let object as [String: Any]:
            guard let type = object["type"] else { throw InvalidSchema(detail: "no type at '\(path.isEmpty ? "/" : path)'") }
            switch type as? String {
            case "record", "error":
                guard object["name"] is String else { throw InvalidSchema(detail: "record without name at '\(path)'") }
                guard let fields = object["fields"] as? [Any] else {
                    throw InvalidSchema(detail: "record without fields at '\(path)'")
                }
                for (index, field) in fields.enumerated() {
                    guard let field = field as? [String: Any], field["name"] is String, let fieldType = field["type"]
                    else { throw InvalidSchema(detail: "invalid field at '\(path)/fields/\(index)'") }
                    try validateAvro(fieldType, path: "\(path)/fields/\(index)/type")
                }
            case "enum":
                guard object["symbols"] is [String] else { throw InvalidSchema(detail: "enum without symbols at '\(path)'") }
            case "array":
                guard let items = object["items"] else { throw InvalidSchema(detail: "array without items at '\(path)'") }
                try validateAvro(items, path: "\(path)/items")
            case "map":
                guard let values = object["values"] else { throw InvalidSchema(detail: "map without values at '\(path)'") }
                try validateAvro(values, path: "\(path)/values")
            case "fixed":
                guard object["size"] is Int else { throw InvalidSchema(detail: "fixed without size at '\(path)'") }
            default: try validateAvro(type, path: "\(path)/type")
            }
        default: throw InvalidSchema(detail: "unexpected value at '\(path.isEmpty ? "/" : path)'")
        }
    }

    /// JSON with sorted keys and no insignificant whitespace.
    static func canonicalJSON(_ value: Any) -> String {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Avro resolution

    private static let promotions: [String: Set<String>] = [
        "int": ["long", "float", "double"], "long": ["float", "double"], "float": ["double"],
        "string": ["bytes"], "bytes": ["string"],
    ]

    private static func typeName(_ value: Any) -> String {
        if let name = value as? String { return name }
        if value is [Any] { return "union" }
        if let object = value as? [String: Any], let type = object["type"] {
            return type is String ? (type as? String ?? "") : typeName(type)
        }
        return ""
    }

    private static func message(_ type: String, _ path: String, _ description: String) -> String {
        "{errorType:'\(type)', description:'\(description)', additionalInfo:'\(path.isEmpty ? "/" : path)'}"
    }

    /// The incompatibilities of reading data written with `writer` using `reader`.
    static func readable(reader: Any, writer: Any, path: String) -> [String] {
        if let writerUnion = writer as? [Any] {
            return writerUnion.enumerated().flatMap { index, branch in
                readable(reader: reader, writer: branch, path: "\(path)/\(index)")
            }
        }
        if let readerUnion = reader as? [Any] {
            let fits = readerUnion.contains { readable(reader: $0, writer: writer, path: path).isEmpty }
            return fits
                ? []
                : [message("MISSING_UNION_BRANCH", path, "The new schema is missing a type inside a union field at path '\(path.isEmpty ? "/" : path)' in the old schema")]
        }
        if let readerObject = reader as? [String: Any], let inner = readerObject["type"], !(inner is String) {
            return readable(reader: inner, writer: writer, path: path)
        }
        if let writerObject = writer as? [String: Any], let inner = writerObject["type"], !(inner is String) {
            return readable(reader: reader, writer: inner, path: path)
        }
        let readerType = typeName(reader)
        let writerType = typeName(writer)
        guard readerType == writerType else {
            if promotions[writerType]?.contains(readerType) == true { return [] }
            return [message("TYPE_MISMATCH", path, "The type (path '\(path.isEmpty ? "/" : path)') of a field in the new schema does not match with the old schema")]
        }
        let readerObject = reader as? [String: Any] ?? [:]
        let writerObject = writer as? [String: Any] ?? [:]
        switch readerType {
        case "record", "error":
            let readerFields = readerObject["fields"] as? [[String: Any]] ?? []
            let writerFields = writerObject["fields"] as? [[String: Any]] ?? []
            var problems: [String] = []
            for (index, field) in readerFields.enumerated() {
                let name = field["name"] as? String ?? ""
                let aliases = field["aliases"] as? [String] ?? []
                let match = writerFields.first { writerField in
                    let writerName = writerField["name"] as? String ?? ""
                    return writerName == name || aliases.contains(writerName)
                }
                if let match {
                    problems += readable(
                        reader: field["type"] ?? "null", writer: match["type"] ?? "null",
                        path: "\(path)/fields/\(index)/type")
                } else if field["default"] == nil {
                    problems.append(
                        message(
                            "READER_FIELD_MISSING_DEFAULT_VALUE", "\(path)/fields/\(index)",
                            "The field '\(name)' at path '\(path)/fields/\(index)' in the new schema has no default value and is missing in the old schema"))
                }
            }
            return problems
        case "enum":
            let readerSymbols = Set(readerObject["symbols"] as? [String] ?? [])
            let missing = (writerObject["symbols"] as? [String] ?? []).filter { !readerSymbols.contains($0) }
            guard !missing.isEmpty, readerObject["default"] == nil else { return [] }
            return [message("MISSING_ENUM_SYMBOLS", "\(path)/symbols", "The new schema is missing enum symbols '\(missing.joined(separator: ","))' at path '\(path)/symbols' in the old schema")]
        case "array":
            return readable(reader: readerObject["items"] ?? "null", writer: writerObject["items"] ?? "null", path: "\(path)/items")
        case "map":
            return readable(reader: readerObject["values"] ?? "null", writer: writerObject["values"] ?? "null", path: "\(path)/values")
        case "fixed":
            guard readerObject["size"] as? Int == writerObject["size"] as? Int else {
                return [message("FIXED_SIZE_MISMATCH", "\(path)/size", "The size of FIXED type field at path '\(path)/size' in the old schema does not match with the new schema")]
            }
            return []
        default:
            return []
        }
    }
}
