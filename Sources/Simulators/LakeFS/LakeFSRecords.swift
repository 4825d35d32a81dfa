import Foundation

/// One stored object. Two entries are the same object when their content is
/// (lakeFS compares entry identities, not modification times).
struct ObjectEntry: Sendable, Equatable {
    let checksum: String
    let content: [UInt8]
    let mtime: Int64

    init(content: [UInt8], mtime: Int64) {
        self.checksum = SHA256Digest.hex(content)
        self.content = content
        self.mtime = mtime
    }

    var size: Int { content.count }

    static func == (lhs: ObjectEntry, rhs: ObjectEntry) -> Bool { lhs.checksum == rhs.checksum }
}

/// The objects of one commit, by path. Commits share trees copy-on-write, so a branch
/// is a pointer and creating one copies nothing.
typealias Tree = [String: ObjectEntry]

/// An uncommitted change on a branch.
enum StagedChange: Sendable, Equatable {
    case put(ObjectEntry)
    case delete
}

/// An immutable commit in the repository's DAG.
struct CommitRecord: Sendable {
    let id: String
    let parents: [String]
    let committer: String
    let message: String
    let creationDate: Int64
    let metaRangeID: String
    let metadata: [String: String]
    let generation: Int
    /// Order of creation within the repository; breaks ties between equal generations.
    let sequence: Int
    let tree: Tree
}

/// A branch: a pointer to a commit plus its uncommitted changes.
struct BranchRecord: Sendable {
    var commitID: String
    var staging: [String: StagedChange] = [:]
    var hidden = false

    var isDirty: Bool { !staging.isEmpty }
}

/// The outcome of one hook within an action run.
struct HookRunRecord: Sendable {
    let hookRunID: String
    let action: String
    let hookID: String
    let passed: Bool
    let start: Date
    let end: Date
    let output: String
}

/// One run of the actions triggered by an event (here: pre-merge).
struct ActionRunRecord: Sendable {
    let runID: String
    let branch: String
    var commitID: String
    let eventType: String
    let sourceRef: String
    let passed: Bool
    let start: Date
    let end: Date
    let hooks: [HookRunRecord]
}

/// A test's script for the pre-merge hooks of one branch.
struct PreMergeHookScript: Sendable {
    let actionName: String
    let verdict: PreMergeHookVerdict
}

/// Who makes a change, and when.
struct Authorship: Sendable {
    let committer: String
    let now: Date

    var epochSeconds: Int64 { Int64(now.timeIntervalSince1970.rounded(.down)) }
}
