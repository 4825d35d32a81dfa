/// A parsed Avro schema: a type tree whose named types live in `named`, referenced by full
/// name, so recursive schemas are finite values.
struct AvroSchema: Sendable, Equatable {
    var root: AvroType
    /// Named types by full name, with the order in which they were defined.
    var named: [String: AvroNamedType]
}

enum AvroPrimitive: String, Sendable, Equatable, CaseIterable {
    case null, boolean, int, long, float, double, bytes, string
}

indirect enum AvroType: Sendable, Equatable {
    case primitive(AvroPrimitive, logicalType: AvroLogicalType?)
    case array(items: AvroType)
    case map(values: AvroType)
    case union([AvroType])
    /// A reference to a record, enum or fixed by full name.
    case named(String)

    /// The type name Avro's Java implementation prints in messages (`INT`, `RECORD` …).
    func kindName(in schema: AvroSchema) -> String {
        switch self {
        case .primitive(let p, _): return p.rawValue.uppercased()
        case .array: return "ARRAY"
        case .map: return "MAP"
        case .union: return "UNION"
        case .named(let n):
            switch schema.named[n]?.kind {
            case .record: return "RECORD"
            case .enumeration: return "ENUM"
            case .fixed: return "FIXED"
            case nil: return "UNKNOWN"
            }
        }
    }
}

/// Logical type attributes, kept for the normalized form; compatibility treats the
/// annotated type as its underlying type, as the specification says.
struct AvroLogicalType: Sendable, Equatable {
    var name: String
    var precision: Int64?
    var scale: Int64?
}

struct AvroNamedType: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case record(fields: [AvroField])
        case enumeration(symbols: [String], defaultSymbol: String?)
        case fixed(size: Int64, logicalType: AvroLogicalType?)
    }

    var fullName: String
    var aliases: [String]
    var kind: Kind

    var unqualifiedName: String { fullName.split(separator: ".").last.map(String.init) ?? fullName }
}

struct AvroField: Sendable, Equatable {
    var name: String
    var type: AvroType
    var defaultValue: JSONValue?
    var aliases: [String]
    var order: String?
}

/// Parses Avro schema JSON into an `AvroSchema`, resolving names and namespaces as the
/// Avro 1.11 specification describes and validating field defaults.
struct AvroParser {
    private var named: [String: AvroNamedType] = [:]
    /// Full names defined so far; a reference may only point at one of these.
    private var defined: Set<String> = []

    static func parse(_ text: String) throws(SchemaParseError) -> AvroSchema {
        try parse(text, references: [:])
    }

    /// Parses `text` after the schemas it references, so that it may name their types, as
    /// Confluent's `AvroSchema` does with one parser for references and schema. References
    /// that name types of other references are parsed after them, whatever the map's order.
    static func parse(_ text: String, references: [String: String]) throws(SchemaParseError) -> AvroSchema {
        var parser = AvroParser()
        var pending = references.keys.sorted()
        while !pending.isEmpty {
            var failure: SchemaParseError?
            var remaining: [String] = []
            for name in pending {
                var attempt = parser
                do {
                    let json = try JSONParser.parse(references[name] ?? "")
                    _ = try attempt.parseType(json, namespace: nil, path: "")
                    parser = attempt
                } catch {
                    remaining.append(name)
                    if failure == nil {
                        failure = SchemaParseError(
                            reason: "in reference \(name): \(error.reason)", line: error.line, column: error.column, path: error.path)
                    }
                }
            }
            if remaining.count == pending.count, let failure { throw failure }
            pending = remaining
        }
        let json = try JSONParser.parse(text)
        let root = try parser.parseType(json, namespace: nil, path: "")
        return AvroSchema(root: root, named: parser.named)
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) || ("a"..."z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("0"..."9").contains($0) || ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
    }

    private static func fullName(_ name: String, namespace: String?) -> String {
        if name.contains(".") { return name }
        if let namespace, !namespace.isEmpty { return "\(namespace).\(name)" }
        return name
    }

    private static func namespace(of fullName: String) -> String? {
        guard let dot = fullName.lastIndex(of: ".") else { return nil }
        return String(fullName[..<dot])
    }

    private func resolveReference(_ name: String, namespace: String?, path: String) throws(SchemaParseError) -> AvroType {
        let candidates = name.contains(".") ? [name] : [AvroParser.fullName(name, namespace: namespace), name]
        for candidate in candidates where defined.contains(candidate) {
            return .named(candidate)
        }
        throw SchemaParseError(reason: "undefined name: \(candidates[0])", path: path)
    }

