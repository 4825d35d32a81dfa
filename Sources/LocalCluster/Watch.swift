import Foundation
import KubeAPI

/// Turns an event into the bytes of one line of a watch stream (JSON or Table rows).
struct WatchEncoder: Sendable {
    /// Watchers with equal keys get the same bytes, so an event is encoded once per kind of watcher.
    var key: String
    var encode: @Sendable (WatchEventType, JSONObject) -> Data
}

/// What a `?watch=true` request asks for.
struct WatchRequest: Sendable {
    var def: ResourceDefinition
    var version: String
    var namespace: String?
    var labelSelector: LabelSelectorQuery = .everything
    var fieldSelector: FieldSelector = .everything
    var resourceVersion: String?
    var allowBookmarks = false
    var sendInitialEvents: Bool?
    var encoder: WatchEncoder
}

/// One open watch.
struct Watcher: Sendable {
    var request: WatchRequest
    var continuation: AsyncStream<Data>.Continuation
}

/// The start of a watch: the events owed before live ones (synthetic ADDED or
/// history replay), then the live stream.
struct WatchStart: Sendable {
    var id: Int
    var initial: [Data]
    var stream: AsyncStream<Data>
}

extension ClusterStore {
    /// Opens a watch. Throws an `Expired` error (sent by the caller as an
    /// ERROR event) when the resourceVersion is older than the history.
    func watch(_ request: WatchRequest, failWithGone: Bool) throws(APIError) -> WatchStart {
        let requested = request.resourceVersion.flatMap { Int64($0) } ?? 0
        let oldest = history.first?.resourceVersion ?? (resourceVersion + 1)
        if failWithGone {
            throw APIError.expired("too old resource version: \(requested) (\(oldest))")
        }
        var initial: [Data] = []
        let synthetic = request.resourceVersion == nil || request.resourceVersion == "" || request.resourceVersion == "0"
            || request.sendInitialEvents == true
        if synthetic {
            let page = list(
                request.def, version: request.version, namespace: request.namespace,
                query: ListQuery(labelSelector: request.labelSelector, fieldSelector: request.fieldSelector))
            initial = page.items.map { request.encoder.encode(.added, $0) }
            if request.sendInitialEvents == true, request.allowBookmarks {
                initial.append(request.encoder.encode(.bookmark, bookmark(request, annotations: ["k8s.io/initial-events-end": "true"])))
            }
        } else if requested < resourceVersion {
            guard requested >= oldest - 1 else {
                throw APIError.expired("too old resource version: \(requested) (\(oldest))")
            }
            let start = history.partitioningIndex { $0.resourceVersion > requested }
            for change in history[start...] {
                if let (type, object) = event(for: change, request) {
                    initial.append(request.encoder.encode(type, object))
                }
            }
        }
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingOldest(watchBufferLimit))
        nextWatcherID += 1
        watchers[nextWatcherID] = Watcher(request: request, continuation: continuation)
        return WatchStart(id: nextWatcherID, initial: initial, stream: stream)
    }

    func removeWatcher(_ id: Int) {
        watchers.removeValue(forKey: id)?.continuation.finish()
    }

    /// Ends every open watch, as a restarted API server or a dropped connection would.
    func dropAllWatches() {
        for watcher in watchers.values { watcher.continuation.finish() }
        watchers.removeAll()
    }

    var watcherCount: Int { watchers.count }

    /// Sends a BOOKMARK with the current resourceVersion to every watch that allows them.
    func sendBookmarks() {
        for (id, watcher) in watchers where watcher.request.allowBookmarks {
            deliver(watcher.request.encoder.encode(.bookmark, bookmark(watcher.request, annotations: nil)), to: id, watcher)
        }
    }

    private func bookmark(_ request: WatchRequest, annotations: [String: JSONValue]?) -> JSONObject {
        var metadata: JSONObject = ["resourceVersion": .string(String(resourceVersion))]
        if let annotations { metadata["annotations"] = .object(annotations) }
        return [
            "apiVersion": .string(request.def.apiVersion(request.version)), "kind": .string(request.def.kind),
            "metadata": .object(metadata),
        ]
    }

    /// Offers one change to every matching watch.
    func dispatch(_ change: ChangeRecord) {
        guard !watchers.isEmpty else { return }
        var encoded: [String: Data] = [:]
        for (id, watcher) in watchers where watcher.request.def.storage == change.storage {
            guard let (type, object) = event(for: change, watcher.request) else { continue }
            let cacheKey = "\(type.rawValue)|\(watcher.request.encoder.key)"
            let data: Data
            if let cached = encoded[cacheKey] {
                data = cached
            } else {
                data = watcher.request.encoder.encode(type, object)
                encoded[cacheKey] = data
            }
            deliver(data, to: id, watcher)
        }
    }

    /// Yields to a watcher; a watcher whose buffer is full is closed rather than
    /// allowed to grow without bound (its client resumes from its last resourceVersion).
    private func deliver(_ data: Data, to id: Int, _ watcher: Watcher) {
        switch watcher.continuation.yield(data) {
        case .enqueued: break
        case .dropped, .terminated:
            watcher.continuation.finish()
            watchers[id] = nil
        @unknown default:
            break
        }
    }

    /// The event a watch sees for a change, honouring namespace and selectors:
    /// an object moving into the selection is ADDED, moving out is DELETED.
    private func event(for change: ChangeRecord, _ request: WatchRequest) -> (WatchEventType, JSONObject)? {
        guard change.storage == request.def.storage else { return nil }
        if let namespace = request.namespace, change.namespace != namespace { return nil }
        let object = present(change.object, request.def, version: request.version)
        let filtered = !request.labelSelector.isEmpty || !request.fieldSelector.isEmpty
        guard filtered else { return (change.type, object) }
        let now = matches(object, request.labelSelector, request.fieldSelector)
        switch change.type {
        case .added:
            return now ? (.added, object) : nil
        case .deleted:
            let before = change.previous.map { matches(present($0, request.def, version: request.version), request.labelSelector, request.fieldSelector) } ?? now
            return before || now ? (.deleted, object) : nil
        default:
            let before = change.previous.map { matches(present($0, request.def, version: request.version), request.labelSelector, request.fieldSelector) } ?? true
            switch (before, now) {
            case (true, true): return (.modified, object)
            case (false, true): return (.added, object)
            case (true, false): return (.deleted, object)
            case (false, false): return nil
            }
        }
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate false then true over the array.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
