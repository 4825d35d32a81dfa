import KubeAPI

extension PartnerEntitlement {
    public static var specSchema: APISchema {
        CommonSchema.spec(
            "The partner, the datasets it may read, for how long, and its token.",
            [
                "partner": .object(
                    "Who the partner is.",
                    [
                        "id": .string("A stable id, e.g. acme-corp. Immutable.").pattern(Patterns.dnsLabel)
                            .length(max: 63).immutable("partner.id is immutable").required(),
                        "organization": .string("The organization's name, e.g. ACME Trading.").length(min: 1, max: 256)
                            .required(),
                        "contactEmail": .string("Where to reach the partner about this access.")
                            .pattern("^[^@\\s]+@[^@\\s]+$").length(max: 254),
                    ]
                ).required(),
                "datasets": .array(
                    "The Trino tables the partner may read.",
                    of: .object(
                        "One table and what of it the partner sees.",
                        [
                            "table": .string("The table, catalog.schema.table.").pattern(Patterns.trinoTable)
                                .length(max: 512).required(),
                            "columns": .stringSet(
                                "The columns the partner may see; all when absent.",
                                item: .string("").pattern(Patterns.sqlIdentifier).length(max: 128)
                            ).items(min: 1, max: 256),
                            "columnMasks": .array(
                                "Columns the partner sees only through a SQL expression.",
                                of: .object(
                                    "One masked column.",
                                    [
                                        "column": .string("The column.").pattern(Patterns.sqlIdentifier).length(
                                            max: 128
                                        )
                                        .required(),
                                        "expression": .string(
                                            "A Trino SQL expression of the column's type, e.g. round(price, 0)."
                                        ).length(min: 1, max: 4096).required(),
                                    ])
                            ).listMap(keys: ["column"]).items(max: 256),
                            "rowFilter": .string(
                                "A Trino SQL predicate rows must satisfy to be visible, e.g. iso = 'ERCOT'."
                            ).length(min: 1, max: 4096),
                        ])
                ).listMap(keys: ["table"]).items(min: 1, max: 100).required(),
                "access": .enumeration("What the partner may do: ReadOnly (SELECT only).", AccessScope.self)
                    .withDefault(.string(AccessScope.readOnly.rawValue)),
                "expiresAt": .dateTime("When the access ends (RFC 3339). Exactly one of expiresAt and validFor."),
                "validFor": CommonSchema.duration(
                    "How long the access lasts from when it is first granted, e.g. 24h. Exactly one of expiresAt and validFor."
                ),
                "token": .object(
                    "The token the partner authenticates to Trino with (a JWT).",
                    [
                        "secretName": .string(
                            "The Secret in this namespace the operator writes the token to, with keys token, expiresAt and user."
                        ).pattern(Patterns.dnsSubdomain).length(max: 253).required(),
                        "lifetime": CommonSchema.duration("How long one token is valid.").withDefault("1h"),
                        "renewBefore": CommonSchema.duration(
                            "How long before a token expires the operator issues the next one; shorter than lifetime."
                        ).withDefault("10m"),
                        "user": .string("The Trino user the token authenticates as; defaults to partner-<partner.id>.")
                            .length(min: 1, max: 128),
                        "audience": .string("The JWT audience, checked by Trino when configured to.").length(max: 256),
                        "signingKeySecretRef": CommonSchema.secretKeySelector(
                            "Secret key holding the PEM private key that signs tokens; defaults to the operator's configured key."
                        ),
                    ]
                ).rule(
                    "duration(self.renewBefore) < duration(self.lifetime)",
                    message: "renewBefore must be shorter than lifetime"
                ).required(),
                "revoke": .boolean("Revoke the access now (rules removed, token deleted) while keeping the object.")
                    .withDefault(false),
                "rotateRequest": .object(
                    "A one-shot request to issue a new token now, carried out once per id.",
                    ["id": CommonSchema.requestID("Identifies the request; set a new id to ask again.")]),
            ],
            defaultDeletionPolicy: defaultDeletionPolicy,
            deletionEffect: "remove the partner's rules and the token Secret."
        )
        .rule("has(self.expiresAt) != has(self.validFor)", message: "exactly one of expiresAt or validFor must be set")
    }

    public static var statusSchema: APISchema {
        CommonSchema.status(
            "The observed state of the access.",
            [
                "handledRequests": CommonSchema.handledRequests,
                "grantedAt": .dateTime("When the access was first granted (the start of validFor)."),
                "expiresAt": .dateTime("When the access ends."),
                "tokenIssuedAt": .dateTime("When the current token was issued."),
                "tokenExpiresAt": .dateTime("When the current token expires."),
                "rules": .array(
                    "The access rules in force, as rendered for Trino.",
                    of: .object(
                        "One rendered table rule.",
                        [
                            "table": .string("catalog.schema.table.").required(),
                            "privileges": .array("The granted privileges, e.g. SELECT.", of: .string("")).required(),
                            "rowFilter": .string("The row filter in force."),
                            "columns": .array("The visible columns, when restricted.", of: .string("")),
                            "maskedColumns": .array("The masked columns.", of: .string("")),
                        ])
                ).items(max: 100),
                "rulesHash": .string("sha256:<hex> of the rendered rules."),
                "revoked": .boolean("Whether the access is revoked."),
                "revokedAt": .dateTime("When the access was revoked."),
                "revocationReason": .string("Why: Expired, Requested or BudgetEnforcement."),
                "auditRef": .string(
                    "Where the grant, rotations and revocation are recorded, e.g. an OpenLineage run id."),
            ])
    }
}
