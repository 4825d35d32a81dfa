import Foundation

/// One call to the lakeFS API, fully described before it is sent: what
/// ``LakeFSRequests`` builds and ``HTTPLakeFSClient`` sends. Plan mode can
/// show it (``description``) without sending it.
public struct LakeFSRequest: Sendable, Hashable, CustomStringConvertible {
    /// Which API operation this is; decides how error statuses are read
    /// (409 on a merge is a conflict, on a create it means "exists").
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case healthCheck
        case getRepository, createRepository
        case getBranch, createBranch, deleteBranch, listBranches
        case getCommit, logCommits
        case diffRefs, findMergeBase, merge
        case listActionRuns, getActionRun, listRunHooks, getHookOutput
        case revert, hardReset
        case getBranchProtection, setBranchProtection
    }

    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var action: Action
    public var method: String
    /// Percent-encoded path below the API base (`/api/v1`), e.g. `/repositories/r/branches`.
    public var path: String
    public var query: [QueryItem]
    /// Extra headers, e.g. `If-Match`.
    public var headers: [QueryItem]
    /// JSON body, if any.
    public var body: Data?
    /// Media types the response may have; most answer JSON, some plain text.
    public var accept: String
    /// What is being done, for errors: "merging dev into prod in repository hmco-curated".
    public var operation: String

    public init(
        action: Action, method: String, path: String, query: [QueryItem] = [], headers: [QueryItem] = [],
        body: Data? = nil, accept: String = "application/json", operation: String
    ) {
        self.action = action
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.accept = accept
        self.operation = operation
    }

    /// The path with its percent-encoded query: `/repositories/r/branches/b/hard_reset?ref=abc`.
    public var target: String {
        let query = query.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
        return path + (query.isEmpty ? "" : "?" + query)
    }

    /// `POST /repositories/hmco-curated/refs/dev/merge/prod` (with its query, if any).
    public var description: String { "\(method) \(target)" }

    /// Percent-encodes one path segment or query component (RFC 3986 unreserved characters kept).
    /// Only ASCII letters and digits stay as they are (`CharacterSet.alphanumerics` would keep
    /// non-ASCII letters too).
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
