import Foundation

/// What the operator needs from lakeFS (REST API v1).
///
/// Guarantees: every method throws ``LakeFSError`` for anything lakeFS
/// refuses or cannot be reached for (and `CancellationError` when the task is
/// cancelled); every list is read to its end across pages, up to a cap the
/// implementation documents.
///
/// Reconcilers receive this protocol, so tests can use a simulator over HTTP
/// or a fake that records the calls it got.
public protocol LakeFSClient: Sendable {
    /// Whether lakeFS answers (`GET /healthcheck`, no authentication).
    func healthCheck() async throws

    // MARK: Repositories

    func getRepository(_ repository: String) async throws -> LakeFSRepository
    /// Throws ``LakeFSError/Kind/alreadyExists`` when a repository of that name exists.
    func createRepository(_ creation: LakeFSRepositoryCreation) async throws -> LakeFSRepository

    // MARK: Branches

    func getBranch(repository: String, branch: String) async throws -> LakeFSBranch
    /// Creates `name` pointing at `source` (a branch, tag or commit id); zero-copy.
    /// - Returns: the new branch and the commit it points at.
    func createBranch(repository: String, name: String, source: String) async throws -> LakeFSBranch
    /// lakeFS refuses (403) to delete the default branch or a protected one.
    func deleteBranch(repository: String, branch: String) async throws
    /// - Parameter prefix: only branches whose name starts with it; nil for all.
    func listBranches(repository: String, prefix: String?) async throws -> [LakeFSBranch]

    // MARK: Commits

    func getCommit(repository: String, commitID: String) async throws -> LakeFSCommit
    /// The log of `ref`, newest first.
    func logCommits(repository: String, ref: String, options: LakeFSLogOptions) async throws -> [LakeFSCommit]

    // MARK: Comparing and merging

    /// What differs between `left` and `right`. In ``LakeFSDiffMode/threeDot`` mode, from
    /// their merge base: what merging `right` into `left` brings, with entries changed on both
    /// sides as ``LakeFSDiffType/conflict``.
    func diffRefs(
        repository: String, left: String, right: String, options: LakeFSDiffOptions
    ) async throws
        -> [LakeFSDiff]
    func findMergeBase(repository: String, source: String, destination: String) async throws -> LakeFSMergeBase
    /// Merges `source` (any ref) into the branch `destination`.
    ///
    /// Throws ``LakeFSError/Kind/mergeConflict`` (with ``LakeFSError/conflicts`` when they can
    /// be listed), ``LakeFSError/Kind/hookFailed`` when a pre-merge hook (a quality gate) fails
    /// (with ``LakeFSError/hookFailure``), ``LakeFSError/Kind/nothingToMerge`` when there is no
    /// change and `allowEmpty` is false, ``LakeFSError/Kind/protectedBranch`` / ``LakeFSError/Kind/forbidden``.
    /// - Returns: the commit id the destination now points at.
    func merge(
        repository: String, source: String, destination: String, options: LakeFSMergeOptions
    ) async throws
        -> String

    // MARK: Actions (hooks)

    /// Action runs, newest first; filtered by branch and/or commit when given.
    func listActionRuns(repository: String, branch: String?, commit: String?) async throws -> [LakeFSActionRun]
    func getActionRun(repository: String, runID: String) async throws -> LakeFSActionRun
    func listRunHooks(repository: String, runID: String) async throws -> [LakeFSHookRun]
    /// The log a hook wrote, as text.
    func getHookOutput(repository: String, runID: String, hookRunID: String) async throws -> String

    // MARK: Rollback

    /// Adds a commit on `branch` that undoes `commit`.
    /// - Parameter parentNumber: for a merge commit, the 1-based parent to revert relative to
    ///   (1 undoes a merge into this branch); 0 for an ordinary commit.
    func revert(
        repository: String, branch: String, commit: String, parentNumber: Int, options: LakeFSRevertOptions
    ) async throws
    /// Moves `branch` to point at `ref`, dropping the commits after it from the branch.
    /// Throws ``LakeFSError/Kind/dirtyBranch`` when the branch has uncommitted changes.
    func hardReset(repository: String, branch: String, to ref: String) async throws

    // MARK: Branch protection

    func getBranchProtection(repository: String) async throws -> LakeFSBranchProtection
    /// Replaces the whole rule list. With `etag` (from ``getBranchProtection(repository:)``),
    /// throws ``LakeFSError/Kind/etagMismatch`` if the rules changed in between.
    func setBranchProtection(repository: String, patterns: [String], ifMatch etag: String?) async throws
}

