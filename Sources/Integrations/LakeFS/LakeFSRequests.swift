import Foundation

/// Builds every request the client sends, as values: paths, query names and
/// JSON bodies exactly as swagger.yml (lakeFS API v1) names them. No I/O.
public enum LakeFSRequests {
    /// Largest page lakeFS serves (`amount` maximum).
    public static let maxPageSize = 1000

    // MARK: Health and repositories

    /// `GET /healthcheck` → 204.
    public static func healthCheck() -> LakeFSRequest {
        LakeFSRequest(action: .healthCheck, method: "GET", path: "/healthcheck", operation: "checking health")
    }

    /// `GET /repositories/{repository}` → 200 `Repository`.
    public static func getRepository(_ repository: String) -> LakeFSRequest {
        LakeFSRequest(
            action: .getRepository, method: "GET", path: path("repositories", repository),
            operation: "reading repository \(repository)")
    }

    /// `POST /repositories` with `RepositoryCreation` → 201 `Repository`.
    public static func createRepository(_ creation: LakeFSRepositoryCreation) throws -> LakeFSRequest {
        let body = RepositoryCreationBody(
            name: creation.name, storageNamespace: creation.storageNamespace, defaultBranch: creation.defaultBranch,
            sampleData: creation.sampleData ? true : nil, readOnly: creation.readOnly ? true : nil)
        return LakeFSRequest(
            action: .createRepository, method: "POST", path: "/repositories",
            query: creation.bare ? [.init("bare", "true")] : [], body: try json(body),
            operation: "creating repository \(creation.name)")
    }

    // MARK: Branches

    /// `GET /repositories/{repository}/branches/{branch}` → 200 `Ref`.
    public static func getBranch(repository: String, branch: String) -> LakeFSRequest {
        LakeFSRequest(
            action: .getBranch, method: "GET", path: path("repositories", repository, "branches", branch),
            operation: "reading branch \(branch) in repository \(repository)")
    }

    /// `POST /repositories/{repository}/branches` with `BranchCreation` → 201,
    /// a `text/html` body holding the new branch's commit id.
    public static func createBranch(repository: String, name: String, source: String) throws -> LakeFSRequest {
        LakeFSRequest(
            action: .createBranch, method: "POST", path: path("repositories", repository, "branches"),
            body: try json(BranchCreationBody(name: name, source: source)), accept: "text/html, application/json",
            operation: "creating branch \(name) from \(source) in repository \(repository)")
    }

    /// `DELETE /repositories/{repository}/branches/{branch}` → 204.
    public static func deleteBranch(repository: String, branch: String, force: Bool = false) -> LakeFSRequest {
        LakeFSRequest(
            action: .deleteBranch, method: "DELETE", path: path("repositories", repository, "branches", branch),
            query: force ? [.init("force", "true")] : [],
            operation: "deleting branch \(branch) in repository \(repository)")
    }

    /// One page of `GET /repositories/{repository}/branches` → 200 `RefList`.
    public static func listBranches(
        repository: String, prefix: String? = nil, after: String? = nil, amount: Int = maxPageSize
    ) -> LakeFSRequest {
        LakeFSRequest(
            action: .listBranches, method: "GET", path: path("repositories", repository, "branches"),
            query: optional("prefix", prefix) + page(after: after, amount: amount),
            operation: "listing branches of repository \(repository)")
    }

    // MARK: Commits

    /// `GET /repositories/{repository}/commits/{commitId}` → 200 `Commit`.
    public static func getCommit(repository: String, commitID: String) -> LakeFSRequest {
        LakeFSRequest(
            action: .getCommit, method: "GET", path: path("repositories", repository, "commits", commitID),
            operation: "reading commit \(commitID) in repository \(repository)")
    }

    /// One page of `GET /repositories/{repository}/refs/{ref}/commits` → 200 `CommitList`.
    /// - Parameter limit: ask lakeFS to stop after `amount` commits (`limit=true`).
    public static func logCommits(
        repository: String, ref: String, stopAt: String? = nil, since: Date? = nil, firstParent: Bool = false,
        limit: Bool = false, after: String? = nil, amount: Int = maxPageSize
    ) -> LakeFSRequest {
        var query = page(after: after, amount: amount)
        if limit { query.append(.init("limit", "true")) }
        if firstParent { query.append(.init("first_parent", "true")) }
        if let since { query.append(.init("since", rfc3339(since))) }
        query += optional("stop_at", stopAt)
        return LakeFSRequest(
            action: .logCommits, method: "GET", path: path("repositories", repository, "refs", ref, "commits"),
            query: query, operation: "reading the commit log of \(ref) in repository \(repository)")
    }

