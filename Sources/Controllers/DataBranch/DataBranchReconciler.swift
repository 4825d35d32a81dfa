import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import LakeFS
import Logging
import OpenLineage
import PlatformAPI

/// Drives a DataBranch: the lakeFS repository and branch, its protection, the
/// quality-gated merge into its target, and one-shot rollbacks.
///
/// Each reconcile reads lakeFS (observe), decides with ``DataBranchDecision``
/// (pure), carries out the plan in Apply mode (act), and writes status once.
/// Guarantees: a failed merge is not retried for the same head unless a merge
/// request asks; each rollback id is carried out once; Plan mode changes
/// nothing in lakeFS; the default branch and protected branches are never deleted.
public struct DataBranchReconciler: Reconciler {
    public typealias Object = DataBranch

    let frame: ReconcileFrame<DataBranch>
    let secrets: SecretValues
    let connector: any LakeFSConnector
    let defaults: LakeFSDefaults
    let operatorNamespace: String
    /// Merges, rollbacks, branch creation and deletion as OpenLineage run events.
    let lineage: LineageReporter

    private var recorder: EventRecorder { frame.recorder }

    public init(
        client: KubernetesClient, secrets: SecretValues, recorder: EventRecorder, connector: any LakeFSConnector,
        defaults: LakeFSDefaults, operatorNamespace: String, lineage: LineageReporter = .disabled
    ) {
        frame = ReconcileFrame(client: client, recorder: recorder, backend: "lakeFS")
        self.secrets = secrets
        self.connector = connector
        self.defaults = defaults
        self.operatorNamespace = operatorNamespace
        self.lineage = lineage
    }

    /// A branch of this object's repository as a lineage dataset.
    private func dataset(
        _ object: DataBranch, branch: String, commit: String? = nil, change: LineageFacet.LifecycleStateChange.Change? = nil
    ) -> LineageDataset {
        LineageDatasets.lakeFS(
            url: object.spec.lakeFS?.url ?? defaults.url ?? "lakefs", repository: object.spec.repository.name, branch: branch,
            commit: commit, change: change)
    }

    public func reconcile(_ object: DataBranch, context: ReconcileContext) async throws -> ReconcileResult {
        // The frame decides on the status last written, not an older informer copy, which
        // would carry out a handled rollback id again, or run a rejected head's gate again.
        try await frame.reconcile(object, cleanup: cleanup) { try await apply($0, run: &$1, context: context) }
    }

    typealias Run = ReconcileRun<DataBranch>

    private func apply(_ object: DataBranch, run: inout Run, context: ReconcileContext) async throws -> ReconcileResult {
        let spec = object.spec
        try await frame.validate(object, run: &run)
        guard
            let lakeFS = try await frame.backendClient(
                object, endpointField: "spec.lakeFS", run: &run, make: { try connector.client(for: try await target(for: object)) })
        else { return .done }

        let observed: DataBranchObservation
        do {
            observed = try await observe(object, lakeFS: lakeFS, status: &run.status, now: run.now)
        } catch let error as LakeFSError {
            markBackendError(error, run: &run)
            throw error
        }

        let (actions, waits) = DataBranchDecision.plan(object, observed: observed)
        let repository = spec.repository.name
        if spec.mode == .plan {
            run.status.plan = actions.map { $0.planned(repository: repository, branch: spec.branch) }
            run.status.headCommit = observed.head
            // What stops Apply stops the plan too: with the repository or the merge
            // target missing, an empty plan does not mean lakeFS matches the spec.
            if waits.contains(.repositoryMissing) {
                let message = "lakeFS repository \(repository) does not exist and spec.repository.create is false"
                run.status.markStalled(generation: run.generation, reason: DataBranch.Reason.repositoryNotFound, message: message, now: run.now)
            } else if let target = spec.merge?.into, waits.contains(.targetMissing(target)) {
                let message = "Plan mode: target branch \(target) does not exist in repository \(repository)"
                run.status.markNotReady(generation: run.generation, reason: DataBranch.Reason.mergeFailed, message: message, now: run.now)
            } else if actions.isEmpty, let blocked = waits.lazy.compactMap(\.blockedOutcome).first {
                // A head the gate (or a conflict) rejected is not "up to date": Apply would not merge it either.
                let message = "Plan mode: the last merge attempt of \(spec.branch)@\(observed.head ?? "?") ended \(blocked.rawValue); nothing to plan until the branch gets a new commit or a merge request"
                run.status.markNotReady(generation: run.generation, reason: blocked.rawValue, message: message, now: run.now)
            } else {
                frame.summarizePlan(changes: actions.count, run: &run)
            }
            return requeueAfterPoll(spec)
        }
        run.status.plan = nil

        var state = observed
        for wait in waits {
            switch wait {
            case .rollbackAlreadyCarriedOut(let found):
                await recordCarriedOutRollback(found, object: object, head: state.head, run: &run)
            case .mergeAlreadyCarriedOut(let found):
                await recordCarriedOutMerge(found, object: object, head: state.head, run: &run)
            default:
                continue
            }
        }
        var applied: [PlannedAction] = []
        for action in actions {
            do {
                try await perform(action, object: object, lakeFS: lakeFS, state: &state, run: &run, context: context)
                applied.append(action.planned(repository: repository, branch: spec.branch))
            } catch let error as LakeFSError {
                run.recordApplied(applied)
                markBackendError(error, run: &run)
                throw error
            }
        }
        run.recordApplied(applied)
        summarize(object, state: state, waits: waits, run: &run)
        return requeueAfterPoll(spec)
    }

