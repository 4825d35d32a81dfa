import Foundation
import Testing

@testable import Simulators

/// Validates the simulator's answers against lakeFS's own swagger.yml, so the
/// simulator cannot drift from the real API unnoticed.
@Suite("lakeFS simulator: conformance to swagger.yml")
struct LakeFSConformanceTests {
    /// One request, the spec operation it must reach, and the status it must get.
    private struct Step {
        var operation: String
        var method: String
        /// The spec's path template.
        var template: String
        /// The concrete path.
        var path: String
        var query: [(String, String)] = []
        var body: TestBody?
        var headers: [(String, String)] = []
        var authenticated = true
        var status: Int
    }

    private let base = "/repositories/{repository}"

    @Test("every answer has a status the spec declares and a body matching the declared schema")
    func conformance() async throws {
        let spec = try OpenAPISpec.lakeFS.get()
        try await withLakeFS { lakeFS, client in
            let ids = try arrange(lakeFS)
            let repo = "/repositories/analytics"
            let steps: [Step] = [
                Step(
                    operation: "healthCheck", method: "GET", template: "/healthcheck", path: "/healthcheck",
                    authenticated: false, status: 204),
                Step(
                    operation: "getLakeFSVersion", method: "GET", template: "/config/version", path: "/config/version",
                    status: 200),
                Step(
                    operation: "listRepositories", method: "GET", template: "/repositories", path: "/repositories",
                    authenticated: false, status: 401),
                Step(
                    operation: "listRepositories", method: "GET", template: "/repositories", path: "/repositories",
                    status: 200),
                Step(
                    operation: "createRepository", method: "POST", template: "/repositories", path: "/repositories",
                    body: .json(["name": "created", "storage_namespace": "s3://bucket/created"]), status: 201),
                Step(
                    operation: "createRepository", method: "POST", template: "/repositories", path: "/repositories",
                    body: .json(["name": "Bad!", "storage_namespace": "s3://bucket/bad"]), status: 400),
                Step(
                    operation: "createRepository", method: "POST", template: "/repositories", path: "/repositories",
                    body: .json(["name": "created", "storage_namespace": "s3://bucket/other"]), status: 409),
                Step(operation: "getRepository", method: "GET", template: base, path: repo, status: 200),
                Step(
                    operation: "getRepository", method: "GET", template: base, path: "/repositories/missing",
                    status: 404),
                Step(
                    operation: "getBranchProtectionRules", method: "GET",
                    template: base + "/settings/branch_protection",
                    path: repo + "/settings/branch_protection", status: 200),
                Step(
                    operation: "setBranchProtectionRules", method: "PUT",
                    template: base + "/settings/branch_protection",
                    path: repo + "/settings/branch_protection", body: .json([["pattern": "protected-*"]]), status: 204),
                Step(
                    operation: "setBranchProtectionRules", method: "PUT",
                    template: base + "/settings/branch_protection",
                    path: repo + "/settings/branch_protection", body: .json([["pattern": "x"]]),
                    headers: [("If-Match", "\"stale\"")], status: 412),
                Step(
                    operation: "listBranches", method: "GET", template: base + "/branches", path: repo + "/branches",
                    status: 200),
                Step(
                    operation: "createBranch", method: "POST", template: base + "/branches", path: repo + "/branches",
                    body: .json(["name": "dev", "source": "main"]), status: 201),
                Step(
                    operation: "createBranch", method: "POST", template: base + "/branches", path: repo + "/branches",
                    body: .json(["name": "dev", "source": "main"]), status: 409),
                Step(
                    operation: "createBranch", method: "POST", template: base + "/branches", path: repo + "/branches",
                    body: .json(["name": "other", "source": "nope"]), status: 404),
                Step(
                    operation: "getBranch", method: "GET", template: base + "/branches/{branch}",
                    path: repo + "/branches/dev", status: 200),
                Step(
                    operation: "getBranch", method: "GET", template: base + "/branches/{branch}",
                    path: repo + "/branches/nope", status: 404),
                Step(
                    operation: "uploadObject", method: "POST", template: base + "/branches/{branch}/objects",
                    path: repo + "/branches/dev/objects", query: [("path", "a.csv")], body: .raw("1,2"), status: 201),
                Step(
                    operation: "getObject", method: "GET", template: base + "/refs/{ref}/objects",
                    path: repo + "/refs/dev/objects", query: [("path", "a.csv")], status: 200),
                Step(
                    operation: "diffBranch", method: "GET", template: base + "/branches/{branch}/diff",
                    path: repo + "/branches/dev/diff", status: 200),
                Step(
                    operation: "commit", method: "POST", template: base + "/branches/{branch}/commits",
                    path: repo + "/branches/dev/commits", body: .json(["message": "add a", "metadata": ["k": "v"]]),
                    status: 201),
                Step(
                    operation: "commit", method: "POST", template: base + "/branches/{branch}/commits",
                    path: repo + "/branches/dev/commits", body: .json(["message": "again"]), status: 400),
                Step(
                    operation: "commit", method: "POST", template: base + "/branches/{branch}/commits",
                    path: repo + "/branches/protected-1/commits", body: .json(["message": "direct"]), status: 403),
                Step(
                    operation: "logCommits", method: "GET", template: base + "/refs/{ref}/commits",
                    path: repo + "/refs/main/commits", query: [("amount", "2")], status: 200),
                Step(
                    operation: "getCommit", method: "GET", template: base + "/commits/{commitId}",
                    path: repo + "/commits/\(ids.ingestHead)", status: 200),
                Step(
                    operation: "getCommit", method: "GET", template: base + "/commits/{commitId}",
                    path: repo + "/commits/\(String(repeating: "f", count: 64))", status: 404),
                Step(
                    operation: "mergeIntoBranch", method: "POST",
                    template: base + "/refs/{sourceRef}/merge/{destinationBranch}",
                    path: repo + "/refs/ingest/merge/main", body: .json(["message": "publish"]), status: 200),
                Step(
                    operation: "mergeIntoBranch", method: "POST",
                    template: base + "/refs/{sourceRef}/merge/{destinationBranch}",
                    path: repo + "/refs/ingest/merge/main", status: 400),
                Step(
                    operation: "mergeIntoBranch", method: "POST",
                    template: base + "/refs/{sourceRef}/merge/{destinationBranch}",
                    path: repo + "/refs/right/merge/left", status: 409),
                Step(
                    operation: "mergeIntoBranch", method: "POST",
                    template: base + "/refs/{sourceRef}/merge/{destinationBranch}",
                    path: repo + "/refs/ingest/merge/gated", status: 412),
                Step(
                    operation: "findMergeBase", method: "GET",
                    template: base + "/refs/{sourceRef}/merge/{destinationBranch}",
                    path: repo + "/refs/right/merge/left", status: 200),
                Step(
                    operation: "diffRefs", method: "GET", template: base + "/refs/{leftRef}/diff/{rightRef}",
                    path: repo + "/refs/left/diff/right", status: 200),
                Step(
                    operation: "diffRefs", method: "GET", template: base + "/refs/{leftRef}/diff/{rightRef}",
                    path: repo + "/refs/left/diff/right", query: [("type", "two_dot"), ("delimiter", "/")], status: 200),
                Step(
                    operation: "listRepositoryRuns", method: "GET", template: base + "/actions/runs",
                    path: repo + "/actions/runs", status: 200),
                Step(
                    operation: "revertBranch", method: "POST", template: base + "/branches/{branch}/revert",
                    path: repo + "/branches/left/revert", body: .json(["ref": ids.leftHead, "parent_number": 1]),
                    status: 204),
                Step(
                    operation: "revertBranch", method: "POST", template: base + "/branches/{branch}/revert",
                    path: repo + "/branches/main/revert", body: .json(["ref": "main", "parent_number": 0]), status: 409),
                Step(
                    operation: "hardResetBranch", method: "PUT", template: base + "/branches/{branch}/hard_reset",
                    path: repo + "/branches/dev/hard_reset", query: [("ref", "main")], status: 204),
                Step(
                    operation: "hardResetBranch", method: "PUT", template: base + "/branches/{branch}/hard_reset",
                    path: repo + "/branches/dev/hard_reset", status: 400),
                Step(
                    operation: "deleteObject", method: "DELETE", template: base + "/branches/{branch}/objects",
                    path: repo + "/branches/ingest/objects", query: [("path", "tables/events.csv")], status: 204),
                Step(
                    operation: "resetBranch", method: "PUT", template: base + "/branches/{branch}",
                    path: repo + "/branches/dev", body: .json(["type": "reset"]), status: 204),
                Step(
                    operation: "deleteBranch", method: "DELETE", template: base + "/branches/{branch}",
                    path: repo + "/branches/dev", status: 204),
                Step(
                    operation: "deleteBranch", method: "DELETE", template: base + "/branches/{branch}",
                    path: repo + "/branches/main", status: 403),
                Step(
                    operation: "deleteRepository", method: "DELETE", template: base, path: "/repositories/created",
                    status: 204),
            ]
            for step in steps { try await run(step, spec: spec, lakeFS: lakeFS, client: client) }

            // The failed merge into `gated` left a run to read back through the action endpoints.
            let runID = try #require(lakeFS.actionRuns(repository: "analytics").first { !$0.passed }?.runID)
            let runSteps: [Step] = [
                Step(
                    operation: "getRun", method: "GET", template: base + "/actions/runs/{run_id}",
                    path: repo + "/actions/runs/\(runID)", status: 200),
                Step(
                    operation: "getRun", method: "GET", template: base + "/actions/runs/{run_id}",
                    path: repo + "/actions/runs/unknown", status: 404),
                Step(
                    operation: "listRunHooks", method: "GET", template: base + "/actions/runs/{run_id}/hooks",
                    path: repo + "/actions/runs/\(runID)/hooks", status: 200),
                Step(
                    operation: "getRunHookOutput", method: "GET",
                    template: base + "/actions/runs/{run_id}/hooks/{hook_run_id}/output",
                    path: repo + "/actions/runs/\(runID)/hooks/0000_0000/output", status: 200),
            ]
            for step in runSteps { try await run(step, spec: spec, lakeFS: lakeFS, client: client) }

            let served = Set(LakeFSAPI.routeTable.entries.map(\.operation))
            let unexercised = served.subtracting(lakeFS.requests.counts.keys)
            #expect(unexercised.isEmpty, "operations the walk does not reach: \(unexercised.sorted())")
        }
    }

