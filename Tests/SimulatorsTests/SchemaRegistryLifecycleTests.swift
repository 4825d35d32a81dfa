import Foundation
import Simulators
import Testing

@Suite("Schema registry simulator: deletion, modes, references and faults")
struct SchemaRegistryLifecycleTests {
    @Test("soft delete hides a version, keeps its id resolvable, and permanent delete needs it first")
    func deleteVersion() async throws {
        try await withSchemaRegistry { registry, client in
            let v1 = try registry.register(subject: "s", schema: AvroFixture.orderV1)
            try registry.register(subject: "s", schema: AvroFixture.orderWithDefault)

            let early = try await client.delete("/subjects/s/versions/1", query: [("permanent", "true")])
            #expect(early.status == 404)
            #expect(early.errorCode == 40407)

            let soft = try await client.delete("/subjects/s/versions/1")
            #expect(soft.status == 200)
            #expect(try soft.json() == .int(1))
            #expect(try await client.get("/subjects/s/versions").json() == .array([.int(2)]))
            #expect(try await client.get("/subjects/s/versions/1").errorCode == 40402)
            let withDeleted = try await client.get("/subjects/s/versions/1", query: [("deleted", "true")])
            #expect(withDeleted.status == 200)
            #expect(try await client.get("/schemas/ids/\(v1.id)").status == 200)

            let again = try await client.delete("/subjects/s/versions/1")
            #expect(again.status == 404)
            #expect(again.errorCode == 40406)
            let hard = try await client.delete("/subjects/s/versions/1", query: [("permanent", "true")])
            #expect(hard.status == 200)
            #expect(registry.versions(subject: "s", includeDeleted: true).map(\.version) == [2])
            #expect(try await client.get("/schemas/ids/\(v1.id)").errorCode == 40403)
        }
    }