    // MARK: Observe

    private func observe(
        _ object: DataBranch, lakeFS: any LakeFSClient, status: inout DataBranchStatus, now: Time
    ) async throws -> DataBranchObservation {
        let spec = object.spec
        let repository: LakeFSRepository
        do {
            repository = try await lakeFS.getRepository(spec.repository.name)
        } catch let error as LakeFSError where error.kind == .notFound {
            return DataBranchObservation(repositoryExists: false)
        }
        var observed = DataBranchObservation(repositoryExists: true, repositoryDefaultBranch: repository.defaultBranch)
        observed.head = try await branchHead(lakeFS, repository: spec.repository.name, branch: spec.branch)
        // New commits move the head forward; a head that no longer descends from the one we
        // reported was reset outside Kubernetes (drift). Only asked when the head changed.
        if let recorded = status.headCommit, let head = observed.head, head != recorded {
            do {
                let base = try await lakeFS.findMergeBase(repository: spec.repository.name, source: recorded, destination: spec.branch)
                if base.baseCommitID != recorded { observed.movedFrom = recorded }
            } catch let error as LakeFSError where error.kind == .notFound {
                // The recorded commit is gone (garbage-collected): nothing to go back to.
            }
        }
        if spec.protected || status.protectionApplied == true {
            let rules = try await lakeFS.getBranchProtection(repository: spec.repository.name)
            observed.protected = rules.patterns.contains(spec.branch)
        }
        if let rollback = spec.rollbackRequest, !status.hasHandled(rollback), let head = observed.head {
            observed.rollbackCarriedOut = try await carriedOutRollback(
                object, request: rollback, head: head, lakeFS: lakeFS)
        }
        if let merge = spec.merge, observed.head != nil {
            observed.targetHead = try await branchHead(lakeFS, repository: spec.repository.name, branch: merge.into)
            if observed.targetHead != nil {
                observed.aheadOfTarget = try await lakeFS.hasCommitsNotIn(
                    repository: spec.repository.name, source: spec.branch, destination: merge.into)
            }
            if let request = merge.request, !status.hasHandled(request), observed.targetHead != nil {
                observed.mergeCarriedOut = try await carriedOutMerge(
                    object, request: request, into: merge.into, lakeFS: lakeFS)
            }
            // A merge made just before the operator stopped, and not recorded: recover it from lakeFS.
            if let targetHead = observed.targetHead, observed.aheadOfTarget == false, observed.mergeCarriedOut == nil,
                status.lastMerge?.commit != targetHead
            {
                let commit = try await lakeFS.getCommit(repository: spec.repository.name, commitID: targetHead)
                if commit.metadata?[CommitMetadata.object] == object.key, let source = commit.metadata?[CommitMetadata.sourceCommit] {
                    status.lastMerge = MergeRecord(
                        into: merge.into, sourceCommit: source, commit: targetHead,
                        time: Self.time(commit))
                    status.lastMergeAttempt = MergeAttempt(sourceCommit: source, outcome: .merged, time: status.lastMerge?.time ?? now)
                }
            }
        }
        return observed
    }

    /// The pending rollback, if lakeFS shows it done: a revert commit carrying its id
    /// among the branch's last commits, or the branch at the reset commit.
    private func carriedOutRollback(
        _ object: DataBranch, request: DataBranchRollbackRequest, head: String, lakeFS: any LakeFSClient
    ) async throws -> CarriedOutRequest? {
        if let reset = request.reset {
            // Commit ids may be given abbreviated.
            return head.hasPrefix(reset.commit) ? CarriedOutRequest(id: request.id, commit: head) : nil
        }
        let log = try await lakeFS.logCommits(
            repository: object.spec.repository.name, ref: object.spec.branch,
            options: LakeFSLogOptions(firstParent: true, maxCommits: CommitMetadata.searchDepth))
        let revert = log.first {
            $0.metadata?[CommitMetadata.object] == object.key && $0.metadata?[CommitMetadata.rollbackRequest] == request.id
        }
        return revert.map { CarriedOutRequest(id: request.id, commit: $0.id, time: Self.time($0)) }
    }

