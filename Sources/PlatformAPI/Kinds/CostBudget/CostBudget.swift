import KubeAPI

/// A spending limit for a team, users or datasets over a period, measured
/// from Prometheus, ClickHouse's query log and Trino, with thresholds that
/// notify or enforce.
public struct CostBudget: PlatformResource {
    public static let kind = "CostBudget"
    public static let plural = "costbudgets"
    public static let shortNames = ["cbud"]
    /// Delete: deleting the budget lifts its enforcement; there is nothing else to keep.
    public static let defaultDeletionPolicy = DeletionPolicy.delete
    public static let summary =
        "CostBudget sets a spending limit for a team, users or datasets over a period, measures spend from Prometheus, ClickHouse's query log and Trino at the given rates, forecasts the period, and at each threshold notifies (an Event and a condition) or enforces (lower the scope's Trino resource-group concurrency, suspend partner entitlements)."
    public static let printerColumn = PrinterColumn(
        name: "Spend", type: "string", jsonPath: ".status.spend", description: "Spend so far this period.")
    public static let conditionTypes = ConditionType.all

    /// Always `data.hmco.io/v1alpha1`.
    public var apiVersion: String = PlatformAPIGroup.apiVersion
    /// Always the kind's name.
    public var kind: String = CostBudget.kind
    /// Name, namespace, labels, finalizers and the rest of the standard metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: CostBudgetSpec
    /// The observed state, written by the operator through the status subresource.
    public var status: CostBudgetStatus?

    /// An object with the given metadata, spec and (optionally) status.
    public init(metadata: ObjectMeta, spec: CostBudgetSpec, status: CostBudgetStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Decodes an object, filling in the schema's defaults first (as the API server does).
    public init(from decoder: any Decoder) throws { self = try Self.decodeApplyingDefaults(from: decoder) }
}

/// The length of a budget period.
public enum BudgetPeriod: String, Codable, Sendable, Hashable, CaseIterable {
    case daily = "Daily"
    /// Weeks start on Monday.
    case weekly = "Weekly"
    case monthly = "Monthly"
}

/// What a threshold compares with the limit.
public enum ThresholdBasis: String, Codable, Sendable, Hashable, CaseIterable {
    /// Spend so far.
    case actual = "Actual"
    /// Spend forecast for the whole period.
    case forecast = "Forecast"
}

/// What crossing a threshold does.
public enum ThresholdAction: String, Codable, Sendable, Hashable, CaseIterable {
    /// A Warning Event and the ThresholdCrossed condition.
    case notify = "Notify"
    /// Notify, and carry out `enforce`.
    case enforce = "Enforce"
}

/// The desired state of a ``CostBudget``.
public struct CostBudgetSpec: PlatformSpec {
    /// Whose spend counts.
    public var scope: BudgetScope
    /// The budget period.
    public var period: BudgetPeriod
    /// IANA time zone of the period's boundaries.
    public var timeZone: String
    /// The limit per period, a decimal string in ``currency``.
    public var limit: String
    /// ISO 4217 code.
    public var currency: String
    /// How usage is priced.
    public var rates: CostRates
    /// Where usage is read.
    public var sources: CostSources
    /// Shares of the limit and what crossing each does, once per period.
    public var thresholds: [BudgetThreshold]?
    public var suspend: Bool
    public var mode: ReconcileMode
    public var deletionPolicy: DeletionPolicy

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        scope: BudgetScope, period: BudgetPeriod = .monthly, timeZone: String = "UTC", limit: String,
        currency: String = "USD", rates: CostRates, sources: CostSources, thresholds: [BudgetThreshold]? = nil,
        suspend: Bool = false, mode: ReconcileMode = .apply,
        deletionPolicy: DeletionPolicy = CostBudget.defaultDeletionPolicy
    ) {
        self.scope = scope
        self.period = period
        self.timeZone = timeZone
        self.limit = limit
        self.currency = currency
        self.rates = rates
        self.sources = sources
        self.thresholds = thresholds
        self.suspend = suspend
        self.mode = mode
        self.deletionPolicy = deletionPolicy
    }
}

