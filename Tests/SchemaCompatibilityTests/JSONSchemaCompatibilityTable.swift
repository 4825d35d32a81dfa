import SchemaCompatibility
import Testing

// Expectations follow Confluent Schema Registry's JSON Schema rules (json-schema-provider
// `diff/*SchemaDiff.java` and `Difference.Type`): a change is compatible when the reader
// schema accepts every document the writer schema accepts. BACKWARD compares old (original)
// to new (update); FORWARD compares new (original) to old (update). Locations are
// Confluent's `#/...` paths; a change of a combined schema (oneOf/anyOf/allOf, or a list of
// types, which the registry reads as anyOf) is reported at the combined schema itself.
//
// Where the registry's model and the JSON Schema specification differ, the specification
// wins and the row says so.

private func obj(_ props: String, required: String = "", additional: String? = nil, extra: String = "") -> String {
    var s = #"{"type":"object","properties":{\#(props)}"#
    if !required.isEmpty { s += #","required":[\#(required)]"# }
    if let additional { s += #","additionalProperties":\#(additional)"# }
    return s + extra + "}"
}

private func prop(_ type: String, _ extra: String = "") -> String { #"{"type":\#(type)\#(extra)}"# }
private func str(_ extra: String = "") -> String { #"{"type":"string"\#(extra)}"# }
private func num(_ extra: String = "") -> String { #"{"type":"number"\#(extra)}"# }
private func arr(_ extra: String = "") -> String { #"{"type":"array"\#(extra)}"# }

private let id = #""id":{"type":"integer"}"#
private let c = #""c":{"type":"string"}"#
private let fooBar = #""foo":{"type":"string"},"bar":{"type":"string"}"#
private let patterns = #","patternProperties":{"^S_":{"type":"string"}}"#

let jsonSchemaTable: [CompatibilityRow] = [
    // Content models. Open (additionalProperties absent or true): the old schema accepted any
    // property, so a new property with a schema narrows what is accepted.
    .init("identical schemas", old: obj(id), new: obj(id), backward: nil, forward: nil),
    .init("a property added to an open model", old: obj(id), new: obj("\(id),\(c)"),
          backward: "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/c", forward: nil),
    .init("a property removed from an open model", old: obj("\(id),\(c)"), new: obj(id),
          backward: nil, forward: "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/c"),
    .init("a property with an empty schema added to an open model", old: obj(id), new: obj(#"\#(id),"c":{}"#), backward: nil, forward: nil),
    .init("a property with a true schema added to an open model", old: obj(id), new: obj(#"\#(id),"c":true"#), backward: nil, forward: nil),
    .init("a property added to a model that is open by additionalProperties true", old: obj(id, additional: "true"),
          new: obj("\(id),\(c)", additional: "true"), backward: "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/c", forward: nil),
    // Closed (additionalProperties false): the old schema rejected unknown properties.
    .init("an optional property added to a closed model", old: obj(id, additional: "false"), new: obj("\(id),\(c)", additional: "false"),
          backward: nil, forward: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/c"),
    .init("a required property added to a closed model", old: obj(id, additional: "false"),
          new: obj("\(id),\(c)", required: #""c""#, additional: "false"),
          backward: "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/c", forward: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/c"),
    .init("a required property with a default added to a closed model", old: obj(id, additional: "false"),
          new: obj(#"\#(id),"c":{"type":"string","default":"x"}"#, required: #""c""#, additional: "false"),
          backward: nil, forward: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/c"),
    .init("a property removed from a closed model", old: obj("\(id),\(c)", additional: "false"), new: obj(id, additional: "false"),
          backward: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/c", forward: nil),
    .init("a false property removed from a closed model", old: obj(#"\#(id),"c":false"#, additional: "false"), new: obj(id, additional: "false"),
          backward: nil, forward: nil),
    .init("a closed model opened", old: obj(id, additional: "false"), new: obj(id),
          backward: nil, forward: "ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"),
    .init("an open model closed", old: obj(id), new: obj(id, additional: "false"),
          backward: "ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties", forward: nil),
    .init("additionalProperties narrowed to a schema", old: obj(id, additional: "true"), new: obj(id, additional: str()),
          backward: "ADDITIONAL_PROPERTIES_NARROWED #/additionalProperties", forward: nil),
    .init("additionalProperties schema changed", old: obj(id, additional: str()), new: obj(id, additional: num()),
          backward: "TYPE_CHANGED #/additionalProperties", forward: "TYPE_CHANGED #/additionalProperties"),
    .init("additionalProperties schema widened from integer to number", old: obj(id, additional: prop(#""integer""#)), new: obj(id, additional: num()),
          backward: nil, forward: "TYPE_NARROWED #/additionalProperties"),
    // Partially open (additionalProperties is a schema, or patternProperties): a property
    // added or removed must be covered by that schema.
    .init("a covered property added to a partially open model", old: obj(#""foo":{"type":"string"}"#, additional: str()),
          new: obj(fooBar, additional: str()), backward: nil, forward: nil),
    .init("an uncovered property added to a partially open model", old: obj(#""foo":{"type":"string"}"#, additional: str()),
          new: obj(#""foo":{"type":"string"},"bar":{"type":"number"}"#, additional: str()),
          backward: "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/bar",
          forward: "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/bar"),
    .init("a covered property removed from a partially open model", old: obj(fooBar, additional: str()),
          new: obj(#""foo":{"type":"string"}"#, additional: str()), backward: nil, forward: nil),
    .init("an uncovered property removed from a partially open model", old: obj(#""foo":{"type":"string"},"bar":{"type":"integer"}"#, additional: str()),
          new: obj(#""foo":{"type":"string"}"#, additional: str()),
          backward: "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/bar",
          forward: "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/bar"),
    .init("a required covered property added to a partially open model", old: obj(#""foo":{"type":"string"}"#, additional: str()),
          new: obj(fooBar, required: #""bar""#, additional: str()),
          backward: "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/bar", forward: nil),
    .init("a closed model made partially open while removing a covered property", old: obj(fooBar, additional: "false"),
          new: obj(#""foo":{"type":"string"}"#, additional: str()),
          backward: nil, forward: "ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"),
    .init("a property matching a patternProperties schema added", old: obj(#""foo":{"type":"string"}"#, additional: "false", extra: patterns),
          new: obj(#""foo":{"type":"string"},"S_x":{"type":"string"}"#, additional: "false", extra: patterns), backward: nil, forward: nil),
    .init("a property matching a pattern but not its schema added", old: obj(#""foo":{"type":"string"}"#, additional: "false", extra: patterns),
          new: obj(#""foo":{"type":"string"},"S_x":{"type":"integer"}"#, additional: "false", extra: patterns),
          backward: "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/S_x",
          forward: "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/S_x"),
    .init("a property matching no pattern added to a closed model with patterns", old: obj(#""foo":{"type":"string"}"#, additional: "false", extra: patterns),
          new: obj(#""foo":{"type":"string"},"other":{"type":"string"}"#, additional: "false", extra: patterns),
          backward: nil, forward: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/other"),
    // With patternProperties but additionalProperties absent, a property matching no pattern
    // falls to the open additionalProperties (JSON Schema validation §10.3.2.3); the registry
    // treats it as closed instead.
    .init("a property matching no pattern added where additionalProperties is open", old: obj(#""foo":{"type":"string"}"#, extra: patterns),
          new: obj(#""foo":{"type":"string"},"other":{"type":"string"}"#, extra: patterns),
          backward: "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/other", forward: nil),

    // required
    .init("an existing property becomes required", old: obj(id), new: obj(id, required: #""id""#),
          backward: "REQUIRED_ATTRIBUTE_ADDED #/required/id", forward: nil),
    .init("a property is no longer required", old: obj(id, required: #""id""#), new: obj(id),
          backward: nil, forward: "REQUIRED_ATTRIBUTE_ADDED #/required/id"),
    .init("an existing property with a default becomes required", old: obj(id), new: obj(#""id":{"type":"integer","default":0}"#, required: #""id""#),
          backward: nil, forward: nil),
    .init("a nested property becomes required", old: obj(#""addr":\#(obj(#""zip":{"type":"string"}"#))"#),
          new: obj(#""addr":\#(obj(#""zip":{"type":"string"}"#, required: #""zip""#))"#),
          backward: "REQUIRED_ATTRIBUTE_ADDED #/properties/addr/required/zip", forward: nil),
    .init("a property removed from a nested closed model", old: obj(#""addr":\#(obj(#""zip":{"type":"string"},"city":{"type":"string"}"#, additional: "false"))"#),
          new: obj(#""addr":\#(obj(#""city":{"type":"string"}"#, additional: "false"))"#),
          backward: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/addr/properties/zip", forward: nil),

    // Types: integer is a subset of number; a list of types is a sum of its members.
    .init("a property type changed from string to integer", old: obj(#""n":{"type":"string"}"#), new: obj(#""n":{"type":"integer"}"#),
          backward: "TYPE_CHANGED #/properties/n", forward: "TYPE_CHANGED #/properties/n"),
    .init("integer widened to number", old: obj(#""n":{"type":"integer"}"#), new: obj(#""n":{"type":"number"}"#),
          backward: nil, forward: "TYPE_NARROWED #/properties/n"),
    .init("number narrowed to integer", old: obj(#""n":{"type":"number"}"#), new: obj(#""n":{"type":"integer"}"#),
          backward: "TYPE_NARROWED #/properties/n", forward: nil),
    .init("a type gains null", old: obj(#""n":{"type":"string"}"#), new: obj(#""n":{"type":["string","null"]}"#),
          backward: nil, forward: "TYPE_CHANGED #/properties/n"),
    .init("a list of types gains a member", old: obj(#""n":{"type":["string","null"]}"#), new: obj(#""n":{"type":["string","null","integer"]}"#),
          backward: nil, forward: "SUM_TYPE_NARROWED #/properties/n"),
    .init("a list of types swaps a member", old: obj(#""n":{"type":["string","integer"]}"#), new: obj(#""n":{"type":["string","boolean"]}"#),
          backward: "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/properties/n", forward: "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/properties/n"),
    .init("a single type replaced by a list without it", old: obj(#""n":{"type":"string"}"#), new: obj(#""n":{"type":["integer","null"]}"#),
          backward: "TYPE_CHANGED #/properties/n", forward: "TYPE_CHANGED #/properties/n"),
    .init("object changed to array", old: #"{"type":"object"}"#, new: #"{"type":"array"}"#, backward: "TYPE_CHANGED #/", forward: "TYPE_CHANGED #/"),
    .init("boolean changed to string", old: #"{"type":"boolean"}"#, new: #"{"type":"string"}"#, backward: "TYPE_CHANGED #/", forward: "TYPE_CHANGED #/"),
    .init("null widened to a list with string", old: #"{"type":"null"}"#, new: #"{"type":["null","string"]}"#,
          backward: nil, forward: "TYPE_CHANGED #/"),
    .init("integer widened to a list with number", old: #"{"type":"integer"}"#, new: #"{"type":["number","null"]}"#,
          backward: nil, forward: "TYPE_CHANGED #/"),
    .init("a bounded integer becomes a bounded number", old: #"{"type":"integer","maximum":10}"#, new: #"{"type":"number","maximum":10}"#,
          backward: nil, forward: "TYPE_NARROWED #/"),
    // The registry calls the reverse direction TYPE_CHANGED (an empty schema against an object
    // schema); the specification's term for accepting fewer documents is narrowing.
    .init("anything may become the empty schema", old: obj(id, required: #""id""#, additional: "false"), new: "{}", backward: nil,
          forward: "TYPE_NARROWED #/"),

    // String bounds.
    .init("maxLength added", old: str(), new: str(#","maxLength":5"#), backward: "MAX_LENGTH_ADDED #/maxLength", forward: nil),
    .init("maxLength decreased", old: str(#","maxLength":9"#), new: str(#","maxLength":5"#), backward: "MAX_LENGTH_DECREASED #/maxLength", forward: nil),
    .init("maxLength increased", old: str(#","maxLength":5"#), new: str(#","maxLength":9"#), backward: nil, forward: "MAX_LENGTH_DECREASED #/maxLength"),
    .init("minLength added", old: str(), new: str(#","minLength":2"#), backward: "MIN_LENGTH_ADDED #/minLength", forward: nil),
    .init("minLength increased", old: str(#","minLength":1"#), new: str(#","minLength":3"#), backward: "MIN_LENGTH_INCREASED #/minLength", forward: nil),
    .init("minLength decreased", old: str(#","minLength":3"#), new: str(#","minLength":1"#), backward: nil, forward: "MIN_LENGTH_INCREASED #/minLength"),
    .init("pattern added", old: str(), new: str(#","pattern":"^a""#), backward: "PATTERN_ADDED #/pattern", forward: nil),
    .init("pattern changed", old: str(#","pattern":"^a""#), new: str(#","pattern":"^b""#), backward: "PATTERN_CHANGED #/pattern", forward: "PATTERN_CHANGED #/pattern"),
    .init("pattern removed", old: str(#","pattern":"^a""#), new: str(), backward: nil, forward: "PATTERN_ADDED #/pattern"),
    .init("format added (an annotation the registry does not compare)", old: str(), new: str(#","format":"email""#), backward: nil, forward: nil),

    // Number bounds.
    .init("maximum added", old: num(), new: num(#","maximum":10"#), backward: "MAXIMUM_ADDED #/maximum", forward: nil),
    .init("maximum decreased", old: num(#","maximum":10"#), new: num(#","maximum":5"#), backward: "MAXIMUM_DECREASED #/maximum", forward: nil),
    .init("maximum increased", old: num(#","maximum":5"#), new: num(#","maximum":10"#), backward: nil, forward: "MAXIMUM_DECREASED #/maximum"),
    .init("minimum added", old: num(), new: num(#","minimum":0"#), backward: "MINIMUM_ADDED #/minimum", forward: nil),
    .init("minimum increased", old: num(#","minimum":0"#), new: num(#","minimum":1"#), backward: "MINIMUM_INCREASED #/minimum", forward: nil),
    .init("minimum decreased", old: num(#","minimum":1"#), new: num(#","minimum":0"#), backward: nil, forward: "MINIMUM_INCREASED #/minimum"),
    .init("exclusiveMaximum added", old: num(), new: num(#","exclusiveMaximum":100"#), backward: "EXCLUSIVE_MAXIMUM_ADDED #/exclusiveMaximum", forward: nil),
    .init("exclusiveMinimum increased", old: num(#","exclusiveMinimum":0"#), new: num(#","exclusiveMinimum":5"#),
          backward: "EXCLUSIVE_MINIMUM_INCREASED #/exclusiveMinimum", forward: nil),
    .init("multipleOf added", old: num(), new: num(#","multipleOf":2"#), backward: "MULTIPLE_OF_ADDED #/multipleOf", forward: nil),
    .init("multipleOf expanded", old: num(#","multipleOf":2"#), new: num(#","multipleOf":4"#), backward: "MULTIPLE_OF_EXPANDED #/multipleOf", forward: nil),
    .init("multipleOf changed", old: num(#","multipleOf":10"#), new: num(#","multipleOf":11"#),
          backward: "MULTIPLE_OF_CHANGED #/multipleOf", forward: "MULTIPLE_OF_CHANGED #/multipleOf"),
    .init("multipleOf removed", old: num(#","multipleOf":2"#), new: num(), backward: nil, forward: "MULTIPLE_OF_ADDED #/multipleOf"),

    // Enums.
    .init("an enum extended", old: #"{"enum":["a","b"]}"#, new: #"{"enum":["a","b","c"]}"#, backward: nil, forward: "ENUM_ARRAY_NARROWED #/enum"),
    .init("an enum narrowed", old: #"{"enum":["a","b"]}"#, new: #"{"enum":["a"]}"#, backward: "ENUM_ARRAY_NARROWED #/enum", forward: nil),
    .init("an enum changed", old: #"{"enum":["a","b"]}"#, new: #"{"enum":["a","c"]}"#,
          backward: "ENUM_ARRAY_CHANGED #/enum", forward: "ENUM_ARRAY_CHANGED #/enum"),
    .init("an enum reordered", old: #"{"enum":["a","b"]}"#, new: #"{"enum":["b","a"]}"#, backward: nil, forward: nil),
    // The registry reads {type, enum} as allOf(type, enum) and reports a product-type change;
    // the checker names the keyword that narrows.
    .init("an enum added to a string", old: str(), new: str(#","enum":["a"]"#), backward: "ENUM_ARRAY_NARROWED #/enum", forward: nil),
    .init("an enum removed from a string", old: str(#","enum":["a"]"#), new: str(), backward: nil, forward: "ENUM_ARRAY_NARROWED #/enum"),
    .init("a numeric enum extended", old: #"{"enum":[1,2]}"#, new: #"{"enum":[1,2,3]}"#, backward: nil, forward: "ENUM_ARRAY_NARROWED #/enum"),

    // Arrays.
    .init("items widened from integer to number", old: arr(#","items":{"type":"integer"}"#), new: arr(#","items":{"type":"number"}"#),
          backward: nil, forward: "TYPE_NARROWED #/items"),
    .init("items narrowed from number to integer", old: arr(#","items":{"type":"number"}"#), new: arr(#","items":{"type":"integer"}"#),
          backward: "TYPE_NARROWED #/items", forward: nil),
    .init("items changed from string to integer", old: arr(#","items":{"type":"string"}"#), new: arr(#","items":{"type":"integer"}"#),
          backward: "TYPE_CHANGED #/items", forward: "TYPE_CHANGED #/items"),
    .init("an items schema added", old: arr(), new: arr(#","items":{"type":"string"}"#), backward: "SCHEMA_ADDED #/items", forward: nil),
    .init("an items schema removed", old: arr(#","items":{"type":"string"}"#), new: arr(), backward: nil, forward: "SCHEMA_ADDED #/items"),
    .init("maxItems added", old: arr(), new: arr(#","maxItems":3"#), backward: "MAX_ITEMS_ADDED #/maxItems", forward: nil),
    .init("maxItems decreased", old: arr(#","maxItems":5"#), new: arr(#","maxItems":3"#), backward: "MAX_ITEMS_DECREASED #/maxItems", forward: nil),
    .init("minItems increased", old: arr(#","minItems":1"#), new: arr(#","minItems":2"#), backward: "MIN_ITEMS_INCREASED #/minItems", forward: nil),
    .init("minItems removed", old: arr(#","minItems":1"#), new: arr(), backward: nil, forward: "MIN_ITEMS_ADDED #/minItems"),
    .init("uniqueItems added", old: arr(), new: arr(#","uniqueItems":true"#), backward: "UNIQUE_ITEMS_ADDED #/uniqueItems", forward: nil),
    .init("uniqueItems removed", old: arr(#","uniqueItems":true"#), new: arr(), backward: nil, forward: "UNIQUE_ITEMS_ADDED #/uniqueItems"),
    .init("a tuple item added to an open tuple", old: arr(#","items":[{"type":"string"}]"#), new: arr(#","items":[{"type":"string"},{"type":"number"}]"#),
          backward: "ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1", forward: nil),
    .init("a tuple item added to a closed tuple", old: arr(#","items":[{"type":"string"}],"additionalItems":false"#),
          new: arr(#","items":[{"type":"string"},{"type":"number"}],"additionalItems":false"#),
          backward: nil, forward: "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1"),
    .init("a tuple item removed from a closed tuple", old: arr(#","items":[{"type":"string"},{"type":"number"}],"additionalItems":false"#),
          new: arr(#","items":[{"type":"string"}],"additionalItems":false"#),
          backward: "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1", forward: nil),
    .init("a tuple item type changed", old: arr(#","items":[{"type":"string"}]"#), new: arr(#","items":[{"type":"number"}]"#),
          backward: "TYPE_CHANGED #/items/0", forward: "TYPE_CHANGED #/items/0"),
    .init("a covered tuple item added to a partially open tuple",
          old: arr(#","items":[{"type":"string"},{"type":"number"}],"additionalItems":{"type":"string"}"#),
          new: arr(#","items":[{"type":"string"},{"type":"number"},{"type":"string"}],"additionalItems":{"type":"string"}"#),
          backward: nil, forward: nil),
    .init("an uncovered tuple item added to a partially open tuple",
          old: arr(#","items":[{"type":"string"},{"type":"number"}],"additionalItems":{"type":"string"}"#),
          new: arr(#","items":[{"type":"string"},{"type":"number"},{"type":"number"}],"additionalItems":{"type":"string"}"#),
          backward: "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/2",
          forward: "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/2"),
    .init("additionalItems removed from a tuple", old: arr(#","items":[{"type":"string"}]"#), new: arr(#","items":[{"type":"string"}],"additionalItems":false"#),
          backward: "ADDITIONAL_ITEMS_REMOVED #/additionalItems", forward: nil),
    .init("additionalItems narrowed to a schema", old: arr(#","items":[{"type":"string"}],"additionalItems":true"#),
          new: arr(#","items":[{"type":"string"}],"additionalItems":{"type":"string"}"#),
          backward: "ADDITIONAL_ITEMS_NARROWED #/additionalItems", forward: nil),
    .init("additionalItems schema changed", old: arr(#","items":[{"type":"string"}],"additionalItems":{"type":"string"}"#),
          new: arr(#","items":[{"type":"string"}],"additionalItems":{"type":"number"}"#),
          backward: "TYPE_CHANGED #/additionalItems", forward: "TYPE_CHANGED #/additionalItems"),
    .init("a property added to the open objects of an array", old: arr(#","items":\#(obj(#""a":{"type":"string"}"#))"#),
          new: arr(#","items":\#(obj(#""a":{"type":"string"},"b":{"type":"string"}"#))"#),
          backward: "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/items/properties/b", forward: nil),

    // Combined schemas: alternatives are matched by a maximum matching of compatible pairs,
    // not by position. A sum (oneOf/anyOf) may grow, a product (allOf) may shrink.
    .init("a oneOf gains an alternative", old: #"{"oneOf":[{"type":"string"}]}"#, new: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
          backward: nil, forward: "SUM_TYPE_NARROWED #/"),
    .init("a oneOf loses an alternative", old: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#, new: #"{"oneOf":[{"type":"string"}]}"#,
          backward: "SUM_TYPE_NARROWED #/", forward: nil),
    .init("oneOf alternatives reordered", old: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
          new: #"{"oneOf":[{"type":"integer"},{"type":"string"}]}"#, backward: nil, forward: nil),
    .init("a oneOf alternative replaced", old: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
          new: #"{"oneOf":[{"type":"boolean"},{"type":"integer"}]}"#,
          backward: "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/", forward: "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"),
    .init("an anyOf gains an alternative", old: #"{"anyOf":[{"type":"string"}]}"#, new: #"{"anyOf":[{"type":"string"},{"type":"null"}]}"#,
          backward: nil, forward: "SUM_TYPE_NARROWED #/"),
    .init("an allOf gains a member", old: #"{"allOf":[{"type":"string"}]}"#, new: #"{"allOf":[{"type":"string"},{"maxLength":5}]}"#,
          backward: "PRODUCT_TYPE_EXTENDED #/", forward: nil),
    .init("oneOf becomes anyOf", old: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#, new: #"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#,
          backward: nil, forward: "COMBINED_TYPE_CHANGED #/"),
    .init("allOf becomes anyOf", old: #"{"allOf":[{"type":"string"},{"maxLength":5}]}"#, new: #"{"anyOf":[{"type":"string"},{"maxLength":5}]}"#,
          backward: nil, forward: "COMBINED_TYPE_CHANGED #/"),
    .init("oneOf becomes allOf", old: #"{"oneOf":[{"type":"string"},{"maxLength":5}]}"#, new: #"{"allOf":[{"type":"string"},{"maxLength":5}]}"#,
          backward: "COMBINED_TYPE_CHANGED #/", forward: "COMBINED_TYPE_CHANGED #/"),
    .init("a singleton anyOf becomes a wider oneOf", old: #"{"anyOf":[{"type":"string"}]}"#, new: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
          backward: nil, forward: "SUM_TYPE_NARROWED #/"),
    .init("a type becomes a oneOf containing it", old: str(), new: #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#,
          backward: nil, forward: "TYPE_CHANGED #/"),
    .init("a type becomes a oneOf without it", old: str(), new: #"{"oneOf":[{"type":"integer"},{"type":"boolean"}]}"#,
          backward: "TYPE_CHANGED #/", forward: "TYPE_CHANGED #/"),
    .init("a singleton oneOf unwrapped", old: #"{"oneOf":[{"type":"string"}]}"#, new: str(), backward: nil, forward: nil),
    .init("an object alternative gains a property", old: #"{"oneOf":[\#(obj(#""a":{"type":"string"}"#))]}"#,
          new: #"{"oneOf":[\#(obj(#""a":{"type":"string"},"b":{"type":"string"}"#))]}"#,
          backward: "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/", forward: nil),
    .init("a oneOf inside a property loses an alternative", old: obj(#""v":{"oneOf":[{"type":"string"},{"type":"integer"}]}"#),
          new: obj(#""v":{"oneOf":[{"type":"string"}]}"#), backward: "SUM_TYPE_NARROWED #/properties/v", forward: nil),
    .init("not narrowed", old: #"{"not":{"type":"number"}}"#, new: #"{"not":{"type":"integer"}}"#, backward: nil, forward: "NOT_TYPE_EXTENDED #/not"),

    // dependencies
    .init("a property dependency added", old: obj(fooBar), new: obj(fooBar, extra: #","dependencies":{"foo":["bar"]}"#),
          backward: "DEPENDENCY_ARRAY_ADDED #/dependencies/foo", forward: nil),
    .init("a property dependency extended", old: obj(#"\#(fooBar),"baz":{"type":"string"}"#, extra: #","dependencies":{"foo":["bar"]}"#),
          new: obj(#"\#(fooBar),"baz":{"type":"string"}"#, extra: #","dependencies":{"foo":["bar","baz"]}"#),
          backward: "DEPENDENCY_ARRAY_EXTENDED #/dependencies/foo", forward: nil),
    .init("a schema dependency added", old: obj(fooBar), new: obj(fooBar, extra: #","dependencies":{"foo":{"required":["bar"]}}"#),
          backward: "DEPENDENCY_SCHEMA_ADDED #/dependencies/foo", forward: nil),

    // $ref: references are followed, recursion ends.
    .init("a referenced definition narrowed",
          old: ##"{"type":"object","properties":{"a":{"$ref":"#/definitions/A"}},"definitions":{"A":{"type":"number"}}}"##,
          new: ##"{"type":"object","properties":{"a":{"$ref":"#/definitions/A"}},"definitions":{"A":{"type":"integer"}}}"##,
          backward: "TYPE_NARROWED #/properties/a", forward: nil),
    .init("an inline schema moved into a definition", old: obj(#""a":{"type":"string"}"#),
          new: ##"{"type":"object","properties":{"a":{"$ref":"#/definitions/A"}},"definitions":{"A":{"type":"string"}}}"##,
          backward: nil, forward: nil),
    .init("a referenced item type changed",
          old: ##"{"type":"array","items":{"$ref":"#/definitions/I"},"definitions":{"I":{"type":"string"}}}"##,
          new: ##"{"type":"array","items":{"$ref":"#/definitions/I"},"definitions":{"I":{"type":"number"}}}"##,
          backward: "TYPE_CHANGED #/items", forward: "TYPE_CHANGED #/items"),
    .init("a $defs root gains an open property",
          old: ##"{"$ref":"#/$defs/A","$defs":{"A":{"type":"object","properties":{"a":{"type":"string"}}}}}"##,
          new: ##"{"$ref":"#/$defs/A","$defs":{"A":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}}}}}"##,
          backward: "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b", forward: nil),
    .init("a recursive schema's value widened",
          old: ##"{"$ref":"#/definitions/N","definitions":{"N":{"type":"object","properties":{"value":{"type":"integer"},"next":{"$ref":"#/definitions/N"}}}}}"##,
          new: ##"{"$ref":"#/definitions/N","definitions":{"N":{"type":"object","properties":{"value":{"type":"number"},"next":{"$ref":"#/definitions/N"}}}}}"##,
          backward: nil, forward: "TYPE_NARROWED #/properties/value"),

    // Object-wide bounds and annotations.
    .init("maxProperties added", old: obj(id), new: obj(id, extra: #","maxProperties":3"#), backward: "MAX_PROPERTIES_ADDED #/maxProperties", forward: nil),
    .init("minProperties increased", old: obj(id, extra: #","minProperties":1"#), new: obj(id, extra: #","minProperties":2"#),
          backward: "MIN_PROPERTIES_INCREASED #/minProperties", forward: nil),
    .init("title and description changed", old: obj(id, extra: #","title":"a","description":"b""#), new: obj(id, extra: #","title":"c","description":"d""#),
          backward: nil, forward: nil),
    .init("a default changed", old: obj(#""id":{"type":"integer","default":1}"#), new: obj(#""id":{"type":"integer","default":2}"#),
          backward: nil, forward: nil),
]

let jsonSchemaTransitiveTable: [TransitiveRow] = [
    .init("a type narrowed in an earlier version", history: [obj(#""n":{"type":"number"}"#), obj(#""n":{"type":"integer"}"#)],
          new: obj(#""n":{"type":"integer"}"#, extra: #","title":"t""#), backward: "TYPE_NARROWED #/properties/n @0", forward: nil),
    .init("maxLength decreased in an earlier version", history: [str(#","maxLength":10"#), str(#","maxLength":5"#)],
          new: str(#","maxLength":5,"description":"x""#), backward: "MAX_LENGTH_DECREASED #/maxLength @0", forward: nil),
    .init("an enum narrowed in an earlier version", history: [#"{"enum":["a","b","c"]}"#, #"{"enum":["a","b"]}"#], new: #"{"enum":["b","a"]}"#,
          backward: "ENUM_ARRAY_NARROWED #/enum @0", forward: nil),
    .init("a property made required in an earlier version", history: [obj(id), obj(id, required: #""id""#)],
          new: obj(id, required: #""id""#, extra: #","title":"t""#), backward: "REQUIRED_ATTRIBUTE_ADDED #/required/id @0", forward: nil),
    .init("a property removed from a closed model earlier", history: [obj("\(id),\(c)", additional: "false"), obj(id, additional: "false")],
          new: obj(id, additional: "false", extra: #","title":"t""#), backward: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/c @0", forward: nil),
    .init("a property added to an open model earlier", history: [obj(id), obj("\(id),\(c)")], new: obj("\(id),\(c)", extra: #","title":"t""#),
          backward: "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/c @0", forward: nil),
    .init("a property removed from an open model earlier", history: [obj("\(id),\(c)"), obj(id)], new: obj(id, extra: #","title":"t""#),
          backward: nil, forward: "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/c @0"),
    .init("minimum increased in an earlier version", history: [num(#","minimum":0"#), num(#","minimum":5"#)], new: num(#","minimum":5,"title":"t""#),
          backward: "MINIMUM_INCREASED #/minimum @0", forward: nil),
    .init("a oneOf narrowed in an earlier version",
          history: [#"{"oneOf":[{"type":"string"},{"type":"integer"},{"type":"boolean"}]}"#, #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#],
          new: #"{"oneOf":[{"type":"integer"},{"type":"string"}]}"#, backward: "SUM_TYPE_NARROWED #/ @0", forward: nil),
    .init("array items narrowed in an earlier version", history: [arr(#","items":{"type":"number"}"#), arr(#","items":{"type":"integer"}"#)],
          new: arr(#","items":{"type":"integer"},"title":"t""#), backward: "TYPE_NARROWED #/items @0", forward: nil),
    .init("a type changed in an earlier version", history: [obj(#""n":{"type":"string"}"#), obj(#""n":{"type":"integer"}"#)],
          new: obj(#""n":{"type":"integer","title":"t"}"#), backward: "TYPE_CHANGED #/properties/n @0", forward: "TYPE_CHANGED #/properties/n @0"),
    .init("a model closed in an earlier version", history: [obj(id), obj(id, additional: "false")], new: obj(id, additional: "false", extra: #","title":"t""#),
          backward: "ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties @0", forward: nil),
    .init("a pattern removed in an earlier version", history: [str(#","pattern":"^a""#), str()], new: str(#","title":"t""#),
          backward: nil, forward: "PATTERN_ADDED #/pattern @0"),
    .init("the failing version is in the middle", history: [obj(#""n":{"type":"integer"}"#), obj(#""n":{"type":"string"}"#), obj(#""n":{"type":"integer"}"#)],
          new: obj(#""n":{"type":"integer"}"#, extra: #","title":"t""#),
          backward: "TYPE_CHANGED #/properties/n @1", forward: "TYPE_CHANGED #/properties/n @1"),
    .init("FULL_TRANSITIVE reports the oldest version first", history: [str(#","maxLength":5"#), str(#","maxLength":20"#), str(#","maxLength":10"#)],
          new: str(#","maxLength":10,"title":"t""#), backward: "MAX_LENGTH_DECREASED #/maxLength @1", forward: "MAX_LENGTH_DECREASED #/maxLength @0"),
    .init("uniqueItems added in an earlier version", history: [arr(), arr(#","uniqueItems":true"#)], new: arr(#","uniqueItems":true,"title":"t""#),
          backward: "UNIQUE_ITEMS_ADDED #/uniqueItems @0", forward: nil),
]

@Suite("JSON Schema compatibility table")
struct JSONSchemaCompatibilityTableTests {
    @Test("each pair gets the registry's verdict at every level", arguments: jsonSchemaTable)
    func pair(_ row: CompatibilityRow) throws {
        try CompatibilityTable.verify(row, type: .json)
    }

    @Test("transitive levels check the whole history", arguments: jsonSchemaTransitiveTable)
    func history(_ row: TransitiveRow) throws {
        try CompatibilityTable.verify(row, type: .json)
    }
}
