import Foundation
import SchemaRegistry
import Testing

@Suite("Schema registry requests are built as the API names them")
struct SchemaRegistryRequestsTests {
    @Test("subjects are listed with prefix and deleted filters as query items")
    func listSubjects() {
        #expect(SchemaRegistryRequests.listSubjects().description == "GET /subjects")
        #expect(
            SchemaRegistryRequests.listSubjects(prefix: "orders-", deleted: .include).description
                == "GET /subjects?subjectPrefix=orders-&deleted=true")
        #expect(
            SchemaRegistryRequests.listSubjects(deleted: .only).description == "GET /subjects?deletedOnly=true")
    }

    @Test("a slash and other reserved characters in a subject are percent-encoded in the path")
    func subjectEncoding() {
        let request = SchemaRegistryRequests.listVersions(subject: "team/orders value:ü")
        #expect(request.path == "/subjects/team%2Forders%20value%3A%C3%BC/versions")
        #expect(request.method == "GET")
    }

    @Test("a version is read by number or as latest, soft-deleted ones only when asked")
    func getVersion() {
        #expect(
            SchemaRegistryRequests.getVersion(subject: "orders-value", version: 3).description
                == "GET /subjects/orders-value/versions/3")
        #expect(
            SchemaRegistryRequests.getVersion(subject: "orders-value", version: .latest, includeDeleted: true)
                .description == "GET /subjects/orders-value/versions/latest?deleted=true")
    }

    @Test("registering an Avro schema omits schemaType and empty references")
    func registerAvro() throws {
        let request = try SchemaRegistryRequests.register(
            subject: "orders-value", definition: SchemaDefinition(schema: ordersV1))
        #expect(request.description == "POST /subjects/orders-value/versions")
        #expect(canonicalJSON(request.body) == canonicalJSON(#"{"schema": \#(jsonString(ordersV1))}"#))
        #expect(request.operation == "registering a schema under subject orders-value")
    }

    @Test("registering a Protobuf schema sends schemaType, references in order and normalize")
    func registerProtobuf() throws {
        let definition = SchemaDefinition(
            schema: "syntax = \"proto3\";\nimport \"common/money.proto\";\nmessage Order { Money total = 1; }",
            type: .protobuf,
            references: [
                SchemaReference(name: "common/money.proto", subject: "common/money.proto", version: 2),
                SchemaReference(name: "common/ids.proto", subject: "ids", version: 1),
            ])
        let request = try SchemaRegistryRequests.register(
            subject: "orders-value", definition: definition, normalize: true)
        #expect(request.target == "/subjects/orders-value/versions?normalize=true")
        let expected = """
            {"schema": \(jsonString(definition.schema)), "schemaType": "PROTOBUF",
             "references": [{"name": "common/money.proto", "subject": "common/money.proto", "version": 2},
                            {"name": "common/ids.proto", "subject": "ids", "version": 1}]}
            """
        #expect(canonicalJSON(request.body) == canonicalJSON(expected))
    }

    @Test("a lookup posts the schema to the subject itself")
    func lookup() throws {
        let request = try SchemaRegistryRequests.lookup(
            subject: "orders-value", definition: SchemaDefinition(schema: "{}", type: .json), normalize: true,
            includeDeleted: true)
        #expect(request.description == "POST /subjects/orders-value?normalize=true&deleted=true")
        #expect(canonicalJSON(request.body) == canonicalJSON(#"{"schema":"{}","schemaType":"JSON"}"#))
    }

    @Test("compatibility is checked verbosely against one version or all of them")
    func compatibility() throws {
        let definition = SchemaDefinition(schema: ordersV1)
        let one = try SchemaRegistryRequests.checkCompatibility(
            subject: "a/b", definition: definition, against: .version(.latest))
        #expect(one.description == "POST /compatibility/subjects/a%2Fb/versions/latest?verbose=true")
        let all = try SchemaRegistryRequests.checkCompatibility(
            subject: "a/b", definition: definition, against: .allVersions, normalize: true)
        #expect(all.description == "POST /compatibility/subjects/a%2Fb/versions?normalize=true&verbose=true")
        #expect(canonicalJSON(all.body) == canonicalJSON(#"{"schema": \#(jsonString(ordersV1))}"#))
    }

    @Test("compatibility levels are written as compatibility, per subject or globally")
    func config() throws {
        let subject = try SchemaRegistryRequests.setSubjectCompatibility(
            subject: "orders-value", level: .fullTransitive)
        #expect(subject.description == "PUT /config/orders-value")
        #expect(canonicalJSON(subject.body) == canonicalJSON(#"{"compatibility":"FULL_TRANSITIVE"}"#))
        let global = try SchemaRegistryRequests.setGlobalCompatibility(.none)
        #expect(global.description == "PUT /config")
        #expect(canonicalJSON(global.body) == canonicalJSON(#"{"compatibility":"NONE"}"#))
        #expect(SchemaRegistryRequests.getGlobalCompatibility().description == "GET /config")
        #expect(
            SchemaRegistryRequests.getSubjectCompatibility(subject: "orders-value", defaultToGlobal: true).description
                == "GET /config/orders-value?defaultToGlobal=true")
        #expect(
            SchemaRegistryRequests.getSubjectCompatibility(subject: "orders-value").description
                == "GET /config/orders-value")
        #expect(
            SchemaRegistryRequests.deleteSubjectCompatibility(subject: "orders-value").description
                == "DELETE /config/orders-value")
    }

    @Test("modes are read and written globally or per subject")
    func mode() throws {
        #expect(SchemaRegistryRequests.getMode().description == "GET /mode")
        #expect(
            SchemaRegistryRequests.getMode(subject: "s", defaultToGlobal: true).description
                == "GET /mode/s?defaultToGlobal=true")
        let put = try SchemaRegistryRequests.setMode(.import, force: true)
        #expect(put.description == "PUT /mode?force=true")
        #expect(canonicalJSON(put.body) == canonicalJSON(#"{"mode":"IMPORT"}"#))
        let subject = try SchemaRegistryRequests.setMode(.readOnly, subject: "s")
        #expect(subject.description == "PUT /mode/s")
        #expect(canonicalJSON(subject.body) == canonicalJSON(#"{"mode":"READONLY"}"#))
        #expect(SchemaRegistryRequests.deleteMode(subject: "s").description == "DELETE /mode/s")
    }

    @Test("soft deletes have no query and permanent deletes say permanent=true")
    func deletes() {
        #expect(
            SchemaRegistryRequests.deleteVersion(subject: "s", version: 2).description
                == "DELETE /subjects/s/versions/2")
        #expect(
            SchemaRegistryRequests.deleteVersion(subject: "s", version: 2, permanent: true).description
                == "DELETE /subjects/s/versions/2?permanent=true")
        #expect(SchemaRegistryRequests.deleteSubject(subject: "s").description == "DELETE /subjects/s")
        let permanent = SchemaRegistryRequests.deleteSubject(subject: "s", permanent: true)
        #expect(permanent.description == "DELETE /subjects/s?permanent=true")
        #expect(permanent.operation == "permanently deleting subject s")
    }

    @Test("schemas are read by id, with an optional subject, and by who refers to them")
    func byID() {
        #expect(SchemaRegistryRequests.getSchema(id: 7).description == "GET /schemas/ids/7")
        #expect(
            SchemaRegistryRequests.getSchema(id: 7, subject: "a/b").description == "GET /schemas/ids/7?subject=a%2Fb")
        #expect(SchemaRegistryRequests.getSubjectVersions(id: 7).description == "GET /schemas/ids/7/versions")
        #expect(
            SchemaRegistryRequests.referencedBy(subject: "common", version: 1).description
                == "GET /subjects/common/versions/1/referencedby")
    }

    @Test("bodies are sent with the registry's own media type")
    func mediaType() {
        #expect(SchemaRegistryRequest.contentType == "application/vnd.schemaregistry.v1+json")
        #expect(SchemaRegistryRequest.accept.hasPrefix("application/vnd.schemaregistry.v1+json"))
    }
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data()
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}
