import Foundation

/// A token bucket: `qps` tokens per second, at most `burst` saved up, like
/// client-go's default client-side rate limiter.
public actor TokenBucketRateLimiter {
    public nonisolated let qps: Double
    public nonisolated let burst: Int
    private var tokens: Double
    private var last: ContinuousClock.Instant
    private let clock = ContinuousClock()

    public init(qps: Double, burst: Int) {
        self.qps = max(qps, 0.001)
        self.burst = max(burst, 1)
        self.tokens = Double(max(burst, 1))
        self.last = clock.now
    }

    /// Waits until a token is available and takes it.
    public func acquire() async throws {
        refill()
        if tokens >= 1 {
            tokens -= 1
            return
        }
        // Reserve the token now so concurrent callers queue up behind each other.
        tokens -= 1
        let wait = -tokens / qps
        try await Task.sleep(for: .seconds(wait))
    }

    private func refill() {
        let now = clock.now
        let elapsed = last.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(Double(burst), tokens + seconds * qps)
        last = now
    }
}
