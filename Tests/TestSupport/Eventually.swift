import Foundation

/// Polls `condition` until it holds or `timeout` passes; never a fixed sleep.
/// - Returns: whether the condition held in time.
@discardableResult
public func eventually(
    timeout: Duration = .seconds(15), every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
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
