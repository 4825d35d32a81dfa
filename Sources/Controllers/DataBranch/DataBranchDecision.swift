import Foundation
import KubeAPI
import PlatformAPI

/// What lakeFS looked like when a reconcile started.
public struct DataBranchObservation: Sendable, Hashable {
    /// nil when the repository does not exist.
    public var repositoryDefaultBranch: String?
    public var repositoryExists: Bool
    /// The branch head, nil when the branch does not exist.
    public var head: String?
    /// The merge target's head, nil when there is no merge or no target branch.
    public var targetHead: String?
    /// Whether the branch has commits the target lacks (nil when not asked).
    public var aheadOfTarget: Bool?
    /// Whether a protection rule names the branch (nil when not read).
    public var protected: Bool?
    /// The head last reported in status, when the branch has since moved to a
    /// commit that does not descend from it (a reset outside Kubernetes); nil otherwise.
    public var movedFrom: String?
    /// The pending rollback request, when lakeFS shows it carried out already: a
    /// revert commit carrying its id in the branch's recent log, or the branch at
    /// the reset commit. Only looked for while the request is pending.
    public var rollbackCarriedOut: CarriedOutRequest?
    /// The pending merge request, when a merge commit carrying its id is in the
    /// target's recent log. Only looked for while the request is pending.
    public var mergeCarriedOut: CarriedOutRequest?

    public init(
        repositoryExists: Bool, repositoryDefaultBranch: String? = nil, head: String? = nil, targetHead: String? = nil,
        aheadOfTarget: Bool? = nil, protected: Bool? = nil
    ) {
        self.repositoryExists = repositoryExists
        self.repositoryDefaultBranch = repositoryDefaultBranch
        self.head = head
        self.targetHead = targetHead
        self.aheadOfTarget = aheadOfTarget
        self.protected = protected
    }
}

/// A one-shot request whose effect lakeFS already shows, though status does
/// not record it: the operator stopped between carrying it out and writing status.
public struct CarriedOutRequest: Sendable, Hashable {
    /// The request id.
    public var id: String
    /// The commit that shows it: the revert or merge commit, or the commit a reset moved the branch to.
    public var commit: String
    /// For a merge, the branch head it merged (from the merge commit's metadata).
    public var sourceCommit: String?
    /// When lakeFS made the commit; nil for a reset.
    public var time: Time?

    public init(id: String, commit: String, sourceCommit: String? = nil, time: Time? = nil) {
        self.id = id
        self.commit = commit
        self.sourceCommit = sourceCommit
        self.time = time
    }
}

/// One change to lakeFS.
public enum DataBranchAction: Sendable, Hashable {
    case createRepository(name: String, storageNamespace: String, defaultBranch: String)
    case createBranch(name: String, source: String, drift: Bool)
    case protect(branch: String)
    case unprotect(branch: String)
    case merge(source: String, into: String, requestID: String?)
    case revert(requestID: String, commit: String, parentNumber: Int)
    case reset(requestID: String, commit: String)
    /// Moves a branch that was reset outside Kubernetes back to the head last reported.
    case restoreHead(branch: String, to: String, from: String)

