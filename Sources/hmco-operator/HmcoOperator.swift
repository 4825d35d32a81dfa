import ArgumentParser
import ControllerRuntime
import Foundation
import KubeClient
import Logging
import OperatorApp
import PlatformAPI

/// The production binary of hmco-operator.
@main
struct HmcoOperator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmco-operator",
        abstract: "Runs the data platform from YAML: reconciles the data.hmco.io custom resources.",
        subcommands: [Run.self, CRDs.self, Version.self],
        defaultSubcommand: Run.self)
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the operator against a cluster.")

    @Option(help: "Path to a kubeconfig. Default: $KUBECONFIG, then in-cluster, then ~/.kube/config.")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context to use instead of the current one.")
    var context: String?

    @Option(help: "Comma-separated namespaces to watch. Default: all namespaces.")
    var namespaces: String?

    @Flag(help: "Elect a leader through a coordination.k8s.io Lease so only one replica acts.")
    var leaderElect = false

    @Option(help: "Namespace of the leader-election Lease. Default: the operator's namespace.")
    var leaderElectionNamespace: String?

    @Option(help: "Concurrent reconciles per kind.")
    var workers = 2

    @Option(help: "Address of the Prometheus /metrics endpoint (host:port; 0 disables).")
    var metricsBindAddress = ":8080"

    @Option(help: "Address of the /healthz and /readyz endpoints (host:port).")
    var healthProbeBindAddress = ":8081"

    @Option(help: "Log format: json or text.")
    var logFormat = "json"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(name: .customLong("kube-api-qps"), help: "Sustained requests per second to the API server.")
    var kubeAPIQPS: Double = 50

    @Option(name: .customLong("kube-api-burst"), help: "Burst of requests to the API server above the QPS.")
    var kubeAPIBurst = 100

    @Option(help: "YAML file with backend endpoints and the Secrets holding their credentials.")
    var config: String?

    func validate() throws {
        guard LogFormat(rawValue: logFormat) != nil else {
            throw ValidationError("--log-format must be one of: json, text (got \"\(logFormat)\")")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of: trace, debug, info, notice, warning, error, critical (got \"\(logLevel)\")")
        }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1 (got \(workers))") }
    }

    func run() async throws {
        bootstrapLogging(format: LogFormat(rawValue: logFormat) ?? .json, level: Logger.Level(rawValue: logLevel) ?? .info)
        let logger = Logger(label: "hmco-operator")
        var configuration = OperatorConfiguration()
        configuration.kubeconfig = kubeconfig
        configuration.context = context
        configuration.namespaces = namespaces?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        configuration.leaderElect = leaderElect
        configuration.leaderElectionNamespace = leaderElectionNamespace
        configuration.workers = workers
        configuration.metricsBindAddress = metricsBindAddress
        configuration.healthProbeBindAddress = healthProbeBindAddress
        configuration.qps = kubeAPIQPS
        configuration.burst = kubeAPIBurst
        do {
            if let config { configuration.backends = try BackendConfiguration.load(path: config) }
            let cluster = try ClusterConfig.load(kubeconfig: kubeconfig, context: context, logger: logger)
            try await OperatorApp(configuration: configuration, clusterConfig: cluster, logger: logger).run()
        } catch {
            logger.critical("hmco-operator cannot run", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

struct CRDs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crds",
        abstract: "Print the CustomResourceDefinitions of the seven kinds as YAML (for kubectl apply -f -).")

    func run() {
        print(PlatformKinds.customResourceDefinitionsYAML, terminator: "")
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("hmco-operator \(OperatorApp.version)")
    }
}
