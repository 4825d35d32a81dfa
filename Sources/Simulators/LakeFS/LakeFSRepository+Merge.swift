/// The options of a merge request (lakeFS's `Merge` body).
struct MergeOptions: Sendable {
    var message: String?
    var metadata: [String: String] = [:]
    var strategy: String?
    var force = false
    var allowEmpty = false
    var squash = false
}

extension RepositoryRecord {
    /// Merges the commit `sourceRef` resolves to into a branch, as lakeFS does: the
    /// destination must be clean; a conflict without a strategy is 409; a merge that
    /// changes nothing is 400; then the pre-merge hooks run (412 when one fails);
    /// then a merge commit with parents (destination, source) — only the destination
    /// when squashing — becomes the branch head.
    mutating func merge(
        source sourceRef: String, into destinationName: String, options: MergeOptions, enforce: Bool,
        authorship: Authorship
    ) throws -> CommitRecord {
        guard let destination = branches[destinationName], let destinationHead = commits[destination.commitID] else {
            throw LakeFSSimulatorError.branchNotFound
        }
        if enforce {
            try checkWritable(force: options.force)
            try checkUnlocked(destinationName)
        }
        guard !destination.isDirty else {
            throw LakeFSSimulatorError.badRequest("\(destinationName): uncommitted changes (dirty branch)")
        }
        let source = try resolve(sourceRef)
        guard let base = mergeBase(source.id, destinationHead.id) else {
            throw LakeFSSimulatorError.notFound("no merge base")
        }
        let strategy = try ConflictResolution(parsing: options.strategy)
        let outcome = Self.threeWayMerge(
            base: base.tree, source: source.tree, destination: destinationHead.tree, strategy: strategy)
        guard outcome.conflicts.isEmpty else { throw LakeFSSimulatorError.conflictFound }
        guard outcome.tree != destinationHead.tree || options.allowEmpty || options.force else {
            throw LakeFSSimulatorError.noChanges
        }

        var runID: String?
        if enforce, let script = preMergeHooks[destinationName] ?? preMergeHooks[sourceRef] {
            let run = recordPreMergeRun(
                script, destination: destinationName, sourceRef: sourceRef, authorship: authorship)
            if case .fail(let hookID, let output) = script.verdict {
                throw LakeFSSimulatorError.preconditionFailed(
                    Self.hookAbortMessage(runID: run.runID, action: script.actionName, hookID: hookID, output: output))
            }
            runID = run.runID
        }

        var metadata = options.metadata
        metadata[".lakefs.merge.strategy"] = strategy.metadataValue
        let message =
            options.message.flatMap { $0.isEmpty ? nil : $0 } ?? "Merge '\(sourceRef)' into '\(destinationName)'"
        let commit = makeCommit(
            parents: options.squash ? [destinationHead.id] : [destinationHead.id, source.id], message: message,
            metadata: metadata, tree: outcome.tree, authorship: authorship)
        branches[destinationName]?.commitID = commit.id
        if let runID, let index = runs.firstIndex(where: { $0.runID == runID }) { runs[index].commitID = commit.id }
        return commit
    }

    /// Reverts a commit on a branch by merging the commit's parent into the branch head
    /// with the commit itself as the base — lakeFS's own definition — and committing
    /// the result. `parentNumber` (1-based) picks the parent of a merge commit.
    mutating func revert(
        branch branchName: String, ref: String, parentNumber: Int, message: String?, metadata: [String: String]?,
        allowEmpty: Bool, enforce: Bool, force: Bool = false, authorship: Authorship
    ) throws -> CommitRecord {
        guard let branch = branches[branchName], let head = commits[branch.commitID] else {
            throw LakeFSSimulatorError.branchNotFound
        }
        guard parentNumber >= 0 else {
            throw LakeFSSimulatorError.badRequest("parentNumber: invalid value: validation error")
        }
        let reverted = try resolve(ref)
        if reverted.parents.count > 1, parentNumber == 0 {
            throw LakeFSSimulatorError.conflict("must specify 1-based parent number for reverting merge commit")
        }
        if parentNumber > max(reverted.parents.count, 1) {
            throw LakeFSSimulatorError.badRequest(
                "parent \(parentNumber): given commit does not have the given parent number")
        }
        if enforce {
            try checkWritable(force: force)
            try checkUnlocked(branchName)
        }
        guard !branch.isDirty else {
            throw LakeFSSimulatorError.badRequest("\(branchName): uncommitted changes (dirty branch)")
        }
        let parentTree: Tree =
            reverted.parents.isEmpty ? [:] : commits[reverted.parents[max(parentNumber, 1) - 1]]?.tree ?? [:]
        let outcome = Self.threeWayMerge(
            base: reverted.tree, source: parentTree, destination: head.tree, strategy: .none)
        guard outcome.conflicts.isEmpty else { throw LakeFSSimulatorError.conflictFound }
        guard outcome.tree != head.tree || allowEmpty else { throw LakeFSSimulatorError.noChanges }
        let commit = makeCommit(
            parents: [head.id], message: message.flatMap { $0.isEmpty ? nil : $0 } ?? "Revert \(ref)",
            metadata: metadata ?? [:], tree: outcome.tree, authorship: authorship)
        branches[branchName]?.commitID = commit.id
        return commit
    }

    /// Moves a branch to the commit `ref` resolves to; the branch must be clean.
    mutating func hardReset(branch branchName: String, to ref: String, enforce: Bool, force: Bool = false) throws {
        guard let branch = branches[branchName] else { throw LakeFSSimulatorError.branchNotFound }
        if enforce {
            try checkWritable(force: force)
            if isProtected(branchName) { throw LakeFSSimulatorError.writeToProtectedBranch }
            try checkUnlocked(branchName)
        }
        let target = try resolve(ref)
        guard !branch.isDirty else {
            throw LakeFSSimulatorError.badRequest("\(branchName): uncommitted changes (dirty branch)")
        }
        branches[branchName]?.commitID = target.id
    }
}
