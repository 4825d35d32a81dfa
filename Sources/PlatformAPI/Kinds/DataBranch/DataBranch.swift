import KubeAPI

/// A lakeFS branch managed from Kubernetes: created from a source ref,
/// optionally protected, merged into a target when its quality gates pass,
/// and rolled back on request.
public struct DataBranch: PlatformResource {
    public static let kind = "DataBranch"
    public static let plural = "databranches"
    public static let shortNames = ["dbr"]
    /// Retain: a branch may hold commits nobody merged yet.
    public static let defaultDeletionPolicy = DeletionPolicy.retain
    public static let summary =
        "DataBranch is a lakeFS branch managed from Kubernetes: created from a source ref, optionally protected, merged into a target branch when the repository's pre-merge hooks (the quality gates) pass, and rolled back on request."
    public static let printerColumn = PrinterColumn(
        name: "Branch", type: "string", jsonPath: ".spec.branch", description: "The lakeFS branch.")
    public static let conditionTypes = ConditionType.all

    /// Always `data.hmco.io/v1alpha1`.
    public var apiVersion: String = PlatformAPIGroup.apiVersion
    /// Always the kind's name.
    public var kind: String = DataBranch.kind
    /// Name, namespace, labels, finalizers and the rest of the standard metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: DataBranchSpec
    /// The observed state, written by the operator through the status subresource.
    public var status: DataBranchStatus?

    /// An object with the given metadata, spec and (optionally) status.
    public init(metadata: ObjectMeta, spec: DataBranchSpec, status: DataBranchStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Decodes an object, filling in the schema's defaults first (as the API server does).
    public init(from decoder: any Decoder) throws { self = try Self.decodeApplyingDefaults(from: decoder) }
}

/// The desired state of a ``DataBranch``.
public struct DataBranchSpec: PlatformSpec {
    /// The lakeFS repository holding the branch.
    public var repository: DataBranchRepository
    /// The branch name. Immutable.
    public var branch: String
    /// The ref (branch, tag or commit) the branch is created from; defaults to
    /// the repository's default branch. Only read when the branch is created.
    public var sourceRef: String?
    /// Adds a lakeFS branch-protection rule for this branch, so it changes only through merges.
    /// lakeFS does not delete a protected branch: with ``deletionPolicy`` Delete, deleting
    /// waits (`DeletionBlocked`) until this is set to false, when the operator removes its
    /// rule and deletes the branch.
    public var protected: Bool
    /// The data pull request: merging this branch into a target.
    public var merge: DataBranchMerge?
    /// A one-shot rollback of this branch.
    public var rollbackRequest: DataBranchRollbackRequest?
    /// How to reach lakeFS; what is left out comes from the operator's configuration.
    public var lakeFS: ServiceEndpoint?
    public var suspend: Bool
    public var mode: ReconcileMode
    /// What deleting the object does to the branch. Delete removes it — never the
    /// repository's default branch, nor a branch that is still protected: deletion then
    /// waits with `Stalled=True` reason `DeletionBlocked`, whose message says how to go on
    /// (set ``protected`` to false, or switch to Retain). Retain leaves the branch.
    public var deletionPolicy: DeletionPolicy

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        repository: DataBranchRepository, branch: String, sourceRef: String? = nil, protected: Bool = false,
        merge: DataBranchMerge? = nil, rollbackRequest: DataBranchRollbackRequest? = nil,
        lakeFS: ServiceEndpoint? = nil, suspend: Bool = false, mode: ReconcileMode = .apply,
        deletionPolicy: DeletionPolicy = DataBranch.defaultDeletionPolicy
    ) {
        self.repository = repository
        self.branch = branch
        self.sourceRef = sourceRef
        self.protected = protected
        self.merge = merge
        self.rollbackRequest = rollbackRequest
        self.lakeFS = lakeFS
        self.suspend = suspend
        self.mode = mode
        self.deletionPolicy = deletionPolicy
    }
}

/// A lakeFS repository, and whether the operator may create it.
public struct DataBranchRepository: Codable, Sendable, Hashable {
    /// The repository name. Immutable.
    public var name: String
    /// Create the repository when it does not exist. When false, a missing repository stalls the object.
    public var create: Bool
    /// Where the repository stores its objects (`s3://bucket/prefix`); required when ``create`` is true.
    public var storageNamespace: String?
    /// The default branch of a repository the operator creates.
    public var defaultBranch: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(name: String, create: Bool = false, storageNamespace: String? = nil, defaultBranch: String = "main") {
        self.name = name
        self.create = create
        self.storageNamespace = storageNamespace
        self.defaultBranch = defaultBranch
    }
}

/// When a ``DataBranchMerge`` merges.
public enum MergeTrigger: String, Codable, Sendable, Hashable, CaseIterable {
    /// Whenever the branch head has commits the target lacks and the quality gates pass.
    case auto = "Auto"
    /// Only when ``DataBranchMerge/request`` carries a new id.
    case onRequest = "OnRequest"
}

