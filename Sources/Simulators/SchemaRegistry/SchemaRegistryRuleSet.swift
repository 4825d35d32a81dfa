import SchemaCompatibility

/// The rules the simulator enforces: the `SchemaCompatibility` checker, the same one the
/// CI command and the reconciler use, so all three agree on a verdict.
///
/// Identity is the checker's normalized form (formatting and docs ignored; defaults,
/// aliases and logical types kept), so a changed default is a new schema. A schema with
/// references is parsed together with the texts they resolve to, so named types, imports
/// and `$ref`s into other subjects are checked as the registry checks them: for Avro the
/// normalized form spells out the referenced types, so a change inside one is a change
/// of the referencing schema too.
struct SchemaRegistryRuleSet: SchemaRules {
    func canonicalForm(of schema: SchemaDocument) throws(InvalidSchema) -> String {
        do {
            return try Self.parse(schema).normalizedForm
        } catch {
            throw InvalidSchema(detail: error.description)
        }
    }

    func incompatibilities(
        of new: SchemaDocument, against existing: SchemaDocument, level: SchemaRegistrySimulator.CompatibilityLevel
    ) -> [String] {
        let parsedNew: ParsedSchema
        let parsedExisting: ParsedSchema
        do {
            parsedNew = try Self.parse(new)
            parsedExisting = try Self.parse(existing)
        } catch {
            // Both were accepted by `canonicalForm` when they were registered or checked; a
            // failure here is a bug of the simulator, reported rather than passed as compatible.
            return ["{errorType:'SCHEMA_UNPARSABLE', description:'\(error.description)'}"]
        }
        guard let checkerLevel = CompatibilityLevel(rawValue: level.direction.rawValue) else { return [] }
        return check(parsedNew, against: [parsedExisting], level: checkerLevel).map(\.registryMessage)
    }

    private static func parse(_ schema: SchemaDocument) throws(SchemaParseError) -> ParsedSchema {
        let type: SchemaType =
            switch schema.type {
            case .avro: .avro
            case .json: .json
            case .protobuf: .protobuf
            }
        return try ParsedSchema(schema.text, type: type, references: schema.references)
    }
}
