/// The condition types every kind sets, with kstatus polarity: `Ready` is
/// normally True; `Reconciling` and `Stalled` are True only while something
/// is unusual.
public enum StandardCondition {
    /// The summary: True only when the backend matches the current generation.
    public static let ready = "Ready"
    /// True while the operator is working towards the spec.
    public static let reconciling = "Reconciling"
    /// True when the operator cannot make progress without a change to the spec
    /// or to something outside it (an invalid spec, a missing Secret).
    public static let stalled = "Stalled"
}

/// Reasons any kind may give, CamelCase.
public enum StandardReason {
    /// Ready=True: the backend matches the spec.
    public static let reconciled = "Reconciled"
    /// Reconciling=True: changes are being made or awaited.
    public static let progressing = "Progressing"
    /// Ready=Unknown on the first reconcile of a generation.
    public static let pending = "Pending"
    /// Ready=False: `spec.suspend` is true.
    public static let suspended = "Suspended"
    /// Ready=True in Plan mode with nothing to do; the plan is empty.
    public static let planUpToDate = "PlanUpToDate"
    /// Ready=False in Plan mode: `status.plan` lists changes not yet applied.
    public static let planPending = "PlanPending"
    /// Stalled=True: a field or a cross-field rule is violated.
    public static let invalidSpec = "InvalidSpec"
    /// Stalled=True: a referenced Secret or key does not exist.
    public static let secretNotFound = "SecretNotFound"
    /// Stalled=True: a referenced ConfigMap or key does not exist.
    public static let configMapNotFound = "ConfigMapNotFound"
    /// Ready=False: the backend could not be reached; retried with backoff.
    public static let backendUnavailable = "BackendUnavailable"
    /// Ready=False: the backend refused the credentials.
    public static let authenticationFailed = "AuthenticationFailed"
    /// Ready=False: the object is being deleted.
    public static let deleting = "Deleting"
    /// Ready=False: deletion is blocked (the reason is in the message).
    public static let deletionBlocked = "DeletionBlocked"
    /// Ready=False: drift made outside Kubernetes was found and is being corrected.
    public static let driftDetected = "DriftDetected"
}
