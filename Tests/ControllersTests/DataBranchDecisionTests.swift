import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Testing

/// One row of a decision table: a DataBranch and what lakeFS looks like, and
/// the actions and waits ``DataBranchDecision/plan(_:observed:)`` must give.
struct PlanCase: Sendable, CustomTestStringConvertible {
    var name: String
    var object: DataBranch
    var observed: DataBranchObservation
    var actions: [DataBranchAction]
    var waits: [DataBranchWait] = []

    var testDescription: String { name }
}

/// Builds DataBranch values for the decision tables: repository `repo`
/// (default branch `main`), branch `dev`.
enum DecisionFixture {
    static let head = "c0ffee01"
    static let newHead = "c0ffee02"
    static let targetHead = "beef0001"
    static let time = Time(Date(timeIntervalSince1970: 1_700_000_000))

    static func branch(
        repository: DataBranchRepository = DataBranchRepository(name: "repo"), sourceRef: String? = nil,
        protected: Bool = false, merge: DataBranchMerge? = nil, rollback: DataBranchRollbackRequest? = nil,
        status: DataBranchStatus? = nil
    ) -> DataBranch {
        var object = DataBranch(
            name: "dev", namespace: "team",
            spec: DataBranchSpec(
                repository: repository, branch: "dev", sourceRef: sourceRef, protected: protected, merge: merge,
                rollbackRequest: rollback))
        object.status = status
        return object
    }

    static func status(_ change: (inout DataBranchStatus) -> Void) -> DataBranchStatus {
        var status = DataBranchStatus()
        change(&status)
        return status
    }

    /// lakeFS with the repository, the branch at ``head`` and, when asked, the target at ``targetHead``.
    static func lakeFS(head: String? = DecisionFixture.head, target: Bool = false, ahead: Bool? = nil, protected: Bool? = nil)
        -> DataBranchObservation
    {
        DataBranchObservation(
            repositoryExists: true, repositoryDefaultBranch: "main", head: head, targetHead: target ? targetHead : nil,
            aheadOfTarget: ahead, protected: protected)
    }

    static func handled(_ type: String, _ id: String) -> HandledRequest {
        HandledRequest(type: type, id: id, outcome: .succeeded, time: time)
    }

    /// lakeFS showing a one-shot request carried out: by `commit`, made at ``time``.
    static func carriedOut(_ id: String, commit: String, source: String? = nil) -> CarriedOutRequest {
        CarriedOutRequest(id: id, commit: commit, sourceCommit: source, time: time)
    }

    static func attempt(_ outcome: MergeAttemptOutcome, on commit: String = DecisionFixture.head, request: String? = nil) -> MergeAttempt {
        MergeAttempt(sourceCommit: commit, outcome: outcome, requestID: request, time: time)
    }
}

@Suite("DataBranch decisions")
struct DataBranchDecisionTests {
    typealias F = DecisionFixture

    static let repositoryAndBranchCases: [PlanCase] = [
        PlanCase(
            name: "a missing repository that may not be created waits and plans nothing",
            object: F.branch(), observed: DataBranchObservation(repositoryExists: false),
            actions: [], waits: [.repositoryMissing]),
        PlanCase(
            name: "a missing repository that may be created is created, then the branch from its default branch",
            object: F.branch(repository: DataBranchRepository(name: "repo", create: true, storageNamespace: "s3://bucket/repo", defaultBranch: "prod")),
            observed: DataBranchObservation(repositoryExists: false),
            actions: [
                .createRepository(name: "repo", storageNamespace: "s3://bucket/repo", defaultBranch: "prod"),
                .createBranch(name: "dev", source: "prod", drift: false),
            ]),
        PlanCase(
            name: "create: true without a storage namespace does not create the repository",
            object: F.branch(repository: DataBranchRepository(name: "repo", create: true)),
            observed: DataBranchObservation(repositoryExists: false),
            actions: [], waits: [.repositoryMissing]),
        PlanCase(
            name: "a missing branch never reported before is created from the repository's default branch",
            object: F.branch(), observed: F.lakeFS(head: nil),
            actions: [.createBranch(name: "dev", source: "main", drift: false)]),
        PlanCase(
            name: "a missing branch is created from spec.sourceRef when set",
            object: F.branch(sourceRef: "release-1"), observed: F.lakeFS(head: nil),
            actions: [.createBranch(name: "dev", source: "release-1", drift: false)]),
        PlanCase(
            name: "a branch reported before and gone now was deleted outside Kubernetes: re-created as drift",
            object: F.branch(status: F.status { $0.headCommit = F.head }), observed: F.lakeFS(head: nil),
            actions: [.createBranch(name: "dev", source: "main", drift: true)]),
        PlanCase(
            name: "an existing branch with nothing else asked plans nothing",
            object: F.branch(status: F.status { $0.headCommit = F.head }), observed: F.lakeFS(),
            actions: []),
        PlanCase(
            name: "a branch reset outside Kubernetes is moved back to the head last reported",
            object: F.branch(status: F.status { $0.headCommit = "c0ffee" }),
            observed: { var o = F.lakeFS(); o.movedFrom = "c0ffee"; return o }(),
            actions: [.restoreHead(branch: "dev", to: "c0ffee", from: F.head)]),
        PlanCase(
            name: "a pending rollback request wins over restoring a moved head",
            object: F.branch(rollback: .reset(id: "r1", commit: String(repeating: "b", count: 64)), status: F.status { $0.headCommit = "c0ffee" }),
            observed: { var o = F.lakeFS(); o.movedFrom = "c0ffee"; return o }(),
            actions: [.reset(requestID: "r1", commit: String(repeating: "b", count: 64))]),
    ]

