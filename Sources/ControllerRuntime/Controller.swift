import Foundation
import KubeAPI
import KubeClient
import Logging
import Synchronization

/// Runs a ``Reconciler`` for one kind: a work queue fed by informers and N workers.
///
/// Guarantees: one object is never reconciled by two workers at once; errors
/// back off per key (5 ms … 1000 s); ``TerminalError`` is not retried until the
/// generation or the `data.hmco.io/reconcile-requested-at` annotation changes;
/// a successful reconcile is repeated after `resyncPeriod` so drift outside
/// Kubernetes is found; cancellation drains in-flight work within `shutdownTimeout`.
public final class Controller<R: Reconciler>: Sendable {
    public let name: String
    public let informer: Informer<R.Object>
    public let queue: WorkQueue<ContinuousClock>
    private let reconciler: R
    private let workers: Int
    private let resyncPeriod: Duration?
    private let shutdownTimeout: Duration
    private let logger: Logger
    private let metrics: ControllerMetrics
    private let terminal = Mutex<[String: String]>([:])
    private let activeWorkers = Atomic<Int>(0)
    /// The caches of the other informers this controller watches; workers start once all have synced.
    private let secondarySyncs = Mutex<[@Sendable () async -> Void]>([])

    /// The annotation that forces a reconcile when its value changes.
    public static var reconcileRequestAnnotation: String { "data.hmco.io/reconcile-requested-at" }

    public init(
        name: String, informer: Informer<R.Object>, reconciler: R, workers: Int = 2, resyncPeriod: Duration? = .seconds(600),
        shutdownTimeout: Duration = .seconds(30), registry: MetricsRegistry, logger: Logger
    ) {
        self.name = name
        self.informer = informer
        self.reconciler = reconciler
        self.workers = max(workers, 1)
        self.resyncPeriod = resyncPeriod
        self.shutdownTimeout = shutdownTimeout
        self.metrics = ControllerMetrics(registry: registry, controller: name)
        self.queue = WorkQueue(clock: ContinuousClock(), metrics: WorkQueueMetrics(registry: registry, name: name))
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
    }

    // MARK: Wiring

    /// Queues the primary object when it changes in a way a reconcile cares about:
    /// creation, deletion, a new generation (spec), labels, annotations,
    /// finalizers or the deletion timestamp. A change of status alone — most
    /// often the controller's own status write — is skipped, like
    /// controller-runtime's GenerationChangedPredicate, so every write does not
    /// cost one more round of backend reads.
    public func watchPrimary() async {
        let queue = self.queue
        await informer.addHandler { event in
            if case .updated(let old, let new) = event, !Self.isRelevantChange(old.metadata, new.metadata) { return }
            await queue.add(event.object.key)
        }
    }

    /// Whether an update changed more than status (and bookkeeping).
    static func isRelevantChange(_ old: ObjectMeta, _ new: ObjectMeta) -> Bool {
        guard old.resourceVersion != new.resourceVersion else { return false }
        // Kinds without generation tracking: any change counts.
        guard let oldGeneration = old.generation, let newGeneration = new.generation else { return true }
        return oldGeneration != newGeneration || old.labels != new.labels || old.annotations != new.annotations
            || old.finalizers != new.finalizers || old.deletionTimestamp != new.deletionTimestamp
            || old.ownerReferences != new.ownerReferences
    }

    /// Queues the controlling owner (of the primary kind) when an owned object changes.
    public func owns<Owned: KubernetesObject>(_ owned: Informer<Owned>) async {
        let queue = self.queue
        let kind = R.Object.resource.kind
        let apiVersion = R.Object.resource.apiVersion
        secondarySyncs.withLock { $0.append { await owned.waitForSync() } }
        await owned.addHandler { event in
            let object = event.object
            for reference in object.metadata.ownerReferences ?? []
            where reference.kind == kind && reference.apiVersion == apiVersion && reference.controller == true {
                let key = object.metadata.namespace.map { "\($0)/\(reference.name)" } ?? reference.name
                await queue.add(key)
            }
        }
    }

    /// Queues the primary objects a mapping function names when another object
    /// changes — e.g. every object that references a Secret.
    public func watches<Other: KubernetesObject>(
        _ other: Informer<Other>, map: @escaping @Sendable (Other) async -> [String]
    ) async {
        let queue = self.queue
        secondarySyncs.withLock { $0.append { await other.waitForSync() } }
        await other.addHandler { event in
            for key in await map(event.object) { await queue.add(key) }
        }
    }

    // MARK: Running

