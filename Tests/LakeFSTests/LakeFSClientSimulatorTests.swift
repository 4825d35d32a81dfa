import Foundation
import LakeFS
import Simulators
import Testing

/// The client against the lakeFS simulator over real HTTP on an ephemeral
/// loopback port. The two were written apart from the same spec and share no
/// types, so a misreading on one side shows up here.
@Suite("HTTPLakeFSClient against the lakeFS simulator over HTTP")
struct LakeFSClientSimulatorTests {
    /// A running simulator with a repository `hmco-curated` (default branch `main`)
    /// and a client authenticated with its keys.
    struct Fixture {
        let lakeFS: LakeFSSimulator
        let client: HTTPLakeFSClient
        let repository = "hmco-curated"

        /// Runs `body` with a fresh simulator and client, and stops both afterwards.
        static func with(
            configuration: HTTPLakeFSClient.Configuration = .init(), secret: String? = nil,
            timeout: Duration = .seconds(10), _ body: (Fixture) async throws -> Void
        ) async throws {
            let fixture = try await start(configuration: configuration, secret: secret, timeout: timeout)
            do {
                try await body(fixture)
            } catch {
                await fixture.stop()
                throw error
            }
            await fixture.stop()
        }

        static func start(
            configuration: HTTPLakeFSClient.Configuration, secret: String?, timeout: Duration
        ) async throws -> Fixture {
            let lakeFS = LakeFSSimulator()
            try await lakeFS.start()
            let endpoint = try #require(lakeFS.endpoint)
            let client = HTTPLakeFSClient(
                serverURL: endpoint, accessKeyID: lakeFS.configuration.accessKeyID,
                secretAccessKey: secret ?? lakeFS.configuration.secretAccessKey, timeout: timeout,
                configuration: configuration)
            return Fixture(lakeFS: lakeFS, client: client)
        }

        func stop() async {
            await lakeFS.stop()
        }

        /// Commits `files` on `branch` through the simulator's own API.
        @discardableResult
        func commit(_ branch: String, _ files: [String: String], message: String = "load") throws -> String {
            for (path, content) in files {
                try lakeFS.write(repository: repository, branch: branch, path: path, content: content)
            }
            return try lakeFS.commit(repository: repository, branch: branch, message: message)
        }
    }

    @Test("repositories and branches are created, read, listed across pages and deleted")
    func repositoriesAndBranches() async throws {
        try await Fixture.with(configuration: .init(pageSize: 2)) { f in
            try await f.client.healthCheck()

            let created = try await f.client.createRepository(
                LakeFSRepositoryCreation(name: f.repository, storageNamespace: "mem://hmco-curated"))
            #expect(created.id == f.repository)
            #expect(created.defaultBranch == "main")
            #expect(try await f.client.getRepository(f.repository).storageNamespace == "mem://hmco-curated")

            let dev = try await f.client.createBranch(repository: f.repository, name: "dev", source: "main")
            #expect(dev.commitID == f.lakeFS.branchHead(repository: f.repository, branch: "main"))
            #expect(try await f.client.getBranch(repository: f.repository, branch: "dev") == dev)
            for name in ["a1", "a2", "a3", "b1"] {
                _ = try await f.client.createBranch(repository: f.repository, name: name, source: "dev")
            }
            let all = try await f.client.listBranches(repository: f.repository)
            #expect(Set(all.map(\.id)) == ["main", "dev", "a1", "a2", "a3", "b1"])
            let prefixed = try await f.client.listBranches(repository: f.repository, prefix: "a")
            #expect(prefixed.map(\.id).sorted() == ["a1", "a2", "a3"])

            try await f.client.deleteBranch(repository: f.repository, branch: "b1")
            let missing = await lakeFSError { try await f.client.getBranch(repository: f.repository, branch: "b1") }
            #expect(missing?.kind == .notFound)
            let exists = await lakeFSError {
                try await f.client.createBranch(repository: f.repository, name: "dev", source: "main")
            }
            #expect(exists?.kind == .alreadyExists)
            let repoExists = await lakeFSError {
                try await f.client.createRepository(.init(name: f.repository, storageNamespace: "mem://other"))
            }
            #expect(repoExists?.kind == .alreadyExists)
        }
    }

