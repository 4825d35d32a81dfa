import Foundation
import IntegrationSupport
import SchemaRegistry
import Testing

/// What each documented error code becomes, and whether retrying helps.
/// Bodies are written from the API notes (Confluent's Errors.java, Karapace's routers).
@Suite("Schema registry errors become typed errors that say whether a retry can help")
struct SchemaRegistryErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var request: @Sendable () throws -> SchemaRegistryRequest
        var status: Int
        var body: String
        var kind: SchemaRegistryError.Kind
        var retryable: Bool
    }

    static let getVersion = SchemaRegistryRequests.getVersion(subject: "orders-value", version: 3)
    static let deleteVersion = SchemaRegistryRequests.deleteVersion(subject: "orders-value", version: 3)
    static let deleteSubject = SchemaRegistryRequests.deleteSubject(subject: "orders-value")
    static let getSchema = SchemaRegistryRequests.getSchema(id: 99)
    static var register: SchemaRegistryRequest {
        get throws { try SchemaRegistryRequests.register(subject: "orders-value", definition: .init(schema: ordersV1)) }
    }
    static var setLevel: SchemaRegistryRequest {
        get throws { try SchemaRegistryRequests.setSubjectCompatibility(subject: "orders-value", level: .full) }
    }
    static var setMode: SchemaRegistryRequest { get throws { try SchemaRegistryRequests.setMode(.readOnly) } }

    static func body(_ code: Int, _ message: String) -> String { #"{"error_code":\#(code),"message":"\#(message)"}"# }

    static let cases: [Case] = [
        Case(
            testDescription: "40401 is subjectNotFound", request: { getVersion }, status: 404,
            body: body(40401, "Subject 'orders-value' not found."), kind: .subjectNotFound, retryable: false),
        Case(
            testDescription: "40402 is versionNotFound", request: { getVersion }, status: 404,
            body: body(40402, "Version 3 not found."), kind: .versionNotFound, retryable: false),
        Case(
            testDescription: "40403 is schemaNotFound", request: { getSchema }, status: 404,
            body: body(40403, "Schema 99 not found"), kind: .schemaNotFound, retryable: false),
        Case(
            testDescription: "40404 is subjectSoftDeleted", request: { deleteSubject }, status: 404,
            body: body(40404, "Subject 'orders-value' was soft deleted.Set permanent=true to delete permanently"),
            kind: .subjectSoftDeleted, retryable: false),
        Case(
            testDescription: "40405 is subjectNotSoftDeleted", request: { deleteSubject }, status: 404,
            body: body(40405, "Subject 'orders-value' was not deleted first before being permanently deleted"),
            kind: .subjectNotSoftDeleted, retryable: false),
        Case(
            testDescription: "40406 is versionSoftDeleted", request: { deleteVersion }, status: 404,
            body: body(40406, "Subject 'orders-value' Version 3 was soft deleted."), kind: .versionSoftDeleted,
            retryable: false),
        Case(
            testDescription: "40407 is versionNotSoftDeleted", request: { deleteVersion }, status: 404,
            body: body(
                40407, "Subject 'orders-value' Version 3 was not deleted first before being permanently deleted"),
            kind: .versionNotSoftDeleted, retryable: false),
        Case(
            testDescription: "40408 is subjectConfigNotFound",
            request: { SchemaRegistryRequests.getSubjectCompatibility(subject: "orders-value") }, status: 404,
            body: body(40408, "Subject 'orders-value' does not have subject-level compatibility configured"),
            kind: .subjectConfigNotFound, retryable: false),
        Case(
            testDescription: "40409 is subjectModeNotFound",
            request: { SchemaRegistryRequests.getMode(subject: "orders-value") }, status: 404,
            body: body(40409, "Subject 'orders-value' does not have subject-level mode configured"),
            kind: .subjectModeNotFound, retryable: false),
        Case(
            testDescription: "404 without a registry body is notFound", request: { getVersion }, status: 404,
            body: "<html>Not Found</html>", kind: .notFound, retryable: false),
        Case(
            testDescription: "Confluent's 40901 is incompatibleSchema", request: { try register }, status: 409,
            body: body(
                40901, "Schema being registered is incompatible with an earlier schema for subject orders-value"),
            kind: .incompatibleSchema, retryable: false),
        Case(
            testDescription: "Karapace's and older Confluent's 409 is incompatibleSchema", request: { try register },
            status: 409,
            body: body(409, "Incompatible schema, compatibility_mode=BACKWARD expected: string found: int"),
            kind: .incompatibleSchema, retryable: false),
        Case(
            testDescription: "409 on register without a body is incompatibleSchema", request: { try register },
            status: 409, body: "", kind: .incompatibleSchema, retryable: false),
        Case(
            testDescription: "42201 is invalidSchema", request: { try register }, status: 422,
            body: body(42201, "Either the input schema or one its references is invalid"), kind: .invalidSchema,
            retryable: false),
        Case(
            testDescription: "Karapace's bare 422 for an unknown schemaType is invalidSchema",
            request: { try register },
            status: 422, body: body(422, "Invalid schemaType THRIFT"), kind: .invalidSchema, retryable: false),
        Case(
            testDescription: "42202 is invalidVersion", request: { getVersion }, status: 422,
            body: body(42202, "The specified version '0' is not a valid version id."), kind: .invalidVersion,
            retryable: false),
        Case(
            testDescription: "42203 is invalidCompatibilityLevel", request: { try setLevel }, status: 422,
            body: body(42203, "Invalid compatibility level. Valid values are none, backward, forward, full"),
            kind: .invalidCompatibilityLevel, retryable: false),
        Case(
            testDescription: "42204 is invalidMode", request: { try setMode }, status: 422,
            body: body(42204, "Invalid mode"), kind: .invalidMode, retryable: false),
        Case(
            testDescription: "42205 in READONLY mode is operationNotPermitted", request: { try register }, status: 422,
            body: body(42205, "Subject orders-value is in read-only mode"), kind: .operationNotPermitted,
            retryable: false),
        Case(
            testDescription: "42206 is referenceExists", request: { deleteVersion }, status: 422,
            body: body(
                42206,
                "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=orders-value,version=3}."),
            kind: .referenceExists, retryable: false),
        Case(
            testDescription: "42208 is invalidSubject", request: { try register }, status: 422,
            body: body(42208, "The specified subject is not a valid."), kind: .invalidSubject, retryable: false),
        Case(
            testDescription: "42209 is schemaTooLarge", request: { try register }, status: 422,
            body: body(42209, "Schema too large"), kind: .schemaTooLarge, retryable: false),
        Case(
            testDescription: "Karapace's 44302 is referencesNotSupported", request: { try register }, status: 422,
            body: body(44302, "Schema references are not supported for 'JSON' schema type"),
            kind: .referencesNotSupported, retryable: false),
        Case(
            testDescription: "FastAPI's own 422 with detail is unprocessable", request: { try register }, status: 422,
            body: #"{"detail":[{"loc":["body","schema"],"msg":"field required","type":"value_error.missing"}]}"#,
            kind: .unprocessable, retryable: false),
        Case(
            testDescription: "401 is unauthorized", request: { getVersion }, status: 401,
            body: #"{"error_code":401,"message":"Unauthorized"}"#, kind: .unauthorized, retryable: false),
        Case(
            testDescription: "403 is forbidden", request: { getVersion }, status: 403,
            body: #"{"error_code":40301,"message":"User is denied operation Write on Subject: orders-value"}"#,
            kind: .forbidden, retryable: false),
        Case(
            testDescription: "429 is rateLimited and retryable", request: { try register }, status: 429,
            body: #"{"error_code":429,"message":"Too Many Requests"}"#, kind: .rateLimited, retryable: true),
        Case(
            testDescription: "50001 is storeError and retryable", request: { try register }, status: 500,
            body: body(50001, "Error while registering schema"), kind: .storeError, retryable: true),
        Case(
            testDescription: "50002 is operationTimedOut and retryable", request: { try register }, status: 500,
            body: body(50002, "Register operation timed out"), kind: .operationTimedOut, retryable: true),
        Case(
            testDescription: "50003 is forwardingError and retryable", request: { try register }, status: 500,
            body: body(50003, "Error while forwarding register schema request to the leader"),
            kind: .forwardingError, retryable: true),
        Case(
            testDescription: "50004 is unknownLeader and retryable", request: { try setMode }, status: 500,
            body: body(50004, "Unknown leader"), kind: .unknownLeader, retryable: true),
        Case(
            testDescription: "502 from a proxy is serverError and retryable", request: { getVersion }, status: 502,
            body: "Bad Gateway", kind: .serverError, retryable: true),
        Case(
            testDescription: "503 without a body is serverError and retryable", request: { getVersion }, status: 503,
            body: "", kind: .serverError, retryable: true),
        Case(
            testDescription: "418 is unexpectedStatus", request: { getVersion }, status: 418, body: "",
            kind: .unexpectedStatus, retryable: false),
    ]

    @Test("each documented error code maps to its kind", arguments: cases)
    func mapping(_ testCase: Case) throws {
        let request = try testCase.request()
        let error = SchemaRegistryResponses.error(for: response(testCase.status, testCase.body), of: request)
        #expect(error.kind == testCase.kind)
        #expect(error.isRetryable == testCase.retryable)
        #expect(error.status == testCase.status)
        #expect(error.operation == request.operation)
        #expect(!error.message.isEmpty)
    }

    @Test("the error says what was being done, the registry's message and both codes")
    func description() throws {
        let error = SchemaRegistryResponses.error(
            for: response(409, Self.body(40901, "Schema being registered is incompatible with an earlier schema")),
            of: try Self.register)
        #expect(
            error.description
                == "while registering a schema under subject orders-value: Schema being registered is incompatible with an earlier schema (HTTP 409, error 40901)"
        )
        #expect(error.errorCode == 40901)
        #expect(error.metricLabel == "IncompatibleSchema")
    }

    @Test("Retry-After on a 429 is kept")
    func retryAfter() {
        let error = SchemaRegistryResponses.error(
            for: response(429, "", headers: [("Retry-After", "7")]), of: Self.getVersion)
        #expect(error.retryAfter == .seconds(7))
    }

    @Test("a timeout and a refused connection are retryable transport errors")
    func transport() {
        let timeout = SchemaRegistryResponses.error(
            for: TransportError(system: "schema registry", operation: "x", kind: .timeout, detail: "deadline"),
            of: Self.getVersion)
        #expect(timeout.kind == .timeout && timeout.isRetryable && timeout.status == nil)
        let refused = SchemaRegistryResponses.error(
            for: TransportError(system: "schema registry", operation: "x", kind: .connection, detail: "refused"),
            of: Self.getVersion)
        #expect(refused.kind == .connection && refused.isRetryable)
        #expect(refused.description.hasPrefix("while reading version 3 of subject orders-value: cannot connect"))
    }
}
