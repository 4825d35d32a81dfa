import Foundation
import IntegrationSupport
import OpenLineage
import Simulators
import TestSupport
import Testing

/// The emitter in front of the client: reconcilers hand it events and carry on;
/// it delivers them in order, retries what can succeed later and counts the rest.
@Suite("LineageEmitter delivers in the background without slowing reconcilers")
struct LineageEmitterTests {
    typealias Op = OpenLineageSimulator.Operation

    /// Fast retries, so the tests do not wait on production backoff.
    static func configuration(
        capacity: Int = 1_000, maxAttempts: Int = 4, shutdownDeadline: Duration = .seconds(5)
    ) -> LineageEmitter.Configuration {
        .init(
            capacity: capacity, maxAttempts: maxAttempts, initialBackoff: .milliseconds(10),
            maxBackoff: .seconds(5), shutdownDeadline: shutdownDeadline)
    }

    /// Runs the emitter for the duration of `body`, then cancels it and waits until `run()` returned.
    static func running(_ emitter: LineageEmitter, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await emitter.run() }
            defer { group.cancelAll() }
            try await body()
        }
    }

    @Test("events reach the backend in the order they were emitted")
    func order() async throws {
        try await withSimulator { marquez, url in
            let emitter = LineageEmitter(client: HTTPLineageClient(baseURL: url), configuration: Self.configuration())
            try await Self.running(emitter) {
                for index in 0..<50 { emitter.emit(Fixture.event(job: "job-\(index)")) }
                await emitter.flush()
                #expect(marquez.events().compactMap(\.job?.name) == (0..<50).map { "job-\($0)" })
                let statistics = emitter.statistics
                #expect(statistics.emitted == 50)
                #expect(statistics.sent == 50)
                #expect(statistics.failed == 0)
                #expect(statistics.dropped == 0)
                #expect(statistics.pending == 0)
            }
        }
    }

    @Test("a 5xx is retried until the backend accepts, and the events behind it wait their turn")
    func retriesServerErrors() async throws {
        try await withSimulator { marquez, url in
            let emitter = LineageEmitter(client: HTTPLineageClient(baseURL: url), configuration: Self.configuration())
            marquez.faults.failNext(2, with: .serviceUnavailable, operation: Op.recordLineage)
            try await Self.running(emitter) {
                emitter.emit(Fixture.event(job: "first"))
                emitter.emit(Fixture.event(job: "second"))
                await emitter.flush()
                #expect(marquez.events().compactMap(\.job?.name) == ["first", "second"])
                #expect(marquez.requests.count(Op.recordLineage) == 4)
                #expect(emitter.statistics.sent == 2)
                #expect(emitter.statistics.retries == 2)
                #expect(emitter.statistics.failed == 0)
                #expect(emitter.lastError?.kind == .serverError)
            }
        }
    }

    @Test("an event still failing after the last attempt counts as failed and the next one goes on")
    func retriesAreBounded() async throws {
        try await withSimulator { marquez, url in
            let emitter = LineageEmitter(
                client: HTTPLineageClient(baseURL: url), configuration: Self.configuration(maxAttempts: 3))
            marquez.faults.failNext(3, with: .internalServerError, operation: Op.recordLineage)
            try await Self.running(emitter) {
                emitter.emit(Fixture.event(job: "unlucky"))
                emitter.emit(Fixture.event(job: "next"))
                await emitter.flush()
                #expect(marquez.requests.count(Op.recordLineage) == 4)
                #expect(marquez.events().compactMap(\.job?.name) == ["next"])
                #expect(emitter.statistics.failed == 1)
                #expect(emitter.statistics.sent == 1)
                #expect(emitter.statistics.retries == 2)
            }
        }
    }

    @Test("an invalid event (422) is not retried")
    func noRetryOnInvalidEvent() async throws {
        try await withSimulator { marquez, url in
            let emitter = LineageEmitter(client: HTTPLineageClient(baseURL: url), configuration: Self.configuration())
            try await Self.running(emitter) {
                emitter.emit(Fixture.invalidEvent())
                emitter.emit(Fixture.event(job: "valid"))
                await emitter.flush()
                #expect(marquez.requests.count(Op.recordLineage) == 2)
                #expect(marquez.events().compactMap(\.job?.name) == ["valid"])
                #expect(emitter.statistics.failed == 1)
                #expect(emitter.statistics.retries == 0)
                #expect(emitter.lastError?.kind == .invalidEvent)
                #expect(emitter.lastError?.errors == ["job.name must not be empty"])
            }
        }
    }

    @Test("an error that is not a LineageError is not retried")
    func foreignErrorsAreNotRetried() async throws {
        struct Broken: Error {}
        let client = ScriptedClient([Broken()])
        let emitter = LineageEmitter(client: client, configuration: Self.configuration())
        try await Self.running(emitter) {
            emitter.emit(Fixture.event())
            await emitter.flush()
        }
        #expect(client.received.count == 1)
        #expect(emitter.statistics.failed == 1)
    }

    @Test("a Retry-After longer than the backoff is waited out")
    func retryAfter() async throws {
        try await withSimulator { marquez, url in
            let emitter = LineageEmitter(client: HTTPLineageClient(baseURL: url), configuration: Self.configuration())
            marquez.faults.failNext(
                1, with: InjectedFailure(status: 429, retryAfterSeconds: 1), operation: Op.recordLineage)
            try await Self.running(emitter) {
                emitter.emit(Fixture.event())
                await emitter.flush()
            }
            let arrivals = marquez.requests.recent.filter { $0.operation == Op.recordLineage }.map(\.arrival)
            try #require(arrivals.count == 2)
            #expect(arrivals[1] - arrivals[0] >= .milliseconds(900))
            #expect(emitter.statistics.sent == 1)
        }
    }

    @Test("beyond capacity the oldest waiting events are dropped and counted")
    func dropsOldest() async throws {
        let client = ScriptedClient()
        let emitter = LineageEmitter(client: client, configuration: Self.configuration(capacity: 3))
        for index in 0..<5 { emitter.emit(Fixture.event(job: "job-\(index)")) }
        #expect(emitter.statistics.dropped == 2)
        #expect(emitter.statistics.pending == 3)
        #expect(emitter.statistics.emitted == 5)
        try await Self.running(emitter) {
            await emitter.flush()
        }
        #expect(client.received.map(\.job.name) == ["job-2", "job-3", "job-4"])
        #expect(emitter.statistics.sent == 3)
        #expect(emitter.statistics.pending == 0)
    }

    @Test("emit returns at once while the backend hangs; stopping gives up on it after the deadline")
    func emitDoesNotBlock() async throws {
        try await withSimulator { marquez, url in
            marquez.faults.hangNext(1, for: .seconds(30), operation: Op.recordLineage)
            let emitter = LineageEmitter(
                client: HTTPLineageClient(baseURL: url, timeout: .seconds(60)),
                configuration: Self.configuration(shutdownDeadline: .milliseconds(300)))
            let run = Task { await emitter.run() }
            emitter.emit(Fixture.event(job: "stuck"))
            #expect(await eventually(timeout: .seconds(10)) { marquez.requests.count(Op.recordLineage) == 1 })

            let start = ContinuousClock.now
            for index in 0..<500 { emitter.emit(Fixture.event(job: "queued-\(index)")) }
            #expect(ContinuousClock.now - start < .seconds(1))
            #expect(emitter.statistics.pending == 501)

            let stopping = ContinuousClock.now
            run.cancel()
            await run.value
            // Far below the 30 s hang and the 60 s client timeout, with room for a loaded machine.
            #expect(ContinuousClock.now - stopping < .seconds(15))
            #expect(emitter.statistics.dropped == 501)
            #expect(emitter.statistics.sent == 0)
            #expect(emitter.statistics.pending == 0)
        }
    }

    @Test("events queued when run() is cancelled are still delivered within the deadline")
    func drainsOnStop() async throws {
        try await withSimulator { marquez, url in
            marquez.faults.setLatency(.milliseconds(20), operation: Op.recordLineage)
            // A deadline far beyond what 10 sends take, also on a loaded machine; the test ends when they are sent.
            let emitter = LineageEmitter(
                client: HTTPLineageClient(baseURL: url), configuration: Self.configuration(shutdownDeadline: .seconds(60)))
            let run = Task { await emitter.run() }
            for index in 0..<10 { emitter.emit(Fixture.event(job: "job-\(index)")) }
            run.cancel()
            await run.value
            #expect(marquez.events().compactMap(\.job?.name) == (0..<10).map { "job-\($0)" })
            #expect(emitter.statistics.sent == 10)
            #expect(emitter.statistics.dropped == 0)
        }
    }

    @Test("flush returns at once when nothing was emitted, and when its task is cancelled")
    func flushReturns() async throws {
        let emitter = LineageEmitter(client: ScriptedClient(), configuration: Self.configuration())
        await emitter.flush()
        emitter.emit(Fixture.event())
        // Not running: flush waits until cancelled.
        let flush = Task { await emitter.flush() }
        flush.cancel()
        await flush.value
        #expect(emitter.statistics.pending == 1)
    }

    @Test("a second run() alongside the first returns at once and sends nothing twice")
    func singleRun() async throws {
        let client = ScriptedClient()
        let emitter = LineageEmitter(client: client, configuration: Self.configuration())
        try await Self.running(emitter) {
            #expect(await eventually { emitter.isRunning })
            await emitter.run()
            emitter.emit(Fixture.event())
            await emitter.flush()
        }
        #expect(client.received.count == 1)
    }
}
