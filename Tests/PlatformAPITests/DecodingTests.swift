import Foundation
import KubeAPI
import PlatformAPI
import Testing

@Suite("Decoding and defaults")
struct DecodingTests {
    @Test("a minimal DataBranch decodes with the schema's defaults filled in")
    func defaultsFromSchema() throws {
        let json = try YAMLLoader.load(
            """
            apiVersion: data.hmco.io/v1alpha1
            kind: DataBranch
            metadata: {name: dev}
            spec:
              repository: {name: hmco-curated}
              branch: dev
              merge: {into: prod}
              rollbackRequest: {id: r1, revert: {commit: abc1234}}
            """)
        let branch = try JSONCoding.fromJSON(DataBranch.self, json)
        #expect(branch.spec.suspend == false)
        #expect(branch.spec.mode == .apply)
        #expect(branch.spec.deletionPolicy == .retain)
        #expect(branch.spec.repository.create == false)
        #expect(branch.spec.repository.defaultBranch == "main")
        #expect(branch.spec.merge?.trigger == .auto)
        #expect(branch.spec.merge?.strategy == .default)
        #expect(branch.spec.merge?.pollInterval == "1m")
        #expect(branch.spec.rollbackRequest?.revert?.parentNumber == 1)
        #expect(branch.status == nil)
    }

    @Test("defaulted objects get their members' defaults, as the API server does")
    func nestedDefaults() throws {
        let sample = try JSONCoding.fromJSON(CDCConnector.self, try YAMLLoader.loadFile("samples/cdcconnector.yaml"))
        var json = try JSONCoding.toJSON(sample)
        json.setValue(nil, at: ["spec", "snapshot"])
        json.setValue(nil, at: ["spec", "autoRestart"])
        let decoded = try JSONCoding.fromJSON(CDCConnector.self, json)
        #expect(decoded.spec.snapshot == SnapshotSettings())
        #expect(decoded.spec.autoRestart == AutoRestartPolicy())
    }

    @Test("a decoding error names the field from the object's root")
    func errorPath() throws {
        let json: JSONValue = [
            "apiVersion": "data.hmco.io/v1alpha1", "kind": "DataBranch", "metadata": ["name": "x"],
            "spec": [
                "repository": ["name": "hmco-curated"], "branch": "dev",
                "merge": ["into": "prod", "trigger": "Sometimes"],
            ],
        ]
        do {
            _ = try JSONCoding.fromJSON(DataBranch.self, json)
            Issue.record("decoding an unknown trigger succeeded")
        } catch let error as DecodingError {
            guard case .dataCorrupted(let context) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(context.codingPath.map(\.stringValue) == ["spec", "merge", "trigger"])
        }
    }

    @Test("an object without a spec does not decode")
    func specRequired() {
        let json: JSONValue = ["apiVersion": "data.hmco.io/v1alpha1", "kind": "CostBudget", "metadata": ["name": "x"]]
        #expect(throws: DecodingError.self) { try JSONCoding.fromJSON(CostBudget.self, json) }
    }

    @Test("apiVersion and kind are written even when the input left them out")
    func typeMeta() throws {
        let json: JSONValue = [
            "metadata": ["name": "x"],
            "spec": ["subject": "s", "schema": "{}"],
        ]
        let contract = try JSONCoding.fromJSON(SchemaContract.self, json)
        let encoded = try JSONCoding.toJSON(contract)
        #expect(encoded["apiVersion"] == "data.hmco.io/v1alpha1")
        #expect(encoded["kind"] == "SchemaContract")
    }

    @Test("a status round-trips through JSON with its conditions and handled requests")
    func statusRoundTrip() throws {
        var status = DataBranchStatus()
        status.observedGeneration = 3
        status.setCondition(
            Condition(
                type: DataBranch.ConditionType.merged, status: .false, reason: DataBranch.Reason.qualityGateFailed,
                message: "hook dq_check failed", observedGeneration: 3,
                lastTransitionTime: Time(Date(timeIntervalSince1970: 1_800_000_000))))
        status.recordHandled(
            HandledRequest(
                type: "Rollback", id: "r1", outcome: .succeeded, time: Time(Date(timeIntervalSince1970: 1_800_000_000)))
        )
        let branch = DataBranch(
            metadata: ObjectMeta(name: "dev"),
            spec: DataBranchSpec(repository: DataBranchRepository(name: "hmco-curated"), branch: "dev"), status: status)
        let decoded = try JSONCoding.fromJSON(DataBranch.self, try JSONCoding.toJSON(branch))
        #expect(decoded == branch)
    }

