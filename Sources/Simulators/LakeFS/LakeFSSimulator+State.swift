import Foundation

/// What a scripted pre-merge hook decides.
public enum PreMergeHookVerdict: Sendable, Hashable {
    /// The hook passes; the merge goes ahead and a completed run is recorded.
    case pass
    /// The hook fails: the merge answers 412 with lakeFS's
    /// `pre-merge hook aborted, run id '<id>': …` message, and a failed run with
    /// this hook id and output is recorded.
    case fail(hookID: String, output: String)

    /// The hook id recorded for a passing verdict.
    public static let passingHookID = "pre_merge_check"
}

extension LakeFSSimulator {
    /// A commit as tests see it.
    public struct Commit: Sendable, Hashable {
        /// 64 hex digits, content-addressed as in lakeFS.
        public var id: String
        public var parents: [String]
        public var committer: String
        public var message: String
        public var metadata: [String: String]
        public var creationDate: Date
        /// 1 for the repository's first commit; one more than the highest parent otherwise.
        public var generation: Int
    }

    /// An action run as tests see it.
    public struct ActionRun: Sendable, Hashable {
        public var runID: String
        /// The branch the event happened on (for pre-merge: the destination).
        public var branch: String
        /// The resulting commit; empty when the run aborted the operation.
        public var commitID: String
        /// e.g. `pre-merge`.
        public var eventType: String
        /// The merge source as the request named it.
        public var sourceRef: String
        public var passed: Bool
        public var hooks: [HookRun]
    }

    /// One hook of an action run.
    public struct HookRun: Sendable, Hashable {
        public var hookRunID: String
        public var action: String
        public var hookID: String
        public var passed: Bool
        public var output: String
    }

    /// How a merge made through the Swift API settles conflicts.
    public enum MergeStrategy: Sendable, Hashable {
        /// A conflict fails the merge (409).
        case failOnConflict
        /// lakeFS's `dest-wins`.
        case destinationWins
        /// lakeFS's `source-wins`.
        case sourceWins

        var wireValue: String? {
            switch self {
            case .failOnConflict: nil
            case .destinationWins: "dest-wins"
            case .sourceWins: "source-wins"
            }
        }
    }

    // MARK: Repositories

    /// Creates a repository; unless `bare`, with an initial commit on `defaultBranch`.
    /// The storage namespace defaults to `mem://<name>`.
    public func createRepository(
        _ name: String, storageNamespace: String? = nil, defaultBranch: String = "main", readOnly: Bool = false,
        bare: Bool = false
    ) throws {
        let authorship = store.authorship()
        _ = try store.write { state in
            try state.createRepository(
                name, storageNamespace: storageNamespace ?? "mem://\(name)", defaultBranch: defaultBranch,
                readOnly: readOnly, bare: bare, authorship: authorship)
        }
    }

    /// Deletes a repository.
    public func deleteRepository(_ name: String) throws {
        try store.write { try $0.deleteRepository(name) }
    }

    /// Names of all repositories, sorted.
    public func repositories() -> [String] {
        (try? store.read { $0.repositories.keys.sorted() }) ?? []
    }

    /// The default branch of a repository, if it exists.
    public func defaultBranch(repository: String) -> String? {
        try? store.read(repository: repository) { $0.defaultBranch }
    }

    // MARK: Branches

    /// Creates a branch at the commit `source` (any ref) resolves to; returns that commit id.
    @discardableResult
    public func createBranch(repository: String, name: String, from source: String) throws -> String {
        try store.write(repository: repository) { try $0.createBranch(name, from: source) }
    }

    /// Deletes a branch (never the default branch), ignoring protection rules.
    public func deleteBranch(repository: String, name: String) throws {
        try store.write(repository: repository) { try $0.deleteBranch(name, enforce: false) }
    }

    /// The commit a branch points to, or `nil` if the repository or branch is missing.
    public func branchHead(repository: String, branch: String) -> String? {
        try? store.read(repository: repository) { $0.branches[branch]?.commitID }
    }

    /// Every branch of a repository with its head commit.
    public func branches(repository: String) -> [String: String] {
        (try? store.read(repository: repository) { $0.branches.mapValues(\.commitID) }) ?? [:]
    }

    /// Moves a branch to the commit `ref` resolves to, as an out-of-band change would.
    public func moveBranch(repository: String, branch: String, to ref: String) throws {
        try store.write(repository: repository) { try $0.hardReset(branch: branch, to: ref, enforce: false) }
    }

    // MARK: Objects and commits

    /// Stages an object on a branch (an uncommitted change).
    public func write(repository: String, branch: String, path: String, content: String) throws {
        let entry = ObjectEntry(content: Array(content.utf8), mtime: store.authorship().epochSeconds)
        try store.write(repository: repository) { try $0.stage(.put(entry), at: path, on: branch, enforce: false) }
    }

    /// Stages the deletion of an object on a branch.
    public func delete(repository: String, branch: String, path: String) throws {
        try store.write(repository: repository) { try $0.stage(.delete, at: path, on: branch, enforce: false) }
    }

