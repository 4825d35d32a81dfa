import Foundation

// What lakeFS answers, decoded from the wire (`components.schemas` of swagger.yml).
// Field names follow the schemas; JSON keys are snake_case through CodingKeys.

/// A repository (`Repository`).
public struct LakeFSRepository: Sendable, Hashable, Codable {
    public var id: String
    /// Seconds since the Unix epoch.
    public var creationDate: Int64
    public var defaultBranch: String
    public var storageNamespace: String
    public var readOnly: Bool?

    public init(id: String, creationDate: Int64, defaultBranch: String, storageNamespace: String, readOnly: Bool? = nil)
    {
        self.id = id
        self.creationDate = creationDate
        self.defaultBranch = defaultBranch
        self.storageNamespace = storageNamespace
        self.readOnly = readOnly
    }

    enum CodingKeys: String, CodingKey {
        case id
        case creationDate = "creation_date"
        case defaultBranch = "default_branch"
        case storageNamespace = "storage_namespace"
        case readOnly = "read_only"
    }
}

/// A branch: a name pointing at a commit (`Ref`).
public struct LakeFSBranch: Sendable, Hashable, Codable {
    /// The branch name.
    public var id: String
    /// The commit the branch points at (its head).
    public var commitID: String

    public init(id: String, commitID: String) {
        self.id = id
        self.commitID = commitID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case commitID = "commit_id"
    }
}

/// A commit (`Commit`).
public struct LakeFSCommit: Sendable, Hashable, Codable {
    public var id: String
    /// Parent commit ids; two or more for a merge commit, in lakeFS order
    /// (the first is the destination's previous head).
    public var parents: [String]
    public var committer: String
    public var message: String
    /// Seconds since the Unix epoch.
    public var creationDate: Int64
    public var metaRangeID: String
    public var metadata: [String: String]?
    public var generation: Int64?
    public var version: Int?

    public init(
        id: String, parents: [String], committer: String, message: String, creationDate: Int64,
        metaRangeID: String = "", metadata: [String: String]? = nil, generation: Int64? = nil, version: Int? = nil
    ) {
        self.id = id
        self.parents = parents
        self.committer = committer
        self.message = message
        self.creationDate = creationDate
        self.metaRangeID = metaRangeID
        self.metadata = metadata
        self.generation = generation
        self.version = version
    }

    /// Whether this commit has more than one parent; reverting it needs a parent number.
    public var isMerge: Bool { parents.count > 1 }

    enum CodingKeys: String, CodingKey {
        case id, parents, committer, message, metadata, generation, version
        case creationDate = "creation_date"
        case metaRangeID = "meta_range_id"
    }
}

/// How an entry differs between two refs (`Diff.type`). Values the spec does
/// not list yet decode as themselves rather than failing the whole list.
public struct LakeFSDiffType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let added = LakeFSDiffType(rawValue: "added")
    public static let removed = LakeFSDiffType(rawValue: "removed")
    public static let changed = LakeFSDiffType(rawValue: "changed")
    /// Changed on both sides since the merge base: a merge without a strategy fails on it.
    public static let conflict = LakeFSDiffType(rawValue: "conflict")
    public static let prefixChanged = LakeFSDiffType(rawValue: "prefix_changed")

    public var description: String { rawValue }
}

/// One entry of a diff between refs (`Diff`).
public struct LakeFSDiff: Sendable, Hashable, Codable {
    public var type: LakeFSDiffType
    public var path: String
    /// `object` or `common_prefix`.
    public var pathType: String
    public var sizeBytes: Int64?

    public init(type: LakeFSDiffType, path: String, pathType: String = "object", sizeBytes: Int64? = nil) {
        self.type = type
        self.path = path
        self.pathType = pathType
        self.sizeBytes = sizeBytes
    }

    enum CodingKeys: String, CodingKey {
        case type, path
        case pathType = "path_type"
        case sizeBytes = "size_bytes"
    }
}

/// The commits a merge would start from (`FindMergeBaseResult`).
public struct LakeFSMergeBase: Sendable, Hashable, Codable {
    public var sourceCommitID: String
    public var destinationCommitID: String
    public var baseCommitID: String

    public init(sourceCommitID: String, destinationCommitID: String, baseCommitID: String) {
        self.sourceCommitID = sourceCommitID
        self.destinationCommitID = destinationCommitID
        self.baseCommitID = baseCommitID
    }

    /// Whether the source has commits the destination lacks. When the merge base
    /// is the source's own head, everything on the source is already in the
    /// destination and there is nothing to merge.
    public var sourceIsAhead: Bool { baseCommitID != sourceCommitID }

