import SchemaCompatibility
import Testing

// Expectations follow Confluent Schema Registry's Protobuf rules (protobuf-provider
// `diff/*SchemaDiff.java`, `Difference.Type`) and the Protocol Buffers language guide's
// "Updating a message type": fields are matched by number; int32/uint32/int64/uint64/bool/enum
// share a wire encoding, as do sint32/sint64, string/bytes, fixed32/sfixed32 and
// fixed64/sfixed64; float and double stand alone. BACKWARD compares old (original) to new
// (update); FORWARD compares new to old. Locations are Confluent's `#/Message/Nested/number`,
// with the oneof name for fields of a oneof (`#/Message/oneof/number`).
//
// Two deliberate differences from the registry, both stricter and both from the language
// guide: a numeric field switching between repeated and singular is reported even when one
// side has no label (proto3), because packed repeated data is not read by a singular field;
// and an existing field becoming or ceasing to be proto2 `required` is reported as
// REQUIRED_FIELD_ADDED/REMOVED for every type ("required is forever"), where the registry
// only flags numeric fields (FIELD_NUMERIC_LABEL_CHANGED).

private func p3(_ body: String, package: String? = "shop") -> String {
    "syntax = \"proto3\";\n" + (package.map { "package \($0);\n" } ?? "") + body
}

private func p2(_ body: String) -> String { "syntax = \"proto2\";\npackage shop;\n\(body)" }

/// `message M { <type> a = 1; }`, plus extra declarations.
private func field(_ type: String, _ extra: String = "") -> String { p3("message M { \(type) a = 1; }\n\(extra)") }

private let money = "message Money { int64 units = 1; }"
private let price = "message Price { int64 units = 1; }"
private let status = "enum Status { UNKNOWN = 0; ACTIVE = 1; }"

