import ControllerRuntime
import Controllers
import Foundation
import KubeAPI
import KubeClient
import Logging
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// One test's world: a cluster (embedded, or the one `HMCO_TEST_KUBECONFIG`
/// names) with the DataBranch CRD, a namespace of the test's own holding the
/// `lakefs-credentials` Secret, and a lakeFS simulator on an ephemeral port
/// with repository `repo` (default branch `main`, one commit).
///
/// The operator is started with ``startOperator()``: the DataBranch controller
/// in a ``Manager`` in this process, talking HTTP to both. ``with(_:)`` stops
/// every operator it started, also when the test fails half-way.
struct DataBranchWorld: KindWorld {
    typealias Kind = DataBranch

    let cluster: TestCluster
    let namespace: String
    let lakeFS: LakeFSSimulator
    /// `http://127.0.0.1:<port>`, as the operator is configured with.
    let lakeFSURL: String
    /// The lineage events every operator of this world reported.
    let lineage = RecordingLineage()
    private let operators = Locked<[TestOperator]>([])

    static let repository = "repo"
    static let credentialsSecret = "lakefs-credentials"

    var client: KubernetesClient { cluster.client }

    /// Runs `body` in a fresh world and tears it down afterwards, also on failure.
    static func with(_ body: (DataBranchWorld) async throws -> Void) async throws {
        try await TestCluster.with { cluster in
            try await installCRD(cluster.client)
            let namespace = try await cluster.makeNamespace("dbr")
            let lakeFS = LakeFSSimulator()
            try await lakeFS.start()
            do {
                guard let endpoint = lakeFS.endpoint else { throw WorldError("the lakeFS simulator reported no address") }
                try lakeFS.createRepository(repository, defaultBranch: "main")
                try lakeFS.write(repository: repository, branch: "main", path: "tables/trades/part-0.parquet", content: "v1")
                try lakeFS.commit(repository: repository, branch: "main", message: "first load")
                let world = DataBranchWorld(cluster: cluster, namespace: namespace, lakeFS: lakeFS, lakeFSURL: endpoint.absoluteString)
                _ = try await cluster.client.create(
                    Secret(
                        metadata: ObjectMeta(name: credentialsSecret, namespace: namespace),
                        data: [
                            "accessKeyId": Data(lakeFS.configuration.accessKeyID.utf8),
                            "secretAccessKey": Data(lakeFS.configuration.secretAccessKey.utf8),
                        ]))
                do {
                    try await body(world)
                } catch {
                    await world.stopOperators()
                    throw error
                }
                await world.stopOperators()
            } catch {
                await lakeFS.stop()
                throw error
            }
            await lakeFS.stop()
        }
    }

    /// Installs the DataBranch CRD (generated from PlatformAPI, as `crds/` is) and waits until it is served.
    static func installCRD(_ client: KubernetesClient) async throws {
        do {
            _ = try await client.create(try DataBranch.typedCustomResourceDefinition())
        } catch let error as KubeError where error.isAlreadyExists {}
        let established = await eventually {
            (try? await client.get(CustomResourceDefinition.self, name: DataBranch.crdName))?.isEstablished ?? false
        }
        guard established else { throw WorldError("CRD \(DataBranch.crdName) did not become Established") }
    }

    // MARK: The operator

    /// Starts the DataBranch controller in-process, watching this test's namespace only.
    @discardableResult
    func startOperator(lakeFSTimeout: Duration = .seconds(10)) async throws -> TestOperator {
        let client = try cluster.makeClient()
        let logger = Self.logger
        let registry = MetricsRegistry()
        let manager = Manager(
            client: client, registry: registry,
            options: ManagerOptions(namespaces: [namespace], leaderElection: nil, probeAddress: nil, metricsAddress: nil),
            logger: logger)
        let connector = HTTPLakeFSConnector(timeout: lakeFSTimeout)
        await DataBranchController.register(
            manager: manager, connector: connector, defaults: LakeFSDefaults(url: lakeFSURL), operatorNamespace: namespace,
            workers: 2, resyncPeriod: .seconds(600), logger: logger, lineage: lineage.reporter)
        let task = Task { await manager.runUntilCancelled() }
        let running = TestOperator(
            client: client, registry: registry, controller: DataBranchController.name, task: task,
            shutdownConnector: { await connector.shutdown() })
        operators.withLock { $0.append(running) }
        return running
    }

    private func stopOperators() async {
        for running in operators.value { await running.stop() }
    }

    /// Silent unless `HMCO_TEST_LOG` is set (then debug logs to stderr).
    static var logger: Logger {
        if ProcessInfo.processInfo.environment["HMCO_TEST_LOG"] != nil {
            var logger = Logger(label: "databranch-test", factory: { StreamLogHandler.standardError(label: $0) })
            logger.logLevel = .debug
            return logger
        }
        return Logger(label: "databranch-test", factory: { _ in SwiftLogNoOpLogHandler() })
    }

    // MARK: Objects

    /// A DataBranch for branch `branch` of `repo`, with the credentials from the test's Secret.
    func dataBranch(
        _ name: String, branch: String = "dev", sourceRef: String? = "main", merge: DataBranchMerge? = nil,
        change: (inout DataBranchSpec) -> Void = { _ in }
    ) -> DataBranch {
        var spec = DataBranchSpec(
            repository: DataBranchRepository(name: Self.repository), branch: branch, sourceRef: sourceRef, merge: merge,
            lakeFS: ServiceEndpoint(
                basicAuth: BasicAuth(
                    usernameSecretRef: SecretKeySelector(name: Self.credentialsSecret, key: "accessKeyId"),
                    passwordSecretRef: SecretKeySelector(name: Self.credentialsSecret, key: "secretAccessKey"))))
        change(&spec)
        return DataBranch(name: name, namespace: namespace, spec: spec)
    }

    @discardableResult
    func create(_ object: DataBranch) async throws -> DataBranch {
        try await client.create(object)
    }

}

struct WorldError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
