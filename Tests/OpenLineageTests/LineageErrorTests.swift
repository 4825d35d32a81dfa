import Foundation
import IntegrationSupport
import OpenLineage
import TestSupport
import Testing

/// What each backend answer becomes, and whether retrying helps. Bodies are
/// Marquez's (Dropwizard's `{"errors": [...]}` for 422, `{"code", "message"}` otherwise).
@Suite("Lineage backend answers become typed errors that say whether a retry can help")
struct LineageErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var status: Int
        var body: String
        var headers: [String: String] = [:]
        var kind: LineageError.Kind
        var retryable: Bool
        var message: String
        var errors: [String] = []
        var retryAfter: Duration? = nil
    }

    static let cases: [Case] = [
        Case(
            testDescription: "422 is invalidEvent with Marquez's errors", status: 422,
            body: #"{"errors": ["job.name must not be empty", "run.runId must be a UUID: 'x'"]}"#,
            kind: .invalidEvent, retryable: false,
            message: "job.name must not be empty; run.runId must be a UUID: 'x'",
            errors: ["job.name must not be empty", "run.runId must be a UUID: 'x'"]),
        Case(
            testDescription: "400 is badRequest with Dropwizard's message", status: 400,
            body: #"{"code": 400, "message": "Unable to process JSON"}"#, kind: .badRequest, retryable: false,
            message: "Unable to process JSON"),
        Case(
            testDescription: "401 is unauthorized", status: 401, body: "", kind: .unauthorized, retryable: false,
            message: "unauthorized"),
        Case(
            testDescription: "403 is unauthorized", status: 403, body: "forbidden by proxy", kind: .unauthorized,
            retryable: false, message: "forbidden by proxy"),
        Case(
            testDescription: "500 is serverError, retryable", status: 500,
            body: #"{"code": 500, "message": "There was an error processing your request."}"#, kind: .serverError,
            retryable: true, message: "There was an error processing your request."),
        Case(
            testDescription: "503 with Retry-After is serverError with the wait", status: 503, body: "",
            headers: ["Retry-After": "7"], kind: .serverError, retryable: true, message: "service unavailable",
            retryAfter: .seconds(7)),
        Case(
            testDescription: "429 is unexpectedStatus, retryable, with Retry-After", status: 429, body: "",
            headers: ["Retry-After": "3"], kind: .unexpectedStatus, retryable: true, message: "too many requests",
            retryAfter: .seconds(3)),
        Case(
            testDescription: "408 is unexpectedStatus, retryable", status: 408, body: "", kind: .unexpectedStatus,
            retryable: true, message: "request timeout"),
        Case(
            testDescription: "404 (wrong path) is unexpectedStatus, not retryable", status: 404,
            body: #"{"code": 404, "message": "HTTP 404 Not Found"}"#, kind: .unexpectedStatus, retryable: false,
            message: "HTTP 404 Not Found"),
        Case(
            testDescription: "an HTML error page is quoted, not parsed", status: 502, body: "<html>bad gateway</html>",
            kind: .serverError, retryable: true, message: "<html>bad gateway</html>"),
    ]

    @Test("status and body map to the error", arguments: cases)
    func mapping(_ example: Case) async throws {
        let event = Fixture.event()
        let client = HTTPLineageClient { _ in
            response(example.status, example.body, headers: example.headers.map { ($0.key, $0.value) })
        }
        let error = try #require(await lineageError { try await client.send(event) })
        #expect(error.kind == example.kind)
        #expect(error.status == example.status)
        #expect(error.isRetryable == example.retryable)
        #expect(error.message == example.message)
        #expect(error.errors == example.errors)
        #expect(error.retryAfter == example.retryAfter)
        #expect(error.operation == "sending the \(event.summary)")
        #expect(error.description.contains("databranch.orders-dev.merge"))
    }

    @Test("any 2xx is success", arguments: [200, 201, 202, 204])
    func success(_ status: Int) async throws {
        let client = HTTPLineageClient { _ in response(status) }
        try await client.send(Fixture.event())
    }

    @Test("no answer is a timeout or a connection error, both retryable")
    func transport() async throws {
        for kind in [TransportError.Kind.timeout, .connection] {
            let client = HTTPLineageClient { request in
                throw TransportError(system: "lineage", operation: request.operation, kind: kind, detail: "test")
            }
            let error = try #require(await lineageError { try await client.send(Fixture.event()) })
            #expect(error.kind == (kind == .timeout ? .timeout : .connection))
            #expect(error.isRetryable)
            #expect(error.status == nil)
        }
    }

    @Test("the request is a POST of the event's JSON to the configured path")
    func request() async throws {
        let seen = Locked<[HTTPLineageClient.Request]>([])
        let event = Fixture.event()
        for path in [HTTPLineageClient.marquezPath, HTTPLineageClient.genericPath] {
            let client = HTTPLineageClient(path: path) { request in
                seen.withLock { $0.append(request) }
                return response(201)
            }
            try await client.send(event)
        }
        let requests = seen.value
        #expect(requests.map(\.path) == ["/api/v1/lineage", "/lineage"])
        #expect(canonicalJSON(requests.first?.body) == canonicalJSON(try event.encoded()))
    }
}
