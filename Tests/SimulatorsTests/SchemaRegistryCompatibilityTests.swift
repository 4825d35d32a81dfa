import Foundation
import Simulators
import Testing

@Suite("Schema registry simulator: compatibility levels and config")
struct SchemaRegistryCompatibilityTests {
    @Test("BACKWARD rejects a new Avro field without a default with 409/40901 and the reason")
    func backwardRejectsRequiredField() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "orders-value", schema: AvroFixture.orderV1)
            let response = try await client.post(
                "/subjects/orders-value/versions", .schema(AvroFixture.orderWithRequired))
            #expect(response.status == 409)
            #expect(response.errorCode == 40901)
            let message = try #require(try response.json()["message"]?.string)
            #expect(message.contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
            #expect(message.contains("amount"))
            #expect(registry.versions(subject: "orders-value").count == 1)
        }
    }

    @Test("BACKWARD accepts a new field with a default as version 2")
    func backwardAcceptsDefault() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "orders-value", schema: AvroFixture.orderV1)
            let response = try await client.post(
                "/subjects/orders-value/versions", .schema(AvroFixture.orderWithDefault))
            #expect(response.status == 200)
            #expect(registry.version(subject: "orders-value")?.version == 2)
        }
    }

    @Test("NONE accepts any evolution")
    func noneAccepts() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "orders-value", schema: AvroFixture.orderV1)
            let put = try await client.put("/config/orders-value", .json(["compatibility": "NONE"]))
            #expect(try put.json()["compatibility"]?.string == "NONE")
            let response = try await client.post(
                "/subjects/orders-value/versions", .schema(AvroFixture.orderWithRequired))
            #expect(response.status == 200)
            #expect(registry.versions(subject: "orders-value").count == 2)
        }
    }

    @Test("the Karapace flavour answers incompatible schemas with error_code 409")
    func karapaceFlavour() async throws {
        try await withSchemaRegistry(configuration: .init(flavor: .karapace)) { registry, client in
            try registry.register(subject: "orders-value", schema: AvroFixture.orderV1)
            let response = try await client.post(
                "/subjects/orders-value/versions", .schema(AvroFixture.orderWithRequired))
            #expect(response.status == 409)
            #expect(response.errorCode == 409)
        }
    }

    @Test("a compatibility check answers is_compatible, with messages only when verbose")
    func checkEndpoint() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "orders-value", schema: AvroFixture.orderV1)
            let quiet = try await client.post(
                "/compatibility/subjects/orders-value/versions/latest", .schema(AvroFixture.orderWithRequired)
            ).json()
            #expect(quiet["is_compatible"]?.bool == false)
            #expect(quiet["messages"] == nil)

            let verbose = try await client.post(
                "/compatibility/subjects/orders-value/versions/1", query: [("verbose", "true")],
                .schema(AvroFixture.orderWithRequired)
            ).json()
            #expect(verbose["is_compatible"]?.bool == false)
            let messages = try #require(verbose["messages"]?.array)
            #expect(messages.contains { $0.string?.contains("READER_FIELD_MISSING_DEFAULT_VALUE") == true })

            let fine = try await client.post(
                "/compatibility/subjects/orders-value/versions", .schema(AvroFixture.orderWithDefault)
            ).json()
            #expect(fine["is_compatible"]?.bool == true)
            #expect(registry.versions(subject: "orders-value").count == 1, "a check registers nothing")
        }
    }

    @Test("checking against latest of a missing subject: Confluent compatible, Karapace 404/40402")
    func checkMissingSubject() async throws {
        try await withSchemaRegistry { _, client in
            let response = try await client.post(
                "/compatibility/subjects/nothing/versions/latest", .schema(AvroFixture.orderV1))
            #expect(try response.json()["is_compatible"]?.bool == true)
            let numbered = try await client.post(
                "/compatibility/subjects/nothing/versions/1", .schema(AvroFixture.orderV1))
            #expect(numbered.errorCode == 40401)
        }
        try await withSchemaRegistry(configuration: .init(flavor: .karapace)) { _, client in
            let response = try await client.post(
                "/compatibility/subjects/nothing/versions/latest", .schema(AvroFixture.orderV1))
            #expect(response.status == 404)
            #expect(response.errorCode == 40402)
        }
    }

    @Test("transitive levels check every earlier version")
    func transitive() async throws {
        try await withSchemaRegistry { registry, client in
            registry.setCompatibility(.none, subject: "s")
            try registry.register(subject: "s", schema: AvroFixture.orderV1)
            try registry.register(subject: "s", schema: AvroFixture.orderWithRequired)
            let removesAmount = AvroFixture.orderWithDefault
            // BACKWARD against the latest only: dropping `amount` and adding a defaulted field is fine.
            registry.setCompatibility(.backward, subject: "s")
            let plain = try await client.post(
                "/compatibility/subjects/s/versions/latest", .schema(removesAmount)
            ).json()
            #expect(plain["is_compatible"]?.bool == true)
            // FORWARD_TRANSITIVE: version 2 (reading new data) misses `amount`.
            registry.setCompatibility(.forwardTransitive, subject: "s")
            let forward = try await client.post("/subjects/s/versions", .schema(removesAmount))
            #expect(forward.status == 409)
        }
    }

    @Test("the global level defaults to BACKWARD and a subject without its own level answers 40408")
    func configDefaults() async throws {
        try await withSchemaRegistry { _, client in
            #expect(try await client.get("/config").json()["compatibilityLevel"]?.string == "BACKWARD")
            let own = try await client.get("/config/orders-value")
            #expect(own.status == 404)
            #expect(own.errorCode == 40408)
            let fallback = try await client.get("/config/orders-value", query: [("defaultToGlobal", "true")])
            #expect(try fallback.json()["compatibilityLevel"]?.string == "BACKWARD")
        }
    }

    @Test("deleting a subject's config answers the old level and reverts it to the global one")
    func configRevert() async throws {
        try await withSchemaRegistry { registry, client in
            #expect(try await client.put("/config", .json(["compatibility": "FULL"])).status == 200)
            #expect(try await client.put("/config/orders-value", .json(["compatibility": "NONE"])).status == 200)
            #expect(try await client.get("/config/orders-value").json()["compatibilityLevel"]?.string == "NONE")
            #expect(registry.effectiveCompatibility(subject: "orders-value") == .none)

            let deleted = try await client.delete("/config/orders-value")
            #expect(try deleted.json()["compatibilityLevel"]?.string == "NONE")
            #expect(try await client.get("/config/orders-value").errorCode == 40408)
            #expect(registry.effectiveCompatibility(subject: "orders-value") == .full)

            let reset = try await client.delete("/config")
            #expect(try reset.json()["compatibilityLevel"]?.string == "FULL")
            #expect(try await client.get("/config").json()["compatibilityLevel"]?.string == "BACKWARD")
        }
    }

    @Test("an invalid compatibility level answers 422/42203")
    func invalidLevel() async throws {
        try await withSchemaRegistry { _, client in
            for path in ["/config", "/config/orders-value"] {
                let response = try await client.put(path, .json(["compatibility": "SIDEWAYS"]))
                #expect(response.status == 422)
                #expect(response.errorCode == 42203)
            }
        }
    }
}
