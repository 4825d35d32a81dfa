import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Testing

@Suite("Watch")
struct WatchTests {
    @Test("a watch without resourceVersion starts with ADDED events, then streams changes")
    func initialAndLive() async throws {
        try await withCluster { f in
            _ = try await f.client.create(Fixtures.configMap("a"))
            var iterator = f.client.watch(ConfigMap.self, namespace: "default", options: WatchOptions(allowWatchBookmarks: false, timeoutSeconds: 30)).makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first?.type == .added)
            #expect(first?.object.name == "a")
            _ = try await f.client.create(Fixtures.configMap("b"))
            let second = try await iterator.next()
            #expect(second?.type == .added)
            #expect(second?.object.name == "b")
            try await f.client.delete(ConfigMap.self, name: "b", namespace: "default")
            let third = try await iterator.next()
            #expect(third?.type == .deleted)
        }
    }

    @Test("a watch from a resourceVersion replays the changes after it")
    func resume() async throws {
        try await withCluster { f in
            let a = try await f.client.create(Fixtures.configMap("a"))
            var changed = a
            changed.data = ["a": "2"]
            _ = try await f.client.update(changed)
            var iterator = f.client.watch(
                ConfigMap.self, namespace: "default",
                options: WatchOptions(resourceVersion: a.metadata.resourceVersion, allowWatchBookmarks: false, timeoutSeconds: 30)
            ).makeAsyncIterator()
            let event = try await iterator.next()
            #expect(event?.type == .modified)
            #expect(event?.object.data?["a"] == "2")
        }
    }

    @Test("a resourceVersion older than the history is 410 Gone")
    func gone() async throws {
        try await withCluster(LocalClusterOptions(watchHistoryLimit: 5)) { f in
            let first = try await f.client.create(Fixtures.configMap("a"))
            for i in 0..<20 { _ = try await f.client.create(Fixtures.configMap("n\(i)")) }
            var iterator = f.client.watch(
                ConfigMap.self, namespace: "default",
                options: WatchOptions(resourceVersion: first.metadata.resourceVersion, timeoutSeconds: 30)
            ).makeAsyncIterator()
            do {
                _ = try await iterator.next()
                Issue.record("expected 410")
            } catch let error as KubeError {
                #expect(error.isGone)
                #expect(error.code == 410)
            }
        }
    }

    @Test("fault injection: the next watch gets 410, and dropping watches ends open streams")
    func faults() async throws {
        try await withCluster { f in
            f.cluster.failNextWatchWithGone()
            var failing = f.client.watch(ConfigMap.self, namespace: "default", options: WatchOptions(timeoutSeconds: 30)).makeAsyncIterator()
            do {
                _ = try await failing.next()
                Issue.record("expected 410")
            } catch let error as KubeError {
                #expect(error.isGone)
            }

            _ = try await f.client.create(Fixtures.configMap("a"))
            var open = f.client.watch(ConfigMap.self, namespace: "default", options: WatchOptions(allowWatchBookmarks: false, timeoutSeconds: 30)).makeAsyncIterator()
            _ = try await open.next()
            await f.cluster.dropAllWatches()
            let end = try await open.next()
            #expect(end == nil)
        }
    }

    @Test("label-selected watches see objects leave the selection as DELETED")
    func selectorTransitions() async throws {
        try await withCluster { f in
            let created = try await f.client.create(Fixtures.configMap("a", labels: ["tier": "db"]))
            var iterator = f.client.watch(
                ConfigMap.self, namespace: "default",
                options: WatchOptions(allowWatchBookmarks: false, timeoutSeconds: 30, labelSelector: "tier=db")
            ).makeAsyncIterator()
            #expect(try await iterator.next()?.type == .added)
            var moved = created
            moved.metadata.labels = ["tier": "web"]
            _ = try await f.client.update(moved)
            #expect(try await iterator.next()?.type == .deleted)
        }
    }

    @Test("bookmarks carry the current resourceVersion")
    func bookmarks() async throws {
        try await withCluster(LocalClusterOptions(bookmarkInterval: .milliseconds(100))) { f in
            let response = try await f.client.request(
                method: "GET", path: ConfigMap.resource.collectionPath(namespace: "default"),
                query: [
                    URLQueryItem(name: "watch", value: "1"), URLQueryItem(name: "allowWatchBookmarks", value: "true"),
                    URLQueryItem(name: "timeoutSeconds", value: "1"),
                    URLQueryItem(name: "resourceVersion", value: String(await f.cluster.currentResourceVersion())),
                ],
                operation: "watch")
            let lines = String(decoding: response.body, as: UTF8.self).split(separator: "\n")
            #expect(lines.count >= 1)
            let event = try JSONValue(parsing: Data(lines[0].utf8))
            #expect(event["type"] == "BOOKMARK")
            #expect(event["object"]?["metadata"]?["resourceVersion"] != nil)
        }
    }

    @Test("timeoutSeconds ends the watch")
    func timeout() async throws {
        try await withCluster { f in
            let started = ContinuousClock.now
            for try await _ in f.client.watch(ConfigMap.self, namespace: "default", options: WatchOptions(timeoutSeconds: 1)) {}
            // The default watch lasts 30 minutes; ending within a minute shows timeoutSeconds was honoured.
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }
}