    @Test("a branch ahead of its target is seen, merged, and then no longer ahead")
    func dataPullRequest() async throws {
        try await Fixture.with { f in
            try f.lakeFS.createRepository(f.repository)
            _ = try await f.client.createBranch(repository: f.repository, name: "dev", source: "main")
            #expect(try await !f.client.hasCommitsNotIn(repository: f.repository, source: "dev", destination: "main"))

            let mainHead = try #require(f.lakeFS.branchHead(repository: f.repository, branch: "main"))
            let load = try f.commit("dev", ["tables/orders/part-0.csv": "1,2"])
            #expect(try await f.client.hasCommitsNotIn(repository: f.repository, source: "dev", destination: "main"))
            let log = try await f.client.logCommits(
                repository: f.repository, ref: "dev", options: LakeFSLogOptions(stopAt: "main", maxCommits: 10))
            #expect(log.map(\.id) == [load, mainHead])
            let diff = try await f.client.diffRefs(repository: f.repository, left: "main", right: "dev")
            #expect(diff.map(\.path) == ["tables/orders/part-0.csv"])
            #expect(diff.first?.type == .added)

            let reference = try await f.client.merge(
                repository: f.repository, source: "dev", destination: "main",
                options: LakeFSMergeOptions(message: "Merge dev", metadata: ["hmco.io/request": "m-1"]))
            #expect(reference == f.lakeFS.branchHead(repository: f.repository, branch: "main"))
            let mergeCommit = try await f.client.getCommit(repository: f.repository, commitID: reference)
            #expect(mergeCommit.isMerge)
            #expect(mergeCommit.message == "Merge dev")
            #expect(mergeCommit.metadata?["hmco.io/request"] == "m-1")
            #expect(try await !f.client.hasCommitsNotIn(repository: f.repository, source: "dev", destination: "main"))
            let base = try await f.client.findMergeBase(repository: f.repository, source: "dev", destination: "main")
            #expect(base.baseCommitID == load)

            let again = await lakeFSError {
                try await f.client.merge(repository: f.repository, source: "dev", destination: "main")
            }
            #expect(again?.kind == .nothingToMerge)
        }
    }

    @Test("a conflicting merge names the path; a strategy settles it")
    func conflict() async throws {
        try await Fixture.with { f in
            try f.lakeFS.createRepository(f.repository)
            try f.commit("main", ["t/orders.csv": "base"])
            _ = try await f.client.createBranch(repository: f.repository, name: "dev", source: "main")
            try f.commit("main", ["t/orders.csv": "main's", "t/other.csv": "x"])
            try f.commit("dev", ["t/orders.csv": "dev's", "t/new.csv": "y"])

            let conflict = await lakeFSError {
                try await f.client.merge(repository: f.repository, source: "dev", destination: "main")
            }
            #expect(conflict?.kind == .mergeConflict)
            #expect(conflict?.conflicts == ["t/orders.csv"])
            #expect(conflict?.isRetryable == false)

            _ = try await f.client.merge(
                repository: f.repository, source: "dev", destination: "main",
                options: LakeFSMergeOptions(strategy: .sourceWins))
            #expect(f.lakeFS.read(repository: f.repository, ref: "main", path: "t/orders.csv") == "dev's")
        }
    }