    /// Waits for the caches — its own and those of every informer it watches, so a
    /// reconcile never reads a Secret as missing only because its cache is still
    /// loading — then runs the workers until the task is cancelled.
    public func run() async {
        await informer.waitForSync()
        for waitForSync in secondarySyncs.withLock({ $0 }) { await waitForSync() }
        logger.info("starting workers", metadata: ["workers": "\(workers)"])
        metrics.activeWorkers.set(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask { await self.worker() }
            }
            group.addTask {
                // Stop taking new work on cancellation; in-flight reconciles get `shutdownTimeout`.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(3600))
                }
                await self.queue.shutDown()
            }
            await group.waitForAll()
        }
        logger.info("workers stopped")
    }

    private func worker() async {
        while let key = await queue.next() {
            activeWorkers.add(1, ordering: .relaxed)
            metrics.activeWorkers.set(Double(activeWorkers.load(ordering: .relaxed)))
            await process(key)
            activeWorkers.subtract(1, ordering: .relaxed)
            metrics.activeWorkers.set(Double(activeWorkers.load(ordering: .relaxed)))
            await queue.done(key)
        }
    }

    /// Reconciles one key once. Public so tests can drive a controller step by step.
    public func process(_ key: String) async {
        guard let object = await informer.get(key) else {
            await queue.forget(key)
            terminal.withLock { _ = $0.removeValue(forKey: key) }
            return
        }
        let signature = Self.terminalSignature(object)
        if terminal.withLock({ $0[key] }) == signature { return }

        var logger = self.logger
        let reconcileID = UUID().uuidString.lowercased()
        logger[metadataKey: "namespace"] = "\(object.metadata.namespace ?? "")"
        logger[metadataKey: "name"] = "\(object.name)"
        logger[metadataKey: "reconcileID"] = "\(reconcileID)"
        let context = ReconcileContext(logger: logger, reconcileID: reconcileID, controller: name)
        let started = ContinuousClock.now
        let result: Result<ReconcileResult, any Error>
        do {
            let reconciler = self.reconciler
            result = .success(try await withShutdownShield(timeout: shutdownTimeout) {
                try await reconciler.reconcile(object, context: context)
            })
        } catch {
            result = .failure(error)
        }
        let elapsed = started.duration(to: .now)
        metrics.reconcileTime.observe(elapsed)
        queue.metrics?.workDuration.observe(elapsed)

        switch result {
        case .success(let outcome):
            await queue.forget(key)
            terminal.withLock { _ = $0.removeValue(forKey: key) }
            switch outcome {
            case .done:
                metrics.result("success").increment()
                if let resyncPeriod { await queue.add(key, after: resyncPeriod * Double.random(in: 0.9...1.1)) }
            case .requeue(let after):
                metrics.result("requeue_after").increment()
                await queue.add(key, after: after)
            }
        case .failure(let error as TerminalError):
            metrics.result("error").increment()
            metrics.errors.increment()
            metrics.terminalErrors.increment()
            await queue.forget(key)
            terminal.withLock { $0[key] = signature }
            logger.info("not retrying until the spec changes", metadata: ["reason": "\(error.reason)", "error": "\(error.message)"])
        case .failure(let error):
            metrics.result("error").increment()
            metrics.errors.increment()
            let failures = await queue.failures(of: key)
            logger.log(
                level: failures >= 3 ? .warning : .info, "reconcile failed; backing off",
                metadata: ["error": "\(error)", "failures": "\(failures + 1)"])
            // A backend that said when to come back is not asked sooner.
            await queue.addRateLimited(key, atLeast: (error as? any RetryAfterHint)?.retryAfter)
        }
    }

    private static func terminalSignature(_ object: R.Object) -> String {
        "\(object.metadata.generation ?? 0)|\(object.metadata.annotations?[reconcileRequestAnnotation] ?? "")|\(object.metadata.deletionTimestamp?.description ?? "")"
    }
}

/// Runs `body`, letting it finish for at most `timeout` after the surrounding
/// task is cancelled, so a shutdown does not tear a backend call in half.
func withShutdownShield<T: Sendable>(
    timeout: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let inner = Task { try await body() }
    return try await withTaskCancellationHandler {
        try await inner.value
    } onCancel: {
        Task {
            try? await Task.sleep(for: timeout)
            inner.cancel()
        }
    }
}

/// The controller-runtime metric series of one controller.
struct ControllerMetrics: Sendable {
    let registry: MetricsRegistry
    let controller: String
    let totals: CounterFamily
    let errors: Counter
    let terminalErrors: Counter
    let reconcileTime: Histogram
    let activeWorkers: Gauge

    init(registry: MetricsRegistry, controller: String) {
        self.registry = registry
        self.controller = controller
        totals = registry.counter(
            "controller_runtime_reconcile_total", help: "Total number of reconciliations per controller",
            labels: ["controller", "result"])
        errors = registry.counter(
            "controller_runtime_reconcile_errors_total", help: "Total number of reconciliation errors per controller",
            labels: ["controller"]
        ).labels(controller)
        terminalErrors = registry.counter(
            "controller_runtime_terminal_reconcile_errors_total",
            help: "Total number of terminal reconciliation errors per controller", labels: ["controller"]
        ).labels(controller)
        reconcileTime = registry.histogram(
            "controller_runtime_reconcile_time_seconds", help: "Length of time per reconciliation per controller",
            labels: ["controller"],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60]
        ).labels(controller)
        activeWorkers = registry.gauge(
            "controller_runtime_active_workers", help: "Number of currently used workers per controller",
            labels: ["controller"]
        ).labels(controller)
        for result in ["success", "error", "requeue", "requeue_after"] { totals.labels(controller, result).initialise() }
        errors.initialise()
        terminalErrors.initialise()
        reconcileTime.initialise()
        registry.gauge(
            "controller_runtime_max_concurrent_reconciles", help: "Maximum number of concurrent reconciles per controller",
            labels: ["controller"]
        ).labels(controller).set(0)
    }

    func result(_ result: String) -> Counter { totals.labels(controller, result) }
}