extension LakeFSClient {
    /// All branches of the repository.
    public func listBranches(repository: String) async throws -> [LakeFSBranch] {
        try await listBranches(repository: repository, prefix: nil)
    }

    /// The whole log of `ref` (up to the client's list cap).
    public func logCommits(repository: String, ref: String) async throws -> [LakeFSCommit] {
        try await logCommits(repository: repository, ref: ref, options: LakeFSLogOptions())
    }

    /// A three-dot diff of the refs.
    public func diffRefs(repository: String, left: String, right: String) async throws -> [LakeFSDiff] {
        try await diffRefs(repository: repository, left: left, right: right, options: LakeFSDiffOptions())
    }

    /// Merges with the default options: a merge commit, failing on conflicts.
    public func merge(repository: String, source: String, destination: String) async throws -> String {
        try await merge(repository: repository, source: source, destination: destination, options: LakeFSMergeOptions())
    }

    /// Reverts `commit` on `branch` with the default options.
    public func revert(repository: String, branch: String, commit: String, parentNumber: Int) async throws {
        try await revert(
            repository: repository, branch: branch, commit: commit, parentNumber: parentNumber,
            options: LakeFSRevertOptions())
    }

    /// Whether `source` has commits that `destination` lacks — the "open data PR"
    /// question. Exact where a log walk with `stop_at` is not: it holds even when
    /// the destination moved on since the source branched off.
    public func hasCommitsNotIn(repository: String, source: String, destination: String) async throws -> Bool {
        try await findMergeBase(repository: repository, source: source, destination: destination).sourceIsAhead
    }

    /// Adds `pattern` to the protection rules unless present, with an ETag so a concurrent
    /// writer's change is not lost (re-reads and retries a few times on a mismatch).
    /// - Returns: whether the rules changed.
    @discardableResult
    public func addBranchProtection(repository: String, pattern: String) async throws -> Bool {
        try await updateBranchProtection(repository: repository) { patterns in
            guard !patterns.contains(pattern) else { return false }
            patterns.append(pattern)
            return true
        }
    }

    /// Removes `pattern` from the protection rules if present (ETag-guarded like
    /// ``addBranchProtection(repository:pattern:)``).
    /// - Returns: whether the rules changed.
    @discardableResult
    public func removeBranchProtection(repository: String, pattern: String) async throws -> Bool {
        try await updateBranchProtection(repository: repository) { patterns in
            let before = patterns.count
            patterns.removeAll { $0 == pattern }
            return patterns.count != before
        }
    }

    /// The failed hooks of an action run with the start of what each wrote —
    /// why a quality gate said no.
    /// - Parameter maxOutputBytes: output kept per hook.
    public func failedHookReports(
        repository: String, runID: String, maxOutputBytes: Int = 4096
    ) async throws
        -> [LakeFSHookReport]
    {
        var reports: [LakeFSHookReport] = []
        for hook in try await listRunHooks(repository: repository, runID: runID) where hook.status == .failed {
            let output = try await getHookOutput(repository: repository, runID: runID, hookRunID: hook.hookRunID)
            reports.append(
                LakeFSHookReport(
                    hook: hook, output: String(decoding: output.utf8.prefix(maxOutputBytes), as: UTF8.self)))
        }
        return reports
    }

    private func updateBranchProtection(
        repository: String, attempts: Int = 3, _ change: (inout [String]) -> Bool
    ) async throws -> Bool {
        var attempt = 1
        while true {
            let current = try await getBranchProtection(repository: repository)
            var patterns = current.patterns
            guard change(&patterns) else { return false }
            do {
                try await setBranchProtection(repository: repository, patterns: patterns, ifMatch: current.etag)
                return true
            } catch let error as LakeFSError where error.kind == .etagMismatch && attempt < attempts {
                attempt += 1
            }
        }
    }
}

/// A hook of an action run with what it wrote.
public struct LakeFSHookReport: Sendable, Hashable {
    public var hook: LakeFSHookRun
    public var output: String

    public init(hook: LakeFSHookRun, output: String) {
        self.hook = hook
        self.output = output
    }

    /// The first `count` non-empty lines of the output, for a condition message.
    public func firstLines(_ count: Int = 5) -> [String] {
        Array(
            output.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
                .prefix(count))
    }
}
