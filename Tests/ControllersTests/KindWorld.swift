import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import PlatformAPI
import TestSupport

/// What every kind's test world offers: reading, changing and waiting on the
/// kind's objects as a user would (kubectl get, edit, annotate, delete, wait,
/// get events), in the world's own namespace.
protocol KindWorld: Sendable {
    associatedtype Kind: PlatformResource
    var client: KubernetesClient { get }
    var namespace: String { get }
}

extension KindWorld {
    func get(_ name: String) async throws -> Kind {
        try await client.get(Kind.self, name: name, namespace: namespace)
    }

    /// Changes the spec as a user would (read, change, write), retrying on a conflict with the operator's writes.
    func updateSpec(_ name: String, _ change: (inout Kind.Spec) -> Void) async throws {
        for _ in 0..<10 {
            var object = try await get(name)
            change(&object.spec)
            do {
                _ = try await client.update(object)
                return
            } catch let error as KubeError where error.isConflict {
                continue
            }
        }
        throw WorldError("could not update \(name): conflicts")
    }

    /// Sets `data.hmco.io/reconcile-requested-at` to a new value, as `kubectl annotate` would.
    func requestReconcile(_ name: String) async throws {
        let patch: JSONValue = [
            "metadata": ["annotations": [PlatformAPIGroup.reconcileRequestedAtAnnotation: .string(UUID().uuidString)]]
        ]
        _ = try await client.patch(Kind.self, name: name, namespace: namespace, patch: .merge(patch))
    }

    func delete(_ name: String) async throws {
        try await client.delete(Kind.self, name: name, namespace: namespace)
    }

    /// Polls the object until `condition` holds; throws with the last status seen when it does not in time.
    @discardableResult
    func waitFor(
        _ name: String, _ what: String, timeout: Duration = .seconds(15), _ condition: @escaping @Sendable (Kind) -> Bool
    ) async throws -> Kind {
        let last = Locked<Kind?>(nil)
        let held = await eventually(timeout: timeout) {
            guard let object = try? await get(name) else { return false }
            last.withLock { $0 = object }
            return condition(object)
        }
        if held, let object = last.value { return object }
        let status = (last.value?.status).flatMap { try? JSONCoding.toJSON($0) }.map { "\($0)" } ?? "none"
        throw WorldError("timed out waiting for \(name): \(what); last status: \(status)")
    }

    /// Waits until the object is gone.
    func waitForDeletion(_ name: String, timeout: Duration = .seconds(15)) async throws {
        let gone = await eventually(timeout: timeout) {
            do {
                _ = try await get(name)
                return false
            } catch let error as KubeError where error.isNotFound {
                return true
            } catch {
                return false
            }
        }
        guard gone else { throw WorldError("timed out waiting for \(name) to be deleted") }
    }

    /// The Events about an object, oldest first.
    func events(_ name: String) async throws -> [Event] {
        try await client.list(Event.self, namespace: namespace).items
            .filter { $0.regarding?.name == name && $0.regarding?.kind == Kind.kind }
            .sorted { $0.eventTime < $1.eventTime }
    }

    /// Waits for an Event with this type and reason about the object.
    @discardableResult
    func waitForEvent(_ name: String, type: String, reason: String, timeout: Duration = .seconds(15)) async throws -> Event {
        let found = Locked<Event?>(nil)
        _ = await eventually(timeout: timeout) {
            let event = (try? await events(name))?.last { $0.type == type && $0.reason == reason }
            found.withLock { $0 = event }
            return event != nil
        }
        guard let event = found.value else {
            let seen = ((try? await events(name)) ?? []).map { "\($0.type ?? "") \($0.reason ?? ""): \($0.note ?? "")" }
            throw WorldError("no \(type) Event \(reason) for \(name); saw \(seen)")
        }
        return event
    }
}

extension KindWorld {
    /// Forces `count` reconciles with the annotation, each awaited to its end,
    /// so a test can then assert that something did *not* happen.
    func forceReconciles(_ name: String, count: Int = 3, by running: TestOperator) async throws {
        for _ in 0..<count {
            let before = running.reconciles
            try await requestReconcile(name)
            guard await eventually({ running.reconciles > before }) else {
                throw WorldError("the forced reconcile of \(name) did not finish")
            }
        }
    }
}

/// One kind's controller of one test, running in a task of the test.
final class TestOperator: Sendable {
    let client: KubernetesClient
    let registry: MetricsRegistry
    /// The controller's name in its metrics.
    let controller: String
    private let task: Task<Void, Never>
    private let shutdownConnector: @Sendable () async -> Void

    init(
        client: KubernetesClient, registry: MetricsRegistry, controller: String, task: Task<Void, Never>,
        shutdownConnector: @escaping @Sendable () async -> Void
    ) {
        self.client = client
        self.registry = registry
        self.controller = controller
        self.task = task
        self.shutdownConnector = shutdownConnector
    }

    /// A graceful stop: in-flight reconciles finish, then connections close. Safe to repeat.
    func stop() async {
        task.cancel()
        await task.value
        await shutdownConnector()
        try? await client.shutdown()
    }

    /// What the cluster sees of a killed operator: it stops at once and writes
    /// nothing more — its Kubernetes client is closed while a reconcile may
    /// still wait for the backend. (The world's teardown waits for that leftover work.)
    func kill() async {
        task.cancel()
        try? await client.shutdown()
    }

    /// Reconciles finished so far, whatever their result (from the controller's metrics).
    var reconciles: Int {
        registry.exposition().split(separator: "\n")
            .filter { $0.hasPrefix("controller_runtime_reconcile_total{") && $0.contains("controller=\"\(controller)\"") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }
}

extension PlatformResource {
    /// The condition of a type, if the status has it.
    func condition(_ type: String) -> Condition? { status?.condition(type) }

    func has(_ type: String, _ status: ConditionStatus, reason: String? = nil) -> Bool {
        guard let condition = condition(type), condition.status == status else { return false }
        return reason.map { condition.reason == $0 } ?? true
    }

    /// `Status/Reason` of a condition, e.g. `False/QualityGateFailed`, so a failed expectation reads short.
    func summary(_ type: String) -> String? { condition(type).map { "\($0.status.rawValue)/\($0.reason)" } }

    /// Whether the status was computed from the current spec.
    var isCurrent: Bool { status?.observedGeneration == metadata.generation }
}
