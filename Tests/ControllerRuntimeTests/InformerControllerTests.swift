import Foundation
import KubeAPI
import KubeClient
import Logging
import Synchronization
import TestSupport
import Testing

@testable import ControllerRuntime

/// Wraps the API server and answers the first N watches with 410 Gone, the
/// way an API server does once a resourceVersion has left its history.
struct GoneOnFirstWatches<Object: KubernetesObject>: ListWatchSource {
    final class Remaining: Sendable {
        let count: Mutex<Int>
        init(_ count: Int) { self.count = Mutex(count) }
    }

    let inner: APIServerSource<Object>
    let remaining: Remaining

    init(client: KubernetesClient, count: Int) {
        inner = APIServerSource(client: client)
        remaining = Remaining(count)
    }

    func list(namespace: String?, options: ListOptions) async throws -> ObjectList<Object> {
        try await inner.list(namespace: namespace, options: options)
    }

    func watch(namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchStreamEvent<Object>, any Error> {
        let fail = remaining.count.withLock { count -> Bool in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
        guard fail else { return inner.watch(namespace: namespace, options: options) }
        return AsyncThrowingStream {
            throw KubeError(
                operation: "watch", code: 410,
                status: Status(message: "too old resource version", reason: StatusReason.expired, code: 410))
        }
    }
}

@Suite("Informers and controllers against an API server", .serialized)
struct InformerControllerTests {
    @Test("an informer's cache follows creates, updates and deletes")
    func informerFollowsChanges() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("inf")
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "before", namespace: namespace), data: ["a": "1"]))
            let informer = Informer<ConfigMap>(source: APIServerSource(client: cluster.client), namespaces: [namespace])
            let events = Locked<[String]>([])
            await informer.addHandler { event in
                let label: String
                switch event {
                case .added(let object): label = "added \(object.name)"
                case .updated(_, let object): label = "updated \(object.name)"
                case .deleted(let object): label = "deleted \(object.name)"
                }
                events.withLock { $0.append(label) }
            }
            let run = Task { await informer.run() }
            defer { run.cancel() }
            await informer.waitForSync()
            #expect(await informer.get("\(namespace)/before")?.data == ["a": "1"])

            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "after", namespace: namespace), data: ["b": "2"]))
            #expect(await eventually { await informer.get("\(namespace)/after") != nil })
            var changed = try await cluster.client.get(ConfigMap.self, name: "before", namespace: namespace)
            changed.data = ["a": "changed"]
            _ = try await cluster.client.update(changed)
            #expect(await eventually { await informer.get("\(namespace)/before")?.data == ["a": "changed"] })
            try await cluster.client.delete(ConfigMap.self, name: "after", namespace: namespace)
            #expect(await eventually { await informer.get("\(namespace)/after") == nil })
            #expect(events.withLock { $0 } == ["added before", "added after", "updated before", "deleted after"])
        }
    }

    @Test("an informer relists after 410 Gone and reports what was deleted meanwhile")
    func relistOnGone() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("gone")
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "a", namespace: namespace)))
            let source = GoneOnFirstWatches<ConfigMap>(client: cluster.client, count: 1)
            let informer = Informer<ConfigMap>(source: source, namespaces: [namespace])
            let run = Task { await informer.run() }
            defer { run.cancel() }
            await informer.waitForSync()
            #expect(await eventually { await informer.listCount == 2 })
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "b", namespace: namespace)))
            #expect(await eventually { await informer.get("\(namespace)/b") != nil })
            #expect(await informer.count == 2)
        }
    }

    @Test("an informer keeps its cache across watches the server drops")
    func reconnectsAfterDroppedWatch() async throws {
        try await TestCluster.with { cluster in
            guard let local = cluster.local else { return }  // dropping watches needs the embedded server's fault hook
            let namespace = try await cluster.makeNamespace("drop")
            let informer = Informer<ConfigMap>(source: APIServerSource(client: cluster.client), namespaces: [namespace])
            let run = Task { await informer.run() }
            defer { run.cancel() }
            await informer.waitForSync()
            #expect(await eventually { await local.openWatchCount() > 0 })
            await local.dropAllWatches()
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "after-drop", namespace: namespace)))
            #expect(await eventually { await informer.get("\(namespace)/after-drop") != nil })
            #expect(await informer.listCount == 1)
        }
    }
}

/// Records what it was asked to reconcile and answers from a script.
final class ScriptedReconciler: Reconciler, Sendable {
    typealias Object = ConfigMap
    let calls = Mutex<[String]>([])
    let script: @Sendable (ConfigMap, Int) throws -> ReconcileResult

    init(script: @escaping @Sendable (ConfigMap, Int) throws -> ReconcileResult) { self.script = script }