let protobufTable: [CompatibilityRow] = [
    // Fields by number: adding, removing and renaming are compatible.
    .init("identical files", old: field("int32"), new: field("int32"), backward: nil, forward: nil),
    .init("a field added", old: field("int32"), new: p3("message M { int32 a = 1; string b = 2; }"), backward: nil, forward: nil),
    .init("a field removed", old: p3("message M { int32 a = 1; string b = 2; }"), new: field("int32"), backward: nil, forward: nil),
    .init("a field renamed", old: field("int32"), new: p3("message M { int32 renamed = 1; }"), backward: nil, forward: nil),
    .init("a field renumbered", old: field("int32"), new: p3("message M { int32 a = 2; }"), backward: nil, forward: nil),

    // Scalars in the same wire group.
    .init("int32 to int64", old: field("int32"), new: field("int64"), backward: nil, forward: nil),
    .init("int32 to uint32", old: field("int32"), new: field("uint32"), backward: nil, forward: nil),
    .init("int32 to uint64", old: field("int32"), new: field("uint64"), backward: nil, forward: nil),
    .init("int64 to bool", old: field("int64"), new: field("bool"), backward: nil, forward: nil),
    .init("bool to int32", old: field("bool"), new: field("int32"), backward: nil, forward: nil),
    .init("uint64 to int64", old: field("uint64"), new: field("int64"), backward: nil, forward: nil),
    .init("sint32 to sint64", old: field("sint32"), new: field("sint64"), backward: nil, forward: nil),
    .init("string to bytes", old: field("string"), new: field("bytes"), backward: nil, forward: nil),
    .init("bytes to string", old: field("bytes"), new: field("string"), backward: nil, forward: nil),
    .init("fixed32 to sfixed32", old: field("fixed32"), new: field("sfixed32"), backward: nil, forward: nil),
    .init("fixed64 to sfixed64", old: field("fixed64"), new: field("sfixed64"), backward: nil, forward: nil),
    .init("enum to int32", old: field("Status", status), new: field("int32"), backward: nil, forward: nil),
    .init("int32 to enum", old: field("int32"), new: field("Status", status), backward: nil, forward: nil),
    .init("enum to uint64", old: field("Status", status), new: field("uint64"), backward: nil, forward: nil),
    .init("one enum type to another", old: field("Status", status), new: field("Level", "enum Level { LOW = 0; HIGH = 1; }"),
          backward: nil, forward: nil),

    // Scalars across wire groups.
    .init("int32 to sint32", old: field("int32"), new: field("sint32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("sint64 to int64", old: field("sint64"), new: field("int64"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("fixed32 to fixed64", old: field("fixed32"), new: field("fixed64"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("fixed32 to int32", old: field("fixed32"), new: field("int32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("float to double", old: field("float"), new: field("double"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("double to float", old: field("double"), new: field("float"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("float to fixed32", old: field("float"), new: field("fixed32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("string to int32", old: field("string"), new: field("int32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("bytes to int64", old: field("bytes"), new: field("int64"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("double to sfixed64", old: field("double"), new: field("sfixed64"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("enum to sint32", old: field("Status", status), new: field("sint32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("enum to string", old: field("Status", status), new: field("string"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("bool to string", old: field("bool"), new: field("string"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("uint32 to fixed32", old: field("uint32"), new: field("fixed32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("sfixed64 to int64", old: field("sfixed64"), new: field("int64"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("fixed64 to double", old: field("fixed64"), new: field("double"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("a reused number with another scalar kind", old: p3("message M { int32 a = 1; string b = 2; }"),
          new: p3("message M { int32 a = 1; double count = 2; }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/2", forward: "FIELD_SCALAR_KIND_CHANGED #/M/2"),

    // Kinds: scalar (enums included), message, map.
    .init("a scalar becomes a message", old: field("int64", money), new: field("Money", money),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),
    .init("a message becomes a scalar", old: field("Money", money), new: field("int64", money),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),
    .init("a message becomes an enum", old: field("Money", "\(money)\n\(status)"), new: field("Status", "\(money)\n\(status)"),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),
    .init("a string becomes a message", old: field("string", money), new: field("Money", money),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),
    .init("bytes become a message", old: field("bytes", money), new: field("Money", money),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),
    .init("a scalar becomes a map", old: field("int32"), new: field("map<string, int32>"),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),
    .init("a map becomes a repeated message", old: field("map<string, int64>", money), new: field("repeated Money", money),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),
    .init("a message becomes a map", old: field("Money", money), new: field("map<string, Money>", money),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),

    // Message types: compared by name without package, then by content.
    .init("a field switches to another message type", old: field("Money", "\(money)\n\(price)"), new: field("Price", "\(money)\n\(price)"),
          backward: "FIELD_NAMED_TYPE_CHANGED #/M/1", forward: "FIELD_NAMED_TYPE_CHANGED #/M/1"),
    .init("a message type renamed with its field", old: field("Money", money), new: field("Amount", "message Amount { int64 units = 1; }"),
          backward: "FIELD_NAMED_TYPE_CHANGED #/M/1", forward: "FIELD_NAMED_TYPE_CHANGED #/M/1"),
    .init("a repeated message field switches type", old: field("repeated Money", "\(money)\n\(price)"), new: field("repeated Price", "\(money)\n\(price)"),
          backward: "FIELD_NAMED_TYPE_CHANGED #/M/1", forward: "FIELD_NAMED_TYPE_CHANGED #/M/1"),
    .init("a message removed", old: p3("message Order { int32 id = 1; }\nmessage Line { int32 n = 1; }"), new: p3("message Order { int32 id = 1; }"),
          backward: "MESSAGE_REMOVED #/Line", forward: nil),
    .init("a message added", old: p3("message Order { int32 id = 1; }"), new: p3("message Order { int32 id = 1; }\nmessage Line { int32 n = 1; }"),
          backward: nil, forward: "MESSAGE_REMOVED #/Line"),
    .init("a nested message removed", old: p3("message Order { message Line { int32 n = 1; } int32 id = 1; }"),
          new: p3("message Order { int32 id = 1; }"), backward: "MESSAGE_REMOVED #/Order/Line", forward: nil),
    .init("a nested message added", old: p3("message Order { int32 id = 1; }"),
          new: p3("message Order { message Line { int32 n = 1; } int32 id = 1; }"), backward: nil, forward: "MESSAGE_REMOVED #/Order/Line"),
    .init("a nested message used by a field changes a scalar kind",
          old: p3("message Order { message Line { int32 n = 1; } repeated Line lines = 1; }"),
          new: p3("message Order { message Line { string n = 1; } repeated Line lines = 1; }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/Order/Line/1", forward: "FIELD_SCALAR_KIND_CHANGED #/Order/Line/1"),
    .init("a message declared before its user changes a scalar kind",
          old: p3("message Line { int32 n = 1; }\nmessage Order { Line line = 1; }"),
          new: p3("message Line { string n = 1; }\nmessage Order { Line line = 1; }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/Line/1", forward: "FIELD_SCALAR_KIND_CHANGED #/Line/1"),
    .init("messages reordered", old: p3("message A { int32 a = 1; }\nmessage B { int32 b = 1; }"),
          new: p3("message B { int32 b = 1; }\nmessage A { int32 a = 1; }"), backward: nil, forward: nil),
    .init("a message moved into the message using it",
          old: p3("message Order { Line line = 1; }\nmessage Line { int32 n = 1; }"),
          new: p3("message Order { message Line { int32 n = 1; } Line line = 1; }"),
          backward: "FIELD_NAMED_TYPE_CHANGED #/Order/1", forward: "FIELD_NAMED_TYPE_CHANGED #/Order/1"),
    .init("a change in a deeply nested message", old: p3("message Outer { message Mid { message Inner { int32 x = 1; } } }"),
          new: p3("message Outer { message Mid { message Inner { string x = 1; } } }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/Outer/Mid/Inner/1", forward: "FIELD_SCALAR_KIND_CHANGED #/Outer/Mid/Inner/1"),
    .init("a change in the second message", old: p3("message A { int32 a = 1; }\nmessage B { int32 b = 1; }"),
          new: p3("message A { int32 a = 1; }\nmessage B { float b = 1; }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/B/1", forward: "FIELD_SCALAR_KIND_CHANGED #/B/1"),
    .init("a recursive message widens a varint", old: p3("message Node { int32 v = 1; Node next = 2; }"),
          new: p3("message Node { int64 v = 1; Node next = 2; }"), backward: nil, forward: nil),
    .init("a recursive message changes a scalar kind", old: p3("message Node { int32 v = 1; Node next = 2; }"),
          new: p3("message Node { string v = 1; Node next = 2; }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/Node/1", forward: "FIELD_SCALAR_KIND_CHANGED #/Node/1"),
    .init("a nested message type referenced with and without qualification",
          old: p3("message T { Status s = 1; message Status { string v = 1; } }"),
          new: p3("message T { .shop.T.Status s = 1; message Status { string v = 1; } }"), backward: nil, forward: nil),
    .init("a fully qualified reference to a top-level message", old: field("Money", money), new: field(".shop.Money", money),
          backward: nil, forward: nil),
    .init("a nested message added to a message with fields", old: field("int32"), new: p3("message M { int32 a = 1; message Extra { int32 x = 1; } }"),
          backward: nil, forward: "MESSAGE_REMOVED #/M/Extra"),

    // Enums: values may be added, removed or renamed; enums may come and go.
    .init("an enum value added", old: field("Status", status), new: field("Status", "enum Status { UNKNOWN = 0; ACTIVE = 1; GONE = 2; }"),
          backward: nil, forward: nil),
    .init("an enum value removed", old: field("Status", status), new: field("Status", "enum Status { UNKNOWN = 0; }"), backward: nil, forward: nil),
    .init("an enum value renamed", old: field("Status", status), new: field("Status", "enum Status { UNKNOWN = 0; ENABLED = 1; }"),
          backward: nil, forward: nil),
    .init("an unused enum removed", old: field("int32", status), new: field("int32"), backward: nil, forward: nil),
    .init("an unused enum added", old: field("int32"), new: field("int32", status), backward: nil, forward: nil),
    .init("a nested enum gains a value", old: p3("message M { enum K { A = 0; } K k = 1; }"), new: p3("message M { enum K { A = 0; B = 1; } K k = 1; }"),
          backward: nil, forward: nil),
    .init("a nested enum field read as int32", old: p3("message M { enum K { A = 0; } K k = 1; }"), new: p3("message M { enum K { A = 0; } int32 k = 1; }"),
          backward: nil, forward: nil),
    .init("an enum becomes a message", old: field("Status", "\(status)\n\(money)"), new: field("Money", "\(status)\n\(money)"),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),

    // Packages, syntax, imports and options.
    .init("a package changed", old: field("int32"), new: p3("message M { int32 a = 1; }", package: "store"), backward: nil, forward: nil),
    .init("a package changed with qualified references", old: p3("message M { .shop.Money a = 1; }\n\(money)"),
          new: p3("message M { .store.Money a = 1; }\n\(money)", package: "store"), backward: nil, forward: nil),
    .init("a package added", old: p3("message M { int32 a = 1; }", package: nil), new: field("int32"), backward: nil, forward: nil),
    .init("proto2 optional fields become proto3 fields", old: p2("message M { optional int32 a = 1; }"), new: field("int32"), backward: nil, forward: nil),
    .init("proto3 fields become proto2 optional fields", old: field("string"), new: p2("message M { optional string a = 1; }"), backward: nil, forward: nil),
    .init("an unchanged imported type", old: "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage M { google.protobuf.Timestamp at = 1; }",
          new: "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage M { .google.protobuf.Timestamp at = 1; }", backward: nil, forward: nil),
    .init("an imported type replaced by another",
          old: "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage M { google.protobuf.Timestamp at = 1; }",
          new: "syntax = \"proto3\";\nimport \"google/protobuf/duration.proto\";\nmessage M { google.protobuf.Duration at = 1; }",
          backward: "FIELD_NAMED_TYPE_CHANGED #/M/1", forward: "FIELD_NAMED_TYPE_CHANGED #/M/1"),
    .init("an unused import added", old: field("int32"), new: "syntax = \"proto3\";\npackage shop;\nimport \"other.proto\";\nmessage M { int32 a = 1; }",
          backward: nil, forward: nil),
    .init("a service added", old: field("int32"), new: field("int32", "service S { rpc Get (M) returns (M); }"), backward: nil, forward: nil),
    .init("options changed", old: field("int32"), new: p3("option java_package = \"x\";\nmessage M { option deprecated = true; int32 a = 1 [json_name = \"b\"]; }"),
          backward: nil, forward: nil),
    .init("a field removed and its number reserved", old: p3("message M { int32 a = 1; int32 b = 2; }"),
          new: p3("message M { reserved 2; reserved \"b\"; int32 a = 1; }"), backward: nil, forward: nil),
    .init("a proto2 default changed", old: p2("message M { optional int32 a = 1 [default = 1]; }"),
          new: p2("message M { optional int32 a = 1 [default = 2]; }"), backward: nil, forward: nil),

    // Labels.
    .init("proto2 optional becomes required", old: p2("message M { optional int32 a = 1; }"), new: p2("message M { required int32 a = 1; }"),
          backward: "REQUIRED_FIELD_ADDED #/M/1", forward: "REQUIRED_FIELD_REMOVED #/M/1"),
    .init("proto2 required becomes optional", old: p2("message M { required string a = 1; }"), new: p2("message M { optional string a = 1; }"),
          backward: "REQUIRED_FIELD_REMOVED #/M/1", forward: "REQUIRED_FIELD_ADDED #/M/1"),
    .init("a proto2 required field added", old: p2("message M { optional int32 a = 1; }"),
          new: p2("message M { optional int32 a = 1; required string b = 2; }"),
          backward: "REQUIRED_FIELD_ADDED #/M/2", forward: "REQUIRED_FIELD_REMOVED #/M/2"),
    .init("a proto2 required field removed", old: p2("message M { optional int32 a = 1; required string b = 2; }"),
          new: p2("message M { optional int32 a = 1; }"), backward: "REQUIRED_FIELD_REMOVED #/M/2", forward: "REQUIRED_FIELD_ADDED #/M/2"),
    .init("a proto2 optional field added", old: p2("message M { optional int32 a = 1; }"),
          new: p2("message M { optional int32 a = 1; optional string b = 2; }"), backward: nil, forward: nil),
    .init("a required field added to a nested message in use",
          old: p2("message Order { message Line { optional int32 n = 1; } optional Line line = 1; }"),
          new: p2("message Order { message Line { optional int32 n = 1; required int32 q = 2; } optional Line line = 1; }"),
          backward: "REQUIRED_FIELD_ADDED #/Order/Line/2", forward: "REQUIRED_FIELD_REMOVED #/Order/Line/2"),
    .init("a repeated int32 becomes singular", old: field("repeated int32"), new: field("int32"),
          backward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1", forward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1"),
    .init("an int32 becomes repeated", old: field("int32"), new: field("repeated int32"),
          backward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1", forward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1"),
    .init("a proto2 optional int32 becomes repeated", old: p2("message M { optional int32 a = 1; }"), new: p2("message M { repeated int32 a = 1; }"),
          backward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1", forward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1"),
    .init("a repeated enum becomes singular", old: field("repeated Status", status), new: field("Status", status),
          backward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1", forward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1"),
    .init("a repeated double becomes singular", old: field("repeated double"), new: field("double"),
          backward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1", forward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1"),
    .init("a repeated string becomes singular", old: field("repeated string"), new: field("string"), backward: nil, forward: nil),
    .init("a repeated bytes becomes singular", old: field("repeated bytes"), new: field("bytes"), backward: nil, forward: nil),
    .init("a repeated message becomes singular", old: field("repeated Money", money), new: field("Money", money), backward: nil, forward: nil),
    .init("a repeated int32 widened to repeated int64", old: field("repeated int32"), new: field("repeated int64"), backward: nil, forward: nil),
    .init("a repeated int32 becomes repeated sint32", old: field("repeated int32"), new: field("repeated sint32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("a proto3 field gains explicit presence", old: field("int32"), new: field("optional int32"), backward: nil, forward: nil),
    .init("a proto3 string loses explicit presence", old: field("optional string"), new: field("string"), backward: nil, forward: nil),

    // Maps: keys and values compared like fields.
    .init("map values widened within their group", old: field("map<string, int32>"), new: field("map<string, int64>"), backward: nil, forward: nil),
    .init("map values change scalar kind", old: field("map<string, int32>"), new: field("map<string, string>"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("map keys change scalar kind", old: field("map<string, int32>"), new: field("map<int32, int32>"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1"),
    .init("map message values switch type", old: field("map<string, Money>", "\(money)\n\(price)"), new: field("map<string, Price>", "\(money)\n\(price)"),
          backward: "FIELD_NAMED_TYPE_CHANGED #/M/1", forward: "FIELD_NAMED_TYPE_CHANGED #/M/1"),
    .init("map message values become scalars", old: field("map<string, Money>", money), new: field("map<string, int64>", money),
          backward: "FIELD_KIND_CHANGED #/M/1", forward: "FIELD_KIND_CHANGED #/M/1"),
    .init("map keys widened within their group", old: field("map<int32, string>"), new: field("map<int64, string>"), backward: nil, forward: nil),

    // Oneofs.
    .init("a field added to a oneof", old: p3("message P { oneof kind { string a = 1; } }"),
          new: p3("message P { oneof kind { string a = 1; int32 b = 2; } }"), backward: nil, forward: "ONEOF_FIELD_REMOVED #/P/kind/2"),
    .init("a field removed from a oneof", old: p3("message P { oneof kind { string a = 1; int32 b = 2; } }"),
          new: p3("message P { oneof kind { string a = 1; } }"), backward: "ONEOF_FIELD_REMOVED #/P/kind/2", forward: nil),
    .init("a field moved out of its oneof", old: p3("message P { oneof kind { string a = 1; int32 b = 2; } }"),
          new: p3("message P { oneof kind { string a = 1; } int32 b = 2; }"), backward: nil, forward: "FIELD_MOVED_TO_EXISTING_ONEOF #/P/kind"),
    .init("one field moved into a new oneof", old: p3("message U { int32 a = 1; }"), new: p3("message U { oneof x { int32 a = 1; } }"),
          backward: nil, forward: nil),
    .init("two fields moved into a new oneof", old: p3("message U { int32 a = 1; int32 b = 2; }"),
          new: p3("message U { oneof x { int32 a = 1; int32 b = 2; } }"), backward: "MULTIPLE_FIELDS_MOVED_TO_ONEOF #/U/x", forward: nil),
    .init("one field moved into a new oneof with a new field", old: p3("message U { int32 a = 1; }"),
          new: p3("message U { oneof x { int32 a = 1; string b = 2; } }"), backward: nil, forward: nil),
    .init("a field moved into an existing oneof", old: p3("message U { oneof x { int32 a = 1; } int32 b = 2; }"),
          new: p3("message U { oneof x { int32 a = 1; int32 b = 2; } }"), backward: "FIELD_MOVED_TO_EXISTING_ONEOF #/U/x", forward: nil),
    .init("a oneof renamed", old: p3("message U { oneof x { int32 a = 1; string b = 2; } }"),
          new: p3("message U { oneof y { int32 a = 1; string b = 2; } }"), backward: nil, forward: nil),
    .init("a oneof removed with its fields", old: p3("message U { int32 id = 3; oneof x { int32 a = 1; string b = 2; } }"),
          new: p3("message U { int32 id = 3; }"), backward: nil, forward: nil),
    .init("a oneof field changes scalar kind", old: p3("message P { oneof kind { int32 a = 1; } }"),
          new: p3("message P { oneof kind { string a = 1; } }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/P/kind/1", forward: "FIELD_SCALAR_KIND_CHANGED #/P/kind/1"),
    .init("a field moving into a oneof changes scalar kind", old: p3("message P { int32 a = 1; }"),
          new: p3("message P { oneof kind { sint32 a = 1; } }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/P/1", forward: "FIELD_SCALAR_KIND_CHANGED #/P/1"),
]

let protobufTransitiveTable: [TransitiveRow] = [
    .init("a field number reused with another kind after removal", history: [field("int32"), p3("message M { }")], new: field("string"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @0", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @0"),
    .init("a message removed in an earlier version", history: [p3("message Order { int32 id = 1; }\nmessage Line { int32 n = 1; }"), p3("message Order { int32 id = 1; }")],
          new: p3("message Order { int64 id = 1; }"), backward: "MESSAGE_REMOVED #/Line @0", forward: nil),
    .init("a number reused as a zigzag integer", history: [field("sint32"), p3("message M { }")], new: field("int32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @0", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @0"),
    .init("a number reused as a singular varint", history: [field("repeated int32"), p3("message M { }")], new: field("int32"),
          backward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1 @0", forward: "FIELD_NUMERIC_LABEL_CHANGED #/M/1 @0"),
    .init("a number reused with another message type",
          history: [p3("message Order { Money m = 1; }\n\(money)\n\(price)"), p3("message Order { }\n\(money)\n\(price)")],
          new: p3("message Order { Price m = 1; }\n\(money)\n\(price)"),
          backward: "FIELD_NAMED_TYPE_CHANGED #/Order/1 @0", forward: "FIELD_NAMED_TYPE_CHANGED #/Order/1 @0"),
    .init("a required field dropped in an earlier version",
          history: [p2("message M { optional int32 a = 1; required int32 b = 2; }"), p2("message M { optional int32 a = 1; }")],
          new: p2("message M { optional int64 a = 1; }"), backward: "REQUIRED_FIELD_REMOVED #/M/2 @0", forward: "REQUIRED_FIELD_ADDED #/M/2 @0"),
    .init("a oneof field dropped in an earlier version",
          history: [p3("message P { oneof k { string a = 1; int32 b = 2; } }"), p3("message P { oneof k { string a = 1; } }")],
          new: p3("message P { oneof k { bytes a = 1; } }"), backward: "ONEOF_FIELD_REMOVED #/P/k/2 @0", forward: nil),
    .init("two fields moved into a oneof across versions",
          history: [p3("message U { int32 a = 1; int32 b = 2; }"), p3("message U { int32 a = 1; }")],
          new: p3("message U { oneof x { int32 a = 1; int32 b = 2; } }"), backward: "MULTIPLE_FIELDS_MOVED_TO_ONEOF #/U/x @0", forward: nil),
    .init("an enum number reused for a message", history: [field("Status", "\(status)\n\(money)"), p3("message M { }\n\(status)\n\(money)")],
          new: field("Money", "\(status)\n\(money)"), backward: "FIELD_KIND_CHANGED #/M/1 @0", forward: "FIELD_KIND_CHANGED #/M/1 @0"),
    .init("a map number reused with other values", history: [field("map<string, int32>"), p3("message M { }")], new: field("map<string, string>"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @0", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @0"),
    .init("a nested message field reused with another kind",
          history: [p3("message Order { message Line { int32 n = 1; } }"), p3("message Order { message Line { } }")],
          new: p3("message Order { message Line { string n = 1; } }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/Order/Line/1 @0", forward: "FIELD_SCALAR_KIND_CHANGED #/Order/Line/1 @0"),
    .init("the failing version is in the middle", history: [field("int64"), field("string"), p3("message M { }")], new: field("int64"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @1", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @1"),
    .init("a oneof field added after a version without it",
          history: [p3("message P { oneof k { string a = 1; } }"), p3("message P { oneof k { string a = 1; int32 b = 2; } }")],
          new: p3("message P { oneof k { string a = 1; int64 b = 2; } }"), backward: nil, forward: "ONEOF_FIELD_REMOVED #/P/k/2 @0"),
    .init("a message added after a version without it",
          history: [p3("message Order { int32 id = 1; }"), p3("message Order { int32 id = 1; }\nmessage Line { int32 n = 1; }")],
          new: p3("message Order { int32 id = 1; }\nmessage Line { int64 n = 1; }"), backward: nil, forward: "MESSAGE_REMOVED #/Line @0"),
    .init("a float number reused as fixed32", history: [field("float"), p3("message M { }")], new: field("fixed32"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @0", forward: "FIELD_SCALAR_KIND_CHANGED #/M/1 @0"),
    .init("a bool number reused as double", history: [p3("message M { bool flag = 3; }"), p3("message M { }")], new: p3("message M { double flag = 3; }"),
          backward: "FIELD_SCALAR_KIND_CHANGED #/M/3 @0", forward: "FIELD_SCALAR_KIND_CHANGED #/M/3 @0"),
]

@Suite("Protobuf compatibility table")
struct ProtobufCompatibilityTableTests {
    @Test("each pair gets the registry's verdict at every level", arguments: protobufTable)
    func pair(_ row: CompatibilityRow) throws {
        try CompatibilityTable.verify(row, type: .protobuf)
    }

    @Test("transitive levels check the whole history", arguments: protobufTransitiveTable)
    func history(_ row: TransitiveRow) throws {
        try CompatibilityTable.verify(row, type: .protobuf)
    }

    @Test("a message type changed before its user is declared still breaks the field using it")
    func namedTypeChangeIndependentOfOrder() throws {
        let old = try ParsedSchema(p3("message Line { int32 n = 1; }\nmessage Order { Line line = 1; }"), type: .protobuf)
        let new = try ParsedSchema(p3("message Line { string n = 1; }\nmessage Order { Line line = 1; }"), type: .protobuf)
        #expect(check(new, against: [old], level: .backward).map(CompatibilityTable.describe)
                == ["FIELD_SCALAR_KIND_CHANGED #/Line/1", "FIELD_NAMED_TYPE_CHANGED #/Order/1"])
    }
}