@Suite("Persistence and faults")
struct PersistenceTests {
    @Test("a cluster with a data directory keeps its objects and custom resources across restarts")
    func persistence() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var rv: Int64 = 0
        try await withCluster(LocalClusterOptions(dataDirectory: directory)) { f in
            try await Fixtures.installWidgets(f.client)
            _ = try await f.client.create(Fixtures.widget("w1"), Fixtures.widgets, namespace: "default")
            _ = try await f.client.create(Fixtures.configMap("kept"))
            rv = await f.cluster.currentResourceVersion()
        }
        try await withCluster(LocalClusterOptions(dataDirectory: directory)) { f in
            let cm = try await f.client.get(ConfigMap.self, name: "kept", namespace: "default")
            #expect(cm.data == ["a": "1"])
            let widget = try await f.client.get(DynamicObject.self, Fixtures.widgets, name: "w1", namespace: "default")
            #expect(widget.object["spec"]?["mode"] == "Apply")
            #expect(await f.cluster.currentResourceVersion() >= rv)
        }
    }

    @Test("a stopped cluster restarts on the same port with its data")
    func restart() async throws {
        try await withCluster { f in
            _ = try await f.client.create(Fixtures.configMap("kept"))
            let port = f.cluster.port
            await f.cluster.stop()
            try await f.cluster.start()
            #expect(f.cluster.port == port)
            let cm = try await f.client.get(ConfigMap.self, name: "kept", namespace: "default")
            #expect(cm.name == "kept")
        }
    }

    @Test("injected 429s and 500s fail requests with kube's Status")
    func injectedFailures() async throws {
        try await withCluster { f in
            f.cluster.setFaults(FaultSettings(tooManyRequestsFraction: 1))
            let throttled = await expectKubeError { _ = try await f.client.get(Namespace.self, name: "default") }
            #expect(throttled?.code == 429)
            #expect(throttled?.retryAfterSeconds == 1)
            f.cluster.setFaults(FaultSettings(internalErrorFraction: 1))
            let broken = await expectKubeError { _ = try await f.client.get(Namespace.self, name: "default") }
            #expect(broken?.code == 500)
            f.cluster.setFaults(FaultSettings())
            _ = try await f.client.get(Namespace.self, name: "default")
        }
    }

    @Test("the kubeconfig names the server, the CA and the token")
    func kubeconfig() async throws {
        try await withCluster { f in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("kc-\(UUID().uuidString)/config").path
            try f.cluster.writeKubeconfig(to: path)
            let config = try ClusterConfig.fromKubeconfig(paths: [path])
            #expect(config.server == f.cluster.url)
            let client = try KubernetesClient(config: config)
            let ns = try await client.get(Namespace.self, name: "default")
            try await client.shutdown()
            #expect(ns.name == "default")
        }
    }
}