    /// The pending merge request, if a merge commit carrying its id is among the target's last commits.
    private func carriedOutMerge(
        _ object: DataBranch, request: MergeRequest, into target: String, lakeFS: any LakeFSClient
    ) async throws -> CarriedOutRequest? {
        let log = try await lakeFS.logCommits(
            repository: object.spec.repository.name, ref: target,
            options: LakeFSLogOptions(firstParent: true, maxCommits: CommitMetadata.searchDepth))
        let merge = log.first {
            $0.metadata?[CommitMetadata.object] == object.key && $0.metadata?[CommitMetadata.mergeRequest] == request.id
        }
        return merge.map {
            CarriedOutRequest(
                id: request.id, commit: $0.id, sourceCommit: $0.metadata?[CommitMetadata.sourceCommit], time: Self.time($0))
        }
    }

    private static func time(_ commit: LakeFSCommit) -> Time {
        Time(Date(timeIntervalSince1970: TimeInterval(commit.creationDate)))
    }

    private func branchHead(_ lakeFS: any LakeFSClient, repository: String, branch: String) async throws -> String? {
        do {
            return try await lakeFS.getBranch(repository: repository, branch: branch).commitID
        } catch let error as LakeFSError where error.kind == .notFound {
            return nil
        }
    }

    // MARK: Act

    private func perform(
        _ action: DataBranchAction, object: DataBranch, lakeFS: any LakeFSClient, state: inout DataBranchObservation,
        run: inout Run, context: ReconcileContext
    ) async throws {
        let spec = object.spec
        let repository = spec.repository.name
        switch action {
        case .createRepository(let name, let storageNamespace, let defaultBranch):
            _ = try await lakeFS.createRepository(
                LakeFSRepositoryCreation(name: name, storageNamespace: storageNamespace, defaultBranch: defaultBranch))
            state.repositoryExists = true
            state.repositoryDefaultBranch = defaultBranch
            await recorder.record(.normal, reason: "RepositoryCreated", action: "CreateRepository", note: "created lakeFS repository \(name) in \(storageNamespace)", regarding: object)

        case .createBranch(let name, let source, let drift):
            do {
                let branch = try await lakeFS.createBranch(repository: repository, name: name, source: source)
                state.head = branch.commitID
                run.status.sourceCommit = branch.commitID
                if drift {
                    await recorder.record(
                        .warning, reason: StandardReason.driftDetected, action: "CreateBranch",
                        note: "branch \(name) was deleted outside Kubernetes; re-created it from \(source) at \(branch.commitID)", regarding: object)
                } else {
                    await recorder.record(.normal, reason: DataBranch.Reason.branchCreated, action: "CreateBranch", note: "created branch \(name) from \(source) at \(branch.commitID)", regarding: object)
                }
                await lineage.report(
                    .complete, object: object, action: "branch", jobType: "DATABRANCH_CREATE",
                    inputs: [dataset(object, branch: source)],
                    outputs: [dataset(object, branch: name, commit: branch.commitID, change: .create)])
                if spec.merge != nil, let target = spec.merge?.into, state.targetHead == nil {
                    state.targetHead = try await branchHead(lakeFS, repository: repository, branch: target)
                    state.aheadOfTarget = false
                }
            } catch let error as LakeFSError where error.kind == .notFound {
                let message = "spec.sourceRef: ref \"\(source)\" not found in repository \(repository)"
                run.status.markStalled(generation: run.generation, reason: DataBranch.Reason.sourceRefNotFound, message: message, now: run.now)
                await recorder.record(.warning, reason: DataBranch.Reason.sourceRefNotFound, action: "CreateBranch", note: message, regarding: object)
                throw TerminalError(reason: DataBranch.Reason.sourceRefNotFound, message: message)
            }

        case .protect(let branch):
            try await lakeFS.addBranchProtection(repository: repository, pattern: branch)
            state.protected = true
            run.status.protectionApplied = true
            await recorder.record(.normal, reason: "BranchProtected", action: "ProtectBranch", note: "added a protection rule for branch \(branch)", regarding: object)

        case .unprotect(let branch):
            try await lakeFS.removeBranchProtection(repository: repository, pattern: branch)
            state.protected = false
            run.status.protectionApplied = nil
            await recorder.record(.normal, reason: "BranchUnprotected", action: "UnprotectBranch", note: "removed the protection rule for branch \(branch)", regarding: object)

        case .merge(let source, let into, let requestID):
            try await merge(object, lakeFS: lakeFS, source: source, into: into, requestID: requestID, state: &state, run: &run)

        case .revert(let requestID, let commit, let parentNumber):
            try await rollback(object, lakeFS: lakeFS, requestID: requestID, action: .revert, commit: commit, state: &state, run: &run) {
                try await lakeFS.revert(
                    repository: repository, branch: spec.branch, commit: commit, parentNumber: parentNumber,
                    options: LakeFSRevertOptions(
                        message: "Revert \(commit) (DataBranch \(object.key), request \(requestID))",
                        metadata: [
                            CommitMetadata.object: object.key, CommitMetadata.rollbackRequest: requestID,
                            CommitMetadata.revertedCommit: commit,
                        ]))
            }

        case .restoreHead(let branch, let to, let from):
            try await lakeFS.hardReset(repository: repository, branch: branch, to: to)
            state.head = to
            state.movedFrom = nil
            await recorder.record(
                .warning, reason: StandardReason.driftDetected, action: "RestoreHead",
                note: "branch \(branch) was reset outside Kubernetes from \(to) to \(from); moved it back to \(to)", regarding: object)

        case .reset(let requestID, let commit):
            try await rollback(object, lakeFS: lakeFS, requestID: requestID, action: .reset, commit: commit, state: &state, run: &run) {
                try await lakeFS.hardReset(repository: repository, branch: spec.branch, to: commit)
            }
        }
    }

