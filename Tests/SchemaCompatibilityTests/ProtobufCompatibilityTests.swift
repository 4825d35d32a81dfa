import SchemaCompatibility
import Testing

struct ProtobufCase: CustomTestStringConvertible, Sendable {
    var name: String
    var old: String
    var new: String
    var backward: [String]
    var testDescription: String { name }
}

private func proto3(_ body: String) -> String { "syntax = \"proto3\";\npackage shop;\n\(body)" }
private func proto2(_ body: String) -> String { "syntax = \"proto2\";\npackage shop;\n\(body)" }

private let protobufCases: [ProtobufCase] = [
    .init(name: "a field added is compatible", old: proto3("message Order { int32 id = 1; }"),
          new: proto3("message Order { int32 id = 1; string note = 2; }"), backward: []),
    .init(name: "a field removed is compatible", old: proto3("message Order { int32 id = 1; string note = 2; }"),
          new: proto3("message Order { int32 id = 1; }"), backward: []),
    .init(name: "a field renamed is compatible", old: proto3("message Order { int32 id = 1; }"),
          new: proto3("message Order { int32 order_id = 1; }"), backward: []),
    .init(name: "int32 to int64 stays in the varint group", old: proto3("message Order { int32 id = 1; }"),
          new: proto3("message Order { int64 id = 1; }"), backward: []),
    .init(name: "int32 to uint32 stays in the varint group", old: proto3("message Order { int32 id = 1; }"),
          new: proto3("message Order { uint32 id = 1; }"), backward: []),
    .init(name: "string to bytes is compatible", old: proto3("message Order { string id = 1; }"),
          new: proto3("message Order { bytes id = 1; }"), backward: []),
    .init(name: "an enum field read as int32 is compatible", old: proto3("enum S { A = 0; } message Order { S s = 1; }"),
          new: proto3("enum S { A = 0; } message Order { int32 s = 1; }"), backward: []),
    .init(name: "int64 to string changes the scalar kind", old: proto3("message Order { int64 amount = 3; }"),
          new: proto3("message Order { string amount = 3; }"), backward: ["FIELD_SCALAR_KIND_CHANGED #/Order/3"]),
    .init(name: "int32 to sint32 changes the scalar kind", old: proto3("message Order { int32 a = 1; }"),
          new: proto3("message Order { sint32 a = 1; }"), backward: ["FIELD_SCALAR_KIND_CHANGED #/Order/1"]),
    .init(name: "a reused field number with another type is caught", old: proto3("message U { int32 id = 1; string name = 2; }"),
          new: proto3("message U { int32 id = 1; int64 count = 2; }"), backward: ["FIELD_SCALAR_KIND_CHANGED #/U/2"]),
    .init(name: "a scalar becoming a message changes the field kind",
          old: proto3("message Money { int64 units = 1; } message Order { int64 amount = 1; }"),
          new: proto3("message Money { int64 units = 1; } message Order { Money amount = 1; }"), backward: ["FIELD_KIND_CHANGED #/Order/1"]),
    .init(name: "another message type changes the named type",
          old: proto3("message A { int64 x = 1; } message B { int64 x = 1; } message Order { A v = 1; }"),
          new: proto3("message A { int64 x = 1; } message B { int64 x = 1; } message Order { B v = 1; }"),
          backward: ["FIELD_NAMED_TYPE_CHANGED #/Order/1"]),
    .init(name: "a message type removed is incompatible", old: proto3("message Order { int32 id = 1; } message Line { int32 n = 1; }"),
          new: proto3("message Order { int32 id = 1; }"), backward: ["MESSAGE_REMOVED #/Line"]),
    .init(name: "a message type added is compatible", old: proto3("message Order { int32 id = 1; }"),
          new: proto3("message Order { int32 id = 1; } message Line { int32 n = 1; }"), backward: []),
    .init(name: "a change in a nested message is located there and also breaks the field using it",
          old: proto3("message Order { message Line { int32 n = 1; } repeated Line lines = 1; }"),
          new: proto3("message Order { message Line { string n = 1; } repeated Line lines = 1; }"),
          backward: ["FIELD_SCALAR_KIND_CHANGED #/Order/Line/1", "FIELD_NAMED_TYPE_CHANGED #/Order/1"]),
    .init(name: "a proto2 required field added is incompatible", old: proto2("message Order { required int32 id = 1; }"),
          new: proto2("message Order { required int32 id = 1; required string note = 2; }"), backward: ["REQUIRED_FIELD_ADDED #/Order/2"]),
    .init(name: "a proto2 required field removed is incompatible", old: proto2("message Order { required int32 id = 1; optional int32 n = 2; }"),
          new: proto2("message Order { optional int32 n = 2; }"), backward: ["REQUIRED_FIELD_REMOVED #/Order/1"]),
    .init(name: "a field dropped from its oneof is incompatible", old: proto3("message P { oneof kind { string a = 1; int32 b = 2; } }"),
          new: proto3("message P { oneof kind { string a = 1; } }"), backward: ["ONEOF_FIELD_REMOVED #/P/kind/2"]),
    .init(name: "a field moved out of its oneof only relaxes it", old: proto3("message P { oneof kind { string a = 1; int32 b = 2; } }"),
          new: proto3("message P { oneof kind { string a = 1; } int32 b = 2; }"), backward: []),
    .init(name: "a field added to a oneof is compatible", old: proto3("message P { oneof kind { string a = 1; } }"),
          new: proto3("message P { oneof kind { string a = 1; int32 b = 2; } }"), backward: []),
    .init(name: "several fields moved into a oneof is incompatible", old: proto3("message U { int32 a = 1; int32 b = 2; }"),
          new: proto3("message U { oneof x { int32 a = 1; int32 b = 2; } }"), backward: ["MULTIPLE_FIELDS_MOVED_TO_ONEOF #/U/x"]),
    .init(name: "one field moved into a new oneof is compatible", old: proto3("message U { int32 a = 1; }"),
          new: proto3("message U { oneof x { int32 a = 1; } }"), backward: []),
    .init(name: "map value types are compared", old: proto3("message M { map<string, int32> counts = 1; }"),
          new: proto3("message M { map<string, string> counts = 1; }"), backward: ["FIELD_SCALAR_KIND_CHANGED #/M/1"]),
    .init(name: "a repeated numeric field becoming singular is incompatible", old: proto3("message M { repeated int32 a = 1; }"),
          new: proto3("message M { int32 a = 1; }"), backward: ["FIELD_NUMERIC_LABEL_CHANGED #/M/1"]),
    .init(name: "a package change is compatible", old: "syntax = \"proto3\";\npackage foo;\nmessage T { string s = 1; }",
          new: "syntax = \"proto3\";\npackage bar;\nmessage T { string s = 1; }", backward: []),
]

