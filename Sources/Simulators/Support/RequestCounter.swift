import Synchronization

/// Counts the requests a simulator receives, per operation, for assertions such as
/// "the operator polled with backoff, not in a hot loop".
///
/// Every request is counted when it arrives, before authentication and faults, so
/// failed and hung attempts count too. The log of recent requests is bounded.
public final class RequestCounter: Sendable {
    /// One request as it arrived.
    public struct Entry: Sendable, Hashable {
        /// The operation it was routed to; `nil` when no route matched.
        public var operation: String?
        /// HTTP method.
        public var method: String
        /// Path as sent, below the simulator's base path.
        public var path: String
        /// When it arrived.
        public var arrival: ContinuousClock.Instant
    }

    private struct State: Sendable {
        var counts: [String: Int] = [:]
        var total = 0
        var log: [Entry] = []
    }

    private let state = Mutex(State())
    private let logCapacity: Int

    /// - Parameter logCapacity: how many recent requests ``recent`` keeps.
    public init(logCapacity: Int = 10_000) {
        self.logCapacity = max(logCapacity, 0)
    }

    /// Records one arriving request.
    public func record(operation: String?, method: String, path: String, at arrival: ContinuousClock.Instant = .now) {
        state.withLock { state in
            state.total += 1
            if let operation { state.counts[operation, default: 0] += 1 }
            guard logCapacity > 0 else { return }
            if state.log.count >= logCapacity { state.log.removeFirst(state.log.count - logCapacity + 1) }
            state.log.append(Entry(operation: operation, method: method, path: path, arrival: arrival))
        }
    }

    /// Requests routed to `operation` so far.
    public func count(_ operation: String) -> Int { state.withLock { $0.counts[operation] ?? 0 } }

    /// All requests so far, routed or not.
    public var total: Int { state.withLock { $0.total } }

    /// Counts by operation.
    public var counts: [String: Int] { state.withLock { $0.counts } }

    /// The most recent requests, oldest first.
    public var recent: [Entry] { state.withLock { $0.log } }

    /// Forgets every count and the log.
    public func reset() { state.withLock { $0 = State() } }
}
