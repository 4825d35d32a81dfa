import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// The DataBranch controller against an API server and the lakeFS simulator,
/// both over HTTP, asserting what a user sees: status, conditions, Events, and
/// lakeFS itself.
@Suite("DataBranch end to end")
struct DataBranchEndToEndTests {
    typealias Op = LakeFSSimulator.Operation
    static let repo = DataBranchWorld.repository

    // MARK: Create

    @Test("a new DataBranch gets its lakeFS branch and reports Ready with the commit it started from")
    func create() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            let mainHead = try #require(world.lakeFS.branchHead(repository: Self.repo, branch: "main"))
            try await world.create(world.dataBranch("dev"))

            let ready = try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == mainHead)
            #expect(ready.status?.sourceCommit == mainHead)
            #expect(ready.status?.headCommit == mainHead)
            #expect(ready.condition("Ready")?.reason == StandardReason.reconciled)
            #expect(ready.condition("Stalled") == nil)
            #expect(ready.metadata.finalizers == [PlatformAPIGroup.finalizer])
            #expect(ready.status?.lastAppliedPlan?.actions.map(\.verb) == ["CreateBranch"])
            let event = try await world.waitForEvent("dev", type: "Normal", reason: DataBranch.Reason.branchCreated)
            #expect(event.note?.contains(mainHead) == true)
            #expect(world.lakeFS.requestCount(Op.createBranch) == 1)
        }
    }

    @Test("a branch deleted outside Kubernetes is re-created on the next reconcile, with a Warning Event")
    func driftIsCorrected() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.deleteBranch(repository: Self.repo, name: "dev")

            try await world.requestReconcile("dev")
            let event = try await world.waitForEvent("dev", type: "Warning", reason: StandardReason.driftDetected)
            #expect(event.note?.contains("deleted outside Kubernetes") == true)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") != nil)
            try await world.waitFor("dev", "Ready=True again") { $0.has("Ready", .true) }
        }
    }

    @Test("a branch reset outside Kubernetes is moved back to the head last reported, with a Warning Event; new commits are not drift")
    func movedBranchIsRestored() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "tables/a.parquet", content: "a")
            let first = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load a")
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "tables/b.parquet", content: "b")
            let second = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load b")
            try await world.requestReconcile("dev")
            try await world.waitFor("dev", "the new head reported") { $0.status?.headCommit == second }
            #expect(try await world.events("dev").allSatisfy { $0.reason != StandardReason.driftDetected })

            try world.lakeFS.moveBranch(repository: Self.repo, branch: "dev", to: first)
            try await world.requestReconcile("dev")
            let event = try await world.waitForEvent("dev", type: "Warning", reason: StandardReason.driftDetected)
            #expect(event.note?.contains("reset outside Kubernetes") == true)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == second)
            let restored = try await world.waitFor("dev", "Ready=True at the restored head") {
                $0.has("Ready", .true) && $0.status?.headCommit == second
            }
            #expect(restored.status?.lastAppliedPlan?.actions.map(\.verb) == ["RestoreHead"])
        }
    }

    @Test("protection is added, and removed again only where the operator added it")
    func protection() async throws {
        try await DataBranchWorld.with { world in
            try world.lakeFS.createBranch(repository: Self.repo, name: "ops", from: "main")
            try world.lakeFS.setProtectionRules(repository: Self.repo, patterns: ["ops"])
            try await world.startOperator()
            try await world.create(world.dataBranch("dev") { $0.protected = true })
            try await world.create(world.dataBranch("ops", branch: "ops") { $0.protected = true })
            let dev = try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            let ops = try await world.waitFor("ops", "Ready=True") { $0.has("Ready", .true) }
            #expect(dev.status?.protectionApplied == true)
            #expect(ops.status?.protectionApplied == nil)
            #expect(Set(world.lakeFS.protectionRules(repository: Self.repo)) == ["ops", "dev"])
            try await world.waitForEvent("dev", type: "Normal", reason: DataBranch.Reason.branchProtected)

            try await world.updateSpec("dev") { $0.protected = false }
            try await world.updateSpec("ops") { $0.protected = false }
            try await world.waitFor("dev", "protection removed") { $0.status?.protectionApplied == nil && $0.isCurrent }
            try await world.waitFor("ops", "reconciled") { $0.isCurrent && $0.has("Ready", .true) }
            // The rule a person added for ops stays.
            #expect(world.lakeFS.protectionRules(repository: Self.repo) == ["ops"])
        }
    }

    // MARK: Merge

    @Test("a new commit on the branch is merged into the target after the gate passes")
    func mergeAfterGatePasses() async throws {
        try await DataBranchWorld.with { world in
            try world.lakeFS.setPreMergeHook(repository: Self.repo, branch: "main", verdict: .pass)
            try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main")))
            let first = try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            #expect(first.summary("Merged") == "True/" + DataBranch.Reason.upToDate)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 0)

            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "tables/trades/part-1.parquet", content: "daily load")
            let head = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "daily load")
            try await world.requestReconcile("dev")

            let merged = try await world.waitFor("dev", "Merged=True for the new head") {
                $0.status?.lastMerge?.sourceCommit == head && $0.has("Merged", .true, reason: DataBranch.Reason.merged)
            }
            let lastMerge = try #require(merged.status?.lastMerge)
            #expect(lastMerge.into == "main")
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "main") == lastMerge.commit)
            #expect(world.lakeFS.read(repository: Self.repo, ref: "main", path: "tables/trades/part-1.parquet") == "daily load")
            #expect(merged.summary("QualityGatePassed") == "True/" + DataBranch.Reason.hooksPassed)
            #expect(merged.summary("Ready") == "True/" + StandardReason.reconciled)
            #expect(merged.status?.headCommit == head)
            let commit = try #require(world.lakeFS.findCommit(repository: Self.repo, ref: lastMerge.commit))
            #expect(commit.parents.contains(head))
            let event = try await world.waitForEvent("dev", type: "Normal", reason: DataBranch.Reason.merged)
            #expect(event.note?.contains(lastMerge.commit) == true)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 1)
        }
    }

    @Test("a failing quality gate stops the merge with the hook's verdict, is not retried, and a new commit fixes it")
    func gateFailsThenANewCommitFixesIt() async throws {
        try await DataBranchWorld.with { world in
            try world.lakeFS.setPreMergeHook(
                repository: Self.repo, branch: "main",
                verdict: .fail(hookID: "check_nulls", output: "column trade_id has 3 nulls\n\nrows checked: 1200\n"))
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main")))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            let mainHead = world.lakeFS.branchHead(repository: Self.repo, branch: "main")

            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "tables/trades/part-1.parquet", content: "with nulls")
            let badHead = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load with nulls")
            try await world.requestReconcile("dev")

            let failed = try await world.waitFor("dev", "Merged=False QualityGateFailed") {
                $0.has("Merged", .false, reason: DataBranch.Reason.qualityGateFailed)
            }
            let run = try #require(world.lakeFS.actionRuns(repository: Self.repo).first)
            let message = failed.condition("Merged")?.message ?? ""
            #expect(message.contains("check_nulls"))
            #expect(message.contains(run.runID))
            #expect(message.contains("column trade_id has 3 nulls"))
            #expect(message.contains("rows checked: 1200"))
            #expect(failed.summary("Ready") == "False/" + DataBranch.Reason.qualityGateFailed)
            #expect(failed.summary("QualityGatePassed") == "False/" + DataBranch.Reason.qualityGateFailed)
            #expect(failed.status?.qualityGate?.runID == run.runID)
            #expect(failed.status?.qualityGate?.failedHook == "check_nulls")
            #expect(failed.status?.qualityGate?.commit == badHead)
            #expect(failed.status?.lastMerge == nil)
            let warning = try await world.waitForEvent("dev", type: "Warning", reason: DataBranch.Reason.qualityGateFailed)
            #expect(warning.note?.contains("check_nulls") == true)

            // Forced reconciles of the same head must not knock on the gate again.
            try await world.forceReconciles("dev", count: 3, by: running)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 1)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "main") == mainHead)

            // The pipeline fixes the data in a new commit; the gate passes now.
            try world.lakeFS.setPreMergeHook(repository: Self.repo, branch: "main", verdict: .pass)
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "tables/trades/part-1.parquet", content: "fixed")
            let fixedHead = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "fill nulls")
            try await world.requestReconcile("dev")
            let merged = try await world.waitFor("dev", "merged after the fix") {
                $0.status?.lastMerge?.sourceCommit == fixedHead && $0.has("Ready", .true)
            }
            #expect(merged.summary("Merged") == "True/" + DataBranch.Reason.merged)
            #expect(merged.summary("QualityGatePassed") == "True/" + DataBranch.Reason.hooksPassed)
            #expect(world.lakeFS.read(repository: Self.repo, ref: "main", path: "tables/trades/part-1.parquet") == "fixed")
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 2)
        }
    }

    @Test("a merge request id retries a head the gate rejected, once")
    func mergeRequestRetriesABlockedHead() async throws {
        try await DataBranchWorld.with { world in
            try world.lakeFS.setPreMergeHook(
                repository: Self.repo, branch: "main", verdict: .fail(hookID: "freshness", output: "partition 2024-06-01 is late"))
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main")))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "late.csv", content: "1")
            let head = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "late load")
            try await world.requestReconcile("dev")
            try await world.waitFor("dev", "QualityGateFailed") { $0.has("Merged", .false, reason: DataBranch.Reason.qualityGateFailed) }

            // The upstream partition arrived; someone asks for a retry of the same head.
            try world.lakeFS.setPreMergeHook(repository: Self.repo, branch: "main", verdict: .pass)
            try await world.updateSpec("dev") { $0.merge?.request = MergeRequest(id: "retry-1") }
            let merged = try await world.waitFor("dev", "merged on request") { $0.status?.lastMerge?.sourceCommit == head }
            #expect(merged.status?.lastMerge?.requestID == "retry-1")
            #expect(merged.status?.handledRequests?.contains { $0.type == "Merge" && $0.id == "retry-1" && $0.outcome == .succeeded } == true)
            try await world.forceReconciles("dev", count: 2, by: running)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 2)
        }
    }

    @Test("a squash merge is made once, though the target never gets the branch's own commits")
    func squashMergeIsNotRepeated() async throws {
        try await DataBranchWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main", squash: true)))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "load.csv", content: "1")
            let head = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load")
            try await world.requestReconcile("dev")
            try await world.waitFor("dev", "merged") { $0.status?.lastMerge?.sourceCommit == head }

            try await world.forceReconciles("dev", count: 2, by: running)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 1)
            let settled = try await world.get("dev")
            #expect(settled.summary("Merged") == "True/" + DataBranch.Reason.merged)
            #expect(settled.summary("Ready") == "True/" + StandardReason.reconciled)
        }
    }

    @Test("trigger OnRequest waits for a request id and merges once per id")
    func mergeOnRequest() async throws {
        try await DataBranchWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main", trigger: .onRequest)))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "load.csv", content: "1")
            let head = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load")
            try await world.requestReconcile("dev")

            let waiting = try await world.waitFor("dev", "Merged=False WaitingForRequest") {
                $0.has("Merged", .false, reason: DataBranch.Reason.waitingForRequest)
            }
            #expect(waiting.summary("Ready") == "True/" + StandardReason.reconciled)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 0)

            try await world.updateSpec("dev") { $0.merge?.request = MergeRequest(id: "promote-1") }
            let merged = try await world.waitFor("dev", "merged on request") { $0.status?.lastMerge?.sourceCommit == head && $0.isCurrent }
            #expect(merged.status?.lastMerge?.requestID == "promote-1")
            #expect(merged.summary("Merged") == "True/" + DataBranch.Reason.merged)

            // A new commit is not merged until a new id asks for it.
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "load2.csv", content: "2")
            try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load 2")
            try await world.forceReconciles("dev", count: 2, by: running)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 1)
            try await world.waitFor("dev", "WaitingForRequest again") { $0.has("Merged", .false, reason: DataBranch.Reason.waitingForRequest) }
        }
    }

    @Test("a merge conflict is reported with the conflicting paths and not retried")
    func mergeConflict() async throws {
        try await DataBranchWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main")))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }

            let path = "tables/trades/part-0.parquet"
            try world.lakeFS.write(repository: Self.repo, branch: "main", path: path, content: "hotfix on main")
            try world.lakeFS.commit(repository: Self.repo, branch: "main", message: "hotfix")
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: path, content: "reload on dev")
            try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "reload")
            try await world.requestReconcile("dev")

            let conflicted = try await world.waitFor("dev", "Merged=False MergeConflict") {
                $0.has("Merged", .false, reason: DataBranch.Reason.mergeConflict)
            }
            #expect(conflicted.condition("Merged")?.message.contains(path) == true)
            #expect(conflicted.summary("Ready") == "False/" + DataBranch.Reason.mergeConflict)
            #expect(conflicted.status?.lastMergeAttempt?.outcome == .mergeConflict)
            let warning = try await world.waitForEvent("dev", type: "Warning", reason: DataBranch.Reason.mergeConflict)
            #expect(warning.note?.contains(path) == true)
            try await world.forceReconciles("dev", count: 2, by: running)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 1)
            #expect(world.lakeFS.read(repository: Self.repo, ref: "main", path: path) == "hotfix on main")
        }
    }

    // MARK: Rollback

    @Test("a revert request adds a commit undoing the bad one, once, and is recorded")
    func rollbackByRevert() async throws {
        try await DataBranchWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "bad.csv", content: "garbage")
            let bad = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "bad load")

            try await world.updateSpec("dev") { $0.rollbackRequest = .revert(id: "undo-1", commit: bad) }
            let done = try await world.waitFor("dev", "lastRollback undo-1") { $0.status?.lastRollback?.id == "undo-1" && $0.isCurrent }
            let rollback = try #require(done.status?.lastRollback)
            let head = try #require(world.lakeFS.branchHead(repository: Self.repo, branch: "dev"))
            #expect(rollback.action == .revert)
            #expect(rollback.outcome == .succeeded)
            #expect(rollback.commit == bad)
            #expect(rollback.resultCommit == head)
            #expect(done.status?.headCommit == head)
            #expect(world.lakeFS.findCommit(repository: Self.repo, ref: head)?.parents == [bad])
            #expect(world.lakeFS.read(repository: Self.repo, ref: "dev", path: "bad.csv") == nil)
            #expect(done.status?.handledRequests?.contains { $0.type == "Rollback" && $0.id == "undo-1" && $0.outcome == .succeeded } == true)
            let event = try await world.waitForEvent("dev", type: "Normal", reason: DataBranch.Reason.rolledBack)
            #expect(event.note?.contains("undo-1") == true)

            try await world.forceReconciles("dev", count: 2, by: running)
            #expect(world.lakeFS.requestCount(Op.revertBranch) == 1)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == head)
        }
    }

    @Test("a reconcile right behind the one that reverted does not revert again")
    func rollbackIsNotRepeatedByTheNextReconcile() async throws {
        try await DataBranchWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "bad.csv", content: "garbage")
            let bad = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "bad load")

            // A slow revert, and another reconcile asked for while it runs: the second starts
            // as soon as the first ends, before the first's status write comes back by watch.
            world.lakeFS.faults.setLatency(.milliseconds(300), operation: Op.revertBranch)
            try await world.updateSpec("dev") { $0.rollbackRequest = .revert(id: "undo-1", commit: bad) }
            #expect(await eventually { world.lakeFS.requestCount(Op.revertBranch) == 1 })
            try await world.requestReconcile("dev")

            let done = try await world.waitFor("dev", "lastRollback undo-1") { $0.status?.lastRollback?.id == "undo-1" }
            try await world.forceReconciles("dev", count: 1, by: running)
            #expect(world.lakeFS.requestCount(Op.revertBranch) == 1)
            let settled = try await world.get("dev")
            #expect(settled.status?.lastRollback?.outcome == .succeeded)
            #expect(settled.status?.handled(DataBranchRollbackRequest.revert(id: "undo-1", commit: bad))?.outcome == .succeeded)
            #expect(done.status?.lastRollback?.outcome == .succeeded)
            #expect(try await world.events("dev").filter { $0.reason == DataBranch.Reason.rollbackFailed }.isEmpty)
        }
    }

    @Test("a reconcile right behind the one the gate rejected does not run the gate again")
    func gateIsNotRetriedByTheNextReconcile() async throws {
        try await DataBranchWorld.with { world in
            try world.lakeFS.setPreMergeHook(repository: Self.repo, branch: "main", verdict: .fail(hookID: "expensive_check", output: "failed"))
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main")))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "load.csv", content: "1")
            try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load")

            world.lakeFS.faults.setLatency(.milliseconds(300), operation: Op.mergeIntoBranch)
            try await world.requestReconcile("dev")
            #expect(await eventually { world.lakeFS.requestCount(Op.mergeIntoBranch) == 1 })
            try await world.requestReconcile("dev")

            try await world.waitFor("dev", "QualityGateFailed") { $0.has("Merged", .false, reason: DataBranch.Reason.qualityGateFailed) }
            try await world.forceReconciles("dev", count: 1, by: running)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 1)
            #expect(world.lakeFS.actionRuns(repository: Self.repo).count == 1)
        }
    }

    @Test("a reset request moves the branch back once; later commits are left alone")
    func rollbackByReset() async throws {
        try await DataBranchWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "a.csv", content: "good")
            let good = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "good load")
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "b.csv", content: "bad")
            try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "bad load")

            try await world.updateSpec("dev") { $0.rollbackRequest = .reset(id: "reset-1", commit: good) }
            let done = try await world.waitFor("dev", "lastRollback reset-1") { $0.status?.lastRollback?.id == "reset-1" && $0.isCurrent }
            #expect(done.status?.lastRollback?.action == .reset)
            #expect(done.status?.lastRollback?.outcome == .succeeded)
            #expect(done.status?.lastRollback?.resultCommit == good)
            #expect(done.status?.headCommit == good)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == good)
            #expect(world.lakeFS.read(repository: Self.repo, ref: "dev", path: "b.csv") == nil)
            try await world.waitForEvent("dev", type: "Normal", reason: DataBranch.Reason.rolledBack)

            // The pipeline writes again; the request, already handled, must not reset it a second time.
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "c.csv", content: "next load")
            let next = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "next load")
            try await world.forceReconciles("dev", count: 2, by: running)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == next)
            #expect(world.lakeFS.requestCount(Op.hardResetBranch) == 1)
            try await world.waitFor("dev", "headCommit follows the new commit") { $0.status?.headCommit == next }
        }
    }

    // MARK: Suspend and Plan

    @Test("a suspended DataBranch sends lakeFS no request at all, and resumes when unsuspended")
    func suspend() async throws {
        try await DataBranchWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.dataBranch("dev") { $0.suspend = true })
            let suspended = try await world.waitFor("dev", "Ready=False Suspended") { $0.has("Ready", .false, reason: StandardReason.suspended) }
            #expect(suspended.isCurrent)
            try await world.forceReconciles("dev", count: 2, by: running)
            #expect(world.lakeFS.requests.total == 0)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == nil)

            try await world.updateSpec("dev") { $0.suspend = false }
            try await world.waitFor("dev", "Ready=True after resuming") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") != nil)

            // Suspending again stops the traffic again.
            try await world.updateSpec("dev") { $0.suspend = true }
            try await world.waitFor("dev", "Suspended again") { $0.has("Ready", .false, reason: StandardReason.suspended) && $0.isCurrent }
            let before = world.lakeFS.requests.total
            try await world.forceReconciles("dev", count: 2, by: running)
            #expect(world.lakeFS.requests.total == before)
        }
    }

    @Test("deleting a suspended DataBranch still honours deletionPolicy Delete, as documented")
    func deleteWhileSuspended() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(world.dataBranch("dev") { $0.deletionPolicy = .delete })
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try await world.updateSpec("dev") { $0.suspend = true }
            try await world.waitFor("dev", "Suspended") { $0.has("Ready", .false, reason: StandardReason.suspended) && $0.isCurrent }

            try await world.delete("dev")
            try await world.waitForDeletion("dev")
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == nil)
            #expect(world.lakeFS.requestCount(Op.deleteBranch) == 1)
        }
    }

    @Test("Plan mode lists the exact calls Apply would make and changes nothing in lakeFS")
    func planMode() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(
                world.dataBranch("dev", merge: DataBranchMerge(into: "main")) {
                    $0.mode = .plan
                    $0.protected = true
                })
            let planned = try await world.waitFor("dev", "a plan") { $0.status?.plan?.isEmpty == false && $0.isCurrent }
            let plan = try #require(planned.status?.plan)
            #expect(plan.map(\.verb) == ["CreateBranch", "ProtectBranch"])
            #expect(
                plan.map(\.call) == [
                    "POST /api/v1/repositories/repo/branches",
                    "PUT /api/v1/repositories/repo/settings/branch_protection",
                ])
            #expect(plan.map(\.target) == ["lakefs://repo/dev", "lakefs://repo/dev"])
            #expect(planned.summary("Ready") == "False/" + StandardReason.planPending)
            #expect(planned.status?.lastAppliedPlan == nil)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == nil)
            #expect(world.lakeFS.protectionRules(repository: Self.repo).isEmpty)
            for operation in [Op.createBranch, Op.setBranchProtectionRules, Op.mergeIntoBranch, Op.createRepository] {
                #expect(world.lakeFS.requestCount(operation) == 0, "\(operation)")
            }

            // Switching to Apply carries out exactly what the plan listed.
            try await world.updateSpec("dev") { $0.mode = .apply }
            let applied = try await world.waitFor("dev", "Ready=True in Apply mode") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(applied.status?.plan == nil)
            #expect(applied.status?.lastAppliedPlan?.actions == plan)
            #expect(world.lakeFS.protectionRules(repository: Self.repo) == ["dev"])
            #expect(applied.status?.protectionApplied == true)
        }
    }

    @Test("Plan mode does not call a missing repository or merge target up to date")
    func planModeWithSomethingMissing() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(
                world.dataBranch("no-repo") {
                    $0.repository = DataBranchRepository(name: "missing")
                    $0.mode = .plan
                })
            try world.lakeFS.createBranch(repository: Self.repo, name: "dev", from: "main")
            try await world.create(
                world.dataBranch("no-target", merge: DataBranchMerge(into: "prod")) { $0.mode = .plan })

            let noRepo = try await world.waitFor("no-repo", "a verdict") { $0.condition("Ready") != nil && $0.isCurrent }
            #expect(noRepo.summary("Ready") == "False/" + DataBranch.Reason.repositoryNotFound)
            #expect(noRepo.summary("Stalled") == "True/" + DataBranch.Reason.repositoryNotFound)
            #expect(noRepo.status?.plan == [])
            let noTarget = try await world.waitFor("no-target", "a verdict") { $0.condition("Ready") != nil && $0.isCurrent }
            #expect(noTarget.summary("Ready") == "False/" + DataBranch.Reason.mergeFailed)
            #expect(noTarget.condition("Ready")?.message.contains("prod") == true)
            #expect(world.lakeFS.repositories() == [Self.repo])
        }
    }

    @Test("Plan mode does not call a head the quality gate rejected up to date")
    func planModeWithARejectedHead() async throws {
        try await DataBranchWorld.with { world in
            try world.lakeFS.setPreMergeHook(
                repository: Self.repo, branch: "main", verdict: .fail(hookID: "check_nulls", output: "nulls found"))
            try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main")))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "tables/trades/part-1.parquet", content: "with nulls")
            try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load with nulls")
            try await world.requestReconcile("dev")
            try await world.waitFor("dev", "QualityGateFailed") { $0.has("Merged", .false, reason: DataBranch.Reason.qualityGateFailed) }
            let merges = world.lakeFS.requestCount(LakeFSSimulator.Operation.mergeIntoBranch)

            try await world.updateSpec("dev") { $0.mode = .plan }
            let planned = try await world.waitFor("dev", "a Plan-mode verdict") { $0.isCurrent && $0.status?.plan != nil }
            #expect(planned.status?.plan == [])
            #expect(planned.summary("Ready") == "False/" + DataBranch.Reason.qualityGateFailed)
            #expect(planned.condition("Ready")?.message.contains("Plan mode") == true)
            #expect(world.lakeFS.requestCount(LakeFSSimulator.Operation.mergeIntoBranch) == merges)
        }
    }

    @Test("Plan mode shows a rollback's exact request without carrying it out")
    func planModeRollback() async throws {
        try await DataBranchWorld.with { world in
            try world.lakeFS.createBranch(repository: Self.repo, name: "dev", from: "main")
            let good = try #require(world.lakeFS.branchHead(repository: Self.repo, branch: "dev"))
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "bad.csv", content: "bad")
            let bad = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "bad load")
            try await world.startOperator()
            try await world.create(
                world.dataBranch("dev") {
                    $0.mode = .plan
                    $0.rollbackRequest = .reset(id: "reset-1", commit: good)
                })
            let planned = try await world.waitFor("dev", "a plan") { $0.status?.plan?.isEmpty == false }
            #expect(planned.status?.plan?.map(\.call) == ["PUT /api/v1/repositories/repo/branches/dev/hard_reset?ref=\(good)"])
            #expect(planned.status?.headCommit == bad)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == bad)
            #expect(world.lakeFS.requestCount(Op.hardResetBranch) == 0)
            #expect(planned.status?.handledRequests == nil)
        }
    }

    // MARK: Deletion

    @Test("deleting with Retain leaves the branch; deleting with Delete removes it")
    func deletionPolicies() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(world.dataBranch("keep", branch: "keep") { $0.deletionPolicy = .retain })
            try await world.create(world.dataBranch("drop", branch: "drop") { $0.deletionPolicy = .delete })
            try await world.waitFor("keep", "Ready=True") { $0.has("Ready", .true) }
            try await world.waitFor("drop", "Ready=True") { $0.has("Ready", .true) }
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "keep") != nil)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "drop") != nil)

            try await world.delete("keep")
            try await world.delete("drop")
            try await world.waitForDeletion("keep")
            try await world.waitForDeletion("drop")
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "keep") != nil)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "drop") == nil)
            #expect(world.lakeFS.requestCount(Op.deleteBranch) == 1)
        }
    }

    @Test("deleting the DataBranch of the repository's default branch with Delete is blocked, and status says why")
    func deletingTheDefaultBranchIsBlocked() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(world.dataBranch("main", branch: "main", sourceRef: nil) { $0.deletionPolicy = .delete })
            try await world.waitFor("main", "Ready=True") { $0.has("Ready", .true) }

            try await world.delete("main")
            let blocked = try await world.waitFor("main", "Stalled DeletionBlocked") {
                $0.has("Stalled", .true, reason: StandardReason.deletionBlocked)
            }
            let message = blocked.condition("Stalled")?.message ?? ""
            #expect(message.contains("default branch"))
            #expect(message.contains("Retain"))
            #expect(blocked.summary("Ready") == "False/" + StandardReason.deletionBlocked)
            #expect(blocked.metadata.deletionTimestamp != nil)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "main") != nil)
            #expect(world.lakeFS.requestCount(Op.deleteBranch) == 0)
            try await world.waitForEvent("main", type: "Warning", reason: StandardReason.deletionBlocked)

            // Following the message lets the object go and keeps the branch.
            try await world.updateSpec("main") { $0.deletionPolicy = .retain }
            try await world.waitForDeletion("main")
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "main") != nil)
        }
    }

    @Test("deleting a protected DataBranch with Delete waits, says how to go on, and proceeds once protected is false")
    func deletingAProtectedBranchWaitsForProtectedFalse() async throws {
        try await DataBranchWorld.with { world in
            try await world.startOperator()
            try await world.create(
                world.dataBranch("dev") {
                    $0.protected = true
                    $0.deletionPolicy = .delete
                })
            try await world.waitFor("dev", "Ready=True, protected") { $0.has("Ready", .true) && $0.status?.protectionApplied == true }

            try await world.delete("dev")
            let blocked = try await world.waitFor("dev", "Stalled DeletionBlocked") {
                $0.has("Stalled", .true, reason: StandardReason.deletionBlocked)
            }
            let message = blocked.condition("Stalled")?.message ?? ""
            #expect(message.contains("spec.protected is true"), "\(message)")
            #expect(message.contains("set spec.protected to false"), "\(message)")
            #expect(message.contains("spec.deletionPolicy to Retain"), "\(message)")
            #expect(blocked.summary("Ready") == "False/" + StandardReason.deletionBlocked)
            let warning = try await world.waitForEvent("dev", type: "Warning", reason: StandardReason.deletionBlocked)
            #expect(warning.note == message)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") != nil)
            #expect(world.lakeFS.requestCount(Op.deleteBranch) == 0)

            // Following the message: the operator lifts its own rule, deletes the branch and lets the object go.
            try await world.updateSpec("dev") { $0.protected = false }
            try await world.waitForDeletion("dev")
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == nil)
            #expect(world.lakeFS.protectionRules(repository: Self.repo).isEmpty)
            #expect(world.lakeFS.requestCount(Op.deleteBranch) == 1)
        }
    }
}
