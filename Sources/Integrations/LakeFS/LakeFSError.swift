import Foundation

/// An error from lakeFS, or from reaching it. Says what was being done, what
/// lakeFS answered, and whether trying again can help.
///
/// ```
/// while merging dev into prod in repository hmco-curated: pre-merge hook aborted, run id '…': … (HTTP 412)
/// ```
public struct LakeFSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Compare with the static members
    /// (`error.kind == .mergeConflict`); new kinds may be added.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable {
            case notFound = "NotFound"
            case alreadyExists = "AlreadyExists"
            case conflict = "Conflict"
            case mergeConflict = "MergeConflict"
            case nothingToMerge = "NothingToMerge"
            case hookFailed = "HookFailed"
            case preconditionFailed = "PreconditionFailed"
            case etagMismatch = "ETagMismatch"
            case protectedBranch = "ProtectedBranch"
            case forbidden = "Forbidden"
            case dirtyBranch = "DirtyBranch"
            case badRequest = "BadRequest"
            case unauthorized = "Unauthorized"
            case gone = "Gone"
            case rateLimited = "RateLimited"
            case branchLocked = "BranchLocked"
            case throughputExceeded = "ThroughputExceeded"
            case serverError = "ServerError"
            case unexpectedStatus = "UnexpectedStatus"
            case invalidResponse = "InvalidResponse"
            case timeout = "Timeout"
            case connection = "Connection"
        }

        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// 404: the repository, branch, ref, commit or run does not exist.
        public static let notFound = Kind(.notFound)
        /// 409 on a create: a repository or branch of that name exists.
        public static let alreadyExists = Kind(.alreadyExists)
        /// 409 on anything but a create or a merge, e.g. a revert that conflicts.
        public static let conflict = Kind(.conflict)
        /// 409 on a merge: entries changed on both sides; see ``LakeFSError/conflicts``.
        public static let mergeConflict = Kind(.mergeConflict)
        /// 400 "no changes" on a merge: source and destination hold the same content.
        public static let nothingToMerge = Kind(.nothingToMerge)
        /// 412 from a failing pre-event hook (a quality gate); see ``LakeFSError/hookFailure``.
        public static let hookFailed = Kind(.hookFailed)
        /// 412 for another reason.
        public static let preconditionFailed = Kind(.preconditionFailed)
        /// 412 on writing branch protection rules: they changed since they were read.
        public static let etagMismatch = Kind(.etagMismatch)
        /// 403 because the branch is protected: it only changes by merges into it.
        public static let protectedBranch = Kind(.protectedBranch)
        /// 403 for another reason: no permission, a read-only repository, the default branch.
        public static let forbidden = Kind(.forbidden)
        /// 400 because the branch has uncommitted changes (hard reset, revert).
        public static let dirtyBranch = Kind(.dirtyBranch)
        /// 400 for another reason: an invalid name, ref, strategy or parent number.
        public static let badRequest = Kind(.badRequest)
        /// 401: the access key is wrong or revoked.
        public static let unauthorized = Kind(.unauthorized)
        /// 410: the repository is being deleted.
        public static let gone = Kind(.gone)
        /// 429: too many requests.
        public static let rateLimited = Kind(.rateLimited)
        /// 500 "branch is currently locked": another writer holds the branch.
        public static let branchLocked = Kind(.branchLocked)
        /// 503 "Throughput exceeded": the metadata store asks to slow down.
        public static let throughputExceeded = Kind(.throughputExceeded)
        /// Another 5xx.
        public static let serverError = Kind(.serverError)
        /// A status the API does not document for the call.
        public static let unexpectedStatus = Kind(.unexpectedStatus)
        /// A success status with a body that is not what the spec says.
        public static let invalidResponse = Kind(.invalidResponse)
        /// No answer within the deadline.
        public static let timeout = Kind(.timeout)
        /// lakeFS could not be reached.
        public static let connection = Kind(.connection)

        /// Short CamelCase form, for metric labels and condition reasons (`MergeConflict`).
        public var description: String { code.rawValue }

        var isRetryable: Bool {
            switch code {
            case .rateLimited, .branchLocked, .throughputExceeded, .serverError, .timeout, .connection, .gone,
                .etagMismatch:
                true
            default:
                false
            }
        }
    }

    /// A pre-event hook failure parsed from a 412 message.
    public struct HookFailure: Sendable, Hashable {
        /// One failed hook as lakeFS lists it in the message.
        public struct FailedHook: Sendable, Hashable {
            public var hookRunID: String
            public var action: String
            public var hookID: String
            /// What the hook reported, e.g. `webhook failed with status 500` or a Lua error.
            public var reason: String

            public init(hookRunID: String, action: String, hookID: String, reason: String) {
                self.hookRunID = hookRunID
                self.action = action
                self.hookID = hookID
                self.reason = reason
            }
        }

        /// The event whose hooks ran, e.g. `pre-merge`.
        public var eventType: String
        /// The action run; read it with ``LakeFSClient/getActionRun(repository:runID:)``
        /// and its hooks' output to say why the gate failed.
        public var runID: String
        public var failedHooks: [FailedHook]

        public init(eventType: String, runID: String, failedHooks: [FailedHook] = []) {
            self.eventType = eventType
            self.runID = runID
            self.failedHooks = failedHooks
        }
    }

    public var kind: Kind
    /// What the client was doing: "merging dev into prod in repository hmco-curated".
    public var operation: String
    /// HTTP status; nil when no response arrived.
    public var status: Int?
    /// lakeFS's `message`, or what went wrong underneath for transport errors.
    public var message: String
    /// For ``Kind/mergeConflict``: conflicting paths, when they could be found.
    public var conflicts: [String]
    /// For ``Kind/hookFailed``: the event, run id and failed hooks.
    public var hookFailure: HookFailure?
    /// How long the server asked us to wait (`Retry-After`), if it did.
    public var retryAfter: Duration?

    public init(
        kind: Kind, operation: String, status: Int?, message: String, conflicts: [String] = [],
        hookFailure: HookFailure? = nil, retryAfter: Duration? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.status = status
        self.message = message
        self.conflicts = conflicts
        self.hookFailure = hookFailure
        self.retryAfter = retryAfter
    }

    /// Whether the same call may succeed later without anything else changing:
    /// rate limits, locks, throttling, 5xx, timeouts and lost connections. An
    /// ETag mismatch also counts: re-reading the rules and writing again can
    /// succeed. A conflict, a failed quality gate, a protected branch or a bad
    /// request need a change first.
    public var isRetryable: Bool { kind.isRetryable }

    /// Short form for metric labels (`HookFailed`).
    public var metricLabel: String { kind.description }

    public var description: String {
        var text = "while \(operation): \(message.isEmpty ? kind.description : message)"
        if !conflicts.isEmpty {
            let shown = conflicts.prefix(5).joined(separator: ", ")
            text += " (conflicting paths: \(shown)\(conflicts.count > 5 ? ", …" : ""))"
        }
        if let status { text += " (HTTP \(status))" }
        return text
    }
}
