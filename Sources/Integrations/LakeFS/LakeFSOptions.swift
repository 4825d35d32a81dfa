import Foundation

/// How a merge resolves entries changed on both sides (`Merge.strategy`).
public enum LakeFSMergeStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Keep the destination's version of conflicting entries.
    case destinationWins = "dest-wins"
    /// Take the source's version of conflicting entries.
    case sourceWins = "source-wins"
}

/// Options of a merge (`Merge`). Defaults make an ordinary merge commit that
/// fails on conflicts and on an empty merge.
public struct LakeFSMergeOptions: Sendable, Hashable {
    public var message: String?
    public var metadata: [String: String]
    /// nil: a conflict fails the merge (409).
    public var strategy: LakeFSMergeStrategy?
    /// Make the merge commit's only parent the destination's head.
    public var squash: Bool
    /// Merge even when source and destination have the same content.
    public var allowEmpty: Bool
    /// Allow merging into a read-only repository's branch.
    public var force: Bool

    public init(
        message: String? = nil, metadata: [String: String] = [:], strategy: LakeFSMergeStrategy? = nil,
        squash: Bool = false, allowEmpty: Bool = false, force: Bool = false
    ) {
        self.message = message
        self.metadata = metadata
        self.strategy = strategy
        self.squash = squash
        self.allowEmpty = allowEmpty
        self.force = force
    }
}

/// Options of a revert (`RevertCreation`).
public struct LakeFSRevertOptions: Sendable, Hashable {
    /// Replaces the revert commit's message (`commit_overrides.message`).
    public var message: String?
    /// Replaces the revert commit's metadata (`commit_overrides.metadata`).
    public var metadata: [String: String]?
    public var allowEmpty: Bool
    public var force: Bool

    public init(
        message: String? = nil, metadata: [String: String]? = nil, allowEmpty: Bool = false, force: Bool = false
    ) {
        self.message = message
        self.metadata = metadata
        self.allowEmpty = allowEmpty
        self.force = force
    }
}

/// What to create (`RepositoryCreation`).
public struct LakeFSRepositoryCreation: Sendable, Hashable {
    /// Must match `^[a-z0-9][a-z0-9-]{2,62}$`.
    public var name: String
    /// Where the data lives, e.g. `s3://bucket/prefix`.
    public var storageNamespace: String
    /// nil: the server's default (`main`).
    public var defaultBranch: String?
    public var sampleData: Bool
    public var readOnly: Bool
    /// A repository with no initial commit and no branch (`?bare=true`).
    public var bare: Bool

    public init(
        name: String, storageNamespace: String, defaultBranch: String? = nil, sampleData: Bool = false,
        readOnly: Bool = false, bare: Bool = false
    ) {
        self.name = name
        self.storageNamespace = storageNamespace
        self.defaultBranch = defaultBranch
        self.sampleData = sampleData
        self.readOnly = readOnly
        self.bare = bare
    }
}

/// Which commits of a ref's log to read (`logCommits`).
public struct LakeFSLogOptions: Sendable, Hashable {
    /// Stop at this ref's commit, which is included in the result when reached
    /// (lakectl: "a Ref to stop at (included in results)").
    public var stopAt: String?
    /// Only commits more recent than this.
    public var since: Date?
    /// Follow only first parents at merge commits.
    public var firstParent: Bool
    /// At most this many commits. Up to one page (1000) is asked for with
    /// `limit=true`, so lakeFS stops walking the log early; more are paged.
    public var maxCommits: Int?

    public init(stopAt: String? = nil, since: Date? = nil, firstParent: Bool = false, maxCommits: Int? = nil) {
        self.stopAt = stopAt
        self.since = since
        self.firstParent = firstParent
        self.maxCommits = maxCommits
    }
}

/// How two refs are compared (`diffRefs`).
public enum LakeFSDiffMode: String, Sendable, Hashable, CaseIterable {
    /// What merging the right ref into the left would change, from their merge
    /// base; entries changed on both sides come back as `conflict`.
    case threeDot = "three_dot"
    /// The plain difference between the two trees.
    case twoDot = "two_dot"
}

/// Options of a diff of refs.
public struct LakeFSDiffOptions: Sendable, Hashable {
    public var mode: LakeFSDiffMode
    /// Only paths under this prefix.
    public var prefix: String?
    /// At most this many entries; nil: the client's list cap.
    public var maxEntries: Int?

    public init(mode: LakeFSDiffMode = .threeDot, prefix: String? = nil, maxEntries: Int? = nil) {
        self.mode = mode
        self.prefix = prefix
        self.maxEntries = maxEntries
    }
}
