import Foundation
import Logging

/// A stand-in for a Confluent-compatible schema registry: its REST API on loopback,
/// written from the API summary, over an in-memory model of subjects, versions and
/// schemas with global ids — plus a Swift API for tests and `hmco-dev` to arrange
/// state, inject faults and count requests.
///
/// Guarantees:
/// - Answers use the registry's HTTP statuses, `error_code`s and `{"error_code", "message"}`
///   bodies, in `application/vnd.schemaregistry.v1+json`.
/// - Registering is idempotent per subject; identical schemas (same type, canonical
///   form and references) share one id across subjects.
/// - Over HTTP, registrations meet the subject's mode and compatibility level.
/// - Thread-safe: HTTP handlers and the Swift API share one lock.
///
/// Caveats:
/// - The Swift API arranges state directly: it skips authentication, faults, modes and
///   compatibility levels (references and validity still apply).
/// - Contexts, metadata, rule sets, IMPORT-mode ids and leader forwarding are not simulated.
///
/// ```swift
/// let registry = SchemaRegistrySimulator()
/// let url = try await registry.start()      // http://127.0.0.1:<port>
/// try registry.register(subject: "orders-value", schema: #"{"type":"record","name":"Order","fields":[]}"#)
/// registry.setCompatibility(.full, subject: "orders-value")
/// registry.faults.failNext(1, operation: SchemaRegistrySimulator.Operation.register)
/// ```
public final class SchemaRegistrySimulator: Sendable {
    /// Credentials accepted by basic authentication.
    public struct Credentials: Sendable, Hashable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// How the simulator listens, whom it lets in and which registry it imitates.
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port to bind; 0 picks a free one.
        public var port: Int
        /// When set, requests need these basic credentials (or the bearer token); 401 otherwise.
        public var credentials: Credentials?
        /// When set, requests may authenticate with `Authorization: Bearer <token>`.
        public var bearerToken: String?
        /// Confluent or Karapace, where they differ (incompatible `error_code`, messages, `latest`).
        public var flavor: Flavor
        /// The global level at start and after `DELETE /config`.
        public var defaultCompatibility: CompatibilityLevel

        public init(
            host: String = "127.0.0.1", port: Int = 0, credentials: Credentials? = nil, bearerToken: String? = nil,
            flavor: Flavor = .confluent, defaultCompatibility: CompatibilityLevel = .backward
        ) {
            self.host = host
            self.port = port
            self.credentials = credentials
            self.bearerToken = bearerToken
            self.flavor = flavor
            self.defaultCompatibility = defaultCompatibility
        }
    }

    /// The configuration the simulator was made with.
    public let configuration: Configuration
    /// The HTTP server: lifecycle, port, faults and request counts.
    public let server: SimulatorServer
    let store: SchemaRegistryStore
    let rules: any SchemaRules

    public convenience init(
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "hmco.simulator.schema-registry", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.init(configuration: configuration, rules: SchemaRegistryRuleSet(), logger: logger)
    }

    init(configuration: Configuration, rules: any SchemaRules, logger: Logger) {
        self.configuration = configuration
        self.rules = rules
        let store = SchemaRegistryStore(defaultCompatibility: configuration.defaultCompatibility)
        self.store = store
        let api = SchemaRegistryAPI(store: store, rules: rules, configuration: configuration)
        self.server = SimulatorServer(api: api, host: configuration.host, port: configuration.port, logger: logger)
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

    /// Requests received for one operation, e.g. ``Operation/register``.
    public func requestCount(_ operation: String) -> Int { server.requests.count(operation) }

    /// Forgets every subject, schema, setting, fault and request count.
    public func reset() {
        let level = configuration.defaultCompatibility
        _ = try? store.write { $0 = SchemaRegistryState(defaultCompatibility: level) }
        server.faults.clear()
        server.requests.reset()
    }
}

extension SchemaRegistrySimulator {
    /// The operations the simulator serves (named after Confluent's resource methods);
    /// request counts and per-route faults are keyed by them.
    public enum Operation {
        public static let root = "root"
        public static let getSchemaTypes = "getSchemaTypes"
        public static let getSchema = "getSchema"
        public static let getSchemaOnly = "getSchemaOnly"
        public static let getVersionsByID = "getVersionsByID"
        public static let getSubjectsByID = "getSubjectsByID"
        public static let listSubjects = "listSubjects"
        public static let lookUpSchemaUnderSubject = "lookUpSchemaUnderSubject"
        public static let deleteSubject = "deleteSubject"
        public static let listVersions = "listVersions"
        public static let register = "register"
        public static let getSchemaByVersion = "getSchemaByVersion"
        public static let deleteSchemaVersion = "deleteSchemaVersion"
        public static let getSchemaOnlyByVersion = "getSchemaOnlyByVersion"
        public static let getReferencedBy = "getReferencedBy"
        public static let testCompatibilityBySubjectName = "testCompatibilityBySubjectName"
        public static let testCompatibilityForSubject = "testCompatibilityForSubject"
        public static let getTopLevelConfig = "getTopLevelConfig"
        public static let updateTopLevelConfig = "updateTopLevelConfig"
        public static let deleteTopLevelConfig = "deleteTopLevelConfig"
        public static let getSubjectLevelConfig = "getSubjectLevelConfig"
        public static let updateSubjectLevelConfig = "updateSubjectLevelConfig"
        public static let deleteSubjectConfig = "deleteSubjectConfig"
        public static let getTopLevelMode = "getTopLevelMode"
        public static let updateTopLevelMode = "updateTopLevelMode"
        public static let getMode = "getMode"
        public static let updateMode = "updateMode"
        public static let deleteSubjectMode = "deleteSubjectMode"
    }
}

extension InjectedFailure {
    /// The registry's backend store error (500/50001).
    public static let schemaRegistryStoreError = InjectedFailure(status: 500, message: "Error in the backend data store")
    /// The registry's timeout (500/50002 in Confluent; here 504 with 50002).
    public static let schemaRegistryTimeout = InjectedFailure(status: 504, message: "Operation timed out")
}
