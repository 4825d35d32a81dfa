import Foundation
import Synchronization

/// A bounded, non-blocking queue in front of a ``LineageClient``: reconcilers hand
/// events to ``emit(_:)`` and carry on; ``run()`` delivers them in the background.
///
/// Guarantees:
/// - ``emit(_:)`` is synchronous: it never waits for the network, never throws and
///   never fails a reconcile. It only takes a lock for a moment.
/// - Events are sent one at a time, in the order they were emitted (an event is sent
///   only after the one before it was accepted, refused or given up on).
/// - A retryable failure (5xx, 408, 429, timeout, connection; see
///   ``LineageError/isRetryable``) is retried up to ``Configuration/maxAttempts``
///   attempts in all, with exponential backoff from ``Configuration/initialBackoff``
///   up to ``Configuration/maxBackoff``; a `Retry-After` lengthens the wait (up to
///   ``Configuration/maxBackoff``). Anything else (422, 400, 401, an error that is not
///   a ``LineageError``) counts as failed at once.
/// - The queue holds at most ``Configuration/capacity`` events besides the one being
///   sent; when full, the oldest waiting event is dropped to make room and counted.
/// - Every emitted event ends up counted exactly once: sent, failed or dropped
///   (see ``Statistics``).
///
/// Caveats:
/// - Lineage is best effort: events still queued when the process dies are lost, and
///   one slow or hanging backend holds up the events behind the current one (the
///   client's timeout bounds each attempt).
/// - Nothing is sent while ``run()`` is not running; events wait in the queue (and
///   the oldest are dropped beyond capacity).
/// - When ``run()`` is cancelled it keeps delivering what is queued, retries included,
///   for at most ``Configuration/shutdownDeadline``; whatever is left then is dropped.
///
/// ```swift
/// let emitter = LineageEmitter(client: HTTPLineageClient(baseURL: marquezURL))
/// group.addTask { await emitter.run() }       // or a lifecycle service
/// emitter.emit(event)                           // from any reconciler, at once
/// ```
public final class LineageEmitter: Sendable {
    /// Limits and timing.
    public struct Configuration: Sendable, Hashable {
        /// Events waiting at most (the one being sent not included); at least 1.
        public var capacity: Int
        /// Attempts per event, the first included; at least 1.
        public var maxAttempts: Int
        /// Wait after the first failed attempt; doubled after each further one.
        public var initialBackoff: Duration
        /// Longest wait between attempts, also the cap on a `Retry-After`.
        public var maxBackoff: Duration
        /// How long ``LineageEmitter/run()`` keeps delivering after it is cancelled.
        public var shutdownDeadline: Duration

        public init(
            capacity: Int = 1_000, maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(500),
            maxBackoff: Duration = .seconds(30), shutdownDeadline: Duration = .seconds(5)
        ) {
            self.capacity = max(1, capacity)
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = max(.zero, initialBackoff)
            self.maxBackoff = max(self.initialBackoff, maxBackoff)
            self.shutdownDeadline = max(.zero, shutdownDeadline)
        }
    }

    /// Counters since the emitter was made, for metrics.
    public struct Statistics: Sendable, Hashable {
        /// Events handed to ``LineageEmitter/emit(_:)``.
        public var emitted = 0
        /// Events the backend accepted.
        public var sent = 0
        /// Events refused (not retryable) or still failing after the last attempt.
        public var failed = 0
        /// Events never attempted to the end: dropped for room, or left at shutdown.
        public var dropped = 0
        /// Attempts that were repeats of a failed one.
        public var retries = 0
        /// Events queued or being sent now.
        public var pending = 0

        public init() {}
    }

    private struct Item: Sendable {
        var sequence: UInt64
        var event: LineageEvent
    }

    private struct FlushWaiter: Sendable {
        var through: UInt64
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State: Sendable {
        var queue: [Item] = []
        var inFlight: UInt64?
        var lastSequence: UInt64 = 0
        var statistics = Statistics()
        var lastError: LineageError?
        var running = false
        var stopping = false
        /// The sender, waiting for an event.
        var idle: CheckedContinuation<Void, Never>?
        /// ``run()``, waiting to be cancelled.
        var stopWaiter: CheckedContinuation<Void, Never>?
        var flushWaiters: [Int: FlushWaiter] = [:]
        var nextWaiterID = 0

        /// Whether every event up to `sequence` is sent, failed or dropped.
        func settled(through sequence: UInt64) -> Bool {
            (queue.first.map { $0.sequence > sequence } ?? true) && (inFlight.map { $0 > sequence } ?? true)
        }

        /// Removes and returns the flush waiters that are satisfied now.
        mutating func satisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            let ready = flushWaiters.filter { settled(through: $0.value.through) }
            for id in ready.keys { flushWaiters[id] = nil }
            return ready.values.map(\.continuation)
        }
    }

    private enum Outcome {
        case sent
        case failed
        case abandoned
    }

    /// Where events go.
    public let client: any LineageClient
    public let configuration: Configuration
    private let state = Mutex(State())

    public init(client: any LineageClient, configuration: Configuration = Configuration()) {
        self.client = client
        self.configuration = configuration
    }

    // MARK: Emitting

