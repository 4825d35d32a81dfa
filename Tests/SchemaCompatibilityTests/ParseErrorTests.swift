import SchemaCompatibility
import Testing

struct ParseErrorCase: CustomTestStringConvertible, Sendable {
    var name: String
    var type: SchemaType
    var text: String
    var reason: String
    var line: Int?
    var column: Int?
    var path: String?
    var testDescription: String { name }
}

private let parseErrorCases: [ParseErrorCase] = [
    .init(name: "broken JSON reports line and column", type: .avro, text: "{\"type\":\n  \"record\",,}",
          reason: "invalid JSON: expected a string key", line: 2, column: 12),
    .init(name: "an undefined Avro name", type: .avro, text: #"{"type":"record","name":"R","namespace":"a","fields":[{"name":"m","type":"Money"}]}"#,
          reason: "undefined name: a.Money", path: "/fields/0/type"),
    .init(name: "an Avro default of the wrong type", type: .avro, text: #"{"type":"record","name":"R","fields":[{"name":"n","type":"int","default":"x"}]}"#,
          reason: #"invalid default for field n: "x" not a int"#, path: "/fields/0/default"),
    .init(name: "a duplicate Avro field", type: .avro, text: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}"#,
          reason: "duplicate field a in record R", path: "/fields/1"),
    .init(name: "a redefined Avro name", type: .avro,
          text: #"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":1}},{"name":"b","type":{"type":"fixed","name":"F","size":2}}]}"#,
          reason: "can't redefine: F", path: "/fields/1/type"),
    .init(name: "a duplicate Avro union branch", type: .avro, text: #"["int","int"]"#, reason: "duplicate in union: int", path: "/1"),
    .init(name: "an Avro enum default outside the symbols", type: .avro, text: #"{"type":"enum","name":"E","symbols":["A"],"default":"B"}"#,
          reason: "enum default B is not a symbol of E", path: "/default"),
    .init(name: "an unknown JSON Schema type", type: .json, text: #"{"type":"object","properties":{"a":{"type":"text"}}}"#,
          reason: #"unknown type "text""#, path: "#/properties/a/type"),
    .init(name: "a proto3 required field", type: .protobuf, text: "syntax = \"proto3\";\nmessage M {\n  required int32 a = 1;\n}",
          reason: "required fields are not allowed in proto3", line: 3, column: 3),
    .init(name: "a missing semicolon in a .proto", type: .protobuf, text: "syntax = \"proto3\";\nmessage M { int32 a = 1 }",
          reason: "expected ';' but found '}'", line: 2, column: 25),
    .init(name: "a duplicate field number in a .proto", type: .protobuf, text: "syntax = \"proto3\";\nmessage M { int32 a = 1; int32 b = 1; }",
          reason: "field number 1 is used twice in message M"),
]

@Suite("Parse errors")
struct ParseErrorTests {
    @Test("invalid schemas are rejected with a reason and a position", arguments: parseErrorCases)
    func rejected(_ c: ParseErrorCase) {
        #expect(throws: SchemaParseError(reason: c.reason, line: c.line, column: c.column, path: c.path)) {
            try ParsedSchema(c.text, type: c.type)
        }
    }

    @Test("parse errors carry the registry's invalid-schema code")
    func code() {
        let error = SchemaParseError(reason: "x", path: "/fields/0")
        #expect(error.errorCode == 42201)
        #expect(error.description == "Invalid schema: x (at /fields/0)")
    }

    @Test("schema types and levels use the registry's spelling")
    func spelling() {
        #expect(SchemaType(registryName: nil) == .avro)
        #expect(SchemaType(registryName: "PROTOBUF") == .protobuf)
        #expect(CompatibilityLevel(rawValue: "FULL_TRANSITIVE") == .fullTransitive)
        #expect(CompatibilityLevel.allCases.count == 7)
    }
}