    static let protectionCases: [PlanCase] = [
        PlanCase(
            name: "protected: true on an unprotected branch adds the rule",
            object: F.branch(protected: true), observed: F.lakeFS(protected: false),
            actions: [.protect(branch: "dev")]),
        PlanCase(
            name: "protected: true on a branch already protected does nothing",
            object: F.branch(protected: true), observed: F.lakeFS(protected: true),
            actions: []),
        PlanCase(
            name: "protected: false removes a rule the operator applied",
            object: F.branch(protected: false, status: F.status { $0.protectionApplied = true }),
            observed: F.lakeFS(protected: true),
            actions: [.unprotect(branch: "dev")]),
        PlanCase(
            name: "protected: false leaves alone a rule a person added",
            object: F.branch(protected: false), observed: F.lakeFS(protected: true),
            actions: []),
        PlanCase(
            name: "a new branch that must be protected is created, then protected",
            object: F.branch(protected: true), observed: F.lakeFS(head: nil, protected: false),
            actions: [.createBranch(name: "dev", source: "main", drift: false), .protect(branch: "dev")]),
    ]

    static let rollbackCases: [PlanCase] = [
        PlanCase(
            name: "a new revert request is carried out",
            object: F.branch(rollback: .revert(id: "r1", commit: "bad1", parentNumber: 1)), observed: F.lakeFS(),
            actions: [.revert(requestID: "r1", commit: "bad1", parentNumber: 1)]),
        PlanCase(
            name: "a new reset request is carried out",
            object: F.branch(rollback: .reset(id: "r2", commit: "good1")), observed: F.lakeFS(),
            actions: [.reset(requestID: "r2", commit: "good1")]),
        PlanCase(
            name: "a rollback id already handled is not carried out again",
            object: F.branch(
                rollback: .revert(id: "r1", commit: "bad1"),
                status: F.status { $0.recordHandled(F.handled(DataBranchRollbackRequest.requestType, "r1")) }),
            observed: F.lakeFS(), actions: []),
        PlanCase(
            name: "a handled merge request with the same id does not count as a handled rollback",
            object: F.branch(
                rollback: .reset(id: "x", commit: "good1"),
                status: F.status { $0.recordHandled(F.handled(MergeRequest.requestType, "x")) }),
            observed: F.lakeFS(), actions: [.reset(requestID: "x", commit: "good1")]),
        PlanCase(
            name: "a rollback waits until the branch exists",
            object: F.branch(rollback: .reset(id: "r2", commit: "good1")), observed: F.lakeFS(head: nil),
            actions: [.createBranch(name: "dev", source: "main", drift: false)]),
        PlanCase(
            name: "a revert lakeFS shows carried out (a commit carrying its id) is recorded, not made again",
            object: F.branch(rollback: .revert(id: "r1", commit: "bad1")),
            observed: { var o = F.lakeFS(); o.rollbackCarriedOut = F.carriedOut("r1", commit: F.head); return o }(),
            actions: [], waits: [.rollbackAlreadyCarriedOut(F.carriedOut("r1", commit: F.head))]),
        PlanCase(
            name: "a reset lakeFS shows carried out is recorded, and the head it moved is not moved back",
            object: F.branch(rollback: .reset(id: "r2", commit: F.head), status: F.status { $0.headCommit = "c0ffee" }),
            observed: {
                var o = F.lakeFS()
                o.movedFrom = "c0ffee"
                o.rollbackCarriedOut = F.carriedOut("r2", commit: F.head)
                return o
            }(),
            actions: [], waits: [.rollbackAlreadyCarriedOut(F.carriedOut("r2", commit: F.head))]),
        PlanCase(
            name: "a rollback carried out for another id does not stand for the pending one",
            object: F.branch(rollback: .revert(id: "r3", commit: "bad1")),
            observed: { var o = F.lakeFS(); o.rollbackCarriedOut = F.carriedOut("r1", commit: F.head); return o }(),
            actions: [.revert(requestID: "r3", commit: "bad1", parentNumber: 1)]),
        PlanCase(
            name: "a handled rollback lets a later reset outside Kubernetes be moved back",
            object: F.branch(
                rollback: .reset(id: "r2", commit: "good1"),
                status: F.status {
                    $0.headCommit = "c0ffee"
                    $0.recordHandled(F.handled(DataBranchRollbackRequest.requestType, "r2"))
                }),
            observed: { var o = F.lakeFS(); o.movedFrom = "c0ffee"; return o }(),
            actions: [.restoreHead(branch: "dev", to: "c0ffee", from: F.head)]),
        PlanCase(
            name: "a rollback goes first; the automatic merge waits for the next reconcile",
            object: F.branch(merge: DataBranchMerge(into: "main"), rollback: .revert(id: "r1", commit: "bad1")),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [.revert(requestID: "r1", commit: "bad1", parentNumber: 1)]),
    ]