    mutating func parseType(_ json: JSONValue, namespace: String?, path: String) throws(SchemaParseError) -> AvroType {
        switch json {
        case .string(let name):
            if let primitive = AvroPrimitive(rawValue: name) { return .primitive(primitive, logicalType: nil) }
            return try resolveReference(name, namespace: namespace, path: path)
        case .array(let branches):
            var types: [AvroType] = []
            var seen: Set<String> = []
            for (i, branch) in branches.enumerated() {
                let type = try parseType(branch, namespace: namespace, path: "\(path)/\(i)")
                if case .union = type {
                    throw SchemaParseError(reason: "unions may not immediately contain other unions", path: "\(path)/\(i)")
                }
                let key: String
                switch type {
                case .named(let n): key = n
                case .primitive(let p, _): key = p.rawValue
                case .array: key = "array"
                case .map: key = "map"
                case .union: key = "union"
                }
                if !seen.insert(key).inserted {
                    throw SchemaParseError(reason: "duplicate in union: \(key)", path: "\(path)/\(i)")
                }
                types.append(type)
            }
            return .union(types)
        case .object:
            return try parseComplex(json, namespace: namespace, path: path)
        default:
            throw SchemaParseError(reason: "a schema must be a type name, an object or an array, not \(json.serialized())", path: path)
        }
    }

    private func logicalType(of json: JSONValue) -> AvroLogicalType? {
        guard let name = json["logicalType"]?.stringValue else { return nil }
        func int(_ key: String) -> Int64? {
            if case .integer(let i)? = json[key] { return i }
            return nil
        }
        return AvroLogicalType(name: name, precision: int("precision"), scale: int("scale"))
    }

    private mutating func parseComplex(_ json: JSONValue, namespace: String?, path: String) throws(SchemaParseError) -> AvroType {
        guard let typeValue = json["type"] else {
            throw SchemaParseError(reason: "no \"type\" attribute", path: path)
        }
        guard case .string(let type) = typeValue else {
            // {"type": {...}} or {"type": [...]} wraps another schema.
            return try parseType(typeValue, namespace: namespace, path: "\(path)/type")
        }
        if let primitive = AvroPrimitive(rawValue: type) {
            return .primitive(primitive, logicalType: logicalType(of: json))
        }
        switch type {
        case "array":
            guard let items = json["items"] else { throw SchemaParseError(reason: "array has no \"items\"", path: path) }
            return .array(items: try parseType(items, namespace: namespace, path: "\(path)/items"))
        case "map":
            guard let values = json["values"] else { throw SchemaParseError(reason: "map has no \"values\"", path: path) }
            return .map(values: try parseType(values, namespace: namespace, path: "\(path)/values"))
        case "record", "error", "enum", "fixed":
            return try parseNamed(json, kind: type, namespace: namespace, path: path)
        default:
            return try resolveReference(type, namespace: namespace, path: "\(path)/type")
        }
    }