    @Test("Swift initializers default every field the way the schema does", arguments: kindNames)
    func initializerDefaultsMatchSchema(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        try check(type)
    }

    private func check<R: PlatformResource>(_ type: R.Type) throws {
        let minimal = try #require(Self.minimalSpecs[R.kind] as? R.Spec)
        let encoded = try JSONCoding.toJSON(minimal)
        let required = Self.requiredOnly(encoded, R.specSchema)
        #expect(R.specSchema.applyingDefaults(to: required) == encoded, "\(R.kind)")
    }

    /// Keeps only what the schema requires (recursively), so defaults have to fill the rest.
    private static func requiredOnly(_ value: JSONValue, _ schema: APISchema) -> JSONValue {
        switch (schema.shape, value) {
        case (.object(let properties), .object(let object)):
            var result: JSONObject = [:]
            for property in properties where property.schema.isRequired || property.schema.defaultValue == nil {
                guard let member = object[property.name] else { continue }
                result[property.name] = requiredOnly(member, property.schema)
            }
            return .object(result)
        case (.array(let items), .array(let elements)):
            return .array(elements.map { requiredOnly($0, items) })
        default:
            return value
        }
    }

    /// Specs built with only the initializers' required arguments (and the
    /// optional objects whose defaults are worth checking).
    static let minimalSpecs: [String: any Sendable] = [
        "DataBranch": DataBranchSpec(
            repository: DataBranchRepository(name: "hmco-curated"), branch: "dev", merge: DataBranchMerge(into: "prod"),
            rollbackRequest: .revert(id: "r1", commit: "abc1234")),
        "SchemaContract": SchemaContractSpec(topic: TopicSubject(name: "orders"), schema: "{}"),
        "CDCConnector": CDCConnectorSpec(
            engine: .postgres,
            database: SourceDatabase(
                host: "db", name: "trading", user: "debezium",
                passwordSecretRef: SecretKeySelector(name: "s", key: "k"),
                tls: DatabaseTLS()),
            tables: ["public.trades"], topicPrefix: "cdc.trading", postgres: PostgresSettings(),
            sinks: CDCSinks(
                iceberg: IcebergSink(catalog: IcebergCatalog(type: .rest), namespace: "n", primaryKeys: ["trade_id"]),
                clickHouse: ClickHouseSink(
                    endpoint: ServiceEndpoint(tls: ClientTLS()), database: "d", primaryKeys: ["id"])),
            restartRequest: ConnectorRestartRequest(id: "r1")),
        "PartnerEntitlement": PartnerEntitlementSpec(
            partner: Partner(id: "acme-corp", organization: "ACME Trading"),
            datasets: [PartnerDataset(table: "iceberg.market.lmp_prices")], validFor: "24h",
            token: PartnerToken(secretName: "t")),
        "ColumnMask": ColumnMaskSpec(
            targets: [MaskTarget(engine: .trino, table: "iceberg.trading.traders", columns: ["email"])],
            mask: MaskSettings(type: .partial, partial: PartialMask()), roles: ["viewer"],
            rowPolicies: [RowPolicy(name: "p", table: "trading.trades", predicate: "1", roles: ["r"])]),
        "WorkloadScaler": WorkloadScalerSpec(
            targetRef: ScaleTargetRef(name: "trino-worker"), maxReplicas: 10,
            triggers: ScalerTriggers(
                queuedQueries: QueuedQueriesTrigger(threshold: "10"),
                schedules: [ScheduleTrigger(name: "night", start: "0 20 * * *", end: "0 6 * * *", replicas: 0)]),
            fallback: ScalerFallback(replicas: 2)),
        "CostBudget": CostBudgetSpec(
            scope: BudgetScope(team: "trading_desk"), limit: "5000", rates: CostRates(perTBScanned: "5"),
            sources: CostSources(trino: MetricsSource()), thresholds: [BudgetThreshold(percent: 80)]),
    ]
}

