import SchemaCompatibility
import Testing

/// A record schema `R` with the given fields JSON.
private func record(_ fields: String, name: String = "R") -> String {
    #"{"type":"record","name":"\#(name)","namespace":"com.acme","fields":[\#(fields)]}"#
}

private func avro(_ text: String) throws -> ParsedSchema { try ParsedSchema(text, type: .avro) }

/// Rules and locations when `reader` reads what `writer` wrote (BACKWARD with reader as new).
private func readerProblems(reader: String, writer: String) throws -> [String] {
    try check(avro(reader), against: [avro(writer)], level: .backward).map { "\($0.rule) \($0.location)" }
}

struct AvroResolutionCase: CustomTestStringConvertible, Sendable {
    var name: String
    var reader: String
    var writer: String
    var expected: [String]
    var testDescription: String { name }
}

private let enumAB = #"{"type":"enum","name":"E","symbols":["A","B"]}"#
private let enumABC = #"{"type":"enum","name":"E","symbols":["A","B","C"]}"#
private let enumABDefault = #"{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}"#

private let resolutionCases: [AvroResolutionCase] = [
    .init(name: "identical records are compatible", reader: record(#"{"name":"a","type":"int"}"#), writer: record(#"{"name":"a","type":"int"}"#), expected: []),
    .init(name: "a reader field with a default may be missing in the writer",
          reader: record(#"{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}"#),
          writer: record(#"{"name":"a","type":"int"}"#), expected: []),
    .init(name: "a reader field without a default must be in the writer",
          reader: record(#"{"name":"a","type":"int"},{"name":"b","type":"string"}"#),
          writer: record(#"{"name":"a","type":"int"}"#), expected: ["READER_FIELD_MISSING_DEFAULT_VALUE /fields/1"]),
    .init(name: "writer fields missing in the reader are ignored",
          reader: record(#"{"name":"a","type":"int"}"#),
          writer: record(#"{"name":"a","type":"int"},{"name":"b","type":"string"}"#), expected: []),
    .init(name: "int is promoted to long", reader: record(#"{"name":"a","type":"long"}"#), writer: record(#"{"name":"a","type":"int"}"#), expected: []),
    .init(name: "int is promoted to float", reader: record(#"{"name":"a","type":"float"}"#), writer: record(#"{"name":"a","type":"int"}"#), expected: []),
    .init(name: "long is promoted to double", reader: record(#"{"name":"a","type":"double"}"#), writer: record(#"{"name":"a","type":"long"}"#), expected: []),
    .init(name: "float is promoted to double", reader: record(#"{"name":"a","type":"double"}"#), writer: record(#"{"name":"a","type":"float"}"#), expected: []),
    .init(name: "string is read as bytes", reader: record(#"{"name":"a","type":"bytes"}"#), writer: record(#"{"name":"a","type":"string"}"#), expected: []),
    .init(name: "bytes is read as string", reader: record(#"{"name":"a","type":"string"}"#), writer: record(#"{"name":"a","type":"bytes"}"#), expected: []),
    .init(name: "long is not narrowed to int", reader: record(#"{"name":"a","type":"int"}"#), writer: record(#"{"name":"a","type":"long"}"#),
          expected: ["TYPE_MISMATCH /fields/0/type"]),
    .init(name: "double is not narrowed to float", reader: record(#"{"name":"a","type":"float"}"#), writer: record(#"{"name":"a","type":"double"}"#),
          expected: ["TYPE_MISMATCH /fields/0/type"]),
    .init(name: "string and int do not mix", reader: record(#"{"name":"a","type":"int"}"#), writer: record(#"{"name":"a","type":"string"}"#),
          expected: ["TYPE_MISMATCH /fields/0/type"]),
    .init(name: "a reader union reads a writer branch it contains", reader: record(#"{"name":"a","type":["null","string"]}"#),
          writer: record(#"{"name":"a","type":"string"}"#), expected: []),
    .init(name: "a reader union reads a writer type through promotion", reader: record(#"{"name":"a","type":["null","long"]}"#),
          writer: record(#"{"name":"a","type":"int"}"#), expected: []),
    .init(name: "a reader union lacking the writer type fails", reader: record(#"{"name":"a","type":["null","string"]}"#),
          writer: record(#"{"name":"a","type":"int"}"#), expected: ["MISSING_UNION_BRANCH /fields/0/type"]),
    .init(name: "every writer union branch must be readable", reader: record(#"{"name":"a","type":"string"}"#),
          writer: record(#"{"name":"a","type":["null","string"]}"#), expected: ["TYPE_MISMATCH /fields/0/type/0"]),
    .init(name: "a writer union narrower than the reader union is fine", reader: record(#"{"name":"a","type":["null","int","string"]}"#),
          writer: record(#"{"name":"a","type":["null","string"]}"#), expected: []),
    .init(name: "a writer union wider than the reader union names the missing branch",
          reader: record(#"{"name":"a","type":["null","string"]}"#),
          writer: record(#"{"name":"a","type":["null","string","boolean"]}"#), expected: ["MISSING_UNION_BRANCH /fields/0/type/2"]),
    .init(name: "enum symbols added in the writer fail without a reader default", reader: record(#"{"name":"e","type":\#(enumAB)}"#),
          writer: record(#"{"name":"e","type":\#(enumABC)}"#), expected: ["MISSING_ENUM_SYMBOLS /fields/0/type/symbols"]),
    .init(name: "enum symbols added in the writer are read as the reader default", reader: record(#"{"name":"e","type":\#(enumABDefault)}"#),
          writer: record(#"{"name":"e","type":\#(enumABC)}"#), expected: []),
    .init(name: "enum symbols added in the reader are fine", reader: record(#"{"name":"e","type":\#(enumABC)}"#),
          writer: record(#"{"name":"e","type":\#(enumAB)}"#), expected: []),
    .init(name: "fixed sizes must match", reader: #"{"type":"fixed","name":"F","size":16}"#, writer: #"{"type":"fixed","name":"F","size":8}"#,
          expected: ["FIXED_SIZE_MISMATCH /size"]),
    .init(name: "fixed names must match", reader: #"{"type":"fixed","name":"F","size":8}"#, writer: #"{"type":"fixed","name":"G","size":8}"#,
          expected: ["NAME_MISMATCH /name"]),
    .init(name: "a reader alias matches a renamed writer record", reader: record(#"{"name":"a","type":"int"}"#, name: "S").replacingOccurrences(of: #""fields""#, with: #""aliases":["R"],"fields""#),
          writer: record(#"{"name":"a","type":"int"}"#), expected: []),
    .init(name: "a renamed record without an alias is a name mismatch", reader: record(#"{"name":"a","type":"int"}"#, name: "S"),
          writer: record(#"{"name":"a","type":"int"}"#), expected: ["NAME_MISMATCH /name"]),
    .init(name: "a reader field alias matches a renamed writer field", reader: record(#"{"name":"b","type":"int","aliases":["a"]}"#),
          writer: record(#"{"name":"a","type":"int"}"#), expected: []),
    .init(name: "nested record changes are located inside the nesting",
          reader: record(#"{"name":"n","type":{"type":"record","name":"N","fields":[{"name":"x","type":"int"},{"name":"y","type":"int"}]}}"#),
          writer: record(#"{"name":"n","type":{"type":"record","name":"N","fields":[{"name":"x","type":"int"}]}}"#),
          expected: ["READER_FIELD_MISSING_DEFAULT_VALUE /fields/0/type/fields/1"]),
    .init(name: "array items are compared", reader: record(#"{"name":"a","type":{"type":"array","items":"int"}}"#),
          writer: record(#"{"name":"a","type":{"type":"array","items":"long"}}"#), expected: ["TYPE_MISMATCH /fields/0/type/items"]),
    .init(name: "map values are compared and promoted", reader: record(#"{"name":"a","type":{"type":"map","values":"double"}}"#),
          writer: record(#"{"name":"a","type":{"type":"map","values":"int"}}"#), expected: []),
    .init(name: "an array is not a map", reader: record(#"{"name":"a","type":{"type":"map","values":"int"}}"#),
          writer: record(#"{"name":"a","type":{"type":"array","items":"int"}}"#), expected: ["TYPE_MISMATCH /fields/0/type"]),
    .init(name: "logical types are read as their underlying type",
          reader: record(#"{"name":"t","type":{"type":"long","logicalType":"timestamp-millis"}}"#),
          writer: record(#"{"name":"t","type":{"type":"long","logicalType":"timestamp-micros"}}"#), expected: []),
    .init(name: "recursive records are compared without looping",
          reader: #"{"type":"record","name":"Node","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","Node"]}]}"#,
          writer: #"{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}"#, expected: []),
    .init(name: "a change inside a recursive record is found once",
          reader: #"{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}"#,
          writer: #"{"type":"record","name":"Node","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","Node"]}]}"#,
          expected: ["TYPE_MISMATCH /fields/0/type"]),
    .init(name: "a record is not an enum", reader: #"{"type":"record","name":"X","fields":[]}"#, writer: #"{"type":"enum","name":"X","symbols":["A"]}"#,
          expected: ["TYPE_MISMATCH /"]),
]

@Suite("Avro schema resolution")
struct AvroCompatibilityTests {
    @Test("reader/writer resolution follows the Avro specification", arguments: resolutionCases)
    func resolution(_ c: AvroResolutionCase) throws {
        #expect(try readerProblems(reader: c.reader, writer: c.writer) == c.expected)
    }

    @Test("a missing default is reported with the registry's wording")
    func registryWording() throws {
        let old = try avro(record(#"{"name":"a","type":"int"}"#))
        let new = try avro(record(#"{"name":"a","type":"int"},{"name":"currency","type":"string"}"#))
        let found = check(new, against: [old], level: .backward)
        #expect(found.count == 1)
        #expect(found.first?.registryMessage == "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'currency' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'currency'}")
        #expect(found.first?.newSchemaRole == .reader)
    }

    @Test("FORWARD checks that the old schema reads the new one")
    func forward() throws {
        let old = try avro(record(#"{"name":"a","type":"int"},{"name":"b","type":"string"}"#))
        let new = try avro(record(#"{"name":"a","type":"int"}"#))
        #expect(check(new, against: [old], level: .backward).isEmpty)
        let found = check(new, against: [old], level: .forward)
        #expect(found.map(\.rule) == [.readerFieldMissingDefaultValue])
        #expect(found.first?.direction == .oldReadsNew)
        #expect(found.first?.newSchemaRole == .writer)
        #expect(found.first?.message == "The field 'b' at path '/fields/1' in the old schema has no default value and is missing in the new schema")
    }

    @Test("FULL checks both directions")
    func full() throws {
        let old = try avro(record(#"{"name":"a","type":"int"}"#))
        let widened = try avro(record(#"{"name":"a","type":"long"}"#))
        let found = check(widened, against: [old], level: .full)
        #expect(found.map(\.direction) == [.oldReadsNew])
        #expect(found.map(\.rule) == [.typeMismatch])
        let withDefault = try avro(record(#"{"name":"a","type":"int"},{"name":"b","type":"int","default":0}"#))
        #expect(check(withDefault, against: [old], level: .full).isEmpty)
        #expect(check(widened, against: [old], level: .none).isEmpty)
    }

    @Test("transitive levels check every earlier version, others only the latest")
    func transitive() throws {
        // v1 has no b; v2 adds b with a default; v3 drops the default.
        let v1 = try avro(record(#"{"name":"a","type":"int"}"#))
        let v2 = try avro(record(#"{"name":"a","type":"int"},{"name":"b","type":"int","default":0}"#))
        let v3 = try avro(record(#"{"name":"a","type":"int"},{"name":"b","type":"int"}"#))
        #expect(check(v3, against: [v1, v2], level: .backward).isEmpty)
        let found = check(v3, against: [v1, v2], level: .backwardTransitive)
        #expect(found.map(\.existingIndex) == [0])
        #expect(found.map(\.location) == ["/fields/1"])
        #expect(check(v3, against: [v1, v2], level: .fullTransitive).map(\.existingIndex) == [0])
        #expect(check(v3, against: [], level: .fullTransitive).isEmpty)
    }

    @Test("a schema of another format is never compatible")
    func otherFormat() throws {
        let json = try ParsedSchema(#"{"type":"object"}"#, type: .json)
        #expect(check(try avro(#""string""#), against: [json], level: .backward).map(\.rule) == [.schemaTypeChanged])
    }
}
