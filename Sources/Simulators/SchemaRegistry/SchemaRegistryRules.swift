import Foundation

/// A schema as the compatibility rules see it: its format, its text and the texts its
/// references resolve to by reference name, flattened to include the references of
/// references (as Confluent resolves them before parsing).
struct SchemaDocument: Sendable, Hashable {
    var type: SchemaRegistrySimulator.SchemaType
    var text: String
    var references: [String: String] = [:]
}

/// Why a schema was rejected as unusable (answered as 422/42201).
struct InvalidSchema: Error, Hashable {
    var detail: String
}

/// The rules the simulator enforces: whether a schema parses, its canonical form
/// (identical schemas share an id), and the incompatibilities between two schemas.
///
/// The simulator decides *which* earlier versions a level compares against
/// (latest or all); the rules compare one pair in one direction.
protocol SchemaRules: Sendable {
    /// The canonical form of a schema; two schemas with the same form are the same schema.
    func canonicalForm(of schema: SchemaDocument) throws(InvalidSchema) -> String
    /// Human-readable incompatibilities of `new` against `existing` for a non-transitive
    /// level (`BACKWARD`, `FORWARD` or `FULL`); empty when compatible.
    func incompatibilities(
        of new: SchemaDocument, against existing: SchemaDocument, level: SchemaRegistrySimulator.CompatibilityLevel
    ) -> [String]
}
