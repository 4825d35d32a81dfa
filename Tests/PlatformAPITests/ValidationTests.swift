import KubeAPI
import PlatformAPI
import Testing

/// One row of a cross-field table: a change to a valid sample and the error
/// it must produce (or none).
struct ValidationCase<R: PlatformResource> {
    var name: String
    var change: (inout R) -> Void
    /// The field the error names, or nil when the change is valid.
    var field: String?
    var type: FieldError.ErrorType = .invalid
}

/// Applies each change to the kind's sample and checks the errors.
func checkTable<R: PlatformResource>(_ cases: [ValidationCase<R>]) throws {
    let sample = try JSONCoding.fromJSON(R.self, try YAMLLoader.loadFile(R.samplePath))
    #expect(sample.validate().isEmpty)
    for row in cases {
        var object = sample
        row.change(&object)
        let errors = object.validateUpdate(from: sample)
        if let field = row.field {
            #expect(
                errors.contains { $0.field == field && $0.type == row.type },
                "\(R.kind) — \(row.name): expected \(row.type) on \(field), got \(FieldError.aggregateMessage(errors))")
            #expect(errors.count == 1, "\(R.kind) — \(row.name): \(FieldError.aggregateMessage(errors))")
        } else {
            #expect(errors.isEmpty, "\(R.kind) — \(row.name): \(FieldError.aggregateMessage(errors))")
        }
    }
}

private let secret = SecretKeySelector(name: "s", key: "k")

@Suite("Cross-field rules")
struct ValidationTests {
    @Test("DataBranch: repository creation, merge target, rollback shape, poll interval, immutable names")
    func dataBranch() throws {
        try checkTable([
            ValidationCase<DataBranch>(
                name: "creating a repository needs a storage namespace", change: { $0.spec.repository.create = true },
                field: "spec.repository.storageNamespace", type: .required),
            ValidationCase(
                name: "creating with a storage namespace is fine",
                change: {
                    $0.spec.repository.create = true
                    $0.spec.repository.storageNamespace = "s3://hmco-lake/curated"
                }, field: nil),
            ValidationCase(
                name: "merging into itself", change: { $0.spec.merge?.into = "dev" }, field: "spec.merge.into"),
            ValidationCase(
                name: "branching from itself", change: { $0.spec.sourceRef = "dev" }, field: "spec.sourceRef"),
            ValidationCase(
                name: "polling too often", change: { $0.spec.merge?.pollInterval = "5s" },
                field: "spec.merge.pollInterval"),
            ValidationCase(
                name: "polling too rarely", change: { $0.spec.merge?.pollInterval = "2h" },
                field: "spec.merge.pollInterval"),
            ValidationCase(
                name: "a revert request", change: { $0.spec.rollbackRequest = .revert(id: "r1", commit: "abc1234") },
                field: nil),
            ValidationCase(
                name: "a rollback that both reverts and resets",
                change: {
                    $0.spec.rollbackRequest = DataBranchRollbackRequest(
                        id: "r1", revert: RevertRollback(commit: "abc1234"), reset: ResetRollback(commit: "abc1234"))
                }, field: "spec.rollbackRequest.reset", type: .forbidden),
            ValidationCase(
                name: "a rollback that does neither",
                change: { $0.spec.rollbackRequest = DataBranchRollbackRequest(id: "r1") },
                field: "spec.rollbackRequest", type: .required),
            ValidationCase(
                name: "basic auth and a bearer token", change: { $0.spec.lakeFS?.bearerTokenSecretRef = secret },
                field: "spec.lakeFS.bearerTokenSecretRef", type: .forbidden),
            ValidationCase(name: "renaming the branch", change: { $0.spec.branch = "dev2" }, field: "spec.branch"),
            ValidationCase(
                name: "moving to another repository", change: { $0.spec.repository.name = "other" },
                field: "spec.repository.name"),
        ])
    }