    @Test("a failing quality gate says which hook failed and why, from the run and its output")
    func qualityGate() async throws {
        try await Fixture.with { f in
            try f.lakeFS.createRepository(f.repository)
            _ = try await f.client.createBranch(repository: f.repository, name: "dev", source: "main")
            let head = try f.commit("dev", ["t/orders.csv": "1,"])
            try f.lakeFS.setPreMergeHook(
                repository: f.repository, branch: "main",
                verdict: .fail(hookID: "dq_check", output: "3 rows with null order_id"))

            let failed = await lakeFSError {
                try await f.client.merge(repository: f.repository, source: "dev", destination: "main")
            }
            #expect(failed?.kind == .hookFailed)
            #expect(failed?.isRetryable == false)
            let hookFailure = try #require(failed?.hookFailure)
            #expect(hookFailure.eventType == "pre-merge")

            let run = try await f.client.getActionRun(repository: f.repository, runID: hookFailure.runID)
            #expect(run.status == .failed)
            #expect(run.eventType == "pre-merge")
            let runs = try await f.client.listActionRuns(repository: f.repository, branch: "main", commit: nil)
            #expect(runs.map(\.runID).contains(hookFailure.runID))
            let reports = try await f.client.failedHookReports(repository: f.repository, runID: hookFailure.runID)
            #expect(reports.map(\.hook.hookID) == ["dq_check"])
            #expect(reports.first?.output.contains("3 rows with null order_id") == true)
            #expect(f.lakeFS.branchHead(repository: f.repository, branch: "dev") == head)

            try f.lakeFS.setPreMergeHook(repository: f.repository, branch: "main", verdict: .pass)
            _ = try await f.client.merge(repository: f.repository, source: "dev", destination: "main")
            #expect(f.lakeFS.read(repository: f.repository, ref: "main", path: "t/orders.csv") == "1,")
        }
    }

    @Test("a merge is undone by revert with parent 1, and a branch is moved back by hard reset")
    func rollback() async throws {
        try await Fixture.with { f in
            try f.lakeFS.createRepository(f.repository)
            let before = try f.commit("main", ["t/a.csv": "v1"])
            _ = try await f.client.createBranch(repository: f.repository, name: "dev", source: "main")
            try f.commit("dev", ["t/a.csv": "v2"])
            let merged = try await f.client.merge(repository: f.repository, source: "dev", destination: "main")

            try await f.client.revert(repository: f.repository, branch: "main", commit: merged, parentNumber: 1)
            #expect(f.lakeFS.read(repository: f.repository, ref: "main", path: "t/a.csv") == "v1")
            #expect(f.lakeFS.branchHead(repository: f.repository, branch: "main") != merged)

            try await f.client.hardReset(repository: f.repository, branch: "main", to: before)
            #expect(f.lakeFS.branchHead(repository: f.repository, branch: "main") == before)

            try f.lakeFS.write(repository: f.repository, branch: "main", path: "t/b.csv", content: "dirty")
            let dirty = await lakeFSError {
                try await f.client.hardReset(repository: f.repository, branch: "main", to: merged)
            }
            #expect(dirty?.kind == .dirtyBranch)
        }
    }

    @Test("protection rules are written with their ETag; protected and default branches are not deleted")
    func protection() async throws {
        try await Fixture.with { f in
            try f.lakeFS.createRepository(f.repository)
            _ = try await f.client.createBranch(repository: f.repository, name: "stable_1", source: "main")

            #expect(try await f.client.addBranchProtection(repository: f.repository, pattern: "stable_*"))
            #expect(try await !f.client.addBranchProtection(repository: f.repository, pattern: "stable_*"))
            #expect(f.lakeFS.protectionRules(repository: f.repository) == ["stable_*"])
            let rules = try await f.client.getBranchProtection(repository: f.repository)
            #expect(rules.protects("stable_1"))
            #expect(rules.etag != nil)

            let protected = await lakeFSError {
                try await f.client.deleteBranch(repository: f.repository, branch: "stable_1")
            }
            #expect(protected?.kind == .protectedBranch)
            let defaultBranch = await lakeFSError {
                try await f.client.deleteBranch(repository: f.repository, branch: "main")
            }
            #expect(defaultBranch?.kind == .forbidden)

            try f.lakeFS.setProtectionRules(repository: f.repository, patterns: ["stable_*", "prod"])
            let stale = await lakeFSError {
                try await f.client.setBranchProtection(repository: f.repository, patterns: [], ifMatch: rules.etag)
            }
            #expect(stale?.kind == .etagMismatch)
            #expect(try await f.client.removeBranchProtection(repository: f.repository, pattern: "stable_*"))
            #expect(f.lakeFS.protectionRules(repository: f.repository) == ["prod"])
        }
    }

