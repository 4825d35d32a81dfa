import Foundation
import IntegrationSupport
import LakeFS
import Testing

/// A stand-in transport: answers scripted responses per `METHOD /path?query`,
/// in order, and records what it was sent. It speaks raw JSON only.
actor ScriptedLakeFS {
    struct Sent: Sendable {
        var line: String
        var headers: [String: String]
        var body: String?
    }

    private var script: [String: [BackendResponse]] = [:]
    private(set) var sent: [Sent] = []

    func on(_ line: String, _ responses: BackendResponse...) {
        script[line, default: []] += responses
    }

    func answer(_ request: LakeFSRequest) throws -> BackendResponse {
        let line = request.description
        sent.append(
            Sent(
                line: line, headers: Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                body: canonicalJSON(request.body)))
        guard var queue = script[line], !queue.isEmpty else {
            return response(404, #"{"message":"no script for \#(line)"}"#)
        }
        let next = queue.removeFirst()
        script[line] = queue
        return next
    }

    var lines: [String] { sent.map(\.line) }

    nonisolated func client(_ configuration: HTTPLakeFSClient.Configuration = .init()) -> HTTPLakeFSClient {
        HTTPLakeFSClient(configuration: configuration) { try await self.answer($0) }
    }
}

func refPage(_ names: [String], next: String?) -> BackendResponse {
    let results = names.map { #"{"id":"\#($0)","commit_id":"c-\#($0)"}"# }.joined(separator: ",")
    return response(
        200,
        #"{"pagination":{"has_more":\#(next != nil),"next_offset":"\#(next ?? "")","results":\#(names.count),"max_per_page":1000},"results":[\#(results)]}"#
    )
}

@Suite("HTTPLakeFSClient follows pages, finds conflicts and maps failures")
struct HTTPLakeFSClientTests {
    @Test("listing branches follows next_offset until has_more is false")
    func pagination() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on("GET /repositories/r/branches?amount=1000", refPage(["a", "b"], next: "b"))
        await lakeFS.on("GET /repositories/r/branches?after=b&amount=1000", refPage(["c", "d"], next: "d"))
        await lakeFS.on("GET /repositories/r/branches?after=d&amount=1000", refPage(["e"], next: nil))
        let branches = try await lakeFS.client().listBranches(repository: "r")
        #expect(branches.map(\.id) == ["a", "b", "c", "d", "e"])
        #expect(branches.last?.commitID == "c-e")
        #expect(await lakeFS.lines.count == 3)
    }

    @Test("a list stops at the configured cap and asks only for what it still needs")
    func cap() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on("GET /repositories/r/branches?amount=2", refPage(["a", "b"], next: "b"))
        await lakeFS.on("GET /repositories/r/branches?after=b&amount=1", refPage(["c"], next: "c"))
        let client = lakeFS.client(.init(pageSize: 2, maxListItems: 3))
        #expect(try await client.listBranches(repository: "r").map(\.id) == ["a", "b", "c"])
        #expect(await lakeFS.lines.count == 2)
    }

    @Test("a server that repeats an offset ends the list instead of looping")
    func repeatedOffset() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on("GET /repositories/r/branches?amount=1000", refPage(["a"], next: "a"))
        await lakeFS.on(
            "GET /repositories/r/branches?after=a&amount=1000", refPage(["b"], next: "a"), refPage(["b"], next: "a"))
        #expect(try await lakeFS.client().listBranches(repository: "r").map(\.id) == ["a", "b"])
        #expect(await lakeFS.lines.count == 2)
    }

    @Test("a bounded log asks lakeFS to stop early with limit and reads one page")
    func boundedLog() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on(
            "GET /repositories/r/refs/dev/commits?amount=1&limit=true&stop_at=prod",
            response(
                200,
                #"{"pagination":{"has_more":true,"next_offset":"d2","results":1,"max_per_page":1000},"results":[{"id":"d2","parents":["p1"],"committer":"etl","message":"load","creation_date":1700000100,"meta_range_id":"mr"}]}"#
            ))
        let commits = try await lakeFS.client().logCommits(
            repository: "r", ref: "dev", options: LakeFSLogOptions(stopAt: "prod", maxCommits: 1))
        #expect(commits.map(\.id) == ["d2"])
        #expect(await lakeFS.lines.count == 1)
    }

    @Test("whether a branch has commits not in the target comes from the merge base")
    func hasCommitsNotIn() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on(
            "GET /repositories/r/refs/dev/merge/prod",
            response(200, #"{"source_commit_id":"d2","destination_commit_id":"p1","base_commit_id":"p1"}"#),
            response(200, #"{"source_commit_id":"d2","destination_commit_id":"m3","base_commit_id":"d2"}"#))
        let client = lakeFS.client()
        #expect(try await client.hasCommitsNotIn(repository: "r", source: "dev", destination: "prod"))
        #expect(try await !client.hasCommitsNotIn(repository: "r", source: "dev", destination: "prod"))
    }

    @Test("create branch returns the branch at the commit lakeFS wrote as plain text")
    func createBranch() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on(
            "POST /repositories/r/branches",
            BackendResponse(status: 201, headers: [(name: "Content-Type", value: "text/html")], body: Data("p1".utf8)))
        let branch = try await lakeFS.client().createBranch(repository: "r", name: "dev", source: "prod")
        #expect(branch == LakeFSBranch(id: "dev", commitID: "p1"))
        #expect(await lakeFS.sent.first?.body == canonicalJSON(#"{"name":"dev","source":"prod"}"#))
    }

    @Test("a successful merge returns the destination's new commit")
    func merge() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on("POST /repositories/r/refs/dev/merge/prod", response(200, #"{"reference":"m3"}"#))
        let reference = try await lakeFS.client().merge(
            repository: "r", source: "dev", destination: "prod", options: LakeFSMergeOptions(message: "gate passed"))
        #expect(reference == "m3")
        #expect(await lakeFS.sent.first?.body == canonicalJSON(#"{"message":"gate passed"}"#))
    }

    @Test("a merge conflict names the conflicting paths found by a three-dot diff")
    func mergeConflict() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on("POST /repositories/r/refs/dev/merge/prod", response(409, #"{"reference":""}"#))
        await lakeFS.on(
            "GET /repositories/r/refs/prod/diff/dev?amount=1000&type=three_dot",
            response(
                200,
                #"{"pagination":{"has_more":true,"next_offset":"t/b","results":2,"max_per_page":1000},"results":[{"type":"conflict","path":"t/a","path_type":"object"},{"type":"added","path":"t/b","path_type":"object"}]}"#
            ))
        await lakeFS.on(
            "GET /repositories/r/refs/prod/diff/dev?after=t%2Fb&amount=1000&type=three_dot",
            response(
                200,
                #"{"pagination":{"has_more":false,"next_offset":"","results":1,"max_per_page":1000},"results":[{"type":"conflict","path":"t/c","path_type":"object"}]}"#
            ))
        do {
            _ = try await lakeFS.client().merge(repository: "r", source: "dev", destination: "prod")
            Issue.record("expected a merge conflict")
        } catch let error as LakeFSError {
            #expect(error.kind == .mergeConflict)
            #expect(error.conflicts == ["t/a", "t/c"])
            #expect(!error.isRetryable)
        }
    }

    @Test("a conflict is still reported when its paths cannot be listed")
    func mergeConflictWithoutPaths() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on("POST /repositories/r/refs/dev/merge/prod", response(409, #"{"message":"conflict found"}"#))
        await lakeFS.on("GET /repositories/r/refs/prod/diff/dev?amount=1000&type=three_dot", response(500))
        do {
            _ = try await lakeFS.client().merge(repository: "r", source: "dev", destination: "prod")
            Issue.record("expected a merge conflict")
        } catch let error as LakeFSError {
            #expect(error.kind == .mergeConflict)
            #expect(error.conflicts.isEmpty)
        }
    }

    @Test("a failed quality gate can be explained from the run's failed hooks and their output")
    func gateFailure() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on(
            "POST /repositories/r/refs/dev/merge/prod",
            response(
                412,
                #"{"message":"pre-merge hook aborted, run id 'run-7': 1 error occurred:\n\t* hook run id '0000_0001' failed on action 'quality' hook 'dq_check': webhook request failed (status code: 422)\n\n"}"#
            ))
        await lakeFS.on(
            "GET /repositories/r/actions/runs/run-7/hooks?amount=1000",
            response(
                200,
                #"{"pagination":{"has_more":false,"next_offset":"","results":2,"max_per_page":1000},"results":[{"hook_run_id":"0000_0000","action":"quality","hook_id":"schema","start_time":"2023-11-14T22:13:20Z","status":"completed"},{"hook_run_id":"0000_0001","action":"quality","hook_id":"dq_check","start_time":"2023-11-14T22:13:20Z","status":"failed"}]}"#
            ))
        await lakeFS.on(
            "GET /repositories/r/actions/runs/run-7/hooks/0000_0001/output",
            BackendResponse(
                status: 200, headers: [], body: Data("\nStatus Code: 422\n3 rows with null order_id\n".utf8)))
        let client = lakeFS.client()
        var runID = ""
        do {
            _ = try await client.merge(repository: "r", source: "dev", destination: "prod")
        } catch let error as LakeFSError {
            #expect(error.kind == .hookFailed)
            runID = error.hookFailure?.runID ?? ""
        }
        #expect(runID == "run-7")
        let reports = try await client.failedHookReports(repository: "r", runID: runID)
        #expect(reports.map(\.hook.hookID) == ["dq_check"])
        #expect(reports.first?.firstLines() == ["Status Code: 422", "3 rows with null order_id"])
    }

    @Test("adding a protection rule re-reads and retries when the ETag no longer matches")
    func protectionWithETag() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on(
            "GET /repositories/r/settings/branch_protection",
            response(200, #"[{"pattern":"main"}]"#, headers: [("ETag", "e1")]),
            response(200, #"[{"pattern":"main"},{"pattern":"stable_*"}]"#, headers: [("ETag", "e2")]))
        await lakeFS.on(
            "PUT /repositories/r/settings/branch_protection", response(412, #"{"message":"precondition failed"}"#),
            response(204))
        let changed = try await lakeFS.client().addBranchProtection(repository: "r", pattern: "prod")
        #expect(changed)
        let puts = await lakeFS.sent.filter { $0.line.hasPrefix("PUT") }
        #expect(puts.map { $0.headers["If-Match"] } == ["e1", "e2"])
        #expect(puts.last?.body == canonicalJSON(#"[{"pattern":"main"},{"pattern":"stable_*"},{"pattern":"prod"}]"#))
    }

    @Test("a rule already present is not written again")
    func protectionUnchanged() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on(
            "GET /repositories/r/settings/branch_protection",
            response(200, #"[{"pattern":"prod"}]"#, headers: [("ETag", "e1")]))
        #expect(try await !lakeFS.client().addBranchProtection(repository: "r", pattern: "prod"))
        #expect(await lakeFS.lines == ["GET /repositories/r/settings/branch_protection"])
    }

    @Test("revert and hard reset succeed on 204 with no body")
    func rollback() async throws {
        let lakeFS = ScriptedLakeFS()
        await lakeFS.on("POST /repositories/r/branches/prod/revert", response(204))
        await lakeFS.on("PUT /repositories/r/branches/prod/hard_reset?ref=p1", response(204))
        let client = lakeFS.client()
        try await client.revert(repository: "r", branch: "prod", commit: "m3", parentNumber: 1)
        try await client.hardReset(repository: "r", branch: "prod", to: "p1")
        #expect(await lakeFS.sent.first?.body == canonicalJSON(#"{"ref":"m3","parent_number":1}"#))
    }

    @Test("no answer at all becomes a retryable connection error for the operation")
    func transportFailure() async throws {
        let client = HTTPLakeFSClient { request in
            throw TransportError(system: "lakeFS", operation: request.operation, kind: .connection, detail: "refused")
        }
        do {
            try await client.deleteBranch(repository: "r", branch: "dev")
            Issue.record("expected an error")
        } catch let error as LakeFSError {
            #expect(error.kind == .connection)
            #expect(error.isRetryable)
            #expect(error.description == "while deleting branch dev in repository r: cannot connect: refused")
        }
    }

    @Test("the API base path is added to a server address unless present")
    func apiBaseURL() throws {
        let plain = try #require(URL(string: "http://lakefs:8000"))
        let slash = try #require(URL(string: "http://lakefs:8000/"))
        let full = try #require(URL(string: "http://lakefs:8000/api/v1"))
        #expect(HTTPLakeFSClient.apiBaseURL(plain).absoluteString == "http://lakefs:8000/api/v1")
        #expect(HTTPLakeFSClient.apiBaseURL(slash).absoluteString == "http://lakefs:8000/api/v1")
        #expect(HTTPLakeFSClient.apiBaseURL(full).absoluteString == "http://lakefs:8000/api/v1")
    }
}