    private func merge(
        _ object: DataBranch, lakeFS: any LakeFSClient, source: String, into: String, requestID: String?,
        state: inout DataBranchObservation, run: inout Run
    ) async throws {
        guard let merge = object.spec.merge, let head = state.head else { return }
        let repository = object.spec.repository.name
        var metadata = merge.metadata ?? [:]
        metadata[CommitMetadata.object] = object.key
        metadata[CommitMetadata.sourceCommit] = head
        if let requestID { metadata[CommitMetadata.mergeRequest] = requestID }
        let options = LakeFSMergeOptions(
            message: merge.message ?? "Merge \(source) into \(into) (DataBranch \(object.key))", metadata: metadata,
            strategy: merge.strategy.lakeFS, squash: merge.squash, allowEmpty: false)
        let now = run.now
        func recordRequest(_ outcome: HandledRequest.Outcome, _ message: String) {
            guard let requestID else { return }
            run.status.recordHandled(HandledRequest(type: MergeRequest.requestType, id: requestID, outcome: outcome, message: message, time: now))
        }
        do {
            let commit = try await lakeFS.merge(repository: repository, source: source, destination: into, options: options)
            state.targetHead = commit
            state.aheadOfTarget = false
            run.status.lastMerge = MergeRecord(into: into, sourceCommit: head, commit: commit, time: now, requestID: requestID)
            run.status.lastMergeAttempt = MergeAttempt(sourceCommit: head, outcome: .merged, requestID: requestID, time: now)
            run.status.qualityGate = QualityGateResult(result: .passed, commit: head, time: now)
            recordRequest(.succeeded, "merged \(head) into \(into) as \(commit)")
            await recorder.record(.normal, reason: DataBranch.Reason.merged, action: "Merge", note: "merged \(source)@\(head) into \(into) as \(commit)", regarding: object)
            await lineage.report(
                .complete, object: object, action: "merge", jobType: "DATABRANCH_MERGE",
                inputs: [dataset(object, branch: source, commit: head)], outputs: [dataset(object, branch: into, commit: commit)])
        } catch let error as LakeFSError where error.kind == .hookFailed {
            let failure = error.hookFailure
            var failedHook = failure?.failedHooks.first?.hookID
            var lines: [String] = []
            if let runID = failure?.runID, let reports = try? await lakeFS.failedHookReports(repository: repository, runID: runID),
                let report = reports.first
            {
                failedHook = report.hook.hookID
                lines = report.firstLines(5)
            }
            let runText = (failure?.runID).map { " (run \($0))" } ?? ""
            let detail = lines.isEmpty ? error.message : lines.joined(separator: "\n")
            let message = truncated("pre-merge hook \(failedHook ?? "?") failed\(runText): \(detail)", limit: 2000)
            run.status.qualityGate = QualityGateResult(
                result: .failed, commit: head, runID: failure?.runID, failedHook: failedHook, message: truncated(detail, limit: 4000), time: now)
            run.status.lastMergeAttempt = MergeAttempt(sourceCommit: head, outcome: .qualityGateFailed, message: message, requestID: requestID, time: now)
            recordRequest(.failed, message)
            await recorder.record(.warning, reason: DataBranch.Reason.qualityGateFailed, action: "Merge", note: message, regarding: object)
            await reportMergeFailure(object, source: source, head: head, into: into, message: message)
        } catch let error as LakeFSError where error.kind == .mergeConflict {
            let paths = error.conflicts.prefix(20).joined(separator: ", ")
            let message = truncated("merging \(source)@\(head) into \(into) conflicts\(paths.isEmpty ? "" : " on: \(paths)")", limit: 2000)
            run.status.lastMergeAttempt = MergeAttempt(sourceCommit: head, outcome: .mergeConflict, message: message, requestID: requestID, time: now)
            recordRequest(.failed, message)
            await recorder.record(.warning, reason: DataBranch.Reason.mergeConflict, action: "Merge", note: message, regarding: object)
            await reportMergeFailure(object, source: source, head: head, into: into, message: message)
        } catch let error as LakeFSError where error.kind == .nothingToMerge {
            state.aheadOfTarget = false
            recordRequest(.succeeded, "nothing to merge: \(into) already has \(head)")
        } catch let error as LakeFSError where !error.isRetryable {
            let message = truncated("merging \(source) into \(into) failed: \(error.message)", limit: 2000)
            run.status.lastMergeAttempt = MergeAttempt(sourceCommit: head, outcome: .failed, message: message, requestID: requestID, time: now)
            recordRequest(.failed, message)
            await recorder.record(.warning, reason: DataBranch.Reason.mergeFailed, action: "Merge", note: message, regarding: object)
            await reportMergeFailure(object, source: source, head: head, into: into, message: message)
        }
    }

