import Foundation
import Synchronization

/// Faults a test can inject into a running ``LocalCluster``.
///
/// Failures are decided per request; the fractions are independent, 429 first.
public struct FaultSettings: Sendable, Hashable {
    /// Share (0…1) of requests answered with 429 TooManyRequests.
    public var tooManyRequestsFraction: Double
    /// Share (0…1) of requests answered with 500 InternalError.
    public var internalErrorFraction: Double
    /// Delay added before every request is handled.
    public var latency: Duration

    public init(tooManyRequestsFraction: Double = 0, internalErrorFraction: Double = 0, latency: Duration = .zero) {
        self.tooManyRequestsFraction = tooManyRequestsFraction
        self.internalErrorFraction = internalErrorFraction
        self.latency = latency
    }
}

/// Fault state shared by the request handlers.
final class FaultState: Sendable {
    private struct State {
        var settings = FaultSettings()
        var goneWatches = 0
    }
    private let state = Mutex(State())

    var settings: FaultSettings {
        get { state.withLock { $0.settings } }
        set { state.withLock { $0.settings = newValue } }
    }

    func failNextWatches(_ count: Int) { state.withLock { $0.goneWatches += count } }

    /// Whether this watch must be answered with 410 Gone; consumes one.
    func takeGoneWatch() -> Bool {
        state.withLock {
            guard $0.goneWatches > 0 else { return false }
            $0.goneWatches -= 1
            return true
        }
    }

    /// The injected failure for one request, if any.
    func injectedFailure() -> APIError? {
        let settings = self.settings
        if settings.tooManyRequestsFraction > 0, Double.random(in: 0..<1) < settings.tooManyRequestsFraction {
            return .tooManyRequests(retryAfterSeconds: 1)
        }
        if settings.internalErrorFraction > 0, Double.random(in: 0..<1) < settings.internalErrorFraction {
            return .internalError("injected fault")
        }
        return nil
    }
}
