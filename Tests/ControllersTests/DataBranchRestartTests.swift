import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// One-shot work across a crash: the operator is killed right after lakeFS
/// carried out a merge or a rollback but before status recorded it, and a new
/// operator takes over. lakeFS must show the work done once, and status must
/// record it.
@Suite("DataBranch across operator restarts")
struct DataBranchRestartTests {
    typealias Op = LakeFSSimulator.Operation
    static let repo = DataBranchWorld.repository
    static let rollbackRequestKey = "hmco.io/rollback-request"
    static let mergeRequestKey = "hmco.io/merge-request"

    @Test("an operator killed in the middle of a merge is restarted: no second merge, and the merge shows in status")
    func killedDuringMerge() async throws {
        try await DataBranchWorld.with { world in
            let first = try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main")))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            let mainBefore = world.lakeFS.branchHead(repository: Self.repo, branch: "main")
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "load.csv", content: "1")
            let head = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load")

            // lakeFS merges at once but holds its answer back; the operator dies waiting for it.
            world.lakeFS.faults.inject(.delayResponse(.seconds(2)), next: 1, operation: Op.mergeIntoBranch)
            try await world.requestReconcile("dev")
            #expect(await eventually { world.lakeFS.branchHead(repository: Self.repo, branch: "main") != mainBefore })
            await first.kill()
            let mergeCommit = try #require(world.lakeFS.branchHead(repository: Self.repo, branch: "main"))
            #expect(try await world.get("dev").status?.lastMerge == nil)

            let second = try await world.startOperator()
            let recovered = try await world.waitFor("dev", "lastMerge recovered") { $0.status?.lastMerge != nil && $0.has("Ready", .true) }
            #expect(recovered.status?.lastMerge?.commit == mergeCommit)
            #expect(recovered.status?.lastMerge?.sourceCommit == head)
            #expect(recovered.summary("Merged") == "True/" + DataBranch.Reason.merged)
            try await world.forceReconciles("dev", count: 2, by: second)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 1)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "main") == mergeCommit)
        }
    }

    @Test("an operator killed right after lakeFS reverted: the next one records the request; one revert commit in lakeFS")
    func killedAfterRevert() async throws {
        try await DataBranchWorld.with { world in
            let first = try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "bad.csv", content: "garbage")
            let bad = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "bad load")

            // lakeFS reverts at once but holds its answer back; the operator dies waiting for it.
            world.lakeFS.faults.inject(.delayResponse(.seconds(2)), next: 1, operation: Op.revertBranch)
            try await world.updateSpec("dev") { $0.rollbackRequest = .revert(id: "undo-1", commit: bad) }
            #expect(await eventually { world.lakeFS.branchHead(repository: Self.repo, branch: "dev") != bad })
            await first.kill()
            let revertCommit = try #require(world.lakeFS.branchHead(repository: Self.repo, branch: "dev"))
            #expect(try await world.get("dev").status?.lastRollback == nil)
            // The pipeline goes on writing before the next operator starts.
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "next.csv", content: "next load")
            let next = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "next load")

            let second = try await world.startOperator()
            let recorded = try await world.waitFor("dev", "undo-1 recorded") { $0.status?.lastRollback?.id == "undo-1" }
            let rollback = try #require(recorded.status?.lastRollback)
            #expect(rollback.outcome == .succeeded)
            #expect(rollback.action == .revert)
            #expect(rollback.commit == bad)
            #expect(rollback.resultCommit == revertCommit)
            #expect(recorded.status?.handled(DataBranchRollbackRequest.revert(id: "undo-1", commit: bad))?.outcome == .succeeded)
            let event = try await world.waitForEvent("dev", type: "Normal", reason: DataBranch.Reason.rolledBack)
            #expect(event.note?.contains("undo-1") == true)

            try await world.forceReconciles("dev", count: 2, by: second)
            #expect(world.lakeFS.requestCount(Op.revertBranch) == 1)
            let reverts = world.lakeFS.log(repository: Self.repo, ref: "dev").filter { $0.metadata[Self.rollbackRequestKey] == "undo-1" }
            #expect(reverts.map(\.id) == [revertCommit])
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == next)
            #expect(world.lakeFS.read(repository: Self.repo, ref: "dev", path: "bad.csv") == nil)
            #expect(try await world.events("dev").allSatisfy { $0.reason != DataBranch.Reason.rollbackFailed })
            try await world.waitFor("dev", "Ready=True at the new head") { $0.has("Ready", .true) && $0.status?.headCommit == next }
        }
    }

    @Test("an operator killed right after lakeFS reset the branch: the next one records the request and does not move the branch again")
    func killedAfterReset() async throws {
        try await DataBranchWorld.with { world in
            let first = try await world.startOperator()
            try await world.create(world.dataBranch("dev"))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "a.csv", content: "good")
            let good = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "good load")
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "b.csv", content: "bad")
            let bad = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "bad load")
            // Status reports the bad head, so the reset looks like a move to the next operator.
            try await world.requestReconcile("dev")
            try await world.waitFor("dev", "the bad head reported") { $0.status?.headCommit == bad }

            world.lakeFS.faults.inject(.delayResponse(.seconds(2)), next: 1, operation: Op.hardResetBranch)
            try await world.updateSpec("dev") { $0.rollbackRequest = .reset(id: "reset-1", commit: good) }
            #expect(await eventually { world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == good })
            await first.kill()
            #expect(try await world.get("dev").status?.lastRollback == nil)

            let second = try await world.startOperator()
            let recorded = try await world.waitFor("dev", "reset-1 recorded") {
                $0.status?.lastRollback?.id == "reset-1" && $0.status?.headCommit == good
            }
            #expect(recorded.status?.lastRollback?.outcome == .succeeded)
            #expect(recorded.status?.lastRollback?.action == .reset)
            #expect(recorded.status?.lastRollback?.resultCommit == good)
            #expect(recorded.status?.handled(DataBranchRollbackRequest.reset(id: "reset-1", commit: good))?.outcome == .succeeded)
            try await world.waitForEvent("dev", type: "Normal", reason: DataBranch.Reason.rolledBack)

            try await world.forceReconciles("dev", count: 2, by: second)
            // One hard reset: the request's. Neither a second one nor a move back to the bad head.
            #expect(world.lakeFS.requestCount(Op.hardResetBranch) == 1)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "dev") == good)
            #expect(try await world.events("dev").allSatisfy { $0.reason != StandardReason.driftDetected })
            #expect(try await world.get("dev").has("Ready", .true))
        }
    }

    @Test("an operator killed right after lakeFS made a requested merge: the next one records the request and merges nothing more")
    func killedAfterRequestedMerge() async throws {
        try await DataBranchWorld.with { world in
            let first = try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main", trigger: .onRequest)))
            try await world.waitFor("dev", "Ready=True") { $0.has("Ready", .true) }
            let mainBefore = world.lakeFS.branchHead(repository: Self.repo, branch: "main")
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "load.csv", content: "1")
            let head = try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load")

            world.lakeFS.faults.inject(.delayResponse(.seconds(2)), next: 1, operation: Op.mergeIntoBranch)
            try await world.updateSpec("dev") { $0.merge?.request = MergeRequest(id: "promote-1") }
            #expect(await eventually { world.lakeFS.branchHead(repository: Self.repo, branch: "main") != mainBefore })
            await first.kill()
            let mergeCommit = try #require(world.lakeFS.branchHead(repository: Self.repo, branch: "main"))
            let stale = try await world.get("dev")
            #expect(stale.status?.lastMerge == nil)
            #expect(stale.status?.handledRequests == nil)
            // Before the next operator starts, the pipeline commits again to dev and a hotfix
            // lands on main: the merge commit is no longer main's head, and dev is ahead again.
            try world.lakeFS.write(repository: Self.repo, branch: "dev", path: "load2.csv", content: "2")
            try world.lakeFS.commit(repository: Self.repo, branch: "dev", message: "load 2")
            try world.lakeFS.write(repository: Self.repo, branch: "main", path: "hotfix.csv", content: "fix")
            let hotfix = try world.lakeFS.commit(repository: Self.repo, branch: "main", message: "hotfix")

            let second = try await world.startOperator()
            let recorded = try await world.waitFor("dev", "promote-1 recorded") {
                $0.status?.handled(MergeRequest(id: "promote-1")) != nil
            }
            #expect(recorded.status?.handled(MergeRequest(id: "promote-1"))?.outcome == .succeeded)
            #expect(recorded.status?.lastMerge?.commit == mergeCommit)
            #expect(recorded.status?.lastMerge?.sourceCommit == head)
            #expect(recorded.status?.lastMerge?.requestID == "promote-1")
            try await world.waitForEvent("dev", type: "Normal", reason: DataBranch.Reason.merged)

            try await world.forceReconciles("dev", count: 2, by: second)
            #expect(world.lakeFS.requestCount(Op.mergeIntoBranch) == 1)
            #expect(world.lakeFS.branchHead(repository: Self.repo, branch: "main") == hotfix)
            #expect(world.lakeFS.read(repository: Self.repo, ref: "main", path: "load2.csv") == nil)
            let merges = world.lakeFS.log(repository: Self.repo, ref: "main").filter { $0.metadata[Self.mergeRequestKey] == "promote-1" }
            #expect(merges.map(\.id) == [mergeCommit])
            // The new commit waits for a new request id, as OnRequest says.
            try await world.waitFor("dev", "WaitingForRequest") { $0.has("Merged", .false, reason: DataBranch.Reason.waitingForRequest) }
        }
    }
}
