import Foundation
import Synchronization

/// Polls `condition` until it holds or `timeout` passes; never a fixed sleep.
/// - Returns: whether the condition held in time.
@discardableResult
public func eventually(
    timeout: Duration = .seconds(15), every interval: Duration = .milliseconds(20),
    _ condition: @Sendable () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}

/// A short random suffix for names that must not collide between tests.
public func uniqueSuffix() -> String {
    String(UUID().uuidString.lowercased().prefix(8))
}

/// A value shared between a test and the tasks it starts.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    public func withLock<T: Sendable>(_ body: (inout sending Value) throws -> sending T) rethrows -> T {
        try mutex.withLock(body)
    }

    public var value: Value { mutex.withLock { $0 } }
}
