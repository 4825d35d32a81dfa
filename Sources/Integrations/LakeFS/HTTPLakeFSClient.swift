import Foundation
import IntegrationSupport

/// ``LakeFSClient`` over the lakeFS REST API v1, authenticating with an access
/// key id and secret (HTTP basic).
///
/// Guarantees: requests are exactly those of ``LakeFSRequests``; responses are
/// read by ``LakeFSResponses``; lists follow `pagination.next_offset` until
/// `has_more` is false or ``Configuration/maxListItems`` items were read.
/// Caveats: no retries here — ``LakeFSError/isRetryable`` tells the caller
/// (the reconciler's backoff) whether to try again.
public struct HTTPLakeFSClient: LakeFSClient {
    /// Limits on paging.
    public struct Configuration: Sendable, Hashable {
        /// Items asked for per page (`amount`, at most 1000).
        public var pageSize: Int
        /// Items read at most from one list; a list longer than this is cut.
        public var maxListItems: Int
        /// Conflicting paths looked up after a merge conflict.
        public var maxConflictPaths: Int
        /// Diff entries scanned at most to find them.
        public var maxConflictScan: Int

        public init(
            pageSize: Int = 1000, maxListItems: Int = 10_000, maxConflictPaths: Int = 100, maxConflictScan: Int = 10_000
        ) {
            self.pageSize = min(max(1, pageSize), LakeFSRequests.maxPageSize)
            self.maxListItems = max(1, maxListItems)
            self.maxConflictPaths = max(0, maxConflictPaths)
            self.maxConflictScan = max(0, maxConflictScan)
        }
    }

    /// Sends one request and returns the response, whatever its status; throws
    /// `TransportError` when no response arrived.
    public typealias Transport = @Sendable (LakeFSRequest) async throws -> BackendResponse

    public let configuration: Configuration
    private let transport: Transport
    private let backend: HTTPBackend?

    /// A client over a shared transport. The backend's base URL must end in `/api/v1`
    /// and its auth should be `.basic(accessKeyID, secretAccessKey)`.
    public init(backend: HTTPBackend, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.backend = backend
        self.transport = { request in
            try await backend.send(
                request.method, request.target,
                headers: [("Accept", request.accept)] + request.headers.map { ($0.name, $0.value) },
                body: request.body, operation: request.operation)
        }
    }

    /// A client on the process-wide HTTP connection pool (nothing to shut down).
    /// - Parameter serverURL: lakeFS's address, e.g. `http://lakefs:8000`; `/api/v1` is added unless present.
    public init(
        serverURL: URL, accessKeyID: String, secretAccessKey: String, timeout: Duration = .seconds(30),
        maxConcurrentRequests: Int = 8, configuration: Configuration = Configuration()
    ) {
        let endpoint = BackendEndpoint(
            baseURL: Self.apiBaseURL(serverURL), auth: .basic(username: accessKeyID, password: secretAccessKey),
            timeout: timeout, maxConcurrentRequests: maxConcurrentRequests)
        self.init(backend: HTTPBackend(system: "lakeFS", endpoint: endpoint), configuration: configuration)
    }

    /// A client over any transport, e.g. one that counts or records requests.
    public init(configuration: Configuration = Configuration(), transport: @escaping Transport) {
        self.configuration = configuration
        self.backend = nil
        self.transport = transport
    }

    /// `serverURL` with `/api/v1` appended unless it already ends with it.
    public static func apiBaseURL(_ serverURL: URL) -> URL {
        var text = serverURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/api/v1") { return URL(string: text) ?? serverURL }
        return URL(string: text + "/api/v1") ?? serverURL.appendingPathComponent("api/v1")
    }

    // MARK: LakeFSClient

    public func healthCheck() async throws {
        let request = LakeFSRequests.healthCheck()
        try LakeFSResponses.checked(try await perform(request), of: request)
    }

    public func getRepository(_ repository: String) async throws -> LakeFSRepository {
        try await fetch(LakeFSRepository.self, LakeFSRequests.getRepository(repository))
    }

