import Foundation

/// metav1.Condition: one observation about an object, keyed by `type`.
public struct Condition: Sendable, Hashable, Codable {
    /// CamelCase type, e.g. `Ready`.
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: ConditionStatus
    public var observedGeneration: Int64?
    /// When `status` last changed.
    public var lastTransitionTime: Time
    /// CamelCase machine-readable reason.
    public var reason: String
    /// Human-readable detail.
    public var message: String

    public init(
        type: String, status: ConditionStatus, reason: String, message: String = "",
        observedGeneration: Int64? = nil, lastTransitionTime: Time = .now()
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
    }
}

/// The three values of a condition's status.
public enum ConditionStatus: String, Sendable, Hashable, Codable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}

extension Array where Element == Condition {
    /// The condition of the given type, if present.
    public subscript(type type: String) -> Condition? {
        first { $0.type == type }
    }

    /// Whether the condition of the given type has status True.
    public func isTrue(_ type: String) -> Bool { self[type: type]?.status == .true }

    /// Sets a condition, keeping `lastTransitionTime` unless the status flips.
    /// Returns whether anything changed.
    @discardableResult
    public mutating func set(_ condition: Condition) -> Bool {
        guard let index = firstIndex(where: { $0.type == condition.type }) else {
            append(condition)
            return true
        }
        var updated = condition
        if self[index].status == condition.status {
            updated.lastTransitionTime = self[index].lastTransitionTime
        }
        guard updated != self[index] else { return false }
        self[index] = updated
        return true
    }

    /// Removes the condition of the given type; returns whether one was removed.
    @discardableResult
    public mutating func remove(type: String) -> Bool {
        let before = count
        removeAll { $0.type == type }
        return count != before
    }
}
