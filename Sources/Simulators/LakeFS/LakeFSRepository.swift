import Foundation

/// One repository: its commit DAG, branches, protection rules, scripted hooks and
/// action runs.
///
/// Every mutating operation checks everything it needs before it changes anything,
/// so a thrown error leaves the repository as it was. The one exception is on purpose:
/// a failing pre-merge hook records its action run, as lakeFS does.
///
/// `enforce` marks a request made through the API: it is subject to protection rules,
/// branch locks, read-only repositories and hooks. The Swift test API passes `false`
/// to arrange state directly.
struct RepositoryRecord: Sendable {
    let id: String
    let storageNamespace: String
    let defaultBranch: String
    let creationDate: Int64
    let readOnly: Bool
    var commits: [String: CommitRecord] = [:]
    var branches: [String: BranchRecord] = [:]
    var protectionRules: [String] = []
    var preMergeHooks: [String: PreMergeHookScript] = [:]
    /// Newest first, as lakeFS lists them.
    var runs: [ActionRunRecord] = []
    var lockedBranches: Set<String> = []
    private(set) var sequence = 0

    /// Creates a repository; unless `bare`, with an initial commit on the default branch.
    init(
        id: String, storageNamespace: String, defaultBranch: String, readOnly: Bool, bare: Bool, authorship: Authorship
    ) {
        self.id = id
        self.storageNamespace = storageNamespace
        self.defaultBranch = defaultBranch
        self.creationDate = authorship.epochSeconds
        self.readOnly = readOnly
        if !bare {
            let root = makeCommit(
                parents: [], message: "Repository created", metadata: [:], tree: [:], authorship: authorship)
            branches[defaultBranch] = BranchRecord(commitID: root.id)
        }
    }

    // MARK: Validation

    /// lakeFS's repository id pattern, `^[a-z0-9][a-z0-9-]{2,62}$`.
    static func isValidRepositoryName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (3...63).contains(scalars.count), let first = scalars.first else { return false }
        func lowerAlnum(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
        return lowerAlnum(first) && scalars.dropFirst().allSatisfy { lowerAlnum($0) || $0 == "-" }
    }

    /// lakeFS's storage namespace pattern, `^(s3|gs|https?|mem|local|transient)://.*$`.
    static func isValidStorageNamespace(_ namespace: String) -> Bool {
        ["s3://", "gs://", "http://", "https://", "mem://", "local://", "transient://"].contains {
            namespace.hasPrefix($0)
        }
    }

    /// lakeFS's branch id pattern, `^\w[-\w]*$`.
    static func isValidBranchName(_ name: String) -> Bool {
        func word(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_"
        }
        guard let first = name.unicodeScalars.first, word(first) else { return false }
        return name.unicodeScalars.dropFirst().allSatisfy { word($0) || $0 == "-" }
    }

    // MARK: Commits

    /// Adds a commit to the DAG; its id is the SHA-256 of its content, as in lakeFS.
    @discardableResult
    mutating func makeCommit(
        parents: [String], message: String, metadata: [String: String], tree: Tree, authorship: Authorship,
        date: Int64? = nil
    ) -> CommitRecord {
        sequence += 1
        let generation = (parents.compactMap { commits[$0]?.generation }.max() ?? 0) + 1
        let metaRangeID = Self.metaRangeID(of: tree)
        let creationDate = date ?? authorship.epochSeconds
        var canonical = "repository \(id)\nsequence \(sequence)\nparents \(parents.joined(separator: ","))\n"
        canonical += "committer \(authorship.committer)\ndate \(creationDate)\nmeta_range \(metaRangeID)\n"
        canonical += "generation \(generation)\n"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { canonical += "metadata \(key)=\(value)\n" }
        canonical += "message \(message)"
        let commit = CommitRecord(
            id: SHA256Digest.hex(canonical), parents: parents, committer: authorship.committer, message: message,
            creationDate: creationDate, metaRangeID: metaRangeID, metadata: metadata, generation: generation,
            sequence: sequence, tree: tree)
        commits[commit.id] = commit
        return commit
    }

    /// The content address of a tree, standing in for lakeFS's meta-range id.
    static func metaRangeID(of tree: Tree) -> String {
        var canonical = ""
        for path in tree.keys.sorted() { canonical += "\(path)\u{0}\(tree[path]?.checksum ?? "")\n" }
        return SHA256Digest.hex(canonical)
    }

    // MARK: References

    /// Resolves a ref — a branch, a commit id or a unique prefix of one, optionally
    /// followed by `~N` / `^N` modifiers or `@` — to a commit.
    func resolve(_ ref: String) throws -> CommitRecord {
        var text = ref
        if text.hasSuffix("$") {
            throw LakeFSSimulatorError.badRequest(
                "reference '\(ref)': reference to staging area with $ is not a commit")
        }
        if text.hasSuffix("@") { text.removeLast() }
        let modifierStart = text.firstIndex { $0 == "~" || $0 == "^" } ?? text.endIndex
        var commit = try baseCommit(String(text[..<modifierStart]), ref: ref)
        var rest = text[modifierStart...]
        while let marker = rest.first {
            rest = rest.dropFirst()
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard let count = digits.isEmpty ? 1 : Int(digits) else {
                throw LakeFSSimulatorError.badRequest("ref: invalid value: validation error")
            }
            if marker == "~" {
                for _ in 0..<count { commit = try parent(of: commit, number: 1, ref: ref) }
            } else if count > 0 {
                commit = try parent(of: commit, number: count, ref: ref)
            }
        }
        return commit
    }

