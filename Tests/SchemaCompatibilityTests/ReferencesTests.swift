import SchemaCompatibility
import Testing

private func describe(_ found: [Incompatibility]) -> [String] { found.map(CompatibilityTable.describe) }

// MARK: Avro

private let moneyV1 = #"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"units","type":"int"}]}"#
private let moneyV2 = #"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"units","type":"long"}]}"#
private let moneyV3 = #"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"units","type":"long"},{"name":"currency","type":"string"}]}"#
private let order = #"{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"total","type":"Money"}]}"#

@Suite("Schemas with references")
struct ReferencesTests {
    @Test("an Avro schema naming a type from a reference parses only with that reference")
    func avroNeedsItsReference() throws {
        #expect(throws: SchemaParseError(reason: "undefined name: com.acme.Money", path: "/fields/0/type")) {
            try ParsedSchema(order)
        }
        let parsed = try ParsedSchema(order, references: ["com.acme.Money": moneyV1])
        #expect(parsed.references == ["com.acme.Money": moneyV1])
    }

    @Test("the Avro canonical form spells out the referenced type, like the self-contained schema")
    func avroCanonicalFormInlinesReferences() throws {
        let withReference = try ParsedSchema(order, references: ["com.acme.Money": moneyV1])
        let inline = try ParsedSchema(order.replacingOccurrences(of: #""type":"Money""#, with: #""type":\#(moneyV1)"#))
        #expect(withReference.canonicalForm
                == #"{"name":"com.acme.Order","type":"record","fields":[{"name":"total","type":{"name":"com.acme.Money","type":"record","fields":[{"name":"units","type":"int"}]}}]}"#)
        #expect(withReference.canonicalForm == inline.canonicalForm)
        #expect(withReference.fingerprint == inline.fingerprint)
        #expect(withReference == inline)
        let changedReference = try ParsedSchema(order, references: ["com.acme.Money": moneyV2])
        #expect(changedReference.fingerprint != withReference.fingerprint)
    }

    @Test("Avro compatibility looks into referenced types")
    func avroCompatibilityThroughReferences() throws {
        let v1 = try ParsedSchema(order, references: ["com.acme.Money": moneyV1])
        let v2 = try ParsedSchema(order, references: ["com.acme.Money": moneyV2])
        let v3 = try ParsedSchema(order, references: ["com.acme.Money": moneyV3])
        #expect(check(v2, against: [v1], level: .backward).isEmpty)
        #expect(describe(check(v2, against: [v1], level: .forward)) == ["TYPE_MISMATCH /fields/0/type/fields/0/type"])
        #expect(describe(check(v3, against: [v2], level: .backward)) == ["READER_FIELD_MISSING_DEFAULT_VALUE /fields/0/type/fields/1"])
    }

    @Test("Avro references may use each other, in any order of the map")
    func avroReferencesOfReferences() throws {
        let currency = #"{"type":"enum","name":"Currency","namespace":"com.acme","symbols":["EUR","USD"]}"#
        let money = #"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"units","type":"long"},{"name":"currency","type":"Currency"}]}"#
        // "a.money" sorts before "z.currency" although Money needs Currency.
        let parsed = try ParsedSchema(order, references: ["a.money": money, "z.currency": currency])
        #expect(parsed.canonicalForm.contains(#"{"name":"com.acme.Currency","type":"enum","symbols":["EUR","USD"]}"#))
    }

    @Test("a broken reference is reported with its name")
    func brokenReference() throws {
        #expect(throws: SchemaParseError(reason: "in reference com.acme.Money: undefined name: com.acme.Cents", path: "/fields/0/type")) {
            try ParsedSchema(order, references: ["com.acme.Money": #"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"u","type":"Cents"}]}"#])
        }
        #expect(throws: SchemaParseError.self) {
            try ParsedSchema(#"{"$ref":"a.json"}"#, type: .json, references: ["a.json": #"{"type":"nope"}"#])
        }
    }

    // MARK: JSON Schema

    @Test("a JSON Schema $ref to another document is compared through that document")
    func jsonReferenceByName() throws {
        let text = #"{"type":"object","properties":{"address":{"$ref":"address.json"}}}"#
        let old = try ParsedSchema(text, type: .json, references: ["address.json": #"{"type":"object","properties":{"zip":{"type":"number"}}}"#])
        let new = try ParsedSchema(text, type: .json, references: ["address.json": #"{"type":"object","properties":{"zip":{"type":"integer"}}}"#])
        #expect(describe(check(new, against: [old], level: .backward)) == ["TYPE_NARROWED #/properties/address/properties/zip"])
        #expect(check(new, against: [old], level: .forward).isEmpty)
        // Without the documents the references cannot be followed, and nothing is found.
        let oldAlone = try ParsedSchema(text, type: .json)
        let newAlone = try ParsedSchema(text, type: .json)
        #expect(check(newAlone, against: [oldAlone], level: .backward).isEmpty)
    }

    @Test("a JSON Schema $ref may point into another document, or name it by $id, and local refs stay in it")
    func jsonReferencePointersAndIDs() throws {
        let definitions = #"{"definitions":{"Zip":{"type":"string","maxLength":"#
        let byPointer = #"{"type":"object","properties":{"zip":{"$ref":"defs.json#/definitions/Zip"}}}"#
        let old = try ParsedSchema(byPointer, type: .json, references: ["defs.json": definitions + "10}}}"])
        let new = try ParsedSchema(byPointer, type: .json, references: ["defs.json": definitions + "5}}}"])
        #expect(describe(check(new, against: [old], level: .backward)) == ["MAX_LENGTH_DECREASED #/properties/zip/maxLength"])

        let address = { (zip: String) in
            ##"{"$id":"https://example.com/address.json","type":"object","properties":{"zip":{"$ref":"#/definitions/Zip"}},"definitions":{"Zip":{"type":"\##(zip)"}}}"##
        }
        let byID = #"{"type":"object","properties":{"home":{"$ref":"https://example.com/address.json"}}}"#
        let oldByID = try ParsedSchema(byID, type: .json, references: ["address": address("string")])
        let newByID = try ParsedSchema(byID, type: .json, references: ["address": address("integer")])
        #expect(describe(check(newByID, against: [oldByID], level: .backward)) == ["TYPE_CHANGED #/properties/home/properties/zip"])
    }

    @Test("JSON Schema identity includes the references, the canonical form is the document's own")
    func jsonIdentity() throws {
        let text = #"{"$ref":"a.json"}"#
        let a = try ParsedSchema(text, type: .json, references: ["a.json": #"{"type":"string"}"#])
        let b = try ParsedSchema(text, type: .json, references: ["a.json": #"{"type":"integer"}"#])
        #expect(a.canonicalForm == b.canonicalForm)
        #expect(a != b)
        #expect(a == (try ParsedSchema(text, type: .json, references: ["a.json": #"{"type":"string"}"#])))
        // The fingerprint follows the identity: the referenced document counts, its formatting does not.
        #expect(a.fingerprint != b.fingerprint)
        #expect(a.fingerprint == (try ParsedSchema(text, type: .json, references: ["a.json": #"{ "type" : "string" }"#])).fingerprint)
        #expect(try ParsedSchema(text, type: .json).fingerprint == (try ParsedSchema(text, type: .json, references: [:])).fingerprint)
    }

    @Test("a Protobuf fingerprint changes with an imported file")
    func protobufImportFingerprint() throws {
        let text = "syntax = \"proto3\";\nimport \"google.proto\";\nmessage TestMessage {\n  .io.confluent.demo.GoogleHome home = 1;\n}"
        let old = try ParsedSchema(text, type: .protobuf, references: ["google.proto": Self.home(package: "io.confluent.demo", deviceID: "int32")])
        let new = try ParsedSchema(text, type: .protobuf, references: ["google.proto": Self.home(package: "io.confluent.demo", deviceID: "string")])
        #expect(old.canonicalForm == new.canonicalForm)
        #expect(old.fingerprint != new.fingerprint)
    }

    // MARK: Protobuf

    private static func home(package: String, deviceID: String) -> String {
        "syntax = \"proto3\";\npackage \(package);\nmessage GoogleHome {\n  \(deviceID) deviceID = 1;\n  bool enabled = 2;\n}"
    }

    @Test("a Protobuf type from an import is compared through the imported file")
    func protobufImportChanged() throws {
        let text = "syntax = \"proto3\";\nimport \"google.proto\";\nmessage TestMessage {\n  .io.confluent.demo.GoogleHome home = 1;\n}"
        let old = try ParsedSchema(text, type: .protobuf, references: ["google.proto": Self.home(package: "io.confluent.demo", deviceID: "int32")])
        let new = try ParsedSchema(text, type: .protobuf, references: ["google.proto": Self.home(package: "io.confluent.demo", deviceID: "string")])
        #expect(describe(check(new, against: [old], level: .backward)) == ["FIELD_SCALAR_KIND_CHANGED #/GoogleHome/1", "FIELD_NAMED_TYPE_CHANGED #/TestMessage/1"])
    }

    @Test("an imported type whose package changed is still the same type")
    func protobufImportPackageChanged() throws {
        let old = try ParsedSchema(
            "syntax = \"proto3\";\nimport \"google.proto\";\nmessage TestMessage {\n  .io.confluent.demo.GoogleHome home = 1;\n}", type: .protobuf,
            references: ["google.proto": Self.home(package: "io.confluent.demo", deviceID: "int32")])
        let new = try ParsedSchema(
            "syntax = \"proto3\";\nimport \"google2.proto\";\nmessage TestMessage {\n  .io.confluent.demo2.GoogleHome home = 1;\n}", type: .protobuf,
            references: ["google2.proto": Self.home(package: "io.confluent.demo2", deviceID: "int64")])
        #expect(check(new, against: [old], level: .full).isEmpty)
    }

    @Test("a message moved into an import is removed; one moved out of an import is added")
    func protobufMoveToImport() throws {
        let local = try ParsedSchema(
            "syntax = \"proto3\";\nmessage TestMessage {\n  GoogleHome home = 1;\n}\nmessage GoogleHome {\n  int32 deviceID = 1;\n  bool enabled = 2;\n}",
            type: .protobuf)
        let imported = try ParsedSchema(
            "syntax = \"proto3\";\nimport \"google.proto\";\nmessage TestMessage {\n  .io.confluent.demo.GoogleHome home = 1;\n}", type: .protobuf,
            references: ["google.proto": Self.home(package: "io.confluent.demo", deviceID: "int32")])
        #expect(describe(check(imported, against: [local], level: .backward)) == ["MESSAGE_REMOVED #/GoogleHome"])
        #expect(check(local, against: [imported], level: .backward).isEmpty)
    }

    @Test("an imported enum is a scalar: read as int32 only when the import is known")
    func protobufImportedEnum() throws {
        let status = "syntax = \"proto3\";\npackage acme;\nenum Status { UNKNOWN = 0; ACTIVE = 1; }"
        let text = "syntax = \"proto3\";\nimport \"status.proto\";\nmessage M { acme.Status s = 1; }"
        let int32 = try ParsedSchema("syntax = \"proto3\";\nmessage M { int32 s = 1; }", type: .protobuf)
        let withImport = try ParsedSchema(text, type: .protobuf, references: ["status.proto": status])
        #expect(check(int32, against: [withImport], level: .full).isEmpty)
        let withoutImport = try ParsedSchema(text, type: .protobuf)
        #expect(describe(check(int32, against: [withoutImport], level: .backward)) == ["FIELD_KIND_CHANGED #/M/1"])
    }
}
