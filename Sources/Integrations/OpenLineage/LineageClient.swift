import Foundation

/// Where lineage events go.
///
/// Guarantees: ``send(_:)`` returns once the backend accepted the event and
/// throws ``LineageError`` otherwise (`CancellationError` when the task is
/// cancelled). Reconcilers do not call it directly: they hand events to a
/// ``LineageEmitter``, which never waits for the backend. Tests can use the
/// OpenLineage simulator over HTTP or a fake.
public protocol LineageClient: Sendable {
    /// Sends one event.
    func send(_ event: LineageEvent) async throws
}