    func reconcile(_ object: ConfigMap, context: ReconcileContext) async throws -> ReconcileResult {
        let count = calls.withLock { calls -> Int in
            calls.append(object.name)
            return calls.count
        }
        return try script(object, count)
    }

    var count: Int { calls.withLock { $0.count } }
}

@Suite("Controller", .serialized)
struct ControllerTests {
    func makeController(
        _ cluster: TestCluster, namespace: String, reconciler: ScriptedReconciler, registry: MetricsRegistry = MetricsRegistry()
    ) async -> Controller<ScriptedReconciler> {
        let informer = Informer<ConfigMap>(source: APIServerSource(client: cluster.client), namespaces: [namespace])
        let controller = Controller(
            name: "configmap", informer: informer, reconciler: reconciler, workers: 2, resyncPeriod: nil,
            registry: registry, logger: Logger(label: "test"))
        await controller.watchPrimary()
        return controller
    }

    @Test("a change is reconciled and success is counted in controller_runtime_reconcile_total")
    func reconcilesChanges() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("ctl")
            let reconciler = ScriptedReconciler { _, _ in .done }
            let registry = MetricsRegistry()
            let controller = await makeController(cluster, namespace: namespace, reconciler: reconciler, registry: registry)
            let informerRun = Task { await controller.informer.run() }
            let run = Task { await controller.run() }
            defer {
                run.cancel()
                informerRun.cancel()
            }
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "x", namespace: namespace)))
            #expect(await eventually { reconciler.count >= 1 })
            #expect(reconciler.calls.withLock { $0 }.allSatisfy { $0 == "x" })
            #expect(await eventually { registry.exposition().contains(#"controller_runtime_reconcile_total{controller="configmap",result="success"} \#(reconciler.count)"#) })
        }
    }

    @Test("errors back off and retry until the reconcile succeeds")
    func errorsBackOff() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("err")
            struct Flaky: Error {}
            let reconciler = ScriptedReconciler { _, count in
                if count < 4 { throw Flaky() }
                return .done
            }
            let registry = MetricsRegistry()
            let controller = await makeController(cluster, namespace: namespace, reconciler: reconciler, registry: registry)
            let informerRun = Task { await controller.informer.run() }
            let run = Task { await controller.run() }
            defer {
                run.cancel()
                informerRun.cancel()
            }
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "x", namespace: namespace)))
            #expect(await eventually { reconciler.count == 4 })
            let exposition = registry.exposition()
            #expect(exposition.contains(#"controller_runtime_reconcile_errors_total{controller="configmap"} 3"#))
            #expect(exposition.contains(#"workqueue_retries_total{name="configmap",controller="configmap"} 3"#))
            // Success resets the backoff and, with no resync, nothing more happens.
            #expect(await eventually { await controller.queue.failures(of: "\(namespace)/x") == 0 })
        }
    }

    @Test("a terminal error is not retried until the object is asked to reconcile again")
    func terminalErrorsWait() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("term")
            let reconciler = ScriptedReconciler { object, _ in
                if object.metadata.annotations?[Controller<ScriptedReconciler>.reconcileRequestAnnotation] == nil {
                    throw TerminalError(reason: "InvalidSpec", message: "spec.x: Required value")
                }
                return .done
            }
            let controller = await makeController(cluster, namespace: namespace, reconciler: reconciler)
            let informerRun = Task { await controller.informer.run() }
            let run = Task { await controller.run() }
            defer {
                run.cancel()
                informerRun.cancel()
            }
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "x", namespace: namespace)))
            #expect(await eventually { reconciler.count == 1 })
            // A label change (no generation change) does not retry the terminal error.
            _ = try await cluster.client.patch(
                ConfigMap.self, name: "x", namespace: namespace, patch: .merge(["metadata": ["labels": ["a": "b"]]]))
            #expect(await eventually { await controller.informer.get("\(namespace)/x")?.metadata.labels?["a"] == "b" })
            await controller.process("\(namespace)/x")
            #expect(reconciler.count == 1)
            _ = try await cluster.client.patch(
                ConfigMap.self, name: "x", namespace: namespace,
                patch: .merge(["metadata": ["annotations": ["data.hmco.io/reconcile-requested-at": "now"]]]))
            #expect(await eventually { reconciler.count == 2 })
        }
    }

    @Test("shutdown lets an in-flight reconcile finish and stops the workers")
    func gracefulShutdown() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("stop")
            final class SlowReconciler: Reconciler, Sendable {
                let started = Mutex(false)
                let finished = Mutex(false)
                func reconcile(_ object: ConfigMap, context: ReconcileContext) async throws -> ReconcileResult {
                    started.withLock { $0 = true }
                    // Ignores cancellation for a moment, like a backend call in flight.
                    let until = ContinuousClock.now.advanced(by: .milliseconds(300))
                    while ContinuousClock.now < until { try? await Task.sleep(for: .milliseconds(10)) }
                    finished.withLock { $0 = true }
                    return .done
                }
            }
            let slow = SlowReconciler()
            let informer = Informer<ConfigMap>(source: APIServerSource(client: cluster.client), namespaces: [namespace])
            let controller = Controller(
                name: "slow", informer: informer, reconciler: slow, workers: 1, resyncPeriod: nil,
                shutdownTimeout: .seconds(5), registry: MetricsRegistry(), logger: Logger(label: "test"))
            await controller.watchPrimary()
            let informerRun = Task { await informer.run() }
            defer { informerRun.cancel() }
            let run = Task { await controller.run() }
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "x", namespace: namespace)))
            #expect(await eventually { slow.started.withLock { $0 } })
            run.cancel()
            await run.value
            #expect(slow.finished.withLock { $0 })
            #expect(await controller.queue.isShuttingDown)
        }
    }
}

