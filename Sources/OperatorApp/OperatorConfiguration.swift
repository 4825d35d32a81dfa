import Foundation
import KubeAPI
import Yams

/// Settings of one operator process: command-line flags plus an optional
/// configuration file for backend endpoints and the names of the Secrets that
/// hold their credentials (never the credentials themselves).
public struct OperatorConfiguration: Sendable {
    public var kubeconfig: String?
    public var context: String?
    /// Namespaces to watch; nil or empty watches all.
    public var namespaces: [String]?
    public var leaderElect: Bool = false
    public var leaderElectionNamespace: String?
    public var leaderElectionID: String = "hmco-operator.data.hmco.io"
    public var workers: Int = 2
    public var metricsBindAddress: String = ":8080"
    public var healthProbeBindAddress: String = ":8081"
    public var qps: Double = 50
    public var burst: Int = 100
    public var resyncPeriod: Duration = .seconds(600)
    public var backends: BackendConfiguration = BackendConfiguration()

    public init() {}
}

/// Where each backend lives and which Secret holds its credentials.
/// Loaded from the `--config` YAML file.
public struct BackendConfiguration: Codable, Sendable, Equatable {
    /// One backend endpoint.
    public struct Endpoint: Codable, Sendable, Equatable {
        /// Base URL, e.g. `http://lakefs.data.svc:8000`.
        public var url: String
        /// Secret (in the operator's namespace unless qualified as `namespace/name`) with the credentials.
        public var credentialsSecret: String?
        /// Request timeout in seconds.
        public var timeoutSeconds: Double?
        /// Concurrent requests allowed toward this backend.
        public var maxConcurrentRequests: Int?

        public init(url: String, credentialsSecret: String? = nil) {
            self.url = url
            self.credentialsSecret = credentialsSecret
        }
    }

    public var lakefs: Endpoint?
    public var schemaRegistry: Endpoint?
    public var kafkaConnect: Endpoint?
    public var vault: Endpoint?
    public var trino: Endpoint?
    public var clickhouse: Endpoint?
    public var prometheus: Endpoint?
    public var openLineage: Endpoint?
    /// How CDCConnectors are rendered for the Kafka Connect workers.
    public var cdc: CDCSettings?
    /// How actions are reported to the `openLineage` backend.
    public var lineage: LineageSettings?

    /// OpenLineage reporting: the job namespace and the consumer's path.
    public struct LineageSettings: Codable, Sendable, Equatable {
        /// The OpenLineage job namespace of every event (default `hmco`).
        public var namespace: String?
        /// The path events are POSTed to under `openLineage.url`: `/api/v1/lineage` (Marquez, the default) or `/lineage` (a generic consumer).
        public var path: String?
        /// Events held while the backend is slow or down; the oldest are dropped beyond it (default 1000).
        public var queueCapacity: Int?

        public init() {}
    }

    /// How CDCConnector configurations are rendered: how they refer to Secrets,
    /// which sink classes the workers have, where Kafka is.
    public struct CDCSettings: Codable, Sendable, Equatable {
        /// How connector configurations refer to secret values: `KubernetesSecret`
        /// (Strimzi's KubernetesSecretConfigProvider, the default), `Directory`
        /// (Kafka's DirectoryConfigProvider over Secrets mounted under `secretMountPath`)
        /// or `File` (Kafka's FileConfigProvider, one `<secret>.properties` per Secret).
        public var secretProvider: String?
        /// The alias the workers register the provider under (`config.providers`);
        /// `secrets`, `directory` or `file` by default.
        public var secretProviderAlias: String?
        /// Where Secrets are mounted on the workers (Directory and File providers).
        public var secretMountPath: String?
        /// Kafka's bootstrap servers, for Debezium MySQL's schema-history topic.
        public var kafkaBootstrapServers: String?
        /// The Iceberg sink connector class (default Tabular's, which upserts).
        public var icebergSinkClass: String?
        /// The Debezium transform matching the Iceberg sink class.
        public var icebergDebeziumTransformClass: String?
        /// The ClickHouse sink connector class.
        public var clickHouseSinkClass: String?
        /// `key.converter` / `value.converter` of every rendered connector; the workers' when absent.
        public var keyConverter: String?
        public var valueConverter: String?
        /// Further `key.converter.*` / `value.converter.*` properties.
        public var converterProperties: [String: String]?
        /// How often a converged connector's state is read again, in seconds (default 60).
        public var statusPollSeconds: Double?

        public init() {}
    }

    public init() {}

    /// Reads the YAML file; unknown keys are an error naming the key, so a typo does not go unnoticed.
    public static func load(path: String) throws -> BackendConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        do {
            return try parse(text, source: path)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("\(path) is not a valid configuration: \(error)")
        }
    }
}

extension BackendConfiguration {
    /// Decodes the configuration's YAML. A section left empty (`lakefs: {}`, as the
    /// Helm chart's defaults render) counts as absent; unknown keys are refused.
    public static func parse(_ text: String, source: String = "configuration") throws -> BackendConfiguration {
        guard let node = try Yams.compose(yaml: text) else { return BackendConfiguration() }
        guard case .mapping(var map) = node else { throw ConfigurationError("\(source): expected a mapping of backends") }
        let known = Set([
            "lakefs", "schemaRegistry", "kafkaConnect", "vault", "trino", "clickhouse", "prometheus", "openLineage", "cdc", "lineage",
        ])
        for (key, value) in map {
            guard let name = key.string else { continue }
            guard known.contains(name) else {
                throw ConfigurationError("\(source): unknown key \"\(name)\"; known keys: \(known.sorted().joined(separator: ", "))")
            }
            if case .mapping(let section) = value, section.isEmpty { map[key] = nil }
            if value.null != nil { map[key] = nil }
        }
        return try YAMLDecoder().decode(BackendConfiguration.self, from: Node.mapping(map))
    }
}

/// A configuration the operator cannot start with.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
