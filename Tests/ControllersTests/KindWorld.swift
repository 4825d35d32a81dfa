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
