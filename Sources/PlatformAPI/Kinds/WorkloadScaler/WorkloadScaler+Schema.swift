import KubeAPI

extension WorkloadScaler {
    static let cronPattern = "^\\S+(\\s+\\S+){4}$"
    static let dataSizeOrPercentPattern = "^([0-9]+(\\.[0-9]+)?%|[0-9]+(\\.[0-9]+)?(B|kB|KB|MB|GB|TB|PB))$"
    static let groupNamePattern = "^[A-Za-z0-9_${}-]+$"

    /// A resource group, its sub-groups unrolled `depth - 1` more levels.
    static func resourceGroup(depth: Int) -> APISchema {
        var properties = APISchema.object(
            "",
            [
                "name": .string("The group's name; may be a template such as ${USER} or ${SOURCE}.")
                    .pattern(groupNamePattern).length(max: 128).required(),
                "softMemoryLimit": .string(
                    "Share of cluster memory (40%) or an absolute size (10GB) before queries queue."
                )
                .pattern(dataSizeOrPercentPattern).required(),
                "hardConcurrencyLimit": .integer("The most queries that run at once.").range(min: 0).required(),
                "softConcurrencyLimit": .integer(
                    "Running queries above which new ones start only when others in the group are not eligible; at most hardConcurrencyLimit."
                )
                .range(min: 0),
                "maxQueued": .integer("The most queries that may wait; beyond it new queries fail.").range(min: 0)
                    .required(),
                "schedulingPolicy": .enumeration(
                    "How queued queries are picked: Fair, WeightedFair, Weighted or QueryPriority.",
                    SchedulingPolicy.self),
                "schedulingWeight": .integer("The group's weight under the Weighted and WeightedFair policies.").range(
                    min: 1),
                "softCpuLimit": CommonSchema.duration(
                    "CPU time per cpuQuotaPeriod after which the group's concurrency drops."),
                "hardCpuLimit": CommonSchema.duration(
                    "CPU time per cpuQuotaPeriod after which the group takes no new queries."),
            ]
        ).properties
        if depth > 1 {
            properties.append(
                .init(
                    name: "subGroups",
                    schema: .array(
                        "Groups nested in this one (up to \(maxResourceGroupDepth) levels in all). A group either has sub-groups or runs queries, never both.",
                        of: resourceGroup(depth: depth - 1)
                    ).listMap(keys: ["name"]).items(max: 32)))
        }
        return APISchema.object("A resource group.", properties: properties).rule(
            "!has(self.softConcurrencyLimit) || self.softConcurrencyLimit <= self.hardConcurrencyLimit",
            message: "softConcurrencyLimit must not exceed hardConcurrencyLimit")
    }

