import Foundation
import Simulators
import Testing

@Suite("lakeFS simulator: revert and hard reset")
struct LakeFSRollbackTests {
    @Test("reverting a commit undoes its changes in a new commit and answers 204")
    func revert() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.write(repository: "analytics", branch: "main", path: "keep", content: "1")
            try lakeFS.commit(repository: "analytics", branch: "main", message: "keep")
            try lakeFS.write(repository: "analytics", branch: "main", path: "bad", content: "oops")
            let bad = try lakeFS.commit(repository: "analytics", branch: "main", message: "bad load")

            let response = try await client.post(
                "/repositories/analytics/branches/main/revert", .json(["ref": bad, "parent_number": 0]))
            #expect(response.status == 204)
            #expect(response.body.isEmpty)
            let head = try #require(lakeFS.findCommit(repository: "analytics", ref: "main"))
            #expect(head.parents == [bad])
            #expect(head.message == "Revert \(bad)")
            #expect(lakeFS.read(repository: "analytics", ref: "main", path: "bad") == nil)
            #expect(lakeFS.read(repository: "analytics", ref: "main", path: "keep") == "1")
        }
    }

    @Test("reverting a merge commit needs a parent number: 0 is 409, out of range 400, 1 reverts the merge")
    func revertMerge() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.createBranch(repository: "analytics", name: "ingest", from: "main")
            try lakeFS.write(repository: "analytics", branch: "ingest", path: "day1", content: "rows")
            try lakeFS.commit(repository: "analytics", branch: "ingest", message: "load")
            let merge = try lakeFS.merge(repository: "analytics", source: "ingest", into: "main")
            let path = "/repositories/analytics/branches/main/revert"

            let unspecified = try await client.post(path, .json(["ref": merge, "parent_number": 0]))
            #expect(unspecified.status == 409)
            #expect(unspecified.message == "must specify 1-based parent number for reverting merge commit")
            #expect(try await client.post(path, .json(["ref": merge, "parent_number": 3])).status == 400)
            #expect(try await client.post(path, .json(["ref": merge])).status == 400)
            let reverted = try await client.post(
                path, .json(["ref": merge, "parent_number": 1, "commit_overrides": ["message": "roll back day 1"]]))
            #expect(reverted.status == 204)
            #expect(lakeFS.read(repository: "analytics", ref: "main", path: "day1") == nil)
            #expect(lakeFS.findCommit(repository: "analytics", ref: "main")?.message == "roll back day 1")
        }
    }

    @Test("a revert that conflicts with later changes is 409 and changes nothing")
    func revertConflict() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.write(repository: "analytics", branch: "main", path: "table", content: "v1")
            let first = try lakeFS.commit(repository: "analytics", branch: "main", message: "v1")
            try lakeFS.write(repository: "analytics", branch: "main", path: "table", content: "v2")
            let head = try lakeFS.commit(repository: "analytics", branch: "main", message: "v2")
            let response = try await client.post(
                "/repositories/analytics/branches/main/revert", .json(["ref": first, "parent_number": 1]))
            #expect(response.status == 409)
            #expect(response.message == "conflict found")
            #expect(lakeFS.branchHead(repository: "analytics", branch: "main") == head)
        }
    }

    @Test("a hard reset moves the branch to any ref and answers 204")
    func hardReset() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let root = try #require(lakeFS.branchHead(repository: "analytics", branch: "main"))
            try lakeFS.write(repository: "analytics", branch: "main", path: "a", content: "1")
            let later = try lakeFS.commit(repository: "analytics", branch: "main", message: "a")

            let response = try await client.put(
                "/repositories/analytics/branches/main/hard_reset", query: [("ref", "main~1")])
            #expect(response.status == 204)
            #expect(lakeFS.branchHead(repository: "analytics", branch: "main") == root)
            #expect(
                try await client.put("/repositories/analytics/branches/main/hard_reset", query: [("ref", later)]).status
                    == 204)
            #expect(lakeFS.branchHead(repository: "analytics", branch: "main") == later)
        }
    }

    @Test("a hard reset is refused while the branch has uncommitted changes, and without a ref")
    func hardResetRefused() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.write(repository: "analytics", branch: "main", path: "wip", content: "1")
            let dirty = try await client.put(
                "/repositories/analytics/branches/main/hard_reset", query: [("ref", "main")])
            #expect(dirty.status == 400)
            #expect(dirty.message == "main: uncommitted changes (dirty branch)")
            #expect(try await client.put("/repositories/analytics/branches/main/hard_reset").status == 400)
            #expect(
                try await client.put("/repositories/analytics/branches/main/hard_reset", query: [("ref", "nope")])
                    .status == 404)
        }
    }
}