    // MARK: Refs: diff, merge base, merge

    /// One page of `GET /repositories/{repository}/refs/{leftRef}/diff/{rightRef}` → 200 `DiffList`.
    public static func diffRefs(
        repository: String, left: String, right: String, mode: LakeFSDiffMode = .threeDot, prefix: String? = nil,
        after: String? = nil, amount: Int = maxPageSize
    ) -> LakeFSRequest {
        LakeFSRequest(
            action: .diffRefs, method: "GET", path: path("repositories", repository, "refs", left, "diff", right),
            query: page(after: after, amount: amount) + optional("prefix", prefix) + [.init("type", mode.rawValue)],
            operation: "comparing \(left) with \(right) in repository \(repository)")
    }

    /// `GET /repositories/{repository}/refs/{sourceRef}/merge/{destinationBranch}` → 200 `FindMergeBaseResult`.
    public static func findMergeBase(repository: String, source: String, destination: String) -> LakeFSRequest {
        LakeFSRequest(
            action: .findMergeBase, method: "GET",
            path: path("repositories", repository, "refs", source, "merge", destination),
            operation: "finding the merge base of \(source) and \(destination) in repository \(repository)")
    }

    /// `POST /repositories/{repository}/refs/{sourceRef}/merge/{destinationBranch}` with `Merge`
    /// → 200 `MergeResult`; 409 on conflict, 412 when a pre-merge hook fails.
    public static func merge(
        repository: String, source: String, destination: String, options: LakeFSMergeOptions = .init()
    ) throws -> LakeFSRequest {
        let body = MergeBody(
            message: options.message, metadata: options.metadata.isEmpty ? nil : options.metadata,
            strategy: options.strategy?.rawValue, force: options.force ? true : nil,
            allowEmpty: options.allowEmpty ? true : nil, squashMerge: options.squash ? true : nil)
        return LakeFSRequest(
            action: .merge, method: "POST",
            path: path("repositories", repository, "refs", source, "merge", destination),
            body: try json(body), operation: "merging \(source) into \(destination) in repository \(repository)")
    }

    // MARK: Actions

    /// One page of `GET /repositories/{repository}/actions/runs` → 200 `ActionRunList`, newest first.
    public static func listActionRuns(
        repository: String, branch: String? = nil, commit: String? = nil, after: String? = nil,
        amount: Int = maxPageSize
    ) -> LakeFSRequest {
        var subject = "repository \(repository)"
        if let commit { subject = "commit \(commit) in " + subject }
        if let branch { subject = "branch \(branch) in " + subject }
        return LakeFSRequest(
            action: .listActionRuns, method: "GET", path: path("repositories", repository, "actions", "runs"),
            query: page(after: after, amount: amount) + optional("branch", branch) + optional("commit", commit),
            operation: "listing action runs of \(subject)")
    }

    /// `GET /repositories/{repository}/actions/runs/{run_id}` → 200 `ActionRun`.
    public static func getActionRun(repository: String, runID: String) -> LakeFSRequest {
        LakeFSRequest(
            action: .getActionRun, method: "GET", path: path("repositories", repository, "actions", "runs", runID),
            operation: "reading action run \(runID) in repository \(repository)")
    }

    /// One page of `GET /repositories/{repository}/actions/runs/{run_id}/hooks` → 200 `HookRunList`.
    public static func listRunHooks(
        repository: String, runID: String, after: String? = nil, amount: Int = maxPageSize
    ) -> LakeFSRequest {
        LakeFSRequest(
            action: .listRunHooks, method: "GET",
            path: path("repositories", repository, "actions", "runs", runID, "hooks"),
            query: page(after: after, amount: amount),
            operation: "listing the hooks of action run \(runID) in repository \(repository)")
    }

    /// `GET /repositories/{repository}/actions/runs/{run_id}/hooks/{hook_run_id}/output`
    /// → 200, the hook's log as `application/octet-stream`.
    public static func getHookOutput(repository: String, runID: String, hookRunID: String) -> LakeFSRequest {
        LakeFSRequest(
            action: .getHookOutput, method: "GET",
            path: path("repositories", repository, "actions", "runs", runID, "hooks", hookRunID, "output"),
            accept: "application/octet-stream, text/plain, application/json",
            operation: "reading the output of hook run \(hookRunID) of action run \(runID) in repository \(repository)")
    }

    // MARK: Rollback