    public func createRepository(_ creation: LakeFSRepositoryCreation) async throws -> LakeFSRepository {
        try await fetch(LakeFSRepository.self, LakeFSRequests.createRepository(creation))
    }

    public func getBranch(repository: String, branch: String) async throws -> LakeFSBranch {
        try await fetch(LakeFSBranch.self, LakeFSRequests.getBranch(repository: repository, branch: branch))
    }

    public func createBranch(repository: String, name: String, source: String) async throws -> LakeFSBranch {
        let request = try LakeFSRequests.createBranch(repository: repository, name: name, source: source)
        let commitID = try LakeFSResponses.createdBranchCommitID(from: try await perform(request), of: request)
        return LakeFSBranch(id: name, commitID: commitID)
    }

    public func deleteBranch(repository: String, branch: String) async throws {
        let request = LakeFSRequests.deleteBranch(repository: repository, branch: branch)
        try LakeFSResponses.checked(try await perform(request), of: request)
    }

    public func listBranches(repository: String, prefix: String?) async throws -> [LakeFSBranch] {
        try await collect(LakeFSBranch.self, upTo: configuration.maxListItems) { after, amount in
            LakeFSRequests.listBranches(repository: repository, prefix: prefix, after: after, amount: amount)
        }
    }

    public func getCommit(repository: String, commitID: String) async throws -> LakeFSCommit {
        try await fetch(LakeFSCommit.self, LakeFSRequests.getCommit(repository: repository, commitID: commitID))
    }

    public func logCommits(repository: String, ref: String, options: LakeFSLogOptions) async throws -> [LakeFSCommit] {
        let cap = min(options.maxCommits ?? configuration.maxListItems, configuration.maxListItems)
        // One page with `limit=true` lets lakeFS stop walking the history early.
        let limited = options.maxCommits != nil && cap <= LakeFSRequests.maxPageSize
        return try await collect(LakeFSCommit.self, upTo: cap, singlePage: limited) { after, amount in
            LakeFSRequests.logCommits(
                repository: repository, ref: ref, stopAt: options.stopAt, since: options.since,
                firstParent: options.firstParent, limit: limited, after: after, amount: amount)
        }
    }

    public func diffRefs(
        repository: String, left: String, right: String, options: LakeFSDiffOptions
    ) async throws
        -> [LakeFSDiff]
    {
        let cap = min(options.maxEntries ?? configuration.maxListItems, configuration.maxListItems)
        return try await collect(LakeFSDiff.self, upTo: cap) { after, amount in
            LakeFSRequests.diffRefs(
                repository: repository, left: left, right: right, mode: options.mode, prefix: options.prefix,
                after: after, amount: amount)
        }
    }

    public func findMergeBase(
        repository: String, source: String, destination: String
    ) async throws
        -> LakeFSMergeBase
    {
        try await fetch(
            LakeFSMergeBase.self,
            LakeFSRequests.findMergeBase(repository: repository, source: source, destination: destination))
    }

    public func merge(
        repository: String, source: String, destination: String, options: LakeFSMergeOptions
    )
        async throws -> String
    {
        let request = try LakeFSRequests.merge(
            repository: repository, source: source, destination: destination, options: options)
        do {
            return try await fetch(MergeResultBody.self, request).reference
        } catch var error as LakeFSError where error.kind == .mergeConflict {
            // lakeFS does not name the conflicting paths; a three-dot diff marks them.
            error.conflicts =
                (try? await conflictingPaths(repository: repository, source: source, destination: destination)) ?? []
            throw error
        }
    }

    public func listActionRuns(
        repository: String, branch: String?, commit: String?
    ) async throws
        -> [LakeFSActionRun]
    {
        try await collect(LakeFSActionRun.self, upTo: configuration.maxListItems) { after, amount in
            LakeFSRequests.listActionRuns(
                repository: repository, branch: branch, commit: commit, after: after, amount: amount)
        }
    }

    public func getActionRun(repository: String, runID: String) async throws -> LakeFSActionRun {
        try await fetch(LakeFSActionRun.self, LakeFSRequests.getActionRun(repository: repository, runID: runID))
    }

