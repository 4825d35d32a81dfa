import Foundation
import KubeAPI
import KubeClient
import Logging

/// Normal or Warning, the two types of Kubernetes Events.
public enum EventType: String, Sendable {
    case normal = "Normal"
    case warning = "Warning"
}

/// Records events.k8s.io/v1 Events about objects.
///
/// A repeat of the same event (same object, type, reason, action and note)
/// within `aggregationWindow` updates the first Event's `series.count` instead
/// of creating another object, as client-go's event broadcaster does. Failures
/// to record are logged, never thrown: an Event is never worth failing a reconcile.
public actor EventRecorder {
    private struct Key: Hashable {
        var uid: String
        var type: String
        var reason: String
        var action: String
        var note: String
    }

    private struct Entry {
        var name: String
        var namespace: String
        var count: Int
        var last: Date
    }

    private let client: KubernetesClient
    private let controller: String
    private let instance: String
    private let logger: Logger
    private let aggregationWindow: TimeInterval
    private let capacity: Int
    private var entries: [Key: Entry] = [:]
    /// Events created or updated; for tests and metrics.
    public private(set) var recorded = 0

    public init(
        client: KubernetesClient, controller: String = "hmco-operator", instance: String = ProcessInfo.processInfo.hostName,
        aggregationWindow: TimeInterval = 1800, capacity: Int = 4096, logger: Logger = Logger(label: "events")
    ) {
        self.client = client
        self.controller = controller
        self.instance = instance
        self.aggregationWindow = aggregationWindow
        self.capacity = capacity
        self.logger = logger
    }

    /// Records an event about `object`. `note` is truncated to the API's 1 kB limit.
    public func record(
        _ type: EventType, reason: String, action: String, note: String, regarding object: some KubernetesObject
    ) async {
        let resource = Swift.type(of: object).resource
        let regarding = ObjectReference(
            apiVersion: resource.apiVersion, kind: resource.kind, name: object.name,
            namespace: object.metadata.namespace, uid: object.metadata.uid,
            resourceVersion: object.metadata.resourceVersion)
        await record(type, reason: reason, action: action, note: note, regarding: regarding)
    }

    /// Records an event about the referenced object.
    public func record(_ type: EventType, reason: String, action: String, note: String, regarding: ObjectReference) async {
        let note = Self.truncate(note, to: 1000)
        let namespace = regarding.namespace ?? "default"
        let key = Key(uid: regarding.uid ?? "\(namespace)/\(regarding.name ?? "")", type: type.rawValue, reason: reason, action: action, note: note)
        let now = Date()
        if var entry = entries[key], now.timeIntervalSince(entry.last) < aggregationWindow {
            entry.count += 1
            entry.last = now
            entries[key] = entry
            let patch: JSONValue = ["series": ["count": .int(Int64(entry.count)), "lastObservedTime": .string(MicroTime(now).description)]]
            do {
                _ = try await client.patch(
                    DynamicObject.self, Event.resource, name: entry.name, namespace: entry.namespace, patch: .merge(patch))
                recorded += 1
                return
            } catch let error as KubeError where error.isNotFound {
                entries[key] = nil
            } catch {
                logger.warning("cannot update event", metadata: ["reason": "\(reason)", "error": "\(error)"])
                return
            }
        }
        let name = "\(regarding.name ?? "object").\(String(UInt64(now.timeIntervalSince1970 * 1e9), radix: 16))"
        let event = Event(
            metadata: ObjectMeta(name: name, namespace: namespace), eventTime: MicroTime(now), type: type.rawValue,
            reason: reason, action: action, note: note, regarding: regarding, reportingController: controller,
            reportingInstance: instance)
        do {
            _ = try await client.create(event)
            recorded += 1
            if entries.count >= capacity, let oldest = entries.min(by: { $0.value.last < $1.value.last })?.key {
                entries[oldest] = nil
            }
            entries[key] = Entry(name: name, namespace: namespace, count: 1, last: now)
        } catch {
            logger.warning("cannot record event", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }

    static func truncate(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var result = ""
        for character in text {
            if result.utf8.count + character.utf8.count > limit - 3 { break }
            result.append(character)
        }
        return result + "..."
    }
}
