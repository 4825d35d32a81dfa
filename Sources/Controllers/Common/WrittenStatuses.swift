import ControllerRuntime
import KubeAPI
import KubeClient
import PlatformAPI
import Synchronization

/// The status a reconciler last wrote for each object, for the moment before
/// the informer has seen that write.
///
/// A reconcile can start as soon as the previous one ends — before the watch
/// event of the previous one's status write arrives — and then reads the
/// status from before that write. The status is what makes one-shot work
/// one-shot (a rollback id, a merge attempt on a head the gate rejected), so
/// acting on the older copy carries the work out a second time.
///
/// Guarantees: an object whose status is one that this reconciler's last write
/// (or a chain of its writes) replaced is given the status last written; any
/// other status — the written one come back by watch, or a change made
/// elsewhere — wins, and the entry is forgotten.
/// Caveats: one entry per object at most, forgotten on the next reconcile that
/// sees the write; statuses are compared as JSON, as the API server returns them.
final class WrittenStatuses<Object: PlatformResource>: Sendable {
    private struct Entry: Sendable {
        /// The statuses the written one replaced, as JSON, oldest first.
        var replaced: [JSONValue]
        var written: Object.Status
        var writtenJSON: JSONValue
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let chainLimit = 8

    /// `object`, with the status last written when its own is one that write replaced.
    func latest(_ object: Object) -> Object {
        let key = Self.key(object)
        let seen = Self.json(object.status)
        return entries.withLock { entries in
            guard let entry = entries[key] else { return object }
            guard entry.replaced.contains(seen) else {
                entries[key] = nil
                return object
            }
            var latest = object
            latest.status = entry.written
            return latest
        }
    }

    /// Records that `status` was written over `object`'s status.
    func remember(_ status: Object.Status, over object: Object) {
        let key = Self.key(object)
        let before = Self.json(object.status)
        entries.withLock { entries in
            var replaced = [before]
            if let previous = entries[key], previous.writtenJSON == before {
                replaced = previous.replaced + replaced
            }
            entries[key] = Entry(replaced: Array(replaced.suffix(chainLimit)), written: status, writtenJSON: Self.json(status))
        }
    }

    private static func key(_ object: Object) -> String { object.metadata.uid ?? object.key }

    private static func json(_ status: Object.Status?) -> JSONValue {
        guard let status else { return .null }
        return (try? JSONCoding.toJSON(status)) ?? .null
    }
}

extension WrittenStatuses {
    /// Writes `status` of `object` once — only when something besides
    /// `lastReconcileTime` changed, so a resync that finds nothing new costs no
    /// write — and remembers it for the next reconcile.
    func write(_ status: Object.Status, of object: Object, client: KubernetesClient) async throws {
        var next = status
        next.lastReconcileTime = object.status?.lastReconcileTime
        guard next != object.status else { return }
        next.lastReconcileTime = .now()
        try await StatusWriter(client: client).write(
            Object.resource, name: object.name, namespace: object.namespace, old: object.status, new: next)
        remember(next, over: object)
    }
}
