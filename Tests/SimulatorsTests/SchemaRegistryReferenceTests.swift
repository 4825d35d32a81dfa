import Foundation
import Simulators
import Testing

/// Schemas with references, as Confluent handles them: each reference resolves to the
/// text of the subject version it names (references of references too), and the schema
/// is parsed, identified and checked together with those texts.
@Suite("Schema registry simulator: references resolved for compatibility and identity")
struct SchemaRegistryReferenceTests {
    typealias Reference = SchemaRegistrySimulator.Reference

    // MARK: Avro

    static let moneyV1 = #"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"int"}]}"#
    /// `units` widened to long: BACKWARD compatible (int promotes to long), not FORWARD.
    static let moneyLong = #"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"long"}]}"#
    /// `units` becomes a string: incompatible both ways.
    static let moneyString = #"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"string"}]}"#
    /// An order whose `total` is the referenced `acme.Money`: unparsable without the reference.
    static let order = #"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"total","type":"acme.Money"}]}"#

    static func money(_ version: Int) -> [String: Any] { ["name": "acme.Money", "subject": "money", "version": version] }

    @Test("a breaking change inside a referenced Avro type is found through the referencing subject")
    func avroBreakingChangeInReferencedType() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "money", schema: Self.moneyV1)
            try registry.register(subject: "money", schema: Self.moneyString)
            try registry.register(subject: "orders-value", schema: Self.order, references: [Reference(name: "acme.Money", subject: "money", version: 1)])

            // The text of Order is unchanged; only the version of Money it refers to is.
            let check = try await client.post(
                "/compatibility/subjects/orders-value/versions/latest", query: [("verbose", "true")],
                .schema(Self.order, references: [Self.money(2)])
            ).json()
            #expect(check["is_compatible"]?.bool == false)
            let messages = try #require(check["messages"]?.array).compactMap(\.string)
            #expect(messages.contains { $0.contains("TYPE_MISMATCH") && $0.contains("/fields/0/type/fields/0/type") }, "\(messages)")

            let refused = try await client.post("/subjects/orders-value/versions", .schema(Self.order, references: [Self.money(2)]))
            #expect(refused.status == 409)
            #expect(refused.errorCode == 40901)
            #expect(registry.versions(subject: "orders-value").count == 1)
        }
    }

    @Test("a compatible change inside a referenced Avro type registers a new version with a new id")
    func avroCompatibleChangeInReferencedType() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "money", schema: Self.moneyV1)
            try registry.register(subject: "money", schema: Self.moneyLong)
            let first = try await client.post("/subjects/orders-value/versions", .schema(Self.order, references: [Self.money(1)]))
            let firstID = try #require(try first.json()["id"]?.int)

            // FORWARD: old readers (int) cannot read the new long.
            #expect(try await client.put("/config/orders-value", .json(["compatibility": "FORWARD"])).status == 200)
            let forward = try await client.post("/subjects/orders-value/versions", .schema(Self.order, references: [Self.money(2)]))
            #expect(forward.errorCode == 40901)

            #expect(try await client.put("/config/orders-value", .json(["compatibility": "BACKWARD"])).status == 200)
            let second = try await client.post("/subjects/orders-value/versions", .schema(Self.order, references: [Self.money(2)]))
            #expect(second.status == 200)
            let secondID = try #require(try second.json()["id"]?.int)
            #expect(secondID != firstID, "the same text with another referenced version is another schema")
            #expect(registry.versions(subject: "orders-value").map(\.version) == [1, 2])

            // The same text and reference again: the existing version, no new one.
            let again = try await client.post("/subjects/orders-value/versions", .schema(Self.order, references: [Self.money(1)]))
            #expect(try again.json()["id"]?.int == firstID)
            #expect(registry.versions(subject: "orders-value").count == 2)
        }
    }

    @Test("references of references resolve: Order names only Money, which names Currency")
    func avroNestedReferences() async throws {
        try await withSchemaRegistry { registry, client in
            let currency = #"{"type":"enum","name":"Currency","namespace":"acme","symbols":["EUR","USD"]}"#
            let currencyFewer = #"{"type":"enum","name":"Currency","namespace":"acme","symbols":["EUR"]}"#
            let money = #"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"long"},{"name":"currency","type":"acme.Currency"}]}"#
            try registry.register(subject: "currency", schema: currency)
            try registry.register(subject: "currency", schema: currencyFewer)
            for version in [1, 2] {
                try registry.register(
                    subject: "money", schema: money, references: [Reference(name: "acme.Currency", subject: "currency", version: version)])
            }
            let registered = try await client.post("/subjects/orders-value/versions", .schema(Self.order, references: [Self.money(1)]))
            #expect(registered.status == 200, "\(registered.text)")

            // Money 2 has the same text as Money 1 but drops USD through its own reference:
            // an old writer's USD cannot be read, found two levels down.
            let check = try await client.post(
                "/compatibility/subjects/orders-value/versions/latest", query: [("verbose", "true")],
                .schema(Self.order, references: [Self.money(2)])
            ).json()
            #expect(check["is_compatible"]?.bool == false)
            let messages = try #require(check["messages"]?.array).compactMap(\.string)
            #expect(messages.contains { $0.contains("MISSING_ENUM_SYMBOLS") }, "\(messages)")
        }
    }

    @Test("registering with normalize keeps an Avro schema with references usable")
    func avroNormalizeWithReferences() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "money", schema: Self.moneyV1)
            let spaced = Self.order.replacingOccurrences(of: ",", with: ", ")
            let registered = try await client.post(
                "/subjects/orders-value/versions", query: [("normalize", "true")], .schema(spaced, references: [Self.money(1)]))
            #expect(registered.status == 200)
            let lookup = try await client.post("/subjects/orders-value", .schema(Self.order, references: [Self.money(1)]))
            #expect(lookup.status == 200)
            #expect(try lookup.json()["version"]?.int == 1)
            let check = try await client.post(
                "/compatibility/subjects/orders-value/versions/latest", .schema(Self.order, references: [Self.money(1)])
            ).json()
            #expect(check["is_compatible"]?.bool == true)
        }
    }

    // MARK: Protobuf

    static func googleHome(deviceID: String) -> String {
        "syntax = \"proto3\";\npackage io.confluent.demo;\nmessage GoogleHome {\n  \(deviceID) deviceID = 1;\n  bool enabled = 2;\n}"
    }

    static let testMessage =
        "syntax = \"proto3\";\nimport \"google.proto\";\nmessage TestMessage {\n  .io.confluent.demo.GoogleHome home = 1;\n}"

    @Test("a Protobuf message from an import is compared through the imported file")
    func protobufImport() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "google", schema: Self.googleHome(deviceID: "int32"), type: .protobuf)
            try registry.register(subject: "google", schema: Self.googleHome(deviceID: "string"), type: .protobuf)
            let reference = { (version: Int) -> [String: Any] in ["name": "google.proto", "subject": "google", "version": version] }
            let registered = try await client.post(
                "/subjects/home-value/versions", .schema(Self.testMessage, type: "PROTOBUF", references: [reference(1)]))
            #expect(registered.status == 200)

            let check = try await client.post(
                "/compatibility/subjects/home-value/versions/latest", query: [("verbose", "true")],
                .schema(Self.testMessage, type: "PROTOBUF", references: [reference(2)])
            ).json()
            #expect(check["is_compatible"]?.bool == false)
            let messages = try #require(check["messages"]?.array).compactMap(\.string)
            #expect(messages.contains { $0.contains("FIELD_SCALAR_KIND_CHANGED") }, "\(messages)")
        }
    }

    // MARK: JSON Schema

    @Test("a JSON Schema $ref to another subject is compared through that document")
    func jsonReference() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "address", schema: #"{"type":"object","properties":{"zip":{"type":"number"}}}"#, type: .json)
            try registry.register(subject: "address", schema: #"{"type":"object","properties":{"zip":{"type":"integer"}}}"#, type: .json)
            let customer = #"{"type":"object","properties":{"address":{"$ref":"address.json"}}}"#
            let reference = { (version: Int) -> [String: Any] in ["name": "address.json", "subject": "address", "version": version] }
            #expect(try await client.post("/subjects/customer-value/versions", .schema(customer, type: "JSON", references: [reference(1)])).status == 200)

            let backward = try await client.post(
                "/compatibility/subjects/customer-value/versions/latest", query: [("verbose", "true")],
                .schema(customer, type: "JSON", references: [reference(2)])
            ).json()
            #expect(backward["is_compatible"]?.bool == false)
            let messages = try #require(backward["messages"]?.array).compactMap(\.string)
            #expect(messages.contains { $0.contains("TYPE_NARROWED") }, "\(messages)")

            // Narrowing is fine for old readers: FORWARD accepts it.
            #expect(try await client.put("/config/customer-value", .json(["compatibility": "FORWARD"])).status == 200)
            let forward = try await client.post(
                "/subjects/customer-value/versions", .schema(customer, type: "JSON", references: [reference(2)]))
            #expect(forward.status == 200)
            #expect(registry.versions(subject: "customer-value").count == 2)
        }
    }
}