@Suite("Informer shutdown")
struct InformerShutdownTests {
    @Test("cancelling an informer ends its watch at once, so the client shuts down without waiting for the server")
    func cancellationClosesWatch() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("cancel")
            let client = try cluster.makeClient()
            let informer = Informer<ConfigMap>(source: APIServerSource(client: client), namespaces: [namespace])
            let run = Task { await informer.run() }
            await informer.waitForSync()
            if let local = cluster.local { #expect(await eventually { await local.openWatchCount() > 0 }) }
            run.cancel()
            await run.value
            let started = ContinuousClock.now
            try await client.shutdown()
            #expect(started.duration(to: .now) < .seconds(2))
        }
    }
}

/// An API-server source whose first list waits until the test opens a gate.
struct GatedListSource<Object: KubernetesObject>: ListWatchSource {
    let inner: APIServerSource<Object>
    let open: Locked<Bool>

    func list(namespace: String?, options: ListOptions) async throws -> ObjectList<Object> {
        while !open.value { try await Task.sleep(for: .milliseconds(20)) }
        return try await inner.list(namespace: namespace, options: options)
    }

    func watch(namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchStreamEvent<Object>, any Error> {
        inner.watch(namespace: namespace, options: options)
    }
}

@Suite("Controller start-up")
struct ControllerStartupTests {
    @Test("workers start only once the caches of watched informers are filled, so no reconcile sees them empty")
    func waitsForWatchedCaches() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("sync")
            _ = try await cluster.client.create(Secret(metadata: ObjectMeta(name: "credentials", namespace: namespace), data: ["k": Data("v".utf8)]))
            _ = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "user", namespace: namespace)))
            let gate = Locked(false)
            let secrets = Informer<Secret>(
                source: GatedListSource(inner: APIServerSource(client: cluster.client), open: gate), namespaces: [namespace])
            let sawSecret = Locked<[Bool]>([])
            let reconciler = ScriptedReconciler { _, _ in .done }
            let probe = SecretProbe(secrets: secrets, key: "\(namespace)/credentials", seen: sawSecret)
            let informer = Informer<ConfigMap>(source: APIServerSource(client: cluster.client), namespaces: [namespace])
            let controller = Controller(
                name: "configmap", informer: informer, reconciler: reconciler, workers: 1, resyncPeriod: nil,
                registry: MetricsRegistry(), logger: Logger(label: "test"))
            await controller.watchPrimary()
            await controller.watches(secrets) { _ in [] }
            let probed = Controller(
                name: "probe", informer: informer, reconciler: probe, workers: 1, resyncPeriod: nil,
                registry: MetricsRegistry(), logger: Logger(label: "test"))
            await probed.watchPrimary()
            await probed.watches(secrets) { _ in [] }
            let tasks = [
                Task { await informer.run() }, Task { await secrets.run() }, Task { await controller.run() }, Task { await probed.run() },
            ]
            defer { tasks.forEach { $0.cancel() } }

            await informer.waitForSync()
            // Long enough for a worker that did not wait to take the queued key.
            try await Task.sleep(for: .milliseconds(300))
            #expect(reconciler.count == 0, "no reconcile while the Secret cache is loading")
            gate.withLock { $0 = true }
            #expect(await eventually { reconciler.count >= 1 && !sawSecret.value.isEmpty })
            #expect(sawSecret.value.allSatisfy { $0 }, "every reconcile found the Secret in the cache")
        }
    }
}

/// Records, at each reconcile, whether a Secret is in a watched informer's cache.
struct SecretProbe: Reconciler {
    typealias Object = ConfigMap
    let secrets: Informer<Secret>
    let key: String
    let seen: Locked<[Bool]>

    func reconcile(_ object: ConfigMap, context: ReconcileContext) async throws -> ReconcileResult {
        let present = await secrets.get(key) != nil
        seen.withLock { $0.append(present) }
        return .done
    }
}
