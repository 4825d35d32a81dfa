import SchemaCompatibility
import Testing

struct JSONSchemaCase: CustomTestStringConvertible, Sendable {
    var name: String
    var old: String
    var new: String
    /// Expected "RULE location" under BACKWARD (the new schema reads what the old one allowed).
    var backward: [String]
    var testDescription: String { name }
}

private func obj(_ props: String, required: String = "", additional: String? = nil) -> String {
    var s = #"{"type":"object","properties":{\#(props)}"#
    if !required.isEmpty { s += #","required":[\#(required)]"# }
    if let additional { s += #","additionalProperties":\#(additional)"# }
    return s + "}"
}

private let jsonCases: [JSONSchemaCase] = [
    .init(name: "an identical schema is compatible", old: obj(#""id":{"type":"integer"}"#), new: obj(#""id":{"type":"integer"}"#), backward: []),
    .init(name: "a property added to an open content model is incompatible", old: obj(#""id":{"type":"integer"}"#),
          new: obj(#""id":{"type":"integer"},"c":{"type":"string"}"#), backward: ["PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/c"]),
    .init(name: "an optional property added to a closed content model is compatible", old: obj(#""id":{"type":"integer"}"#, additional: "false"),
          new: obj(#""id":{"type":"integer"},"c":{"type":"string"}"#, additional: "false"), backward: []),
    .init(name: "a required property added to a closed content model is incompatible", old: obj(#""id":{"type":"integer"}"#, additional: "false"),
          new: obj(#""id":{"type":"integer"},"c":{"type":"string"}"#, required: #""c""#, additional: "false"),
          backward: ["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/c"]),
    .init(name: "a required property with a default added to a closed content model is compatible", old: obj(#""id":{"type":"integer"}"#, additional: "false"),
          new: obj(#""id":{"type":"integer"},"c":{"type":"string","default":"x"}"#, required: #""c""#, additional: "false"), backward: []),
    .init(name: "a property removed from an open content model is compatible", old: obj(#""id":{"type":"integer"},"c":{"type":"string"}"#),
          new: obj(#""id":{"type":"integer"}"#), backward: []),
    .init(name: "a property removed from a closed content model is incompatible",
          old: obj(#""id":{"type":"integer"},"c":{"type":"string"}"#, additional: "false"),
          new: obj(#""id":{"type":"integer"}"#, additional: "false"), backward: ["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/c"]),
    .init(name: "a property removed under a partially open model that covers it is compatible",
          old: obj(#""id":{"type":"integer"},"c":{"type":"string"}"#, additional: #"{"type":"string"}"#),
          new: obj(#""id":{"type":"integer"}"#, additional: #"{"type":"string"}"#), backward: []),
    .init(name: "a property removed under a partially open model that does not cover it is incompatible",
          old: obj(#""id":{"type":"integer"},"c":{"type":"integer"}"#, additional: #"{"type":"string"}"#),
          new: obj(#""id":{"type":"integer"}"#, additional: #"{"type":"string"}"#),
          backward: ["PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/c"]),
    .init(name: "a property becoming required is incompatible", old: obj(#""id":{"type":"integer"}"#),
          new: obj(#""id":{"type":"integer"}"#, required: #""id""#), backward: ["REQUIRED_ATTRIBUTE_ADDED #/required/id"]),
    .init(name: "a property no longer required is compatible", old: obj(#""id":{"type":"integer"}"#, required: #""id""#),
          new: obj(#""id":{"type":"integer"}"#), backward: []),
    .init(name: "integer widened to number is compatible", old: obj(#""n":{"type":"integer"}"#), new: obj(#""n":{"type":"number"}"#), backward: []),
    .init(name: "number narrowed to integer is incompatible", old: obj(#""n":{"type":"number"}"#), new: obj(#""n":{"type":"integer"}"#),
          backward: ["TYPE_NARROWED #/properties/n"]),
    .init(name: "string changed to integer is incompatible", old: obj(#""n":{"type":"string"}"#), new: obj(#""n":{"type":"integer"}"#),
          backward: ["TYPE_CHANGED #/properties/n"]),
    .init(name: "a type gaining null is compatible", old: obj(#""n":{"type":"string"}"#), new: obj(#""n":{"type":["string","null"]}"#), backward: []),
    .init(name: "an enum extended is compatible", old: #"{"enum":["a","b"]}"#, new: #"{"enum":["a","b","c"]}"#, backward: []),
    .init(name: "an enum narrowed is incompatible", old: #"{"enum":["a","b"]}"#, new: #"{"enum":["a"]}"#, backward: ["ENUM_ARRAY_NARROWED #/enum"]),
    .init(name: "an enum changed is incompatible", old: #"{"enum":["a","b"]}"#, new: #"{"enum":["a","c"]}"#, backward: ["ENUM_ARRAY_CHANGED #/enum"]),
    .init(name: "maxLength added is incompatible", old: #"{"type":"string"}"#, new: #"{"type":"string","maxLength":5}"#, backward: ["MAX_LENGTH_ADDED #/maxLength"]),
    .init(name: "maxLength decreased is incompatible", old: #"{"type":"string","maxLength":9}"#, new: #"{"type":"string","maxLength":5}"#,
          backward: ["MAX_LENGTH_DECREASED #/maxLength"]),
    .init(name: "maxLength increased is compatible", old: #"{"type":"string","maxLength":5}"#, new: #"{"type":"string","maxLength":9}"#, backward: []),
    .init(name: "minimum increased is incompatible", old: #"{"type":"number","minimum":0}"#, new: #"{"type":"number","minimum":1}"#,
          backward: ["MINIMUM_INCREASED #/minimum"]),
    .init(name: "minimum removed is compatible", old: #"{"type":"number","minimum":0}"#, new: #"{"type":"number"}"#, backward: []),
    .init(name: "pattern added is incompatible", old: #"{"type":"string"}"#, new: #"{"type":"string","pattern":"^a"}"#, backward: ["PATTERN_ADDED #/pattern"]),
    .init(name: "multipleOf expanded is incompatible", old: #"{"type":"integer","multipleOf":2}"#, new: #"{"type":"integer","multipleOf":4}"#,
          backward: ["MULTIPLE_OF_EXPANDED #/multipleOf"]),
    .init(name: "multipleOf reduced is compatible", old: #"{"type":"integer","multipleOf":4}"#, new: #"{"type":"integer","multipleOf":2}"#, backward: []),
    .init(name: "array items are compared", old: #"{"type":"array","items":{"type":"number"}}"#, new: #"{"type":"array","items":{"type":"integer"}}"#,
          backward: ["TYPE_NARROWED #/items"]),
    .init(name: "maxItems added is incompatible", old: #"{"type":"array"}"#, new: #"{"type":"array","maxItems":3}"#, backward: ["MAX_ITEMS_ADDED #/maxItems"]),
    .init(name: "uniqueItems added is incompatible", old: #"{"type":"array"}"#, new: #"{"type":"array","uniqueItems":true}"#,
          backward: ["UNIQUE_ITEMS_ADDED #/uniqueItems"]),
    .init(name: "additionalProperties removed is incompatible", old: obj(#""id":{"type":"integer"}"#),
          new: obj(#""id":{"type":"integer"}"#, additional: "false"), backward: ["ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"]),
    .init(name: "a oneOf gaining an alternative is compatible", old: #"{"oneOf":[{"type":"string"}]}"#,
          new: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#, backward: []),
    .init(name: "a oneOf losing an alternative is incompatible", old: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
          new: #"{"oneOf":[{"type":"string"}]}"#, backward: ["SUM_TYPE_NARROWED #/"]),
    .init(name: "local references are followed",
          old: ##"{"type":"object","properties":{"a":{"$ref":"#/definitions/A"}},"definitions":{"A":{"type":"number"}}}"##,
          new: ##"{"type":"object","properties":{"a":{"$ref":"#/definitions/A"}},"definitions":{"A":{"type":"integer"}}}"##,
          backward: ["TYPE_NARROWED #/properties/a"]),
    .init(name: "recursive references terminate",
          old: ##"{"$ref":"#/definitions/N","definitions":{"N":{"type":"object","properties":{"next":{"$ref":"#/definitions/N"}}}}}"##,
          new: ##"{"$ref":"#/definitions/N","definitions":{"N":{"type":"object","properties":{"next":{"$ref":"#/definitions/N"}}}}}"##,
          backward: []),
]

@Suite("JSON Schema compatibility")
struct JSONSchemaCompatibilityTests {
    @Test("changes are judged as Confluent's registry judges them", arguments: jsonCases)
    func backward(_ c: JSONSchemaCase) throws {
        let old = try ParsedSchema(c.old, type: .json)
        let new = try ParsedSchema(c.new, type: .json)
        #expect(check(new, against: [old], level: .backward).map { "\($0.rule) \($0.location)" } == c.backward)
    }

    @Test("removing a property from an open model breaks FORWARD, as the registry reports")
    func forwardRemoval() throws {
        let old = try ParsedSchema(obj(#""id":{"type":"integer"},"c":{"type":"string"}"#), type: .json)
        let new = try ParsedSchema(obj(#""id":{"type":"integer"}"#), type: .json)
        let found = check(new, against: [old], level: .full)
        #expect(found.map { "\($0.rule) \($0.location) \($0.direction)" } == ["PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/c oldReadsNew"])
    }
}
