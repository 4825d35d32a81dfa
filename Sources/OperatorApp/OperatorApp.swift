import Controllers
import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import Logging
import IntegrationSupport
import OpenLineage
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

    /// Makes the manager with its controllers, and the lineage emitter when a lineage
    /// backend is configured. Callers run both (as lifecycle services) and shut the client down after.
    public func makeManager() async throws -> (Manager, KubernetesClient, LineageService?) {
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
            let lineage = try await makeLineage(client: client)
            try await registerControllers(manager: manager, lineage: lineage?.reporter ?? .disabled)
            return (manager, client, lineage.map { LineageService(emitter: $0.emitter, registry: registry) })
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The kinds this build reconciles.
    public static let reconciledKinds: Set<String> = [DataBranch.kind, SchemaContract.kind, CDCConnector.kind]

    /// The lineage emitter and reporter when `openLineage.url` is configured.
    private func makeLineage(client: KubernetesClient) async throws -> (emitter: LineageEmitter, reporter: LineageReporter)? {
        guard let endpoint = configuration.backends.openLineage else { return nil }
        guard let url = URL(string: endpoint.url), url.scheme == "http" || url.scheme == "https" else {
            throw ConfigurationError("openLineage.url: \"\(endpoint.url)\" is not an http or https URL")
        }
        var auth = BackendAuth.none
        if let reference = endpoint.credentialsSecret {
            let parts = reference.split(separator: "/").map(String.init)
            let namespace = parts.count == 2 ? parts[0] : configuration.leaderElectionNamespace ?? clusterConfig.namespace
            let name = parts.count == 2 ? parts[1] : reference
            let secret: Secret
            do {
                secret = try await client.get(Secret.self, name: name, namespace: namespace)
            } catch {
                throw ConfigurationError("openLineage.credentialsSecret: cannot read Secret \(namespace)/\(name): \(error)")
            }
            guard let username = secret.string("username"), let password = secret.string("password") else {
                throw ConfigurationError("openLineage.credentialsSecret: Secret \(namespace)/\(name) needs keys username and password")
            }
            auth = .basic(username: username, password: password)
        }
        let settings = configuration.backends.lineage ?? BackendConfiguration.LineageSettings()
        let client = HTTPLineageClient(
            baseURL: url, auth: auth, timeout: .seconds(endpoint.timeoutSeconds ?? 10),
            maxConcurrentRequests: endpoint.maxConcurrentRequests ?? 4, path: settings.path ?? HTTPLineageClient.marquezPath)
        var emitterConfiguration = LineageEmitter.Configuration()
        if let capacity = settings.queueCapacity { emitterConfiguration.capacity = max(1, capacity) }
        let emitter = LineageEmitter(client: client, configuration: emitterConfiguration)
        return (emitter, LineageReporter(sink: emitter, namespace: settings.namespace ?? "hmco"))
    }

    private func registerControllers(manager: Manager, lineage: LineageReporter) async throws {
        let resync = configuration.resyncPeriod
        await DataBranchController.register(
            manager: manager,
            connector: HTTPLakeFSConnector(
                timeout: .seconds(configuration.backends.lakefs?.timeoutSeconds ?? 30),
                maxConcurrentRequests: configuration.backends.lakefs?.maxConcurrentRequests ?? 8),
            defaults: LakeFSDefaults(
                url: configuration.backends.lakefs?.url, credentialsSecret: configuration.backends.lakefs?.credentialsSecret),
            operatorNamespace: configuration.leaderElectionNamespace ?? clusterConfig.namespace,
            workers: configuration.workers, resyncPeriod: resync, logger: logger, lineage: lineage)
        let schemaRegistry = configuration.backends.schemaRegistry
        await SchemaContractController.register(
            manager: manager,
            connector: HTTPSchemaRegistryConnector(
                timeout: .seconds(schemaRegistry?.timeoutSeconds ?? 30),
                maxConcurrentRequests: schemaRegistry?.maxConcurrentRequests ?? 8),
            defaults: SchemaRegistryDefaults(url: schemaRegistry?.url, credentialsSecret: schemaRegistry?.credentialsSecret),
            operatorNamespace: configuration.leaderElectionNamespace ?? clusterConfig.namespace,
            workers: configuration.workers, resyncPeriod: resync, logger: logger, lineage: lineage)
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
            workers: configuration.workers, resyncPeriod: resync, logger: logger, lineage: lineage)
    }

    /// Runs until one of `signals` arrives (then shuts down gracefully) or the task is cancelled.
    public func run(gracefulShutdownSignals signals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        let (manager, client, lineage) = try await makeManager()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: manager)]
        if let lineage {
            // Stops after the manager, so the last reconciles' events still go out (best effort, bounded).
            services.append(.init(service: lineage))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger))
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

/// Runs the lineage emitter's delivery loop as a lifecycle service, and exports its
/// counters as `hmco_lineage_events_total{result="emitted|sent|failed|dropped"}`
/// and `hmco_lineage_queue_depth`.
public struct LineageService: Service {
    let emitter: LineageEmitter
    let events: CounterFamily
    let depth: Gauge

    init(emitter: LineageEmitter, registry: MetricsRegistry) {
        self.emitter = emitter
        events = registry.counter(
            "hmco_lineage_events_total", help: "OpenLineage events by outcome: emitted, sent, failed, dropped.", labels: ["result"])
        depth = registry.gauge("hmco_lineage_queue_depth", help: "OpenLineage events waiting to be sent.").labels()
        for result in ["emitted", "sent", "failed", "dropped"] { events.labels(result).initialise() }
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await emitter.run() }
                group.addTask {
                    var exported = LineageEmitter.Statistics()
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(5))
                        exported = export(since: exported)
                    }
                    _ = export(since: exported)
                }
                await group.waitForAll()
            }
        }
    }

    /// Adds what happened since `previous` to the counters; returns the statistics now.
    func export(since previous: LineageEmitter.Statistics) -> LineageEmitter.Statistics {
        let now = emitter.statistics
        events.labels("emitted").increment(by: Double(max(0, now.emitted - previous.emitted)))
        events.labels("sent").increment(by: Double(max(0, now.sent - previous.sent)))
        events.labels("failed").increment(by: Double(max(0, now.failed - previous.failed)))
        events.labels("dropped").increment(by: Double(max(0, now.dropped - previous.dropped)))
        depth.set(Double(now.pending))
        return now
    }
}