    /// An object's content at a ref; on a branch, uncommitted changes are visible.
    public func read(repository: String, ref: String, path: String) -> String? {
        let entry = try? store.read(repository: repository) { repository -> ObjectEntry? in
            let tree =
                repository.branches[ref] != nil ? try repository.workingTree(of: ref) : try repository.resolve(ref).tree
            return tree[path]
        }
        return entry.map { String(decoding: $0.content, as: UTF8.self) }
    }

    /// Paths with uncommitted changes on a branch, sorted.
    public func uncommittedPaths(repository: String, branch: String) -> [String] {
        (try? store.read(repository: repository) { $0.branches[branch]?.staging.keys.sorted() ?? [] }) ?? []
    }

    /// Commits a branch's uncommitted changes; returns the new commit id.
    @discardableResult
    public func commit(
        repository: String, branch: String, message: String, metadata: [String: String] = [:],
        allowEmpty: Bool = false
    ) throws -> String {
        let authorship = store.authorship()
        return try store.write(repository: repository) { repository in
            try repository.commit(
                branch: branch, message: message, metadata: metadata, allowEmpty: allowEmpty, enforce: false,
                authorship: authorship
            ).id
        }
    }

    /// The commit a ref resolves to.
    public func findCommit(repository: String, ref: String) -> Commit? {
        try? store.read(repository: repository) { Self.commit(try $0.resolve(ref)) }
    }

    /// The commit log from a ref, newest first.
    public func log(repository: String, ref: String, firstParent: Bool = false) -> [Commit] {
        (try? store.read(repository: repository) { repository in
            repository.log(from: try repository.resolve(ref), firstParent: firstParent).map(Self.commit)
        }) ?? []
    }

    /// Merges `source` (any ref) into a branch without hooks or protection; returns the merge commit id.
    @discardableResult
    public func merge(
        repository: String, source: String, into destination: String, strategy: MergeStrategy = .failOnConflict,
        squash: Bool = false, message: String? = nil
    ) throws -> String {
        let authorship = store.authorship()
        let options = MergeOptions(message: message, strategy: strategy.wireValue, squash: squash)
        return try store.write(repository: repository) { repository in
            try repository.merge(
                source: source, into: destination, options: options, enforce: false, authorship: authorship
            ).id
        }
    }

    // MARK: Protection, hooks, locks

    /// Replaces a repository's branch protection rules (fnmatch patterns).
    public func setProtectionRules(repository: String, patterns: [String]) throws {
        try store.write(repository: repository) { try $0.setProtectionRules(patterns, ifMatch: nil) }
    }

    /// A repository's branch protection patterns.
    public func protectionRules(repository: String) -> [String] {
        (try? store.read(repository: repository) { $0.protectionRules }) ?? []
    }

    /// Scripts the pre-merge hook for merges into `branch` — or, when no script names
    /// the destination, merges from a source ref named `branch`.
    public func setPreMergeHook(
        repository: String, branch: String, actionName: String = "quality gate", verdict: PreMergeHookVerdict
    ) throws {
        try store.write(repository: repository) {
            $0.preMergeHooks[branch] = PreMergeHookScript(actionName: actionName, verdict: verdict)
        }
    }

    /// Removes the scripted pre-merge hook of a branch.
    public func removePreMergeHook(repository: String, branch: String) throws {
        try store.write(repository: repository) { $0.preMergeHooks[branch] = nil }
    }

    /// A repository's action runs, newest first.
    public func actionRuns(repository: String) -> [ActionRun] {
        (try? store.read(repository: repository) { $0.runs.map(Self.actionRun) }) ?? []
    }

    /// Makes operations that take the branch's lock (commit, merge into it, revert,
    /// hard reset, delete) answer 500 "branch is currently locked, try again later"
    /// until ``unlockBranch(repository:branch:)``.
    public func lockBranch(repository: String, branch: String) throws {
        try store.write(repository: repository) { _ = $0.lockedBranches.insert(branch) }
    }

    /// Releases a lock set by ``lockBranch(repository:branch:)``.
    public func unlockBranch(repository: String, branch: String) throws {
        try store.write(repository: repository) { _ = $0.lockedBranches.remove(branch) }
    }

    // MARK: Conversion

    private static func commit(_ record: CommitRecord) -> Commit {
        Commit(
            id: record.id, parents: record.parents, committer: record.committer, message: record.message,
            metadata: record.metadata, creationDate: Date(timeIntervalSince1970: TimeInterval(record.creationDate)),
            generation: record.generation)
    }

    private static func actionRun(_ record: ActionRunRecord) -> ActionRun {
        ActionRun(
            runID: record.runID, branch: record.branch, commitID: record.commitID, eventType: record.eventType,
            sourceRef: record.sourceRef, passed: record.passed,
            hooks: record.hooks.map {
                HookRun(
                    hookRunID: $0.hookRunID, action: $0.action, hookID: $0.hookID, passed: $0.passed, output: $0.output)
            })
    }
}
