/// Decides how long a failing key waits before its next attempt.
///
/// The default matches controller-runtime: the larger of a per-key exponential
/// backoff (5 ms doubling up to 1000 s) and a global token bucket (10 per
/// second, burst 100) that keeps a storm of failures from flooding a backend.
public struct RequeueRateLimiter: Sendable {
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var bucketQPS: Double
    public var bucketBurst: Int

    private var failures: [String: Int] = [:]
    private var bucketTokens: Double
    private var bucketLast: Duration?

    public init(
        baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(1000), bucketQPS: Double = 10,
        bucketBurst: Int = 100
    ) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.bucketQPS = bucketQPS
        self.bucketBurst = bucketBurst
        self.bucketTokens = Double(bucketBurst)
    }

    /// The delay for the next retry of `key`, counting this failure. `now` is
    /// the time since any fixed origin (the queue's clock).
    public mutating func when(_ key: String, now: Duration) -> Duration {
        let attempts = failures[key, default: 0]
        failures[key] = attempts + 1
        var exponential = maxDelay
        if attempts < 40 {
            let scaled = baseDelay * (1 << attempts)
            if scaled < maxDelay { exponential = scaled }
        }
        return max(exponential, bucketDelay(now: now))
    }

    /// How many times `key` has failed since it was last forgotten.
    public func failures(of key: String) -> Int { failures[key, default: 0] }

    /// Clears the failure count of `key` (after a success).
    public mutating func forget(_ key: String) { failures[key] = nil }

    private mutating func bucketDelay(now: Duration) -> Duration {
        if let last = bucketLast {
            let elapsed = now - last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucketTokens = min(Double(bucketBurst), bucketTokens + max(seconds, 0) * bucketQPS)
        }
        bucketLast = now
        bucketTokens -= 1
        if bucketTokens >= 0 { return .zero }
        return .milliseconds(Int64((-bucketTokens / bucketQPS * 1000).rounded(.up)))
    }
}
