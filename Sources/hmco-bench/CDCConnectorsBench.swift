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

/// N CDCConnectors, each a Debezium source plus an Iceberg sink, to Ready; then
/// a resync of every one of them, which must write nothing to Kafka Connect.
struct CDCConnectors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cdcconnectors",
        abstract: "N CDCConnectors (source + Iceberg sink) to Ready, then a forced resync of all: wall time, requests, PUTs, peak memory.")

    @Option(help: "CDCConnectors to create.") var count = 500
    @Option(help: "Workers of the CDCConnector controller.") var workers = 8

    func run() async throws {
        let bench = try await BenchEnvironment.start()
        let setup = bench.setup
        _ = try await setup.create(
            Secret(metadata: ObjectMeta(name: "orders-db", namespace: "default"), data: ["password": Data("bench".utf8)]))
        let connect = KafkaConnectSimulator()
        let connectURL = try await connect.start()
        let apiRequests = bench.apiRequests
        let registry = bench.metrics
        await CDCConnectorController.register(
            manager: bench.manager, connector: HTTPKafkaConnectConnector(),
            settings: CDCConnectorSettings(
                render: CDCRenderSettings(kafkaBootstrapServers: "kafka:9092"), defaults: BackendDefaults(url: connectURL.absoluteString),
                pollInterval: .seconds(600)),
            operatorNamespace: "default", workers: workers, resyncPeriod: .seconds(3600), logger: Logger(label: "bench"))
        let run = await bench.runManager()

        let start = ContinuousClock.now
        try await bench.createAll(count) { Self.connector($0) }
        let created = ContinuousClock.now
        let ready = try await bench.waitReady(CDCConnector.self, count: count, deadline: start.advanced(by: .seconds(900)))
        let toReady = seconds(start.duration(to: .now))
        let apiToReady = apiRequests.value
        let connectToReady = connect.requests.total
        let countsToReady = connect.requests.counts

        // A resync of every object: the annotation queues each once.
        let reconcilesBefore = Self.reconciles(registry)
        let resyncStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    let patch: JSONValue = ["metadata": ["annotations": [PlatformAPIGroup.reconcileRequestedAtAnnotation: "resync-1"]]]
                    _ = try await setup.patch(CDCConnector.self, name: "cdc-\(index)", namespace: "default", patch: .merge(patch))
                }
                if index % 32 == 31 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
        while Self.reconciles(registry) - reconcilesBefore < count, ContinuousClock.now < resyncStart.advanced(by: .seconds(600)) {
            try await Task.sleep(for: .milliseconds(100))
        }
        let resync = seconds(resyncStart.duration(to: .now))
        let after = connect.requests.counts
        let writes = ["putConnectorConfig", "createConnector", "patchConnectorConfig", "restartConnector", "pauseConnector", "resumeConnector"]
            .map { after[$0, default: 0] - countsToReady[$0, default: 0] }.reduce(0, +)

        report("objects", "\(count) CDCConnectors (Debezium source + Iceberg sink = \(2 * count) connectors), \(workers) workers, client QPS 50 / burst 100")
        report("to Ready", String(format: "%d/%d Ready %.1f s after the first create (creates took %.1f s)", ready, count, toReady, seconds(start.duration(to: created))))
        report("API-server requests", "\(apiToReady) to Ready (\(String(format: "%.2f", Double(apiToReady) / Double(count))) per object)")
        report("Kafka Connect requests", "\(connectToReady) to Ready (\(String(format: "%.2f", Double(connectToReady) / Double(count))) per object): \(countsToReady.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        report("resync", String(format: "%d reconciles in %.1f s; %d Kafka Connect requests, %d of them writes (PUT/POST/restart/pause/resume); %d API-server requests",
            Self.reconciles(registry) - reconcilesBefore, resync, connect.requests.total - connectToReady, writes, apiRequests.value - apiToReady))
        report("peak rss", String(format: "%.0f MB (process: API server + Kafka Connect simulator + operator)", Memory.peakMB()))
        await bench.stop(run)
        await connect.stop()
        if ready < count || writes > 0 { throw ExitCode(1) }
    }

    static func reconciles(_ registry: MetricsRegistry) -> Int {
        registry.exposition().split(separator: "\n")
            .filter { $0.hasPrefix("controller_runtime_reconcile_total{") && $0.contains("controller=\"\(CDCConnectorController.name)\"") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }

    static func connector(_ index: Int) -> CDCConnector {
        CDCConnector(
            metadata: ObjectMeta(name: "cdc-\(index)", namespace: "default"),
            spec: CDCConnectorSpec(
                engine: .postgres,
                database: SourceDatabase(
                    host: "orders-db-\(index % 10)", name: "shop", user: "debezium",
                    passwordSecretRef: SecretKeySelector(name: "orders-db", key: "password")),
                tables: ["public.orders", "public.order_lines"], topicPrefix: "cdc.shop\(index)",
                sinks: CDCSinks(
                    iceberg: IcebergSink(
                        catalog: IcebergCatalog(name: "lakehouse", type: .rest, uri: "http://iceberg-rest:8181"),
                        namespace: "cdc", primaryKeys: ["id"]))))
    }
}