    private func baseCommit(_ name: String, ref: String) throws -> CommitRecord {
        if let branch = branches[name], let commit = commits[branch.commitID] { return commit }
        if let commit = commits[name] { return commit }
        let lowered = name.lowercased()
        if lowered.count >= 4, lowered.allSatisfy(\.isHexDigit) {
            let matches = commits.keys.filter { $0.hasPrefix(lowered) }
            if matches.count == 1, let id = matches.first, let commit = commits[id] { return commit }
            if matches.count > 1 { throw LakeFSSimulatorError.notFound("reference is ambiguous: not found") }
        }
        throw LakeFSSimulatorError.notFound("reference '\(ref)': not found")
    }

    private func parent(of commit: CommitRecord, number: Int, ref: String) throws -> CommitRecord {
        guard number >= 1, number <= commit.parents.count, let parent = commits[commit.parents[number - 1]] else {
            throw LakeFSSimulatorError.notFound("reference '\(ref)': not found")
        }
        return parent
    }

    /// The committed tree of a branch with its uncommitted changes applied.
    func workingTree(of branchName: String) throws -> Tree {
        guard let branch = branches[branchName], let head = commits[branch.commitID] else {
            throw LakeFSSimulatorError.branchNotFound
        }
        return Self.applying(branch.staging, to: head.tree)
    }

    // MARK: Branches

    /// Points a new branch at the commit `source` resolves to; returns that commit id.
    mutating func createBranch(_ name: String, from source: String, hidden: Bool = false) throws -> String {
        guard Self.isValidBranchName(name) else {
            throw LakeFSSimulatorError.badRequest("branch name '\(name)': invalid value: validation error")
        }
        guard branches[name] == nil else { throw LakeFSSimulatorError.branchExists }
        let commit: CommitRecord
        do {
            commit = try resolve(source)
        } catch let error as LakeFSSimulatorError where error.status == 404 {
            throw LakeFSSimulatorError.notFound("source reference '\(source)': not found")
        }
        branches[name] = BranchRecord(commitID: commit.id, hidden: hidden)
        return commit.id
    }

    mutating func deleteBranch(_ name: String, enforce: Bool, force: Bool = false) throws {
        guard branches[name] != nil else { throw LakeFSSimulatorError.branchNotFound }
        guard name != defaultBranch else { throw LakeFSSimulatorError.deleteDefaultBranch }
        if enforce {
            try checkWritable(force: force)
            if isProtected(name) { throw LakeFSSimulatorError.writeToProtectedBranch }
            try checkUnlocked(name)
        }
        branches[name] = nil
    }

    /// Records an uncommitted change on a branch.
    mutating func stage(
        _ change: StagedChange, at path: String, on branchName: String, enforce: Bool, force: Bool = false
    )
        throws
    {
        guard branches[branchName] != nil else { throw LakeFSSimulatorError.branchNotFound }
        guard !path.isEmpty else { throw LakeFSSimulatorError.badRequest("path: required value: validation error") }
        if enforce {
            try checkWritable(force: force)
            if isProtected(branchName) { throw LakeFSSimulatorError.writeToProtectedBranch }
        }
        branches[branchName]?.staging[path] = change
    }

    /// Drops uncommitted changes: all of them, one object, or those under a prefix.
    mutating func resetUncommitted(on branchName: String, scope: ResetScope, enforce: Bool, force: Bool = false) throws
    {
        guard let branch = branches[branchName] else { throw LakeFSSimulatorError.branchNotFound }
        if enforce {
            try checkWritable(force: force)
            if isProtected(branchName) { throw LakeFSSimulatorError.writeToProtectedBranch }
        }
        var staging = branch.staging
        switch scope {
        case .all: staging = [:]
        case .object(let path): staging[path] = nil
        case .prefix(let prefix): staging = staging.filter { !$0.key.hasPrefix(prefix) }
        }
        branches[branchName]?.staging = staging
    }

    enum ResetScope: Sendable, Equatable {
        case all
        case object(String)
        case prefix(String)
    }

    /// Commits a branch's uncommitted changes.
    mutating func commit(
        branch branchName: String, message: String, metadata: [String: String], date: Int64? = nil,
        allowEmpty: Bool = false, enforce: Bool, force: Bool = false, authorship: Authorship
    ) throws -> CommitRecord {
        guard let branch = branches[branchName], let head = commits[branch.commitID] else {
            throw LakeFSSimulatorError.branchNotFound
        }
        if enforce {
            try checkWritable(force: force)
            if isProtected(branchName) { throw LakeFSSimulatorError.commitToProtectedBranch }
            try checkUnlocked(branchName)
        }
        guard branch.isDirty || allowEmpty else { throw LakeFSSimulatorError.noChanges }
        let commit = makeCommit(
            parents: [head.id], message: message, metadata: metadata,
            tree: Self.applying(branch.staging, to: head.tree),
            authorship: authorship, date: date)
        branches[branchName] = BranchRecord(commitID: commit.id, hidden: branch.hidden)
        return commit
    }

    // MARK: Guards

    func checkWritable(force: Bool) throws {
        if readOnly, !force { throw LakeFSSimulatorError.readOnlyRepository }
    }

    func checkUnlocked(_ branchName: String) throws {
        if lockedBranches.contains(branchName) { throw LakeFSSimulatorError.branchLocked }
    }
}
