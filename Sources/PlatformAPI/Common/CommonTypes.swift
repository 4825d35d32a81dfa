import KubeAPI

/// Whether the operator changes the backend (`Apply`) or only reports what it
/// would change (`Plan`, written to `status.plan`).
public enum ReconcileMode: String, Codable, Sendable, Hashable, CaseIterable {
    case apply = "Apply"
    case plan = "Plan"
}

/// What deleting the Kubernetes object does to what it manages in the backend.
public enum DeletionPolicy: String, Codable, Sendable, Hashable, CaseIterable {
    /// Remove the backend object (branch, subject, connector, rules, …).
    case delete = "Delete"
    /// Leave the backend object as it is; only the Kubernetes object goes.
    case retain = "Retain"
}

/// One key of a Secret in the object's own namespace. Every credential of
/// every kind is given this way; values never appear in a spec or a status.
public struct SecretKeySelector: Codable, Sendable, Hashable {
    /// Name of the Secret.
    public var name: String
    /// Key within the Secret's `data`.
    public var key: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(name: String, key: String) {
        self.name = name
        self.key = key
    }
}

/// One key of a ConfigMap in the object's own namespace.
public struct ConfigMapKeySelector: Codable, Sendable, Hashable {
    /// Name of the ConfigMap.
    public var name: String
    /// Key within the ConfigMap's `data`.
    public var key: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(name: String, key: String) {
        self.name = name
        self.key = key
    }
}

/// Username and password for HTTP basic authentication, both from Secrets.
public struct BasicAuth: Codable, Sendable, Hashable {
    /// The Secret key holding the username.
    public var usernameSecretRef: SecretKeySelector
    /// The Secret key holding the password.
    public var passwordSecretRef: SecretKeySelector

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(usernameSecretRef: SecretKeySelector, passwordSecretRef: SecretKeySelector) {
        self.usernameSecretRef = usernameSecretRef
        self.passwordSecretRef = passwordSecretRef
    }
}

/// TLS settings for a connection the operator opens.
public struct ClientTLS: Codable, Sendable, Hashable {
    /// PEM bundle of the CA(s) to trust instead of the system roots.
    public var caSecretRef: SecretKeySelector?
    /// Server name to verify, when it differs from the URL's host.
    public var serverName: String?
    /// Skips certificate verification. For development only.
    public var insecureSkipVerify: Bool

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(caSecretRef: SecretKeySelector? = nil, serverName: String? = nil, insecureSkipVerify: Bool = false) {
        self.caSecretRef = caSecretRef
        self.serverName = serverName
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// How to reach a backend service (lakeFS, the schema registry, Kafka Connect,
/// Trino, ClickHouse, Prometheus). Every part is optional: what is left out
/// comes from the operator's configuration for that backend.
public struct ServiceEndpoint: Codable, Sendable, Hashable {
    /// Base URL; defaults to the operator's configured URL for the backend.
    public var url: String?
    /// HTTP basic authentication. Mutually exclusive with ``bearerTokenSecretRef``.
    public var basicAuth: BasicAuth?
    /// A bearer token. Mutually exclusive with ``basicAuth``.
    public var bearerTokenSecretRef: SecretKeySelector?
    /// TLS settings; the system roots and full verification when absent.
    public var tls: ClientTLS?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        url: String? = nil, basicAuth: BasicAuth? = nil, bearerTokenSecretRef: SecretKeySelector? = nil,
        tls: ClientTLS? = nil
    ) {
        self.url = url
        self.basicAuth = basicAuth
        self.bearerTokenSecretRef = bearerTokenSecretRef
        self.tls = tls
    }
}

/// One change the operator will make (in `status.plan`) or made (in
/// `status.lastAppliedPlan`) to a backend.
public struct PlannedAction: Codable, Sendable, Hashable {
    /// What is done, one CamelCase word: `CreateBranch`, `Merge`, `RegisterSchema`, `UpdateConfig`, …
    public var verb: String
    /// What it is done to, e.g. `lakefs://hmco-curated/dev` or `connector/trading-cdc`.
    public var target: String
    /// One human sentence.
    public var summary: String
    /// The exact request Apply mode sends, e.g. `POST /api/v1/repositories/hmco-curated/branches`.
    public var call: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(verb: String, target: String, summary: String, call: String? = nil) {
        self.verb = verb
        self.target = target
        self.summary = summary
        self.call = call
    }
}

/// The actions the last successful reconcile in Apply mode carried out.
public struct AppliedPlan: Codable, Sendable, Hashable {
    /// `metadata.generation` the plan was made for.
    public var generation: Int64
    /// When the last action finished.
    public var time: Time
    /// The actions, in the order they were carried out.
    public var actions: [PlannedAction]

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(generation: Int64, time: Time, actions: [PlannedAction]) {
        self.generation = generation
        self.time = time
        self.actions = actions
    }
}

/// A one-shot request the operator has dealt with. A request id is carried
/// out once: a failed request is not retried; a new id is a new request.
public struct HandledRequest: Codable, Sendable, Hashable {
    /// The request field it came from, e.g. `Rollback`, `Merge`, `Restart`.
    public var type: String
    /// The request's `id`.
    public var id: String
    /// Whether the request was carried out.
    public var outcome: Outcome
    /// What happened, for humans.
    public var message: String?
    /// When the operator finished with it.
    public var time: Time

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(type: String, id: String, outcome: Outcome, message: String? = nil, time: Time) {
        self.type = type
        self.id = id
        self.outcome = outcome
        self.message = message
        self.time = time
    }

    /// The outcome of a one-shot request.
    public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable {
        case succeeded = "Succeeded"
        case failed = "Failed"
    }
}

/// A one-shot request in a spec: the operator carries out each `id` once.
public protocol OneShotRequest: Codable, Sendable, Hashable {
    /// Identifies the request; set a new value to ask again.
    var id: String { get }
    /// The `type` recorded in `status.handledRequests`.
    static var requestType: String { get }
}