    static let mergeCases: [PlanCase] = [
        PlanCase(
            name: "Auto merges a head with commits the target lacks",
            object: F.branch(merge: DataBranchMerge(into: "main")), observed: F.lakeFS(target: true, ahead: true),
            actions: [.merge(source: "dev", into: "main", requestID: nil)]),
        PlanCase(
            name: "Auto does nothing when the target already has the head",
            object: F.branch(merge: DataBranchMerge(into: "main")), observed: F.lakeFS(target: true, ahead: false),
            actions: []),
        PlanCase(
            name: "OnRequest without a request waits for one",
            object: F.branch(merge: DataBranchMerge(into: "main", trigger: .onRequest)),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [], waits: [.waitingForRequest]),
        PlanCase(
            name: "OnRequest merges on a new request id",
            object: F.branch(merge: DataBranchMerge(into: "main", trigger: .onRequest, request: MergeRequest(id: "m1"))),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [.merge(source: "dev", into: "main", requestID: "m1")]),
        PlanCase(
            name: "OnRequest: a merge lakeFS shows made for the pending request id is recorded, not made again",
            object: F.branch(merge: DataBranchMerge(into: "main", trigger: .onRequest, request: MergeRequest(id: "m1"))),
            observed: {
                var o = F.lakeFS(head: F.newHead, target: true, ahead: true)
                o.mergeCarriedOut = F.carriedOut("m1", commit: F.targetHead, source: F.head)
                return o
            }(),
            actions: [], waits: [.mergeAlreadyCarriedOut(F.carriedOut("m1", commit: F.targetHead, source: F.head))]),
        PlanCase(
            name: "Auto: a retry request found carried out is recorded; a newer head waits for the next poll",
            object: F.branch(merge: DataBranchMerge(into: "main", request: MergeRequest(id: "retry-1"))),
            observed: {
                var o = F.lakeFS(head: F.newHead, target: true, ahead: true)
                o.mergeCarriedOut = F.carriedOut("retry-1", commit: F.targetHead, source: F.head)
                return o
            }(),
            actions: [], waits: [.mergeAlreadyCarriedOut(F.carriedOut("retry-1", commit: F.targetHead, source: F.head))]),
        PlanCase(
            name: "a merge carried out for another request id does not stand for the pending one",
            object: F.branch(merge: DataBranchMerge(into: "main", trigger: .onRequest, request: MergeRequest(id: "m2"))),
            observed: {
                var o = F.lakeFS(target: true, ahead: true)
                o.mergeCarriedOut = F.carriedOut("m1", commit: F.targetHead, source: F.head)
                return o
            }(),
            actions: [.merge(source: "dev", into: "main", requestID: "m2")]),
        PlanCase(
            name: "OnRequest does not merge twice for one request id",
            object: F.branch(
                merge: DataBranchMerge(into: "main", trigger: .onRequest, request: MergeRequest(id: "m1")),
                status: F.status { $0.recordHandled(F.handled(MergeRequest.requestType, "m1")) }),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [], waits: [.waitingForRequest]),
        PlanCase(
            name: "a head whose merge failed the quality gate is not merged again",
            object: F.branch(merge: DataBranchMerge(into: "main"), status: F.status { $0.lastMergeAttempt = F.attempt(.qualityGateFailed) }),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [], waits: [.mergeBlocked(head: F.head, outcome: .qualityGateFailed)]),
        PlanCase(
            name: "a head whose merge conflicted is not merged again",
            object: F.branch(merge: DataBranchMerge(into: "main"), status: F.status { $0.lastMergeAttempt = F.attempt(.mergeConflict) }),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [], waits: [.mergeBlocked(head: F.head, outcome: .mergeConflict)]),
        PlanCase(
            name: "a new commit after a failed attempt is merged",
            object: F.branch(merge: DataBranchMerge(into: "main"), status: F.status { $0.lastMergeAttempt = F.attempt(.qualityGateFailed) }),
            observed: F.lakeFS(head: F.newHead, target: true, ahead: true),
            actions: [.merge(source: "dev", into: "main", requestID: nil)]),
        PlanCase(
            name: "a new merge request id retries a blocked head",
            object: F.branch(
                merge: DataBranchMerge(into: "main", request: MergeRequest(id: "retry-1")),
                status: F.status { $0.lastMergeAttempt = F.attempt(.qualityGateFailed) }),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [.merge(source: "dev", into: "main", requestID: "retry-1")]),
        PlanCase(
            name: "a handled merge request id does not retry a blocked head",
            object: F.branch(
                merge: DataBranchMerge(into: "main", request: MergeRequest(id: "retry-1")),
                status: F.status {
                    $0.lastMergeAttempt = F.attempt(.qualityGateFailed, request: "retry-1")
                    $0.recordHandled(F.handled(MergeRequest.requestType, "retry-1"))
                }),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [], waits: [.mergeBlocked(head: F.head, outcome: .qualityGateFailed)]),
        PlanCase(
            name: "a head merged already is not merged again, though a squash merge leaves it ahead of the target",
            object: F.branch(
                merge: DataBranchMerge(into: "main", squash: true),
                status: F.status {
                    $0.lastMerge = MergeRecord(into: "main", sourceCommit: F.head, commit: F.targetHead, time: F.time)
                    $0.lastMergeAttempt = F.attempt(.merged)
                }),
            observed: F.lakeFS(target: true, ahead: true),
            actions: []),
        PlanCase(
            name: "a merge request merges a head merged already",
            object: F.branch(
                merge: DataBranchMerge(into: "main", squash: true, request: MergeRequest(id: "again")),
                status: F.status {
                    $0.lastMerge = MergeRecord(into: "main", sourceCommit: F.head, commit: F.targetHead, time: F.time)
                    $0.lastMergeAttempt = F.attempt(.merged)
                }),
            observed: F.lakeFS(target: true, ahead: true),
            actions: [.merge(source: "dev", into: "main", requestID: "again")]),
        PlanCase(
            name: "a missing target branch waits and merges nothing",
            object: F.branch(merge: DataBranchMerge(into: "prod")), observed: F.lakeFS(target: false),
            actions: [], waits: [.targetMissing("prod")]),
        PlanCase(
            name: "no merge is planned before the branch exists",
            object: F.branch(merge: DataBranchMerge(into: "main")), observed: F.lakeFS(head: nil),
            actions: [.createBranch(name: "dev", source: "main", drift: false)]),
    ]

