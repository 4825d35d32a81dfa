import Foundation
import IntegrationSupport
import OpenLineage
import Simulators
import Testing

/// The client against the OpenLineage simulator over real HTTP on an ephemeral
/// loopback port. The two were written apart from the same specs and share no
/// types, so a misreading on one side shows up here.
@Suite("HTTPLineageClient against the OpenLineage simulator over HTTP")
struct HTTPLineageClientSimulatorTests {
    typealias Op = OpenLineageSimulator.Operation

    @Test("Marquez accepts an event (201) and stores it as sent")
    func accepted() async throws {
        try await withSimulator { marquez, url in
            let client = HTTPLineageClient(baseURL: url, timeout: .seconds(10))
            let event = try LineageEventEncodingTests.fullEvent()
            try await client.send(event)
            let stored = try #require(marquez.events().first)
            #expect(marquez.events().count == 1)
            #expect(marquez.requests.count(Op.recordLineage) == 1)
            #expect(stored.path == "/api/v1/lineage")
            #expect(stored.eventType == "FAIL")
            #expect(stored.eventTime == "2025-03-01T10:15:30.123Z")
            #expect(stored.runID == "0195501a-5c2b-7a3e-9f10-3c4d5e6f7a8b")
            #expect(stored.job == .init(namespace: "hmco", name: "databranch.orders-dev.merge"))
            #expect(canonicalJSON(stored.json) == canonicalJSON(try event.encoded()))
            #expect(
                marquez.datasets() == [
                    .init(namespace: "postgres://pg.trading.svc:5432", name: "trading.public.orders"),
                    .init(namespace: "s3://curated", name: "orders"),
                ])
        }
    }

    @Test("the generic consumer path is POST /lineage (200)")
    func genericPath() async throws {
        try await withSimulator { marquez, url in
            let client = HTTPLineageClient(baseURL: url, path: HTTPLineageClient.genericPath)
            try await client.send(Fixture.event(.start))
            #expect(marquez.requests.count(Op.postRunEvent) == 1)
            #expect(marquez.events().map(\.path) == ["/lineage"])
        }
    }

    @Test("an invalid event is refused with 422 and the simulator's reasons, and not stored")
    func invalid() async throws {
        try await withSimulator { marquez, url in
            let client = HTTPLineageClient(baseURL: url)
            var event = Fixture.invalidEvent()
            event.inputs[0].namespace = ""
            let error = try #require(await lineageError { try await client.send(event) })
            #expect(error.kind == .invalidEvent)
            #expect(error.status == 422)
            #expect(!error.isRetryable)
            #expect(error.errors.sorted() == ["inputs[0].namespace must not be empty", "job.name must not be empty"])
            #expect(marquez.events().isEmpty)
        }
    }

    @Test("a 500 is a retryable serverError, a 429 carries its Retry-After")
    func serverErrors() async throws {
        try await withSimulator { marquez, url in
            let client = HTTPLineageClient(baseURL: url)
            marquez.faults.failNext(1, with: .internalServerError, operation: Op.recordLineage)
            let failure = try #require(await lineageError { try await client.send(Fixture.event()) })
            #expect(failure.kind == .serverError)
            #expect(failure.isRetryable)
            marquez.faults.failNext(1, with: InjectedFailure(status: 429, retryAfterSeconds: 2))
            let throttled = try #require(await lineageError { try await client.send(Fixture.event()) })
            #expect(throttled.kind == .unexpectedStatus)
            #expect(throttled.isRetryable)
            #expect(throttled.retryAfter == .seconds(2))
            #expect(marquez.events().isEmpty)
            try await client.send(Fixture.event())
            #expect(marquez.events().count == 1)
        }
    }

    @Test("a backend that hangs past the client's deadline is a retryable timeout")
    func timeout() async throws {
        try await withSimulator { marquez, url in
            let client = HTTPLineageClient(baseURL: url, timeout: .milliseconds(300))
            marquez.faults.hangNext(1, for: .seconds(30), operation: Op.recordLineage)
            let start = ContinuousClock.now
            let error = try #require(await lineageError { try await client.send(Fixture.event()) })
            #expect(error.kind == .timeout)
            #expect(error.isRetryable)
            // The client gave up long before the backend answered (bound far from a loaded machine's noise).
            #expect(ContinuousClock.now - start < .seconds(15))
        }
    }

    @Test("a stopped backend is a retryable connection error")
    func connectionRefused() async throws {
        let marquez = OpenLineageSimulator()
        let url = try await marquez.start()
        await marquez.stop()
        let client = HTTPLineageClient(baseURL: url, timeout: .seconds(5))
        let error = try #require(await lineageError { try await client.send(Fixture.event()) })
        #expect(error.kind == .connection)
        #expect(error.isRetryable)
    }

    @Test("a bearer token is sent; without it a proxy's 401 is unauthorized")
    func bearer() async throws {
        try await withSimulator(.init(bearerToken: "s3cret")) { marquez, url in
            let anonymous = HTTPLineageClient(baseURL: url)
            let error = try #require(await lineageError { try await anonymous.send(Fixture.event()) })
            #expect(error.kind == .unauthorized)
            #expect(!error.description.contains("s3cret"))
            try await HTTPLineageClient(baseURL: url, auth: .bearer(token: "s3cret")).send(Fixture.event())
            #expect(marquez.events().count == 1)
        }
    }
}