    public static var specSchema: APISchema {
        CommonSchema.spec(
            "The workload to scale, its bounds and triggers, and Trino's resource groups.",
            [
                "targetRef": .object(
                    "The workload to scale, in this namespace.",
                    [
                        "apiVersion": .string("The workload's API version.").length(min: 1, max: 253).withDefault(
                            "apps/v1"),
                        "kind": .string("The workload's kind.").length(min: 1, max: 63).withDefault("Deployment"),
                        "name": .string("The workload's name, e.g. trino-worker.").pattern(Patterns.dnsSubdomain)
                            .length(max: 253).required(),
                    ]
                ).required(),
                "minReplicas": .integer(
                    "The fewest replicas. 0 needs a queuedQueries or schedule trigger: CPU alone cannot scale from zero."
                ).range(min: 0, max: 1000).withDefault(1),
                "maxReplicas": .integer("The most replicas.").range(min: 1, max: 1000).required(),
                "triggers": .object(
                    "What makes the workload scale; the largest replica count any trigger asks for wins.",
                    [
                        "queuedQueries": .object(
                            "Scale on Trino's queued queries, read from Prometheus.",
                            [
                                "prometheus": CommonSchema.serviceEndpoint(
                                    "Where Prometheus is.", backend: "Prometheus"),
                                "query": .string("A PromQL query returning one sample: the number of queued queries.")
                                    .length(min: 1, max: 4096).withDefault(.string(QueuedQueriesTrigger.defaultQuery)),
                                "threshold": CommonSchema.decimal("Queued queries per worker to aim for, e.g. \"10\".")
                                    .required(),
                                "activationThreshold": CommonSchema.decimal(
                                    "Below this the trigger is inactive, which lets the workload scale to zero."),
                            ]),
                        "cpu": .object(
                            "Scale on CPU utilization (the pods need CPU requests).",
                            [
                                "utilization": .integer(
                                    "Target average utilization of the pods' CPU requests, in percent."
                                )
                                .range(min: 1, max: 100).required(),
                                "containerName": .string("Measure one container instead of the whole pod.")
                                    .pattern(Patterns.dnsLabel).length(max: 63),
                            ]),
                        "schedules": .array(
                            "Replica counts held during recurring windows, e.g. zero at night.",
                            of: .object(
                                "One window.",
                                [
                                    "name": .string("Names the window.").pattern(Patterns.dnsLabel).length(max: 63)
                                        .required(),
                                    "timezone": .string("IANA time zone of the cron expressions, e.g. America/Chicago.")
                                        .length(min: 1, max: 64).withDefault("UTC"),
                                    "start": .string("Cron expression (5 fields) when the window starts.")
                                        .pattern(cronPattern).length(max: 128).required(),
                                    "end": .string("Cron expression (5 fields) when the window ends.")
                                        .pattern(cronPattern).length(max: 128).required(),
                                    "replicas": .integer("Replicas during the window.").range(min: 0, max: 1000)
                                        .required(),
                                ])
                        ).listMap(keys: ["name"]).items(max: 16),
                    ]
                ).rule(
                    "has(self.queuedQueries) || has(self.cpu) || has(self.schedules)",
                    message: "at least one trigger is required"
                ).required(),
                "pollingInterval": CommonSchema.duration("How often KEDA checks the triggers.").withDefault("30s"),
                "cooldown": CommonSchema.duration(
                    "How long after the last trigger was active before scaling to minReplicas."
                ).withDefault("5m"),
                "fallback": .object(
                    "The replicas to hold when the metrics cannot be read.",
                    [
                        "failureThreshold": .integer("Failed metric reads in a row before the fallback applies.")
                            .range(min: 1, max: 100).withDefault(3),
                        "replicas": .integer("The replicas to hold.").range(min: 0, max: 1000).required(),
                    ]),
                "resourceGroups": .object(
                    "Trino resource groups, rendered to the file resource-group manager's JSON in a ConfigMap the coordinator mounts.",
                    [
                        "configMapName": .string(
                            "The ConfigMap the rendered resource-groups.json is written to; defaults to <name>-resource-groups."
                        ).pattern(Patterns.dnsSubdomain).length(max: 253),
                        "rootGroups": .array("The top-level groups.", of: resourceGroup(depth: maxResourceGroupDepth))
                            .listMap(keys: ["name"]).items(min: 1, max: 32).required(),
                        "selectors": .array(
                            "Rules sending queries to groups, evaluated in order; the first match wins and a query no selector matches is rejected.",
                            of: .object(
                                "Sends matching queries to a group; every criterion given must match.",
                                [
                                    "group": .string("The dotted path of a leaf group, e.g. etl or adhoc.${USER}.")
                                        .length(min: 1, max: 512).required(),
                                    "user": .string("A Java regular expression on the user.").length(max: 512),
                                    "userGroup": .string("A Java regular expression on the user's groups.").length(
                                        max: 512),
                                    "source": .string(
                                        "A Java regular expression on the query's source (X-Trino-Source)."
                                    )
                                    .length(max: 512),
                                    "queryType": .enumeration("The query's type.", TrinoQueryType.self),
                                    "clientTags": .stringSet(
                                        "Tags the query must all carry (X-Trino-Client-Tags).",
                                        item: .string("").length(min: 1, max: 128)
                                    ).items(max: 16),
                                ])
                        ).items(min: 1, max: 64).required(),
                        "cpuQuotaPeriod": CommonSchema.duration(
                            "The period of softCpuLimit and hardCpuLimit, e.g. 1h."),
                    ]),
            ],
            defaultDeletionPolicy: defaultDeletionPolicy,
            deletionEffect:
                "delete the ScaledObject and the resource-groups ConfigMap (the workload keeps its replicas)."
        )
        .rule("self.minReplicas <= self.maxReplicas", message: "minReplicas must not exceed maxReplicas")
        .rule(
            "self.minReplicas > 0 || has(self.triggers.queuedQueries) || has(self.triggers.schedules)",
            message: "minReplicas 0 needs a queuedQueries or schedules trigger")
    }

    public static var statusSchema: APISchema {
        CommonSchema.status(
            "The observed state of the scaler.",
            [
                "scaledObjectName": .string("The KEDA ScaledObject the operator owns."),
                "currentReplicas": .integer("The target's current replicas."),
                "desiredReplicas": .integer("The replicas the autoscaler asks for."),
                "lastScaleTime": .dateTime("When the replica count last changed."),
                "resourceGroupsConfigMap": .string("The ConfigMap holding the rendered resource groups."),
                "resourceGroupsHash": .string("sha256:<hex> of the rendered resource groups."),
            ])
    }
}
