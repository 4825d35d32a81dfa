import Foundation

extension LakeFSAPI {
    // MARK: Commits

    func commit(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let creation = try body(LakeFSWire.CommitCreation.self, of: request)
        let authorship = store.authorship()
        let commit = try store.write(repository: route["repository"]) { repository in
            try repository.commit(
                branch: route["branch"], message: creation.message, metadata: creation.metadata ?? [:],
                date: creation.date, allowEmpty: creation.allowEmpty ?? false, enforce: true,
                force: creation.force ?? false, authorship: authorship)
        }
        return .json(Self.wire(commit), status: 201)
    }

    func getCommit(_ route: RouteMatch) throws -> SimulatorResponse {
        let ref = route["commitId"]
        let commit = try store.read(repository: route["repository"]) { repository in
            do {
                return try repository.resolve(ref)
            } catch let error as LakeFSSimulatorError where error.status == 404 {
                throw LakeFSSimulatorError.notFound("commit not found")
            }
        }
        return .json(Self.wire(commit))
    }

    /// The commit log with lakeFS's filters: `after` (a commit id to resume after),
    /// `amount`, `limit`, `first_parent`, `since`, `stop_at` (inclusive), and
    /// `objects` / `prefixes` (non-merge commits touching those paths).
    func logCommits(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let page = try PageRequest(request)
        let firstParent = try flag("first_parent", in: request)
        let limit = try flag("limit", in: request)
        let objects = request.query.all("objects").filter { !$0.isEmpty }
        let prefixes = request.query.all("prefixes").filter { !$0.isEmpty }
        var since: Int64?
        if let text = request.query["since"], !text.isEmpty {
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw LakeFSSimulatorError.badRequest(
                    "parameter \"since\" in query has an error: string doesn't match the format \"date-time\"")
            }
            since = Int64(date.timeIntervalSince1970.rounded(.down))
        }
        let stopAtRef = request.query["stop_at"].flatMap { $0.isEmpty ? nil : $0 }

