import SchemaCompatibility

/// The rules the simulator enforces by default: the `SchemaCompatibility` checker, the
/// same one the CI command and the reconciler use, so all three agree on a verdict.
///
/// Identity is the checker's normalized form (formatting and docs ignored; defaults,
/// aliases and logical types kept), so a changed default is a new schema.
///
/// Caveat: a schema naming types that only its references define cannot be parsed on
/// its own by the checker; such schemas fall back to ``BasicSchemaRules``.
struct SchemaRegistryRuleSet: SchemaRules {
    private let fallback = BasicSchemaRules()

    func canonicalForm(of schema: SchemaDocument) throws(InvalidSchema) -> String {
        do {
            return try Self.parse(schema).normalizedForm
        } catch {
            if !schema.references.isEmpty { return try fallback.canonicalForm(of: schema) }
            throw InvalidSchema(detail: error.description)
        }
    }

    func incompatibilities(
        of new: SchemaDocument, against existing: SchemaDocument, level: SchemaRegistrySimulator.CompatibilityLevel
    ) -> [String] {
        guard let parsedNew = try? Self.parse(new), let parsedExisting = try? Self.parse(existing),
            let checkerLevel = CompatibilityLevel(rawValue: level.direction.rawValue)
        else { return fallback.incompatibilities(of: new, against: existing, level: level) }
        return check(parsedNew, against: [parsedExisting], level: checkerLevel).map(\.registryMessage)
    }

    private static func parse(_ schema: SchemaDocument) throws(SchemaParseError) -> ParsedSchema {
        let type: SchemaType =
            switch schema.type {
            case .avro: .avro
            case .json: .json
            case .protobuf: .protobuf
            }
        return try ParsedSchema(schema.text, type: type)
    }
}
