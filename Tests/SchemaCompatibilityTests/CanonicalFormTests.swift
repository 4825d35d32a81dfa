import SchemaCompatibility
import Testing

struct CanonicalCase: CustomTestStringConvertible, Sendable {
    var input: String
    var canonical: String
    var fingerprint: Int64?
    var testDescription: String { input }
}

/// Vectors from the Avro project's share/test/data/schema-tests.txt.
private let avroSpecVectors: [CanonicalCase] = [
    .init(input: #""null""#, canonical: #""null""#, fingerprint: 7_195_948_357_588_979_594),
    .init(input: #"{"type":"null"}"#, canonical: #""null""#, fingerprint: nil),
    .init(input: #""boolean""#, canonical: #""boolean""#, fingerprint: -6_970_731_678_124_411_036),
    .init(input: #""int""#, canonical: #""int""#, fingerprint: 8_247_732_601_305_521_295),
    .init(input: #""long""#, canonical: #""long""#, fingerprint: -3_434_872_931_120_570_953),
    .init(input: #""float""#, canonical: #""float""#, fingerprint: 5_583_340_709_985_441_680),
    .init(input: #""double""#, canonical: #""double""#, fingerprint: -8_181_574_048_448_539_266),
    .init(input: #""bytes""#, canonical: #""bytes""#, fingerprint: 5_746_618_253_357_095_269),
    .init(input: #""string""#, canonical: #""string""#, fingerprint: -8_142_146_995_180_207_161),
    .init(input: "[  ]", canonical: "[]", fingerprint: -1_241_056_759_729_112_623),
    .init(input: #"[ "int"  ]"#, canonical: #"["int"]"#, fingerprint: -5_232_228_896_498_058_493),
    .init(input: #"[ "int" , {"type":"boolean"} ]"#, canonical: #"["int","boolean"]"#, fingerprint: 5_392_556_393_470_105_090),
    .init(input: #"{"fields":[], "type":"record", "name":"foo"}"#, canonical: #"{"name":"foo","type":"record","fields":[]}"#,
          fingerprint: -4_824_392_279_771_201_922),
    .init(input: #"{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}"#, canonical: #"{"name":"x.y.foo","type":"record","fields":[]}"#,
          fingerprint: 5_916_914_534_497_305_771),
    .init(input: #"{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}"#, canonical: #"{"name":"a.b.foo","type":"record","fields":[]}"#,
          fingerprint: -4_616_218_487_480_524_110),
    .init(input: #"{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}"#,
          canonical: #"{"name":"foo","type":"record","fields":[]}"#, fingerprint: -4_824_392_279_771_201_922),
    .init(input: #"{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}"#,
          canonical: #"{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}"#, fingerprint: 7_843_277_075_252_814_651),
    .init(input: #"{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":true}, {"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo" }"#,
          canonical: #"{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}"#,
          fingerprint: -4_860_222_112_080_293_046),
    .init(input: #"{"type":"enum", "name":"foo", "symbols":["A1"]}"#, canonical: #"{"name":"foo","type":"enum","symbols":["A1"]}"#,
          fingerprint: -6_342_190_197_741_309_591),
    .init(input: #"{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}"#,
          canonical: #"{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}"#, fingerprint: -4_448_647_247_586_288_245),
    .init(input: #"{"name":"foo","type":"fixed","size":15}"#, canonical: #"{"name":"foo","type":"fixed","size":15}"#,
          fingerprint: 1_756_455_273_707_447_556),
    .init(input: #"{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}"#,
          canonical: #"{"name":"x.y.z.foo","type":"fixed","size":32}"#, fingerprint: -3_064_184_465_700_546_786),
    .init(input: #"{ "items":{"type":"null"}, "type":"array"}"#, canonical: #"{"type":"array","items":"null"}"#, fingerprint: -589_620_603_366_471_059),
    .init(input: #"{ "values":"string", "type":"map"}"#, canonical: #"{"type":"map","values":"string"}"#, fingerprint: -8_732_877_298_790_414_990),
    .init(input: #"{"name":"PigValue","type":"record", "fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}"#,
          canonical: #"{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}"#,
          fingerprint: -1_759_257_747_318_642_341),
]

@Suite("Canonical forms and fingerprints")
struct CanonicalFormTests {
    @Test("Avro canonical form and CRC-64-AVRO fingerprint match the Avro test vectors", arguments: avroSpecVectors)
    func avroVectors(_ c: CanonicalCase) throws {
        let schema = try ParsedSchema(c.input)
        #expect(schema.canonicalForm == c.canonical)
        if let fingerprint = c.fingerprint { #expect(schema.fingerprint == fingerprint) }
    }

    @Test("the normalized Avro form keeps defaults and drops docs")
    func avroNormalized() throws {
        let a = try ParsedSchema(#"{"type":"record","name":"R","namespace":"n","doc":"x","fields":[{"name":"a","type":"int","default":1,"doc":"d"}]}"#)
        let b = try ParsedSchema(#"{"fields":[{"default":1,"type":"int","name":"a"}],"name":"n.R","type":"record"}"#)
        let c = try ParsedSchema(#"{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int","default":2}]}"#)
        #expect(a.normalizedForm == #"{"name":"n.R","type":"record","fields":[{"name":"a","type":"int","default":1}]}"#)
        #expect(a == b)
        #expect(a != c)
        #expect(a.canonicalForm == c.canonicalForm)
        #expect(a.registryText(normalize: false) == a.text)
    }

    @Test("JSON Schema and Protobuf canonical forms ignore formatting")
    func otherFormats() throws {
        let j1 = try ParsedSchema(#"{"type": "object", "properties": {"b": {"type":"string"}, "a": {"type":"integer"}}}"#, type: .json)
        let j2 = try ParsedSchema(#"{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}"#, type: .json)
        #expect(j1.canonicalForm == j2.canonicalForm)
        #expect(j1.fingerprint == j2.fingerprint)
        #expect(j1.fingerprintHex.count == 16)
        let p1 = try ParsedSchema("syntax = \"proto3\";\nmessage M { string b = 2; int32 a = 1; }", type: .protobuf)
        let p2 = try ParsedSchema("syntax=\"proto3\"; // c\nmessage M {\n  int32 a = 1;\n  string b = 2;\n}", type: .protobuf)
        #expect(p1.canonicalForm != p2.canonicalForm)
        #expect(p1.normalizedForm == p2.normalizedForm)
        #expect(p1 == p2)
    }
}