    @Test("soft-deleting a subject twice answers 40404; permanent delete before soft answers 40405")
    func deleteSubject() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "s", schema: AvroFixture.orderV1)
            try registry.register(subject: "s", schema: AvroFixture.orderWithDefault)

            let early = try await client.delete("/subjects/s", query: [("permanent", "true")])
            #expect(early.status == 404)
            #expect(early.errorCode == 40405)

            let soft = try await client.delete("/subjects/s")
            #expect(try soft.json() == .array([.int(1), .int(2)]))
            #expect(try await client.get("/subjects").json() == .array([]))
            #expect(
                try await client.get("/subjects", query: [("deleted", "true")]).json() == .array([.string("s")]))
            #expect(try await client.get("/subjects/s/versions").errorCode == 40401)

            let twice = try await client.delete("/subjects/s")
            #expect(twice.status == 404)
            #expect(twice.errorCode == 40404)

            let hard = try await client.delete("/subjects/s", query: [("permanent", "true")])
            #expect(try hard.json() == .array([.int(1), .int(2)]))
            #expect(registry.subjects(includeDeleted: true).isEmpty)
            #expect(try await client.delete("/subjects/s").errorCode == 40401)
        }
    }

    @Test("a soft-deleted subject can be registered again")
    func reRegister() async throws {
        try await withSchemaRegistry { registry, client in
            let first = try registry.register(subject: "s", schema: AvroFixture.orderV1)
            try registry.deleteSubject("s")
            let again = try await client.post("/subjects/s/versions", .schema(AvroFixture.orderV1)).json()
            #expect(again["id"]?.int == Int64(first.id))
            #expect(registry.version(subject: "s")?.version == 2)
        }
    }

    @Test("READONLY refuses registrations and deletions with 422/42205; READWRITE allows them again")
    func readOnly() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "s", schema: AvroFixture.orderV1)
            let put = try await client.put("/mode", .json(["mode": "READONLY"]))
            #expect(try put.json()["mode"]?.string == "READONLY")
            #expect(try await client.get("/mode").json()["mode"]?.string == "READONLY")

            let register = try await client.post("/subjects/s/versions", .schema(AvroFixture.orderWithDefault))
            #expect(register.status == 422)
            #expect(register.errorCode == 42205)
            #expect(try await client.delete("/subjects/s").errorCode == 42205)

            #expect(try await client.put("/mode/s", .json(["mode": "READWRITE"])).status == 200)
            #expect(
                try await client.post("/subjects/s/versions", .schema(AvroFixture.orderWithDefault)).status == 200)
            #expect(try await client.post("/subjects/t/versions", .schema(AvroFixture.orderV1)).errorCode == 42205)
        }
    }

    @Test("subject modes answer 40409 unless defaultToGlobal, and invalid modes 42204")
    func modes() async throws {
        try await withSchemaRegistry { _, client in
            #expect(try await client.get("/mode/s").errorCode == 40409)
            let fallback = try await client.get("/mode/s", query: [("defaultToGlobal", "true")])
            #expect(try fallback.json()["mode"]?.string == "READWRITE")
            #expect(try await client.put("/mode", .json(["mode": "SOMETIMES"])).errorCode == 42204)
            #expect(try await client.put("/mode/s", .json(["mode": "READONLY"])).status == 200)
            #expect(try await client.delete("/mode/s").json()["mode"]?.string == "READONLY")
            #expect(try await client.get("/mode/s").errorCode == 40409)
        }
    }

    @Test("references must exist, are listed as referencedby, and block deletion with 42206")
    func references() async throws {
        try await withSchemaRegistry { registry, client in
            let money = #"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"cents","type":"long"}]}"#
            let order =
                #"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"total","type":"acme.Money"}]}"#
            let reference: [String: Any] = ["name": "acme.Money", "subject": "money", "version": 1]

            let missing = try await client.post(
                "/subjects/orders-value/versions", .schema(order, references: [reference]))
            #expect(missing.status == 422)
            #expect(missing.errorCode == 42201)

            let moneyID = try registry.register(subject: "money", schema: money).id
            let registered = try await client.post(
                "/subjects/orders-value/versions", .schema(order, references: [reference]))
            #expect(registered.status == 200)
            let orderID = try #require(try registered.json()["id"]?.int)
            #expect(orderID != Int64(moneyID))

            let read = try await client.get("/subjects/orders-value/versions/1").json()
            #expect(read["references"]?[0]?["subject"]?.string == "money")
            #expect(try await client.get("/subjects/money/versions/1/referencedby").json() == .array([.int(orderID)]))

            let blocked = try await client.delete("/subjects/money/versions/1")
            #expect(blocked.status == 422)
            #expect(blocked.errorCode == 42206)
            #expect(try await client.delete("/subjects/money").errorCode == 42206)
        }
    }

    @Test("injected faults answer the registry's error shape and requests are counted")
    func faults() async throws {
        try await withSchemaRegistry { registry, client in
            registry.faults.failNext(1, with: .schemaRegistryStoreError, operation: SchemaRegistrySimulator.Operation.register)
            let failed = try await client.post("/subjects/s/versions", .schema(AvroFixture.orderV1))
            #expect(failed.status == 500)
            #expect(failed.errorCode == 50001)
            #expect(registry.subjects().isEmpty)

            let retried = try await client.post("/subjects/s/versions", .schema(AvroFixture.orderV1))
            #expect(retried.status == 200)
            #expect(registry.requestCount(SchemaRegistrySimulator.Operation.register) == 2)

            registry.faults.failNext(1, with: .serviceUnavailable)
            let unavailable = try await client.get("/subjects")
            #expect(unavailable.status == 503)
            #expect(unavailable.errorCode == 503)
        }
    }

    @Test("a restarted registry keeps its port and its schemas")
    func restart() async throws {
        let registry = SchemaRegistrySimulator()
        let url = try await registry.start()
        try registry.register(subject: "s", schema: AvroFixture.orderV1)
        await registry.stop()
        let again = try await registry.start()
        #expect(again == url)
        let client = HTTPTestClient(baseURL: again, credentials: nil)
        #expect(try await client.get("/subjects").json() == .array([.string("s")]))
        await registry.stop()
    }
}