        let selected = try store.read(repository: route["repository"]) { repository -> [CommitRecord] in
            let start = try repository.resolve(route["ref"])
            let stopAt = try stopAtRef.map { try repository.resolve($0).id }
            var commits = repository.log(from: start, firstParent: firstParent)[...]
            if !page.after.isEmpty {
                guard let index = commits.firstIndex(where: { $0.id == page.after }) else { return [] }
                commits = commits[(index + 1)...]
            }
            var selected: [CommitRecord] = []
            for commit in commits {
                if let since, commit.creationDate < since { break }
                if Self.touches(commit, objects: objects, prefixes: prefixes, in: repository) {
                    selected.append(commit)
                }
                if commit.id == stopAt { break }
                if selected.count > page.amount || (limit && selected.count >= page.amount) { break }
            }
            return selected
        }
        return .json(list(selected, key: \.id, amount: page.amount, wire: Self.wire))
    }

    private static func touches(
        _ commit: CommitRecord, objects: [String], prefixes: [String], in repository: RepositoryRecord
    ) -> Bool {
        if objects.isEmpty, prefixes.isEmpty { return true }
        // lakeFS filters by path on single-parent commits only.
        guard commit.parents.count == 1, let parent = repository.commits[commit.parents[0]] else { return false }
        let changed = RepositoryRecord.difference(from: parent.tree, to: commit.tree).map(\.path)
        return changed.contains { path in objects.contains(path) || prefixes.contains { path.hasPrefix($0) } }
    }

    // MARK: Merge

    func mergeIntoBranch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let merge = try optionalBody(LakeFSWire.Merge.self, of: request)
        let options = MergeOptions(
            message: merge?.message, metadata: merge?.metadata ?? [:], strategy: merge?.strategy,
            force: merge?.force ?? false, allowEmpty: merge?.allowEmpty ?? false, squash: merge?.squashMerge ?? false)
        let authorship = store.authorship()
        do {
            let commit = try store.write(repository: route["repository"]) { repository in
                try repository.merge(
                    source: route["sourceRef"], into: route["destinationBranch"], options: options, enforce: true,
                    authorship: authorship)
            }
            return .json(LakeFSWire.MergeResult(reference: commit.id, message: nil))
        } catch let error as LakeFSSimulatorError where error.status == 409 {
            return .json(LakeFSWire.MergeResult(reference: "", message: error.message), status: 409)
        }
    }

    func findMergeBase(_ route: RouteMatch) throws -> SimulatorResponse {
        let result = try store.read(repository: route["repository"]) { repository in
            let source = try repository.resolve(route["sourceRef"])
            let destination = try repository.resolve(route["destinationBranch"])
            guard let base = repository.mergeBase(source.id, destination.id) else {
                throw LakeFSSimulatorError.notFound("no merge base")
            }
            return LakeFSWire.FindMergeBaseResult(
                sourceCommitID: source.id, destinationCommitID: destination.id, baseCommitID: base.id)
        }
        return .json(result)
    }

    // MARK: Revert

    func revertBranch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let revert = try body(LakeFSWire.RevertCreation.self, of: request)
        let authorship = store.authorship()
        try store.write(repository: route["repository"]) { repository in
            _ = try repository.revert(
                branch: route["branch"], ref: revert.ref, parentNumber: revert.parentNumber,
                message: revert.commitOverrides?.message, metadata: revert.commitOverrides?.metadata,
                allowEmpty: revert.allowEmpty ?? false, enforce: true, force: revert.force ?? false,
                authorship: authorship)
        }
        return .empty(status: 204)
    }

    // MARK: Diff

    /// Diff of two refs: `three_dot` (default) is what merging right into left would
    /// change, with conflicts; `two_dot` is the plain difference.
    func diffRefs(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let kind = request.query["type"].flatMap { $0.isEmpty ? nil : $0 } ?? "three_dot"
        guard kind == "three_dot" || kind == "two_dot" else {
            throw LakeFSSimulatorError.badRequest(
                "parameter \"type\" in query has an error: value is not one of the allowed values [\"two_dot\",\"three_dot\"]"
            )
        }
        let differences = try store.read(repository: route["repository"]) { repository -> [TreeDifference] in
            let left = try repository.resolve(route["leftRef"])
            let right = try repository.resolve(route["rightRef"])
            if kind == "two_dot" { return RepositoryRecord.difference(from: left.tree, to: right.tree) }
            guard let base = repository.mergeBase(right.id, left.id) else {
                throw LakeFSSimulatorError.notFound("no merge base")
            }
            return RepositoryRecord.comparison(base: base.tree, source: right.tree, destination: left.tree)
        }
        return try diffList(differences, request)
    }

    /// Uncommitted changes of a branch.
    func diffBranch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let differences = try store.read(repository: route["repository"]) { repository -> [TreeDifference] in
            guard let branch = repository.branches[route["branch"]], let head = repository.commits[branch.commitID]
            else { throw LakeFSSimulatorError.branchNotFound }
            return RepositoryRecord.difference(
                from: head.tree, to: RepositoryRecord.applying(branch.staging, to: head.tree))
        }
        return try diffList(differences, request)
    }

    /// A page of differences, with `prefix` and, given a `delimiter`, changes below
    /// it folded into one `prefix_changed` entry per common prefix.
    private func diffList(_ differences: [TreeDifference], _ request: SimulatorRequest) throws -> SimulatorResponse {
        let page = try PageRequest(request)
        let delimiter = request.query["delimiter"] ?? ""
        var entries: [LakeFSWire.Diff] = []
        var seenPrefixes: Set<String> = []
        for difference in differences where difference.path.hasPrefix(page.prefix) {
            let rest = difference.path.dropFirst(page.prefix.count)
            if !delimiter.isEmpty, let range = rest.range(of: delimiter) {
                let commonPrefix = page.prefix + rest[..<range.upperBound]
                if seenPrefixes.insert(commonPrefix).inserted {
                    entries.append(
                        LakeFSWire.Diff(
                            type: "prefix_changed", path: commonPrefix, pathType: "common_prefix", sizeBytes: nil))
                }
                continue
            }
            entries.append(
                LakeFSWire.Diff(
                    type: difference.kind.rawValue, path: difference.path, pathType: "object",
                    sizeBytes: difference.sizeBytes.map(Int64.init)))
        }
        let remaining = entries.filter { page.after.isEmpty || $0.path > page.after }
        return .json(list(remaining, key: \.path, amount: page.amount, wire: { $0 }))
    }
}
