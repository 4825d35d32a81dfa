import KubeAPI

extension CostBudget {
    static func spendList(_ description: String) -> APISchema {
        .array(
            description,
            of: .object(
                "Spend attributed to one name.",
                [
                    "name": .string("The user or the dataset (catalog.schema.table).").required(),
                    "amount": .string("The spend, a decimal string in the budget's currency.").required(),
                ])
        ).items(max: 10)
    }

    public static var specSchema: APISchema {
        CommonSchema.spec(
            "Whose spend counts, the limit per period, how usage is priced and read, and what each threshold does.",
            [
                "scope": .object(
                    "Whose spend counts; usage matching any part counts once. At least one part is required.",
                    [
                        "team": .string("A team: the Trino and ClickHouse user group (role) whose usage counts.")
                            .pattern(ColumnMask.rolePattern).length(max: 128),
                        "users": .stringSet("Users whose usage counts.", item: .string("").length(min: 1, max: 128))
                            .items(min: 1, max: 256),
                        "datasets": .stringSet(
                            "Tables whose reads count: catalog.schema.table, each part a name or *.",
                            item: .string("").pattern(Patterns.trinoTablePattern).length(max: 512)
                        ).items(min: 1, max: 256),
                    ]
                ).rule(
                    "has(self.team) || has(self.users) || has(self.datasets)",
                    message: "scope needs a team, users or datasets"
                ).required(),
                "period": .enumeration("The budget period; weeks start on Monday.", BudgetPeriod.self)
                    .withDefault(.string(BudgetPeriod.monthly.rawValue)),
                "timeZone": .string("IANA time zone of the period's boundaries, e.g. America/Chicago.")
                    .length(min: 1, max: 64).withDefault("UTC"),
                "limit": CommonSchema.decimal("The limit per period in currency, e.g. \"5000\".").required(),
                "currency": .string("ISO 4217 code of limit and rates.").pattern(Patterns.currency).withDefault("USD"),
                "rates": .object(
                    "Prices per unit of usage, decimal strings in currency. At least one is required.",
                    [
                        "perTBScanned": CommonSchema.decimal("Per terabyte scanned by queries (Trino, ClickHouse)."),
                        "perCPUHour": CommonSchema.decimal("Per CPU-hour of query execution."),
                        "perGBMonthStored": CommonSchema.decimal("Per gigabyte-month of stored data."),
                        "perSparkExecutorHour": CommonSchema.decimal("Per Spark executor-hour."),
                    ]
                ).rule(
                    "has(self.perTBScanned) || has(self.perCPUHour) || has(self.perGBMonthStored) || has(self.perSparkExecutorHour)",
                    message: "at least one rate is required"
                ).required(),
                "sources": .object(
                    "Where usage is read; a source is used when present, even as {}. At least one is required.",
                    [
                        "prometheus": .object(
                            "CPU-hours, storage and Spark executors from Prometheus.",
                            ["endpoint": CommonSchema.serviceEndpoint("Where Prometheus is.", backend: "Prometheus")]),
                        "clickHouseQueryLog": .object(
                            "Bytes read and CPU time from ClickHouse's system.query_log.",
                            [
                                "endpoint": CommonSchema.serviceEndpoint("Where ClickHouse is.", backend: "ClickHouse"),
                                "cluster": .string(
                                    "The cluster whose replicas' logs are read together (clusterAllReplicas); one server when absent."
                                ).pattern(Patterns.sqlIdentifier).length(max: 128),
                            ]),
                        "trino": .object(
                            "Bytes scanned and CPU time from Trino's completed queries.",
                            [
                                "endpoint": CommonSchema.serviceEndpoint(
                                    "Where the Trino coordinator is.", backend: "Trino")
                            ]),
                    ]
                ).rule(
                    "has(self.prometheus) || has(self.clickHouseQueryLog) || has(self.trino)",
                    message: "at least one source is required"
                ).required(),
                "thresholds": .array(
                    "Shares of the limit and what crossing each does, once per period.",
                    of: .object(
                        "One threshold.",
                        [
                            "percent": .integer("Percent of the limit, e.g. 80.").range(min: 1, max: 1000).required(),
                            "basis": .enumeration(
                                "Actual compares spend so far; Forecast compares the spend forecast for the whole period.",
                                ThresholdBasis.self
                            ).withDefault(.string(ThresholdBasis.actual.rawValue)),
                            "action": .enumeration(
                                "Notify: a Warning Event and the ThresholdCrossed condition. Enforce: notify and carry out enforce.",
                                ThresholdAction.self
                            ).withDefault(.string(ThresholdAction.notify.rawValue)),
                            "enforce": .object(
                                "What Enforce does until the period ends or the budget is deleted. At least one part is required.",
                                [
                                    "trinoResourceGroup": .object(
                                        "Lower a Trino resource group's concurrency.",
                                        [
                                            "group": .string(
                                                "The group's dotted path, as in a WorkloadScaler's resource groups."
                                            )
                                            .length(min: 1, max: 512).required(),
                                            "hardConcurrencyLimit": .integer("The lowered concurrency.")
                                                .range(min: 0).required(),
                                        ]),
                                    "suspendPartnerEntitlements": .stringSet(
                                        "PartnerEntitlements in this namespace whose access is revoked until enforcement is lifted.",
                                        item: .string("").pattern(Patterns.dnsSubdomain).length(max: 253)
                                    ).items(min: 1, max: 64),
                                ]
                            ).rule(
                                "has(self.trinoResourceGroup) || has(self.suspendPartnerEntitlements)",
                                message: "enforce needs trinoResourceGroup or suspendPartnerEntitlements"),
                        ]
                    ).rule(
                        "(self.action == 'Enforce') == has(self.enforce)",
                        message: "enforce is required with action Enforce, and only allowed with it")
                ).listMap(keys: ["percent", "basis"]).items(max: 16),
            ],
            defaultDeletionPolicy: defaultDeletionPolicy,
            deletionEffect: "lift the budget's enforcement."
        )
    }

    public static var statusSchema: APISchema {
        CommonSchema.status(
            "Spend, forecast and enforcement in the current period.",
            [
                "periodStart": .dateTime("Start of the current period."),
                "periodEnd": .dateTime("End of the current period."),
                "spend": .string("Spend so far this period, a decimal string in currency."),
                "forecast": .string("Spend forecast for the whole period."),
                "currency": .string("The currency of spend and forecast."),
                "percentUsed": .integer("Spend as a percentage of the limit, rounded down.").range(min: 0),
                "topUsers": spendList("The users who spent most this period."),
                "topDatasets": spendList("The datasets that cost most this period."),
                "thresholdsCrossed": .array(
                    "Thresholds crossed this period.",
                    of: .object(
                        "One crossed threshold.",
                        [
                            "percent": .integer("The threshold's percent.").required(),
                            "basis": .enumeration("Actual or Forecast.", ThresholdBasis.self).required(),
                            "action": .enumeration("Notify or Enforce.", ThresholdAction.self).required(),
                            "crossedAt": .dateTime("When it was crossed.").required(),
                        ])
                ).items(max: 16),
                "enforcements": .array(
                    "Enforcement in force.",
                    of: .object(
                        "One enforcement action.",
                        [
                            "action": .string("LimitTrinoConcurrency or SuspendPartnerEntitlement.").required(),
                            "target": .string("The resource group path or PartnerEntitlement name.").required(),
                            "since": .dateTime("When it was applied.").required(),
                            "previousValue": .string("The value restored when it is lifted."),
                        ])
                ).items(max: 128),
                "lastMeasurementTime": .dateTime("When usage was last read."),
            ])
    }
}
