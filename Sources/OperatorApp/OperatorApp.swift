import Controllers
import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import Logging
import PlatformAPI
import ServiceLifecycle
import UnixSignals

/// Builds and runs the operator: the Kubernetes client, the manager, and every
/// registered controller. The only place that builds concrete backend clients.
public struct OperatorApp: Sendable {
    public let configuration: OperatorConfiguration
    public let clusterConfig: ClusterConfig
    private let logger: Logger
    /// Writes Debezium snapshot signals into source databases (CDCConnector `snapshot.incrementalOnNewTables`).
    private let signaler: any SnapshotSignaler

    public init(
        configuration: OperatorConfiguration, clusterConfig: ClusterConfig, logger: Logger,
        signaler: any SnapshotSignaler = UnavailableSnapshotSignaler()
    ) {
        self.configuration = configuration
        self.clusterConfig = clusterConfig
        self.logger = logger
        self.signaler = signaler
    }

    /// Version of this build.
    public static let version = "0.1.0-dev"

    /// Makes the manager with its controllers. Callers run it (as a lifecycle service) and shut the client down after.
    public func makeManager() async throws -> (Manager, KubernetesClient) {
        let registry = MetricsRegistry()
        let requests = registry.counter(
            "rest_client_requests_total", help: "Number of HTTP requests, partitioned by status code, method, and host.",
            labels: ["code", "method", "host"])
        let latency = registry.histogram(
            "rest_client_request_duration_seconds", help: "Request latency in seconds. Broken down by verb, and host.",
            labels: ["verb", "host"], buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60])
        let host = clusterConfig.server.host ?? ""
        let options = ClientOptions(
            qps: configuration.qps, burst: configuration.burst, userAgent: "hmco-operator/\(Self.version)",
            observer: { outcome in
                requests.labels(outcome.code, outcome.method, host).increment()
                latency.labels(outcome.method, host).observe(outcome.duration)
            })
        let client = try KubernetesClient(config: clusterConfig, options: options, logger: logger)
        var leaderElection: LeaderElectionConfig?
        if configuration.leaderElect {
            let namespace = configuration.leaderElectionNamespace ?? clusterConfig.namespace
            let identity = "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased())"
            leaderElection = LeaderElectionConfig(
                leaseName: configuration.leaderElectionID, leaseNamespace: namespace, identity: identity)
        }
        let namespaces = configuration.namespaces.flatMap { $0.isEmpty ? nil : $0 }
        let manager = Manager(
            client: client, registry: registry,
            options: ManagerOptions(
                namespaces: namespaces, leaderElection: leaderElection,
                probeAddress: configuration.healthProbeBindAddress, metricsAddress: configuration.metricsBindAddress),
            logger: logger)
        do {
            try await registerControllers(manager: manager)
        } catch {
            try? await client.shutdown()
            throw error
        }
        return (manager, client)
    }

    /// The kinds this build reconciles.
    public static let reconciledKinds: Set<String> = [DataBranch.kind, SchemaContract.kind, CDCConnector.kind]

    private func registerControllers(manager: Manager) async throws {
        let resync = configuration.resyncPeriod
        await DataBranchController.register(
            manager: manager,
            connector: HTTPLakeFSConnector(
                timeout: .seconds(configuration.backends.lakefs?.timeoutSeconds ?? 30),
                maxConcurrentRequests: configuration.backends.lakefs?.maxConcurrentRequests ?? 8),
            defaults: LakeFSDefaults(
                url: configuration.backends.lakefs?.url, credentialsSecret: configuration.backends.lakefs?.credentialsSecret),
            operatorNamespace: configuration.leaderElectionNamespace ?? clusterConfig.namespace,
            workers: configuration.workers, resyncPeriod: resync, logger: logger)
        let schemaRegistry = configuration.backends.schemaRegistry
        await SchemaContractController.register(
            manager: manager,
            connector: HTTPSchemaRegistryConnector(
                timeout: .seconds(schemaRegistry?.timeoutSeconds ?? 30),
                maxConcurrentRequests: schemaRegistry?.maxConcurrentRequests ?? 8),
            defaults: SchemaRegistryDefaults(url: schemaRegistry?.url, credentialsSecret: schemaRegistry?.credentialsSecret),
            operatorNamespace: configuration.leaderElectionNamespace ?? clusterConfig.namespace,
            workers: configuration.workers, resyncPeriod: resync, logger: logger)
        let kafkaConnect = configuration.backends.kafkaConnect
        let operatorNamespace = configuration.leaderElectionNamespace ?? clusterConfig.namespace
        let cdc = configuration.backends.cdc ?? BackendConfiguration.CDCSettings()
        await CDCConnectorController.register(
            manager: manager,
            connector: HTTPKafkaConnectConnector(
                timeout: .seconds(kafkaConnect?.timeoutSeconds ?? 30),
                maxConcurrentRequests: kafkaConnect?.maxConcurrentRequests ?? 8),
            settings: CDCConnectorSettings(
                render: try cdc.renderSettings(clickhouse: configuration.backends.clickhouse, operatorNamespace: operatorNamespace),
                defaults: BackendDefaults(url: kafkaConnect?.url, credentialsSecret: kafkaConnect?.credentialsSecret),
                pollInterval: .milliseconds(Int64((cdc.statusPollSeconds ?? 60) * 1000))),
            signaler: signaler, operatorNamespace: operatorNamespace,
            workers: configuration.workers, resyncPeriod: resync, logger: logger)
    }

    /// Runs until one of `signals` arrives (then shuts down gracefully) or the task is cancelled.
    public func run(gracefulShutdownSignals signals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        let (manager, client) = try await makeManager()
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: manager)], gracefulShutdownSignals: signals,
                logger: logger))
        logger.info(
            "starting hmco-operator",
            metadata: [
                "version": "\(Self.version)", "server": "\(clusterConfig.server.absoluteString)",
                "namespaces": "\(configuration.namespaces?.joined(separator: ",") ?? "all")",
            ])
        do {
            try await group.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
