import Foundation
import KubeAPI
import KubeClient
import LocalCluster

/// An API server for a test: the embedded ``LocalCluster`` on an ephemeral
/// loopback port, or — when `HMCO_TEST_KUBECONFIG` names a kubeconfig — a real
/// cluster, so the same suite runs unchanged against both. Each test works in
/// its own namespace and leaves nothing behind that another test depends on.
public final class TestCluster: Sendable {
    /// The embedded server, or nil against a real cluster.
    public let local: LocalCluster?
    public let client: KubernetesClient
    public let config: ClusterConfig
    /// A kubeconfig file for kubectl.
    public let kubeconfigPath: String
    private let directory: String

    /// The kubeconfig of a real cluster to test against, if one is set.
    public static var externalKubeconfig: String? {
        ProcessInfo.processInfo.environment["HMCO_TEST_KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Starts (or connects to) a cluster.
    public static func start() async throws -> TestCluster {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hmco-test-\(uniqueSuffix())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let external = externalKubeconfig {
            let config = try ClusterConfig.fromKubeconfig(paths: [external])
            return try TestCluster(local: nil, config: config, kubeconfigPath: external, directory: directory)
        }
        let cluster = try LocalCluster(options: LocalClusterOptions())
        try await cluster.start()
        let path = directory + "/kubeconfig"
        try cluster.writeKubeconfig(to: path)
        let config = try ClusterConfig.fromKubeconfig(paths: [path])
        return try TestCluster(local: cluster, config: config, kubeconfigPath: path, directory: directory)
    }

    private init(local: LocalCluster?, config: ClusterConfig, kubeconfigPath: String, directory: String) throws {
        self.local = local
        self.config = config
        self.kubeconfigPath = kubeconfigPath
        self.directory = directory
        self.client = try KubernetesClient(config: config, options: ClientOptions(qps: 1000, burst: 1000))
    }

    /// A new client with its own options (e.g. an observer counting requests).
    public func makeClient(options: ClientOptions = ClientOptions(qps: 1000, burst: 1000)) throws -> KubernetesClient {
        try KubernetesClient(config: config, options: options)
    }

    /// Creates a namespace with a unique name for one test.
    public func makeNamespace(_ prefix: String = "t") async throws -> String {
        let name = "\(prefix)-\(uniqueSuffix())"
        _ = try await client.create(Namespace(name: name))
        return name
    }

    /// Stops the embedded server (a real cluster is left alone) and removes temporary files.
    public func stop() async {
        // Stopping the server first ends open watches, so the client's shutdown does not wait for them.
        await local?.stop()
        try? await client.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a started cluster and stops it afterwards, also on failure.
    public static func with<T: Sendable>(_ body: (TestCluster) async throws -> T) async throws -> T {
        let cluster = try await start()
        do {
            let result = try await body(cluster)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }
}