    @Test("SchemaContract: subject or topic, schema or schemaFrom, references, immutable subject")
    func schemaContract() throws {
        try checkTable([
            ValidationCase<SchemaContract>(
                name: "subject and topic", change: { $0.spec.topic = TopicSubject(name: "orders") },
                field: "spec.topic", type: .forbidden),
            ValidationCase(
                name: "neither subject nor topic", change: { $0.spec.subject = nil }, field: "spec", type: .required),
            ValidationCase(
                name: "inline schema and a ConfigMap",
                change: {
                    $0.spec.schemaFrom = SchemaSource(
                        configMapKeyRef: ConfigMapKeySelector(name: "orders-schema", key: "order.avsc"))
                }, field: "spec.schemaFrom", type: .forbidden),
            ValidationCase(name: "no schema at all", change: { $0.spec.schema = nil }, field: "spec", type: .required),
            ValidationCase(
                name: "a reference",
                change: {
                    $0.spec.references = [SchemaReference(name: "io.hmco.Money", subject: "hmco.money", version: 1)]
                }, field: nil),
            ValidationCase(
                name: "two references with one name",
                change: {
                    $0.spec.references = [
                        SchemaReference(name: "io.hmco.Money", subject: "a", version: 1),
                        SchemaReference(name: "io.hmco.Money", subject: "b", version: 1),
                    ]
                }, field: "spec.references[1]", type: .duplicate),
            ValidationCase(
                name: "a reference to its own subject",
                change: {
                    $0.spec.references = [SchemaReference(name: "x", subject: "hmco.trading.orders-v1", version: 1)]
                }, field: "spec.references[0].subject"),
            ValidationCase(
                name: "changing the subject", change: { $0.spec.subject = "hmco.trading.orders-v2" },
                field: "spec.subject"),
            ValidationCase(
                name: "the same subject through the topic",
                change: {
                    $0.spec.subject = nil
                    $0.spec.topic = TopicSubject(name: "hmco.trading.orders-v1", part: .value)
                }, field: "spec.topic"),
        ])
    }

    @Test("CDCConnector: engine-only settings, owned config keys, sink keys, backoff order, immutable topic prefix")
    func cdcConnector() throws {
        try checkTable([
            ValidationCase<CDCConnector>(
                name: "MySQL settings on Postgres", change: { $0.spec.mysql = MySQLSettings(serverID: 184_054) },
                field: "spec.mysql", type: .forbidden),
            ValidationCase(
                name: "Postgres without a database name", change: { $0.spec.database.name = nil },
                field: "spec.database.name", type: .required),
            ValidationCase(
                name: "MySQL without a server id",
                change: {
                    $0.spec.engine = .mysql
                    $0.spec.postgres = nil
                }, field: "spec.mysql.serverID", type: .required),
            ValidationCase(
                name: "MySQL with a server id",
                change: {
                    $0.spec.engine = .mysql
                    $0.spec.postgres = nil
                    $0.spec.mysql = MySQLSettings(serverID: 184_054)
                    $0.spec.tables = ["trading.trades", "trading.positions"]
                    $0.spec.sinks = nil
                }, field: nil),
            ValidationCase(
                name: "Recovery snapshots on Postgres", change: { $0.spec.snapshot.mode = .recovery },
                field: "spec.snapshot.mode"),
            ValidationCase(
                name: "incremental snapshots without a signal table",
                change: { $0.spec.snapshot.incrementalOnNewTables = true }, field: "spec.postgres.signalTable",
                type: .required),
            ValidationCase(
                name: "a pass-through key", change: { $0.spec.config = ["tombstones.on.delete": "false"] }, field: nil),
            ValidationCase(
                name: "a key the operator owns", change: { $0.spec.config = ["slot.name": "other"] },
                field: "spec.config[slot.name]", type: .forbidden),
            ValidationCase(
                name: "a table listed twice", change: { $0.spec.tables.append("public.trades") },
                field: "spec.tables[2]", type: .duplicate),
            ValidationCase(
                name: "a sink override for a table not captured",
                change: {
                    $0.spec.sinks?.iceberg?.tables = [
                        SinkTableOverride(source: "public.orders", primaryKeys: ["order_id"])
                    ]
                }, field: "spec.sinks.iceberg.tables[0].source"),
            ValidationCase(
                name: "upsert without keys for one table",
                change: {
                    $0.spec.sinks?.iceberg?.primaryKeys = nil
                    $0.spec.sinks?.iceberg?.tables = [
                        SinkTableOverride(source: "public.trades", primaryKeys: ["trade_id"])
                    ]
                }, field: "spec.sinks.iceberg.primaryKeys", type: .required),
            ValidationCase(
                name: "a backoff that shrinks", change: { $0.spec.autoRestart.maxBackoff = "10s" },
                field: "spec.autoRestart.maxBackoff"),
            ValidationCase(
                name: "changing the topic prefix", change: { $0.spec.topicPrefix = "cdc.trading2" },
                field: "spec.topicPrefix"),
        ])
    }

