import Testing

@testable import ControllerRuntime

/// Lets the queue's timer task run after the manual clock moved.
private func settle(_ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(5))
    while await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within 5 s")
            return
        }
        await Task.yield()
        try await Task.sleep(for: .milliseconds(1))
    }
}

@Suite("Work queue")
struct WorkQueueTests {
    @Test("a key added many times is queued once")
    func deduplicates() async {
        let queue = WorkQueue(clock: ManualClock())
        await queue.add("default/a")
        await queue.add("default/a")
        await queue.add("default/b")
        #expect(await queue.depth == 2)
        #expect(await queue.next() == "default/a")
        #expect(await queue.next() == "default/b")
    }

    @Test("a key is never handed to two workers; a change during processing requeues it after done")
    func neverTwoWorkers() async {
        let queue = WorkQueue(clock: ManualClock())
        await queue.add("k")
        let first = await queue.next()
        #expect(first == "k")
        await queue.add("k")
        // While processing, the key is held back.
        #expect(await queue.depth == 0)
        await queue.done("k")
        #expect(await queue.depth == 1)
        #expect(await queue.next() == "k")
    }

    @Test("a waiting worker receives a key added later")
    func waitingWorker() async {
        let queue = WorkQueue(clock: ManualClock())
        async let received = queue.next()
        await Task.yield()
        await queue.add("later")
        #expect(await received == "later")
    }

    @Test("add(after:) holds a key until the clock passes the delay")
    func delayedAdd() async throws {
        let clock = ManualClock()
        let queue = WorkQueue(clock: clock)
        await queue.add("k", after: .seconds(10))
        #expect(await queue.depth == 0)
        try await settle { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(9))
        #expect(await queue.depth == 0)
        clock.advance(by: .seconds(1))
        try await settle { await queue.depth == 1 }
        #expect(await queue.waitingCount == 0)
    }

    @Test("the earlier of two pending delays for one key wins")
    func earlierDelayWins() async throws {
        let clock = ManualClock()
        let queue = WorkQueue(clock: clock)
        await queue.add("k", after: .seconds(60))
        await queue.add("k", after: .seconds(5))
        try await settle { clock.sleeperCount >= 1 }
        clock.advance(by: .seconds(5))
        try await settle { await queue.depth == 1 }
    }

    @Test("a Retry-After floor holds a failed key longer than its backoff, capped at the limiter's maximum")
    func retryAfterFloor() async throws {
        let clock = ManualClock()
        let queue = WorkQueue(clock: clock)
        // The first failure backs off 5 ms; the backend asked for 30 s.
        await queue.addRateLimited("k", atLeast: .seconds(30))
        try await settle { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(29))
        #expect(await queue.depth == 0)
        clock.advance(by: .seconds(1))
        try await settle { await queue.depth == 1 }
        #expect(await queue.failures(of: "k") == 1)

        // An absurd hint does not park the key beyond the limiter's maximum (1000 s).
        _ = await queue.next()
        await queue.done("k")
        await queue.addRateLimited("k", atLeast: .seconds(86_400))
        try await settle { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(1000))
        try await settle { await queue.depth == 1 }
    }

    @Test("rate-limited adds back off exponentially per key and forget resets them")
    func backoff() async throws {
        let clock = ManualClock()
        let queue = WorkQueue(clock: clock)
        await queue.addRateLimited("k")  // 5 ms
        try await settle { clock.sleeperCount == 1 }
        clock.advance(by: .milliseconds(5))
        try await settle { await queue.depth == 1 }
        _ = await queue.next()
        await queue.done("k")
        await queue.addRateLimited("k")  // 10 ms
        try await settle { clock.sleeperCount == 1 }
        clock.advance(by: .milliseconds(9))
        #expect(await queue.depth == 0)
        clock.advance(by: .milliseconds(1))
        try await settle { await queue.depth == 1 }
        #expect(await queue.failures(of: "k") == 2)
        await queue.forget("k")
        #expect(await queue.failures(of: "k") == 0)
    }

    @Test("after shutdown workers drain what is queued, then get nil")
    func drainOnShutdown() async {
        let queue = WorkQueue(clock: ManualClock())
        await queue.add("a")
        await queue.shutDown()
        await queue.add("b")
        #expect(await queue.next() == "a")
        #expect(await queue.next() == nil)
    }

    @Test("shutdown wakes idle workers with nil")
    func shutdownWakesWorkers() async {
        let queue = WorkQueue(clock: ManualClock())
        async let received = queue.next()
        await Task.yield()
        await queue.shutDown()
        #expect(await received == nil)
    }
}

@Suite("Requeue rate limiter")
struct RequeueRateLimiterTests {
    @Test("per-key delays double from 5 ms and stop at 1000 s")
    func exponential() {
        var limiter = RequeueRateLimiter(bucketQPS: 1e9, bucketBurst: 1_000_000)
        var delays: [Duration] = []
        for _ in 0..<4 { delays.append(limiter.when("k", now: .zero)) }
        #expect(delays == [.milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(40)])
        for _ in 0..<30 { _ = limiter.when("k", now: .zero) }
        #expect(limiter.when("k", now: .zero) == .seconds(1000))
        #expect(limiter.when("other", now: .zero) == .milliseconds(5))
    }

    @Test("the global bucket slows a storm of distinct failing keys to 10 per second after a burst of 100")
    func globalBucket() {
        var limiter = RequeueRateLimiter()
        for index in 0..<100 { #expect(limiter.when("k\(index)", now: .zero) == .milliseconds(5)) }
        #expect(limiter.when("k100", now: .zero) == .milliseconds(100))
        #expect(limiter.when("k101", now: .zero) == .milliseconds(200))
    }
}
