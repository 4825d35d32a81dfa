import Foundation
import Simulators
import Testing

@Suite("Schema registry simulator: subjects, versions and ids")
struct SchemaRegistrySubjectTests {
    @Test("registering answers the id and the version is readable by number, latest and -1")
    func registerAndRead() async throws {
        try await withSchemaRegistry { _, client in
            let response = try await client.post("/subjects/orders-value/versions", .schema(AvroFixture.orderV1))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/vnd.schemaregistry.v1+json")
            let id = try #require(try response.json()["id"]?.int)

            for version in ["1", "latest", "-1"] {
                let read = try await client.get("/subjects/orders-value/versions/\(version)")
                #expect(read.status == 200)
                let body = try read.json()
                #expect(body["subject"]?.string == "orders-value")
                #expect(body["version"]?.int == 1)
                #expect(body["id"]?.int == id)
                #expect(body["schema"]?.string == AvroFixture.orderV1)
                #expect(body["schemaType"] == nil, "Avro is omitted")
            }
            let raw = try await client.get("/subjects/orders-value/versions/1/schema")
            #expect(raw.text == AvroFixture.orderV1)
            #expect(try await client.get("/subjects").json() == .array([.string("orders-value")]))
            #expect(try await client.get("/subjects/orders-value/versions").json() == .array([.int(1)]))
            let byID = try await client.get("/schemas/ids/\(id)").json()
            #expect(byID["schema"]?.string == AvroFixture.orderV1)
        }
    }

    @Test("registering the same schema again, even reformatted, answers the same id without a new version")
    func idempotent() async throws {
        try await withSchemaRegistry { registry, client in
            let first = try await client.post("/subjects/orders-value/versions", .schema(AvroFixture.orderV1)).json()
            let again = try await client.post(
                "/subjects/orders-value/versions", .schema(AvroFixture.orderV1Reformatted)
            ).json()
            #expect(first["id"] == again["id"])
            #expect(registry.versions(subject: "orders-value").map(\.version) == [1])
        }
    }

    @Test("identical schemas under different subjects share one id")
    func sharedIDs() async throws {
        try await withSchemaRegistry { _, client in
            let a = try await client.post("/subjects/a-value/versions", .schema(AvroFixture.orderV1)).json()
            let b = try await client.post("/subjects/b-value/versions", .schema(AvroFixture.orderV1Reformatted)).json()
            let c = try await client.post("/subjects/c-value/versions", .schema(AvroFixture.orderWithDefault)).json()
            let id = try #require(a["id"]?.int)
            #expect(b["id"]?.int == id)
            #expect(c["id"]?.int != id)
            let subjects = try await client.get("/schemas/ids/\(id)/subjects").json()
            #expect(subjects == .array([.string("a-value"), .string("b-value")]))
            let versions = try await client.get("/schemas/ids/\(id)/versions").json()
            #expect(versions.array?.count == 2)
            #expect(versions[0]?["subject"]?.string == "a-value")
            #expect(versions[0]?["version"]?.int == 1)
        }
    }

    @Test("lookup finds a registered schema and answers 40401 or 40403 otherwise")
    func lookup() async throws {
        try await withSchemaRegistry { registry, client in
            let registered = try registry.register(subject: "orders-value", schema: AvroFixture.orderV1)
            let found = try await client.post("/subjects/orders-value", .schema(AvroFixture.orderV1Reformatted))
            #expect(found.status == 200)
            let body = try found.json()
            #expect(body["id"]?.int == Int64(registered.id))
            #expect(body["version"]?.int == 1)
            #expect(body["subject"]?.string == "orders-value")

            let unknownSchema = try await client.post("/subjects/orders-value", .schema(AvroFixture.orderWithDefault))
            #expect(unknownSchema.status == 404)
            #expect(unknownSchema.errorCode == 40403)
            let unknownSubject = try await client.post("/subjects/nothing", .schema(AvroFixture.orderV1))
            #expect(unknownSubject.status == 404)
            #expect(unknownSubject.errorCode == 40401)
        }
    }