/// How lakeFS resolves conflicting changes in a merge.
public enum MergeStrategy: String, Codable, Sendable, Hashable, CaseIterable {
    /// Any conflict stops the merge.
    case `default` = "Default"
    /// Conflicts keep the target's version (lakeFS `dest-wins`).
    case destWins = "DestWins"
    /// Conflicts take this branch's version (lakeFS `source-wins`).
    case sourceWins = "SourceWins"
}

/// The data pull request of a ``DataBranch``.
public struct DataBranchMerge: Codable, Sendable, Hashable {
    /// The target branch, e.g. `prod`.
    public var into: String
    /// When to merge: automatically after the gates pass, or only on request.
    public var trigger: MergeTrigger
    /// How conflicts are resolved.
    public var strategy: MergeStrategy
    /// The merge commit's message; defaults to one naming the object.
    public var message: String?
    /// Metadata of the merge commit.
    public var metadata: [String: String]?
    /// Squash the branch's commits into one on the target.
    public var squash: Bool
    /// How often to look for new commits on the branch head (lakeFS has no watch).
    public var pollInterval: String
    /// A one-shot merge: merges now (OnRequest), or retries after a failed gate (Auto).
    public var request: MergeRequest?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        into: String, trigger: MergeTrigger = .auto, strategy: MergeStrategy = .default, message: String? = nil,
        metadata: [String: String]? = nil, squash: Bool = false, pollInterval: String = "1m",
        request: MergeRequest? = nil
    ) {
        self.into = into
        self.trigger = trigger
        self.strategy = strategy
        self.message = message
        self.metadata = metadata
        self.squash = squash
        self.pollInterval = pollInterval
        self.request = request
    }
}

/// A one-shot merge request.
public struct MergeRequest: OneShotRequest {
    public static let requestType = "Merge"
    public var id: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(id: String) { self.id = id }
}

/// A one-shot rollback: revert one commit, or reset the branch to a commit.
public struct DataBranchRollbackRequest: OneShotRequest {
    public static let requestType = "Rollback"
    public var id: String
    /// Adds a commit that undoes `commit`. Exactly one of revert and reset.
    public var revert: RevertRollback?
    /// Moves the branch back to `commit`, dropping later commits. Exactly one of revert and reset.
    public var reset: ResetRollback?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(id: String, revert: RevertRollback? = nil, reset: ResetRollback? = nil) {
        self.id = id
        self.revert = revert
        self.reset = reset
    }

    /// A revert request.
    public static func revert(id: String, commit: String, parentNumber: Int = 1) -> Self {
        Self(id: id, revert: RevertRollback(commit: commit, parentNumber: parentNumber))
    }

    /// A reset request.
    public static func reset(id: String, commit: String) -> Self {
        Self(id: id, reset: ResetRollback(commit: commit))
    }
}

/// Reverting one commit.
public struct RevertRollback: Codable, Sendable, Hashable {
    /// The commit to undo.
    public var commit: String
    /// For a merge commit, which parent is the mainline (1-based).
    public var parentNumber: Int

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(commit: String, parentNumber: Int = 1) {
        self.commit = commit
        self.parentNumber = parentNumber
    }
}

/// Resetting the branch to a commit (lakeFS hard reset).
public struct ResetRollback: Codable, Sendable, Hashable {
    /// The commit the branch head is moved to.
    public var commit: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(commit: String) { self.commit = commit }
}

/// The observed state of a ``DataBranch``.
public struct DataBranchStatus: RequestRecordingStatus {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var plan: [PlannedAction]?
    public var lastAppliedPlan: AppliedPlan?
    public var lastReconcileTime: Time?
    public var handledRequests: [HandledRequest]?
    /// The commit the branch head points at.
    public var headCommit: String?
    /// The commit the branch was created from.
    public var sourceCommit: String?
    /// The last successful merge into the target.
    public var lastMerge: MergeRecord?
    /// The last rollback carried out.
    public var lastRollback: RollbackRecord?
    /// The verdict of the pre-merge hooks on the last merge attempt.
    public var qualityGate: QualityGateResult?
    /// The last merge attempt, successful or not. A failed attempt is not
    /// repeated for the same branch head unless a merge request asks for it.
    public var lastMergeAttempt: MergeAttempt?
    /// Whether the operator added the branch-protection rule (so it removes
    /// only a rule it added, never one a person added).
    public var protectionApplied: Bool?

    /// An empty status, as on an object the operator has not reconciled yet.
    public init() {}
}

