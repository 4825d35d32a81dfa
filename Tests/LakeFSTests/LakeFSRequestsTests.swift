import Foundation
import LakeFS
import Testing

/// Every request is checked against swagger.yml (lakeFS v1.84.0): method, path,
/// query names and the JSON body's snake_case fields.
@Suite("Requests are built exactly as the lakeFS API v1 spec names them")
struct LakeFSRequestsTests {
    @Test("create repository posts a RepositoryCreation with snake_case fields")
    func createRepository() throws {
        let request = try LakeFSRequests.createRepository(
            LakeFSRepositoryCreation(
                name: "hmco-curated", storageNamespace: "s3://example-bucket/", defaultBranch: "prod"))
        #expect(request.method == "POST")
        #expect(request.target == "/repositories")
        #expect(
            canonicalJSON(request.body)
                == canonicalJSON(
                    #"{"name":"hmco-curated","storage_namespace":"s3://example-bucket/","default_branch":"prod"}"#))
        #expect(request.operation == "creating repository hmco-curated")
    }

    @Test("a bare repository is asked for with ?bare=true and the optional flags are sent only when set")
    func createBareRepository() throws {
        let request = try LakeFSRequests.createRepository(
            LakeFSRepositoryCreation(
                name: "raw", storageNamespace: "mem://raw", sampleData: true, readOnly: true, bare: true))
        #expect(request.target == "/repositories?bare=true")
        #expect(
            canonicalJSON(request.body)
                == canonicalJSON(#"{"name":"raw","storage_namespace":"mem://raw","sample_data":true,"read_only":true}"#)
        )
    }

    @Test("get repository and get branch read single resources")
    func getters() {
        #expect(LakeFSRequests.getRepository("hmco-curated").description == "GET /repositories/hmco-curated")
        #expect(
            LakeFSRequests.getBranch(repository: "hmco-curated", branch: "dev").description
                == "GET /repositories/hmco-curated/branches/dev")
        #expect(
            LakeFSRequests.getCommit(repository: "r", commitID: "a1b2c3").description
                == "GET /repositories/r/commits/a1b2c3")
        #expect(LakeFSRequests.healthCheck().description == "GET /healthcheck")
    }

    @Test("create branch posts a BranchCreation from any source ref and accepts the text/html answer")
    func createBranch() throws {
        let request = try LakeFSRequests.createBranch(repository: "hmco-curated", name: "dev", source: "prod")
        #expect(request.description == "POST /repositories/hmco-curated/branches")
        #expect(canonicalJSON(request.body) == canonicalJSON(#"{"name":"dev","source":"prod"}"#))
        #expect(request.accept.contains("text/html"))
        #expect(request.operation == "creating branch dev from prod in repository hmco-curated")
    }

    @Test("delete branch sends force only when asked")
    func deleteBranch() {
        #expect(
            LakeFSRequests.deleteBranch(repository: "r", branch: "dev").description
                == "DELETE /repositories/r/branches/dev")
        #expect(
            LakeFSRequests.deleteBranch(repository: "r", branch: "dev", force: true).description
                == "DELETE /repositories/r/branches/dev?force=true")
    }

    @Test("list branches pages with after and amount, and the page size is capped at 1000")
    func listBranches() {
        #expect(
            LakeFSRequests.listBranches(repository: "r").description == "GET /repositories/r/branches?amount=1000")
        #expect(
            LakeFSRequests.listBranches(repository: "r", prefix: "feature-", after: "feature-b", amount: 5000)
                .description
                == "GET /repositories/r/branches?prefix=feature-&after=feature-b&amount=1000")
    }

    @Test("log commits names stop_at, limit, first_parent and since as the spec does")
    func logCommits() {
        let request = LakeFSRequests.logCommits(
            repository: "r", ref: "dev", stopAt: "prod", since: Date(timeIntervalSince1970: 1_700_000_000),
            firstParent: true, limit: true, amount: 1)
        #expect(request.method == "GET")
        #expect(request.path == "/repositories/r/refs/dev/commits")
        #expect(
            request.query == [
                .init("amount", "1"), .init("limit", "true"), .init("first_parent", "true"),
                .init("since", "2023-11-14T22:13:20Z"), .init("stop_at", "prod"),
            ])
    }

    @Test("diff refs is three-dot by default and pages")
    func diffRefs() {
        #expect(
            LakeFSRequests.diffRefs(repository: "r", left: "prod", right: "dev", after: "a/b.parquet", amount: 100)
                .description == "GET /repositories/r/refs/prod/diff/dev?after=a%2Fb.parquet&amount=100&type=three_dot")
        #expect(
            LakeFSRequests.diffRefs(repository: "r", left: "prod", right: "dev", mode: .twoDot, prefix: "tables/")
                .description == "GET /repositories/r/refs/prod/diff/dev?amount=1000&prefix=tables%2F&type=two_dot")
    }

    @Test("find merge base is a GET on the merge path")
    func findMergeBase() {
        #expect(
            LakeFSRequests.findMergeBase(repository: "hmco-curated", source: "dev", destination: "prod").description
                == "GET /repositories/hmco-curated/refs/dev/merge/prod")
    }

    @Test("merge posts message, metadata, strategy, squash_merge and allow_empty")
    func merge() throws {
        let request = try LakeFSRequests.merge(
            repository: "hmco-curated", source: "dev", destination: "prod",
            options: LakeFSMergeOptions(
                message: "Merge dev into prod", metadata: ["hmco.io/databranch": "team-a/dev"],
                strategy: .sourceWins, squash: true, allowEmpty: true))
        #expect(request.description == "POST /repositories/hmco-curated/refs/dev/merge/prod")
        #expect(
            canonicalJSON(request.body)
                == canonicalJSON(
                    #"{"message":"Merge dev into prod","metadata":{"hmco.io/databranch":"team-a/dev"},"strategy":"source-wins","squash_merge":true,"allow_empty":true}"#
                ))
        #expect(request.operation == "merging dev into prod in repository hmco-curated")
    }

    @Test("a default merge sends an empty Merge object and dest-wins is spelled as the spec says")
    func defaultMerge() throws {
        let plain = try LakeFSRequests.merge(repository: "r", source: "dev", destination: "prod")
        #expect(canonicalJSON(plain.body) == "{}")
        let destWins = try LakeFSRequests.merge(
            repository: "r", source: "dev", destination: "prod", options: LakeFSMergeOptions(strategy: .destinationWins)
        )
        #expect(canonicalJSON(destWins.body) == canonicalJSON(#"{"strategy":"dest-wins"}"#))
    }

    @Test("action runs are listed by branch and commit; hooks and output have their own paths")
    func actions() {
        #expect(
            LakeFSRequests.listActionRuns(repository: "r", branch: "prod", commit: "c0ffee").description
                == "GET /repositories/r/actions/runs?amount=1000&branch=prod&commit=c0ffee")
        #expect(
            LakeFSRequests.getActionRun(repository: "r", runID: "run-1").description
                == "GET /repositories/r/actions/runs/run-1")
        #expect(
            LakeFSRequests.listRunHooks(repository: "r", runID: "run-1").description
                == "GET /repositories/r/actions/runs/run-1/hooks?amount=1000")
        let output = LakeFSRequests.getHookOutput(repository: "r", runID: "run-1", hookRunID: "0000_0000")
        #expect(output.description == "GET /repositories/r/actions/runs/run-1/hooks/0000_0000/output")
        #expect(output.accept.contains("application/octet-stream"))
    }

    @Test("revert posts ref and parent_number, with commit_overrides only when given")
    func revert() throws {
        let merge = try LakeFSRequests.revert(repository: "r", branch: "prod", ref: "abc123", parentNumber: 1)
        #expect(merge.description == "POST /repositories/r/branches/prod/revert")
        #expect(canonicalJSON(merge.body) == canonicalJSON(#"{"ref":"abc123","parent_number":1}"#))

        let ordinary = try LakeFSRequests.revert(
            repository: "r", branch: "prod", ref: "def456", parentNumber: 0,
            options: LakeFSRevertOptions(message: "Roll back bad load", metadata: ["request": "rb-1"], allowEmpty: true)
        )
        #expect(
            canonicalJSON(ordinary.body)
                == canonicalJSON(
                    #"{"ref":"def456","parent_number":0,"allow_empty":true,"commit_overrides":{"message":"Roll back bad load","metadata":{"request":"rb-1"}}}"#
                ))
    }

    @Test("hard reset is a PUT on hard_reset with the target in ?ref= and no body")
    func hardReset() {
        let request = LakeFSRequests.hardReset(repository: "r", branch: "prod", to: "abc123")
        #expect(request.description == "PUT /repositories/r/branches/prod/hard_reset?ref=abc123")
        #expect(request.body == nil)
    }

    @Test("branch protection is read and written whole, with If-Match when an ETag is known")
    func branchProtection() throws {
        #expect(
            LakeFSRequests.getBranchProtection(repository: "r").description
                == "GET /repositories/r/settings/branch_protection")
        let request = try LakeFSRequests.setBranchProtection(
            repository: "r", patterns: ["prod", "stable_*"], ifMatch: "2e9ec317e197e02e4264d128c2e7e681")
        #expect(request.description == "PUT /repositories/r/settings/branch_protection")
        #expect(request.headers == [.init("If-Match", "2e9ec317e197e02e4264d128c2e7e681")])
        #expect(canonicalJSON(request.body) == canonicalJSON(#"[{"pattern":"prod"},{"pattern":"stable_*"}]"#))
        let unguarded = try LakeFSRequests.setBranchProtection(repository: "r", patterns: [], ifMatch: nil)
        #expect(unguarded.headers.isEmpty)
        #expect(canonicalJSON(unguarded.body) == "[]")
    }

    @Test("path segments and query values are percent-encoded; refs keep ~ and .")
    func escaping() {
        #expect(
            LakeFSRequests.logCommits(repository: "r", ref: "dev~1").path == "/repositories/r/refs/dev~1/commits")
        #expect(
            LakeFSRequests.getBranch(repository: "r", branch: "a b/ü").path == "/repositories/r/branches/a%20b%2F%C3%BC"
        )
        #expect(
            LakeFSRequests.hardReset(repository: "r", branch: "dev", to: "main@").target
                == "/repositories/r/branches/dev/hard_reset?ref=main%40")
    }
}
