import KubeAPI

/// Autoscaling of a query engine's workers through a KEDA ScaledObject the
/// operator owns, plus Trino resource groups.
public struct WorkloadScaler: PlatformResource {
    public static let kind = "WorkloadScaler"
    public static let plural = "workloadscalers"
    public static let shortNames = ["wscale"]
    /// Delete: the ScaledObject and the resource-groups ConfigMap belong to the object.
    public static let defaultDeletionPolicy = DeletionPolicy.delete
    public static let summary =
        "WorkloadScaler scales a Deployment (Trino workers) between bounds on Trino's queued queries, CPU utilization and schedules, through a KEDA ScaledObject the operator owns, and maintains Trino resource groups."
    public static let printerColumn = PrinterColumn(
        name: "Replicas", type: "integer", jsonPath: ".status.currentReplicas",
        description: "The target's current replicas.")
    public static let conditionTypes = ConditionType.all

    /// How deep resource groups may nest (a CRD schema cannot be recursive).
    public static let maxResourceGroupDepth = 4

    /// Always `data.hmco.io/v1alpha1`.
    public var apiVersion: String = PlatformAPIGroup.apiVersion
    /// Always the kind's name.
    public var kind: String = WorkloadScaler.kind
    /// Name, namespace, labels, finalizers and the rest of the standard metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: WorkloadScalerSpec
    /// The observed state, written by the operator through the status subresource.
    public var status: WorkloadScalerStatus?

    /// An object with the given metadata, spec and (optionally) status.
    public init(metadata: ObjectMeta, spec: WorkloadScalerSpec, status: WorkloadScalerStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Decodes an object, filling in the schema's defaults first (as the API server does).
    public init(from decoder: any Decoder) throws { self = try Self.decodeApplyingDefaults(from: decoder) }
}

/// The desired state of a ``WorkloadScaler``.
public struct WorkloadScalerSpec: PlatformSpec {
    /// The workload to scale.
    public var targetRef: ScaleTargetRef
    /// The fewest replicas; 0 needs a queuedQueries or schedule trigger.
    public var minReplicas: Int
    /// The most replicas.
    public var maxReplicas: Int
    /// What makes the workload scale.
    public var triggers: ScalerTriggers
    /// How often KEDA checks the triggers.
    public var pollingInterval: String
    /// How long after the last active trigger before scaling to minReplicas (KEDA cooldownPeriod).
    public var cooldown: String
    /// The replicas to hold when the metrics cannot be read.
    public var fallback: ScalerFallback?
    /// Trino resource groups, rendered into a ConfigMap the coordinator mounts.
    public var resourceGroups: TrinoResourceGroups?
    public var suspend: Bool
    public var mode: ReconcileMode
    public var deletionPolicy: DeletionPolicy

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        targetRef: ScaleTargetRef, minReplicas: Int = 1, maxReplicas: Int, triggers: ScalerTriggers,
        pollingInterval: String = "30s", cooldown: String = "5m", fallback: ScalerFallback? = nil,
        resourceGroups: TrinoResourceGroups? = nil, suspend: Bool = false, mode: ReconcileMode = .apply,
        deletionPolicy: DeletionPolicy = WorkloadScaler.defaultDeletionPolicy
    ) {
        self.targetRef = targetRef
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.triggers = triggers
        self.pollingInterval = pollingInterval
        self.cooldown = cooldown
        self.fallback = fallback
        self.resourceGroups = resourceGroups
        self.suspend = suspend
        self.mode = mode
        self.deletionPolicy = deletionPolicy
    }
}

/// The workload to scale, in this namespace.
public struct ScaleTargetRef: Codable, Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(apiVersion: String = "apps/v1", kind: String = "Deployment", name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
    }
}

/// What makes the workload scale. KEDA takes the largest replica count any trigger asks for.
public struct ScalerTriggers: Codable, Sendable, Hashable {
    /// Scale on Trino's queued queries.
    public var queuedQueries: QueuedQueriesTrigger?
    /// Scale on CPU utilization.
    public var cpu: CPUTrigger?
    /// Replica counts held during recurring windows.
    public var schedules: [ScheduleTrigger]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        queuedQueries: QueuedQueriesTrigger? = nil, cpu: CPUTrigger? = nil, schedules: [ScheduleTrigger]? = nil
    ) {
        self.queuedQueries = queuedQueries
        self.cpu = cpu
        self.schedules = schedules
    }
}

