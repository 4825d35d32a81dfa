/// A difference between two trees, as lakeFS's diff endpoints report it.
struct TreeDifference: Sendable, Equatable {
    enum Kind: String, Sendable {
        case added, removed, changed, conflict
    }

    let path: String
    let kind: Kind
    let sizeBytes: Int?
}

/// How a merge settles a path changed on both sides.
enum ConflictResolution: Sendable, Equatable {
    /// Fail with a conflict.
    case none
    case destinationWins
    case sourceWins

    /// Parses the `strategy` of a merge request; absent or empty means ``none``.
    init(parsing text: String?) throws {
        switch text ?? "" {
        case "": self = .none
        case "dest-wins": self = .destinationWins
        case "source-wins": self = .sourceWins
        default: throw LakeFSSimulatorError.badRequest("invalid strategy: invalid value: validation error")
        }
    }

    /// The value lakeFS records under `.lakefs.merge.strategy` in the merge commit's metadata.
    var metadataValue: String {
        switch self {
        case .none: "default"
        case .destinationWins: "dest-wins"
        case .sourceWins: "source-wins"
        }
    }
}

extension RepositoryRecord {
    // MARK: Trees

    static func applying(_ staging: [String: StagedChange], to tree: Tree) -> Tree {
        var result = tree
        for (path, change) in staging {
            switch change {
            case .put(let entry): result[path] = entry
            case .delete: result[path] = nil
            }
        }
        return result
    }

    /// What changes from `left` to `right` (lakeFS's two-dot diff), sorted by path.
    static func difference(from left: Tree, to right: Tree) -> [TreeDifference] {
        Set(left.keys).union(right.keys).sorted().compactMap { path in
            switch (left[path], right[path]) {
            case (nil, let added?): TreeDifference(path: path, kind: .added, sizeBytes: added.size)
            case (let removed?, nil): TreeDifference(path: path, kind: .removed, sizeBytes: removed.size)
            case (let before?, let after?) where before != after:
                TreeDifference(path: path, kind: .changed, sizeBytes: after.size)
            default: nil
            }
        }
    }

    /// What merging `source` into `destination` over `base` would change in the
    /// destination (lakeFS's three-dot diff); paths changed differently on both sides
    /// are reported as conflicts.
    static func comparison(base: Tree, source: Tree, destination: Tree) -> [TreeDifference] {
        Set(base.keys).union(source.keys).union(destination.keys).sorted().compactMap { path in
            let (b, s, d) = (base[path], source[path], destination[path])
            guard s != b, s != d else { return nil }
            guard d == b else { return TreeDifference(path: path, kind: .conflict, sizeBytes: nil) }
            switch (d, s) {
            case (nil, let added?): return TreeDifference(path: path, kind: .added, sizeBytes: added.size)
            case (let removed?, nil): return TreeDifference(path: path, kind: .removed, sizeBytes: removed.size)
            case (_, let changed?): return TreeDifference(path: path, kind: .changed, sizeBytes: changed.size)
            default: return nil
            }
        }
    }

    /// A three-way merge of trees: a path takes the side that changed it since `base`;
    /// a path changed differently on both sides is settled by `strategy` or reported.
    static func threeWayMerge(
        base: Tree, source: Tree, destination: Tree, strategy: ConflictResolution
    )
        -> (tree: Tree, conflicts: [String])
    {
        var merged = destination
        var conflicts: [String] = []
        for path in Set(base.keys).union(source.keys).union(destination.keys).sorted() {
            let (b, s, d) = (base[path], source[path], destination[path])
            if s == d || s == b { continue }
            if d == b {
                merged[path] = s
                continue
            }
            switch strategy {
            case .none: conflicts.append(path)
            case .destinationWins: continue
            case .sourceWins: merged[path] = s
            }
        }
        return (merged, conflicts)
    }

    // MARK: The DAG

    /// Ids of every commit reachable from `start`, itself included.
    func ancestry(of start: String, firstParentOnly: Bool = false) -> Set<String> {
        var seen: Set<String> = []
        var pending = [start]
        while let id = pending.popLast() {
            guard !seen.contains(id), let commit = commits[id] else { continue }
            seen.insert(id)
            pending.append(contentsOf: firstParentOnly ? Array(commit.parents.prefix(1)) : commit.parents)
        }
        return seen
    }

    /// The commit log from `start`: reachable commits, newest generation first, as
    /// lakeFS orders them; with `firstParent`, only the first-parent chain.
    func log(from start: CommitRecord, firstParent: Bool) -> [CommitRecord] {
        ancestry(of: start.id, firstParentOnly: firstParent)
            .compactMap { commits[$0] }
            .sorted { ($0.generation, $0.sequence) > ($1.generation, $1.sequence) }
    }

    /// The best common ancestor of two commits: the shared ancestor of the highest
    /// generation (the latest one).
    func mergeBase(_ first: String, _ second: String) -> CommitRecord? {
        ancestry(of: first).intersection(ancestry(of: second))
            .compactMap { commits[$0] }
            .max { ($0.generation, $0.sequence) < ($1.generation, $1.sequence) }
    }
}
