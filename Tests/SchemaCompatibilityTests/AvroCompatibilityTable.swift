import SchemaCompatibility
import Testing

// Expectations come from the "Schema Resolution" section of the Avro 1.11 specification:
// the reader (BACKWARD: new, FORWARD: old) must be able to decode what the writer wrote.
// Rule names are Avro's `SchemaCompatibility.SchemaIncompatibilityType`, which the registry
// reports. Locations are JSON pointers into the reader schema; when the writer is a union the
// pointer ends with the index of the writer branch that cannot be read (Avro 1.8 reports it
// so; later Java versions drop the index when the reader is not a union — the checker keeps
// it because it names the branch).

/// A record `com.acme.R` with the given fields.
private func rec(_ fields: String, name: String = "R", namespace: String = "com.acme", extra: String = "") -> String {
    #"{"type":"record","name":"\#(name)","namespace":"\#(namespace)"\#(extra),"fields":[\#(fields)]}"#
}

/// A record with one field `a` of the given type (and extra field attributes).
private func one(_ type: String, _ attributes: String = "") -> String {
    rec(#"{"name":"a","type":\#(type)\#(attributes)}"#)
}

private func enumE(_ symbols: String, name: String = "E", extra: String = "") -> String {
    #"{"type":"enum","name":"\#(name)","symbols":[\#(symbols)]\#(extra)}"#
}

private func fixedF(_ size: Int, name: String = "F", extra: String = "") -> String {
    #"{"type":"fixed","name":"\#(name)","size":\#(size)\#(extra)}"#
}

private func array(_ items: String) -> String { #"{"type":"array","items":\#(items)}"# }
private func map(_ values: String) -> String { #"{"type":"map","values":\#(values)}"# }
private func logical(_ base: String, _ name: String, _ extra: String = "") -> String {
    #"{"type":"\#(base)","logicalType":"\#(name)"\#(extra)}"#
}

/// A singly linked list `Node` whose value has the given type, plus extra fields.
private func node(_ valueType: String, _ extraFields: String = "") -> String {
    #"{"type":"record","name":"Node","fields":[{"name":"value","type":\#(valueType)},{"name":"next","type":["null","Node"],"default":null}\#(extraFields)]}"#
}

private let A = #"{"name":"a","type":"int"}"#
private let B = #"{"name":"b","type":"string"}"#
private let BDefault = #"{"name":"b","type":"string","default":"x"}"#

let avroTable: [CompatibilityRow] = [
    // Primitive promotions: int → long, float, double; long → float, double; float → double;
    // string ↔ bytes. Nothing else converts.
    .init("int promoted to long", old: #""int""#, new: #""long""#, backward: nil, forward: "TYPE_MISMATCH /"),
    .init("int promoted to float", old: #""int""#, new: #""float""#, backward: nil, forward: "TYPE_MISMATCH /"),
    .init("int promoted to double", old: #""int""#, new: #""double""#, backward: nil, forward: "TYPE_MISMATCH /"),
    .init("long promoted to float", old: #""long""#, new: #""float""#, backward: nil, forward: "TYPE_MISMATCH /"),
    .init("long promoted to double", old: #""long""#, new: #""double""#, backward: nil, forward: "TYPE_MISMATCH /"),
    .init("float promoted to double", old: #""float""#, new: #""double""#, backward: nil, forward: "TYPE_MISMATCH /"),
    .init("string read as bytes", old: #""string""#, new: #""bytes""#, backward: nil, forward: nil),
    .init("bytes read as string", old: #""bytes""#, new: #""string""#, backward: nil, forward: nil),
    .init("long narrowed to int", old: #""long""#, new: #""int""#, backward: "TYPE_MISMATCH /", forward: nil),
    .init("double narrowed to float", old: #""double""#, new: #""float""#, backward: "TYPE_MISMATCH /", forward: nil),
    .init("float to long is no promotion", old: #""float""#, new: #""long""#, backward: "TYPE_MISMATCH /", forward: nil),
    .init("double to int is no promotion", old: #""double""#, new: #""int""#, backward: "TYPE_MISMATCH /", forward: nil),
    .init("float narrowed to int", old: #""float""#, new: #""int""#, backward: "TYPE_MISMATCH /", forward: nil),
    .init("int and string do not convert", old: #""int""#, new: #""string""#, backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("long and string do not convert", old: #""long""#, new: #""string""#, backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("boolean and int do not convert", old: #""boolean""#, new: #""int""#, backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("null and string do not convert", old: #""null""#, new: #""string""#, backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("bytes and long do not convert", old: #""bytes""#, new: #""long""#, backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("a primitive is identical to itself", old: #""string""#, new: #"{"type":"string"}"#, backward: nil, forward: nil),

    // Records: reader fields are looked up in the writer by name, then by the reader field's
    // aliases; a reader field missing in the writer needs a default; writer-only fields are skipped.
    .init("identical records", old: rec(A), new: rec(A), backward: nil, forward: nil),
    .init("a field added with a default", old: rec(A), new: rec("\(A),\(BDefault)"), backward: nil, forward: nil),
    .init("a field added without a default", old: rec(A), new: rec("\(A),\(B)"),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1", forward: nil),
    .init("a field with a default removed", old: rec("\(A),\(BDefault)"), new: rec(A), backward: nil, forward: nil),
    .init("a field without a default removed", old: rec("\(A),\(B)"), new: rec(A),
          backward: nil, forward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1"),
    .init("a field promoted from int to long", old: one(#""int""#), new: one(#""long""#),
          backward: nil, forward: "TYPE_MISMATCH /fields/0/type"),
    .init("a field narrowed from long to int", old: one(#""long""#), new: one(#""int""#),
          backward: "TYPE_MISMATCH /fields/0/type", forward: nil),
    .init("a field changed from string to bytes", old: one(#""string""#), new: one(#""bytes""#), backward: nil, forward: nil),
    .init("a field changed from int to string", old: one(#""int""#), new: one(#""string""#),
          backward: "TYPE_MISMATCH /fields/0/type", forward: "TYPE_MISMATCH /fields/0/type"),
    .init("a field renamed without an alias", old: rec(A), new: rec(#"{"name":"z","type":"int"}"#),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/0", forward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/0"),
    .init("a field renamed with the old name as alias", old: rec(A), new: rec(#"{"name":"z","type":"int","aliases":["a"]}"#),
          backward: nil, forward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/0"),
    .init("a defaulted field renamed with the old name as alias", old: rec(#"{"name":"a","type":"int","default":0}"#),
          new: rec(#"{"name":"z","type":"int","aliases":["a"]}"#), backward: nil, forward: nil),
    .init("a field alias that names no writer field", old: rec(A), new: rec(#"{"name":"z","type":"int","aliases":["y"]}"#),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/0", forward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/0"),
    .init("fields reordered", old: rec("\(A),\(B)"), new: rec("\(B),\(A)"), backward: nil, forward: nil),
    .init("two changes: a field narrowed and a field added without default",
          old: rec(#"{"name":"a","type":"int"}"#), new: rec(#"{"name":"a","type":"long"},{"name":"b","type":"int"}"#),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1", forward: "TYPE_MISMATCH /fields/0/type"),
    .init("an empty record gains a defaulted field", old: rec(""), new: rec(#"{"name":"a","type":"int","default":1}"#),
          backward: nil, forward: nil),
    .init("an empty record gains a field without default", old: rec(""), new: rec(A),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/0", forward: nil),
    .init("a field default changed", old: one(#""int""#, #","default":0"#), new: one(#""int""#, #","default":1"#),
          backward: nil, forward: nil),
    .init("a field default dropped on a field both have", old: one(#""int""#, #","default":0"#), new: one(#""int""#),
          backward: nil, forward: nil),
    .init("documentation and sort order changed", old: rec(A), new: rec(#"{"name":"a","type":"int","doc":"x","order":"descending"}"#, extra: #","doc":"d""#),
          backward: nil, forward: nil),
    .init("a record field with a record default added", old: rec(A),
          new: rec(#"\#(A),{"name":"p","type":{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]},"default":{"x":1}}"#),
          backward: nil, forward: nil),
    .init("an error type read as a record of the same name",
          old: #"{"type":"error","name":"R","namespace":"com.acme","fields":[{"name":"a","type":"int"}]}"#, new: rec(A),
          backward: nil, forward: nil),

    // Unions: every branch the writer may write must be readable; a reader union reads a
    // non-union writer through its first matching branch.
    .init("a field made nullable", old: one(#""string""#), new: one(#"["null","string"]"#, #","default":null"#),
          backward: nil, forward: "TYPE_MISMATCH /fields/0/type/0"),
    .init("a nullable field made required", old: one(#"["null","string"]"#, #","default":null"#), new: one(#""string""#),
          backward: "TYPE_MISMATCH /fields/0/type/0", forward: nil),
    .init("a union gains a branch", old: one(#"["null","string"]"#), new: one(#"["null","string","int"]"#),
          backward: nil, forward: "MISSING_UNION_BRANCH /fields/0/type/2"),
    .init("a union loses a branch", old: one(#"["null","string","int"]"#), new: one(#"["null","string"]"#),
          backward: "MISSING_UNION_BRANCH /fields/0/type/2", forward: nil),
    .init("union branches reordered", old: one(#"["null","string"]"#), new: one(#"["string","null"]"#), backward: nil, forward: nil),
    .init("an int read by a nullable long", old: one(#""int""#), new: one(#"["null","long"]"#),
          backward: nil, forward: "TYPE_MISMATCH /fields/0/type/0"),
    .init("a union branch promoted from int to long", old: one(#"["int","string"]"#), new: one(#"["long","string"]"#),
          backward: nil, forward: "MISSING_UNION_BRANCH /fields/0/type/0"),
    .init("a string read by a union without string", old: one(#""string""#), new: one(#"["null","int"]"#),
          backward: "MISSING_UNION_BRANCH /fields/0/type", forward: "TYPE_MISMATCH /fields/0/type/0"),
    .init("a union gains bytes next to string", old: #"["null","string"]"#, new: #"["null","string","bytes"]"#,
          backward: nil, forward: nil),
    .init("a top-level string becomes nullable", old: #""string""#, new: #"["string","null"]"#, backward: nil, forward: "TYPE_MISMATCH /1"),
    .init("a union of int and long read as long", old: #"["int","long"]"#, new: #""long""#, backward: nil, forward: nil),
    .init("a union of int and string read as string", old: #"["int","string"]"#, new: #""string""#,
          backward: "TYPE_MISMATCH /0", forward: nil),
    .init("null becomes a nullable int", old: #""null""#, new: #"["null","int"]"#, backward: nil, forward: "TYPE_MISMATCH /1"),
    .init("a record field becomes a nullable record",
          old: one(#"{"type":"record","name":"N","fields":[{"name":"x","type":"int"}]}"#),
          new: one(#"["null",{"type":"record","name":"N","fields":[{"name":"x","type":"int"}]}]"#, #","default":null"#),
          backward: nil, forward: "TYPE_MISMATCH /fields/0/type/0"),
    .init("a union of records gains a record",
          old: #"["null",{"type":"record","name":"A","fields":[{"name":"a","type":"int"}]}]"#,
          new: #"["null",{"type":"record","name":"A","fields":[{"name":"a","type":"int"}]},{"type":"record","name":"B","fields":[{"name":"b","type":"int"}]}]"#,
          backward: nil, forward: "MISSING_UNION_BRANCH /2"),
    .init("records in a union reordered",
          old: #"[{"type":"record","name":"A","fields":[]},{"type":"record","name":"B","fields":[]}]"#,
          new: #"[{"type":"record","name":"B","fields":[]},{"type":"record","name":"A","fields":[]}]"#, backward: nil, forward: nil),
    .init("a nullable record gains a field without default",
          old: one(#"["null",{"type":"record","name":"N","fields":[{"name":"x","type":"int"}]}]"#),
          new: one(#"["null",{"type":"record","name":"N","fields":[{"name":"x","type":"int"},{"name":"y","type":"int"}]}]"#),
          backward: "MISSING_UNION_BRANCH /fields/0/type/1", forward: nil),
    .init("a nullable enum gains a symbol", old: #"["null",\#(enumE(#""A""#))]"#, new: #"["null",\#(enumE(#""A","B""#))]"#,
          backward: nil, forward: "MISSING_UNION_BRANCH /1"),
    .init("a nullable fixed changes size", old: #"["null",\#(fixedF(8))]"#, new: #"["null",\#(fixedF(16))]"#,
          backward: "MISSING_UNION_BRANCH /1", forward: "MISSING_UNION_BRANCH /1"),

    // Enums: a writer symbol the reader lacks is an error unless the reader has a default.
    .init("an enum gains a symbol", old: one(enumE(#""A","B""#)), new: one(enumE(#""A","B","C""#)),
          backward: nil, forward: "MISSING_ENUM_SYMBOLS /fields/0/type/symbols"),
    .init("an enum loses a symbol", old: one(enumE(#""A","B","C""#)), new: one(enumE(#""A","B""#)),
          backward: "MISSING_ENUM_SYMBOLS /fields/0/type/symbols", forward: nil),
    .init("an enum with a default gains a symbol", old: one(enumE(#""A","B""#, extra: #","default":"A""#)),
          new: one(enumE(#""A","B","C""#, extra: #","default":"A""#)), backward: nil, forward: nil),
    .init("an enum loses a symbol and the new one has a default", old: one(enumE(#""A","B","C""#)),
          new: one(enumE(#""A","B""#, extra: #","default":"A""#)), backward: nil, forward: nil),
    .init("an enum loses a symbol and only the old one has a default", old: one(enumE(#""A","B","C""#, extra: #","default":"A""#)),
          new: one(enumE(#""A","B""#)), backward: "MISSING_ENUM_SYMBOLS /fields/0/type/symbols", forward: nil),
    .init("enum symbols reordered", old: one(enumE(#""A","B""#)), new: one(enumE(#""B","A""#)), backward: nil, forward: nil),
    .init("an enum default added", old: one(enumE(#""A","B""#)), new: one(enumE(#""A","B""#, extra: #","default":"B""#)),
          backward: nil, forward: nil),
    .init("an enum default removed", old: one(enumE(#""A","B""#, extra: #","default":"B""#)), new: one(enumE(#""A","B""#)),
          backward: nil, forward: nil),
    .init("an enum renamed without alias", old: one(enumE(#""A""#)), new: one(enumE(#""A""#, name: "G")),
          backward: "NAME_MISMATCH /fields/0/type/name", forward: "NAME_MISMATCH /fields/0/type/name"),
    .init("an enum renamed with the old name as alias", old: one(enumE(#""A""#)), new: one(enumE(#""A""#, name: "G", extra: #","aliases":["E"]"#)),
          backward: nil, forward: "NAME_MISMATCH /fields/0/type/name"),
    .init("an enum read as a string", old: one(enumE(#""A""#)), new: one(#""string""#),
          backward: "TYPE_MISMATCH /fields/0/type", forward: "TYPE_MISMATCH /fields/0/type"),
    .init("an enum moved to another namespace", old: enumE(#""A""#, extra: #","namespace":"x""#),
          new: enumE(#""A""#, extra: #","namespace":"y""#), backward: nil, forward: nil),
    .init("a field's enum moved to another namespace", old: one(enumE(#""A""#, extra: #","namespace":"x""#)),
          new: one(enumE(#""A""#, extra: #","namespace":"y""#)), backward: nil, forward: nil),

    // Fixed: same size and (unqualified) name.
    .init("a fixed changes size", old: fixedF(16), new: fixedF(8), backward: "FIXED_SIZE_MISMATCH /size", forward: "FIXED_SIZE_MISMATCH /size"),
    .init("a fixed renamed without alias", old: fixedF(8), new: fixedF(8, name: "G"), backward: "NAME_MISMATCH /name", forward: "NAME_MISMATCH /name"),
    .init("a fixed renamed with the old name as alias", old: fixedF(8), new: fixedF(8, name: "G", extra: #","aliases":["F"]"#),
          backward: nil, forward: "NAME_MISMATCH /name"),
    .init("a fixed read as bytes", old: fixedF(8), new: #""bytes""#, backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("bytes read as a fixed", old: #""bytes""#, new: fixedF(4), backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("a fixed moved to another namespace", old: fixedF(8, extra: #","namespace":"x""#), new: fixedF(8, extra: #","namespace":"y""#),
          backward: nil, forward: nil),
    .init("a fixed gains a decimal logical type", old: fixedF(8), new: fixedF(8, extra: #","logicalType":"decimal","precision":10,"scale":2"#),
          backward: nil, forward: nil),

    // Arrays and maps resolve their items and values recursively.
    .init("array items promoted", old: array(#""int""#), new: array(#""long""#), backward: nil, forward: "TYPE_MISMATCH /items"),
    .init("array items narrowed", old: array(#""long""#), new: array(#""int""#), backward: "TYPE_MISMATCH /items", forward: nil),
    .init("array items from string to bytes", old: array(#""string""#), new: array(#""bytes""#), backward: nil, forward: nil),
    .init("map values promoted", old: map(#""int""#), new: map(#""double""#), backward: nil, forward: "TYPE_MISMATCH /values"),
    .init("map values changed to int", old: map(#""string""#), new: map(#""int""#), backward: "TYPE_MISMATCH /values", forward: "TYPE_MISMATCH /values"),
    .init("an array becomes a map", old: array(#""int""#), new: map(#""int""#), backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("an array becomes its item type", old: array(#""int""#), new: #""int""#, backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("array record items gain a field without default", old: array(rec(A)), new: array(rec("\(A),\(B)")),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /items/fields/1", forward: nil),
    .init("map enum values gain a symbol", old: map(enumE(#""A""#)), new: map(enumE(#""A","B""#)),
          backward: nil, forward: "MISSING_ENUM_SYMBOLS /values/symbols"),
    .init("array union items promoted", old: array(#"["null","int"]"#), new: array(#"["null","long"]"#),
          backward: nil, forward: "MISSING_UNION_BRANCH /items/1"),
    .init("nested array items promoted", old: array(array(#""int""#)), new: array(array(#""long""#)),
          backward: nil, forward: "TYPE_MISMATCH /items/items"),
    .init("map values become nullable", old: map(#""string""#), new: map(#"["null","string"]"#), backward: nil, forward: "TYPE_MISMATCH /values/0"),
    .init("map of arrays promoted from float to double", old: map(array(#""float""#)), new: map(array(#""double""#)),
          backward: nil, forward: "TYPE_MISMATCH /values/items"),
    .init("map record values renamed without alias", old: map(rec(A, name: "V")), new: map(rec(A, name: "W")),
          backward: "NAME_MISMATCH /values/name", forward: "NAME_MISMATCH /values/name"),

    // Named types match by unqualified name, or a reader alias naming the writer's full name.
    .init("a nested record field promoted",
          old: one(#"{"type":"record","name":"N","fields":[{"name":"x","type":"int"}]}"#),
          new: one(#"{"type":"record","name":"N","fields":[{"name":"x","type":"long"}]}"#),
          backward: nil, forward: "TYPE_MISMATCH /fields/0/type/fields/0/type"),
    .init("a nested record renamed without alias",
          old: one(#"{"type":"record","name":"N","fields":[]}"#), new: one(#"{"type":"record","name":"M","fields":[]}"#),
          backward: "NAME_MISMATCH /fields/0/type/name", forward: "NAME_MISMATCH /fields/0/type/name"),
    .init("a nested record renamed with the old name as alias",
          old: one(#"{"type":"record","name":"N","fields":[]}"#), new: one(#"{"type":"record","name":"M","aliases":["N"],"fields":[]}"#),
          backward: nil, forward: "NAME_MISMATCH /fields/0/type/name"),
    .init("a record moved to another namespace", old: rec(A), new: rec(A, namespace: "org.other"), backward: nil, forward: nil),
    .init("a record renamed with a relative alias", old: rec(A), new: rec(A, name: "S", extra: #","aliases":["R"]"#),
          backward: nil, forward: "NAME_MISMATCH /name"),
    .init("a record renamed and moved with a full-name alias", old: rec(A),
          new: rec(A, name: "S", namespace: "org.other", extra: #","aliases":["com.acme.R"]"#), backward: nil, forward: "NAME_MISMATCH /name"),
    .init("a relative alias resolves in the reader's namespace", old: rec(A),
          new: rec(A, name: "S", namespace: "org.other", extra: #","aliases":["R"]"#), backward: "NAME_MISMATCH /name", forward: "NAME_MISMATCH /name"),
    .init("a record is not an enum", old: rec(""), new: enumE(#""A""#, name: "R", extra: #","namespace":"com.acme""#),
          backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("a record is not a map", old: rec(A), new: map(#""int""#), backward: "TYPE_MISMATCH /", forward: "TYPE_MISMATCH /"),
    .init("a recursive record's value promoted", old: node(#""int""#), new: node(#""long""#), backward: nil, forward: "TYPE_MISMATCH /fields/0/type"),
    .init("a recursive record gains a defaulted field", old: node(#""int""#), new: node(#""int""#, #",{"name":"tag","type":"string","default":""}"#),
          backward: nil, forward: nil),
    .init("a recursive record gains a field without default", old: node(#""int""#), new: node(#""int""#, #",{"name":"tag","type":"string"}"#),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/2", forward: nil),
    .init("a named type reused by reference keeps its resolution",
          old: rec(#"{"name":"a","type":\#(fixedF(4))},{"name":"b","type":"F"}"#),
          new: rec(#"{"name":"a","type":\#(fixedF(4))},{"name":"b","type":["null","F"]}"#),
          backward: nil, forward: "TYPE_MISMATCH /fields/1/type/0"),

    // Logical types resolve by their underlying types.
    .init("timestamp-millis to timestamp-micros", old: one(logical("long", "timestamp-millis")), new: one(logical("long", "timestamp-micros")),
          backward: nil, forward: nil),
    .init("date to timestamp-millis promotes int to long", old: one(logical("int", "date")), new: one(logical("long", "timestamp-millis")),
          backward: nil, forward: "TYPE_MISMATCH /fields/0/type"),
    // The specification's decimal section says decimals "match" only with equal scale and
    // precision, but resolution (and Avro's SchemaCompatibility, which the registry runs)
    // goes by the underlying bytes, so this stays compatible.
    .init("decimal precision changed", old: one(logical("bytes", "decimal", #","precision":10,"scale":2"#)),
          new: one(logical("bytes", "decimal", #","precision":12,"scale":2"#)), backward: nil, forward: nil),
    .init("uuid read as string", old: one(logical("string", "uuid")), new: one(#""string""#), backward: nil, forward: nil),
    .init("string read as uuid", old: one(#""string""#), new: one(logical("string", "uuid")), backward: nil, forward: nil),
    .init("time-millis to time-micros promotes int to long", old: one(logical("int", "time-millis")), new: one(logical("long", "time-micros")),
          backward: nil, forward: "TYPE_MISMATCH /fields/0/type"),
    .init("a bytes decimal becomes a fixed decimal", old: one(logical("bytes", "decimal", #","precision":10,"scale":2"#)),
          new: one(fixedF(8, extra: #","logicalType":"decimal","precision":10,"scale":2"#)),
          backward: "TYPE_MISMATCH /fields/0/type", forward: "TYPE_MISMATCH /fields/0/type"),
    .init("local-timestamp-millis dropped to plain long", old: one(logical("long", "local-timestamp-millis")), new: one(#""long""#),
          backward: nil, forward: nil),
]

let avroTransitiveTable: [TransitiveRow] = [
    .init("a default dropped after the field was added", history: [rec(A), rec("\(A),\(BDefault)")], new: rec("\(A),\(B)"),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 @0", forward: nil),
    .init("a field removed whose first version had no default",
          history: [rec("\(A),\(B)"), rec("\(A),\(BDefault)")], new: rec(A),
          backward: nil, forward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 @0"),
    .init("a field narrowed in an earlier version", history: [one(#""long""#), one(#""int""#)], new: one(#""int""#, #","doc":"n""#),
          backward: "TYPE_MISMATCH /fields/0/type @0", forward: nil),
    .init("a field widened in an earlier version", history: [one(#""int""#), one(#""long""#)], new: one(#""long""#, #","doc":"w""#),
          backward: nil, forward: "TYPE_MISMATCH /fields/0/type @0"),
    .init("an enum symbol dropped in an earlier version", history: [one(enumE(#""A","B","C""#)), one(enumE(#""A","B""#))],
          new: one(enumE(#""B","A""#)), backward: "MISSING_ENUM_SYMBOLS /fields/0/type/symbols @0", forward: nil),
    .init("an enum symbol added after a version without default",
          history: [one(enumE(#""A""#)), one(enumE(#""A","B""#, extra: #","default":"A""#))], new: one(enumE(#""A","B""#)),
          backward: nil, forward: "MISSING_ENUM_SYMBOLS /fields/0/type/symbols @0"),
    .init("a union branch dropped in an earlier version", history: [one(#"["null","string","int"]"#), one(#"["null","string"]"#)],
          new: one(#"["string","null"]"#), backward: "MISSING_UNION_BRANCH /fields/0/type/2 @0", forward: nil),
    .init("a record renamed through an alias that was later dropped",
          history: [rec(A), rec(A, name: "S", extra: #","aliases":["R"]"#)], new: rec(A, name: "S"),
          backward: "NAME_MISMATCH /name @0", forward: "NAME_MISMATCH /name @0"),
    .init("a fixed resized in an earlier version", history: [fixedF(8), fixedF(16)], new: fixedF(16, extra: #","doc":"d""#),
          backward: "FIXED_SIZE_MISMATCH /size @0", forward: "FIXED_SIZE_MISMATCH /size @0"),
    .init("three versions: the default existed only from the second on",
          history: [rec(A), rec("\(A),\(BDefault)"), rec(#"\#(A),\#(BDefault),{"name":"c","type":"int","default":0}"#)],
          new: rec(#"\#(A),\#(B),{"name":"c","type":"int","default":0}"#),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 @0", forward: nil),
    .init("the failing version is in the middle", history: [one(#""long""#), one(#""double""#), one(#""long""#)], new: one(#""long""#, #","doc":"m""#),
          backward: "TYPE_MISMATCH /fields/0/type @1", forward: nil),
    .init("the oldest failing version is reported first", history: [one(#""double""#), one(#""float""#), one(#""int""#)],
          new: one(#""int""#, #","doc":"o""#), backward: "TYPE_MISMATCH /fields/0/type @0", forward: nil),
    .init("a field removed after two versions with defaults",
          history: [rec("\(A),\(B)"), rec("\(A),\(BDefault)"), rec("\(A),\(BDefault)")], new: rec(#"{"name":"a","type":"int","doc":"r"}"#),
          backward: nil, forward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 @0"),
    .init("array items narrowed in an earlier version", history: [array(#""long""#), array(#""int""#)], new: array(#"{"type":"int"}"#),
          backward: "TYPE_MISMATCH /items @0", forward: nil),
    .init("map enum values lost a symbol earlier", history: [map(enumE(#""A","B""#)), map(enumE(#""A""#))], new: map(enumE(#""A""#, extra: #","doc":"e""#)),
          backward: "MISSING_ENUM_SYMBOLS /values/symbols @0", forward: nil),
    .init("FULL_TRANSITIVE reports the oldest version, forward before a later backward failure",
          history: [one(#""int""#), one(#""double""#), one(#""long""#)], new: one(#""long""#, #","doc":"f""#),
          backward: "TYPE_MISMATCH /fields/0/type @1", forward: "TYPE_MISMATCH /fields/0/type @0"),
    .init("a nested field lost its default in the new version",
          history: [one(#"{"type":"record","name":"N","fields":[{"name":"x","type":"int"}]}"#),
                    one(#"{"type":"record","name":"N","fields":[{"name":"x","type":"int"},{"name":"y","type":"int","default":0}]}"#)],
          new: one(#"{"type":"record","name":"N","fields":[{"name":"x","type":"int"},{"name":"y","type":"int"}]}"#),
          backward: "READER_FIELD_MISSING_DEFAULT_VALUE /fields/0/type/fields/1 @0", forward: nil),
]

@Suite("Avro compatibility table")
struct AvroCompatibilityTableTests {
    @Test("each pair gets the verdict of the Avro specification at every level", arguments: avroTable)
    func pair(_ row: CompatibilityRow) throws {
        try CompatibilityTable.verify(row, type: .avro)
    }

    @Test("transitive levels check the whole history", arguments: avroTransitiveTable)
    func history(_ row: TransitiveRow) throws {
        try CompatibilityTable.verify(row, type: .avro)
    }
}
