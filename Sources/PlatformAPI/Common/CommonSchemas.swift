import KubeAPI

/// Schemas of the building blocks every kind shares, so the seven CRDs say the
/// same thing the same way.
public enum CommonSchema {
    /// A reference to one key of a Secret.
    public static func secretKeySelector(_ description: String) -> APISchema {
        .object(
            description,
            [
                "name": .string("Name of the Secret, in the object's namespace.")
                    .pattern(Patterns.dnsSubdomain).length(min: 1, max: 253).required(),
                "key": .string("Key within the Secret's data.")
                    .pattern(Patterns.configKey).length(min: 1, max: 253).required(),
            ])
    }

    /// A reference to one key of a ConfigMap.
    public static func configMapKeySelector(_ description: String) -> APISchema {
        .object(
            description,
            [
                "name": .string("Name of the ConfigMap, in the object's namespace.")
                    .pattern(Patterns.dnsSubdomain).length(min: 1, max: 253).required(),
                "key": .string("Key within the ConfigMap's data.")
                    .pattern(Patterns.configKey).length(min: 1, max: 253).required(),
            ])
    }

    /// HTTP basic authentication from Secrets.
    public static func basicAuth(_ description: String) -> APISchema {
        .object(
            description,
            [
                "usernameSecretRef": secretKeySelector("Secret key holding the username.").required(),
                "passwordSecretRef": secretKeySelector("Secret key holding the password.").required(),
            ])
    }

    /// TLS settings of a client connection.
    public static func clientTLS(_ description: String) -> APISchema {
        .object(
            description,
            [
                "caSecretRef": secretKeySelector(
                    "Secret key holding the PEM bundle of the certificate authorities to trust instead of the system roots."
                ),
                "serverName": .string(
                    "Host name to verify in the server's certificate, when it differs from the URL's host."
                )
                .length(max: 253),
                "insecureSkipVerify": .boolean("Skip verifying the server's certificate. For development only.")
                    .withDefault(false),
            ])
    }

    /// Where a backend lives and how to authenticate to it.
    public static func serviceEndpoint(_ description: String, backend: String) -> APISchema {
        .object(
            description,
            [
                "url": .string("Base URL of \(backend); defaults to the URL in the operator's configuration.")
                    .pattern(Patterns.httpURL).length(max: 2048),
                "basicAuth": basicAuth("HTTP basic authentication to \(backend)."),
                "bearerTokenSecretRef": secretKeySelector("Secret key holding a bearer token for \(backend)."),
                "tls": clientTLS("TLS settings for connections to \(backend)."),
            ]
        )
        .rule(
            "!(has(self.basicAuth) && has(self.bearerTokenSecretRef))",
            message: "basicAuth and bearerTokenSecretRef are mutually exclusive")
    }

    /// A Go duration string.
    public static func duration(_ description: String) -> APISchema {
        .string(description).pattern(GoDuration.pattern).length(max: 32)
    }

    /// A non-negative decimal written as a string.
    public static func decimal(_ description: String) -> APISchema {
        .string(description).pattern(DecimalString.pattern).length(max: 32)
    }

    /// The id of a one-shot request.
    public static func requestID(_ description: String) -> APISchema {
        .string(description).pattern(Patterns.requestID).length(min: 1, max: 128).required()
    }

    // MARK: Spec core

    /// `suspend`, `mode` and `deletionPolicy`, in that order.
    public static func specCore(defaultDeletionPolicy: DeletionPolicy, deletionEffect: String) -> [APISchema.Property] {
        [
            .init(
                name: "suspend",
                schema: .boolean(
                    "Pauses reconciliation: while true the operator neither reads nor changes the backend; status shows Ready=False with reason Suspended. Deletion still honours deletionPolicy."
                ).withDefault(false)),
            .init(
                name: "mode",
                schema: .enumeration(
                    "Apply makes the backend match the spec. Plan changes nothing and lists in status.plan exactly what Apply would do.",
                    ReconcileMode.self
                ).withDefault(.string(ReconcileMode.apply.rawValue))),
            .init(
                name: "deletionPolicy",
                schema: .enumeration(
                    "What deleting this object does in the backend. Delete: \(deletionEffect) Retain: leave it as it is. Defaults to \(defaultDeletionPolicy.rawValue).",
                    DeletionPolicy.self
                ).withDefault(.string(defaultDeletionPolicy.rawValue))),
        ]
    }

    // MARK: Status core