    @Test("every route the simulator serves is a swagger.yml operation with the same method, path and id")
    func routesMatchSpec() throws {
        let spec = try OpenAPISpec.lakeFS.get()
        for route in LakeFSAPI.routeTable.entries {
            let operation = spec.operation(route.method, route.template)
            #expect(operation?["operationId"]?.string == route.operation, "\(route.method) \(route.template)")
        }
    }

    @Test("injected failures conform too: 500 and 503 as the default error, 429 as declared")
    func injectedFailures() async throws {
        let spec = try OpenAPISpec.lakeFS.get()
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let getBranch = LakeFSSimulator.Operation.getBranch
            lakeFS.faults.failNext(1, with: .lakeFSBranchLocked, operation: getBranch)
            lakeFS.faults.failNext(1, with: .lakeFSSlowDown, operation: getBranch)
            lakeFS.faults.failNext(1, with: .tooManyRequests, operation: getBranch)
            for status in [500, 503, 429] {
                try await run(
                    Step(
                        operation: getBranch, method: "GET", template: base + "/branches/{branch}",
                        path: "/repositories/analytics/branches/main", status: status),
                    spec: spec, lakeFS: lakeFS, client: client)
            }
        }
    }

    @Test("the validator itself catches a missing required property and a wrong type")
    func validatorCatchesDrift() throws {
        let spec = try OpenAPISpec.lakeFS.get()
        let drifted = TestResponse(
            status: 200, headers: [("Content-Type", "application/json")],
            body: Array(#"{"id": "main", "commit_id": 42}"#.utf8))
        let problems = spec.problems("GET", base + "/branches/{branch}", response: drifted)
        #expect(problems.contains { $0.contains("/commit_id is integer, want string") })
        let missing = TestResponse(
            status: 200, headers: [("Content-Type", "application/json")], body: Array(#"{"id": "main"}"#.utf8))
        #expect(
            spec.problems("GET", base + "/branches/{branch}", response: missing).contains { $0.contains("'commit_id'") }
        )
        let undeclared = TestResponse(status: 418, headers: [], body: [])
        #expect(spec.problems("GET", base + "/branches/{branch}", response: undeclared).count == 1)
    }

    // MARK: Helpers

    private struct ArrangedIDs {
        var ingestHead: String
        var leftHead: String
    }

    /// `ingest` one commit ahead of main; `left` and `right` in conflict over one path;
    /// `gated` with a failing pre-merge hook; `protected-1` with uncommitted changes.
    private func arrange(_ lakeFS: LakeFSSimulator) throws -> ArrangedIDs {
        try lakeFS.createRepository("analytics")
        try lakeFS.write(repository: "analytics", branch: "main", path: "tables/shared.csv", content: "base")
        try lakeFS.commit(repository: "analytics", branch: "main", message: "seed")
        try lakeFS.createBranch(repository: "analytics", name: "ingest", from: "main")
        try lakeFS.write(repository: "analytics", branch: "ingest", path: "tables/events.csv", content: "rows")
        let ingestHead = try lakeFS.commit(repository: "analytics", branch: "ingest", message: "load")
        for side in ["left", "right"] {
            try lakeFS.createBranch(repository: "analytics", name: side, from: "main")
            try lakeFS.write(repository: "analytics", branch: side, path: "tables/shared.csv", content: side)
            try lakeFS.write(repository: "analytics", branch: side, path: "tables/\(side).csv", content: side)
            try lakeFS.commit(repository: "analytics", branch: side, message: "edit on \(side)")
        }
        try lakeFS.write(repository: "analytics", branch: "left", path: "tables/left-only-later.csv", content: "x")
        let leftHead = try lakeFS.commit(repository: "analytics", branch: "left", message: "later on left")
        try lakeFS.createBranch(repository: "analytics", name: "gated", from: "main")
        try lakeFS.setPreMergeHook(
            repository: "analytics", branch: "gated", verdict: .fail(hookID: "nulls", output: "3 nulls in user_id"))
        try lakeFS.createBranch(repository: "analytics", name: "protected-1", from: "main")
        try lakeFS.write(repository: "analytics", branch: "protected-1", path: "x", content: "x")
        return ArrangedIDs(ingestHead: ingestHead, leftHead: leftHead)
    }

    private func run(_ step: Step, spec: OpenAPISpec, lakeFS: LakeFSSimulator, client: HTTPTestClient) async throws {
        let label = "\(step.method) \(step.path)"
        let operation = try #require(spec.operation(step.method, step.template), "\(label): not in the spec")
        #expect(operation["operationId"]?.string == step.operation, "\(label): spec operation differs")
        let countBefore = lakeFS.requestCount(step.operation)
        var sender = client
        if !step.authenticated { sender.credentials = nil }
        let response = try await sender.send(
            step.method, step.path, query: step.query, body: step.body, headers: step.headers)
        #expect(lakeFS.requestCount(step.operation) == countBefore + 1, "\(label): routed to another operation")
        #expect(response.status == step.status, "\(label): \(response.text)")
        let problems = spec.problems(step.method, step.template, response: response)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
