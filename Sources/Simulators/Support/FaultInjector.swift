import Synchronization

/// An error answer a test makes a simulator give instead of doing the work.
///
/// The body takes the simulated system's error shape (lakeFS: `{"message": …}`).
public struct InjectedFailure: Sendable, Hashable {
    /// HTTP status code, e.g. 500, 503 or 429.
    public var status: Int
    /// Error message; `nil` lets the simulator use its usual text for the status.
    public var message: String?
    /// Seconds to put in a `Retry-After` header, if any.
    public var retryAfterSeconds: Int?

    public init(status: Int, message: String? = nil, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// 500 Internal Server Error.
    public static let internalServerError = InjectedFailure(status: 500)
    /// 503 Service Unavailable.
    public static let serviceUnavailable = InjectedFailure(status: 503)
    /// 429 Too Many Requests.
    public static let tooManyRequests = InjectedFailure(status: 429)
}

/// What a fault does to a request it hits.
public enum FaultAction: Sendable, Hashable {
    /// Answer with an error; the request is not carried out.
    case fail(InjectedFailure)
    /// Hold the request for the duration without carrying it out, then answer
    /// 504 (long after a client with a shorter timeout gave up).
    case hang(Duration)
    /// Carry the request out at once but hold the answer back for the duration:
    /// the change happened, the client does not learn it in time.
    case delayResponse(Duration)
}

/// Fault injection shared by every simulator: latency, failures and hangs, for all
/// requests or per operation, triggered for the next N requests or a fraction of them.
///
/// Guarantees:
/// - Rules for an operation are consulted before the global rules; the first rule
///   that fires decides. A `next` rule fires on each of the next N requests it
///   applies to, then retires.
/// - A per-operation latency replaces the global latency for that operation.
/// - ``exempt(_:)`` keeps an operation out of the global rules and latency.
///
/// Thread-safe; decisions are made under one lock.
public final class FaultInjector: Sendable {
    private enum Trigger: Sendable {
        case next(Int)
        case fraction(Double)
    }

    private struct Rule: Sendable {
        var action: FaultAction
        var trigger: Trigger
    }

    private struct Rules: Sendable {
        var latency: Duration?
        var rules: [Rule] = []
    }

    private struct State: Sendable {
        var global = Rules()
        var perOperation: [String: Rules] = [:]
        var exempt: Set<String> = []
        var random: SplitMix64
    }

    /// What happens to one request.
    public struct Decision: Sendable, Hashable {
        /// Delay before the request is looked at.
        public var latency: Duration
        /// The fault that hit the request, if any.
        public var action: FaultAction?

        public init(latency: Duration = .zero, action: FaultAction? = nil) {
            self.latency = latency
            self.action = action
        }
    }

    private let state: Mutex<State>

    /// - Parameter seed: seeds the generator behind fractional faults, for reproducible tests.
    public init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        state = Mutex(State(random: SplitMix64(seed: seed)))
    }

    /// Delays every request (or every request for `operation`) by `latency`.
    public func setLatency(_ latency: Duration, operation: String? = nil) {
        state.withLock { state in
            if let operation {
                state.perOperation[operation, default: Rules()].latency = latency
            } else {
                state.global.latency = latency
            }
        }
    }

    /// Applies `action` to the next `count` requests (for `operation`, or any).
    public func inject(_ action: FaultAction, next count: Int, operation: String? = nil) {
        guard count > 0 else { return }
        add(Rule(action: action, trigger: .next(count)), operation: operation)
    }

    /// Applies `action` to a share (0…1) of requests (for `operation`, or any), until cleared.
    public func inject(_ action: FaultAction, fraction: Double, operation: String? = nil) {
        add(Rule(action: action, trigger: .fraction(min(max(fraction, 0), 1))), operation: operation)
    }

    /// Answers the next `count` requests with `failure`.
    public func failNext(_ count: Int, with failure: InjectedFailure = .internalServerError, operation: String? = nil) {
        inject(.fail(failure), next: count, operation: operation)
    }

    /// Answers a share (0…1) of requests with `failure`, until cleared.
    public func fail(fraction: Double, with failure: InjectedFailure = .internalServerError, operation: String? = nil) {
        inject(.fail(failure), fraction: fraction, operation: operation)
    }

    /// Hangs the next `count` requests for `duration` without carrying them out.
    public func hangNext(_ count: Int, for duration: Duration, operation: String? = nil) {
        inject(.hang(duration), next: count, operation: operation)
    }

    /// Keeps `operation` out of the global rules and the global latency.
    public func exempt(_ operation: String) {
        _ = state.withLock { $0.exempt.insert(operation) }
    }

    /// Removes the rules and latency for `operation`, or, with `nil`, every fault.
    public func clear(operation: String? = nil) {
        state.withLock { state in
            if let operation {
                state.perOperation[operation] = nil
                state.exempt.remove(operation)
            } else {
                state.global = Rules()
                state.perOperation = [:]
                state.exempt = []
            }
        }
    }

    /// Decides the fate of one request for `operation` (`nil` when no route matched),
    /// consuming a `next` rule when one fires.
    public func decide(operation: String?) -> Decision {
        state.withLock { state in
            let isExempt = operation.map { state.exempt.contains($0) } ?? false
            var latency = isExempt ? nil : state.global.latency
            if let operation, let own = state.perOperation[operation]?.latency { latency = own }

            var action: FaultAction?
            if let operation, var rules = state.perOperation[operation] {
                action = Self.fire(&rules.rules, random: &state.random)
                state.perOperation[operation] = rules
            }
            if action == nil, !isExempt {
                action = Self.fire(&state.global.rules, random: &state.random)
            }
            return Decision(latency: latency ?? .zero, action: action)
        }
    }

    private func add(_ rule: Rule, operation: String?) {
        state.withLock { state in
            if let operation {
                state.perOperation[operation, default: Rules()].rules.append(rule)
            } else {
                state.global.rules.append(rule)
            }
        }
    }

    private static func fire(_ rules: inout [Rule], random: inout SplitMix64) -> FaultAction? {
        for index in rules.indices {
            switch rules[index].trigger {
            case .next(let remaining):
                if remaining <= 1 {
                    let action = rules[index].action
                    rules.remove(at: index)
                    return action
                }
                rules[index].trigger = .next(remaining - 1)
                return rules[index].action
            case .fraction(let share):
                if share > 0, random.nextUnitInterval() < share { return rules[index].action }
            }
        }
        return nil
    }
}

/// A small seedable generator (SplitMix64), so fractional faults can be reproduced.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<1`.
    mutating func nextUnitInterval() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
