import Foundation
import Logging

/// A stand-in for a distributed Kafka Connect cluster: its REST API on loopback, written
/// from Connect's `connect_rest.yaml` and the runtime's status codes, over an in-memory
/// model of connectors (raw config, target state, connector and task instances spread
/// round robin over worker ids, offsets, active topics) and installed plugins (Debezium
/// PostgreSQL and MySQL sources, the Iceberg and ClickHouse sinks) that validate configs —
/// plus a Swift API for tests and `hmco-dev` to script failures, rebalances and drift,
/// inject faults and count requests.
///
/// Guarantees:
/// - Answers use Connect's status codes (201 + `Location` on create, 200/201 on PUT config,
///   202 on pause/resume, 204 on stop/delete, 204 or 202 on restart) and
///   `{"error_code", "message"}` bodies; a test validates bodies against the yaml's schemas.
/// - Configs are stored and returned raw: `${provider:path:key}` placeholders stay as sent.
/// - Validation runs on validate, create and update alike, with Connect's message texts;
///   create/update refuse an invalid config with 400 "Connector configuration is invalid…".
/// - Like real Connect, every config write (even one that changes nothing) restarts the
///   connector and its tasks; ``taskRestartsFromConfigWrites(of:)`` counts it.
/// - Thread-safe: HTTP handlers and the Swift API share one lock.
///
/// Caveats:
/// - The Swift API arranges state directly: it skips authentication, faults, rebalances
///   and validation. Only requests made over HTTP meet them.
/// - Placeholders are never resolved, so a placeholder passes every type and value check.
/// - Logger endpoints, connector plugin versions, exactly-once and client override
///   validation are not simulated; only a subset of each plugin's keys is defined.
///
/// ```swift
/// let connect = KafkaConnectSimulator()
/// let url = try await connect.start()         // http://127.0.0.1:<port>
/// // … the operator PUTs /connectors/orders-pg/config …
/// try connect.failTask(connector: "orders-pg", task: 0)
/// connect.failNextTaskStarts(connector: "orders-pg", count: 2)   // the next two restarts fail too
/// connect.beginRebalance(requests: 3)                            // 409s for the next three writes/status reads
/// connect.faults.failNext(1, operation: KafkaConnectSimulator.Operation.putConnectorConfig)
/// #expect(connect.status(of: "orders-pg")?.taskStates == [.failed])
/// ```
public final class KafkaConnectSimulator: Sendable {
    /// Credentials accepted by basic authentication.
    public struct Credentials: Sendable, Hashable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// How the simulator listens, whom it lets in, what it has installed and how it settles.
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port to bind; 0 picks a free one.
        public var port: Int
        /// When set, every request needs these basic credentials; 401 otherwise.
        public var credentials: Credentials?
        /// The workers that instances are assigned to, round robin.
        public var workerIDs: [String]
        /// The connector plugins installed.
        public var plugins: [Plugin]
        /// How creates, resumes and restarts show up in `/status`.
        public var settling: Settling
        /// Whether `…/topics` endpoints work (`topic.tracking.enable`); 403 otherwise.
        public var topicTracking: Bool
        /// What `GET /` reports.
        public var version: String
        public var commit: String
        public var kafkaClusterID: String