    /// The action as `status.plan` shows it, with the exact call Apply sends.
    /// `branch` is the DataBranch's branch: revert and reset act on it, and
    /// without it their call would be a template (`{branch}`), not the exact request.
    public func planned(repository: String, branch: String) -> PlannedAction {
        let base = "/api/v1/repositories/\(repository)"
        switch self {
        case .createRepository(let name, let storageNamespace, let defaultBranch):
            return PlannedAction(
                verb: "CreateRepository", target: "lakefs://\(name)",
                summary: "create repository \(name) in \(storageNamespace) with default branch \(defaultBranch)",
                call: "POST /api/v1/repositories")
        case .createBranch(let name, let source, let drift):
            return PlannedAction(
                verb: "CreateBranch", target: "lakefs://\(repository)/\(name)",
                summary: drift ? "re-create branch \(name) from \(source) (it was deleted outside Kubernetes)" : "create branch \(name) from \(source)",
                call: "POST \(base)/branches")
        case .protect(let branch):
            return PlannedAction(
                verb: "ProtectBranch", target: "lakefs://\(repository)/\(branch)",
                summary: "add a branch protection rule for \(branch)", call: "PUT \(base)/settings/branch_protection")
        case .unprotect(let branch):
            return PlannedAction(
                verb: "UnprotectBranch", target: "lakefs://\(repository)/\(branch)",
                summary: "remove the branch protection rule for \(branch)", call: "PUT \(base)/settings/branch_protection")
        case .merge(let source, let into, let requestID):
            return PlannedAction(
                verb: "Merge", target: "lakefs://\(repository)/\(into)",
                summary: "merge \(source) into \(into)\(requestID.map { " (request \($0))" } ?? "") if the pre-merge hooks pass",
                call: "POST \(base)/refs/\(source)/merge/\(into)")
        case .revert(let requestID, let commit, let parentNumber):
            return PlannedAction(
                verb: "Revert", target: "lakefs://\(repository)/\(branch)",
                summary: "revert commit \(commit) (parent \(parentNumber)) on \(branch) for request \(requestID)",
                call: "POST \(base)/branches/\(branch)/revert")
        case .reset(let requestID, let commit):
            return PlannedAction(
                verb: "Reset", target: "lakefs://\(repository)/\(branch)",
                summary: "reset \(branch) to commit \(commit) for request \(requestID)",
                call: "PUT \(base)/branches/\(branch)/hard_reset?ref=\(commit)")
        case .restoreHead(let name, let to, let from):
            return PlannedAction(
                verb: "RestoreHead", target: "lakefs://\(repository)/\(name)",
                summary: "move \(name) back from \(from) to \(to): it was reset outside Kubernetes",
                call: "PUT \(base)/branches/\(name)/hard_reset?ref=\(to)")
        }
    }
}

/// Why nothing is planned where one might expect an action.
public enum DataBranchWait: Sendable, Hashable {
    /// The repository is missing and the spec does not allow creating it.
    case repositoryMissing
    /// The merge target does not exist.
    case targetMissing(String)
    /// The last merge attempt of this head failed; waiting for a new commit or a request.
    case mergeBlocked(head: String, outcome: MergeAttemptOutcome)
    /// Trigger OnRequest and no new request.
    case waitingForRequest
    /// The pending rollback request was carried out before the operator stopped;
    /// Apply records it in status instead of rolling back a second time.
    case rollbackAlreadyCarriedOut(CarriedOutRequest)
    /// The pending merge request was carried out before the operator stopped;
    /// Apply records it in status instead of merging a second time.
    case mergeAlreadyCarriedOut(CarriedOutRequest)
}

extension DataBranchWait {
    /// The outcome that blocks a merge, for ``DataBranchWait/mergeBlocked(head:outcome:)``.
    public var blockedOutcome: MergeAttemptOutcome? {
        if case .mergeBlocked(_, let outcome) = self { outcome } else { nil }
    }
}