    private mutating func parseNamed(_ json: JSONValue, kind: String, namespace enclosing: String?, path: String)
        throws(SchemaParseError) -> AvroType
    {
        guard let name = json["name"]?.stringValue else {
            throw SchemaParseError(reason: "\(kind) has no \"name\"", path: path)
        }
        var namespace = enclosing
        if case .string(let ns)? = json["namespace"] { namespace = ns }
        let fullName = AvroParser.fullName(name, namespace: namespace)
        for part in fullName.split(separator: ".", omittingEmptySubsequences: false) where !AvroParser.isValidName(String(part)) {
            throw SchemaParseError(reason: "invalid name: \(fullName)", path: "\(path)/name")
        }
        if AvroPrimitive(rawValue: fullName) != nil {
            throw SchemaParseError(reason: "a named type may not use the primitive name \(fullName)", path: "\(path)/name")
        }
        if defined.contains(fullName) {
            throw SchemaParseError(reason: "can't redefine: \(fullName)", path: path)
        }
        let innerNamespace = AvroParser.namespace(of: fullName)
        var aliases: [String] = []
        for alias in json["aliases"]?.arrayValue ?? [] {
            guard let a = alias.stringValue else { throw SchemaParseError(reason: "aliases must be strings", path: "\(path)/aliases") }
            aliases.append(AvroParser.fullName(a, namespace: innerNamespace))
        }
        defined.insert(fullName)
        switch kind {
        case "enum":
            guard let symbolValues = json["symbols"]?.arrayValue else {
                throw SchemaParseError(reason: "enum \(fullName) has no \"symbols\" array", path: path)
            }
            var symbols: [String] = []
            for (i, s) in symbolValues.enumerated() {
                guard let symbol = s.stringValue, AvroParser.isValidName(symbol) else {
                    throw SchemaParseError(reason: "invalid enum symbol \(s.serialized())", path: "\(path)/symbols/\(i)")
                }
                if symbols.contains(symbol) {
                    throw SchemaParseError(reason: "duplicate enum symbol \(symbol)", path: "\(path)/symbols/\(i)")
                }
                symbols.append(symbol)
            }
            let defaultSymbol = json["default"]?.stringValue
            if let defaultSymbol, !symbols.contains(defaultSymbol) {
                throw SchemaParseError(reason: "enum default \(defaultSymbol) is not a symbol of \(fullName)", path: "\(path)/default")
            }
            named[fullName] = AvroNamedType(fullName: fullName, aliases: aliases, kind: .enumeration(symbols: symbols, defaultSymbol: defaultSymbol))
        case "fixed":
            guard case .integer(let size)? = json["size"], size >= 0 else {
                throw SchemaParseError(reason: "fixed \(fullName) needs a non-negative integer \"size\"", path: "\(path)/size")
            }
            named[fullName] = AvroNamedType(fullName: fullName, aliases: aliases, kind: .fixed(size: size, logicalType: logicalType(of: json)))
        default:
            // Register before the fields so that fields can refer to the record itself.
            named[fullName] = AvroNamedType(fullName: fullName, aliases: aliases, kind: .record(fields: []))
            guard let fieldValues = json["fields"]?.arrayValue else {
                throw SchemaParseError(reason: "record \(fullName) has no \"fields\" array", path: path)
            }
            var fields: [AvroField] = []
            for (i, fieldJSON) in fieldValues.enumerated() {
                let fieldPath = "\(path)/fields/\(i)"
                guard let fieldName = fieldJSON["name"]?.stringValue else {
                    throw SchemaParseError(reason: "field has no \"name\"", path: fieldPath)
                }
                guard AvroParser.isValidName(fieldName) else {
                    throw SchemaParseError(reason: "invalid field name: \(fieldName)", path: fieldPath)
                }
                if fields.contains(where: { $0.name == fieldName }) {
                    throw SchemaParseError(reason: "duplicate field \(fieldName) in record \(fullName)", path: fieldPath)
                }
                guard let typeJSON = fieldJSON["type"] else {
                    throw SchemaParseError(reason: "field \(fieldName) has no \"type\"", path: fieldPath)
                }
                let fieldType = try parseType(typeJSON, namespace: innerNamespace, path: "\(fieldPath)/type")
                let defaultValue = fieldJSON["default"]
                if let defaultValue, !isValidDefault(defaultValue, for: fieldType, depth: 0) {
                    throw SchemaParseError(
                        reason: "invalid default for field \(fieldName): \(defaultValue.serialized()) not a \(fieldType.kindName(in: AvroSchema(root: fieldType, named: named)).lowercased())",
                        path: "\(fieldPath)/default")
                }
                let fieldAliases = (fieldJSON["aliases"]?.arrayValue ?? []).compactMap(\.stringValue)
                fields.append(AvroField(name: fieldName, type: fieldType, defaultValue: defaultValue, aliases: fieldAliases, order: fieldJSON["order"]?.stringValue))
            }
            named[fullName] = AvroNamedType(fullName: fullName, aliases: aliases, kind: .record(fields: fields))
        }
        return .named(fullName)
    }

    /// Whether a default value fits its type; a union default may match any branch, as Avro's
    /// Java implementation (and therefore the registry) accepts.
    private func isValidDefault(_ value: JSONValue, for type: AvroType, depth: Int) -> Bool {
        guard depth < 64 else { return true }
        switch type {
        case .primitive(let p, _):
            switch (p, value) {
            case (.null, .null), (.boolean, .bool), (.int, .integer), (.long, .integer): return true
            case (.float, .integer), (.float, .double), (.double, .integer), (.double, .double): return true
            case (.bytes, .string), (.string, .string): return true
            default: return false
            }
        case .array(let items):
            guard case .array(let elements) = value else { return false }
            return elements.allSatisfy { isValidDefault($0, for: items, depth: depth + 1) }
        case .map(let values):
            guard case .object(let members) = value else { return false }
            return members.allSatisfy { isValidDefault($0.value, for: values, depth: depth + 1) }
        case .union(let branches):
            return branches.contains { isValidDefault(value, for: $0, depth: depth + 1) }
        case .named(let name):
            guard let namedType = named[name] else { return false }
            switch namedType.kind {
            case .enumeration(let symbols, _):
                guard let s = value.stringValue else { return false }
                return symbols.contains(s)
            case .fixed:
                return value.stringValue != nil
            case .record(let fields):
                guard case .object = value else { return false }
                // A record still being parsed (recursive default) is accepted as is.
                if fields.isEmpty { return true }
                return fields.allSatisfy { field in
                    if let v = value[field.name] { return isValidDefault(v, for: field.type, depth: depth + 1) }
                    return field.defaultValue != nil
                }
            }
        }
    }
}
