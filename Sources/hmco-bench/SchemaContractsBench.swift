import ArgumentParser
import ControllerRuntime
import Controllers
import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Logging
import PlatformAPI
import Simulators

/// N SchemaContracts, each its own subject, from creation to Ready against the
/// embedded API server and one schema registry simulator.
struct SchemaContracts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemacontracts",
        abstract: "N SchemaContracts to Ready: wall time, API-server and registry requests, peak memory.")

    @Option(help: "SchemaContracts to create.") var count = 1_000
    @Option(help: "Workers of the SchemaContract controller.") var workers = 8
    @Option(help: "Registry flavour: confluent or karapace.") var flavor = "confluent"

    func run() async throws {
        let registryFlavor: SchemaRegistrySimulator.Flavor
        switch flavor {
        case "confluent": registryFlavor = .confluent
        case "karapace": registryFlavor = .karapace
        default: throw ValidationError("--flavor must be confluent or karapace")
        }
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

        let credentials = SchemaRegistrySimulator.Credentials(username: "operator", password: "bench")
        let registry = SchemaRegistrySimulator(configuration: .init(credentials: credentials, flavor: registryFlavor))
        let url = try await registry.start()
        _ = try await setup.create(Secret(
            metadata: ObjectMeta(name: "schema-registry-credentials", namespace: "default"),
            data: ["username": Data(credentials.username.utf8), "password": Data(credentials.password.utf8)]))

        // The operator's client counts its requests, as rest_client_requests_total would.
        let apiRequests = SharedCounter()
        let operatorClient = try KubernetesClient(
            config: config,
            options: ClientOptions(qps: 50, burst: 100, observer: { _ in apiRequests.add() }))
        let manager = Manager(
            client: operatorClient, registry: MetricsRegistry(),
            options: ManagerOptions(namespaces: nil, leaderElection: nil, probeAddress: nil, metricsAddress: nil),
            logger: Logger(label: "bench"))
        let connector = HTTPSchemaRegistryConnector()
        await SchemaContractController.register(
            manager: manager, connector: connector,
            defaults: SchemaRegistryDefaults(url: url.absoluteString, credentialsSecret: "default/schema-registry-credentials"),
            operatorNamespace: "default", workers: workers, resyncPeriod: .seconds(600), logger: Logger(label: "bench"))
        let run = Task { await manager.runUntilCancelled() }
        while await !manager.cachesSynced() { try await Task.sleep(for: .milliseconds(20)) }

        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask { _ = try await setup.create(Self.contract(index)) }
                if index % 32 == 31 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
        let created = ContinuousClock.now
        var ready = 0
        while ContinuousClock.now < start.advanced(by: .seconds(900)) {
            let list = try await setup.list(SchemaContract.self, namespace: "default")
            ready = list.items.filter { $0.status?.isTrue(StandardCondition.ready) == true && $0.isStatusCurrent }.count
            if ready >= count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let elapsed = seconds(start.duration(to: .now))
        let registered = registry.subjects().count
        report("objects", "\(count) SchemaContracts (one subject each, level FULL), \(workers) workers, client QPS 50 / burst 100, \(flavor) registry")
        report("to Ready", String(format: "%d/%d Ready %.1f s after the first create (creates took %.1f s)", ready, count, elapsed, seconds(start.duration(to: created))))
        report("subjects registered", "\(registered)")
        report("API-server requests", "\(apiRequests.value) by the operator (\(String(format: "%.2f", Double(apiRequests.value) / Double(count))) per object)")
        report("registry requests", "\(registry.requests.total) (\(String(format: "%.2f", Double(registry.requests.total) / Double(count))) per object): \(registry.requests.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        report("peak rss", String(format: "%.0f MB (process: API server + registry simulator + operator)", Memory.peakMB()))
        run.cancel()
        await run.value
        await connector.shutdown()
        await registry.stop()
        await cluster.stop()
        try? await setup.shutdown()
        try? await operatorClient.shutdown()
        if ready < count || registered < count { throw ExitCode(1) }
    }

    /// Contract `index`: subject `bench-<index>-value` with a record of its own.
    static func contract(_ index: Int) -> SchemaContract {
        let schema = #"{"type":"record","name":"Event\#(index)","namespace":"io.hmco.bench","fields":[{"name":"id","type":"string"},{"name":"amount","type":"long"},{"name":"note","type":["null","string"],"default":null}]}"#
        return SchemaContract(
            metadata: ObjectMeta(name: "bench-\(index)", namespace: "default"),
            spec: SchemaContractSpec(subject: "bench-\(index)-value", schema: schema, compatibility: .full))
    }
}