/// The pure half of the DataBranch reconciler: from spec, last status and
/// what lakeFS looks like, the actions Apply would take, in order.
public enum DataBranchDecision {
    public static func plan(_ object: DataBranch, observed: DataBranchObservation) -> (actions: [DataBranchAction], waits: [DataBranchWait]) {
        let spec = object.spec
        let status = object.status ?? DataBranchStatus()
        var actions: [DataBranchAction] = []
        var waits: [DataBranchWait] = []
        var repositoryReady = observed.repositoryExists
        let defaultBranch = observed.repositoryDefaultBranch ?? spec.repository.defaultBranch
        if !observed.repositoryExists {
            if spec.repository.create, let storageNamespace = spec.repository.storageNamespace {
                actions.append(.createRepository(name: spec.repository.name, storageNamespace: storageNamespace, defaultBranch: spec.repository.defaultBranch))
                repositoryReady = true
            } else {
                waits.append(.repositoryMissing)
                return (actions, waits)
            }
        }
        guard repositoryReady else { return (actions, waits) }

        let branchExists = observed.head != nil
        if !branchExists {
            // A branch we reported before and that is gone now was deleted outside Kubernetes.
            let drift = status.headCommit != nil
            actions.append(.createBranch(name: spec.branch, source: spec.sourceRef ?? defaultBranch, drift: drift))
        }
        if spec.protected, observed.protected != true {
            actions.append(.protect(branch: spec.branch))
        } else if !spec.protected, observed.protected == true, status.protectionApplied == true {
            actions.append(.unprotect(branch: spec.branch))
        }

        // A pending rollback (carried out or not) explains a moved head: never move it back.
        let pendingRollback = spec.rollbackRequest.flatMap { status.hasHandled($0) ? nil : $0 }
        if let recorded = observed.movedFrom, let current = observed.head, pendingRollback == nil {
            actions.append(.restoreHead(branch: spec.branch, to: recorded, from: current))
        }

        if let rollback = pendingRollback, branchExists {
            if let found = observed.rollbackCarriedOut, found.id == rollback.id {
                waits.append(.rollbackAlreadyCarriedOut(found))
            } else if let revert = rollback.revert {
                actions.append(.revert(requestID: rollback.id, commit: revert.commit, parentNumber: revert.parentNumber))
            } else if let reset = rollback.reset {
                actions.append(.reset(requestID: rollback.id, commit: reset.commit))
            }
        }

        if let merge = spec.merge, branchExists {
            if observed.targetHead == nil {
                waits.append(.targetMissing(merge.into))
            } else {
                let pendingRequest = merge.request.flatMap { status.hasHandled($0) ? nil : $0 }
                // A rollback or a restore moves the head: merge on the next poll, from where it lands.
                let rollbackPlanned = actions.contains {
                    switch $0 {
                    case .revert, .reset, .restoreHead: true
                    default: false
                    }
                }
                if let pendingRequest, let found = observed.mergeCarriedOut, found.id == pendingRequest.id {
                    // Recorded this time; an automatic merge of a newer head waits for the next poll.
                    waits.append(.mergeAlreadyCarriedOut(found))
                } else if let pendingRequest {
                    actions.append(.merge(source: spec.branch, into: merge.into, requestID: pendingRequest.id))
                } else if merge.trigger == .onRequest {
                    waits.append(.waitingForRequest)
                } else if observed.aheadOfTarget == true, !rollbackPlanned, let head = observed.head {
                    if let attempt = status.lastMergeAttempt, attempt.sourceCommit == head, attempt.outcome.blocksRetry {
                        waits.append(.mergeBlocked(head: head, outcome: attempt.outcome))
                    } else if status.lastMerge?.sourceCommit == head {
                        // This head was merged already. A squash merge leaves the branch's own
                        // commits out of the target, so it stays "ahead"; merging again would
                        // send lakeFS a merge request on every poll. A merge request still forces one.
                    } else {
                        actions.append(.merge(source: spec.branch, into: merge.into, requestID: nil))
                    }
                }
            }
        }
        return (actions, waits)
    }
}

/// What deleting a DataBranch with `deletionPolicy: Delete` does to its branch.
public enum DataBranchDeletion: Sendable, Hashable {
    /// Delete the branch.
    case deleteBranch
    /// Remove the protection rule the operator added (`spec.protected` is false
    /// now, so nobody wants it), then delete the branch.
    case unprotectThenDelete
    /// Keep the branch and the object; the message says why and how to go on.
    case blocked(String)
}

extension DataBranchDecision {
    /// Whether the branch of a DataBranch being deleted may go. lakeFS refuses to
    /// delete a repository's default branch or a protected branch, and the
    /// operator lifts only the rule it added, and only once `spec.protected` is false.
    /// - Parameters:
    ///   - defaultBranch: the repository's default branch.
    ///   - protectionPatterns: the repository's branch-protection rules.
    public static func deletion(_ object: DataBranch, defaultBranch: String, protectionPatterns: [String]) -> DataBranchDeletion {
        let spec = object.spec
        let branch = spec.branch
        let repository = spec.repository.name
        let retain = "To remove this object and keep the branch, set spec.deletionPolicy to Retain."
        if branch == defaultBranch {
            return .blocked("branch \(branch) is the default branch of repository \(repository), and lakeFS never deletes a default branch. \(retain)")
        }
        let matching = protectionPatterns.filter { Glob.matches($0, branch) }
        let ours = object.status?.protectionApplied == true && matching.contains(branch)
        let others = matching.filter { !ours || $0 != branch }
        if !others.isEmpty {
            let rules = others.map { "\"\($0)\"" }.joined(separator: ", ")
            return .blocked(
                "branch \(branch) matches branch-protection rule(s) \(rules) of repository \(repository) that this operator did not add, and lakeFS does not delete a protected branch. To delete the branch, remove those rules in lakeFS (lakectl branch-protect delete lakefs://\(repository) <pattern>); the deletion then proceeds. \(retain)"
            )
        }
        if ours {
            if spec.protected {
                return .blocked(
                    "branch \(branch) is protected (spec.protected is true), and lakeFS does not delete a protected branch. To delete the branch, set spec.protected to false: the operator then removes its protection rule, deletes the branch and lets this object go. \(retain)"
                )
            }
            return .unprotectThenDelete
        }
        return .deleteBranch
    }
}
