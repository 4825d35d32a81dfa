import ArgumentParser
import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Logging
import OperatorApp
import Simulators

/// The local all-in-one: an embedded Kubernetes API server, the simulated
/// backends and the operator, in one process on loopback.
@main
struct HmcoDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmco-dev",
        abstract: "Run a local control plane, simulated backends and the operator in one process.",
        discussion: """
            Writes a kubeconfig for kubectl and prints how to use it. Ctrl-C stops everything; \
            with --data-dir the objects survive a restart.
            """)

    @Option(help: "Port of the local API server (0 picks a free one).")
    var port = 0

    @Option(help: "Directory where the API server keeps its objects across restarts.")
    var dataDir = ".hmco-dev/data"

    @Option(help: "Where to write the kubeconfig for kubectl.")
    var kubeconfigOut = ".hmco-dev/kubeconfig"

    @Option(help: "Directory of CRDs applied at start.")
    var crds = "crds"

    @Flag(help: "Start the control plane (and simulators) without the in-process operator.")
    var controlPlaneOnly = false

    @Flag(help: "Apply samples/ and show a live table of every object's Ready condition.")
    var applySamples = false

    @Option(help: "Directory of samples applied with --apply-samples.")
    var samples = "samples"

    @Flag(help: "With --apply-samples: exit 0 once every sample is Ready, non-zero at --timeout.")
    var exitWhenReady = false

    @Option(help: "Seconds to wait for readiness with --exit-when-ready.")
    var timeout = 300

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "warning"

    func validate() throws {
        if exitWhenReady && !applySamples { throw ValidationError("--exit-when-ready needs --apply-samples") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        bootstrapLogging(format: .text, level: Logger.Level(rawValue: logLevel) ?? .warning)
        let logger = Logger(label: "hmco-dev")
        let cluster = try LocalCluster(options: LocalClusterOptions(port: port, dataDirectory: dataDir, logger: logger))
        try await cluster.start()
        try cluster.writeKubeconfig(to: kubeconfigOut)
        let kubeconfigPath = URL(fileURLWithPath: kubeconfigOut).standardizedFileURL.path
        say("local control plane listening on \(cluster.url.absoluteString)")
        say("export KUBECONFIG=\(kubeconfigPath)")

        let clusterConfig = try ClusterConfig.fromKubeconfig(paths: [kubeconfigPath])
        let client = try KubernetesClient(config: clusterConfig, options: ClientOptions(qps: 500, burst: 1000))
        let simulators = DevSimulators()
        let exitCode: Int32
        do {
            try await installCRDs(client: client)
            let backends = try await simulators.start(client: client, namespace: "default")
            exitCode = try await runUntilDone(cluster: cluster, clusterConfig: clusterConfig, client: client, backends: backends, logger: logger)
        } catch {
            say("hmco-dev: \(error)")
            await simulators.stop()
            try? await client.shutdown()
            await cluster.stop()
            throw ExitCode(1)
        }
        await simulators.stop()
        try? await client.shutdown()
        await cluster.stop()
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    private func installCRDs(client: KubernetesClient) async throws {
        guard FileManager.default.fileExists(atPath: crds) else {
            say("no \(crds)/ directory here; run hmco-dev from the repository root to install the CRDs")
            return
        }
        let applier = ManifestApplier(client: client)
        var names: [String] = []
        for (_, object) in try Manifests.load(directory: crds) {
            try await applier.apply(object)
            if let name = object["metadata"]?["name"]?.stringValue { names.append(name) }
        }
        for name in names {
            let established = await poll(timeout: .seconds(30)) {
                (try? await client.get(CustomResourceDefinition.self, name: name))?.isEstablished ?? false
            }
            if !established { throw ManifestError("CRD \(name) did not become Established") }
        }
        say("installed \(names.count) CRDs from \(crds)/")
    }

    private func runUntilDone(
        cluster: LocalCluster, clusterConfig: ClusterConfig, client: KubernetesClient, backends: BackendConfiguration,
        logger: Logger
    ) async throws -> Int32 {
        try await withThrowingTaskGroup(of: Int32?.self) { group in
            if !controlPlaneOnly {
                var configuration = OperatorConfiguration()
                configuration.metricsBindAddress = "127.0.0.1:0"
                configuration.healthProbeBindAddress = "127.0.0.1:0"
                configuration.backends = backends
                configuration.resyncPeriod = .seconds(60)
                let app = OperatorApp(
                    configuration: configuration, clusterConfig: clusterConfig, logger: logger, signaler: DevSnapshotSignaler())
                group.addTask {
                    try await app.run(gracefulShutdownSignals: [])
                    return nil
                }
            }
            group.addTask {
                await waitForInterrupt()
                return 0
            }
            if applySamples {
                group.addTask { try await self.applyAndWatchSamples(client: client) }
            }
            var result: Int32 = 0
            for try await outcome in group {
                if let outcome {
                    result = outcome
                    break
                }
            }
            group.cancelAll()
            return result
        }
    }

    /// Applies the samples and prints the table until all are Ready (or forever without --exit-when-ready).
    private func applyAndWatchSamples(client: KubernetesClient) async throws -> Int32? {
        let applier = ManifestApplier(client: client)
        var applied: [(resource: ResourceDescriptor, namespace: String?, name: String)] = []
        for (file, object) in try Manifests.load(directory: samples) {
            let outcome = try await applier.apply(object)
            let resource = try await applier.resolve(object)
            let name = object["metadata"]?["name"]?.stringValue ?? ""
            let namespace = resource.namespaced ? (object["metadata"]?["namespace"]?.stringValue ?? "default") : nil
            say("\(resource.kind.lowercased())/\(name) \(outcome.rawValue) (\(file))")
            applied.append((resource, namespace, name))
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
        var lastTable = ""
        while true {
            var rows: [[String]] = [["KIND", "NAMESPACE", "NAME", "READY", "REASON"]]
            var allReady = true
            for item in applied where item.resource.kind != "Secret" && item.resource.kind != "ConfigMap" {
                let live = try? await client.get(DynamicObject.self, item.resource, name: item.name, namespace: item.namespace)
                let ready = live?.object["status"]?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }
                guard OperatorApp.reconciledKinds.contains(item.resource.kind) else {
                    rows.append([item.resource.kind, item.namespace ?? "", item.name, "-", "no controller in this build yet"])
                    continue
                }
                let status = ready?["status"]?.stringValue ?? "Unknown"
                let generationCurrent = live?.object["status"]?["observedGeneration"]?.intValue == live?.object["metadata"]?["generation"]?.intValue
                if status != "True" || !generationCurrent { allReady = false }
                rows.append([item.resource.kind, item.namespace ?? "", item.name, status, ready?["reason"]?.stringValue ?? "-"])
            }
            let table = Self.render(rows)
            if table != lastTable {
                say(table)
                lastTable = table
            }
            if exitWhenReady {
                if allReady {
                    say("all samples are Ready")
                    return 0
                }
                if ContinuousClock.now >= deadline {
                    say("timed out after \(timeout)s; not Ready:\n\(table)")
                    return 1
                }
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = first.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// Writes a line to standard output at once (unbuffered), also when piped.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Polls until `condition` holds or the timeout passes.
func poll(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return false
}

/// Returns on SIGINT or SIGTERM.
func waitForInterrupt() async {
    let (stream, continuation) = AsyncStream<Void>.makeStream()
    let sources = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber)
        source.setEventHandler { continuation.yield() }
        source.resume()
        return source
    }
    for await _ in stream { break }
    for source in sources { source.cancel() }
}
