import Foundation
import IntegrationSupport
import LakeFS
import Testing

/// Bodies recorded in the shapes of swagger.yml's schemas (values from its
/// examples where it has them), decoded by the client's parsers.
@Suite("Responses are read as the lakeFS API v1 spec writes them")
struct LakeFSResponsesTests {
    @Test("a Repository decodes with its snake_case fields")
    func repository() throws {
        let request = LakeFSRequests.getRepository("hmco-curated")
        let repository = try LakeFSResponses.decode(
            LakeFSRepository.self,
            from: response(
                200,
                #"{"id":"hmco-curated","creation_date":1700000000,"default_branch":"prod","storage_namespace":"s3://example-bucket/","read_only":false}"#
            ), of: request)
        #expect(
            repository
                == LakeFSRepository(
                    id: "hmco-curated", creationDate: 1_700_000_000, defaultBranch: "prod",
                    storageNamespace: "s3://example-bucket/", readOnly: false))
    }

    @Test("create branch answers 201 with the commit id as a text/html body, not JSON")
    func createdBranch() throws {
        let request = try LakeFSRequests.createBranch(repository: "r", name: "dev", source: "prod")
        let answer = BackendResponse(
            status: 201, headers: [(name: "Content-Type", value: "text/html")],
            body: Data("cf1d4c5b8e1c2b7f0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a\n".utf8))
        #expect(
            try LakeFSResponses.createdBranchCommitID(from: answer, of: request)
                == "cf1d4c5b8e1c2b7f0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a")
        #expect(try LakeFSResponses.createdBranchCommitID(from: response(201, #""c0ffee""#), of: request) == "c0ffee")
    }

    @Test("an empty 201 from create branch is an invalid response, not a commit id")
    func emptyCreatedBranch() throws {
        let request = try LakeFSRequests.createBranch(repository: "r", name: "dev", source: "prod")
        do {
            _ = try LakeFSResponses.createdBranchCommitID(from: response(201), of: request)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidResponse)
            #expect(!error.isRetryable)
        }
    }

    @Test("a RefList page yields the branches and the offset of the next page")
    func refListPage() throws {
        let body = #"""
            {"pagination":{"has_more":true,"next_offset":"dev","results":2,"max_per_page":1000},
             "results":[{"id":"audit","commit_id":"a1"},{"id":"dev","commit_id":"b2"}]}
            """#
        let page = try LakeFSResponses.page(
            LakeFSBranch.self, from: response(200, body), of: LakeFSRequests.listBranches(repository: "r"))
        #expect(page.items == [LakeFSBranch(id: "audit", commitID: "a1"), LakeFSBranch(id: "dev", commitID: "b2")])
        #expect(page.nextOffset == "dev")
    }

    @Test("the last page has no next offset even when the server repeats one")
    func lastPage() throws {
        let body =
            #"{"pagination":{"has_more":false,"next_offset":"dev","results":1,"max_per_page":1000},"results":[{"id":"dev","commit_id":"b2"}]}"#
        let page = try LakeFSResponses.page(
            LakeFSBranch.self, from: response(200, body), of: LakeFSRequests.listBranches(repository: "r"))
        #expect(page.nextOffset == nil)
    }

    @Test("a CommitList decodes parents, metadata and generation; a merge commit says so")
    func commitList() throws {
        let body = #"""
            {"pagination":{"has_more":false,"next_offset":"","results":2,"max_per_page":1000},"results":[
              {"id":"m3","parents":["p1","d2"],"committer":"hmco-operator","message":"Merge dev into prod",
               "creation_date":1700000300,"meta_range_id":"mr3","metadata":{"hmco.io/databranch":"team-a/dev"},"generation":3,"version":1},
              {"id":"p1","parents":[],"committer":"admin","message":"Repository created","creation_date":1700000000,"meta_range_id":""}
            ]}
            """#
        let page = try LakeFSResponses.page(
            LakeFSCommit.self, from: response(200, body), of: LakeFSRequests.logCommits(repository: "r", ref: "prod"))
        #expect(page.items.map(\.id) == ["m3", "p1"])
        #expect(page.items[0].isMerge)
        #expect(page.items[0].metadata == ["hmco.io/databranch": "team-a/dev"])
        #expect(page.items[0].generation == 3)
        #expect(!page.items[1].isMerge)
        #expect(page.items[1].metadata == nil)
    }

    @Test("a DiffList keeps conflict entries and tolerates diff types the spec may add")
    func diffList() throws {
        let body = #"""
            {"pagination":{"has_more":false,"next_offset":"","results":3,"max_per_page":1000},"results":[
              {"type":"conflict","path":"tables/orders/part-0.parquet","path_type":"object","size_bytes":1024},
              {"type":"added","path":"tables/customers/","path_type":"common_prefix"},
              {"type":"renamed","path":"x","path_type":"object"}
            ]}
            """#
        let page = try LakeFSResponses.page(
            LakeFSDiff.self, from: response(200, body),
            of: LakeFSRequests.diffRefs(repository: "r", left: "prod", right: "dev"))
        #expect(page.items.map(\.type) == [.conflict, .added, LakeFSDiffType(rawValue: "renamed")])
        #expect(page.items[0].sizeBytes == 1024)
        #expect(page.items[1].pathType == "common_prefix")
    }

    @Test("a merge base tells whether the source is ahead of the destination")
    func mergeBase() throws {
        let request = LakeFSRequests.findMergeBase(repository: "r", source: "dev", destination: "prod")
        let ahead = try LakeFSResponses.decode(
            LakeFSMergeBase.self,
            from: response(200, #"{"source_commit_id":"d2","destination_commit_id":"p1","base_commit_id":"p1"}"#),
            of: request)
        #expect(ahead.sourceIsAhead)
        let merged = try LakeFSResponses.decode(
            LakeFSMergeBase.self,
            from: response(200, #"{"source_commit_id":"d2","destination_commit_id":"m3","base_commit_id":"d2"}"#),
            of: request)
        #expect(!merged.sourceIsAhead)
    }

    @Test("action runs and hook runs decode with their times")
    func actionRuns() throws {
        let runs = try LakeFSResponses.page(
            LakeFSActionRun.self,
            from: response(
                200,
                #"""
                {"pagination":{"has_more":false,"next_offset":"","results":1,"max_per_page":1000},"results":[
                  {"run_id":"20231114T221320_abc123","branch":"prod","start_time":"2023-11-14T22:13:20.123456789Z",
                   "end_time":"2023-11-14T22:13:21Z","event_type":"pre-merge","status":"failed","commit_id":"d2"}]}
                """#), of: LakeFSRequests.listActionRuns(repository: "r", branch: "prod"))
        let run = try #require(runs.items.first)
        #expect(run.runID == "20231114T221320_abc123")
        #expect(run.eventType == "pre-merge")
        #expect(run.status == .failed)
        let start = try #require(run.startDate)
        #expect(abs(start.timeIntervalSince1970 - 1_700_000_000.123456789) < 0.001)
        #expect(run.endDate == Date(timeIntervalSince1970: 1_700_000_001))

        let hooks = try LakeFSResponses.page(
            LakeFSHookRun.self,
            from: response(
                200,
                #"""
                {"pagination":{"has_more":false,"next_offset":"","results":2,"max_per_page":1000},"results":[
                  {"hook_run_id":"0000_0000","action":"quality","hook_id":"dq_check","start_time":"2023-11-14T22:13:20Z","end_time":"2023-11-14T22:13:21Z","status":"failed"},
                  {"hook_run_id":"0000_0001","action":"quality","hook_id":"schema_check","start_time":"2023-11-14T22:13:20+02:00","status":"completed"}]}
                """#), of: LakeFSRequests.listRunHooks(repository: "r", runID: "20231114T221320_abc123"))
        #expect(hooks.items.map(\.hookID) == ["dq_check", "schema_check"])
        #expect(hooks.items.map(\.status) == [.failed, .completed])
        #expect(hooks.items[1].startDate == Date(timeIntervalSince1970: 1_699_992_800))
    }

    @Test("branch protection rules come with the ETag header")
    func branchProtection() throws {
        let rules = try LakeFSResponses.branchProtection(
            from: response(
                200, #"[{"pattern":"prod"},{"pattern":"stable_*"}]"#,
                headers: [("ETag", "2e9ec317e197e02e4264d128c2e7e681")]),
            of: LakeFSRequests.getBranchProtection(repository: "r"))
        #expect(rules.patterns == ["prod", "stable_*"])
        #expect(rules.etag == "2e9ec317e197e02e4264d128c2e7e681")
        #expect(rules.protects("stable_2024"))
        #expect(rules.protects("prod"))
        #expect(!rules.protects("production"))
        #expect(!rules.protects("dev"))
    }

    @Test("protection patterns match like fnmatch: * any run, ? one character")
    func globbing() {
        let rules = LakeFSBranchProtection(patterns: ["rel-?", "*-frozen", "a*b*c"], etag: nil)
        #expect(rules.protects("rel-1"))
        #expect(!rules.protects("rel-10"))
        #expect(rules.protects("q4-frozen"))
        #expect(rules.protects("-frozen"))
        #expect(rules.protects("axxbyyc"))
        #expect(!rules.protects("axxbyy"))
    }

    @Test("hook output is returned as text")
    func hookOutput() throws {
        let log =
            "HTTP POST http://quality-gate:8080/check\nRequest Headers:\n...\nStatus Code: 500\n3 rows with null order_id\n"
        let output = try LakeFSResponses.hookOutput(
            from: BackendResponse(
                status: 200, headers: [(name: "Content-Type", value: "application/octet-stream")], body: Data(log.utf8)),
            of: LakeFSRequests.getHookOutput(repository: "r", runID: "run", hookRunID: "0000_0000"))
        #expect(output == log)
        let report = LakeFSHookReport(
            hook: LakeFSHookRun(
                hookRunID: "0000_0000", action: "quality", hookID: "dq_check", startTime: "", status: .failed),
            output: output)
        #expect(report.firstLines(2) == ["HTTP POST http://quality-gate:8080/check", "Request Headers:"])
    }

    @Test("a success body that does not match the schema is an invalid response naming the operation")
    func malformed() {
        let request = LakeFSRequests.getBranch(repository: "r", branch: "dev")
        do {
            _ = try LakeFSResponses.decode(LakeFSBranch.self, from: response(200, #"{"id":"dev"}"#), of: request)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidResponse)
            #expect(error.description.hasPrefix("while reading branch dev in repository r: cannot read LakeFSBranch"))
        }
    }
}