    /// `[]metav1.Condition`, exactly as controller-gen declares it, with descriptions.
    public static let conditions: APISchema = .array(
        "Observations of the object's state, one per type: Ready, Reconciling and Stalled (read by kstatus, Flux, Argo CD and kubectl wait) and the kind's own.",
        of: .object(
            "One observation about the object.",
            [
                "lastTransitionTime": .dateTime("When the condition's status last changed.").required(),
                "message": .string("Human-readable details of the last transition.").length(max: 32768).required(),
                "observedGeneration": .integer(
                    "The metadata.generation the condition was computed from.", format: "int64"
                ).range(min: 0),
                "reason": .string("CamelCase machine-readable reason for the last transition.")
                    .pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$").length(min: 1, max: 1024).required(),
                "status": .enumeration("True, False or Unknown.", ["True", "False", "Unknown"]).required(),
                "type": .string("CamelCase condition type, e.g. Ready.")
                    .pattern(
                        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"
                    ).length(max: 316).required(),
            ])
    ).listMap(keys: ["type"])

    /// One planned action.
    static let plannedAction: APISchema = .object(
        "One change to a backend.",
        [
            "verb": .string("What is done, one CamelCase word, e.g. CreateBranch, Merge, RegisterSchema, UpdateConfig.")
                .pattern(Patterns.camelCase).length(max: 64).required(),
            "target": .string("What it is done to, e.g. lakefs://hmco-curated/dev or connector/trading-cdc.")
                .length(max: 512).required(),
            "summary": .string("One sentence for humans.").length(max: 1024).required(),
            "call": .string("The request Apply mode sends, e.g. POST /api/v1/repositories/hmco-curated/branches.")
                .length(max: 1024),
        ])

    /// `observedGeneration`, `conditions`, `plan`, `lastAppliedPlan`, `lastReconcileTime`.
    public static let statusCore: [APISchema.Property] = [
        .init(
            name: "observedGeneration",
            schema: .integer(
                "The metadata.generation this status was computed from. The status is current only when the two are equal.",
                format: "int64"
            ).range(min: 0)),
        .init(name: "conditions", schema: conditions),
        .init(
            name: "plan",
            schema: .array(
                "In Plan mode: the changes Apply mode would make now, in order; empty when the backend already matches the spec.",
                of: plannedAction
            ).items(max: 100)),
        .init(
            name: "lastAppliedPlan",
            schema: .object(
                "In Apply mode: the changes the last reconcile that changed something carried out.",
                [
                    "generation": .integer("The metadata.generation the plan was made for.", format: "int64")
                        .range(min: 0).required(),
                    "time": .dateTime("When the last action finished.").required(),
                    "actions": .array("The actions, in the order they were carried out.", of: plannedAction)
                        .items(max: 100).required(),
                ])),
        .init(
            name: "lastReconcileTime",
            schema: .dateTime(
                "When the operator last compared the spec with the backend. Written only together with another status change: it is not a heartbeat."
            )),
    ]

    /// The record of handled one-shot requests.
    public static let handledRequests: APISchema = .array(
        "The one-shot requests the operator has dealt with, newest last (at most 20). A request id is carried out once; a failed request is not retried.",
        of: .object(
            "One handled request.",
            [
                "type": .string("The request field it came from, e.g. Rollback, Merge, Restart.")
                    .pattern(Patterns.camelCase).length(max: 64).required(),
                "id": .string("The request's id.").pattern(Patterns.requestID).length(min: 1, max: 128).required(),
                "outcome": .enumeration("Succeeded or Failed.", HandledRequest.Outcome.self).required(),
                "message": .string("What happened.").length(max: 4096),
                "time": .dateTime("When the operator finished with the request.").required(),
            ])
    ).listMap(keys: ["type", "id"]).items(max: HandledRequest.historyLimit)

    /// Builds a kind's spec schema: its own properties, then the common ones.
    static func spec(
        _ description: String, _ properties: KeyValuePairs<String, APISchema>,
        defaultDeletionPolicy: DeletionPolicy, deletionEffect: String
    ) -> APISchema {
        .object(
            description,
            properties: properties.map { APISchema.Property(name: $0.key, schema: $0.value) }
                + specCore(defaultDeletionPolicy: defaultDeletionPolicy, deletionEffect: deletionEffect))
    }

    /// Builds a kind's status schema: the common properties, then its own.
    static func status(_ description: String, _ properties: KeyValuePairs<String, APISchema>) -> APISchema {
        .object(
            description,
            properties: statusCore + properties.map { APISchema.Property(name: $0.key, schema: $0.value) })
    }
}
