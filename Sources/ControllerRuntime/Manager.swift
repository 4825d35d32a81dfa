import Foundation
import KubeAPI
import KubeClient
import Logging
import ServiceLifecycle

/// Something the manager runs until shutdown — a controller, most often.
public protocol Runnable: Sendable {
    /// Runs until the task is cancelled.
    func run() async
}

extension Controller: Runnable {}

/// Settings of a ``Manager``.
public struct ManagerOptions: Sendable {
    /// Namespaces to watch; nil watches all.
    public var namespaces: [String]?
    /// Leader election, or nil to lead unconditionally.
    public var leaderElection: LeaderElectionConfig?
    /// `host:port` for `/metrics`, `/healthz`, `/readyz`; nil disables the server.
    public var probeAddress: String?
    /// `host:port` for a separate `/metrics` listener; nil serves metrics on the probe address.
    public var metricsAddress: String?

    public init(
        namespaces: [String]? = nil, leaderElection: LeaderElectionConfig? = nil, probeAddress: String? = ":8081",
        metricsAddress: String? = ":8080"
    ) {
        self.namespaces = namespaces
        self.leaderElection = leaderElection
        self.probeAddress = probeAddress
        self.metricsAddress = metricsAddress
    }
}

/// Owns the shared informers, the controllers, leader election and the probe
/// and metrics servers, and runs them as one lifecycle service.
///
/// Informers start at once (so a standby replica has warm caches); controllers
/// start only while this replica leads. On graceful shutdown controllers stop
/// taking work, in-flight reconciles finish within their bound, and the lease
/// is released.
public final class Manager: Service, Sendable {
    public let client: KubernetesClient
    public let registry: MetricsRegistry
    public let options: ManagerOptions
    public let recorder: EventRecorder
    private let informers: InformerFactory
    private let runnables = RunnableList()
    private let probes: ProbeServer?
    private let metricsServer: ProbeServer?
    private let logger: Logger

    public init(
        client: KubernetesClient, registry: MetricsRegistry, options: ManagerOptions, controllerName: String = "hmco-operator",
        logger: Logger
    ) {
        self.client = client
        self.registry = registry
        self.options = options
        self.logger = logger
        self.informers = InformerFactory(client: client, namespaces: options.namespaces, logger: logger)
        self.recorder = EventRecorder(
            client: client, controller: controllerName,
            instance: options.leaderElection?.identity ?? ProcessInfo.processInfo.hostName, logger: logger)
        if let address = options.probeAddress {
            self.probes = ProbeServer(address: address, registry: registry, logger: logger)
        } else {
            self.probes = nil
        }
        if let address = options.metricsAddress, address != options.probeAddress {
            self.metricsServer = ProbeServer(address: address, registry: registry, logger: logger)
        } else {
            self.metricsServer = nil
        }
    }

    /// The shared informer of a type: every controller that asks gets the same cache.
    public func informer<T: KubernetesObject>(_ type: T.Type) async -> Informer<T> {
        await informers.informer(T.self)
    }

    /// Adds a controller (or any runnable) started while leading.
    public func add(_ runnable: some Runnable) async {
        await runnables.append(runnable)
    }

    /// Whether every informer has listed once.
    public func cachesSynced() async -> Bool { await informers.allSynced() }

    /// The port of the probe server once it listens (useful with port 0).
    public func probePort() -> Int? { probes?.listeningPort() }

    /// The port of the metrics server once it listens.
    public func metricsPort() -> Int? { (metricsServer ?? probes)?.listeningPort() }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await self.runUntilCancelled()
        }
    }

    /// Runs everything until the surrounding task is cancelled.
    public func runUntilCancelled() async {
        probes?.addReadinessCheck("informers-synced") { await self.informers.allSynced() }
        await withTaskGroup(of: Bool.self) { group in
            for server in [probes, metricsServer].compactMap({ $0 }) {
                group.addTask {
                    do { try await server.run() } catch is CancellationError {} catch {
                        self.logger.error("probe server failed", metadata: ["error": "\(error)"])
                    }
                    return false
                }
            }
            group.addTask {
                await self.informers.runAll()
                return false
            }
            group.addTask {
                guard let election = self.options.leaderElection else {
                    await self.runControllers()
                    return false
                }
                let elector = LeaderElector(config: election, client: self.client, registry: self.registry, logger: self.logger)
                return await elector.run { await self.runControllers() }
            }
            for await lostLeadership in group where lostLeadership {
                // A replica that lost its lease must not act on stale state: stop everything.
                self.logger.critical("stopping after losing leadership")
                group.cancelAll()
            }
        }
        logger.info("manager stopped")
    }

    private func runControllers() async {
        let all = await runnables.all()
        await withTaskGroup(of: Void.self) { group in
            for runnable in all { group.addTask { await runnable.run() } }
            await group.waitForAll()
        }
    }
}

private actor RunnableList {
    private var items: [any Runnable] = []
    func append(_ runnable: any Runnable) { items.append(runnable) }
    func all() -> [any Runnable] { items }
}

/// One informer per type, shared by every controller, started together.
actor InformerFactory {
    private let client: KubernetesClient
    private let namespaces: [String]?
    private let logger: Logger
    private var informers: [ObjectIdentifier: any Sendable] = [:]
    private var syncChecks: [@Sendable () async -> Bool] = []
    private var pendingStarts: [@Sendable () async -> Void] = []

    init(client: KubernetesClient, namespaces: [String]?, logger: Logger) {
        self.client = client
        self.namespaces = namespaces
        self.logger = logger
    }

    func informer<T: KubernetesObject>(_ type: T.Type) -> Informer<T> {
        if let existing = informers[ObjectIdentifier(T.self)] as? Informer<T> { return existing }
        let namespaces = T.resource.namespaced ? self.namespaces : nil
        let informer = Informer<T>(source: APIServerSource<T>(client: client), namespaces: namespaces, logger: logger)
        informers[ObjectIdentifier(T.self)] = informer
        syncChecks.append { await informer.hasSynced }
        pendingStarts.append { await informer.run() }
        return informer
    }

    /// Runs every informer, including those created later, until cancelled.
    func runAll() async {
        await withTaskGroup(of: Void.self) { group in
            while !Task.isCancelled {
                let starts = pendingStarts
                pendingStarts.removeAll()
                for start in starts { group.addTask { await start() } }
                // New informers are rare after start-up; look for them once a second.
                do { try await Task.sleep(for: .seconds(1)) } catch { break }
            }
            group.cancelAll()
        }
    }

    func allSynced() async -> Bool {
        for check in syncChecks where await !check() { return false }
        return true
    }
}
