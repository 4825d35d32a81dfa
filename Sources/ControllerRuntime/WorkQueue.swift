/// A queue of object keys with the guarantees of client-go's workqueue.
///
/// Guarantees:
/// - a key is queued at most once, however many times it is added;
/// - a key is never handed to two workers at once; a key added while it is
///   being processed is queued again when the worker calls ``done(_:)``;
/// - ``addRateLimited(_:)`` backs off per key; ``forget(_:)`` resets it;
/// - after ``shutDown()`` workers drain what is queued, then ``next()`` returns nil.
///
/// Time comes from the injected clock, so tests drive it with a ``ManualClock``.
public actor WorkQueue<C: Clock> where C.Duration == Duration {
    private let clock: C
    private let origin: C.Instant
    private var rateLimiter: RequeueRateLimiter
    private var queue: [String] = []
    private var head = 0
    private var dirty: Set<String> = []
    private var processing: Set<String> = []
    private var waiting: [String: C.Instant] = [:]
    private var waiters: [CheckedContinuation<String?, Never>] = []
    private var addedAt: [String: C.Instant] = [:]
    private var timer: Task<Void, Never>?
    private var timerDeadline: C.Instant?
    private var shuttingDown = false
    /// The queue's metric series, if it reports any.
    public nonisolated let metrics: WorkQueueMetrics?

    public init(clock: C, rateLimiter: RequeueRateLimiter = RequeueRateLimiter(), metrics: WorkQueueMetrics? = nil) {
        self.clock = clock
        self.origin = clock.now
        self.rateLimiter = rateLimiter
        self.metrics = metrics
    }

    /// Number of keys ready to be processed.
    public var depth: Int { queue.count - head }

    /// Number of keys waiting for a delay to pass.
    public var waitingCount: Int { waiting.count }

    public var isShuttingDown: Bool { shuttingDown }

    /// Queues a key now.
    public func add(_ key: String) {
        guard !shuttingDown, !dirty.contains(key) else { return }
        metrics?.adds.increment()
        dirty.insert(key)
        addedAt[key] = clock.now
        if processing.contains(key) { return }
        enqueue(key)
    }

    /// Queues a key after a delay. An earlier pending delay for the same key wins.
    public func add(_ key: String, after delay: Duration) {
        guard !shuttingDown else { return }
        guard delay > .zero else { return add(key) }
        let deadline = clock.now.advanced(by: delay)
        if let existing = waiting[key], existing <= deadline { return }
        waiting[key] = deadline
        scheduleTimer()
    }

    /// Queues a key after its backoff delay, counting one more failure.
    /// - Parameter atLeast: a floor for the delay, e.g. a backend's `Retry-After`
    ///   (capped at the limiter's maximum delay).
    public func addRateLimited(_ key: String, atLeast floor: Duration? = nil) {
        metrics?.retries.increment()
        var delay = rateLimiter.when(key, now: origin.duration(to: clock.now))
        if let floor { delay = max(delay, min(floor, rateLimiter.maxDelay)) }
        add(key, after: delay)
    }

    /// Forgets the failures of a key, so its next backoff starts from the base delay.
    public func forget(_ key: String) { rateLimiter.forget(key) }

    /// Failures counted for a key since it was last forgotten.
    public func failures(of key: String) -> Int { rateLimiter.failures(of: key) }

    /// Waits for the next key; nil once the queue is shut down and drained.
    public func next() async -> String? {
        if let key = dequeue() { return key }
        if shuttingDown { return nil }
        return await withCheckedContinuation { continuation in
            waiters.append(continuation)
        }
    }

    /// Marks a key processed; if it was added meanwhile, it is queued again.
    public func done(_ key: String) {
        processing.remove(key)
        if dirty.contains(key) { enqueue(key) }
    }

    /// Stops accepting keys; workers get what is already queued, then nil.
    public func shutDown() {
        shuttingDown = true
        timer?.cancel()
        timer = nil
        waiting.removeAll()
        if depth == 0 {
            let pending = waiters
            waiters.removeAll()
            for waiter in pending { waiter.resume(returning: nil) }
        }
    }

    private func enqueue(_ key: String) {
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            dirty.remove(key)
            processing.insert(key)
            recordStart(key)
            waiter.resume(returning: key)
            return
        }
        queue.append(key)
        metrics?.depth.set(Double(depth))
    }

    private func dequeue() -> String? {
        guard head < queue.count else { return nil }
        let key = queue[head]
        head += 1
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        dirty.remove(key)
        processing.insert(key)
        recordStart(key)
        metrics?.depth.set(Double(depth))
        if shuttingDown, depth == 0 {
            let pending = waiters
            waiters.removeAll()
            for waiter in pending { waiter.resume(returning: nil) }
        }
        return key
    }

    private func recordStart(_ key: String) {
        if let added = addedAt.removeValue(forKey: key), let metrics {
            metrics.queueDuration.observe(seconds(added.duration(to: clock.now)))
        }
    }

    private func scheduleTimer() {
        guard let earliest = waiting.values.min() else { return }
        if let timerDeadline, timerDeadline <= earliest, timer != nil { return }
        timer?.cancel()
        timerDeadline = earliest
        let clock = self.clock
        timer = Task { [weak self] in
            do {
                try await clock.sleep(until: earliest, tolerance: nil)
            } catch {
                return
            }
            await self?.promoteDue()
        }
    }

    private func promoteDue() {
        timer = nil
        timerDeadline = nil
        let now = clock.now
        let due = waiting.filter { $0.value <= now }.sorted { $0.value < $1.value }
        for (key, _) in due {
            waiting[key] = nil
            add(key)
        }
        scheduleTimer()
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