    enum CodingKeys: String, CodingKey {
        case sourceCommitID = "source_commit_id"
        case destinationCommitID = "destination_commit_id"
        case baseCommitID = "base_commit_id"
    }
}

/// Outcome of an action run or a hook run (`failed`, `completed`; lakeFS may add more).
public struct LakeFSRunStatus: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let failed = LakeFSRunStatus(rawValue: "failed")
    public static let completed = LakeFSRunStatus(rawValue: "completed")

    public var description: String { rawValue }
}

/// One run of the actions triggered by an event (`ActionRun`), e.g. the
/// pre-merge checks of one merge.
public struct LakeFSActionRun: Sendable, Hashable, Codable {
    public var runID: String
    public var branch: String
    /// RFC 3339 date-time as sent by lakeFS; see ``startDate``.
    public var startTime: String
    public var endTime: String?
    /// The event, e.g. `pre-merge`.
    public var eventType: String
    public var status: LakeFSRunStatus
    public var commitID: String

    public init(
        runID: String, branch: String, startTime: String, endTime: String? = nil, eventType: String,
        status: LakeFSRunStatus, commitID: String
    ) {
        self.runID = runID
        self.branch = branch
        self.startTime = startTime
        self.endTime = endTime
        self.eventType = eventType
        self.status = status
        self.commitID = commitID
    }

    public var startDate: Date? { LakeFSDates.parse(startTime) }
    public var endDate: Date? { endTime.flatMap(LakeFSDates.parse) }

    enum CodingKeys: String, CodingKey {
        case branch, status
        case runID = "run_id"
        case startTime = "start_time"
        case endTime = "end_time"
        case eventType = "event_type"
        case commitID = "commit_id"
    }
}

/// One hook executed within an action run (`HookRun`).
public struct LakeFSHookRun: Sendable, Hashable, Codable {
    public var hookRunID: String
    /// Name of the action (the `name` of the action file).
    public var action: String
    /// The hook's `id` within the action.
    public var hookID: String
    public var startTime: String
    public var endTime: String?
    public var status: LakeFSRunStatus

    public init(
        hookRunID: String, action: String, hookID: String, startTime: String, endTime: String? = nil,
        status: LakeFSRunStatus
    ) {
        self.hookRunID = hookRunID
        self.action = action
        self.hookID = hookID
        self.startTime = startTime
        self.endTime = endTime
        self.status = status
    }

    public var startDate: Date? { LakeFSDates.parse(startTime) }
    public var endDate: Date? { endTime.flatMap(LakeFSDates.parse) }

    enum CodingKeys: String, CodingKey {
        case action, status
        case hookRunID = "hook_run_id"
        case hookID = "hook_id"
        case startTime = "start_time"
        case endTime = "end_time"
    }
}

/// A repository's branch protection rules with the ETag they were read at.
public struct LakeFSBranchProtection: Sendable, Hashable {
    /// fnmatch patterns (`*`, `?`) of protected branch names.
    public var patterns: [String]
    /// Pass back when writing the rules so a concurrent change is refused (412)
    /// instead of overwritten; nil when the server sent none.
    public var etag: String?

    public init(patterns: [String], etag: String?) {
        self.patterns = patterns
        self.etag = etag
    }

    /// Whether `branch` matches one of the patterns, with the fnmatch rules lakeFS uses.
    public func protects(_ branch: String) -> Bool {
        patterns.contains { LakeFSGlob.matches(pattern: $0, name: branch) }
    }
}

/// Parses the RFC 3339 timestamps lakeFS writes (Go's `time.RFC3339Nano`: any
/// number of fraction digits, `Z` or an offset).
enum LakeFSDates {
    static func parse(_ text: String) -> Date? {
        var text = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digitsEnd = text[dot...].dropFirst().firstIndex { !$0.isNumber } ?? text.endIndex
            fraction = Double("0" + text[dot..<digitsEnd]) ?? 0
            text.removeSubrange(dot..<digitsEnd)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { $0.addingTimeInterval(fraction) }
    }
}

/// fnmatch-style matching for branch protection patterns: `*` any run of
/// characters, `?` one character, everything else literal.
enum LakeFSGlob {
    static func matches(pattern: String, name: String) -> Bool {
        let p = Array(pattern)
        let n = Array(name)
        var pi = 0
        var ni = 0
        var star: Int?
        var mark = 0
        while ni < n.count {
            if pi < p.count, p[pi] == "?" || p[pi] == n[ni] {
                pi += 1
                ni += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ni
                pi += 1
            } else if let s = star {
                pi = s + 1
                mark += 1
                ni = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
