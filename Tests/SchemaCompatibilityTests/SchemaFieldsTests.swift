import SchemaCompatibility
import Testing

@Suite("Top-level fields of a schema")
struct SchemaFieldsTests {
    @Test("an Avro record's fields with their types: optionals, collections, logical and nested records")
    func avro() throws {
        let schema = try ParsedSchema(
            #"""
            {"type":"record","name":"Trade","namespace":"io.hmco","fields":[
              {"name":"trade_id","type":"long"},
              {"name":"desk","type":["null","string"],"default":null},
              {"name":"legs","type":{"type":"array","items":"string"}},
              {"name":"booked_at","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"price","type":{"type":"record","name":"Money","fields":[{"name":"amount","type":"double"},{"name":"currency","type":"string"}]}}
            ]}
            """#)
        let fields = try #require(schema.fields)
        #expect(fields.map(\.name) == ["trade_id", "desk", "legs", "booked_at", "price"])
        #expect(fields.map(\.type) == ["long", "null|string", "array<string>", "timestamp-millis", "Money"])
        #expect(fields.last?.fields?.map { "\($0.name):\($0.type)" } == ["amount:double", "currency:string"])
    }

    @Test("a JSON Schema object's properties, nested objects included; not a record → nil")
    func json() throws {
        let schema = try ParsedSchema(
            #"{"type":"object","properties":{"id":{"type":"integer"},"tags":{"type":["array","null"]},"owner":{"type":"object","properties":{"name":{"type":"string"}}}}}"#,
            type: .json)
        let fields = try #require(schema.fields)
        #expect(Set(fields.map { "\($0.name):\($0.type)" }) == ["id:integer", "tags:array|null", "owner:object"])
        #expect(fields.first { $0.name == "owner" }?.fields?.map(\.name) == ["name"])
        #expect(try ParsedSchema(#""string""#).fields == nil)
    }
}