    @Test("repository and branch", arguments: repositoryAndBranchCases)
    func repositoryAndBranch(_ row: PlanCase) {
        check(row)
    }

    @Test("branch protection: add, and remove only a rule the operator applied", arguments: protectionCases)
    func protection(_ row: PlanCase) {
        check(row)
    }

    @Test("rollback requests: once per id", arguments: rollbackCases)
    func rollback(_ row: PlanCase) {
        check(row)
    }

    @Test("merges: Auto and OnRequest, blocked heads and retries", arguments: mergeCases)
    func merge(_ row: PlanCase) {
        check(row)
    }

    @Test("deletion: never the default branch nor a protected one; the message says how to go on", arguments: deletionCases)
    func deletion(_ row: DeletionCase) {
        let outcome = DataBranchDecision.deletion(row.object, defaultBranch: row.defaultBranch, protectionPatterns: row.patterns)
        switch (outcome, row.expected) {
        case (.blocked(let message), .blocked(let phrases)):
            for phrase in phrases { #expect(message.contains(phrase), "\(message)") }
        default:
            #expect(outcome == row.expected.outcome)
        }
    }

    static let deletionCases: [DeletionCase] = [
        DeletionCase(name: "an unprotected branch is deleted", object: F.branch(), patterns: [], expected: .delete),
        DeletionCase(
            name: "a rule for other branches does not block", object: F.branch(), patterns: ["main", "release-*"], expected: .delete),
        DeletionCase(
            name: "the repository's default branch is kept; Retain lets the object go",
            object: F.branch(), defaultBranch: "dev", patterns: [],
            expected: .blocked(["default branch", "spec.deletionPolicy to Retain"])),
        DeletionCase(
            name: "protected: true blocks; the message says to set it to false, or Retain",
            object: F.branch(protected: true, status: F.status { $0.protectionApplied = true }), patterns: ["dev"],
            expected: .blocked(["spec.protected is true", "set spec.protected to false", "spec.deletionPolicy to Retain"])),
        DeletionCase(
            name: "protected set to false while deleting: the operator's rule is removed, then the branch deleted",
            object: F.branch(protected: false, status: F.status { $0.protectionApplied = true }), patterns: ["dev"],
            expected: .unprotect),
        DeletionCase(
            name: "protected: true whose rule is gone already does not block",
            object: F.branch(protected: true, status: F.status { $0.protectionApplied = true }), patterns: [], expected: .delete),
        DeletionCase(
            name: "a rule a person added blocks, whatever spec.protected says; the message names it",
            object: F.branch(protected: true), patterns: ["dev"],
            expected: .blocked(["\"dev\"", "did not add", "remove those rules in lakeFS", "spec.deletionPolicy to Retain"])),
        DeletionCase(
            name: "a person's wildcard rule blocks even after the operator's own rule could go",
            object: F.branch(protected: false, status: F.status { $0.protectionApplied = true }), patterns: ["dev", "d*"],
            expected: .blocked(["\"d*\"", "did not add"])),
    ]

    @Test("status.plan names the exact requests Apply sends, branch included")
    func plannedCalls() {
        let calls = [
            DataBranchAction.createBranch(name: "dev", source: "main", drift: false),
            .protect(branch: "dev"),
            .merge(source: "dev", into: "main", requestID: nil),
            .revert(requestID: "r1", commit: "bad1", parentNumber: 1),
            .reset(requestID: "r2", commit: "good1"),
        ].map { $0.planned(repository: "repo", branch: "dev").call }
        #expect(
            calls == [
                "POST /api/v1/repositories/repo/branches",
                "PUT /api/v1/repositories/repo/settings/branch_protection",
                "POST /api/v1/repositories/repo/refs/dev/merge/main",
                "POST /api/v1/repositories/repo/branches/dev/revert",
                "PUT /api/v1/repositories/repo/branches/dev/hard_reset?ref=good1",
            ])
    }

    private func check(_ row: PlanCase) {
        let (actions, waits) = DataBranchDecision.plan(row.object, observed: row.observed)
        #expect(actions == row.actions)
        #expect(waits == row.waits)
    }
}

/// One row of the deletion table.
struct DeletionCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        case delete
        case unprotect
        /// Blocked, with a message containing each phrase.
        case blocked([String])

        var outcome: DataBranchDeletion? {
            switch self {
            case .delete: .deleteBranch
            case .unprotect: .unprotectThenDelete
            case .blocked: nil
            }
        }
    }

    var name: String
    var object: DataBranch
    var defaultBranch = "main"
    var patterns: [String]
    var expected: Expected

    var testDescription: String { name }
}
