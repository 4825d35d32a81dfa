import ArgumentParser
import ControllerRuntime
import Controllers
import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Logging
import PlatformAPI
import Simulators
import Synchronization

/// Benchmarks of the embedded control plane and of the DataBranch controller.
/// Everything runs in one process on loopback; see docs/benchmarks.md.
@main
struct HmcoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmco-bench", abstract: "Measure the local control plane and the DataBranch controller.",
        subcommands: [ControlPlane.self, DataBranches.self, SchemaCheck.self, SchemaContracts.self, CDCConnectors.self])
}

struct ControlPlane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "control-plane", abstract: "Creates/s, status patches/s, watch fan-out and memory with N objects.")

    @Option(help: "Objects to create.") var objects = 10_000
    @Option(help: "Concurrent requests.") var concurrency = 32
    @Option(help: "Watchers for the fan-out measurement.") var watchers = 10

    func run() async throws {
        let cluster = try LocalCluster(options: LocalClusterOptions(watchBufferLimit: 1_000_000))
        try await cluster.start()
        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
        try cluster.writeKubeconfig(to: kubeconfig)
        let client = try KubernetesClient(
            config: try ClusterConfig.fromKubeconfig(paths: [kubeconfig]), options: ClientOptions(qps: 1e9, burst: 1_000_000))
        for (_, crd) in try crdObjects() { _ = try await client.create(DynamicObject(crd), CustomResourceDefinition.resource, namespace: nil) }
        try await waitEstablished(client)
        let baseline = Memory.residentMB()
        report("rss before objects", String(format: "%.0f MB", baseline))

        // Watchers see every create.
        let received = SharedCounter()
        var watchTasks: [Task<Void, Never>] = []
        for _ in 0..<watchers {
            let stream = client.watchStream(DataBranch.self, DataBranch.resource, namespace: "default", options: WatchOptions(timeoutSeconds: 3600))
            watchTasks.append(Task {
                do { for try await event in stream { if case .added = event { received.add() } } } catch {}
            })
        }

        let creates = try await timed(objects) { index in
            _ = try await client.create(Self.branch(index))
        }
        report("creates", String(format: "%.0f objects/s (%d objects, %d concurrent)", Double(objects) / creates, objects, concurrency))
        let expected = objects * watchers
        let fanOutStart = ContinuousClock.now
        while received.value < expected, fanOutStart.duration(to: .now) < .seconds(300) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let delivered = received.value
        report("watch fan-out", "\(delivered)/\(expected) ADDED events delivered to \(watchers) watchers, \(String(format: "%.1f", seconds(fanOutStart.duration(to: .now)))) s after the last create")

        let patches = try await timed(objects) { index in
            let patch: JSONValue = ["status": ["observedGeneration": 1, "headCommit": .string(String(repeating: "a", count: 64))]]
            _ = try await client.patch(DynamicObject.self, DataBranch.resource, name: "bench-\(index)", namespace: "default", patch: .merge(patch), subresource: "status")
        }
        report("status patches", String(format: "%.0f patches/s", Double(objects) / patches))

        let listStart = ContinuousClock.now
        let listed = try await client.list(DataBranch.self, namespace: "default", options: ListOptions(limit: 500))
        report("paged list", "\(listed.items.count) objects in \(String(format: "%.2f", seconds(listStart.duration(to: .now)))) s")
        report("rss with objects", String(format: "%.0f MB (%.0f MB over the empty server; includes %d watchers and the client)", Memory.residentMB(), Memory.residentMB() - baseline, watchers))

        for task in watchTasks { task.cancel() }
        await cluster.stop()
        try? await client.shutdown()
    }

    func timed(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            for _ in 0..<min(concurrency, count) {
                let index = next
                next += 1
                group.addTask { try await body(index) }
            }
            while try await group.next() != nil {
                if next < count {
                    let index = next
                    next += 1
                    group.addTask { try await body(index) }
                }
            }
        }
        return seconds(start.duration(to: .now))
    }

    static func branch(_ index: Int) -> DataBranch {
        DataBranch(
            name: "bench-\(index)", namespace: "default",
            spec: DataBranchSpec(repository: DataBranchRepository(name: "bench"), branch: "b\(index)"))
    }
}

struct DataBranches: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "databranches", abstract: "N DataBranches to Ready: wall time, API-server and lakeFS requests, peak memory.")

    @Option(help: "DataBranches to create.") var count = 1_000
    @Option(help: "Workers of the DataBranch controller.") var workers = 8

    func run() async throws {
        let bench = try await BenchEnvironment.start()
        let lakeFS = LakeFSSimulator()
        try await lakeFS.start()
        try lakeFS.createRepository("bench", defaultBranch: "main")
        guard let endpoint = lakeFS.endpoint else { throw ValidationError("simulator has no address") }
        _ = try await bench.setup.create(Secret(
            metadata: ObjectMeta(name: "lakefs-credentials", namespace: "default"),
            data: ["accessKeyId": Data(lakeFS.configuration.accessKeyID.utf8), "secretAccessKey": Data(lakeFS.configuration.secretAccessKey.utf8)]))
        await DataBranchController.register(
            manager: bench.manager, connector: HTTPLakeFSConnector(),
            defaults: LakeFSDefaults(url: endpoint.absoluteString, credentialsSecret: "default/lakefs-credentials"),
            operatorNamespace: "default", workers: workers, resyncPeriod: .seconds(600), logger: Logger(label: "bench"))
        let run = await bench.runManager()

        let start = ContinuousClock.now
        try await bench.createAll(count) { ControlPlane.branch($0) }
        let created = ContinuousClock.now
        let ready = try await bench.waitReady(DataBranch.self, count: count, deadline: start.advanced(by: .seconds(900)))
        let elapsed = seconds(start.duration(to: .now))
        let apiRequests = bench.apiRequests
        report("objects", "\(count) DataBranches, \(workers) workers, client QPS 50 / burst 100")
        report("to Ready", String(format: "%d/%d Ready %.1f s after the first create (creates took %.1f s)", ready, count, elapsed, seconds(start.duration(to: created))))
        report("API-server requests", "\(apiRequests.value) by the operator (\(String(format: "%.2f", Double(apiRequests.value) / Double(count))) per object)")
        report("lakeFS requests", "\(lakeFS.requests.total) (\(String(format: "%.2f", Double(lakeFS.requests.total) / Double(count))) per object): \(lakeFS.requests.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        report("peak rss", String(format: "%.0f MB (process: API server + lakeFS simulator + operator)", Memory.peakMB()))
        await bench.stop(run)
        await lakeFS.stop()
        if ready < count { throw ExitCode(1) }
    }
}

func crdObjects() throws -> [(String, JSONObject)] {
    try PlatformKinds.all.map { kind in
        guard case .object(let object) = kind.customResourceDefinition else { throw ValidationError("CRD of \(kind) is not an object") }
        return (kind.kind, object)
    }
}

func waitEstablished(_ client: KubernetesClient) async throws {
    for kind in PlatformKinds.all {
        while !((try? await client.get(CustomResourceDefinition.self, name: kind.crdName))?.isEstablished ?? false) {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func report(_ name: String, _ value: String) {
    FileHandle.standardOutput.write(Data("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(value)\n".utf8))
}

/// A counter shared by tasks.
final class SharedCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

/// Resident memory from /proc (Linux).
enum Memory {
    static func residentMB() -> Double { field("VmRSS:") }
    static func peakMB() -> Double { field("VmHWM:") }

    private static func field(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
            let kB = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "")
        else { return 0 }
        return kB / 1024
    }
}