/// Whose spend counts. Usage matching any part counts once.
public struct BudgetScope: Codable, Sendable, Hashable {
    /// A team: the Trino and ClickHouse user group (role) whose usage counts.
    public var team: String?
    /// Users whose usage counts.
    public var users: [String]?
    /// Tables whose reads count, `catalog.schema.table`, each part a name or `*`.
    public var datasets: [String]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(team: String? = nil, users: [String]? = nil, datasets: [String]? = nil) {
        self.team = team
        self.users = users
        self.datasets = datasets
    }
}

/// Prices per unit of usage, decimal strings in the budget's currency.
public struct CostRates: Codable, Sendable, Hashable {
    /// Per terabyte scanned by queries.
    public var perTBScanned: String?
    /// Per CPU-hour of query execution.
    public var perCPUHour: String?
    /// Per gigabyte-month of stored data.
    public var perGBMonthStored: String?
    /// Per Spark executor-hour.
    public var perSparkExecutorHour: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        perTBScanned: String? = nil, perCPUHour: String? = nil, perGBMonthStored: String? = nil,
        perSparkExecutorHour: String? = nil
    ) {
        self.perTBScanned = perTBScanned
        self.perCPUHour = perCPUHour
        self.perGBMonthStored = perGBMonthStored
        self.perSparkExecutorHour = perSparkExecutorHour
    }
}

/// Where usage is read. A source is used when present, even as `{}`.
public struct CostSources: Codable, Sendable, Hashable {
    /// CPU-hours, storage and Spark executors from Prometheus.
    public var prometheus: MetricsSource?
    /// Bytes read and CPU time from ClickHouse's `system.query_log`.
    public var clickHouseQueryLog: ClickHouseQueryLogSource?
    /// Bytes scanned and CPU time from Trino's completed queries.
    public var trino: MetricsSource?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        prometheus: MetricsSource? = nil, clickHouseQueryLog: ClickHouseQueryLogSource? = nil,
        trino: MetricsSource? = nil
    ) {
        self.prometheus = prometheus
        self.clickHouseQueryLog = clickHouseQueryLog
        self.trino = trino
    }
}

/// A usage source reached over HTTP.
public struct MetricsSource: Codable, Sendable, Hashable {
    /// Where the source is; the operator's configuration when absent.
    public var endpoint: ServiceEndpoint?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(endpoint: ServiceEndpoint? = nil) { self.endpoint = endpoint }
}

/// ClickHouse's query log as a usage source.
public struct ClickHouseQueryLogSource: Codable, Sendable, Hashable {
    /// Where the source is; the operator's configuration when absent.
    public var endpoint: ServiceEndpoint?
    /// The cluster whose replicas' logs are read together (`clusterAllReplicas`); one server when absent.
    public var cluster: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(endpoint: ServiceEndpoint? = nil, cluster: String? = nil) {
        self.endpoint = endpoint
        self.cluster = cluster
    }
}

/// A share of the limit and what crossing it does.
public struct BudgetThreshold: Codable, Sendable, Hashable {
    /// Percent of the limit, e.g. 80.
    public var percent: Int
    public var basis: ThresholdBasis
    public var action: ThresholdAction
    /// What Enforce does; required with it.
    public var enforce: BudgetEnforcement?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        percent: Int, basis: ThresholdBasis = .actual, action: ThresholdAction = .notify,
        enforce: BudgetEnforcement? = nil
    ) {
        self.percent = percent
        self.basis = basis
        self.action = action
        self.enforce = enforce
    }
}

/// What an Enforce threshold does until the period ends or the budget goes.
public struct BudgetEnforcement: Codable, Sendable, Hashable {
    /// Lower a Trino resource group's concurrency.
    public var trinoResourceGroup: ResourceGroupLimit?
    /// PartnerEntitlements in this namespace to suspend (their access is revoked until lifted).
    public var suspendPartnerEntitlements: [String]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(trinoResourceGroup: ResourceGroupLimit? = nil, suspendPartnerEntitlements: [String]? = nil) {
        self.trinoResourceGroup = trinoResourceGroup
        self.suspendPartnerEntitlements = suspendPartnerEntitlements
    }
}