@Suite("Status helpers")
struct StatusHelperTests {
    @Test("setting a condition keeps lastTransitionTime unless the status flips")
    func conditionTransitions() {
        var status = CDCConnectorStatus()
        let first = Time(Date(timeIntervalSince1970: 1_800_000_000))
        let later = Time(Date(timeIntervalSince1970: 1_800_000_600))
        status.setCondition(Condition(type: "Ready", status: .false, reason: "Progressing", lastTransitionTime: first))
        status.setCondition(Condition(type: "Ready", status: .false, reason: "TaskFailed", lastTransitionTime: later))
        #expect(status.condition("Ready")?.lastTransitionTime == first)
        #expect(status.condition("Ready")?.reason == "TaskFailed")
        status.setCondition(Condition(type: "Ready", status: .true, reason: "Running", lastTransitionTime: later))
        #expect(status.condition("Ready")?.lastTransitionTime == later)
        #expect(status.isTrue("Ready"))
        let removed = status.removeCondition("Ready")
        #expect(removed)
        #expect(status.condition("Ready") == nil)
    }

    @Test("a handled request is recorded once, and only the newest twenty are kept")
    func handledRequests() {
        var status = DataBranchStatus()
        let time = Time(Date(timeIntervalSince1970: 1_800_000_000))
        let request = DataBranchRollbackRequest.reset(id: "r0", commit: "abc1234")
        #expect(!status.hasHandled(request))
        for index in 0..<25 {
            status.recordHandled(HandledRequest(type: "Rollback", id: "r\(index)", outcome: .succeeded, time: time))
        }
        status.recordHandled(HandledRequest(type: "Rollback", id: "r24", outcome: .failed, time: time))
        #expect(status.handledRequests?.count == 20)
        #expect(!status.hasHandled(request))
        #expect(status.handled(DataBranchRollbackRequest.reset(id: "r24", commit: "abc1234"))?.outcome == .failed)
        #expect(!status.hasHandled(MergeRequest(id: "r24")))
    }

    @Test("a status is current only when it reflects the object's generation")
    func currentGeneration() {
        var branch = DataBranch(
            name: "dev", spec: DataBranchSpec(repository: DataBranchRepository(name: "hmco-curated"), branch: "dev"))
        branch.metadata.generation = 2
        #expect(!branch.isStatusCurrent)
        var status = DataBranchStatus()
        status.observedGeneration = 2
        branch.status = status
        #expect(branch.isStatusCurrent)
    }
}

@Suite("Formats")
struct FormatTests {
    @Test(
        "Go durations parse to seconds",
        arguments: [
            ("30s", 30.0), ("5m", 300), ("1h30m", 5400), ("250ms", 0.25), ("1.5h", 5400), ("24h", 86_400),
            ("10m0s", 600),
        ])
    func durations(text: String, seconds: Double) {
        #expect(GoDuration.seconds(text) == seconds)
    }

    @Test("malformed durations are rejected", arguments: ["", "5", "m", "5x", "1.h", ".5s", "-1s", "1h 30m"])
    func badDurations(text: String) {
        #expect(GoDuration.seconds(text) == nil)
    }

    @Test("the duration pattern in the schemas accepts exactly what the parser accepts")
    func durationPatternAgrees() {
        for text in ["30s", "5m", "1h30m", "250ms", "1.5h", "", "5", "5x", "1.h", ".5s", "-1s", "1h 30m"] {
            let matches = text.range(of: GoDuration.pattern, options: .regularExpression) != nil
            #expect(matches == (GoDuration.seconds(text) != nil), "\(text)")
        }
    }

    @Test("decimal strings parse; anything else does not")
    func decimals() {
        #expect(DecimalString.value("5000") == Decimal(5000))
        #expect(DecimalString.value("0.023") == Decimal(string: "0.023"))
        for bad in ["", "1e3", "-1", ".5", "5.", "1,000", "five"] { #expect(DecimalString.value(bad) == nil, "\(bad)") }
    }
}
