import Foundation
import Simulators
import Testing

/// `main`, and `ingest` one commit ahead of it.
private func arrange(_ lakeFS: LakeFSSimulator) throws {
    try lakeFS.createRepository("analytics")
    try lakeFS.createBranch(repository: "analytics", name: "ingest", from: "main")
    try lakeFS.write(repository: "analytics", branch: "ingest", path: "events.parquet", content: "rows")
    try lakeFS.commit(repository: "analytics", branch: "ingest", message: "load")
}

private let mergePath = "/repositories/analytics/refs/ingest/merge/main"

/// The run id in lakeFS's hook abort message.
private func runID(in message: String) -> String? {
    guard let start = message.range(of: "run id '")?.upperBound,
        let end = message[start...].firstIndex(of: "'")
    else { return nil }
    return String(message[start..<end])
}

@Suite("lakeFS simulator: pre-merge hooks and action runs")
struct LakeFSHookTests {
    @Test("a failing pre-merge hook aborts the merge with 412 and lakeFS's message")
    func failingHook() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            let mainHead = lakeFS.branchHead(repository: "analytics", branch: "main")
            try lakeFS.setPreMergeHook(
                repository: "analytics", branch: "main", actionName: "data quality",
                verdict: .fail(hookID: "check_nulls", output: "column user_id has 3 nulls\nsee report"))

            let response = try await client.post(mergePath)
            #expect(response.status == 412)
            let message = try #require(response.message)
            #expect(message.hasPrefix("pre-merge hook aborted, run id '"))
            #expect(message.contains("failed on action 'data quality' hook 'check_nulls': column user_id has 3 nulls"))
            #expect(lakeFS.branchHead(repository: "analytics", branch: "main") == mainHead)

            let id = try #require(runID(in: message))
            let run = try await client.get("/repositories/analytics/actions/runs/\(id)").json()
            #expect(run["status"]?.string == "failed")
            #expect(run["event_type"]?.string == "pre-merge")
            #expect(run["branch"]?.string == "main")

            let hooks = try await client.get("/repositories/analytics/actions/runs/\(id)/hooks").json()
            let hook = try #require(hooks["results"]?[0])
            #expect(hook["hook_id"]?.string == "check_nulls")
            #expect(hook["action"]?.string == "data quality")
            #expect(hook["status"]?.string == "failed")
            let hookRunID = try #require(hook["hook_run_id"]?.string)

            let output = try await client.get("/repositories/analytics/actions/runs/\(id)/hooks/\(hookRunID)/output")
            #expect(output.status == 200)
            #expect(output.header("Content-Type") == "application/octet-stream")
            #expect(output.text == "column user_id has 3 nulls\nsee report")
        }
    }

    @Test("once the verdict passes the merge goes through and its run records the merge commit")
    func passingAfterFailing() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.setPreMergeHook(
                repository: "analytics", branch: "main", verdict: .fail(hookID: "gate", output: "bad"))
            #expect(try await client.post(mergePath).status == 412)
            try lakeFS.setPreMergeHook(repository: "analytics", branch: "main", verdict: .pass)
            let merged = try await client.post(mergePath)
            #expect(merged.status == 200)
            let reference = try #require(try merged.json()["reference"]?.string)

            let runs = lakeFS.actionRuns(repository: "analytics")
            #expect(runs.map(\.passed) == [true, false])
            #expect(runs.first?.commitID == reference)
            let listed = try await client.get(
                "/repositories/analytics/actions/runs", query: [("commit", reference)]
            ).json()
            #expect(listed["results"]?.array?.count == 1)
            #expect(listed["results"]?[0]?["status"]?.string == "completed")
        }
    }

    @Test("a hook scripted on the source branch applies to merges from it")
    func sourceBranchHook() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.setPreMergeHook(
                repository: "analytics", branch: "ingest", verdict: .fail(hookID: "schema", output: "schema drift"))
            #expect(try await client.post(mergePath).status == 412)
            try lakeFS.removePreMergeHook(repository: "analytics", branch: "ingest")
            #expect(try await client.post(mergePath).status == 200)
        }
    }

    @Test("merges without a scripted hook record no run")
    func noHookNoRun() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            #expect(try await client.post(mergePath).status == 200)
            let runs = try await client.get("/repositories/analytics/actions/runs").json()
            #expect(runs["results"]?.array?.isEmpty == true)
        }
    }

    @Test("runs are listed newest first, filtered by branch, in pages")
    func listRuns() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.setPreMergeHook(
                repository: "analytics", branch: "main", verdict: .fail(hookID: "gate", output: "no"))
            for _ in 0..<3 { #expect(try await client.post(mergePath).status == 412) }
            let expected = lakeFS.actionRuns(repository: "analytics").map(\.runID)
            #expect(expected == expected.sorted())

            let first = try await client.get(
                "/repositories/analytics/actions/runs", query: [("branch", "main"), ("amount", "2")]
            ).json()
            #expect(first["results"]?.array?.compactMap { $0["run_id"]?.string } == Array(expected.prefix(2)))
            let next = try #require(first["pagination"]?["next_offset"]?.string)
            let second = try await client.get(
                "/repositories/analytics/actions/runs", query: [("branch", "main"), ("after", next)]
            ).json()
            #expect(second["results"]?.array?.compactMap { $0["run_id"]?.string } == [expected[2]])
            let otherBranch = try await client.get(
                "/repositories/analytics/actions/runs", query: [("branch", "ingest")])
            #expect(try otherBranch.json()["results"]?.array?.isEmpty == true)
        }
    }

    @Test("an unknown run or hook run is 404")
    func unknownRun() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            #expect(try await client.get("/repositories/analytics/actions/runs/nope").status == 404)
            try lakeFS.setPreMergeHook(
                repository: "analytics", branch: "main", verdict: .fail(hookID: "gate", output: "no"))
            let id = try #require(runID(in: try await client.post(mergePath).message ?? ""))
            #expect(
                try await client.get("/repositories/analytics/actions/runs/\(id)/hooks/9999_9999/output").status == 404)
        }
    }
}