        public init(
            host: String = "127.0.0.1", port: Int = 0, credentials: Credentials? = nil,
            workerIDs: [String] = ["10.0.0.5:8083", "10.0.0.6:8083"], plugins: [Plugin] = Plugin.defaults,
            settling: Settling = .immediately, topicTracking: Bool = true, version: String = "4.2.0",
            commit: String = "8e2e1c6f5b9a4d3c", kafkaClusterID: String = "MkU3OEVBNTcwNTJENDM2Qk"
        ) {
            self.host = host
            self.port = port
            self.credentials = credentials
            self.workerIDs = workerIDs.isEmpty ? ["127.0.0.1:8083"] : workerIDs
            self.plugins = plugins
            self.settling = settling
            self.topicTracking = topicTracking
            self.version = version
            self.commit = commit
            self.kafkaClusterID = kafkaClusterID
        }
    }

    /// The configuration the simulator was made with.
    public let configuration: Configuration
    /// The HTTP server: lifecycle, port, faults and request counts.
    public let server: SimulatorServer
    let store: KafkaConnectStore

    public init(
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "hmco.simulator.kafka-connect", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        let store = KafkaConnectStore(configuration: configuration)
        self.store = store
        let reference = ServerReference()
        let api = KafkaConnectAPI(store: store, configuration: configuration, server: reference)
        self.server = SimulatorServer(api: api, host: configuration.host, port: configuration.port, logger: logger)
        reference.attach(server)
    }

    // MARK: Lifecycle

    /// Serves until the calling task is cancelled (for a service or task group).
    public func run() async throws { try await server.run() }

    /// Starts serving in the background; returns the base URL, `http://host:port`.
    @discardableResult
    public func start() async throws -> URL { try await server.start() }

    /// Stops a run begun with ``start()``. A later ``start()`` binds the same port.
    public func stop() async { await server.stop() }

    /// `http://host:port` while running.
    public var baseURL: URL? { server.baseURL }

    /// Fault injection for every request; keys are operation names (see ``Operation``).
    public var faults: FaultInjector { server.faults }

    /// Request counts by operation name (see ``Operation``).
    public var requests: RequestCounter { server.requests }

    /// Requests received for one operation, e.g. ``Operation/putConnectorConfig``.
    public func requestCount(_ operation: String) -> Int { server.requests.count(operation) }

    /// Forgets every connector, offset, script, counter, fault and request count.
    public func reset() {
        store.write { $0 = KafkaConnectState(configuration: configuration) }
        server.faults.clear()
        server.requests.reset()
    }
}

extension KafkaConnectSimulator {
    /// The operations the simulator serves, named by the yaml's `operationId`s; request
    /// counts and per-route faults are keyed by them.
    public enum Operation {
        public static let serverInfo = "serverInfo"
        public static let healthCheck = "healthCheck"
        public static let listConnectors = "listConnectors"
        public static let createConnector = "createConnector"
        public static let getConnector = "getConnector"
        public static let destroyConnector = "destroyConnector"
        public static let getConnectorConfig = "getConnectorConfig"
        public static let putConnectorConfig = "putConnectorConfig"
        public static let patchConnectorConfig = "patchConnectorConfig"
        public static let getConnectorStatus = "getConnectorStatus"
        public static let getTaskConfigs = "getTaskConfigs"
        public static let getTaskStatus = "getTaskStatus"
        public static let pauseConnector = "pauseConnector"
        public static let resumeConnector = "resumeConnector"
        public static let stopConnector = "stopConnector"
        public static let restartConnector = "restartConnector"
        public static let restartTask = "restartTask"
        public static let getOffsets = "getOffsets"
        public static let alterConnectorOffsets = "alterConnectorOffsets"
        public static let resetConnectorOffsets = "resetConnectorOffsets"
        public static let getConnectorActiveTopics = "getConnectorActiveTopics"
        public static let resetConnectorActiveTopics = "resetConnectorActiveTopics"
        public static let listConnectorPlugins = "listConnectorPlugins"
        public static let getConnectorConfigDef = "getConnectorConfigDef"
        public static let validateConfigs = "validateConfigs"
    }
}

extension InjectedFailure {
    /// Connect's answer while a rebalance is under way (409).
    public static let kafkaConnectRebalance = InjectedFailure(
        status: 409, message: KafkaConnectSimulatorError.rebalanceMessage)
    /// Connect's answer when the herder did not finish a request within 90 s (500).
    public static let kafkaConnectRequestTimeout = InjectedFailure(status: 500, message: "Request timed out")
}
