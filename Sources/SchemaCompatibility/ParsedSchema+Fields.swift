/// One field of a schema's top-level record or object, for reports such as an
/// OpenLineage `schema` dataset facet.
public struct SchemaField: Sendable, Hashable {
    public var name: String
    /// The field's type as the format spells it: `long`, `string`, `array<string>`,
    /// `null|string`, a logical type (`timestamp-millis`), or a named type's name.
    public var type: String
    /// The fields of a nested record or object, when the type is one.
    public var fields: [SchemaField]?

    public init(name: String, type: String, fields: [SchemaField]? = nil) {
        self.name = name
        self.type = type
        self.fields = fields
    }
}

extension ParsedSchema {
    /// The fields of the top-level Avro record or JSON Schema object (nested records and
    /// objects down to a few levels); nil for other schemas and for Protobuf.
    public var fields: [SchemaField]? {
        switch content {
        case .avro(let schema):
            guard case .named(let name) = schema.root, case .record(let fields)? = schema.named[name]?.kind else { return nil }
            return fields.map { Self.field($0, in: schema, depth: 0) }
        case .json(let document, _):
            return Self.properties(of: document, depth: 0)
        case .protobuf:
            return nil
        }
    }

    private static let maxDepth = 4

    private static func field(_ field: AvroField, in schema: AvroSchema, depth: Int) -> SchemaField {
        var nested: [SchemaField]?
        if depth < maxDepth, case .named(let name) = unwrapOptional(field.type), case .record(let fields)? = schema.named[name]?.kind {
            nested = fields.map { Self.field($0, in: schema, depth: depth + 1) }
        }
        return SchemaField(name: field.name, type: typeName(field.type, in: schema), fields: nested)
    }

    /// `T` for `["null", T]`, else the type itself.
    private static func unwrapOptional(_ type: AvroType) -> AvroType {
        if case .union(let branches) = type {
            let others = branches.filter { if case .primitive(.null, _) = $0 { false } else { true } }
            if others.count == 1 { return others[0] }
        }
        return type
    }

    private static func typeName(_ type: AvroType, in schema: AvroSchema) -> String {
        switch type {
        case .primitive(let primitive, let logical): logical?.name ?? primitive.rawValue
        case .array(let items): "array<\(typeName(items, in: schema))>"
        case .map(let values): "map<\(typeName(values, in: schema))>"
        case .union(let branches): branches.map { typeName($0, in: schema) }.joined(separator: "|")
        case .named(let name): schema.named[name]?.unqualifiedName ?? name
        }
    }

    private static func properties(of document: JSONValue, depth: Int) -> [SchemaField]? {
        guard let members = document["properties"]?.objectMembers else { return nil }
        return members.map { member in
            let value = member.value
            let type: String
            if let single = value["type"]?.stringValue {
                type = single
            } else if let many = value["type"]?.arrayValue?.compactMap(\.stringValue), !many.isEmpty {
                type = many.joined(separator: "|")
            } else if let reference = value["$ref"]?.stringValue {
                type = reference
            } else {
                type = "any"
            }
            let nested = depth < maxDepth ? properties(of: value, depth: depth + 1) : nil
            return SchemaField(name: member.key, type: type, fields: nested)
        }
    }
}