@Suite("Protobuf compatibility")
struct ProtobufCompatibilityTests {
    @Test("changes are judged as Confluent's registry judges them", arguments: protobufCases)
    func backward(_ c: ProtobufCase) throws {
        let old = try ParsedSchema(c.old, type: .protobuf)
        let new = try ParsedSchema(c.new, type: .protobuf)
        #expect(check(new, against: [old], level: .backward).map { "\($0.rule) \($0.location)" } == c.backward)
    }

    @Test("the parser reads options, services, imports, reserved ranges and comments")
    func parserCoverage() throws {
        let text = """
            syntax = "proto3";
            package m;
            import public "money.proto";
            option java_package = "x.y";
            /* block
               comment */
            enum Kind { option allow_alias = true; K0 = 0; K1 = 1 [deprecated = true]; }
            message Outer {
              reserved 4, 8 to 10;
              reserved "old";
              optional int32 o = 1 [json_name = "oo"];
              repeated Nested n = 2;
              map<string, int32> counts = 3;
              oneof choice { int32 a = 5; string b = 6; }
              message Nested { string id = 1; }
            }
            service S { rpc Do (Outer) returns (stream Outer); }
            """
        let schema = try ParsedSchema(text, type: .protobuf)
        #expect(schema.canonicalForm.contains("map<string, int32> counts = 3;"))
        #expect(schema.canonicalForm.contains("import \"money.proto\";"))
    }
}