    @Test("PartnerEntitlement: one expiry, token renewal, masked columns visible, immutable partner id")
    func partnerEntitlement() throws {
        try checkTable([
            ValidationCase<PartnerEntitlement>(
                name: "both an expiry time and a duration", change: { $0.spec.expiresAt = Time.now() },
                field: "spec.validFor", type: .forbidden),
            ValidationCase(name: "no expiry", change: { $0.spec.validFor = nil }, field: "spec", type: .required),
            ValidationCase(
                name: "renewing after the token expired", change: { $0.spec.token.renewBefore = "2h" },
                field: "spec.token.renewBefore"),
            ValidationCase(
                name: "a column mask within the allowlist",
                change: {
                    $0.spec.datasets[0].columns = ["node", "lmp"]
                    $0.spec.datasets[0].columnMasks = [PartnerColumnMask(column: "lmp", expression: "round(lmp, 0)")]
                }, field: nil),
            ValidationCase(
                name: "a column mask outside the allowlist",
                change: {
                    $0.spec.datasets[0].columns = ["node"]
                    $0.spec.datasets[0].columnMasks = [PartnerColumnMask(column: "lmp", expression: "round(lmp, 0)")]
                }, field: "spec.datasets[0].columnMasks[0].column"),
            ValidationCase(
                name: "one table twice", change: { $0.spec.datasets.append($0.spec.datasets[0]) },
                field: "spec.datasets[1]", type: .duplicate),
            ValidationCase(
                name: "changing the partner id", change: { $0.spec.partner.id = "acme" }, field: "spec.partner.id"),
        ])
    }

    @Test("ColumnMask: table form per engine, mask settings per type, exempt roles")
    func columnMask() throws {
        try checkTable([
            ValidationCase<ColumnMask>(
                name: "a Trino table without a catalog", change: { $0.spec.targets[0].table = "trading.traders" },
                field: "spec.targets[0].table"),
            ValidationCase(
                name: "a ClickHouse table with a catalog", change: { $0.spec.targets[1].table = "ch.trading.traders" },
                field: "spec.targets[1].table"),
            ValidationCase(
                name: "partial settings on an Email mask", change: { $0.spec.mask.partial = PartialMask() },
                field: "spec.mask.partial", type: .forbidden),
            ValidationCase(
                name: "a Custom mask without expressions", change: { $0.spec.mask.type = .custom },
                field: "spec.mask.custom", type: .required),
            ValidationCase(
                name: "a Custom mask missing the ClickHouse expression",
                change: {
                    $0.spec.mask = MaskSettings(type: .custom, custom: CustomMask(trino: "'***'"))
                }, field: "spec.mask.custom.clickHouse", type: .required),
            ValidationCase(
                name: "a Tokenize mask without Vault settings", change: { $0.spec.mask.type = .tokenize },
                field: "spec.mask.tokenization", type: .required),
            ValidationCase(
                name: "a Tokenize mask",
                change: {
                    $0.spec.mask = MaskSettings(
                        type: .tokenize, tokenization: VaultTokenization(role: "masking", transformation: "email-token")
                    )
                }, field: nil),
            ValidationCase(
                name: "Vault with two ways to log in",
                change: {
                    $0.spec.mask = MaskSettings(
                        type: .tokenize,
                        tokenization: VaultTokenization(
                            role: "masking", transformation: "email-token",
                            vault: VaultConnection(kubernetesAuthRole: "hmco", tokenSecretRef: secret)))
                }, field: "spec.mask.tokenization.vault.tokenSecretRef", type: .forbidden),
            ValidationCase(
                name: "a role both masked and exempt", change: { $0.spec.exemptRoles = ["viewer"] },
                field: "spec.exemptRoles[0]"),
            ValidationCase(
                name: "two row policies with one name",
                change: {
                    if let first = $0.spec.rowPolicies?.first { $0.spec.rowPolicies?.append(first) }
                }, field: "spec.rowPolicies[1]", type: .duplicate),
        ])
    }

