import Foundation
import Simulators
import Testing

@Suite("lakeFS simulator: branches, commits and the log")
struct LakeFSBranchTests {
    @Test("a branch created from any ref answers 201 with the commit id as plain text")
    func createFromRefs() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let root = try #require(lakeFS.branchHead(repository: "analytics", branch: "main"))
            try lakeFS.write(repository: "analytics", branch: "main", path: "a.csv", content: "1")
            let second = try lakeFS.commit(repository: "analytics", branch: "main", message: "second")

            let fromBranch = try await client.post(
                "/repositories/analytics/branches", .json(["name": "from-branch", "source": "main"]))
            #expect(fromBranch.status == 201)
            #expect(fromBranch.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(fromBranch.text == second)

            let fromCommit = try await client.post(
                "/repositories/analytics/branches", .json(["name": "from-commit", "source": root]))
            #expect(fromCommit.text == root)
            let fromAncestor = try await client.post(
                "/repositories/analytics/branches", .json(["name": "from-ancestor", "source": "main~1"]))
            #expect(fromAncestor.text == root)
            let fromPrefix = try await client.post(
                "/repositories/analytics/branches", .json(["name": "from-prefix", "source": String(second.prefix(12))]))
            #expect(fromPrefix.text == second)
        }
    }

    @Test("branches are pointers: a new branch adds no commit and shares its source's history")
    func zeroCopy() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let before = lakeFS.log(repository: "analytics", ref: "main")
            _ = try await client.post("/repositories/analytics/branches", .json(["name": "dev", "source": "main"]))
            #expect(lakeFS.log(repository: "analytics", ref: "dev") == before)
            #expect(lakeFS.branchHead(repository: "analytics", branch: "dev") == before.first?.id)
        }
    }

    @Test("creating an existing branch is 409, from a missing ref 404, with a bad name 400")
    func createErrors() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let path = "/repositories/analytics/branches"
            #expect(try await client.post(path, .json(["name": "main", "source": "main"])).status == 409)
            #expect(try await client.post(path, .json(["name": "dev", "source": "nope"])).status == 404)
            #expect(try await client.post(path, .json(["name": "bad/name", "source": "main"])).status == 400)
            #expect(try await client.post(path, .json(["name": "dev"])).status == 400)
            #expect(
                try await client.post("/repositories/missing/branches", .json(["name": "x", "source": "main"])).status
                    == 404)
        }
    }

    @Test("branches are listed in pages with after, amount, has_more and next_offset")
    func listBranches() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            for name in ["c", "a", "b"] { try lakeFS.createBranch(repository: "analytics", name: name, from: "main") }
            var names: [String] = []
            var after = ""
            var pages = 0
            while true {
                let page = try await client.get(
                    "/repositories/analytics/branches", query: [("amount", "2"), ("after", after)]
                ).json()
                names += page["results"]?.array?.compactMap { $0["id"]?.string } ?? []
                pages += 1
                guard page["pagination"]?["has_more"]?.bool == true else { break }
                after = try #require(page["pagination"]?["next_offset"]?.string)
            }
            #expect(names == ["a", "b", "c", "main"])
            #expect(pages == 2)
            let filtered = try await client.get("/repositories/analytics/branches", query: [("prefix", "m")]).json()
            #expect(filtered["results"]?.array?.compactMap { $0["id"]?.string } == ["main"])
        }
    }

    @Test("a commit takes the uncommitted changes and moves the branch head")
    func commit() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.createBranch(repository: "analytics", name: "ingest", from: "main")
            let before = try #require(lakeFS.branchHead(repository: "analytics", branch: "ingest"))
            try lakeFS.write(repository: "analytics", branch: "ingest", path: "events/day1.parquet", content: "rows")

            let diff = try await client.get("/repositories/analytics/branches/ingest/diff").json()
            #expect(diff["results"]?[0]?["path"]?.string == "events/day1.parquet")
            #expect(diff["results"]?[0]?["type"]?.string == "added")

            let response = try await client.post(
                "/repositories/analytics/branches/ingest/commits",
                .json(["message": "load day 1", "metadata": ["source": "kafka"]]))
            #expect(response.status == 201)
            let commit = try response.json()
            let id = try #require(commit["id"]?.string)
            #expect(commit["parents"]?.array?.compactMap(\.string) == [before])
            #expect(commit["message"]?.string == "load day 1")
            #expect(commit["committer"]?.string == "admin")
            #expect(commit["metadata"]?["source"]?.string == "kafka")
            #expect(commit["generation"]?.int == 2)
            #expect(lakeFS.branchHead(repository: "analytics", branch: "ingest") == id)
            #expect(lakeFS.uncommittedPaths(repository: "analytics", branch: "ingest").isEmpty)
            #expect(lakeFS.read(repository: "analytics", ref: id, path: "events/day1.parquet") == "rows")
            #expect(lakeFS.read(repository: "analytics", ref: "main", path: "events/day1.parquet") == nil)
        }
    }

    @Test("committing nothing is 400 'no changes' unless allow_empty is set")
    func emptyCommit() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let path = "/repositories/analytics/branches/main/commits"
            let refused = try await client.post(path, .json(["message": "nothing"]))
            #expect(refused.status == 400)
            #expect(refused.message == "no changes")
            #expect(try await client.post(path, .json(["message": "nothing", "allow_empty": true])).status == 201)
            #expect(try await client.post(path, .json(["metadata": [:] as [String: String]])).status == 400)
        }
    }

    @Test("a commit is found by id or by any ref; an unknown id is 404")
    func getCommit() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let head = try #require(lakeFS.branchHead(repository: "analytics", branch: "main"))
            #expect(try await client.get("/repositories/analytics/commits/\(head)").json()["id"]?.string == head)
            #expect(try await client.get("/repositories/analytics/commits/main").json()["id"]?.string == head)
            try lakeFS.write(repository: "analytics", branch: "main", path: "a", content: "1")
            try lakeFS.commit(repository: "analytics", branch: "main", message: "a")
            #expect(try await client.get("/repositories/analytics/commits/main~1").json()["id"]?.string == head)
            #expect(try await client.get("/repositories/analytics/commits/main%5E1").json()["id"]?.string == head)
            let missing = try await client.get("/repositories/analytics/commits/\(String(repeating: "0", count: 64))")
            #expect(missing.status == 404)
            #expect(missing.message == "commit not found")
        }
    }

    @Test("the log walks the DAG newest first, with amount, after, stop_at, first_parent and limit")
    func log() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let root = try #require(lakeFS.branchHead(repository: "analytics", branch: "main"))
            try lakeFS.createBranch(repository: "analytics", name: "feature", from: "main")
            try lakeFS.write(repository: "analytics", branch: "main", path: "m", content: "1")
            let m1 = try lakeFS.commit(repository: "analytics", branch: "main", message: "m1")
            try lakeFS.write(repository: "analytics", branch: "feature", path: "f", content: "1")
            let f1 = try lakeFS.commit(repository: "analytics", branch: "feature", message: "f1")
            let merge = try lakeFS.merge(repository: "analytics", source: "feature", into: "main")

            func ids(_ query: [(String, String)]) async throws -> [String] {
                let list = try await client.get("/repositories/analytics/refs/main/commits", query: query).json()
                return list["results"]?.array?.compactMap { $0["id"]?.string } ?? []
            }
            let all = try await ids([])
            #expect(all.first == merge)
            #expect(Set(all) == [merge, m1, f1, root])
            #expect(all.last == root)
            #expect(try await ids([("first_parent", "true")]) == [merge, m1, root])
            #expect(try await ids([("stop_at", m1), ("first_parent", "true")]) == [merge, m1])
            #expect(try await ids([("amount", "1"), ("after", merge), ("first_parent", "true")]) == [m1])

            let page = try await client.get("/repositories/analytics/refs/main/commits", query: [("amount", "2")])
                .json()
            #expect(page["pagination"]?["has_more"]?.bool == true)
            #expect(page["pagination"]?["next_offset"]?.string == page["results"]?[1]?["id"]?.string)
            let limited = try await client.get(
                "/repositories/analytics/refs/main/commits", query: [("amount", "2"), ("limit", "true")]
            ).json()
            #expect(limited["results"]?.array?.count == 2)
            #expect(try await ids([("objects", "f")]) == [f1])
        }
    }

    @Test("a deleted branch answers 404; the default branch cannot be deleted")
    func deleteBranch() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.createBranch(repository: "analytics", name: "scratch", from: "main")
            #expect(try await client.delete("/repositories/analytics/branches/scratch").status == 204)
            let gone = try await client.get("/repositories/analytics/branches/scratch")
            #expect(gone.status == 404)
            #expect(try await client.delete("/repositories/analytics/branches/scratch").status == 404)
            let refused = try await client.delete("/repositories/analytics/branches/main")
            #expect(refused.status == 403)
            #expect(refused.message == "cannot delete repository default branch")
        }
    }

    @Test("objects uploaded over HTTP are uncommitted changes, readable on the branch")
    func objects() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            let uploaded = try await client.post(
                "/repositories/analytics/branches/main/objects", query: [("path", "raw/a.txt")], .raw("hello"))
            #expect(uploaded.status == 201)
            #expect(try uploaded.json()["size_bytes"]?.int == 5)
            let read = try await client.get("/repositories/analytics/refs/main/objects", query: [("path", "raw/a.txt")])
            #expect(read.text == "hello")
            #expect(lakeFS.uncommittedPaths(repository: "analytics", branch: "main") == ["raw/a.txt"])
            #expect(
                try await client.delete("/repositories/analytics/branches/main/objects", query: [("path", "raw/a.txt")])
                    .status == 204)
            #expect(
                try await client.get("/repositories/analytics/refs/main/objects", query: [("path", "raw/a.txt")]).status
                    == 404)
        }
    }

    @Test("resetting a branch drops its uncommitted changes")
    func resetUncommitted() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("analytics")
            try lakeFS.write(repository: "analytics", branch: "main", path: "a", content: "1")
            try lakeFS.write(repository: "analytics", branch: "main", path: "b", content: "2")
            #expect(
                try await client.put("/repositories/analytics/branches/main", .json(["type": "object", "path": "a"]))
                    .status == 204)
            #expect(lakeFS.uncommittedPaths(repository: "analytics", branch: "main") == ["b"])
            #expect(
                try await client.put("/repositories/analytics/branches/main", .json(["type": "reset"])).status == 204)
            #expect(lakeFS.uncommittedPaths(repository: "analytics", branch: "main").isEmpty)
            #expect(
                try await client.put("/repositories/analytics/branches/main", .json(["type": "nope"])).status == 400)
        }
    }
}
