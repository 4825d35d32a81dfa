import SchemaCompatibility
import Testing

/// One row of a compatibility table: an (old, new) pair and, per direction, the first
/// incompatibility the checker must report, written `"RULE location"`, or nil when the
/// direction is compatible.
///
/// - `backward`: the new schema reads data written with the old one (BACKWARD).
/// - `forward`: the old schema reads data written with the new one (FORWARD).
///
/// FULL is both directions (its first entry is the backward one when there is one) and NONE
/// is always compatible, so those two verdicts follow from the row and are checked as well.
struct CompatibilityRow: Sendable, CustomTestStringConvertible {
    var name: String
    var old: String
    var new: String
    var backward: String?
    var forward: String?

    init(_ name: String, old: String, new: String, backward: String?, forward: String?) {
        self.name = name
        self.old = old
        self.new = new
        self.backward = backward
        self.forward = forward
    }

    var testDescription: String { name }
}

/// A subject history (oldest first) and a new schema, with the first incompatibility under
/// BACKWARD_TRANSITIVE and FORWARD_TRANSITIVE written `"RULE location @index"`, where index
/// is the position of the failing version in `history`; nil when that level passes.
///
/// Every row fails at least one transitive level while the non-transitive level of the same
/// direction passes: only the whole history shows the problem.
struct TransitiveRow: Sendable, CustomTestStringConvertible {
    var name: String
    var history: [String]
    var new: String
    var backward: String?
    var forward: String?

    init(_ name: String, history: [String], new: String, backward: String?, forward: String?) {
        self.name = name
        self.history = history
        self.new = new
        self.backward = backward
        self.forward = forward
    }

    var testDescription: String { name }
}

enum CompatibilityTable {
    /// `"RULE location"` of an incompatibility.
    static func describe(_ incompatibility: Incompatibility) -> String {
        "\(incompatibility.rule) \(incompatibility.location)"
    }

    /// Checks one pair at every non-transitive level, and that a one-version history gives
    /// the same answer under the transitive levels.
    static func verify(_ row: CompatibilityRow, type: SchemaType) throws {
        let old = try ParsedSchema(row.old, type: type)
        let new = try ParsedSchema(row.new, type: type)
        func first(_ level: CompatibilityLevel) -> Incompatibility? { check(new, against: [old], level: level).first }

        #expect(first(.backward).map(describe) == row.backward, "BACKWARD")
        #expect(first(.forward).map(describe) == row.forward, "FORWARD")
        let full = first(.full)
        #expect(full.map(describe) == (row.backward ?? row.forward), "FULL")
        #expect(full?.direction == (row.backward != nil ? .newReadsOld : row.forward != nil ? .oldReadsNew : nil), "FULL direction")
        #expect(isCompatible(new, with: [old], level: .full) == (row.backward == nil && row.forward == nil), "FULL verdict")
        #expect(isCompatible(new, with: [old], level: .none), "NONE")

        #expect(first(.backwardTransitive).map(describe) == row.backward, "BACKWARD_TRANSITIVE with one version")
        #expect(first(.forwardTransitive).map(describe) == row.forward, "FORWARD_TRANSITIVE with one version")
        #expect(first(.fullTransitive).map(describe) == (row.backward ?? row.forward), "FULL_TRANSITIVE with one version")
    }

    /// Checks a history row under the three transitive levels and their non-transitive twins.
    static func verify(_ row: TransitiveRow, type: SchemaType) throws {
        let history = try row.history.map { try ParsedSchema($0, type: type) }
        let new = try ParsedSchema(row.new, type: type)
        func first(_ level: CompatibilityLevel) -> String? {
            check(new, against: history, level: level).first.map { "\(describe($0)) @\($0.existingIndex)" }
        }

        #expect(row.backward != nil || row.forward != nil, "a transitive row must fail somewhere")
        #expect(first(.backwardTransitive) == row.backward, "BACKWARD_TRANSITIVE")
        #expect(first(.forwardTransitive) == row.forward, "FORWARD_TRANSITIVE")
        if row.backward != nil { #expect(first(.backward) == nil, "BACKWARD against the latest version passes") }
        if row.forward != nil { #expect(first(.forward) == nil, "FORWARD against the latest version passes") }

        // FULL_TRANSITIVE reports versions oldest first and, within a version, backward first.
        func index(_ expected: String?) -> Int? { expected.flatMap { $0.split(separator: "@").last.flatMap { Int($0) } } }
        let expectedFull: String? =
            switch (index(row.backward), index(row.forward)) {
            case (let b?, let f?): b <= f ? row.backward : row.forward
            case (.some, nil): row.backward
            case (nil, .some): row.forward
            case (nil, nil): nil
            }
        #expect(first(.fullTransitive) == expectedFull, "FULL_TRANSITIVE")
        // A level that passes transitively passes against the latest version too, so FULL does.
        #expect(first(.full) == nil, "FULL against the latest version passes")
        #expect(isCompatible(new, with: history, level: .none), "NONE")
    }

    /// Distinct (old, new) pairs of a table.
    static func distinctPairs(_ rows: [CompatibilityRow]) -> Int {
        Set(rows.map { [$0.old, $0.new] }).count
    }
}

@Suite("Compatibility table sizes")
struct CompatibilityTableSizeTests {
    @Test("every format has at least 100 distinct (old, new) pairs with expected verdicts")
    func pairsPerFormat() {
        #expect(CompatibilityTable.distinctPairs(avroTable) >= 100, "Avro: \(CompatibilityTable.distinctPairs(avroTable))")
        #expect(CompatibilityTable.distinctPairs(jsonSchemaTable) >= 100, "JSON Schema: \(CompatibilityTable.distinctPairs(jsonSchemaTable))")
        #expect(CompatibilityTable.distinctPairs(protobufTable) >= 100, "Protobuf: \(CompatibilityTable.distinctPairs(protobufTable))")
    }

    @Test("every format has at least 15 version histories for the transitive levels")
    func historiesPerFormat() {
        #expect(avroTransitiveTable.count >= 15)
        #expect(jsonSchemaTransitiveTable.count >= 15)
        #expect(protobufTransitiveTable.count >= 15)
    }

    @Test("row names are unique, so a failing row can be found by its name")
    func uniqueNames() {
        for table in [avroTable, jsonSchemaTable, protobufTable] {
            #expect(Set(table.map(\.name)).count == table.count)
        }
        for table in [avroTransitiveTable, jsonSchemaTransitiveTable, protobufTransitiveTable] {
            #expect(Set(table.map(\.name)).count == table.count)
        }
    }
}