    /// Queues an event and returns at once. When the queue is full, the oldest
    /// waiting event is dropped (and counted in ``Statistics/dropped``).
    public func emit(_ event: LineageEvent) {
        let (idle, waiters) = state.withLock { state in
            if state.queue.count >= configuration.capacity {
                state.queue.removeFirst()
                state.statistics.dropped += 1
            }
            state.lastSequence += 1
            state.queue.append(Item(sequence: state.lastSequence, event: event))
            state.statistics.emitted += 1
            defer { state.idle = nil }
            return (state.idle, state.satisfiedWaiters())
        }
        idle?.resume()
        for waiter in waiters { waiter.resume() }
    }

    /// The counters now.
    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.pending = state.queue.count + (state.inFlight == nil ? 0 : 1)
            return statistics
        }
    }

    /// Whether ``run()`` is running (also while it drains after being cancelled).
    public var isRunning: Bool { state.withLock { $0.running } }

    /// The last error an attempt met, for logs; nil while every attempt succeeded.
    public var lastError: LineageError? { state.withLock { $0.lastError } }

    /// Waits until every event emitted before the call is sent, failed or dropped.
    ///
    /// Needs ``run()`` to be running (or to start); returns early when the calling
    /// task is cancelled.
    public func flush() async {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = state.withLock { state -> Bool in
                    if Task.isCancelled || state.settled(through: state.lastSequence) { return true }
                    state.flushWaiters[id] = FlushWaiter(through: state.lastSequence, continuation: continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.flushWaiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    // MARK: Running

    /// Delivers events until the calling task is cancelled, then keeps delivering what
    /// is queued for at most ``Configuration/shutdownDeadline`` and drops the rest.
    ///
    /// A second concurrent call returns at once. After it returns it may be run again.
    public func run() async {
        let claimed = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state.running = true
            state.stopping = false
            return true
        }
        guard claimed else { return }
        // The sender is not a child of this task, so cancelling run() does not cancel
        // the delivery of what is queued; run() awaits it, so it never outlives run().
        let sender = Task { await self.deliverUntilStopped() }
        await withTaskCancellationHandler {
            await waitForStop()
        } onCancel: {
            requestStop()
        }
        let deadline = configuration.shutdownDeadline
        let timer = Task {
            try? await Task.sleep(for: deadline)
            sender.cancel()
        }
        await sender.value
        timer.cancel()
        state.withLock { $0.running = false }
    }

    private func waitForStop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = state.withLock { state -> Bool in
                if state.stopping { return true }
                state.stopWaiter = continuation
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    private func requestStop() {
        let (stopWaiter, idle) = state.withLock { state in
            state.stopping = true
            defer {
                state.stopWaiter = nil
                state.idle = nil
            }
            return (state.stopWaiter, state.idle)
        }
        stopWaiter?.resume()
        idle?.resume()
    }

    private func deliverUntilStopped() async {
        while let item = await next() {
            let outcome = await deliver(item.event)
            let waiters = state.withLock { state in
                state.inFlight = nil
                switch outcome {
                case .sent: state.statistics.sent += 1
                case .failed: state.statistics.failed += 1
                case .abandoned: state.statistics.dropped += 1
                }
                return state.satisfiedWaiters()
            }
            for waiter in waiters { waiter.resume() }
        }
        // Stopped: drop what the deadline left behind (nothing when the queue drained).
        let waiters = state.withLock { state in
            state.statistics.dropped += state.queue.count
            state.queue.removeAll()
            return state.satisfiedWaiters()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The next event to send, marked in flight; nil once stopping with nothing left,
    /// or when the shutdown deadline passed.
    private func next() async -> Item? {
        while !Task.isCancelled {
            let taken = state.withLock { state -> Item?? in
                if !state.queue.isEmpty {
                    let item = state.queue.removeFirst()
                    state.inFlight = item.sequence
                    return .some(item)
                }
                return state.stopping ? .some(nil) : nil
            }
            if let taken { return taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let wake = state.withLock { state -> Bool in
                    if !state.queue.isEmpty || state.stopping { return true }
                    state.idle = continuation
                    return false
                }
                if wake { continuation.resume() }
            }
        }
        return nil
    }

    private func deliver(_ event: LineageEvent) async -> Outcome {
        var backoff = configuration.initialBackoff
        for attempt in 1...configuration.maxAttempts {
            if Task.isCancelled { return .abandoned }
            let failure: LineageError?
            do {
                try await client.send(event)
                return .sent
            } catch is CancellationError {
                return .abandoned
            } catch let error as LineageError {
                failure = error
            } catch {
                if Task.isCancelled { return .abandoned }
                state.withLock {
                    $0.lastError = LineageError(
                        kind: .unexpectedStatus, operation: "sending the \(event.summary)", message: "\(error)")
                }
                return .failed
            }
            if Task.isCancelled { return .abandoned }
            state.withLock { $0.lastError = failure }
            guard let failure, failure.isRetryable, attempt < configuration.maxAttempts else { return .failed }
            var wait = backoff
            if let retryAfter = failure.retryAfter { wait = max(wait, min(retryAfter, configuration.maxBackoff)) }
            state.withLock { $0.statistics.retries += 1 }
            do { try await Task.sleep(for: wait) } catch { return .abandoned }
            backoff = min(backoff * 2, configuration.maxBackoff)
        }
        return .failed
    }
}