    @Test("missing subjects, versions and ids and invalid versions answer the documented codes")
    func notFound() async throws {
        try await withSchemaRegistry { registry, client in
            try registry.register(subject: "orders-value", schema: AvroFixture.orderV1)
            let cases: [(String, Int, Int64)] = [
                ("/subjects/nothing/versions", 404, 40401),
                ("/subjects/nothing/versions/1", 404, 40401),
                ("/subjects/orders-value/versions/7", 404, 40402),
                ("/subjects/orders-value/versions/0", 422, 42202),
                ("/subjects/orders-value/versions/abc", 422, 42202),
                ("/subjects/orders-value/versions/2147483648", 422, 42202),
                ("/schemas/ids/999", 404, 40403),
            ]
            for (path, status, code) in cases {
                let response = try await client.get(path)
                #expect(response.status == status, "\(path)")
                #expect(response.errorCode == code, "\(path)")
                #expect(try response.json()["message"]?.string?.isEmpty == false)
                #expect(response.header("Content-Type") == "application/vnd.schemaregistry.v1+json")
            }
        }
    }

    @Test("invalid schemas, unknown types and missing schema text answer 422/42201")
    func invalidSchemas() async throws {
        try await withSchemaRegistry { _, client in
            let bodies: [TestBody] = [
                .schema("{not json"),
                .schema(#"{"type":"record","name":"X"}"#),
                .schema(AvroFixture.orderV1, type: "XML"),
                .json(["schemaType": "AVRO"]),
            ]
            for body in bodies {
                let response = try await client.post("/subjects/s/versions", body)
                #expect(response.status == 422)
                #expect(response.errorCode == 42201)
            }
        }
    }

    @Test("subject names with slashes are URL-encoded and kept whole")
    func encodedSubjects() async throws {
        try await withSchemaRegistry { registry, client in
            let response = try await client.post("/subjects/team%2Forders-value/versions", .schema(AvroFixture.orderV1))
            #expect(response.status == 200)
            #expect(registry.subjects() == ["team/orders-value"])
        }
    }

    @Test("the schema types are listed and JSON and Protobuf schemas carry their type")
    func types() async throws {
        try await withSchemaRegistry { _, client in
            #expect(
                try await client.get("/schemas/types").json()
                    == .array([.string("JSON"), .string("PROTOBUF"), .string("AVRO")]))
            let json = #"{"type":"object","properties":{"id":{"type":"integer"}}}"#
            let registered = try await client.post("/subjects/j/versions", .schema(json, type: "JSON")).json()
            let id = try #require(registered["id"]?.int)
            #expect(try await client.get("/schemas/ids/\(id)").json()["schemaType"]?.string == "JSON")
            #expect(try await client.get("/subjects/j/versions/latest").json()["schemaType"]?.string == "JSON")
        }
    }

    @Test("with credentials configured, requests without them answer 401 with error_code 401")
    func basicAuth() async throws {
        let configuration = SchemaRegistrySimulator.Configuration(
            credentials: .init(username: "registry", password: "secret"))
        try await withSchemaRegistry(configuration: configuration) { _, client in
            #expect(try await client.get("/subjects").status == 200)
            var anonymous = client
            anonymous.credentials = nil
            let missing = try await anonymous.get("/subjects")
            #expect(missing.status == 401)
            #expect(missing.errorCode == 401)
            var wrong = client
            wrong.credentials = ("registry", "wrong")
            #expect(try await wrong.get("/subjects").status == 401)
        }
    }

    @Test("a bearer token is accepted when configured")
    func bearerToken() async throws {
        let configuration = SchemaRegistrySimulator.Configuration(bearerToken: "t0ken")
        try await withSchemaRegistry(configuration: configuration) { _, client in
            #expect(try await client.get("/subjects").status == 401)
            let response = try await client.send("GET", "/subjects", headers: [("Authorization", "Bearer t0ken")])
            #expect(response.status == 200)
        }
    }
}
