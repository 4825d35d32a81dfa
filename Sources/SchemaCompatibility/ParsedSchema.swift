/// A schema text that has been parsed and validated, with its canonical and normalized forms.
///
/// Guarantees: two schemas that differ only in formatting (whitespace, attribute order,
/// documentation) have the same `canonicalForm` and `fingerprint`. `normalizedForm` is the
/// identity under the registry's `normalize=true`; without it the registry compares the
/// text as written. A schema may be parsed with the schemas it references
/// (`init(_:type:references:)`); checks then resolve referenced types.
public struct ParsedSchema: Sendable, Equatable, CustomStringConvertible {
    enum Content: Sendable, Equatable {
        /// Named types defined by references are part of the schema's `named`.
        case avro(AvroSchema)
        case json(JSONValue, references: [String: JSONValue])
        case protobuf(ProtoFile, references: [String: ProtoFile])
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
    /// The referenced schemas' texts by reference name, as given to the initializer.
    public let references: [String: String]
    let content: Content

    /// Parses and validates `text`; throws what the registry would answer with 42201.
    public init(_ text: String, type: SchemaType = .avro) throws(SchemaParseError) {
        try self.init(text, type: type, references: [:])
    }

    /// Parses and validates `text` together with the schemas it references, as the registry
    /// does for a schema registered with `references: [{name, subject, version}]`.
    ///
    /// `references` maps each reference name to the text of the schema version it resolves
    /// to, in the same format, and must include the references of those references (the
    /// registry resolves them recursively too):
    /// - Avro: names are free (the registry uses the referenced type's full name); every named
    ///   type the references define may be used by `text`. The canonical and normalized forms
    ///   spell out the referenced types at their first use, as Avro's `Schema.toString()`
    ///   does, so the fingerprint changes when a referenced type changes.
    /// - JSON Schema: a `$ref` of `name` or `name#/pointer` (or the `$id` of a referenced
    ///   document) points into the referenced document.
    /// - Protobuf: names are import paths; the types of the referenced files resolve as they
    ///   would for protoc.
    ///
    /// For JSON Schema and Protobuf the canonical and normalized forms are those of `text`
    /// alone: the registry keeps the reference list beside the text, so the identity of such a
    /// schema is the pair (form, `references`), which `==` compares.
    ///
    /// Throws what the registry would answer with 42201, including for an unparsable
    /// reference (reason prefixed with `in reference <name>:`).
    public init(_ text: String, type: SchemaType = .avro, references: [String: String]) throws(SchemaParseError) {
        self.type = type
        self.text = text
        self.references = references
        func parseReferences<T>(_ parse: (String) throws(SchemaParseError) -> T) throws(SchemaParseError) -> [String: T] {
            var result: [String: T] = [:]
            for (name, referenceText) in references {
                do {
                    result[name] = try parse(referenceText)
                } catch {
                    throw SchemaParseError(
                        reason: "in reference \(name): \(error.reason)", line: error.line, column: error.column, path: error.path)
                }
            }
            return result
        }
        switch type {
        case .avro:
            let schema = try AvroParser.parse(text, references: references)
            content = .avro(schema)
            canonicalForm = schema.parsingCanonicalForm
            normalizedForm = schema.normalizedForm
        case .json:
            let json = try JSONParser.parse(text)
            try JSONSchemaValidation.validate(json)
            let documents = try parseReferences { (t: String) throws(SchemaParseError) -> JSONValue in
                let document = try JSONParser.parse(t)
                try JSONSchemaValidation.validate(document)
                return document
            }
            content = .json(json, references: documents)
            canonicalForm = json.serialized(sortKeys: true)
            normalizedForm = canonicalForm
        case .protobuf:
            let file = try ProtoParser.parse(text)
            let files = try parseReferences { (t: String) throws(SchemaParseError) -> ProtoFile in try ProtoParser.parse(t) }
            content = .protobuf(file, references: files)
            canonicalForm = file.printed(normalized: false)
            normalizedForm = file.printed(normalized: true)
        }
    }

    /// CRC-64-AVRO (Rabin) fingerprint of `canonicalForm`; for Avro this equals Java's
    /// `SchemaNormalization.parsingFingerprint64`. For a JSON Schema or Protobuf schema parsed
    /// with references, the referenced documents' canonical forms (by reference name) are
    /// fingerprinted too, so a change in a referenced schema changes the fingerprint (Avro's
    /// canonical form spells referenced types out already).
    public var fingerprint: Int64 { Int64(bitPattern: RabinFingerprint.fingerprint(identityText)) }

    /// `canonicalForm`, followed by each reference's name and canonical form when the
    /// format keeps references beside the text.
    private var identityText: String {
        switch content {
        case .avro:
            return canonicalForm
        case .json(_, let references) where !references.isEmpty:
            return canonicalForm
                + references.sorted { $0.key < $1.key }.map { "\n\($0.key)\n\($0.value.serialized(sortKeys: true))" }.joined()
        case .protobuf(_, let references) where !references.isEmpty:
            return canonicalForm
                + references.sorted { $0.key < $1.key }.map { "\n\($0.key)\n\($0.value.printed(normalized: false))" }.joined()
        default:
            return canonicalForm
        }
    }

    /// `fingerprint` as 16 lowercase hex digits, for labels and status fields.
    public var fingerprintHex: String {
        let hex = String(UInt64(bitPattern: fingerprint), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The text the registry stores: `normalizedForm` when `normalize` is set, else the text.
    public func registryText(normalize: Bool) -> String { normalize ? normalizedForm : text }

    public var description: String { "\(type.rawValue) \(canonicalForm)" }

    public static func == (lhs: ParsedSchema, rhs: ParsedSchema) -> Bool {
        guard lhs.type == rhs.type, lhs.normalizedForm == rhs.normalizedForm else { return false }
        // Avro's forms already spell out the referenced types.
        return lhs.type == .avro || lhs.references == rhs.references
    }
}
