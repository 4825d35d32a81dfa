import Foundation
import KubeAPI
import PlatformAPI

/// The standard conditions, set consistently by every kind (kstatus rules):
/// exactly one of the summaries below holds after a reconcile.
extension PlatformStatus {
    /// Converged: Ready=True; Reconciling and Stalled gone.
    public mutating func markReady(generation: Int64?, reason: String, message: String, now: Time) {
        observedGeneration = generation
        setCondition(Condition(type: StandardCondition.ready, status: .true, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: now))
        removeCondition(StandardCondition.reconciling)
        removeCondition(StandardCondition.stalled)
    }

    /// Working on it: Reconciling=True, Ready=False; Stalled gone.
    public mutating func markReconciling(generation: Int64?, reason: String, message: String, now: Time) {
        observedGeneration = generation
        setCondition(Condition(type: StandardCondition.reconciling, status: .true, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: now))
        setCondition(Condition(type: StandardCondition.ready, status: .false, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: now))
        removeCondition(StandardCondition.stalled)
    }

    /// Not ready for a reason that may clear by itself (a failing gate, a backend down): Ready=False only.
    public mutating func markNotReady(generation: Int64?, reason: String, message: String, now: Time) {
        observedGeneration = generation
        setCondition(Condition(type: StandardCondition.ready, status: .false, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: now))
        removeCondition(StandardCondition.reconciling)
        removeCondition(StandardCondition.stalled)
    }

    /// Cannot progress without a change by a person: Stalled=True, Ready=False.
    public mutating func markStalled(generation: Int64?, reason: String, message: String, now: Time) {
        observedGeneration = generation
        setCondition(Condition(type: StandardCondition.stalled, status: .true, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: now))
        setCondition(Condition(type: StandardCondition.ready, status: .false, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: now))
        removeCondition(StandardCondition.reconciling)
    }

    /// Sets a kind-specific condition for the given generation.
    public mutating func set(_ type: String, _ status: ConditionStatus, reason: String, message: String, generation: Int64?, now: Time) {
        setCondition(Condition(type: type, status: status, reason: reason, message: message, observedGeneration: generation, lastTransitionTime: now))
    }
}

/// Shortens text for a condition message or an Event note, keeping whole lines where it can.
public func truncated(_ text: String, limit: Int = 1024) -> String {
    guard text.count > limit else { return text }
    return String(text.prefix(limit - 1)) + "…"
}

/// One message naming every invalid field, e.g. `spec.x: Required value; spec.y: Invalid value: …`.
public func describe(_ errors: [FieldError]) -> String {
    errors.map(\.message).joined(separator: "; ")
}
