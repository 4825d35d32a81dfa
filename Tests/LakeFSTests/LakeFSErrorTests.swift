import Foundation
import IntegrationSupport
import LakeFS
import Testing

/// What each lakeFS error status becomes, per call, and whether retrying helps.
/// Messages are lakeFS's own (pkg/graveler/errors.go, pkg/api/controller.go).
@Suite("lakeFS errors become typed errors that say whether a retry can help")
struct LakeFSErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var request: @Sendable () throws -> LakeFSRequest
        var status: Int
        var body: String
        var kind: LakeFSError.Kind
        var retryable: Bool
    }

    static let getBranch = LakeFSRequests.getBranch(repository: "hmco-curated", branch: "dev")
    static let deleteBranch = LakeFSRequests.deleteBranch(repository: "hmco-curated", branch: "prod")
    static let hardReset = LakeFSRequests.hardReset(repository: "hmco-curated", branch: "prod", to: "p1")
    static var merge: LakeFSRequest {
        get throws { try LakeFSRequests.merge(repository: "hmco-curated", source: "dev", destination: "prod") }
    }
    static var createBranch: LakeFSRequest {
        get throws { try LakeFSRequests.createBranch(repository: "hmco-curated", name: "dev", source: "prod") }
    }
    static var createRepository: LakeFSRequest {
        get throws { try LakeFSRequests.createRepository(.init(name: "hmco-curated", storageNamespace: "s3://b/")) }
    }
    static var revert: LakeFSRequest {
        get throws { try LakeFSRequests.revert(repository: "hmco-curated", branch: "prod", ref: "m3", parentNumber: 1) }
    }
    static var setProtection: LakeFSRequest {
        get throws {
            try LakeFSRequests.setBranchProtection(repository: "hmco-curated", patterns: ["prod"], ifMatch: "e1")
        }
    }

    static let cases: [Case] = [
        Case(
            testDescription: "404 on get branch is notFound", request: { getBranch }, status: 404,
            body: #"{"message":"branch not found"}"#, kind: .notFound, retryable: false),
        Case(
            testDescription: "409 on create branch is alreadyExists", request: { try createBranch }, status: 409,
            body: #"{"message":"branch already exists: not unique"}"#, kind: .alreadyExists, retryable: false),
        Case(
            testDescription: "409 on create repository is alreadyExists", request: { try createRepository },
            status: 409,
            body: #"{"message":"not unique"}"#, kind: .alreadyExists, retryable: false),
        Case(
            testDescription: "409 on merge with an Error body is mergeConflict", request: { try merge }, status: 409,
            body: #"{"message":"conflict found"}"#, kind: .mergeConflict, retryable: false),
        Case(
            testDescription: "409 on merge with the deprecated MergeResult body is mergeConflict",
            request: { try merge },
            status: 409, body: #"{"reference":""}"#, kind: .mergeConflict, retryable: false),
        Case(
            testDescription: "409 on revert is conflict", request: { try revert }, status: 409,
            body: #"{"message":"conflict found"}"#, kind: .conflict, retryable: false),
        Case(
            testDescription: "409 on reverting a merge commit without a parent number is badRequest",
            request: { try revert }, status: 409,
            body: #"{"message":"must specify 1-based parent number for reverting merge commit"}"#, kind: .badRequest,
            retryable: false),
        Case(
            testDescription: "412 with a hook message is hookFailed", request: { try merge }, status: 412,
            body:
                #"{"message":"pre-merge hook aborted, run id 'abc123': 1 error occurred:\n\t* hook run id '0000_0000' failed on action 'quality' hook 'dq_check': webhook request failed (status code: 500)\n\n"}"#,
            kind: .hookFailed, retryable: false),
        Case(
            testDescription: "412 on create branch with a pre-create-branch hook message is hookFailed",
            request: { try createBranch }, status: 412,
            body: #"{"message":"pre-create-branch hook aborted, run id 'r9': 1 error occurred"}"#, kind: .hookFailed,
            retryable: false),
        Case(
            testDescription: "412 on set protection rules is etagMismatch", request: { try setProtection }, status: 412,
            body: #"{"message":"precondition failed"}"#, kind: .etagMismatch, retryable: true),
        Case(
            testDescription: "412 without a hook message elsewhere is preconditionFailed", request: { try merge },
            status: 412,
            body: #"{"message":"precondition failed"}"#, kind: .preconditionFailed, retryable: false),
        Case(
            testDescription: "403 on merge into a protected branch is protectedBranch", request: { try merge },
            status: 403,
            body: #"{"message":"cannot write to protected branch"}"#, kind: .protectedBranch, retryable: false),
        Case(
            testDescription: "403 on deleting the default branch is forbidden", request: { deleteBranch }, status: 403,
            body: #"{"message":"cannot delete repository default branch"}"#, kind: .forbidden, retryable: false),
        Case(
            testDescription: "400 no changes on merge is nothingToMerge", request: { try merge }, status: 400,
            body: #"{"message":"no changes"}"#, kind: .nothingToMerge, retryable: false),
        Case(
            testDescription: "400 on a hard reset of a dirty branch is dirtyBranch", request: { hardReset },
            status: 400,
            body: #"{"message":"uncommitted changes (dirty branch)"}"#, kind: .dirtyBranch, retryable: false),
        Case(
            testDescription: "400 with a bad strategy is badRequest", request: { try merge }, status: 400,
            body: #"{"message":"invalid strategy"}"#, kind: .badRequest, retryable: false),
        Case(
            testDescription: "401 is unauthorized", request: { getBranch }, status: 401,
            body: #"{"message":"error authenticating request"}"#, kind: .unauthorized, retryable: false),
        Case(
            testDescription: "410 is gone and retryable", request: { getBranch }, status: 410,
            body: #"{"message":"repository in deletion"}"#, kind: .gone, retryable: true),
        Case(
            testDescription: "429 is rateLimited and retryable", request: { try merge }, status: 429, body: "",
            kind: .rateLimited, retryable: true),
        Case(
            testDescription: "500 branch locked is branchLocked and retryable", request: { try merge }, status: 500,
            body: #"{"message":"branch is currently locked, try again later"}"#, kind: .branchLocked, retryable: true),
        Case(
            testDescription: "503 throughput exceeded is retryable", request: { try merge }, status: 503,
            body: #"{"message":"Throughput exceeded. Slow down and retry"}"#, kind: .throughputExceeded,
            retryable: true),
        Case(
            testDescription: "503 from a proxy is a retryable serverError", request: { getBranch }, status: 503,
            body: "<html>Service Unavailable</html>", kind: .serverError, retryable: true),
        Case(
            testDescription: "500 is a retryable serverError", request: { getBranch }, status: 500,
            body: #"{"message":"internal error"}"#, kind: .serverError, retryable: true),
        Case(
            testDescription: "an undocumented 405 is unexpectedStatus", request: { getBranch }, status: 405, body: "",
            kind: .unexpectedStatus, retryable: false),
    ]

    @Test("each status maps to its kind", arguments: cases)
    func mapping(_ example: Case) throws {
        let request = try example.request()
        let error = LakeFSResponses.error(for: response(example.status, example.body), of: request)
        #expect(error.kind == example.kind)
        #expect(error.isRetryable == example.retryable)
        #expect(error.status == example.status)
        #expect(error.operation == request.operation)
        #expect(error.metricLabel == example.kind.description)
    }

    @Test("a failed pre-merge gate yields the run id, the event and each failed hook")
    func hookFailureParsing() throws {
        let message =
            "pre-merge hook aborted, run id 'abc123': 1 error occurred: * hook run id '0000_0000' failed on action 'quality' hook 'dq_check': 3 rows with null order_id"
        let failure = try #require(LakeFSResponses.hookFailure(in: message))
        #expect(failure.eventType == "pre-merge")
        #expect(failure.runID == "abc123")
        #expect(
            failure.failedHooks == [
                .init(
                    hookRunID: "0000_0000", action: "quality", hookID: "dq_check", reason: "3 rows with null order_id")
            ])
    }

    @Test("a multi-line message from lakeFS lists every failed hook, action names may have spaces")
    func hookFailureParsingMultiline() throws {
        let message = """
            pre-commit hook aborted, run id '5kepqvj1nilti6cut9hg': 2 errors occurred:
            \t* hook run id '0000_0000' failed on action 'pre commit metadata field check' hook 'check_commit_metadata': runtime error: [string "lua"]:7: missing mandatory metadata field: owner
            \t* hook run id '0000_0001' failed on action 'quality' hook 'dq_check': webhook request failed (status code: 500)


            """
        let failure = try #require(LakeFSResponses.hookFailure(in: message))
        #expect(failure.eventType == "pre-commit")
        #expect(failure.runID == "5kepqvj1nilti6cut9hg")
        #expect(failure.failedHooks.map(\.hookRunID) == ["0000_0000", "0000_0001"])
        #expect(failure.failedHooks.map(\.action) == ["pre commit metadata field check", "quality"])
        #expect(failure.failedHooks.map(\.hookID) == ["check_commit_metadata", "dq_check"])
        #expect(
            failure.failedHooks.first?.reason
                == #"runtime error: [string "lua"]:7: missing mandatory metadata field: owner"#)
        #expect(failure.failedHooks.last?.reason == "webhook request failed (status code: 500)")
    }

    @Test("a message without a hook is not a hook failure")
    func notAHookFailure() {
        #expect(LakeFSResponses.hookFailure(in: "precondition failed") == nil)
        #expect(LakeFSResponses.hookFailure(in: "pre-merge hook aborted, run id ''") == nil)
    }

    @Test("a 412 merge error carries the parsed hook failure and says what was being done")
    func hookFailedError() throws {
        let body =
            #"{"message":"pre-merge hook aborted, run id 'abc123': 1 error occurred: * hook run id '0000_0000' failed on action 'quality' hook 'dq_check': ..."}"#
        let error = LakeFSResponses.error(for: response(412, body), of: try Self.merge)
        #expect(error.kind == .hookFailed)
        let failure = try #require(error.hookFailure)
        #expect(failure.runID == "abc123")
        #expect(failure.eventType == "pre-merge")
        #expect(failure.failedHooks.first?.hookID == "dq_check")
        #expect(
            error.description.hasPrefix(
                "while merging dev into prod in repository hmco-curated: pre-merge hook aborted, run id 'abc123'"))
        #expect(error.description.hasSuffix("(HTTP 412)"))
    }

    @Test("a 409 merge with no message reads as lakeFS's 'conflict found'")
    func conflictWithoutMessage() throws {
        let error = LakeFSResponses.error(for: response(409, #"{"reference":""}"#), of: try Self.merge)
        #expect(error.message == "conflict found")
        #expect(
            error.description == "while merging dev into prod in repository hmco-curated: conflict found (HTTP 409)")
    }

    @Test("429 keeps the Retry-After delay")
    func retryAfter() {
        let error = LakeFSResponses.error(
            for: response(429, "", headers: [("Retry-After", "7")]), of: Self.getBranch)
        #expect(error.retryAfter == .seconds(7))
        #expect(error.message == "too many requests")
    }

    @Test("a non-JSON error body is kept as the message")
    func textBody() {
        let error = LakeFSResponses.error(
            for: BackendResponse(status: 502, headers: [], body: Data("upstream connect error\n".utf8)),
            of: Self.getBranch)
        #expect(error.kind == .serverError)
        #expect(error.message == "upstream connect error")
    }

    @Test("timeouts and refused connections are retryable transport errors")
    func transport() throws {
        let timeout = LakeFSResponses.error(
            for: TransportError(system: "lakeFS", operation: "x", kind: .timeout, detail: "deadlineExceeded"),
            of: try Self.merge)
        #expect(timeout.kind == .timeout)
        #expect(timeout.isRetryable)
        #expect(timeout.status == nil)
        #expect(
            timeout.description == "while merging dev into prod in repository hmco-curated: timed out: deadlineExceeded"
        )
        let refused = LakeFSResponses.error(
            for: TransportError(system: "lakeFS", operation: "x", kind: .connection, detail: "connection refused"),
            of: Self.getBranch)
        #expect(refused.kind == .connection)
        #expect(refused.isRetryable)
    }

    @Test("a merge conflict error lists some conflicting paths in its description")
    func conflictDescription() throws {
        var error = LakeFSResponses.error(for: response(409, #"{"message":"conflict found"}"#), of: try Self.merge)
        error.conflicts = (1...7).map { "t/\($0).parquet" }
        #expect(
            error.description
                == "while merging dev into prod in repository hmco-curated: conflict found (conflicting paths: t/1.parquet, t/2.parquet, t/3.parquet, t/4.parquet, t/5.parquet, …) (HTTP 409)"
        )
    }
}
