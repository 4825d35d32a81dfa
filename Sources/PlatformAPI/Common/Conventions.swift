/// Names every kind of `data.hmco.io/v1alpha1` shares: the API group, the
/// finalizer and the annotations the operator reads.
public enum PlatformAPIGroup {
    /// The API group of the seven kinds.
    public static let group = "data.hmco.io"
    /// The only version so far; served and stored.
    public static let version = "v1alpha1"
    /// `group/version`, the `apiVersion` of every object.
    public static let apiVersion = "data.hmco.io/v1alpha1"
    /// The `kubectl get <category>` name that lists all seven kinds.
    public static let category = "hmco"
    /// Guards deletion: the operator removes it after carrying out the
    /// object's `deletionPolicy`.
    public static let finalizer = "data.hmco.io/finalizer"
    /// Setting this annotation to a new value (by convention the current time,
    /// RFC 3339) forces a reconcile even when nothing else changed.
    public static let reconcileRequestedAtAnnotation = "data.hmco.io/reconcile-requested-at"
}
