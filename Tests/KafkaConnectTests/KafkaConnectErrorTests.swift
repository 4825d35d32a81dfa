import Foundation
import IntegrationSupport
import KafkaConnect
import Testing

/// What each Connect error answer becomes, per call, and whether retrying helps.
/// Messages are Connect's own (ConnectorsResource, HerderRequestHandler,
/// ConnectExceptionMapper), as `REST_NOTES.md` summarizes them.
@Suite("Kafka Connect errors become typed errors that say whether a retry can help")
struct KafkaConnectErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var call: @Sendable (HTTPKafkaConnectClient) async throws -> Void
        var status: Int
        var body: String
        var kind: KafkaConnectError.Kind
        var retryable: Bool
    }

    static let create: @Sendable (HTTPKafkaConnectClient) async throws -> Void = {
        _ = try await $0.createConnector("trading.cdc", config: ["tasks.max": "1"], initialState: nil)
    }
    static let put: @Sendable (HTTPKafkaConnectClient) async throws -> Void = {
        _ = try await $0.putConnectorConfig("trading.cdc", config: ["tasks.max": "1"])
    }
    static let pause: @Sendable (HTTPKafkaConnectClient) async throws -> Void = {
        try await $0.pauseConnector("trading.cdc")
    }
    static let delete: @Sendable (HTTPKafkaConnectClient) async throws -> Void = {
        try await $0.deleteConnector("trading.cdc")
    }
    static let alter: @Sendable (HTTPKafkaConnectClient) async throws -> Void = {
        _ = try await $0.alterOffsets("trading.cdc", offsets: [.init(partitionJSON: "{}", offsetJSON: nil)])
    }

    static let rebalance =
        "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)"

    static let cases: [Case] = [
        Case(
            testDescription: "404 on pause is notFound", call: pause, status: 404,
            body: errorBody(404, "Connector trading.cdc not found"), kind: .notFound, retryable: false),
        Case(
            testDescription: "409 on POST /connectors is alreadyExists", call: create, status: 409,
            body: errorBody(409, "Connector trading.cdc already exists"), kind: .alreadyExists, retryable: false),
        Case(
            testDescription: "409 on POST /connectors without a body is alreadyExists", call: create, status: 409,
            body: "", kind: .alreadyExists, retryable: false),
        Case(
            testDescription: "409 on POST /connectors that names a rebalance is rebalancing", call: create,
            status: 409, body: errorBody(409, rebalance), kind: .rebalancing, retryable: true),
        Case(
            testDescription: "409 on PUT config is rebalancing", call: put, status: 409,
            body: errorBody(
                409,
                "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway."
            ),
            kind: .rebalancing, retryable: true),
        Case(
            testDescription: "409 on delete is rebalancing", call: delete, status: 409,
            body: errorBody(409, rebalance), kind: .rebalancing, retryable: true),
        Case(
            testDescription: "400 invalid configuration is badRequest", call: put, status: 400,
            body: errorBody(
                400,
                "Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration \"database.hostname\" which has no default value.\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`"
            ), kind: .badRequest, retryable: false),
        Case(
            testDescription: "400 on altering offsets of a running connector is badRequest", call: alter,
            status: 400,
            body: errorBody(
                400,
                "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/trading.cdc/stop' endpoint"
            ), kind: .badRequest, retryable: false),
        Case(
            testDescription: "401 from a basic-auth extension is unauthorized", call: pause, status: 401,
            body: errorBody(401, "Unauthorized"), kind: .unauthorized, retryable: false),
        Case(
            testDescription: "403 is forbidden", call: { _ = try await $0.topics("trading.cdc") }, status: 403,
            body: errorBody(403, "Topic tracking is disabled."), kind: .forbidden, retryable: false),
        Case(
            testDescription: "500 Request timed out is a retryable serverError", call: create, status: 500,
            body: errorBody(500, "Request timed out"), kind: .serverError, retryable: true),
        Case(
            testDescription: "503 from a proxy without a JSON body is serverError", call: pause, status: 503,
            body: "<html>upstream unavailable</html>", kind: .serverError, retryable: true),
        Case(
            testDescription: "429 is unexpectedStatus and retryable", call: pause, status: 429,
            body: "", kind: .unexpectedStatus, retryable: true),
        Case(
            testDescription: "405 is unexpectedStatus and not retryable", call: { try await $0.stopConnector("old") },
            status: 405, body: errorBody(405, "HTTP 405 Method Not Allowed"), kind: .unexpectedStatus,
            retryable: false),
    ]

    @Test("each error answer maps to its kind and retryability", arguments: cases)
    func mapping(_ c: Case) async throws {
        let error = try #require(await connectError { try await c.call(answering(c.status, c.body)) })
        #expect(error.kind == c.kind)
        #expect(error.isRetryable == c.retryable)
        #expect(error.status == c.status)
    }

    @Test("Connect's message and error_code are kept verbatim")
    func verbatim() async throws {
        let message = "Connector configuration is invalid and contains the following 1 error(s):\n  bad \"value\"\n"
        let error = try #require(await connectError { try await Self.put(answering(400, errorBody(400, message))) })
        #expect(error.message == message)
        #expect(error.errorCode == 400)
        #expect(error.operation == "applying the configuration of connector trading.cdc")
        #expect(
            error.description
                == "while applying the configuration of connector trading.cdc on Kafka Connect: \(message) (HTTP 400)")
    }

    @Test("a Retry-After header in seconds is kept; other forms are ignored")
    func retryAfter() async throws {
        let limited = HTTPKafkaConnectClient { _ in
            BackendResponse(status: 429, headers: [(name: "Retry-After", value: " 12 ")], body: Data())
        }
        let error = try #require(await connectError { try await Self.pause(limited) })
        #expect(error.retryAfter == .seconds(12))
        #expect(error.isRetryable)
        let dated = HTTPKafkaConnectClient { _ in
            BackendResponse(status: 503, headers: [(name: "Retry-After", value: "Wed, 21 Oct 2026 07:28:00 GMT")], body: Data())
        }
        #expect(try #require(await connectError { try await Self.pause(dated) }).retryAfter == nil)
    }

    @Test("a body without a message says the status instead")
    func noMessage() async throws {
        let error = try #require(await connectError { try await Self.pause(answering(502)) })
        #expect(error.message == "bad gateway")
        #expect(error.errorCode == nil)
        let proxy = try #require(await connectError { try await Self.pause(answering(503, "  upstream down \n")) })
        #expect(proxy.message == "upstream down")
    }

    @Test("a timeout and a refused connection are retryable and name the operation")
    func transport() async throws {
        for kind in [TransportError.Kind.timeout, .connection] {
            let client = HTTPKafkaConnectClient { request in
                throw TransportError(system: "Kafka Connect", operation: request.operation, kind: kind, detail: "x")
            }
            let error = try #require(await connectError { try await client.stopConnector("trading.cdc") })
            #expect(error.kind == (kind == .timeout ? .timeout : .connection))
            #expect(error.isRetryable)
            #expect(error.status == nil)
            #expect(error.operation == "stopping connector trading.cdc")
        }
    }

    @Test("cancellation is not turned into a KafkaConnectError")
    func cancellation() async throws {
        let client = HTTPKafkaConnectClient { _ in throw CancellationError() }
        await #expect(throws: CancellationError.self) { try await client.serverInfo() }
    }
}
