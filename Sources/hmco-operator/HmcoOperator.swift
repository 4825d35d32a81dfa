import ArgumentParser
import ControllerRuntime
import Foundation
import KubeClient
import Logging
import OperatorApp
import PlatformAPI
import SchemaCompatibility

/// The production binary of hmco-operator.
@main
struct HmcoOperator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmco-operator",
        abstract: "Runs the data platform from YAML: reconciles the data.hmco.io custom resources.",
        subcommands: [Run.self, CRDs.self, Schema.self, Version.self],
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
            let app = OperatorApp(
                configuration: configuration, clusterConfig: cluster, logger: logger, signaler: PostgresSnapshotSignaler())
            try await app.run()
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

struct Schema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Schema contract tools for CI.", subcommands: [SchemaCheckCommand.self])
}

struct SchemaCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Fail (exit 1) when a SchemaContract or schema file breaks compatibility with its earlier versions.",
        discussion: """
            Inputs are SchemaContract manifests (.yaml) or schema files (.avsc, .proto, .json; the subject is the \
            file name). Earlier versions come from --baseline-dir DIR, laid out as DIR/<subject>/<n>.<ext>, \
            or from a registry (--registry URL; credentials from environment variables, never flags; the \
            subject's level in the registry wins over the file's). \
            Exit codes: 0 compatible, 1 a breaking change, 2 unusable input.
            """)

    @Option(help: "Directory with earlier versions: <dir>/<subject>/<version>.<avsc|proto|json>.")
    var baselineDir: String?

    @Option(help: "Schema registry URL whose versions are the baseline (instead of --baseline-dir).")
    var registry: String?

    @Option(help: "Environment variable holding the registry username (basic auth).")
    var registryUsernameEnv = "SCHEMA_REGISTRY_USERNAME"

    @Option(help: "Environment variable holding the registry password (basic auth).")
    var registryPasswordEnv = "SCHEMA_REGISTRY_PASSWORD"

    @Option(help: "Environment variable holding a registry bearer token.")
    var registryTokenEnv = "SCHEMA_REGISTRY_TOKEN"

    @Option(help: "Compatibility level for inputs that do not state one (default BACKWARD).")
    var level: String?

    @Option(help: "Output format: text or json.")
    var output = "text"

    @Argument(help: "SchemaContract YAML files or schema files.")
    var files: [String]

    func run() async throws {
        guard output == "text" || output == "json" else {
            FileHandle.standardError.write(Data("--output must be text or json\n".utf8))
            throw ExitCode(2)
        }
        let defaultLevel: SchemaCompatibility.CompatibilityLevel?
        if let level {
            guard let parsed = SchemaCompatibility.CompatibilityLevel(rawValue: level.uppercased()) else {
                FileHandle.standardError.write(Data("--level must be one of \(SchemaCompatibility.CompatibilityLevel.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
                throw ExitCode(2)
            }
            defaultLevel = parsed
        } else {
            defaultLevel = nil
        }
        do {
            let proposals = try SchemaCheck.proposals(files: files, defaultLevel: defaultLevel)
            let baseline: any SchemaCheck.Baseline
            let fromRegistry: Bool
            switch (baselineDir, registry) {
            case (let directory?, nil):
                baseline = DirectoryBaseline(directory: directory)
                fromRegistry = false
            case (nil, let registry?):
                guard let url = URL(string: registry), url.scheme == "http" || url.scheme == "https" else {
                    throw SchemaCheck.UsageError("--registry \(registry) is not an http(s) URL")
                }
                let environment = ProcessInfo.processInfo.environment
                baseline = RegistryBaseline(
                    url: url, username: environment[registryUsernameEnv], password: environment[registryPasswordEnv],
                    token: environment[registryTokenEnv])
                fromRegistry = true
            default:
                throw SchemaCheck.UsageError("give exactly one of --baseline-dir and --registry")
            }
            let results = try await SchemaCheck.run(proposals, baseline: baseline, levelFromBaseline: fromRegistry)
            print(output == "json" ? try SchemaCheck.json(results) : SchemaCheck.text(results), terminator: "")
            if results.contains(where: { !$0.incompatibilities.isEmpty }) { throw ExitCode(1) }
        } catch let error as SchemaCheck.UsageError {
            FileHandle.standardError.write(Data("hmco-operator schema check: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("hmco-operator \(OperatorApp.version)")
    }
}