    private func reportMergeFailure(_ object: DataBranch, source: String, head: String, into: String, message: String) async {
        await lineage.report(
            .fail, object: object, action: "merge", jobType: "DATABRANCH_MERGE",
            inputs: [dataset(object, branch: source, commit: head)], outputs: [dataset(object, branch: into)], error: message)
    }

    private func rollback(
        _ object: DataBranch, lakeFS: any LakeFSClient, requestID: String, action: RollbackAction, commit: String,
        state: inout DataBranchObservation, run: inout Run, _ call: () async throws -> Void
    ) async throws {
        let now = run.now
        let verb = action == .revert ? "revert of \(commit)" : "reset to \(commit)"
        do {
            try await call()
            let head = try await branchHead(lakeFS, repository: object.spec.repository.name, branch: object.spec.branch)
            state.head = head
            if object.spec.merge != nil {
                state.aheadOfTarget = try await lakeFS.hasCommitsNotIn(
                    repository: object.spec.repository.name, source: object.spec.branch, destination: object.spec.merge?.into ?? "")
            }
            let message = "\(verb) done; branch \(object.spec.branch) is now at \(head ?? "?")"
            run.status.lastRollback = RollbackRecord(id: requestID, action: action, commit: commit, resultCommit: head, outcome: .succeeded, message: message, time: now)
            run.status.recordHandled(HandledRequest(type: DataBranchRollbackRequest.requestType, id: requestID, outcome: .succeeded, message: message, time: now))
            await recorder.record(.normal, reason: DataBranch.Reason.rolledBack, action: action.rawValue, note: "request \(requestID): \(message)", regarding: object)
            await lineage.report(
                .complete, object: object, action: "rollback", jobType: "DATABRANCH_ROLLBACK",
                outputs: [dataset(object, branch: object.spec.branch, commit: head, change: action == .reset ? .overwrite : nil)])
        } catch let error as LakeFSError where !error.isRetryable {
            let message = truncated("\(verb) failed: \(error.message)", limit: 2000)
            run.status.lastRollback = RollbackRecord(id: requestID, action: action, commit: commit, outcome: .failed, message: message, time: now)
            run.status.recordHandled(HandledRequest(type: DataBranchRollbackRequest.requestType, id: requestID, outcome: .failed, message: message, time: now))
            await recorder.record(.warning, reason: DataBranch.Reason.rollbackFailed, action: action.rawValue, note: "request \(requestID): \(message)", regarding: object)
            await lineage.report(
                .fail, object: object, action: "rollback", jobType: "DATABRANCH_ROLLBACK",
                outputs: [dataset(object, branch: object.spec.branch)], error: message)
        }
    }

