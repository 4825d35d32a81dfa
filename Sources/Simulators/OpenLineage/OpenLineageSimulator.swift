import Foundation
import Logging

/// A stand-in for a lineage backend: Marquez's `POST /api/v1/lineage` (201, no body)
/// and the generic OpenLineage consumer's `POST /lineage` (200) on loopback, written
/// from `OpenLineage.json`, `OpenLineage.yml` and `marquez-openapi.yml`; plus the read
/// side tests need (`GET /api/v1/events/lineage`, and a Swift API).
///
/// Guarantees:
/// - Every event is checked against the rules of `OpenLineage.json` (see
///   `OpenLineageValidation`): an invalid one is refused with 422 and Dropwizard's
///   `{"errors": ["…"]}` listing every problem, and is not stored; a body that is not
///   JSON gets 400 `{"code": 400, "message": "Unable to process JSON"}`.
/// - Accepted events are stored as sent (the JSON document, keys aside) and returned by
///   `GET /api/v1/events/lineage` (`{"events": […], "totalCount": n}`, newest
///   `eventTime` first unless `sortDirection=asc`, `limit` default 100, `offset`,
///   `before`/`after`) and by ``events()``.
/// - Thread-safe; requests are counted and fault-injected per operation (``Operation``).
///
/// Caveats: Marquez's graph, job, dataset and run endpoints are not simulated, and
/// nothing is derived from events (no versions, no lineage graph). Facet fields are
/// not checked against the facets' own schemas. Invalid events are refused with 422
/// on the generic endpoint too.
///
/// ```swift
/// let marquez = OpenLineageSimulator()
/// let url = try await marquez.start()     // http://127.0.0.1:<port>
/// // … POST url/api/v1/lineage …
/// #expect(marquez.events(job: "databranch.orders-dev.merge").map(\.eventType) == ["START", "COMPLETE"])
/// marquez.faults.failNext(2, operation: OpenLineageSimulator.Operation.recordLineage)
/// ```
public final class OpenLineageSimulator: Sendable {
    /// How the simulator listens and whom it lets in.
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port to bind; 0 picks a free one.
        public var port: Int
        /// When set, every request needs `Authorization: Bearer <token>` (as a proxy in
        /// front of Marquez would ask); 401 otherwise.
        public var bearerToken: String?

        public init(host: String = "127.0.0.1", port: Int = 0, bearerToken: String? = nil) {
            self.host = host
            self.port = port
            self.bearerToken = bearerToken
        }
    }

    /// The operations served, named by the specs' `operationId`s; request counts and
    /// per-route faults are keyed by them.
    public enum Operation {
        /// Marquez `POST /api/v1/lineage`.
        public static let recordLineage = "recordLineage"
        /// Generic consumer `POST /lineage` (`OpenLineage.yml`).
        public static let postRunEvent = "postRunEvent"
        /// Marquez `GET /api/v1/events/lineage`.
        public static let getLineageEvents = "getLineageEvents"
    }

    /// A job or dataset name.
    public struct Name: Sendable, Hashable, CustomStringConvertible {
        public var namespace: String
        public var name: String

        public init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }

        public var description: String { "\(namespace)/\(name)" }
    }

    /// One accepted event.
    public struct Event: Sendable, Hashable {
        /// `eventType`; nil when absent (JobEvent, DatasetEvent, or a RunEvent without one).
        public var eventType: String?
        /// `eventTime` as sent.
        public var eventTime: String
        public var producer: String
        public var schemaURL: String
        /// `run.runId` as sent.
        public var runID: String?
        public var job: Name?
        public var inputs: [Name]
        public var outputs: [Name]
        /// The path it was posted to: `/api/v1/lineage` or `/lineage`.
        public var path: String
        /// The whole event as compact JSON with sorted keys.
        public var json: String
    }

    /// The configuration the simulator was made with.
    public let configuration: Configuration
    /// The HTTP server: lifecycle, port, faults and request counts.
    public let server: SimulatorServer
    let store: OpenLineageStore

    public init(
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "hmco.simulator.openlineage", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        let store = OpenLineageStore()
        self.store = store
        self.server = SimulatorServer(
            api: OpenLineageAPI(store: store, configuration: configuration), host: configuration.host,
            port: configuration.port, logger: logger)
    }

    // MARK: Lifecycle

    /// Serves until the calling task is cancelled (for a service or task group).
    public func run() async throws { try await server.run() }

    /// Starts serving in the background; returns the base URL, `http://host:port`
    /// (Marquez's ingestion endpoint is `<base>/api/v1/lineage`).
    @discardableResult
    public func start() async throws -> URL { try await server.start() }

    /// Stops a run begun with ``start()``. A later ``start()`` binds the same port.
    public func stop() async { await server.stop() }

    /// `http://host:port` while running.
    public var baseURL: URL? { server.baseURL }

    /// Fault injection; keys are operation names (see ``Operation``).
    public var faults: FaultInjector { server.faults }

    /// Request counts by operation name (see ``Operation``), failed and refused requests included.
    public var requests: RequestCounter { server.requests }

    /// Forgets every event, fault and request count.
    public func reset() {
        store.reset()
        server.faults.clear()
        server.requests.reset()
    }

    // MARK: What was received

    /// Every accepted event, in the order it arrived.
    public func events() -> [Event] {
        store.read { $0.map(Self.event) }
    }

    /// The accepted events of one job, in the order they arrived.
    public func events(job name: String, namespace: String? = nil) -> [Event] {
        events().filter { $0.job?.name == name && (namespace == nil || $0.job?.namespace == namespace) }
    }

    /// Every dataset named as an input or output of an accepted event, once each, in
    /// the order first seen.
    public func datasets() -> [Name] {
        var seen: Set<Name> = []
        var names: [Name] = []
        for event in events() {
            for name in event.inputs + event.outputs where seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    private static func event(_ stored: StoredLineageEvent) -> Event {
        let json = stored.json
        func name(_ value: OpenLineageWire.JSON?) -> Name? {
            guard let namespace = value?["namespace"]?.string, let name = value?["name"]?.string else { return nil }
            return Name(namespace: namespace, name: name)
        }
        return Event(
            eventType: json["eventType"]?.string, eventTime: json["eventTime"]?.string ?? "",
            producer: json["producer"]?.string ?? "", schemaURL: json["schemaURL"]?.string ?? "",
            runID: json["run"]?["runId"]?.string, job: name(json["job"]),
            inputs: (json["inputs"]?.array ?? []).compactMap(name),
            outputs: (json["outputs"]?.array ?? []).compactMap(name), path: stored.path, json: json.text)
    }
}
