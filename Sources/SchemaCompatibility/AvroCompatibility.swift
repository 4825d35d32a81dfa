/// Reader/writer compatibility for Avro, following the schema-resolution rules of the Avro
/// 1.11 specification and the checks of Avro's `SchemaCompatibility`, which the registry runs.
///
/// Locations are JSON pointers into the reader schema (`/fields/1/type`), extended by a
/// writer union's branch index when the writer is a union, as Avro reports them.
struct AvroCompatibilityChecker {
    let reader: AvroSchema
    let writer: AvroSchema
    /// How the reader and writer are called in messages ("new"/"old").
    let readerLabel: String
    let writerLabel: String

    private struct Found {
        var rule: IncompatibilityRule
        var location: String
        var info: String
    }

    /// Pairs of named types under comparison; a pair met again is assumed compatible, which
    /// ends recursion through self-referencing records.
    private var inProgress: Set<String> = []
    private var found: [Found] = []

    init(reader: AvroSchema, writer: AvroSchema, readerLabel: String, writerLabel: String) {
        self.reader = reader
        self.writer = writer
        self.readerLabel = readerLabel
        self.writerLabel = writerLabel
    }

    /// Every incompatibility, with messages worded as the registry words them.
    mutating func run() -> [(rule: IncompatibilityRule, location: String, message: String, info: String)] {
        found = []
        inProgress = []
        check(reader.root, writer.root, location: "")
        return found.map { ($0.rule, $0.location.isEmpty ? "/" : $0.location, message(for: $0), $0.info) }
    }

    private func message(for f: Found) -> String {
        let path = f.location.isEmpty ? "/" : f.location
        switch f.rule {
        case .nameMismatch:
            return "The name of the schema has changed (path '\(path)')"
        case .fixedSizeMismatch:
            return "The size of FIXED type field at path '\(path)' in the \(readerLabel) schema does not match with the \(writerLabel) schema"
        case .missingEnumSymbols:
            return "The \(readerLabel) schema is missing enum symbols '\(f.info)' at path '\(path)' in the \(writerLabel) schema"
        case .readerFieldMissingDefaultValue:
            return "The field '\(f.info)' at path '\(path)' in the \(readerLabel) schema has no default value and is missing in the \(writerLabel) schema"
        case .missingUnionBranch:
            return "The \(readerLabel) schema is missing a type inside a union field at path '\(path)' in the \(writerLabel) schema"
        default:
            return "The type (path '\(path)') of a field in the \(readerLabel) schema does not match with the \(writerLabel) schema"
        }
    }

    /// Whether `reader` can read data written with `writer`, without recording anything.
    private func isCompatible(_ r: AvroType, _ w: AvroType) -> Bool {
        var probe = self
        probe.found = []
        probe.check(r, w, location: "")
        return probe.found.isEmpty
    }

    private func typeMismatch(_ r: AvroType, _ w: AvroType, _ location: String) -> Found {
        Found(
            rule: .typeMismatch, location: location,
            info: "reader type: \(r.kindName(in: reader)) not compatible with writer type: \(w.kindName(in: writer))")
    }

    private mutating func check(_ r: AvroType, _ w: AvroType, location: String) {
        switch (r, w) {
        case (.primitive(let rp, _), .primitive(let wp, _)):
            if rp == wp || AvroCompatibilityChecker.promotes(from: wp, to: rp) { return }
            found.append(typeMismatch(r, w, location))
        case (_, .union(let writerBranches)):
            // Every branch the writer may have written must be readable.
            for (i, branch) in writerBranches.enumerated() {
                check(r, branch, location: "\(location)/\(i)")
            }
        case (.union(let readerBranches), _):
            if readerBranches.contains(where: { isCompatible($0, w) }) { return }
            found.append(
                Found(rule: .missingUnionBranch, location: location, info: "reader union lacking writer type: \(w.kindName(in: writer))"))
        case (.array(let ri), .array(let wi)):
            check(ri, wi, location: "\(location)/items")
        case (.map(let rv), .map(let wv)):
            check(rv, wv, location: "\(location)/values")
        case (.named(let rn), .named(let wn)):
            checkNamed(rn, wn, location: location)
        default:
            found.append(typeMismatch(r, w, location))
        }
    }

    /// The promotions of the specification: int to long, float, double; long to float,
    /// double; float to double; string to bytes and bytes to string.
    static func promotes(from writer: AvroPrimitive, to reader: AvroPrimitive) -> Bool {
        switch (writer, reader) {
        case (.int, .long), (.int, .float), (.int, .double), (.long, .float), (.long, .double), (.float, .double),
            (.string, .bytes), (.bytes, .string):
            return true
        default:
            return false
        }
    }

    private mutating func checkNamed(_ rn: String, _ wn: String, location: String) {
        guard let r = reader.named[rn], let w = writer.named[wn] else { return }
        let pair = "\(rn)\u{0}\(wn)"
        guard inProgress.insert(pair).inserted else { return }
        defer { inProgress.remove(pair) }

        // Avro compares unqualified names, or a reader alias against the writer's full name.
        let namesMatch = r.unqualifiedName == w.unqualifiedName || r.aliases.contains(w.fullName)
        switch (r.kind, w.kind) {
        case (.record(let readerFields), .record(let writerFields)):
            if !namesMatch { found.append(Found(rule: .nameMismatch, location: "\(location)/name", info: "expected: \(w.fullName)")) }
            for (i, readerField) in readerFields.enumerated() {
                let fieldLocation = "\(location)/fields/\(i)"
                let writerField =
                    writerFields.first { $0.name == readerField.name }
                    ?? writerFields.first { readerField.aliases.contains($0.name) }
                if let writerField {
                    check(readerField.type, writerField.type, location: "\(fieldLocation)/type")
                } else if readerField.defaultValue == nil {
                    found.append(Found(rule: .readerFieldMissingDefaultValue, location: fieldLocation, info: readerField.name))
                }
            }
        case (.enumeration(let readerSymbols, let readerDefault), .enumeration(let writerSymbols, _)):
            if !namesMatch { found.append(Found(rule: .nameMismatch, location: "\(location)/name", info: "expected: \(w.fullName)")) }
            let missing = writerSymbols.filter { !readerSymbols.contains($0) }
            if !missing.isEmpty, readerDefault == nil {
                found.append(Found(rule: .missingEnumSymbols, location: "\(location)/symbols", info: "[\(missing.joined(separator: ", "))]"))
            }
        case (.fixed(let readerSize, _), .fixed(let writerSize, _)):
            if !namesMatch { found.append(Found(rule: .nameMismatch, location: "\(location)/name", info: "expected: \(w.fullName)")) }
            if readerSize != writerSize {
                found.append(Found(rule: .fixedSizeMismatch, location: "\(location)/size", info: "expected: \(writerSize), found: \(readerSize)"))
            }
        default:
            found.append(typeMismatch(.named(rn), .named(wn), location))
        }
    }
}
