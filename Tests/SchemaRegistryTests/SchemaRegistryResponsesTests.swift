import Foundation
import IntegrationSupport
import SchemaRegistry
import Testing

@Suite("Schema registry answers are read in their Confluent, Karapace and Redpanda shapes")
struct SchemaRegistryResponsesTests {
    static let getLatest = SchemaRegistryRequests.getVersion(subject: "orders-value", version: .latest)
    static var registerRequest: SchemaRegistryRequest {
        get throws { try SchemaRegistryRequests.register(subject: "orders-value", definition: .init(schema: ordersV1)) }
    }
    static var lookupRequest: SchemaRegistryRequest {
        get throws { try SchemaRegistryRequests.lookup(subject: "orders-value", definition: .init(schema: ordersV1)) }
    }
    static var checkRequest: SchemaRegistryRequest {
        get throws {
            try SchemaRegistryRequests.checkCompatibility(
                subject: "orders-value", definition: .init(schema: ordersV1), against: .version(.latest))
        }
    }

    @Test("an Avro version without schemaType is Avro")
    func avroVersion() throws {
        let body = #"{"subject":"orders-value","version":3,"id":21,"schema":\#(jsonString(ordersV1))}"#
        let schema = try SchemaRegistryResponses.registeredSchema(from: response(200, body), of: Self.getLatest)
        #expect(
            schema == RegisteredSchema(subject: "orders-value", version: 3, id: 21, definition: .init(schema: ordersV1))
        )
    }

    @Test("a Protobuf version keeps its type and references and ignores fields it does not model")
    func protobufVersion() throws {
        let body = """
            {"subject":"orders-value","version":1,"id":4,"guid":"b3c1","schemaType":"PROTOBUF",
             "schema":"syntax = \\"proto3\\";","references":[{"name":"m.proto","subject":"m","version":2}],
             "metadata":null,"ts":1700000000000,"deleted":false}
            """
        let schema = try SchemaRegistryResponses.registeredSchema(from: response(200, body), of: Self.getLatest)
        #expect(schema.definition.type == .protobuf)
        #expect(schema.definition.schema == #"syntax = "proto3";"#)
        #expect(schema.definition.references == [SchemaReference(name: "m.proto", subject: "m", version: 2)])
    }

    @Test("an unknown schemaType in an answer is an invalid response")
    func unknownType() {
        let body = #"{"subject":"s","version":1,"id":4,"schemaType":"THRIFT","schema":"x"}"#
        #expect(throws: SchemaRegistryError.self) {
            try SchemaRegistryResponses.registeredSchema(from: response(200, body), of: Self.getLatest)
        }
        do {
            _ = try SchemaRegistryResponses.registeredSchema(from: response(200, body), of: Self.getLatest)
        } catch {
            #expect(error.kind == .invalidResponse)
        }
    }

    @Test("registering answers the id, with the version when newer Confluent sends it")
    func registration() throws {
        #expect(
            try SchemaRegistryResponses.registration(from: response(200, #"{"id":1}"#), of: Self.registerRequest)
                == SchemaRegistration(id: 1))
        #expect(
            try SchemaRegistryResponses.registration(
                from: response(200, #"{"id":1,"version":2,"guid":"x","schemaType":"AVRO"}"#), of: Self.registerRequest)
                == SchemaRegistration(id: 1, version: 2))
    }

    @Test("a lookup of a schema the subject does not hold, or of a missing subject, is nil")
    func lookupAbsent() throws {
        let notHeld = response(404, #"{"error_code":40403,"message":"Schema not found"}"#)
        #expect(try SchemaRegistryResponses.lookup(from: notHeld, of: Self.lookupRequest) == nil)
        let noSubject = response(404, #"{"error_code":40401,"message":"Subject 'orders-value' not found."}"#)
        #expect(try SchemaRegistryResponses.lookup(from: noSubject, of: Self.lookupRequest) == nil)
        let found = response(200, #"{"subject":"orders-value","version":2,"id":9,"schema":"{}"}"#)
        #expect(try SchemaRegistryResponses.lookup(from: found, of: Self.lookupRequest)?.version == 2)
    }

    @Test("a lookup that fails otherwise still throws")
    func lookupFailure() throws {
        let failure = response(500, #"{"error_code":50001,"message":"Error in the backend data store"}"#)
        #expect(throws: SchemaRegistryError.self) {
            try SchemaRegistryResponses.lookup(from: failure, of: Self.lookupRequest)
        }
    }

    @Test("a compatible verdict has no messages")
    func compatible() throws {
        let result = try SchemaRegistryResponses.compatibility(
            from: response(200, #"{"is_compatible":true}"#), of: Self.checkRequest)
        #expect(result == CompatibilityResult(isCompatible: true))
    }

    @Test("Confluent's verbose incompatible verdict keeps every message in order")
    func confluentIncompatible() throws {
        let body = """
            {"is_compatible":false,"messages":[
              "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'amount' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'amount'}",
              "{oldSchemaVersion: 3}","{oldSchema: '{...}'}","{validateFields: 'false', compatibility: 'BACKWARD'}"]}
            """
        let result = try SchemaRegistryResponses.compatibility(from: response(200, body), of: Self.checkRequest)
        #expect(!result.isCompatible)
        #expect(result.messages.count == 4)
        #expect(result.messages[0].contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
        #expect(result.messages[3] == "{validateFields: 'false', compatibility: 'BACKWARD'}")
    }

    @Test("Karapace's incompatible verdict keeps its messages")
    func karapaceIncompatible() throws {
        let body = #"{"is_compatible":false,"messages":["reader type: string not compatible with writer type: int"]}"#
        let result = try SchemaRegistryResponses.compatibility(from: response(200, body), of: Self.checkRequest)
        #expect(
            result
                == CompatibilityResult(
                    isCompatible: false, messages: ["reader type: string not compatible with writer type: int"]))
    }

    @Test("an incompatible verdict without messages or with null messages is still read")
    func incompatibleWithoutMessages() throws {
        for body in [#"{"is_compatible":false}"#, #"{"is_compatible":false,"messages":null}"#] {
            let result = try SchemaRegistryResponses.compatibility(from: response(200, body), of: Self.checkRequest)
            #expect(result == CompatibilityResult(isCompatible: false))
        }
    }

    @Test("structured messages are kept as their JSON text")
    func structuredMessages() throws {
        let body = #"{"is_compatible":false,"messages":[{"type":"FIELD_REMOVED","path":"/fields/2"},7]}"#
        let result = try SchemaRegistryResponses.compatibility(from: response(200, body), of: Self.checkRequest)
        #expect(result.messages == [#"{"path":"/fields/2","type":"FIELD_REMOVED"}"#, "7"])
    }

    @Test("levels are read as compatibilityLevel and the echo of a write as compatibility")
    func levels() throws {
        let get = SchemaRegistryRequests.getGlobalCompatibility()
        #expect(
            try SchemaRegistryResponses.compatibilityLevel(
                from: response(200, #"{"compatibilityLevel":"BACKWARD"}"#), of: get)
                == .backward)
        #expect(
            try SchemaRegistryResponses.compatibilityLevel(from: response(200, #"{"compatibility":"FULL"}"#), of: get)
                == .full)
        #expect(throws: SchemaRegistryError.self) {
            try SchemaRegistryResponses.compatibilityLevel(
                from: response(200, #"{"compatibilityLevel":"SIDEWAYS"}"#), of: get)
        }
        #expect(throws: SchemaRegistryError.self) {
            try SchemaRegistryResponses.compatibilityLevel(from: response(200, #"{}"#), of: get)
        }
    }

    @Test("a subject without its own level is nil, whether the registry says 40408 or the older 40401")
    func subjectLevelAbsent() throws {
        let request = SchemaRegistryRequests.getSubjectCompatibility(subject: "orders-value")
        let current = response(
            404,
            #"{"error_code":40408,"message":"Subject 'orders-value' does not have subject-level compatibility configured"}"#
        )
        #expect(try SchemaRegistryResponses.subjectCompatibilityLevel(from: current, of: request) == nil)
        let older = response(404, #"{"error_code":40401,"message":"Subject not found."}"#)
        #expect(try SchemaRegistryResponses.subjectCompatibilityLevel(from: older, of: request) == nil)
        let set = response(200, #"{"compatibilityLevel":"FORWARD_TRANSITIVE"}"#)
        #expect(try SchemaRegistryResponses.subjectCompatibilityLevel(from: set, of: request) == .forwardTransitive)
    }

    @Test("modes are read, and a subject without its own mode is nil")
    func modes() throws {
        let global = SchemaRegistryRequests.getMode()
        #expect(
            try SchemaRegistryResponses.mode(from: response(200, #"{"mode":"READWRITE"}"#), of: global) == .readWrite)
        let subject = SchemaRegistryRequests.getMode(subject: "s")
        #expect(
            try SchemaRegistryResponses.subjectMode(
                from: response(
                    404, #"{"error_code":40409,"message":"Subject 's' does not have subject-level mode configured"}"#),
                of: subject) == nil)
        #expect(
            try SchemaRegistryResponses.subjectMode(from: response(200, #"{"mode":"READONLY_OVERRIDE"}"#), of: subject)
                == .readOnlyOverride)
    }

    @Test("subjects, versions, deleted versions and referencing ids are read as lists and numbers")
    func lists() throws {
        let subjects = SchemaRegistryRequests.listSubjects()
        #expect(
            try SchemaRegistryResponses.subjects(from: response(200, #"["a-value","b/c"]"#), of: subjects) == [
                "a-value", "b/c",
            ])
        #expect(try SchemaRegistryResponses.subjects(from: response(200, "[]"), of: subjects) == [])
        let versions = SchemaRegistryRequests.listVersions(subject: "s")
        #expect(try SchemaRegistryResponses.numbers(from: response(200, "[1,2,3]"), of: versions) == [1, 2, 3])
        let delete = SchemaRegistryRequests.deleteVersion(subject: "s", version: 3)
        #expect(try SchemaRegistryResponses.number(from: response(200, "3"), of: delete) == 3)
        let byID = SchemaRegistryRequests.getSubjectVersions(id: 7)
        #expect(
            try SchemaRegistryResponses.subjectVersions(
                from: response(200, #"[{"subject":"a","version":1},{"subject":"b","version":4}]"#), of: byID)
                == [SubjectVersion(subject: "a", version: 1), SubjectVersion(subject: "b", version: 4)])
    }

    @Test("a schema by id is read with its type and references")
    func schemaByID() throws {
        let request = SchemaRegistryRequests.getSchema(id: 7)
        let body = #"{"schema":"{\"type\":\"object\"}","schemaType":"JSON","references":[]}"#
        #expect(
            try SchemaRegistryResponses.schema(from: response(200, body), of: request)
                == SchemaDefinition(schema: #"{"type":"object"}"#, type: .json))
    }

    @Test("a success body that is not JSON is an invalid response, not a crash")
    func garbage() {
        do {
            _ = try SchemaRegistryResponses.subjects(
                from: response(200, "<html>proxy</html>"), of: SchemaRegistryRequests.listSubjects())
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidResponse)
            #expect(error.operation == "listing subjects")
        }
    }
}