    /// Records a rollback lakeFS shows done, made by an operator that stopped before writing status.
    private func recordCarriedOutRollback(_ found: CarriedOutRequest, object: DataBranch, head: String?, run: inout Run) async {
        guard let request = object.spec.rollbackRequest, request.id == found.id else { return }
        let branch = object.spec.branch
        let record: RollbackRecord
        if let revert = request.revert {
            let message = "revert of \(revert.commit) done before the operator restarted (revert commit \(found.commit) carries the request id); branch \(branch) is now at \(head ?? "?")"
            record = RollbackRecord(
                id: found.id, action: .revert, commit: revert.commit, resultCommit: found.commit, outcome: .succeeded,
                message: message, time: found.time ?? run.now)
        } else {
            let target = request.reset?.commit ?? found.commit
            let message = "reset to \(target) done before the operator restarted (branch \(branch) is at \(found.commit))"
            record = RollbackRecord(
                id: found.id, action: .reset, commit: target, resultCommit: found.commit, outcome: .succeeded,
                message: message, time: run.now)
        }
        run.status.lastRollback = record
        run.status.recordHandled(
            HandledRequest(
                type: DataBranchRollbackRequest.requestType, id: found.id, outcome: .succeeded, message: record.message,
                time: record.time))
        await recorder.record(
            .normal, reason: DataBranch.Reason.rolledBack, action: record.action.rawValue,
            note: "request \(found.id): \(record.message ?? "")", regarding: object)
    }

    /// Records a requested merge lakeFS shows done, made by an operator that stopped before writing status.
    private func recordCarriedOutMerge(_ found: CarriedOutRequest, object: DataBranch, head: String?, run: inout Run) async {
        guard let into = object.spec.merge?.into else { return }
        let source = found.sourceCommit ?? head ?? found.commit
        let time = found.time ?? run.now
        let message = "merged \(object.spec.branch)@\(source) into \(into) as \(found.commit) before the operator restarted"
        run.status.lastMerge = MergeRecord(into: into, sourceCommit: source, commit: found.commit, time: time, requestID: found.id)
        run.status.lastMergeAttempt = MergeAttempt(sourceCommit: source, outcome: .merged, requestID: found.id, time: time)
        // The merge got past the pre-merge hooks.
        run.status.qualityGate = QualityGateResult(result: .passed, commit: source, time: time)
        run.status.recordHandled(
            HandledRequest(type: MergeRequest.requestType, id: found.id, outcome: .succeeded, message: message, time: time))
        await recorder.record(
            .normal, reason: DataBranch.Reason.merged, action: "Merge", note: "request \(found.id): \(message)", regarding: object)
    }

    // MARK: Status

