/// Checks a new schema against a subject's history under a compatibility level.
///
/// - `existing` is the history, oldest first; non-transitive levels use only its last entry.
/// - BACKWARD: the new schema reads data written with the old one. FORWARD: the old schema
///   reads data written with the new one. FULL: both.
/// - A schema of another format than the new one is reported as `SCHEMA_TYPE_CHANGED`, since
///   no reader of one format reads another.
///
/// Returns every incompatibility found (empty means compatible), ordered by version, then
/// direction (backward first), then position in the schema.
public func check(_ new: ParsedSchema, against existing: [ParsedSchema], level: CompatibilityLevel) -> [Incompatibility] {
    guard level != .none, !existing.isEmpty else { return [] }
    let indices = level.isTransitive ? Array(existing.indices) : [existing.count - 1]
    var result: [Incompatibility] = []
    for index in indices {
        let old = existing[index]
        if level.checksBackward {
            result += checkPair(reader: new, writer: old, direction: .newReadsOld, existingIndex: index)
        }
        if level.checksForward {
            result += checkPair(reader: old, writer: new, direction: .oldReadsNew, existingIndex: index)
        }
    }
    return result
}

/// Whether `new` can be registered after `existing` under `level`.
public func isCompatible(_ new: ParsedSchema, with existing: [ParsedSchema], level: CompatibilityLevel) -> Bool {
    check(new, against: existing, level: level).isEmpty
}

extension IncompatibilityRule {
    /// The new and an earlier schema are of different formats.
    public static let schemaTypeChanged = Self(rawValue: "SCHEMA_TYPE_CHANGED")
}

/// Whether `reader` can read what `writer` wrote; the labels say which one is new.
func checkPair(reader: ParsedSchema, writer: ParsedSchema, direction: Incompatibility.Direction, existingIndex: Int)
    -> [Incompatibility]
{
    let readerLabel = direction == .newReadsOld ? "new" : "old"
    let writerLabel = direction == .newReadsOld ? "old" : "new"
    switch (reader.content, writer.content) {
    case (.avro(let r), .avro(let w)):
        var checker = AvroCompatibilityChecker(reader: r, writer: w, readerLabel: readerLabel, writerLabel: writerLabel)
        return checker.run().map {
            Incompatibility(
                rule: $0.rule, location: $0.location, message: $0.message, additionalInfo: $0.info, direction: direction,
                existingIndex: existingIndex)
        }
    case (.json(let r, let readerReferences), .json(let w, let writerReferences)):
        var differ = JSONSchemaDiff(
            original: w, update: r, originalLabel: writerLabel, updateLabel: readerLabel, originalReferences: writerReferences,
            updateReferences: readerReferences)
        return differ.run().map {
            Incompatibility(rule: $0.rule, location: $0.location, message: $0.message, direction: direction, existingIndex: existingIndex)
        }
    case (.protobuf(let r, let readerReferences), .protobuf(let w, let writerReferences)):
        var differ = ProtobufDiff(
            original: w, update: r, originalLabel: writerLabel, updateLabel: readerLabel, originalReferences: writerReferences,
            updateReferences: readerReferences)
        return differ.run().map {
            Incompatibility(rule: $0.rule, location: $0.location, message: $0.message, direction: direction, existingIndex: existingIndex)
        }
    default:
        return [
            Incompatibility(
                rule: .schemaTypeChanged, location: "/",
                message: "The \(readerLabel) schema is \(reader.type.rawValue) but the \(writerLabel) schema is \(writer.type.rawValue)",
                direction: direction, existingIndex: existingIndex)
        ]
    }
}
