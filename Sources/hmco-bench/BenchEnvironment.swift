import ArgumentParser
import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Logging
import PlatformAPI

/// What every controller benchmark runs on: the embedded API server with the
/// CRDs, an unthrottled client to set objects up and read them, and the
/// operator's manager on a client limited as `hmco-operator run` defaults
/// (50 requests/s, burst 100) that counts its requests, as
/// `rest_client_requests_total` would.
struct BenchEnvironment {
    let cluster: LocalCluster
    let setup: KubernetesClient
    let operatorClient: KubernetesClient
    let manager: Manager
    let metrics: MetricsRegistry
    let apiRequests: SharedCounter

    static func start() async throws -> BenchEnvironment {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let cluster = try LocalCluster(options: LocalClusterOptions())
        try await cluster.start()
        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
        try cluster.writeKubeconfig(to: kubeconfig)
        let config = try ClusterConfig.fromKubeconfig(paths: [kubeconfig])
        let setup = try KubernetesClient(config: config, options: ClientOptions(qps: 1e9, burst: 1_000_000))
        for (_, crd) in try crdObjects() { _ = try await setup.create(DynamicObject(crd), CustomResourceDefinition.resource, namespace: nil) }
        try await waitEstablished(setup)
        let apiRequests = SharedCounter()
        let operatorClient = try KubernetesClient(
            config: config, options: ClientOptions(qps: 50, burst: 100, observer: { _ in apiRequests.add() }))
        let metrics = MetricsRegistry()
        let manager = Manager(
            client: operatorClient, registry: metrics,
            options: ManagerOptions(namespaces: nil, leaderElection: nil, probeAddress: nil, metricsAddress: nil),
            logger: Logger(label: "bench"))
        return BenchEnvironment(
            cluster: cluster, setup: setup, operatorClient: operatorClient, manager: manager, metrics: metrics,
            apiRequests: apiRequests)
    }

    /// Runs the manager (with the controllers registered on it) and returns once its caches are synced.
    func runManager() async -> Task<Void, Never> {
        let manager = self.manager
        let run = Task { await manager.runUntilCancelled() }
        while await !manager.cachesSynced() { try? await Task.sleep(for: .milliseconds(20)) }
        return run
    }

    /// Creates `count` objects, 32 at a time.
    func createAll<Object: KubernetesObject>(_ count: Int, _ make: @escaping @Sendable (Int) -> Object) async throws {
        let setup = self.setup
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask { _ = try await setup.create(make(index)) }
                if index % 32 == 31 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
    }

    /// Polls until `count` objects are Ready for their current generation, or the deadline; returns how many are.
    func waitReady<Object: PlatformResource>(_ type: Object.Type, count: Int, deadline: ContinuousClock.Instant) async throws -> Int {
        var ready = 0
        while ContinuousClock.now < deadline {
            let list = try await setup.list(Object.self, namespace: "default")
            ready = list.items.filter { $0.status?.isTrue(StandardCondition.ready) == true && $0.isStatusCurrent }.count
            if ready >= count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return ready
    }

    /// Stops the manager, then the API server and the clients.
    func stop(_ run: Task<Void, Never>) async {
        run.cancel()
        await run.value
        await cluster.stop()
        try? await setup.shutdown()
        try? await operatorClient.shutdown()
    }
}