/// A merge the operator made.
public struct MergeRecord: Codable, Sendable, Hashable {
    /// The target branch.
    public var into: String
    /// The branch head that was merged.
    public var sourceCommit: String
    /// The merge commit on the target.
    public var commit: String
    public var time: Time
    /// The merge request id, when the merge was requested.
    public var requestID: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(into: String, sourceCommit: String, commit: String, time: Time, requestID: String? = nil) {
        self.into = into
        self.sourceCommit = sourceCommit
        self.commit = commit
        self.time = time
        self.requestID = requestID
    }
}

/// How a merge attempt ended.
public enum MergeAttemptOutcome: String, Codable, Sendable, Hashable, CaseIterable {
    case merged = "Merged"
    case qualityGateFailed = "QualityGateFailed"
    case mergeConflict = "MergeConflict"
    case failed = "Failed"

    /// Whether the same branch head is left alone until a new commit or a request.
    public var blocksRetry: Bool { self != .merged }
}

/// One attempt to merge the branch into its target.
public struct MergeAttempt: Codable, Sendable, Hashable {
    /// The branch head the attempt merged.
    public var sourceCommit: String
    public var outcome: MergeAttemptOutcome
    /// What happened: the gate's verdict, the conflicting paths, lakeFS's message.
    public var message: String?
    /// The merge request id, when the attempt was requested.
    public var requestID: String?
    public var time: Time

    /// A value with the given fields.
    public init(sourceCommit: String, outcome: MergeAttemptOutcome, message: String? = nil, requestID: String? = nil, time: Time) {
        self.sourceCommit = sourceCommit
        self.outcome = outcome
        self.message = message
        self.requestID = requestID
        self.time = time
    }
}

/// How a rollback was done.
public enum RollbackAction: String, Codable, Sendable, Hashable, CaseIterable {
    case revert = "Revert"
    case reset = "Reset"
}

/// A rollback the operator carried out (or tried to).
public struct RollbackRecord: Codable, Sendable, Hashable {
    /// The request id.
    public var id: String
    /// Revert or Reset.
    public var action: RollbackAction
    /// The commit reverted, or reset to.
    public var commit: String
    /// The branch head afterwards.
    public var resultCommit: String?
    public var outcome: HandledRequest.Outcome
    public var message: String?
    public var time: Time

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        id: String, action: RollbackAction, commit: String, resultCommit: String? = nil,
        outcome: HandledRequest.Outcome,
        message: String? = nil, time: Time
    ) {
        self.id = id
        self.action = action
        self.commit = commit
        self.resultCommit = resultCommit
        self.outcome = outcome
        self.message = message
        self.time = time
    }
}

/// The verdict of the pre-merge hooks.
public enum QualityGateVerdict: String, Codable, Sendable, Hashable, CaseIterable {
    case passed = "Passed"
    case failed = "Failed"
}

/// What the quality gates said about one merge attempt.
public struct QualityGateResult: Codable, Sendable, Hashable {
    /// Passed or Failed.
    public var result: QualityGateVerdict
    /// The branch head the hooks ran against.
    public var commit: String
    /// The lakeFS action run id.
    public var runID: String?
    /// The hook that failed.
    public var failedHook: String?
    /// The first lines of the failed hook's output, or lakeFS's message.
    public var message: String?
    public var time: Time

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        result: QualityGateVerdict, commit: String, runID: String? = nil, failedHook: String? = nil,
        message: String? = nil, time: Time
    ) {
        self.result = result
        self.commit = commit
        self.runID = runID
        self.failedHook = failedHook
        self.message = message
        self.time = time
    }
}

extension DataBranch {
    /// The condition types of a DataBranch.
    public enum ConditionType {
        public static let ready = StandardCondition.ready
        public static let reconciling = StandardCondition.reconciling
        public static let stalled = StandardCondition.stalled
        /// True when the branch head is merged into the target (or there is nothing to merge).
        public static let merged = "Merged"
        /// True when the pre-merge hooks passed on the current head.
        public static let qualityGatePassed = "QualityGatePassed"
        public static let all = [ready, reconciling, stalled, merged, qualityGatePassed]
    }

    /// The reasons a DataBranch's conditions give, besides ``StandardReason``.
    public enum Reason {
        public static let branchCreated = "BranchCreated"
        public static let repositoryNotFound = "RepositoryNotFound"
        public static let sourceRefNotFound = "SourceRefNotFound"
        public static let merged = "Merged"
        public static let upToDate = "UpToDate"
        public static let waitingForRequest = "WaitingForRequest"
        public static let qualityGateFailed = "QualityGateFailed"
        public static let hooksPassed = "HooksPassed"
        public static let notEvaluated = "NotEvaluated"
        public static let mergeConflict = "MergeConflict"
        public static let mergeFailed = "MergeFailed"
        public static let rolledBack = "RolledBack"
        public static let rollbackFailed = "RollbackFailed"
        public static let branchProtected = "BranchProtected"
        public static let defaultBranch = "DefaultBranch"
    }
}