    @Test("WorkloadScaler: replica bounds, triggers, scale to zero, the resource-group tree")
    func workloadScaler() throws {
        let deep = ResourceGroup(name: "l5", softMemoryLimit: "1%", hardConcurrencyLimit: 1, maxQueued: 1)
        func nest(_ group: ResourceGroup, _ name: String) -> ResourceGroup {
            ResourceGroup(name: name, softMemoryLimit: "1%", hardConcurrencyLimit: 1, maxQueued: 1, subGroups: [group])
        }
        try checkTable([
            ValidationCase<WorkloadScaler>(
                name: "more minimum than maximum", change: { $0.spec.minReplicas = 11 }, field: "spec.minReplicas"),
            ValidationCase(
                name: "no triggers", change: { $0.spec.triggers = ScalerTriggers() }, field: "spec.triggers",
                type: .required),
            ValidationCase(
                name: "zero replicas on CPU alone",
                change: {
                    $0.spec.minReplicas = 0
                    $0.spec.triggers.queuedQueries = nil
                }, field: "spec.minReplicas"),
            ValidationCase(name: "zero replicas on queued queries", change: { $0.spec.minReplicas = 0 }, field: nil),
            ValidationCase(
                name: "a night window at zero",
                change: {
                    $0.spec.triggers.schedules = [
                        ScheduleTrigger(
                            name: "night", timezone: "America/Chicago", start: "0 20 * * *", end: "0 6 * * *",
                            replicas: 0)
                    ]
                }, field: nil),
            ValidationCase(
                name: "a window above the maximum",
                change: {
                    $0.spec.triggers.schedules = [
                        ScheduleTrigger(name: "peak", start: "0 8 * * 1-5", end: "0 17 * * 1-5", replicas: 12)
                    ]
                }, field: "spec.triggers.schedules[0].replicas"),
            ValidationCase(
                name: "a zero threshold", change: { $0.spec.triggers.queuedQueries?.threshold = "0" },
                field: "spec.triggers.queuedQueries.threshold"),
            ValidationCase(
                name: "soft concurrency above hard",
                change: { $0.spec.resourceGroups?.rootGroups[0].softConcurrencyLimit = 50 },
                field: "spec.resourceGroups.rootGroups[0].softConcurrencyLimit"),
            ValidationCase(
                name: "more than all of the memory",
                change: { $0.spec.resourceGroups?.rootGroups[0].softMemoryLimit = "140%" },
                field: "spec.resourceGroups.rootGroups[0].softMemoryLimit"),
            ValidationCase(
                name: "a selector for a group that does not exist",
                change: { $0.spec.resourceGroups?.selectors[0].group = "batch" },
                field: "spec.resourceGroups.selectors[0].group"),
            ValidationCase(
                name: "a selector for a group with sub-groups",
                change: {
                    $0.spec.resourceGroups?.rootGroups[1].subGroups = [
                        ResourceGroup(name: "${USER}", softMemoryLimit: "10%", hardConcurrencyLimit: 2, maxQueued: 10)
                    ]
                }, field: "spec.resourceGroups.selectors[0].group"),
            ValidationCase(
                name: "a selector for a nested leaf",
                change: {
                    $0.spec.resourceGroups?.rootGroups[1].subGroups = [
                        ResourceGroup(name: "${USER}", softMemoryLimit: "10%", hardConcurrencyLimit: 2, maxQueued: 10)
                    ]
                    $0.spec.resourceGroups?.selectors[0].group = "etl.${USER}"
                }, field: nil),
            ValidationCase(
                name: "groups nested five deep",
                change: {
                    $0.spec.resourceGroups?.rootGroups.append(nest(nest(nest(nest(deep, "l4"), "l3"), "l2"), "l1"))
                }, field: "spec.resourceGroups.rootGroups[3].subGroups[0].subGroups[0].subGroups[0].subGroups",
                type: .forbidden),
            ValidationCase(
                name: "a CPU limit without a quota period",
                change: { $0.spec.resourceGroups?.rootGroups[0].hardCpuLimit = "1h" },
                field: "spec.resourceGroups.cpuQuotaPeriod", type: .required),
        ])
    }

    @Test("CostBudget: scope, limit, rates, sources, Enforce thresholds")
    func costBudget() throws {
        try checkTable([
            ValidationCase<CostBudget>(
                name: "an empty scope", change: { $0.spec.scope = BudgetScope() }, field: "spec.scope", type: .required),
            ValidationCase(name: "a zero limit", change: { $0.spec.limit = "0" }, field: "spec.limit"),
            ValidationCase(
                name: "no rates", change: { $0.spec.rates = CostRates() }, field: "spec.rates", type: .required),
            ValidationCase(
                name: "no sources", change: { $0.spec.sources = CostSources() }, field: "spec.sources", type: .required),
            ValidationCase(
                name: "Enforce without what to enforce", change: { $0.spec.thresholds?[2].enforce = nil },
                field: "spec.thresholds[2].enforce", type: .required),
            ValidationCase(
                name: "Notify with something to enforce",
                change: {
                    $0.spec.thresholds?[0].enforce = BudgetEnforcement(suspendPartnerEntitlements: [
                        "acme-corp-lmp-prices"
                    ])
                }, field: "spec.thresholds[0].enforce", type: .forbidden),
            ValidationCase(
                name: "Enforce with nothing in it", change: { $0.spec.thresholds?[2].enforce = BudgetEnforcement() },
                field: "spec.thresholds[2].enforce", type: .required),
            ValidationCase(
                name: "suspending a partner",
                change: {
                    $0.spec.thresholds?[2].enforce?.suspendPartnerEntitlements = ["acme-corp-lmp-prices"]
                }, field: nil),
            ValidationCase(
                name: "one threshold twice", change: { $0.spec.thresholds?.append(BudgetThreshold(percent: 80)) },
                field: "spec.thresholds[3]", type: .duplicate),
        ])
    }

    @Test("field errors read like the API server's")
    func wording() throws {
        var branch = try JSONCoding.fromJSON(DataBranch.self, try YAMLLoader.loadFile("samples/databranch.yaml"))
        branch.spec.merge?.into = "dev"
        #expect(
            branch.validate().map(\.message) == ["spec.merge.into: Invalid value: \"dev\": must differ from branch"])
    }
}