/// Scaling on Trino's queued queries, read from Prometheus.
public struct QueuedQueriesTrigger: Codable, Sendable, Hashable {
    /// Where Prometheus is.
    public var prometheus: ServiceEndpoint?
    /// A PromQL query returning one sample: the number of queued queries.
    public var query: String
    /// Queued queries per worker to aim for, a decimal string.
    public var threshold: String
    /// Below this the trigger is inactive (lets the workload scale to zero).
    public var activationThreshold: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        prometheus: ServiceEndpoint? = nil, query: String = QueuedQueriesTrigger.defaultQuery, threshold: String,
        activationThreshold: String? = nil
    ) {
        self.prometheus = prometheus
        self.query = query
        self.threshold = threshold
        self.activationThreshold = activationThreshold
    }

    /// Trino's queued queries, as its JMX exporter names them.
    public static let defaultQuery = "sum(trino_execution_QueryManager_QueuedQueries)"
}

/// Scaling on CPU utilization.
public struct CPUTrigger: Codable, Sendable, Hashable {
    /// Target average utilization of the pods' CPU requests, in percent.
    public var utilization: Int
    /// Measure one container instead of the whole pod.
    public var containerName: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(utilization: Int, containerName: String? = nil) {
        self.utilization = utilization
        self.containerName = containerName
    }
}

/// A replica count held during a recurring window.
public struct ScheduleTrigger: Codable, Sendable, Hashable {
    public var name: String
    /// IANA time zone of the cron expressions.
    public var timezone: String
    /// Cron expression (5 fields) when the window starts.
    public var start: String
    /// Cron expression (5 fields) when the window ends.
    public var end: String
    /// Replicas during the window.
    public var replicas: Int

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(name: String, timezone: String = "UTC", start: String, end: String, replicas: Int) {
        self.name = name
        self.timezone = timezone
        self.start = start
        self.end = end
        self.replicas = replicas
    }
}

/// What to do when metrics cannot be read.
public struct ScalerFallback: Codable, Sendable, Hashable {
    /// Failed metric reads in a row before the fallback applies.
    public var failureThreshold: Int
    /// The replicas to hold.
    public var replicas: Int

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(failureThreshold: Int = 3, replicas: Int) {
        self.failureThreshold = failureThreshold
        self.replicas = replicas
    }
}

/// Trino's scheduling policies.
public enum SchedulingPolicy: String, Codable, Sendable, Hashable, CaseIterable {
    case fair = "Fair"
    case weightedFair = "WeightedFair"
    case weighted = "Weighted"
    case queryPriority = "QueryPriority"

    /// The value Trino's resource-groups file expects.
    public var trinoValue: String {
        switch self {
        case .fair: "fair"
        case .weightedFair: "weighted_fair"
        case .weighted: "weighted"
        case .queryPriority: "query_priority"
        }
    }
}

/// Trino query types a selector can match.
public enum TrinoQueryType: String, Codable, Sendable, Hashable, CaseIterable {
    case select = "SELECT"
    case explain = "EXPLAIN"
    case describe = "DESCRIBE"
    case insert = "INSERT"
    case update = "UPDATE"
    case merge = "MERGE"
    case delete = "DELETE"
    case analyze = "ANALYZE"
    case dataDefinition = "DATA_DEFINITION"
    case alterTableExecute = "ALTER_TABLE_EXECUTE"
}

/// Trino resource groups, rendered to the file resource-group manager's JSON.
public struct TrinoResourceGroups: Codable, Sendable, Hashable {
    /// The ConfigMap the rendered `resource-groups.json` is written to; defaults to `<name>-resource-groups`.
    public var configMapName: String?
    /// The top-level groups.
    public var rootGroups: [ResourceGroup]
    /// Evaluated in order; the first match wins; a query no selector matches is rejected.
    public var selectors: [ResourceGroupSelector]
    /// The period of the CPU limits.
    public var cpuQuotaPeriod: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        configMapName: String? = nil, rootGroups: [ResourceGroup], selectors: [ResourceGroupSelector],
        cpuQuotaPeriod: String? = nil
    ) {
        self.configMapName = configMapName
        self.rootGroups = rootGroups
        self.selectors = selectors
        self.cpuQuotaPeriod = cpuQuotaPeriod
    }
}