    private func summarize(_ object: DataBranch, state: DataBranchObservation, waits: [DataBranchWait], run: inout Run) {
        let spec = object.spec
        let generation = run.generation
        let now = run.now
        run.status.headCommit = state.head
        if waits.contains(.repositoryMissing) {
            let message = "lakeFS repository \(spec.repository.name) does not exist and spec.repository.create is false"
            run.status.markStalled(generation: generation, reason: DataBranch.Reason.repositoryNotFound, message: message, now: now)
            return
        }
        guard let head = state.head else {
            run.status.markReconciling(generation: generation, reason: StandardReason.progressing, message: "waiting for branch \(spec.branch)", now: now)
            return
        }

        // Quality gate.
        if let gate = run.status.qualityGate, gate.commit == head {
            run.status.set(
                DataBranch.ConditionType.qualityGatePassed, gate.result == .passed ? .true : .false,
                reason: gate.result == .passed ? DataBranch.Reason.hooksPassed : DataBranch.Reason.qualityGateFailed,
                message: gate.message ?? "pre-merge hooks passed on \(head)", generation: generation, now: now)
        } else if spec.merge != nil {
            run.status.set(
                DataBranch.ConditionType.qualityGatePassed, .unknown, reason: DataBranch.Reason.notEvaluated,
                message: "the pre-merge hooks have not run on \(head)", generation: generation, now: now)
        } else {
            run.status.removeCondition(DataBranch.ConditionType.qualityGatePassed)
        }

        // Merge.
        var notReady: (reason: String, message: String)?
        if let merge = spec.merge {
            if waits.contains(.targetMissing(merge.into)) {
                let message = "target branch \(merge.into) does not exist in repository \(spec.repository.name)"
                run.status.set(DataBranch.ConditionType.merged, .false, reason: DataBranch.Reason.mergeFailed, message: message, generation: generation, now: now)
                notReady = (DataBranch.Reason.mergeFailed, message)
            } else if state.aheadOfTarget == false {
                let merged = run.status.lastMerge
                let message = merged.map { "\(merge.into) contains \(spec.branch)@\(head); last merge \($0.commit)" } ?? "\(merge.into) already contains \(spec.branch)@\(head)"
                run.status.set(DataBranch.ConditionType.merged, .true, reason: merged?.sourceCommit == head ? DataBranch.Reason.merged : DataBranch.Reason.upToDate, message: message, generation: generation, now: now)
            } else if let attempt = run.status.lastMergeAttempt, attempt.sourceCommit == head, attempt.outcome != .merged {
                let reason: String
                switch attempt.outcome {
                case .qualityGateFailed: reason = DataBranch.Reason.qualityGateFailed
                case .mergeConflict: reason = DataBranch.Reason.mergeConflict
                case .failed, .merged: reason = DataBranch.Reason.mergeFailed
                }
                let message = (attempt.message ?? reason) + "; retried when \(spec.branch) gets a new commit or spec.merge.request gets a new id"
                run.status.set(DataBranch.ConditionType.merged, .false, reason: reason, message: message, generation: generation, now: now)
                notReady = (reason, message)
            } else if let merged = run.status.lastMerge, merged.sourceCommit == head {
                // Merged, though lakeFS still calls the branch ahead: a squash merge keeps its commits out of the target.
                let message = "\(merge.into) has \(spec.branch)@\(head), merged as \(merged.commit)"
                run.status.set(DataBranch.ConditionType.merged, .true, reason: DataBranch.Reason.merged, message: message, generation: generation, now: now)
            } else if merge.trigger == .onRequest {
                let message = "\(spec.branch)@\(head) has commits \(merge.into) lacks; waiting for spec.merge.request"
                run.status.set(DataBranch.ConditionType.merged, .false, reason: DataBranch.Reason.waitingForRequest, message: message, generation: generation, now: now)
            } else {
                run.status.set(DataBranch.ConditionType.merged, .unknown, reason: StandardReason.progressing, message: "merge pending", generation: generation, now: now)
            }
        } else {
            run.status.removeCondition(DataBranch.ConditionType.merged)
        }

        if let notReady {
            run.status.markNotReady(generation: generation, reason: notReady.reason, message: notReady.message, now: now)
        } else {
            var message = "branch \(spec.branch) at \(head)"
            if let merge = spec.merge, state.aheadOfTarget == false { message += ", merged into \(merge.into)" }
            run.status.markReady(generation: generation, reason: StandardReason.reconciled, message: message, now: now)
        }
    }

    private func markBackendError(_ error: LakeFSError, run: inout Run) {
        let reason = error.kind == .unauthorized ? StandardReason.authenticationFailed : StandardReason.backendUnavailable
        var message = error.description
        if let wait = error.retryAfter { message += "; lakeFS asked to retry after \(wait.components.seconds)s" }
        run.status.markNotReady(generation: run.generation, reason: reason, message: truncated(message, limit: 1024), now: run.now)
    }

    private func requeueAfterPoll(_ spec: DataBranchSpec) -> ReconcileResult {
        guard let merge = spec.merge, let seconds = GoDuration.seconds(merge.pollInterval) else { return .done }
        return .requeue(after: .milliseconds(Int64(seconds * 1000 * Double.random(in: 0.9...1.1))))
    }

    // MARK: Credentials

    private func target(for object: DataBranch) async throws -> LakeFSTarget {
        let endpoint = object.spec.lakeFS
        guard let url = endpoint?.url ?? defaults.url else {
            throw BackendNotConfigured(message: "no lakeFS URL: set spec.lakeFS.url or the operator's lakefs.url configuration")
        }
        let namespace = object.namespace ?? "default"
        if let basic = endpoint?.basicAuth {
            return LakeFSTarget(
                url: url,
                accessKeyID: try await secrets.value(basic.usernameSecretRef, namespace: namespace, field: "spec.lakeFS.basicAuth.usernameSecretRef"),
                secretAccessKey: try await secrets.value(basic.passwordSecretRef, namespace: namespace, field: "spec.lakeFS.basicAuth.passwordSecretRef"))
        }
        guard let reference = defaults.credentialsSecret else {
            throw BackendNotConfigured(message: "no lakeFS credentials: set spec.lakeFS.basicAuth or the operator's lakefs.credentialsSecret")
        }
        let (secretNamespace, secretName) = SecretValues.secret(named: reference, operatorNamespace: operatorNamespace)
        return LakeFSTarget(
            url: url,
            accessKeyID: try await secrets.value(SecretKeySelector(name: secretName, key: "accessKeyId"), namespace: secretNamespace, field: "lakefs.credentialsSecret"),
            secretAccessKey: try await secrets.value(SecretKeySelector(name: secretName, key: "secretAccessKey"), namespace: secretNamespace, field: "lakefs.credentialsSecret"))
    }