/// A lowered concurrency for one Trino resource group.
public struct ResourceGroupLimit: Codable, Sendable, Hashable {
    /// The group's dotted path, as in a WorkloadScaler's resource groups.
    public var group: String
    /// The lowered concurrency.
    public var hardConcurrencyLimit: Int

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(group: String, hardConcurrencyLimit: Int) {
        self.group = group
        self.hardConcurrencyLimit = hardConcurrencyLimit
    }
}

/// The observed state of a ``CostBudget``.
public struct CostBudgetStatus: PlatformStatus {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var plan: [PlannedAction]?
    public var lastAppliedPlan: AppliedPlan?
    public var lastReconcileTime: Time?
    /// Start of the current period.
    public var periodStart: Time?
    /// End of the current period.
    public var periodEnd: Time?
    /// Spend so far this period, a decimal string in ``currency``.
    public var spend: String?
    /// Spend forecast for the whole period.
    public var forecast: String?
    /// The currency of spend and forecast.
    public var currency: String?
    /// Spend as a percentage of the limit, rounded down.
    public var percentUsed: Int?
    /// The users who spent most this period.
    public var topUsers: [SpendEntry]?
    /// The datasets that cost most this period.
    public var topDatasets: [SpendEntry]?
    /// Thresholds crossed this period.
    public var thresholdsCrossed: [CrossedThreshold]?
    /// Enforcement in force.
    public var enforcements: [ActiveEnforcement]?
    /// When usage was last read.
    public var lastMeasurementTime: Time?

    /// An empty status, as on an object the operator has not reconciled yet.
    public init() {}
}

/// Spend attributed to one user or dataset.
public struct SpendEntry: Codable, Sendable, Hashable {
    public var name: String
    /// A decimal string in the budget's currency.
    public var amount: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(name: String, amount: String) {
        self.name = name
        self.amount = amount
    }
}

/// A threshold crossed this period.
public struct CrossedThreshold: Codable, Sendable, Hashable {
    public var percent: Int
    public var basis: ThresholdBasis
    public var action: ThresholdAction
    /// When it was crossed.
    public var crossedAt: Time

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(percent: Int, basis: ThresholdBasis, action: ThresholdAction, crossedAt: Time) {
        self.percent = percent
        self.basis = basis
        self.action = action
        self.crossedAt = crossedAt
    }
}

/// One enforcement action in force.
public struct ActiveEnforcement: Codable, Sendable, Hashable {
    /// `LimitTrinoConcurrency` or `SuspendPartnerEntitlement`.
    public var action: String
    /// The resource group path or PartnerEntitlement name.
    public var target: String
    /// When it was applied.
    public var since: Time
    /// The value to restore when lifted (e.g. the group's former concurrency).
    public var previousValue: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(action: String, target: String, since: Time, previousValue: String? = nil) {
        self.action = action
        self.target = target
        self.since = since
        self.previousValue = previousValue
    }
}

extension CostBudget {
    /// The condition types of a CostBudget.
    public enum ConditionType {
        public static let ready = StandardCondition.ready
        public static let reconciling = StandardCondition.reconciling
        public static let stalled = StandardCondition.stalled
        /// True while spend (and the forecast, for Forecast thresholds) stays under the limit.
        public static let withinBudget = "WithinBudget"
        /// True once any threshold is crossed this period.
        public static let thresholdCrossed = "ThresholdCrossed"
        /// True while enforcement is in force.
        public static let enforcing = "Enforcing"
        public static let all = [ready, reconciling, stalled, withinBudget, thresholdCrossed, enforcing]
    }

    /// The reasons a CostBudget's conditions give, besides ``StandardReason``.
    public enum Reason {
        public static let underLimit = "UnderLimit"
        public static let forecastOverLimit = "ForecastOverLimit"
        public static let limitExceeded = "LimitExceeded"
        public static let thresholdCrossed = "ThresholdCrossed"
        public static let noThresholdCrossed = "NoThresholdCrossed"
        public static let enforcementApplied = "EnforcementApplied"
        public static let enforcementLifted = "EnforcementLifted"
        public static let sourceUnavailable = "SourceUnavailable"
        public static let periodRolledOver = "PeriodRolledOver"
    }

    /// The values of `status.enforcements[].action`.
    public enum EnforcementAction {
        public static let limitTrinoConcurrency = "LimitTrinoConcurrency"
        public static let suspendPartnerEntitlement = "SuspendPartnerEntitlement"
    }
}
