/// A schema text that has been parsed and validated, with its canonical and normalized forms.
///
/// Guarantees: two schemas that differ only in formatting (whitespace, attribute order,
/// documentation) have the same `canonicalForm` and `fingerprint`. `normalizedForm` is the
/// identity under the registry's `normalize=true`; without it the registry compares the
/// text as written.
public struct ParsedSchema: Sendable, Equatable, CustomStringConvertible {
    enum Content: Sendable, Equatable {
        case avro(AvroSchema)
        case json(JSONValue)
        case protobuf(ProtoFile)
    }

    /// The format of the schema.
    public let type: SchemaType
    /// The text as given.
    public let text: String
    /// Avro: the specification's Parsing Canonical Form. JSON Schema: compact JSON with
    /// sorted keys. Protobuf: the file printed in a fixed layout, declaration order kept.
    public let canonicalForm: String
    /// Avro: full names, fixed attribute order, defaults/aliases/logical types kept, docs
    /// dropped. JSON Schema: as `canonicalForm`. Protobuf: as `canonicalForm` with fields
    /// ordered by number, declarations by name and imports sorted.
    public let normalizedForm: String
    let content: Content

    /// Parses and validates `text`; throws what the registry would answer with 42201.
    public init(_ text: String, type: SchemaType = .avro) throws(SchemaParseError) {
        self.type = type
        self.text = text
        switch type {
        case .avro:
            let schema = try AvroParser.parse(text)
            content = .avro(schema)
            canonicalForm = schema.parsingCanonicalForm
            normalizedForm = schema.normalizedForm
        case .json:
            let json = try JSONParser.parse(text)
            try JSONSchemaValidation.validate(json)
            content = .json(json)
            canonicalForm = json.serialized(sortKeys: true)
            normalizedForm = canonicalForm
        case .protobuf:
            let file = try ProtoParser.parse(text)
            content = .protobuf(file)
            canonicalForm = file.printed(normalized: false)
            normalizedForm = file.printed(normalized: true)
        }
    }

    /// CRC-64-AVRO (Rabin) fingerprint of `canonicalForm`; for Avro this equals Java's
    /// `SchemaNormalization.parsingFingerprint64`.
    public var fingerprint: Int64 { Int64(bitPattern: RabinFingerprint.fingerprint(canonicalForm)) }

    /// `fingerprint` as 16 lowercase hex digits, for labels and status fields.
    public var fingerprintHex: String {
        let hex = String(UInt64(bitPattern: fingerprint), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The text the registry stores: `normalizedForm` when `normalize` is set, else the text.
    public func registryText(normalize: Bool) -> String { normalize ? normalizedForm : text }

    public var description: String { "\(type.rawValue) \(canonicalForm)" }

    public static func == (lhs: ParsedSchema, rhs: ParsedSchema) -> Bool {
        lhs.type == rhs.type && lhs.normalizedForm == rhs.normalizedForm
    }
}