    /// `POST /repositories/{repository}/branches/{branch}/revert` with `RevertCreation` → 204.
    /// - Parameter parentNumber: for a merge commit, the 1-based parent to revert relative to
    ///   (1 undoes the merge on the destination); 0 for an ordinary commit.
    public static func revert(
        repository: String, branch: String, ref: String, parentNumber: Int, options: LakeFSRevertOptions = .init()
    ) throws -> LakeFSRequest {
        let overrides: CommitOverridesBody? =
            options.message == nil && options.metadata == nil
            ? nil : CommitOverridesBody(message: options.message, metadata: options.metadata)
        let body = RevertBody(
            ref: ref, parentNumber: parentNumber, commitOverrides: overrides, force: options.force ? true : nil,
            allowEmpty: options.allowEmpty ? true : nil)
        return LakeFSRequest(
            action: .revert, method: "POST", path: path("repositories", repository, "branches", branch, "revert"),
            body: try json(body), operation: "reverting \(ref) on branch \(branch) in repository \(repository)")
    }

    /// `PUT /repositories/{repository}/branches/{branch}/hard_reset?ref=` → 204. The branch
    /// must have no uncommitted changes.
    public static func hardReset(
        repository: String, branch: String, to ref: String, force: Bool = false
    )
        -> LakeFSRequest
    {
        LakeFSRequest(
            action: .hardReset, method: "PUT",
            path: path("repositories", repository, "branches", branch, "hard_reset"),
            query: [.init("ref", ref)] + (force ? [.init("force", "true")] : []),
            operation: "resetting branch \(branch) to \(ref) in repository \(repository)")
    }

    // MARK: Branch protection

    /// `GET /repositories/{repository}/settings/branch_protection` → 200, an array of
    /// `BranchProtectionRule` and an `ETag` header.
    public static func getBranchProtection(repository: String) -> LakeFSRequest {
        LakeFSRequest(
            action: .getBranchProtection, method: "GET",
            path: path("repositories", repository, "settings", "branch_protection"),
            operation: "reading the branch protection rules of repository \(repository)")
    }

    /// `PUT /repositories/{repository}/settings/branch_protection` with the whole rule list → 204;
    /// with `If-Match`, 412 when the rules changed since they were read.
    public static func setBranchProtection(
        repository: String, patterns: [String], ifMatch etag: String?
    ) throws
        -> LakeFSRequest
    {
        LakeFSRequest(
            action: .setBranchProtection, method: "PUT",
            path: path("repositories", repository, "settings", "branch_protection"),
            headers: etag.map { [.init("If-Match", $0)] } ?? [],
            body: try json(patterns.map(ProtectionRuleBody.init(pattern:))),
            operation: "writing the branch protection rules of repository \(repository)")
    }

    // MARK: Helpers

    /// `/a/b/c` from unescaped segments.
    static func path(_ segments: String...) -> String {
        segments.map { "/" + LakeFSRequest.escape($0) }.joined()
    }

    static func page(after: String?, amount: Int) -> [LakeFSRequest.QueryItem] {
        let amount = min(max(1, amount), maxPageSize)
        return optional("after", after) + [.init("amount", String(amount))]
    }

    static func optional(_ name: String, _ value: String?) -> [LakeFSRequest.QueryItem] {
        guard let value, !value.isEmpty else { return [] }
        return [.init(name, value)]
    }

    static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

// Request bodies. Optional fields left nil are omitted, so the server applies
// the spec's defaults.

struct RepositoryCreationBody: Encodable {
    var name: String
    var storageNamespace: String
    var defaultBranch: String?
    var sampleData: Bool?
    var readOnly: Bool?

    enum CodingKeys: String, CodingKey {
        case name
        case storageNamespace = "storage_namespace"
        case defaultBranch = "default_branch"
        case sampleData = "sample_data"
        case readOnly = "read_only"
    }
}

struct BranchCreationBody: Encodable {
    var name: String
    var source: String
}

struct MergeBody: Encodable {
    var message: String?
    var metadata: [String: String]?
    var strategy: String?
    var force: Bool?
    var allowEmpty: Bool?
    var squashMerge: Bool?

    enum CodingKeys: String, CodingKey {
        case message, metadata, strategy, force
        case allowEmpty = "allow_empty"
        case squashMerge = "squash_merge"
    }
}

struct CommitOverridesBody: Encodable {
    var message: String?
    var metadata: [String: String]?
}

struct RevertBody: Encodable {
    var ref: String
    var parentNumber: Int
    var commitOverrides: CommitOverridesBody?
    var force: Bool?
    var allowEmpty: Bool?

    enum CodingKeys: String, CodingKey {
        case ref, force
        case parentNumber = "parent_number"
        case commitOverrides = "commit_overrides"
        case allowEmpty = "allow_empty"
    }
}

struct ProtectionRuleBody: Codable {
    var pattern: String
}
