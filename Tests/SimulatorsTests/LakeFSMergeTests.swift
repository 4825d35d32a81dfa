import Foundation
import Simulators
import Testing

/// A repository with `main` and a `feature` branch made from it.
private func arrange(_ lakeFS: LakeFSSimulator) throws {
    try lakeFS.createRepository("analytics")
    try lakeFS.write(repository: "analytics", branch: "main", path: "shared.csv", content: "base")
    try lakeFS.commit(repository: "analytics", branch: "main", message: "seed")
    try lakeFS.createBranch(repository: "analytics", name: "feature", from: "main")
}

private let mergePath = "/repositories/analytics/refs/feature/merge/main"

@Suite("lakeFS simulator: merges")
struct LakeFSMergeTests {
    @Test("a merge makes a commit with the destination and source heads as parents")
    func merge() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            let mainHead = try #require(lakeFS.branchHead(repository: "analytics", branch: "main"))
            try lakeFS.write(repository: "analytics", branch: "feature", path: "new.csv", content: "rows")
            let featureHead = try lakeFS.commit(repository: "analytics", branch: "feature", message: "add rows")

            let response = try await client.post(mergePath, .json(["message": "publish", "metadata": ["pr": "7"]]))
            #expect(response.status == 200)
            let reference = try #require(try response.json()["reference"]?.string)
            #expect(lakeFS.branchHead(repository: "analytics", branch: "main") == reference)
            let commit = try await client.get("/repositories/analytics/commits/\(reference)").json()
            #expect(commit["parents"]?.array?.compactMap(\.string) == [mainHead, featureHead])
            #expect(commit["message"]?.string == "publish")
            #expect(commit["metadata"]?["pr"]?.string == "7")
            #expect(commit["metadata"]?[".lakefs.merge.strategy"]?.string == "default")
            #expect(lakeFS.read(repository: "analytics", ref: "main", path: "new.csv") == "rows")
        }
    }

    @Test("a merge without a body gets lakeFS's default message")
    func defaultMessage() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.write(repository: "analytics", branch: "feature", path: "x", content: "1")
            try lakeFS.commit(repository: "analytics", branch: "feature", message: "x")
            let reference = try #require(try await client.post(mergePath).json()["reference"]?.string)
            #expect(
                lakeFS.findCommit(repository: "analytics", ref: reference)?.message == "Merge 'feature' into 'main'")
        }
    }

    @Test("merging with nothing new is 400 'no changes' unless allow_empty is set")
    func nothingToMerge() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            let refused = try await client.post(mergePath)
            #expect(refused.status == 400)
            #expect(refused.message == "no changes")
            #expect(try await client.post(mergePath, .json(["allow_empty": true])).status == 200)
        }
    }

    @Test("a path changed on both sides since the base is a 409 conflict that changes nothing")
    func conflict() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.write(repository: "analytics", branch: "main", path: "shared.csv", content: "main's")
            try lakeFS.commit(repository: "analytics", branch: "main", message: "edit on main")
            try lakeFS.write(repository: "analytics", branch: "feature", path: "shared.csv", content: "feature's")
            try lakeFS.commit(repository: "analytics", branch: "feature", message: "edit on feature")
            let mainHead = lakeFS.branchHead(repository: "analytics", branch: "main")

            let response = try await client.post(mergePath)
            #expect(response.status == 409)
            #expect(try response.json()["reference"]?.string == "")
            #expect(response.message == "conflict found")
            #expect(lakeFS.branchHead(repository: "analytics", branch: "main") == mainHead)

            let diff = try await client.get("/repositories/analytics/refs/main/diff/feature").json()
            #expect(diff["results"]?[0]?["type"]?.string == "conflict")
            #expect(diff["results"]?[0]?["path"]?.string == "shared.csv")
        }
    }

    @Test(
        "dest-wins and source-wins settle a conflict",
        arguments: [("dest-wins", "main's"), ("source-wins", "feature's")])
    func strategies(strategy: String, winner: String) async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.write(repository: "analytics", branch: "main", path: "shared.csv", content: "main's")
            try lakeFS.commit(repository: "analytics", branch: "main", message: "edit on main")
            try lakeFS.write(repository: "analytics", branch: "feature", path: "shared.csv", content: "feature's")
            try lakeFS.write(repository: "analytics", branch: "feature", path: "only-feature.csv", content: "f")
            try lakeFS.commit(repository: "analytics", branch: "feature", message: "edit on feature")

            let response = try await client.post(mergePath, .json(["strategy": strategy]))
            #expect(response.status == 200)
            #expect(lakeFS.read(repository: "analytics", ref: "main", path: "shared.csv") == winner)
            #expect(lakeFS.read(repository: "analytics", ref: "main", path: "only-feature.csv") == "f")
            let head = try #require(lakeFS.findCommit(repository: "analytics", ref: "main"))
            #expect(head.metadata[".lakefs.merge.strategy"] == strategy)
        }
    }

    @Test("an unknown strategy is 400")
    func badStrategy() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.write(repository: "analytics", branch: "feature", path: "x", content: "1")
            try lakeFS.commit(repository: "analytics", branch: "feature", message: "x")
            #expect(try await client.post(mergePath, .json(["strategy": "ours"])).status == 400)
        }
    }

    @Test("a squash merge has the destination head as its only parent")
    func squash() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            let mainHead = try #require(lakeFS.branchHead(repository: "analytics", branch: "main"))
            try lakeFS.write(repository: "analytics", branch: "feature", path: "x", content: "1")
            try lakeFS.commit(repository: "analytics", branch: "feature", message: "x")
            let reference = try #require(
                try await client.post(mergePath, .json(["squash_merge": true])).json()["reference"]?.string)
            #expect(lakeFS.findCommit(repository: "analytics", ref: reference)?.parents == [mainHead])
        }
    }

    @Test("a missing source or destination is 404; a destination with uncommitted changes 400")
    func dirtyOrMissingDestination() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.write(repository: "analytics", branch: "feature", path: "x", content: "1")
            try lakeFS.commit(repository: "analytics", branch: "feature", message: "x")
            #expect(try await client.post("/repositories/analytics/refs/feature/merge/nope").status == 404)
            #expect(try await client.post("/repositories/analytics/refs/nope/merge/main").status == 404)
            try lakeFS.write(repository: "analytics", branch: "main", path: "wip", content: "1")
            let dirty = try await client.post(mergePath)
            #expect(dirty.status == 400)
            #expect(dirty.message == "main: uncommitted changes (dirty branch)")
        }
    }

    @Test("the merge base is the latest common ancestor")
    func mergeBase() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            let fork = try #require(lakeFS.branchHead(repository: "analytics", branch: "main"))
            try lakeFS.write(repository: "analytics", branch: "main", path: "m", content: "1")
            let mainHead = try lakeFS.commit(repository: "analytics", branch: "main", message: "m")
            try lakeFS.write(repository: "analytics", branch: "feature", path: "f", content: "1")
            let featureHead = try lakeFS.commit(repository: "analytics", branch: "feature", message: "f")

            let response = try await client.get(mergePath)
            #expect(response.status == 200)
            let body = try response.json()
            #expect(body["base_commit_id"]?.string == fork)
            #expect(body["source_commit_id"]?.string == featureHead)
            #expect(body["destination_commit_id"]?.string == mainHead)

            try lakeFS.merge(repository: "analytics", source: "feature", into: "main")
            let after = try await client.get(mergePath).json()
            #expect(after["base_commit_id"]?.string == featureHead)
        }
    }

    @Test("a three-dot diff shows what the merge would bring; a two-dot diff the plain difference")
    func diffs() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            try lakeFS.write(repository: "analytics", branch: "main", path: "main-only", content: "m")
            try lakeFS.commit(repository: "analytics", branch: "main", message: "m")
            try lakeFS.write(repository: "analytics", branch: "feature", path: "feature-only", content: "f")
            try lakeFS.delete(repository: "analytics", branch: "feature", path: "shared.csv")
            try lakeFS.commit(repository: "analytics", branch: "feature", message: "f")

            func entries(_ type: String) async throws -> [String] {
                let diff = try await client.get(
                    "/repositories/analytics/refs/main/diff/feature", query: [("type", type)]
                ).json()
                return diff["results"]?.array?.compactMap { entry in
                    guard let kind = entry["type"]?.string, let path = entry["path"]?.string else { return nil }
                    return "\(kind) \(path)"
                } ?? []
            }
            #expect(try await entries("three_dot") == ["added feature-only", "removed shared.csv"])
            #expect(try await entries("two_dot") == ["added feature-only", "removed main-only", "removed shared.csv"])
            #expect(
                try await client.get("/repositories/analytics/refs/main/diff/feature", query: [("type", "one_dot")])
                    .status
                    == 400)
        }
    }

    @Test("a delimiter folds changes under a common prefix")
    func delimiter() async throws {
        try await withLakeFS { lakeFS, client in
            try arrange(lakeFS)
            for path in ["tables/a/1", "tables/a/2", "tables/b/1", "top"] {
                try lakeFS.write(repository: "analytics", branch: "feature", path: path, content: path)
            }
            try lakeFS.commit(repository: "analytics", branch: "feature", message: "many")
            let diff = try await client.get(
                "/repositories/analytics/refs/main/diff/feature",
                query: [("type", "two_dot"), ("prefix", "tables/"), ("delimiter", "/")]
            ).json()
            let entries = diff["results"]?.array ?? []
            #expect(entries.compactMap { $0["path"]?.string } == ["tables/a/", "tables/b/"])
            #expect(
                entries.allSatisfy {
                    $0["path_type"]?.string == "common_prefix" && $0["type"]?.string == "prefix_changed"
                })
        }
    }
}
