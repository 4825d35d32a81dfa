import Foundation
import KubeAPI
import KubeClient
import Logging

/// What an informer tells its handlers.
public enum InformerEvent<Object: KubernetesObject>: Sendable {
    case added(Object)
    case updated(old: Object, new: Object)
    case deleted(Object)

    /// The object after the event (the last known state for a deletion).
    public var object: Object {
        switch self {
        case .added(let object), .deleted(let object): object
        case .updated(_, let new): new
        }
    }
}

/// The list and watch calls an informer makes, so tests can replace the API server.
public protocol ListWatchSource<Object>: Sendable {
    associatedtype Object: KubernetesObject
    func list(namespace: String?, options: ListOptions) async throws -> ObjectList<Object>
    func watch(namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchStreamEvent<Object>, any Error>
}

/// The API server as a ``ListWatchSource``.
public struct APIServerSource<Object: KubernetesObject>: ListWatchSource {
    let client: KubernetesClient

    public init(client: KubernetesClient) { self.client = client }

    public func list(namespace: String?, options: ListOptions) async throws -> ObjectList<Object> {
        try await client.list(Object.self, Object.resource, namespace: namespace, options: options)
    }

    public func watch(namespace: String?, options: WatchOptions) -> AsyncThrowingStream<WatchStreamEvent<Object>, any Error> {
        client.watchStream(Object.self, Object.resource, namespace: namespace, options: options)
    }
}

/// Lists and watches one resource type and keeps a local cache of it.
///
/// It is a state machine per namespace: *listing* (paged list, then the cache
/// is replaced and deletions are reported) → *watching* from the list's
/// resourceVersion (bookmarks advance it; a watch that ends is resumed from
/// the last version) → back to *listing* on 410 Gone. Other failures back off
/// (0.8 s doubling to 30 s, jittered) and resume where they were.
///
/// Guarantees: handlers see events in order, one at a time; ``waitForSync()``
/// returns once every namespace has been listed once. Reads never touch the API server.
public actor Informer<Object: KubernetesObject> {
    public typealias Handler = @Sendable (InformerEvent<Object>) async -> Void
    public typealias IndexFunction = @Sendable (Object) -> [String]

    public nonisolated let resource: ResourceDescriptor
    /// Namespaces watched; nil means all.
    public nonisolated let namespaces: [String]?
    private let source: any ListWatchSource<Object>
    private let logger: Logger
    private let pageSize: Int
    private var store: [String: Object] = [:]
    private var indexers: [String: IndexFunction] = [:]
    private var indices: [String: [String: Set<String>]] = [:]
    private var handlers: [Handler] = []
    private var syncedNamespaces: Set<String> = []
    private var syncWaiters: [CheckedContinuation<Void, Never>] = []
    private var started = false
    /// Counts list calls, for tests and benchmarks.
    public private(set) var listCount = 0

    public init(
        source: some ListWatchSource<Object>, namespaces: [String]? = nil, pageSize: Int = 500,
        logger: Logger = Logger(label: "informer")
    ) {
        self.resource = Object.resource
        self.source = source
        self.namespaces = namespaces
        self.pageSize = pageSize
        var logger = logger
        logger[metadataKey: "resource"] = "\(Object.resource.groupResource)"
        self.logger = logger
    }

    // MARK: Reading the cache

    /// The cached object with this key (`namespace/name`).
    public func get(_ key: String) -> Object? { store[key] }

    /// Every cached object.
    public func list() -> [Object] { Array(store.values) }

    /// Cached objects in one namespace.
    public func list(namespace: String) -> [Object] {
        store.values.filter { $0.metadata.namespace == namespace }
    }

    public var count: Int { store.count }

    /// Objects whose index function returned `value` for the named index.
    public func objects(index name: String, value: String) -> [Object] {
        (indices[name]?[value] ?? []).compactMap { store[$0] }
    }

    /// Keys whose index function returned `value` for the named index.
    public func keys(index name: String, value: String) -> [String] {
        Array(indices[name]?[value] ?? [])
    }

    public var hasSynced: Bool { syncedNamespaces.count == (namespaces?.count ?? 1) }

    /// Returns once the cache holds a complete list.
    public func waitForSync() async {
        if hasSynced { return }
        await withCheckedContinuation { syncWaiters.append($0) }
    }

    // MARK: Registration

    /// Adds a secondary index; existing objects are indexed at once.
    public func addIndex(_ name: String, _ function: @escaping IndexFunction) {
        indexers[name] = function
        var index: [String: Set<String>] = [:]
        for (key, object) in store {
            for value in function(object) { index[value, default: []].insert(key) }
        }
        indices[name] = index
    }

    /// Adds an event handler; it first receives `added` for every cached object.
    public func addHandler(_ handler: @escaping Handler) async {
        handlers.append(handler)
        for object in store.values { await handler(.added(object)) }
    }

    // MARK: Running

    /// Runs the list/watch loops until the task is cancelled.
    public func run() async {
        guard !started else { return }
        started = true
        let namespaces: [String?] = self.namespaces ?? [nil]
        await withTaskGroup(of: Void.self) { group in
            for namespace in namespaces {
                group.addTask { await self.runLoop(namespace: namespace) }
            }
        }
    }

    private enum Phase { case listing, watching(resourceVersion: String) }

    private func runLoop(namespace: String?) async {
        var phase = Phase.listing
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                switch phase {
                case .listing:
                    let resourceVersion = try await listAndReplace(namespace: namespace)
                    phase = .watching(resourceVersion: resourceVersion)
                    backoff.reset()
                case .watching(let resourceVersion):
                    phase = .watching(resourceVersion: try await watch(namespace: namespace, from: resourceVersion))
                    backoff.reset()
                }
            } catch is CancellationError {
                return
            } catch let error as KubeError where error.isGone {
                logger.debug("watch history expired; relisting", metadata: ["namespace": "\(namespace ?? "")"])
                phase = .listing
            } catch {
                let delay = backoff.next()
                logger.warning(
                    "list/watch failed; retrying",
                    metadata: ["error": "\(error)", "retryIn": "\(delay)", "namespace": "\(namespace ?? "")"])
                do { try await Task.sleep(for: delay) } catch { return }
            }
        }
    }

    private func listAndReplace(namespace: String?) async throws -> String {
        listCount += 1
        var options = ListOptions(limit: pageSize)
        var items: [Object] = []
        var resourceVersion = ""
        repeat {
            let page = try await source.list(namespace: namespace, options: options)
            items += page.items
            resourceVersion = page.metadata.resourceVersion ?? resourceVersion
            options.continue = page.metadata.continue
        } while !(options.continue ?? "").isEmpty
        await replace(items, namespace: namespace)
        syncedNamespaces.insert(namespace ?? "")
        if hasSynced {
            let waiters = syncWaiters
            syncWaiters.removeAll()
            for waiter in waiters { waiter.resume() }
        }
        return resourceVersion
    }

    /// Watches from a version; returns the last version seen when the server ends the watch.
    private func watch(namespace: String?, from resourceVersion: String) async throws -> String {
        var last = resourceVersion
        let options = WatchOptions(
            resourceVersion: resourceVersion, allowWatchBookmarks: true, timeoutSeconds: Int.random(in: 300...600))
        for try await event in source.watch(namespace: namespace, options: options) {
            switch event {
            case .added(let object), .modified(let object):
                if let version = object.metadata.resourceVersion { last = version }
                await upsert(object)
            case .deleted(let object):
                if let version = object.metadata.resourceVersion { last = version }
                await remove(object)
            case .bookmark(let version, _):
                if !version.isEmpty { last = version }
            }
        }
        return last
    }

    private func replace(_ items: [Object], namespace: String?) async {
        var fresh: [String: Object] = [:]
        for item in items { fresh[item.key] = item }
        let stale = store.filter { key, object in
            (namespace == nil || object.metadata.namespace == namespace) && fresh[key] == nil
        }
        for (_, object) in stale { await remove(object) }
        for item in items { await upsert(item) }
    }

    private func upsert(_ object: Object) async {
        let key = object.key
        let old = store[key]
        if let old, old.metadata.resourceVersion == object.metadata.resourceVersion { return }
        store[key] = object
        reindex(key: key, old: old, new: object)
        let event: InformerEvent<Object> = old.map { .updated(old: $0, new: object) } ?? .added(object)
        for handler in handlers { await handler(event) }
    }

    private func remove(_ object: Object) async {
        let key = object.key
        let last = store.removeValue(forKey: key) ?? object
        reindex(key: key, old: last, new: nil)
        for handler in handlers { await handler(.deleted(last)) }
    }

    private func reindex(key: String, old: Object?, new: Object?) {
        for (name, function) in indexers {
            if let old {
                for value in function(old) {
                    indices[name]?[value]?.remove(key)
                    if indices[name]?[value]?.isEmpty == true { indices[name]?[value] = nil }
                }
            }
            if let new {
                for value in function(new) { indices[name, default: [:]][value, default: []].insert(key) }
            }
        }
    }
}

/// Exponential backoff with jitter for reconnecting (client-go's reflector
/// uses 800 ms doubling to 30 s).
struct Backoff {
    var initial: Duration = .milliseconds(800)
    var maximum: Duration = .seconds(30)
    private var current: Duration?

    mutating func next() -> Duration {
        let base = current.map { min($0 * 2, maximum) } ?? initial
        current = base
        return base + base * Double.random(in: 0..<0.2)
    }

    mutating func reset() { current = nil }
}
