import Foundation
import KubeAPI

extension ColumnMask {
    static let tablePattern = "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){1,2}$"
    static let rolePattern = "^[A-Za-z0-9_][-A-Za-z0-9_.]*$"

    static func roleList(_ description: String) -> APISchema {
        .stringSet(description, item: .string("").pattern(rolePattern).length(max: 128)).items(max: 64)
    }

    public static var specSchema: APISchema {
        CommonSchema.spec(
            "The columns to mask, how, for which roles, and the row policies that go with them.",
            [
                "targets": .array(
                    "The columns to mask, per engine and table.",
                    of: .object(
                        "Columns of one table in one engine.",
                        [
                            "engine": .enumeration("Trino or ClickHouse.", QueryEngine.self).required(),
                            "table": .string("catalog.schema.table for Trino, database.table for ClickHouse.")
                                .pattern(tablePattern).length(max: 512).required(),
                            "columns": .stringSet(
                                "The columns of the table to mask.",
                                item: .string("").pattern(Patterns.sqlIdentifier).length(max: 128)
                            ).items(min: 1, max: 128).required(),
                        ]
                    ).rule(
                        "self.engine == 'Trino' ? self.table.matches('\(Patterns.trinoTable.celEscaped)') : self.table.matches('\(Patterns.clickHouseTable.celEscaped)')",
                        message: "table must be catalog.schema.table for Trino and database.table for ClickHouse")
                ).items(min: 1, max: 64).required(),
                "mask": .object(
                    "How values are masked.",
                    [
                        "type": .enumeration(
                            "Email keeps the first character and the domain; SSN and CreditCard keep the last four digits; Full replaces every character; Partial keeps showFirst and showLast characters; Hash is a salted hash (joinable, not readable); Null gives NULL; Custom uses an expression per engine; Tokenize is reversible tokenization through Vault Transform.",
                            MaskType.self
                        ).required(),
                        "partial": .object(
                            "Settings of a Partial mask.",
                            [
                                "showFirst": .integer("Characters kept at the start.").range(min: 0, max: 64)
                                    .withDefault(0),
                                "showLast": .integer("Characters kept at the end.").range(min: 0, max: 64).withDefault(
                                    4),
                                "character": .string("The character that replaces the others.").length(min: 1, max: 1)
                                    .withDefault("*"),
                            ]),
                        "hash": .object(
                            "Settings of a Hash mask.",
                            [
                                "algorithm": .enumeration("The hash function.", HashAlgorithm.self)
                                    .withDefault(.string(HashAlgorithm.sha256.rawValue)),
                                "saltSecretRef": CommonSchema.secretKeySelector(
                                    "Secret key holding a salt, so hashes cannot be looked up in precomputed tables."),
                            ]),
                        "custom": .object(
                            "Mask expressions of a Custom mask, per engine; {column} stands for the column. Each target engine needs one.",
                            [
                                "trino": .string("A Trino SQL expression, e.g. regexp_replace({column}, '.', '*').")
                                    .length(min: 1, max: 4096),
                                "clickHouse": .string("A ClickHouse SQL expression.").length(min: 1, max: 4096),
                            ]),
                        "tokenization": .object(
                            "Reversible tokenization through Vault's Transform secrets engine (Vault Enterprise).",
                            [
                                "role": .string("The Transform role callers use.").length(min: 1, max: 128).required(),
                                "transformation": .string("The tokenization transformation.").length(min: 1, max: 128)
                                    .required(),
                                "template": .string("The template, for transformations that use one.").length(max: 128),
                                "store": .string("The tokenization store; Vault's built-in store when absent.")
                                    .length(max: 128),
                                "vault": .object(
                                    "How to reach and log in to Vault.",
                                    [
                                        "url": .string("Vault's address; defaults to the operator's configuration.")
                                            .pattern(Patterns.httpURL).length(max: 2048),
                                        "namespace": .string("The Vault Enterprise namespace.").length(max: 256),
                                        "transformMount": .string("Where the Transform engine is mounted.")
                                            .length(min: 1, max: 256).withDefault("transform"),
                                        "kubernetesAuthRole": .string(
                                            "The Kubernetes auth role the operator logs in with."
                                        ).length(min: 1, max: 128),
                                        "kubernetesAuthMount": .string("Where the Kubernetes auth method is mounted.")
                                            .length(min: 1, max: 256).withDefault("kubernetes"),
                                        "tokenSecretRef": CommonSchema.secretKeySelector(
                                            "Secret key holding a Vault token, instead of Kubernetes auth."),
                                        "tls": CommonSchema.clientTLS("TLS settings for connections to Vault."),
                                    ]
                                ).rule(
                                    "!(has(self.kubernetesAuthRole) && has(self.tokenSecretRef))",
                                    message: "kubernetesAuthRole and tokenSecretRef are mutually exclusive"),
                            ]),
                    ]
                )
                .rule(
                    "!has(self.partial) || self.type == 'Partial'", message: "partial is only allowed with type Partial"
                )
                .rule("!has(self.hash) || self.type == 'Hash'", message: "hash is only allowed with type Hash")
                .rule(
                    "(self.type == 'Custom') == has(self.custom)",
                    message: "custom is required with type Custom, and only allowed with it"
                )
                .rule(
                    "(self.type == 'Tokenize') == has(self.tokenization)",
                    message: "tokenization is required with type Tokenize, and only allowed with it"
                )
                .required(),
                "roles": roleList("The roles the mask applies to.").items(min: 1, max: 64).required(),
                "exemptRoles": roleList(
                    "Roles that always see the clear value, even when they also hold a masked role."),
                "rowPolicies": .array(
                    "ClickHouse row policies maintained with the mask. Note: once a table has a row policy, users no policy covers see no rows of it.",
                    of: .object(
                        "One ClickHouse row policy.",
                        [
                            "name": .string("The policy's short name; the full name is <name> ON <table>.")
                                .pattern(Patterns.dnsLabel).length(max: 63).required(),
                            "table": .string("database.table.").pattern(Patterns.clickHouseTable).length(max: 512)
                                .required(),
                            "predicate": .string("The USING predicate, e.g. desk IN ('power', 'gas').")
                                .length(min: 1, max: 4096).required(),
                            "roles": roleList("The roles the policy applies to.").items(min: 1, max: 64).required(),
                            "kind": .enumeration(
                                "Permissive policies are OR-ed together; Restrictive ones are AND-ed with them.",
                                RowPolicyKind.self
                            ).withDefault(.string(RowPolicyKind.permissive.rawValue)),
                        ])
                ).listMap(keys: ["name"]).items(max: 64),
                "clickHouse": CommonSchema.serviceEndpoint(
                    "How to reach ClickHouse, for ClickHouse targets and row policies.", backend: "ClickHouse"),
            ],
            defaultDeletionPolicy: defaultDeletionPolicy,
            deletionEffect: "remove the masks and row policies (Vault transformations are never deleted)."
        )
    }

    public static var statusSchema: APISchema {
        CommonSchema.status(
            "What is enforced where.",
            [
                "enforcement": .array(
                    "One entry per enforcement point: a masked column or a row policy in an engine.",
                    of: .object(
                        "One enforcement point.",
                        [
                            "engine": .enumeration("Trino or ClickHouse.", QueryEngine.self).required(),
                            "table": .string("The table.").required(),
                            "column": .string("The column, for column masks."),
                            "mechanism": .string(
                                "How it is enforced: TrinoColumnMask, ClickHouseMaskedView, ClickHouseColumnGrant or ClickHouseRowPolicy."
                            ).required(),
                            "object": .string("The engine object that enforces it (a view, a policy, a rules entry)."),
                            "enforced": .boolean("Whether it is in force.").required(),
                            "message": .string("Why not, when not enforced.").length(max: 2048),
                        ])
                ).items(max: 512)
            ])
    }
}

extension String {
    /// The string inside a single-quoted CEL string literal.
    var celEscaped: String {
        replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }
}
