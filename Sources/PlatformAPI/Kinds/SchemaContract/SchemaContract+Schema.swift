import KubeAPI

extension SchemaContract {
    static let topicNamePattern = "^[a-zA-Z0-9._-]{1,249}$"

    public static var specSchema: APISchema {
        CommonSchema.spec(
            "The subject, its schema and its compatibility level.",
            [
                "subject": .string(
                    "The subject, e.g. hmco.trading.orders-v1. Exactly one of subject and topic. Immutable."
                ).length(min: 1, max: 255).immutable("subject is immutable"),
                "topic": .object(
                    "A subject named after a Kafka topic (TopicNameStrategy): <name>-key or <name>-value. Exactly one of subject and topic. Immutable.",
                    [
                        "name": .string("The Kafka topic.").pattern(topicNamePattern).required(),
                        "part": .enumeration(
                            "Key or Value: which half of the record the schema describes.", TopicPart.self
                        )
                        .withDefault(.string(TopicPart.value.rawValue)),
                    ]
                ).immutable("topic is immutable"),
                "type": .enumeration("The schema format, as the registry names it.", SchemaType.self)
                    .withDefault(.string(SchemaType.avro.rawValue)),
                "schema": .string(
                    "The schema text. Exactly one of schema and schemaFrom. Registered only after the registry's compatibility check at the subject's level passes, and kept the subject's latest version: in Apply mode newer versions (registered outside Kubernetes, or for an earlier spec) are soft-deleted, with a Warning Event DriftDetected for the former; in Plan mode those deletes are listed in status.plan."
                )
                    .length(min: 1, max: 262_144),
                "schemaFrom": .object(
                    "Where to read the schema text from. Exactly one of schema and schemaFrom. The ConfigMap is watched.",
                    [
                        "configMapKeyRef": CommonSchema.configMapKeySelector(
                            "The ConfigMap key holding the schema text."
                        ).required()
                    ]
                ),
                "references": .array(
                    "Schemas of other subjects this schema imports, resolved in this order, with their own references, before the schema is checked, registered and fingerprinted. One not in the registry makes Ready=False with reason ReferenceNotFound.",
                    of: .object(
                        "A reference to one version of another subject.",
                        [
                            "name": .string(
                                "The name the schema uses for it: an Avro full name, a Protobuf import path, a JSON Schema $ref."
                            )
                            .length(min: 1, max: 512).required(),
                            "subject": .string("The referenced subject.").length(min: 1, max: 255).required(),
                            "version": .integer("The referenced version.").range(min: 1).required(),
                        ])
                ).listMap(keys: ["name"]).items(max: 64),
                "compatibility": .enumeration(
                    "The subject's compatibility level, set before any schema is registered. When absent the registry's global level applies (removing it reverts the subject to that level).",
                    CompatibilityLevel.self),
                "normalize": .boolean("Ask the registry to normalize the schema before checking and registering it.")
                    .withDefault(false),
                "hardDelete": .boolean(
                    "With deletionPolicy Delete: after the soft delete, delete the subject permanently."
                ).withDefault(false),
                "registry": CommonSchema.serviceEndpoint(
                    "How to reach the schema registry.", backend: "the schema registry"),
            ],
            defaultDeletionPolicy: defaultDeletionPolicy,
            deletionEffect: "soft-delete the subject (and with hardDelete, delete it permanently)."
        )
        .rule("has(self.subject) != has(self.topic)", message: "exactly one of subject or topic must be set")
        .rule("has(self.schema) != has(self.schemaFrom)", message: "exactly one of schema or schemaFrom must be set")
    }

    public static var statusSchema: APISchema {
        CommonSchema.status(
            "The observed state of the subject.",
            [
                "subject": .string("The subject name in the registry."),
                "schemaID": .integer("The registry's global id of the schema.", format: "int64"),
                "version": .integer("The subject's version holding the schema; in Apply mode kept the latest."),
                "fingerprint": .string(
                    "The schema's CRC-64-AVRO (Rabin) fingerprint over its canonical form, 16 hex digits; the same for formatting-only changes. Computed with the referenced schemas: an Avro canonical form spells out the referenced types, so a change inside one changes it."),
                "compatibilityLevel": .enumeration(
                    "The subject-level compatibility the operator set; empty when the subject follows the registry's global level.",
                    CompatibilityLevel.self),
                "lastCompatibilityCheck": .object(
                    "The last compatibility check of the spec's schema.",
                    [
                        "result": .enumeration("Compatible or Incompatible.", CompatibilityVerdict.self).required(),
                        "level": .enumeration("The level checked against.", CompatibilityLevel.self).required(),
                        "fingerprint": .string("The fingerprint of the schema that was checked.").required(),
                        "messages": .array(
                            "The registry's explanations of each incompatibility, truncated.",
                            of: .string("").length(max: 2048)
                        ).items(max: 20),
                        "time": .dateTime("When the check ran.").required(),
                    ]),
            ])
    }
}
