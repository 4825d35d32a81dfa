import Foundation
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// Runs the real kubectl against a test's cluster, in the test's namespace.
struct KubectlRunner: Sendable {
    struct Result: Sendable {
        var exitCode: Int32
        var stdout: String
        var stderr: String
    }

    static let binary = ProcessInfo.processInfo.environment["HMCO_KUBECTL"] ?? "/usr/bin/kubectl"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let kubeconfig: String
    let namespace: String

    /// Runs kubectl with `args -n <namespace>`, feeding `input` on stdin.
    func run(_ args: [String], input: String? = nil, timeout: Duration = .seconds(60)) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(uniqueSuffix())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = args + ["-n", namespace]
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig
        environment["HOME"] = directory.path
        process.environment = environment
        let out = directory.appendingPathComponent("out")
        let err = directory.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return Result(
            exitCode: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs kubectl and records an issue unless it exits 0.
    @discardableResult
    func succeed(_ args: [String], input: String? = nil) async throws -> String {
        let result = try await run(args, input: input)
        if result.exitCode != 0 {
            Issue.record("kubectl \(args.joined(separator: " ")) exited \(result.exitCode): \(result.stderr)")
        }
        return result.stdout
    }
}

@Suite("DataBranch with kubectl", .enabled(if: KubectlRunner.isAvailable, "needs kubectl"))
struct DataBranchKubectlTests {
    @Test("kubectl apply, wait --for=condition=Ready and get dbr show a DataBranch converging and merging")
    func applyWaitGet() async throws {
        try await DataBranchWorld.with { world in
            let repo = DataBranchWorld.repository
            try world.lakeFS.setPreMergeHook(repository: repo, branch: "main", verdict: .pass)
            try world.lakeFS.createBranch(repository: repo, name: "dev", from: "main")
            try world.lakeFS.write(repository: repo, branch: "dev", path: "tables/trades/part-1.parquet", content: "daily")
            let head = try world.lakeFS.commit(repository: repo, branch: "dev", message: "daily load")
            try await world.startOperator()
            let kubectl = KubectlRunner(kubeconfig: world.cluster.kubeconfigPath, namespace: world.namespace)

            let applied = try await kubectl.succeed(
                ["apply", "-f", "-"],
                input: """
                    apiVersion: data.hmco.io/v1alpha1
                    kind: DataBranch
                    metadata:
                      name: curated-dev
                    spec:
                      repository:
                        name: \(repo)
                      branch: dev
                      sourceRef: main
                      merge:
                        into: main
                        pollInterval: 1m
                      lakeFS:
                        basicAuth:
                          usernameSecretRef: {name: \(DataBranchWorld.credentialsSecret), key: accessKeyId}
                          passwordSecretRef: {name: \(DataBranchWorld.credentialsSecret), key: secretAccessKey}
                    """)
            #expect(applied.contains("databranch.data.hmco.io/curated-dev created"))

            let waited = try await kubectl.run(["wait", "--for=condition=Ready", "dbr/curated-dev", "--timeout=30s"])
            #expect(waited.exitCode == 0, "\(waited.stderr)")
            #expect(waited.stdout.contains("condition met"))

            let table = try await kubectl.succeed(["get", "dbr"])
            let rows = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(rows.first == ["NAME", "READY", "REASON", "BRANCH", "AGE"])
            #expect(Array(rows.dropFirst().first?.prefix(4) ?? []) == ["curated-dev", "True", "Reconciled", "dev"])

            let merged = try await kubectl.succeed(
                ["get", "dbr", "curated-dev", "-o", #"jsonpath={.status.lastMerge.sourceCommit} {.status.conditions[?(@.type=="Merged")].reason}"#])
            #expect(merged == "\(head) Merged")
            #expect(world.lakeFS.requestCount(LakeFSSimulator.Operation.mergeIntoBranch) == 1)
        }
    }
}
