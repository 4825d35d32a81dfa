import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// lakeFS failing for a while — 5xx, 429 with Retry-After, requests that hang —
/// and coming back: status says BackendUnavailable, the operator backs off (no
/// hot loop), and Ready returns by itself.
@Suite("DataBranch when lakeFS is unavailable")
struct DataBranchOutageTests {
    typealias Op = LakeFSSimulator.Operation
    static let repo = DataBranchWorld.repository

    /// Arrival times of the reconciles' first request (each attempt starts by reading the repository).
    static func attempts(_ world: DataBranchWorld, since start: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        world.lakeFS.requests.recent.filter { $0.arrival >= start && $0.operation == Op.getRepository }.map(\.arrival)
    }

    /// Every request lakeFS got in `window`, whatever the operation.
    static func requests(_ world: DataBranchWorld, in window: ClosedRange<ContinuousClock.Instant>) -> Int {
        world.lakeFS.requests.recent.filter { window.contains($0.arrival) }.count
    }

    static func gaps(_ times: [ContinuousClock.Instant]) -> [Duration] {
        zip(times.dropFirst(), times).map { $0.0 - $0.1 }
    }

    @Test("lakeFS down for a while: BackendUnavailable, retries back off, and Ready again when it returns")
    func lakeFSDownThenBack() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }

            let outageStart = ContinuousClock.now
            world.lakeFS.faults.fail(fraction: 1, with: .internalServerError)
            try await world.requestReconcile("dev")
            let down = try await world.waitFor("dev", "Ready=False BackendUnavailable") {
                $0.has("Ready", .false, reason: StandardReason.backendUnavailable)
            }
            #expect(down.condition("Ready")?.message.contains("HTTP 500") == true)
            let attempts: @Sendable () -> [ContinuousClock.Instant] = {
                world.lakeFS.requests.recent.filter { $0.arrival >= outageStart && $0.operation == Op.getRepository }.map(\.arrival)
            }
            #expect(await eventually(timeout: .seconds(15)) { attempts().count >= 10 })
            world.lakeFS.faults.clear()
            let outageEnd = ContinuousClock.now
            try await world.waitFor("dev", "Ready=True after lakeFS returned", timeout: .seconds(20)) { $0.has("Ready", .true) }

            // Backoff doubles from 5 ms per failure, so after ten failures the operator
            // waits over a second between attempts; a hot loop never pauses. (Gaps are
            // not compared one by one: under load a retry may start right after a slow
            // attempt, and a status write queues one extra attempt.)
            let failed = attempts().filter { $0 <= outageEnd }
            let sequence = Array(attempts().prefix(failed.count + 1))
            let gaps = zip(sequence.dropFirst(), sequence).map { $0.0 - $0.1 }
            #expect(failed.count <= 14, "\(failed.count) attempts in \(outageStart.duration(to: outageEnd))")
            #expect((gaps.max() ?? .zero) >= .milliseconds(900), "gaps between attempts: \(gaps)")
        }
    }

    @Test("lakeFS answering 429 with Retry-After: BackendUnavailable, one request per attempt, backing off, Ready again after")
    func rateLimitedThenBack() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }

            let outageStart = ContinuousClock.now
            world.lakeFS.faults.fail(
                fraction: 1, with: InjectedFailure(status: 429, message: "rate limit exceeded", retryAfterSeconds: 1))
            try await world.requestReconcile("dev")
            let down = try await world.waitFor("dev", "Ready=False BackendUnavailable") {
                $0.has("Ready", .false, reason: StandardReason.backendUnavailable)
            }
            let message = down.condition("Ready")?.message ?? ""
            #expect(message.contains("HTTP 429"), "\(message)")
            #expect(message.contains("rate limit exceeded"), "\(message)")
            #expect(message.contains("retry after 1s"), "\(message)")

            #expect(await eventually(timeout: .seconds(20)) { Self.attempts(world, since: outageStart).count >= 10 })
            let outageEnd = ContinuousClock.now
            world.lakeFS.faults.clear()
            let failed = Self.attempts(world, since: outageStart).filter { $0 <= outageEnd }
            // Backoff doubles from 5 ms, so ten attempts take at least 5 + 10 + … + 1280 ms = 2.56 s
            // (1.28 s should one extra attempt slip in right after a status write); a hot loop
            // makes them in a few milliseconds. Load only stretches this span.
            let span = try #require(failed.first).duration(to: try #require(failed.dropFirst(9).first))
            #expect(span >= .milliseconds(1200), "ten attempts in \(span): \(Self.gaps(failed))")
            // Each attempt stops at the first refusal: no fan-out of requests into a throttled lakeFS.
            #expect(Self.requests(world, in: outageStart...outageEnd) == failed.count)

            let back = try await world.waitFor("dev", "Ready=True after the rate limit ended", timeout: .seconds(20)) { $0.has("Ready", .true) }
            #expect(back.condition("Ready")?.reason == StandardReason.reconciled)
        }
    }

    @Test("lakeFS requests that hang: timed out, BackendUnavailable, one attempt at a time, Ready again after")
    func hangingThenBack() async throws {
        try await DataBranchWorld.with { world in
            let timeout = Duration.seconds(1)
            try await world.startOperator(lakeFSTimeout: timeout)
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }

            let outageStart = ContinuousClock.now
            // lakeFS holds every request, long past the operator's timeout, and never carries it out.
            world.lakeFS.faults.inject(.hang(.seconds(4)), fraction: 1)
            try await world.requestReconcile("dev")
            let down = try await world.waitFor("dev", "Ready=False BackendUnavailable", timeout: .seconds(20)) {
                $0.has("Ready", .false, reason: StandardReason.backendUnavailable)
            }
            let message = down.condition("Ready")?.message ?? ""
            #expect(message.contains("timed out"), "\(message)")

            #expect(await eventually(timeout: .seconds(30)) { Self.attempts(world, since: outageStart).count >= 4 })
            let outageEnd = ContinuousClock.now
            world.lakeFS.faults.clear()
            let failed = Self.attempts(world, since: outageStart).filter { $0 <= outageEnd }
            // Each attempt waits for its request to time out before the next starts: no pile-up
            // of hung requests. (The lower bound leaves room for timer slack.)
            let gaps = Self.gaps(failed)
            #expect(gaps.allSatisfy { $0 >= timeout * 0.8 }, "gaps between attempts: \(gaps)")
            #expect(Self.requests(world, in: outageStart...outageEnd) == failed.count)

            try await world.waitFor("dev", "Ready=True after lakeFS answered again", timeout: .seconds(20)) { $0.has("Ready", .true) }
        }
    }

    @Test("during a long outage the delay between retries grows")
    func retryDelaysGrow() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }

            let outageStart = ContinuousClock.now
            world.lakeFS.faults.fail(fraction: 1, with: .serviceUnavailable)
            try await world.requestReconcile("dev")
            #expect(await eventually(timeout: .seconds(40)) { Self.attempts(world, since: outageStart).count >= 12 })
            world.lakeFS.faults.clear()
            let gaps = Self.gaps(Array(Self.attempts(world, since: outageStart).prefix(12)))
            try #require(gaps.count == 11)

            // The backoff before the last two attempts is 2.56 + 5.12 s, before the first two
            // 5 + 10 ms. Load adds about the same to every gap (the attempt itself; on a busy
            // machine up to seconds each), so the difference is asked for, not a ratio — with
            // room for one extra attempt slipping in early — and a floor for the last gap.
            let early = gaps.prefix(2).reduce(Duration.zero, +)
            let late = gaps.suffix(2).reduce(Duration.zero, +)
            #expect(late - early >= .seconds(2), "gaps between attempts: \(gaps)")
            #expect(try #require(gaps.last) >= .seconds(2), "gaps between attempts: \(gaps)")

            // The next retry is seconds away; a user's reconcile request does not wait for it.
            try await world.requestReconcile("dev")
            try await world.waitFor("dev", "Ready=True after lakeFS returned") { $0.has("Ready", .true) }
        }
    }
}
