import Foundation
import IntegrationSupport
import SchemaRegistry
import Synchronization
import Testing

/// The client over a recording transport: what it sends for each call and
/// what it makes of the answers, without a network.
@Suite("HTTPSchemaRegistryClient sends the built requests and reads their answers")
struct HTTPSchemaRegistryClientTests {
    /// Answers each request with the next canned response and records it.
    final class Recorder: Sendable {
        private let state: Mutex<(requests: [SchemaRegistryRequest], answers: [BackendResponse])>

        init(_ answers: [BackendResponse]) { state = Mutex(([], answers)) }

        var requests: [SchemaRegistryRequest] { state.withLock { $0.requests } }

        var client: HTTPSchemaRegistryClient {
            HTTPSchemaRegistryClient { request in
                try self.state.withLock { state in
                    state.requests.append(request)
                    guard !state.answers.isEmpty else {
                        throw TransportError(
                            system: "schema registry", operation: request.operation, kind: .connection,
                            detail: "no answer recorded")
                    }
                    return state.answers.removeFirst()
                }
            }
        }
    }

    @Test("the level is set before registering, and the id and version come back")
    func setLevelThenRegister() async throws {
        let recorder = Recorder([response(200, #"{"compatibility":"FULL"}"#), response(200, #"{"id":5,"version":1}"#)])
        let client = recorder.client
        try await client.setSubjectCompatibility(subject: "orders-value", level: .full)
        let registration = try await client.register(subject: "orders-value", definition: .init(schema: ordersV1))
        #expect(registration == SchemaRegistration(id: 5, version: 1))
        #expect(
            recorder.requests.map(\.description) == [
                "PUT /config/orders-value", "POST /subjects/orders-value/versions",
            ])
    }

    @Test("an incompatible registration throws incompatibleSchema with the registry's message")
    func incompatible() async throws {
        let recorder = Recorder([
            response(409, #"{"error_code":409,"message":"Incompatible schema, compatibility_mode=BACKWARD"}"#)
        ])
        await #expect(throws: SchemaRegistryError.self) {
            try await recorder.client.register(subject: "orders-value", definition: .init(schema: ordersV1))
        }
        do {
            _ = try await Recorder([
                response(409, #"{"error_code":40901,"message":"incompatible: READER_FIELD_MISSING_DEFAULT_VALUE"}"#)
            ]).client.register(subject: "orders-value", definition: .init(schema: ordersV1))
        } catch let error as SchemaRegistryError {
            #expect(error.kind == .incompatibleSchema)
            #expect(error.message.contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
        }
    }

    @Test("absent subject-level settings and unregistered schemas are nil, not errors")
    func absent() async throws {
        let recorder = Recorder([
            response(404, #"{"error_code":40408,"message":"no subject-level compatibility"}"#),
            response(404, #"{"error_code":40409,"message":"no subject-level mode"}"#),
            response(404, #"{"error_code":40403,"message":"Schema not found"}"#),
            response(200, #"{"mode":"READWRITE"}"#),
        ])
        let client = recorder.client
        #expect(try await client.getSubjectCompatibility(subject: "s") == nil)
        #expect(try await client.getMode(subject: "s", defaultToGlobal: false) == nil)
        #expect(try await client.lookup(subject: "s", definition: .init(schema: ordersV1)) == nil)
        #expect(try await client.getGlobalMode() == .readWrite)
    }

    @Test("a global mode that is missing is an error, not nil")
    func globalModeMissing() async throws {
        let recorder = Recorder([response(404, #"{"error_code":40401,"message":"not found"}"#)])
        await #expect(throws: SchemaRegistryError.self) { try await recorder.client.getGlobalMode() }
    }

    @Test("a transport failure becomes a retryable error naming the operation")
    func transportFailure() async throws {
        do {
            _ = try await Recorder([]).client.listSubjects()
            Issue.record("expected an error")
        } catch let error as SchemaRegistryError {
            #expect(error.kind == .connection)
            #expect(error.isRetryable)
            #expect(error.operation == "listing subjects")
        }
    }

    @Test("a registry that is not listening is a connection error over real HTTP")
    func notListening() async throws {
        // Port 9 (discard) is closed on loopback in test environments.
        let client = HTTPSchemaRegistryClient(
            serverURL: try #require(URL(string: "http://127.0.0.1:9")), auth: .basic(username: "u", password: "p"),
            timeout: .seconds(1))
        do {
            _ = try await client.getGlobalCompatibility()
            Issue.record("expected an error")
        } catch let error as SchemaRegistryError {
            #expect(error.kind == .connection || error.kind == .timeout)
            #expect(error.isRetryable)
        }
    }
}