/// One resource group; groups nest up to ``WorkloadScaler/maxResourceGroupDepth`` levels.
public struct ResourceGroup: Codable, Sendable, Hashable {
    /// The name; may be a template such as `${USER}`.
    public var name: String
    /// Share of cluster memory (`40%`) or an absolute size (`10GB`).
    public var softMemoryLimit: String
    /// The most queries that run at once.
    public var hardConcurrencyLimit: Int
    /// Running queries above which new ones start only when others are not eligible.
    public var softConcurrencyLimit: Int?
    /// Queries that may wait; beyond it new queries fail.
    public var maxQueued: Int
    /// How queued queries are picked.
    public var schedulingPolicy: SchedulingPolicy?
    /// The group's weight under the Weighted and WeightedFair policies.
    public var schedulingWeight: Int?
    /// CPU time per cpuQuotaPeriod after which the group's concurrency drops.
    public var softCpuLimit: String?
    /// CPU time per cpuQuotaPeriod after which the group takes no new queries.
    public var hardCpuLimit: String?
    /// Nested groups; a group either has sub-groups or runs queries.
    public var subGroups: [ResourceGroup]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        name: String, softMemoryLimit: String, hardConcurrencyLimit: Int, softConcurrencyLimit: Int? = nil,
        maxQueued: Int, schedulingPolicy: SchedulingPolicy? = nil, schedulingWeight: Int? = nil,
        softCpuLimit: String? = nil, hardCpuLimit: String? = nil, subGroups: [ResourceGroup]? = nil
    ) {
        self.name = name
        self.softMemoryLimit = softMemoryLimit
        self.hardConcurrencyLimit = hardConcurrencyLimit
        self.softConcurrencyLimit = softConcurrencyLimit
        self.maxQueued = maxQueued
        self.schedulingPolicy = schedulingPolicy
        self.schedulingWeight = schedulingWeight
        self.softCpuLimit = softCpuLimit
        self.hardCpuLimit = hardCpuLimit
        self.subGroups = subGroups
    }
}

/// Sends matching queries to a group. Every criterion given must match.
public struct ResourceGroupSelector: Codable, Sendable, Hashable {
    /// The dotted path of a leaf group, e.g. `etl` or `adhoc.${USER}`.
    public var group: String
    /// A Java regular expression on the user.
    public var user: String?
    /// A Java regular expression on the user's groups.
    public var userGroup: String?
    /// A Java regular expression on the query's source (`X-Trino-Source`).
    public var source: String?
    /// The query's type.
    public var queryType: TrinoQueryType?
    /// Tags the query must all carry (`X-Trino-Client-Tags`).
    public var clientTags: [String]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        group: String, user: String? = nil, userGroup: String? = nil, source: String? = nil,
        queryType: TrinoQueryType? = nil, clientTags: [String]? = nil
    ) {
        self.group = group
        self.user = user
        self.userGroup = userGroup
        self.source = source
        self.queryType = queryType
        self.clientTags = clientTags
    }
}

/// The observed state of a ``WorkloadScaler``.
public struct WorkloadScalerStatus: PlatformStatus {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var plan: [PlannedAction]?
    public var lastAppliedPlan: AppliedPlan?
    public var lastReconcileTime: Time?
    /// The KEDA ScaledObject the operator owns.
    public var scaledObjectName: String?
    /// The target's current replicas.
    public var currentReplicas: Int?
    /// The replicas the autoscaler asks for.
    public var desiredReplicas: Int?
    /// When the replica count last changed.
    public var lastScaleTime: Time?
    /// The ConfigMap holding the rendered resource groups.
    public var resourceGroupsConfigMap: String?
    /// `sha256:<hex>` of the rendered resource groups.
    public var resourceGroupsHash: String?

    /// An empty status, as on an object the operator has not reconciled yet.
    public init() {}
}

extension WorkloadScaler {
    /// The condition types of a WorkloadScaler.
    public enum ConditionType {
        public static let ready = StandardCondition.ready
        public static let reconciling = StandardCondition.reconciling
        public static let stalled = StandardCondition.stalled
        /// True when KEDA reports the ScaledObject Ready.
        public static let scalerReady = "ScalerReady"
        /// True when the rendered resource groups are in the ConfigMap.
        public static let resourceGroupsApplied = "ResourceGroupsApplied"
        public static let all = [ready, reconciling, stalled, scalerReady, resourceGroupsApplied]
    }

    /// The reasons a WorkloadScaler's conditions give, besides ``StandardReason``.
    public enum Reason {
        public static let scaledObjectReady = "ScaledObjectReady"
        public static let scaledObjectNotReady = "ScaledObjectNotReady"
        public static let kedaNotInstalled = "KEDANotInstalled"
        public static let targetNotFound = "TargetNotFound"
        public static let fallbackActive = "FallbackActive"
        public static let resourceGroupsApplied = "ResourceGroupsApplied"
        public static let noResourceGroups = "NoResourceGroups"
    }
}
