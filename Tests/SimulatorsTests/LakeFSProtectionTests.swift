import Foundation
import Simulators
import Testing

@Suite("lakeFS simulator: branch protection, locks and faults")
struct LakeFSProtectionTests {
    private let rulesPath = "/repositories/analytics/settings/branch_protection"

    @Test("protection rules round-trip with an ETag; a stale If-Match is 412")
    func rulesWithETag() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let empty = try await client.get(rulesPath)
            #expect(empty.status == 200)
            #expect(try empty.json() == .array([]))
            let etag = try #require(empty.header("ETag"))

            let set = try await client.put(
                rulesPath, .json([["pattern": "main"], ["pattern": "release-*"]]), headers: [("If-Match", etag)])
            #expect(set.status == 204)
            let current = try await client.get(rulesPath)
            #expect(try current.json().array?.compactMap { $0["pattern"]?.string } == ["main", "release-*"])
            #expect(current.header("ETag") != etag)

            let stale = try await client.put(rulesPath, .json([["pattern": "dev"]]), headers: [("If-Match", etag)])
            #expect(stale.status == 412)
            #expect(lakeFS.protectionRules(repository: "analytics") == ["main", "release-*"])
            #expect(try await client.put(rulesPath, .json([["pattern": ""]])).status == 400)
            #expect(try await client.put(rulesPath, .json([] as [Any])).status == 204)
            #expect(lakeFS.protectionRules(repository: "analytics").isEmpty)
        }
    }

    @Test("a protected branch refuses commits, deletion, resets and writes with 403 but accepts merges")
    func enforcement() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.createBranch(repository: "analytics", name: "release-1", from: "main")
            try lakeFS.createBranch(repository: "analytics", name: "ingest", from: "main")
            try lakeFS.write(repository: "analytics", branch: "ingest", path: "x", content: "1")
            try lakeFS.commit(repository: "analytics", branch: "ingest", message: "x")
            try lakeFS.setProtectionRules(repository: "analytics", patterns: ["rel?ase-*"])
            try lakeFS.write(repository: "analytics", branch: "release-1", path: "staged-before", content: "1")

            let commit = try await client.post(
                "/repositories/analytics/branches/release-1/commits", .json(["message": "direct"]))
            #expect(commit.status == 403)
            #expect(commit.message == "cannot commit to protected branch")
            #expect(try await client.delete("/repositories/analytics/branches/release-1").status == 403)
            #expect(
                try await client.put("/repositories/analytics/branches/release-1/hard_reset", query: [("ref", "main")])
                    .status == 403)
            #expect(
                try await client.put("/repositories/analytics/branches/release-1", .json(["type": "reset"])).status
                    == 403)
            #expect(
                try await client.post(
                    "/repositories/analytics/branches/release-1/objects", query: [("path", "y")], .raw("y")
                ).status == 403)

            // The Swift API arranges state past the rules; a merge then needs a clean destination.
            try lakeFS.commit(repository: "analytics", branch: "release-1", message: "arranged")
            #expect(try await client.post("/repositories/analytics/refs/ingest/merge/release-1").status == 200)
        }
    }

    @Test("a locked branch answers 500 'branch is currently locked, try again later' until unlocked")
    func branchLock() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.createBranch(repository: "analytics", name: "ingest", from: "main")
            try lakeFS.write(repository: "analytics", branch: "ingest", path: "x", content: "1")
            try lakeFS.commit(repository: "analytics", branch: "ingest", message: "x")
            try lakeFS.lockBranch(repository: "analytics", branch: "main")

            let locked = try await client.post("/repositories/analytics/refs/ingest/merge/main")
            #expect(locked.status == 500)
            #expect(locked.message == "branch is currently locked, try again later")
            try lakeFS.unlockBranch(repository: "analytics", branch: "main")
            #expect(try await client.post("/repositories/analytics/refs/ingest/merge/main").status == 200)
        }
    }

    @Test("injected faults answer in lakeFS's error shape and are counted per operation")
    func faults() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let merge = LakeFSSimulator.Operation.mergeIntoBranch
            lakeFS.faults.failNext(1, with: .lakeFSBranchLocked, operation: merge)
            lakeFS.faults.failNext(1, with: .lakeFSSlowDown, operation: merge)
            lakeFS.faults.failNext(1, with: .tooManyRequests, operation: merge)
            let path = "/repositories/analytics/refs/main/merge/main"
            let first = try await client.post(path)
            let second = try await client.post(path)
            let third = try await client.post(path)
            #expect([first.status, second.status, third.status] == [500, 503, 429] as [Int])
            #expect(first.message == "branch is currently locked, try again later")
            #expect(second.message == "Throughput exceeded. Slow down and retry")
            #expect(third.message == "Too Many Requests")
            #expect(try await client.post(path).status == 400)
            #expect(lakeFS.requestCount(merge) == 4)
            #expect(lakeFS.requestCount(LakeFSSimulator.Operation.getBranch) == 0)
        }
    }

    @Test("after a restart on the same port the state is still there")
    func restart() async throws {
        let lakeFS = LakeFSSimulator()
        try await lakeFS.start()
        try lakeFS.createRepository("analytics")
        let client = try HTTPTestClient(lakeFS: lakeFS)
        await lakeFS.stop()
        await #expect(throws: (any Error).self) {
            try await client.send("GET", "/repositories/analytics", timeout: .seconds(1))
        }
        try await lakeFS.start()
        #expect(try await client.get("/repositories/analytics").status == 200)
        await lakeFS.stop()
    }
}
