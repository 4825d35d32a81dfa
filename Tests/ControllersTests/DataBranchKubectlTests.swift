import Foundation
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// Runs the real kubectl against a test's cluster, in the test's namespace.
struct KubectlRunner: Sendable {
    typealias Result = KubectlResult

    static var isAvailable: Bool { KubectlProcess.isAvailable }

    let kubeconfig: String
    let namespace: String

    /// Runs kubectl with `args -n <namespace>`, feeding `input` on stdin.
    func run(_ args: [String], input: String? = nil, timeout: Duration = .seconds(60)) async throws -> Result {
        try await KubectlProcess.run(args + ["-n", namespace], kubeconfig: kubeconfig, input: input, timeout: timeout)
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
