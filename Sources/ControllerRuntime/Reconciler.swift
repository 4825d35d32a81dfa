import Foundation
import KubeAPI
import KubeClient
import Logging

/// What a reconcile asks the controller to do next.
public enum ReconcileResult: Sendable, Hashable {
    /// Converged; the object is looked at again after the resync period or on its next change.
    case done
    /// Look again after a delay (e.g. to poll a backend with no watch).
    case requeue(after: Duration)
}

/// An error that carries the backend's request to wait (`Retry-After`). The
/// controller retries such an error no sooner than that, and otherwise with its
/// usual per-key backoff.
public protocol RetryAfterHint: Error {
    /// How long the backend asked to wait; nil when it did not say.
    var retryAfter: Duration? { get }
}

/// A spec the operator cannot act on. The controller does not retry it until
/// the object's generation (or its reconcile-request annotation) changes.
/// The reconciler is expected to have written `Stalled=True` already.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var message: String

    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason): \(message)" }
}

/// Everything a reconcile needs besides the object.
public struct ReconcileContext: Sendable {
    /// Logger carrying controller, namespace, name and reconcile id.
    public var logger: Logger
    /// A random id that ties the log lines of one reconcile together.
    public var reconcileID: String
    /// The controller's name.
    public var controller: String
}

/// Drives one object toward its spec. Implementations compare desired with
/// observed state every time; they never learn which event triggered them.
public protocol Reconciler: Sendable {
    associatedtype Object: KubernetesObject
    func reconcile(_ object: Object, context: ReconcileContext) async throws -> ReconcileResult
}
