import Foundation
import Simulators
import Testing

@Suite("lakeFS simulator: repositories, auth and health")
struct LakeFSRepositoryTests {
    @Test("the health check answers 204 without credentials")
    func healthCheck() async throws {
        try await withLakeFS { _, client in
            var anonymous = client
            anonymous.credentials = nil
            let response = try await anonymous.get("/healthcheck")
            #expect(response.status == 204)
            #expect(response.body.isEmpty)
        }
    }

    @Test("requests without valid credentials answer 401 with a message")
    func unauthorized() async throws {
        try await withLakeFS { lakeFS, client in
            var anonymous = client
            anonymous.credentials = nil
            let missing = try await anonymous.get("/repositories")
            #expect(missing.status == 401)
            #expect(missing.message == "error authenticating request")
            var wrong = client
            wrong.credentials = (lakeFS.configuration.accessKeyID, "not-the-secret")
            #expect(try await wrong.get("/repositories").status == 401)
        }
    }

    @Test("the version is reported")
    func version() async throws {
        try await withLakeFS { _, client in
            let response = try await client.get("/config/version")
            #expect(response.status == 200)
            #expect(try response.json()["version"]?.string == "1.84.0")
        }
    }

    @Test("creating a repository answers 201 and makes an initial commit on its default branch")
    func create() async throws {
        try await withLakeFS { lakeFS, client in
            let response = try await client.post(
                "/repositories", .json(["name": "analytics", "storage_namespace": "s3://bucket/analytics"]))
            #expect(response.status == 201)
            let body = try response.json()
            #expect(body["id"]?.string == "analytics")
            #expect(body["default_branch"]?.string == "main")
            #expect(body["storage_namespace"]?.string == "s3://bucket/analytics")
            #expect(body["creation_date"]?.int != nil)

            let main = try await client.get("/repositories/analytics/branches/main").json()
            let head = try #require(main["commit_id"]?.string)
            #expect(head.count == 64 && head.allSatisfy(\.isHexDigit))
            #expect(lakeFS.log(repository: "analytics", ref: "main").map(\.message) == ["Repository created"])
        }
    }

    @Test("repository names, storage namespaces and uniqueness are validated")
    func validation() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("existing", storageNamespace: "mem://taken")
            let cases: [([String: Any], Int)] = [
                (["name": "Upper", "storage_namespace": "mem://a"], 400),
                (["name": "ab", "storage_namespace": "mem://b"], 400),
                (["name": "fine-name", "storage_namespace": "ftp://c"], 400),
                (["name": "fine-name"], 400),
                (["name": "existing", "storage_namespace": "mem://d"], 409),
                (["name": "other", "storage_namespace": "mem://taken"], 400),
            ]
            for (body, status) in cases {
                let response = try await client.post("/repositories", .json(body))
                #expect(response.status == status, "\(body)")
                #expect(response.message?.isEmpty == false)
            }
        }
    }

    @Test("a bare repository has no branches")
    func bare() async throws {
        try await withLakeFS { _, client in
            let created = try await client.post(
                "/repositories", query: [("bare", "true")],
                .json(["name": "bare-repo", "storage_namespace": "mem://bare"]))
            #expect(created.status == 201)
            let branches = try await client.get("/repositories/bare-repo/branches").json()
            #expect(branches["results"]?.array?.isEmpty == true)
        }
    }

    @Test("repositories are listed in pages with after, amount, has_more and next_offset")
    func pagination() async throws {
        try await withLakeFS { lakeFS, client in
            for name in ["repo-e", "repo-a", "repo-c", "repo-b", "repo-d"] { try lakeFS.createRepository(name) }
            let first = try await client.get("/repositories", query: [("amount", "2")]).json()
            #expect(first["results"]?.array?.compactMap { $0["id"]?.string } == ["repo-a", "repo-b"])
            #expect(first["pagination"]?["has_more"]?.bool == true)
            #expect(first["pagination"]?["next_offset"]?.string == "repo-b")
            #expect(first["pagination"]?["results"]?.int == 2)
            let last = try await client.get("/repositories", query: [("amount", "2"), ("after", "repo-d")]).json()
            #expect(last["results"]?.array?.compactMap { $0["id"]?.string } == ["repo-e"])
            #expect(last["pagination"]?["has_more"]?.bool == false)
            #expect(last["pagination"]?["next_offset"]?.string == "")
            #expect(try await client.get("/repositories", query: [("amount", "5000")]).status == 400)
        }
    }

    @Test("a deleted repository answers 404")
    func delete() async throws {
        try await withLakeFS { lakeFS, client in
            try lakeFS.createRepository("doomed")
            #expect(try await client.get("/repositories/doomed").status == 200)
            #expect(try await client.delete("/repositories/doomed").status == 204)
            let gone = try await client.get("/repositories/doomed")
            #expect(gone.status == 404)
            #expect(gone.message == "repository not found")
            #expect(try await client.delete("/repositories/doomed").status == 404)
        }
    }
}