    @Test("a locked branch, throttling and rate limits are retryable; bad keys are not")
    func faults() async throws {
        try await Fixture.with { f in
            try f.lakeFS.createRepository(f.repository)
            _ = try await f.client.createBranch(repository: f.repository, name: "dev", source: "main")
            try f.commit("dev", ["t/a.csv": "1"])

            try f.lakeFS.lockBranch(repository: f.repository, branch: "main")
            let locked = await lakeFSError {
                try await f.client.merge(repository: f.repository, source: "dev", destination: "main")
            }
            #expect(locked?.kind == .branchLocked)
            #expect(locked?.isRetryable == true)
            try f.lakeFS.unlockBranch(repository: f.repository, branch: "main")

            f.lakeFS.faults.failNext(1, with: .lakeFSSlowDown, operation: LakeFSSimulator.Operation.getBranch)
            let slow = await lakeFSError { try await f.client.getBranch(repository: f.repository, branch: "dev") }
            #expect(slow?.kind == .throughputExceeded)
            #expect(slow?.isRetryable == true)

            f.lakeFS.faults.failNext(
                1, with: InjectedFailure(status: 429, retryAfterSeconds: 2),
                operation: LakeFSSimulator.Operation.getBranch)
            let limited = await lakeFSError { try await f.client.getBranch(repository: f.repository, branch: "dev") }
            #expect(limited?.kind == .rateLimited)
            #expect(limited?.retryAfter == .seconds(2))

            _ = try await f.client.merge(repository: f.repository, source: "dev", destination: "main")
            #expect(f.lakeFS.requestCount(LakeFSSimulator.Operation.mergeIntoBranch) == 2)

            try await Fixture.with(secret: "wrong") { stranger in
                let unauthorized = await lakeFSError { try await stranger.client.getRepository("hmco-curated") }
                #expect(unauthorized?.kind == .unauthorized)
                #expect(unauthorized?.isRetryable == false)
            }
        }
    }

    @Test("a request that outlives the deadline is a retryable timeout; a stopped server a connection error")
    func transport() async throws {
        try await Fixture.with(timeout: .milliseconds(300)) { f in
            try f.lakeFS.createRepository(f.repository)
            f.lakeFS.faults.hangNext(1, for: .seconds(2), operation: LakeFSSimulator.Operation.getRepository)
            let slow = await lakeFSError { try await f.client.getRepository(f.repository) }
            #expect(slow?.kind == .timeout)
            #expect(slow?.isRetryable == true)

            await f.lakeFS.stop()
            let down = await lakeFSError { try await f.client.getRepository(f.repository) }
            #expect(down?.kind == .connection)
            #expect(down?.isRetryable == true)
        }
    }

    @Test("a long diff is read across pages")
    func pagedDiff() async throws {
        try await Fixture.with(configuration: .init(pageSize: 3)) { f in
            try f.lakeFS.createRepository(f.repository)
            _ = try await f.client.createBranch(repository: f.repository, name: "dev", source: "main")
            let files = Dictionary(uniqueKeysWithValues: (1...8).map { ("t/part-\($0).csv", "\($0)") })
            try f.commit("dev", files)
            let diff = try await f.client.diffRefs(repository: f.repository, left: "main", right: "dev")
            #expect(diff.map(\.path).sorted() == files.keys.sorted())
            let bounded = try await f.client.diffRefs(
                repository: f.repository, left: "main", right: "dev", options: LakeFSDiffOptions(maxEntries: 4))
            #expect(bounded.count == 4)
        }
    }
}

/// The ``LakeFSError`` `body` throws, or nil when it succeeds or throws something else.
func lakeFSError<T>(_ body: () async throws -> T) async -> LakeFSError? {
    do {
        _ = try await body()
        return nil
    } catch let error as LakeFSError {
        return error
    } catch {
        return nil
    }
}