    // MARK: Deletion

    private func cleanup(_ object: DataBranch) async throws -> ReconcileResult {
        let spec = object.spec
        let finalizers = Finalizers(client: frame.client)
        guard spec.deletionPolicy == .delete, spec.mode == .apply else {
            try await finalizers.remove(PlatformAPIGroup.finalizer, from: DataBranch.resource, metadata: object.metadata)
            return .done
        }
        var run = Run(object: object)
        let repository = spec.repository.name
        do {
            let lakeFS = try connector.client(for: try await target(for: object))
            let repo: LakeFSRepository
            do {
                repo = try await lakeFS.getRepository(repository)
            } catch let error as LakeFSError where error.kind == .notFound {
                try await finalizers.remove(PlatformAPIGroup.finalizer, from: DataBranch.resource, metadata: object.metadata)
                return .done
            }
            let rules = try await lakeFS.getBranchProtection(repository: repository)
            switch DataBranchDecision.deletion(object, defaultBranch: repo.defaultBranch, protectionPatterns: rules.patterns) {
            case .blocked(let message):
                run.status.markStalled(generation: run.generation, reason: StandardReason.deletionBlocked, message: message, now: run.now)
                try await frame.writeStatus(run.status, of: object)
                await recorder.record(.warning, reason: StandardReason.deletionBlocked, action: "DeleteBranch", note: message, regarding: object)
                // Lifting the block changes the spec (or lakeFS, found on resync): either re-queues this object.
                return .done
            case .unprotectThenDelete:
                try await lakeFS.removeBranchProtection(repository: repository, pattern: spec.branch)
                run.status.protectionApplied = nil
                await recorder.record(
                    .normal, reason: "BranchUnprotected", action: "UnprotectBranch",
                    note: "removed the protection rule for branch \(spec.branch) (spec.protected is false), to delete the branch",
                    regarding: object)
            case .deleteBranch:
                break
            }
            do {
                try await lakeFS.deleteBranch(repository: repository, branch: spec.branch)
                await recorder.record(.normal, reason: "BranchDeleted", action: "DeleteBranch", note: "deleted branch \(spec.branch) of repository \(repository)", regarding: object)
                await lineage.report(
                    .complete, object: object, action: "delete", jobType: "DATABRANCH_DELETE",
                    outputs: [dataset(object, branch: spec.branch, change: .drop)])
            } catch let error as LakeFSError where error.kind == .notFound {
                // Already gone.
            }
            try await finalizers.remove(PlatformAPIGroup.finalizer, from: DataBranch.resource, metadata: object.metadata)
            return .done
        } catch let error as LakeFSError {
            try await frame.deletionFailed(
                error, message: "cannot delete branch \(spec.branch) yet: \(error.description)", object: object, run: run)
        } catch let error as MissingSecretError {
            return try await frame.deletionAwaitsSecret(error, deleting: "branch \(spec.branch)", object: object, run: run)
        }
    }
}

/// Metadata the operator writes on its merge and revert commits, so one made
/// just before a crash is recognised afterwards instead of being made again.
enum CommitMetadata {
    /// `namespace/name` of the DataBranch.
    static let object = "hmco.io/databranch"
    /// The branch head a merge merged.
    static let sourceCommit = "hmco.io/source-commit"
    /// The `spec.merge.request` id a merge was made for.
    static let mergeRequest = "hmco.io/merge-request"
    /// The `spec.rollbackRequest` id a revert was made for.
    static let rollbackRequest = "hmco.io/rollback-request"
    /// The commit a revert undid.
    static let revertedCommit = "hmco.io/reverted-commit"
    /// How far back the logs are searched for such a commit: the commits since
    /// the crash, with room for a busy target.
    static let searchDepth = 50
}

extension MergeStrategy {
    var lakeFS: LakeFSMergeStrategy? {
        switch self {
        case .default: nil
        case .destWins: .destinationWins
        case .sourceWins: .sourceWins
        }
    }
}

/// lakeFS's branch-protection patterns: `*` and `?` as in fnmatch.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            if let cached = memo[i * (t.count + 1) + j] { return cached }
            let result: Bool
            if i == p.count {
                result = j == t.count
            } else if p[i] == "*" {
                result = match(i + 1, j) || (j < t.count && match(i, j + 1))
            } else if j < t.count && (p[i] == "?" || p[i] == t[j]) {
                result = match(i + 1, j + 1)
            } else {
                result = false
            }
            memo[i * (t.count + 1) + j] = result
            return result
        }
        return match(0, 0)
    }
}