    public func listRunHooks(repository: String, runID: String) async throws -> [LakeFSHookRun] {
        try await collect(LakeFSHookRun.self, upTo: configuration.maxListItems) { after, amount in
            LakeFSRequests.listRunHooks(repository: repository, runID: runID, after: after, amount: amount)
        }
    }

    public func getHookOutput(repository: String, runID: String, hookRunID: String) async throws -> String {
        let request = LakeFSRequests.getHookOutput(repository: repository, runID: runID, hookRunID: hookRunID)
        return try LakeFSResponses.hookOutput(from: try await perform(request), of: request)
    }

    public func revert(
        repository: String, branch: String, commit: String, parentNumber: Int, options: LakeFSRevertOptions
    ) async throws {
        let request = try LakeFSRequests.revert(
            repository: repository, branch: branch, ref: commit, parentNumber: parentNumber, options: options)
        try LakeFSResponses.checked(try await perform(request), of: request)
    }

    public func hardReset(repository: String, branch: String, to ref: String) async throws {
        let request = LakeFSRequests.hardReset(repository: repository, branch: branch, to: ref)
        try LakeFSResponses.checked(try await perform(request), of: request)
    }

    public func getBranchProtection(repository: String) async throws -> LakeFSBranchProtection {
        let request = LakeFSRequests.getBranchProtection(repository: repository)
        return try LakeFSResponses.branchProtection(from: try await perform(request), of: request)
    }

    public func setBranchProtection(repository: String, patterns: [String], ifMatch etag: String?) async throws {
        let request = try LakeFSRequests.setBranchProtection(repository: repository, patterns: patterns, ifMatch: etag)
        try LakeFSResponses.checked(try await perform(request), of: request)
    }

    // MARK: Plumbing

    private func perform(_ request: LakeFSRequest) async throws -> BackendResponse {
        do {
            return try await transport(request)
        } catch let error as TransportError {
            throw LakeFSResponses.error(for: error, of: request)
        }
    }

    private func fetch<T: Decodable>(_ type: T.Type, _ request: LakeFSRequest) async throws -> T {
        try LakeFSResponses.decode(type, from: try await perform(request), of: request)
    }

    /// Reads pages until the last one or until `cap` items; a server that hands
    /// out an offset twice ends the list rather than looping.
    private func collect<T: Decodable & Sendable>(
        _ type: T.Type, upTo cap: Int, singlePage: Bool = false,
        _ pageRequest: (_ after: String?, _ amount: Int) throws -> LakeFSRequest
    ) async throws -> [T] {
        var items: [T] = []
        var after: String?
        var offsets: Set<String> = []
        while items.count < cap {
            let amount = singlePage ? cap : min(configuration.pageSize, cap - items.count)
            let request = try pageRequest(after, amount)
            let page = try LakeFSResponses.page(type, from: try await perform(request), of: request)
            items += page.items
            guard !singlePage, let next = page.nextOffset, !page.items.isEmpty, offsets.insert(next).inserted else {
                break
            }
            after = next
        }
        return Array(items.prefix(cap))
    }

    private func conflictingPaths(repository: String, source: String, destination: String) async throws -> [String] {
        guard configuration.maxConflictPaths > 0 else { return [] }
        var paths: [String] = []
        var scanned = 0
        var after: String?
        while scanned < configuration.maxConflictScan {
            let request = LakeFSRequests.diffRefs(
                repository: repository, left: destination, right: source, mode: .threeDot, after: after,
                amount: configuration.pageSize)
            let page = try LakeFSResponses.page(LakeFSDiff.self, from: try await perform(request), of: request)
            scanned += page.items.count
            paths += page.items.filter { $0.type == .conflict }.map(\.path)
            if paths.count >= configuration.maxConflictPaths { break }
            guard let next = page.nextOffset, !page.items.isEmpty, next != after else { break }
            after = next
        }
        return Array(paths.prefix(configuration.maxConflictPaths))
    }
}
