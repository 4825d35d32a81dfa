import Foundation
import Synchronization

/// A weak link from an API back to the server that serves it (which owns the API).
final class ServerReference: Sendable {
    private struct Link {
        weak var server: SimulatorServer?
    }

    private let link = Mutex(Link())

    func attach(_ server: SimulatorServer) { link.withLock { $0.server = server } }

    /// `http://host:port` while the server runs.
    var baseURL: URL? { link.withLock { $0.server?.baseURL } }
}

/// Kafka Connect's REST API over the simulator's state: routing by `operationId`, optional
/// basic authentication, rebalance conflicts and the `{"error_code", "message"}` shape.
struct KafkaConnectAPI: SimulatorAPI {
    typealias Op = KafkaConnectSimulator.Operation

    let store: KafkaConnectStore
    let configuration: KafkaConnectSimulator.Configuration
    /// The server that serves this API, for absolute `Location`s.
    let server: ServerReference

    var basePath: String { "" }
    var routes: RouteTable { Self.routeTable }

    static let routeTable: RouteTable = {
        var table = RouteTable()
        table.add("GET", "/", operation: Op.serverInfo)
        table.add("GET", "/health", operation: Op.healthCheck)
        table.add("GET", "/connectors", operation: Op.listConnectors)
        table.add("POST", "/connectors", operation: Op.createConnector)
        table.add("GET", "/connectors/{connector}", operation: Op.getConnector)
        table.add("DELETE", "/connectors/{connector}", operation: Op.destroyConnector)
        table.add("GET", "/connectors/{connector}/config", operation: Op.getConnectorConfig)
        table.add("PUT", "/connectors/{connector}/config", operation: Op.putConnectorConfig)
        table.add("PATCH", "/connectors/{connector}/config", operation: Op.patchConnectorConfig)
        table.add("GET", "/connectors/{connector}/status", operation: Op.getConnectorStatus)
        table.add("GET", "/connectors/{connector}/tasks", operation: Op.getTaskConfigs)
        table.add("GET", "/connectors/{connector}/tasks/{task}/status", operation: Op.getTaskStatus)
        table.add("POST", "/connectors/{connector}/tasks/{task}/restart", operation: Op.restartTask)
        table.add("PUT", "/connectors/{connector}/pause", operation: Op.pauseConnector)
        table.add("PUT", "/connectors/{connector}/resume", operation: Op.resumeConnector)
        table.add("PUT", "/connectors/{connector}/stop", operation: Op.stopConnector)
        table.add("POST", "/connectors/{connector}/restart", operation: Op.restartConnector)
        table.add("GET", "/connectors/{connector}/offsets", operation: Op.getOffsets)
        table.add("PATCH", "/connectors/{connector}/offsets", operation: Op.alterConnectorOffsets)
        table.add("DELETE", "/connectors/{connector}/offsets", operation: Op.resetConnectorOffsets)
        table.add("GET", "/connectors/{connector}/topics", operation: Op.getConnectorActiveTopics)
        table.add("PUT", "/connectors/{connector}/topics/reset", operation: Op.resetConnectorActiveTopics)
        table.add("GET", "/connector-plugins", operation: Op.listConnectorPlugins)
        table.add("GET", "/connector-plugins/{pluginName}/config", operation: Op.getConnectorConfigDef)
        table.add("PUT", "/connector-plugins/{pluginName}/config/validate", operation: Op.validateConfigs)
        return table
    }()

    /// Requests a worker must forward to the leader (writes) or answer from a status store
    /// that a rebalance leaves stale: a rebalance answers them 409.
    static let rebalanceSensitive: Set<String> = [
        Op.createConnector, Op.destroyConnector, Op.putConnectorConfig, Op.patchConnectorConfig,
        Op.pauseConnector, Op.resumeConnector, Op.stopConnector, Op.restartConnector, Op.restartTask,
        Op.alterConnectorOffsets, Op.resetConnectorOffsets, Op.resetConnectorActiveTopics,
        Op.getConnectorStatus, Op.getTaskStatus,
    ]

    func handle(_ request: SimulatorRequest, route: RouteMatch) async -> SimulatorResponse {
        guard authenticated(request) else { return error(.unauthorized) }
        do {
            let expandsStatus = route.operation == Op.listConnectors && request.query.all("expand").contains("status")
            if Self.rebalanceSensitive.contains(route.operation) || expandsStatus,
                store.write({ $0.consumeRebalance() })
            {
                throw KafkaConnectSimulatorError.rebalance
            }
            return try dispatch(request, route)
        } catch let failure as KafkaConnectSimulatorError {
            return error(failure)
        } catch {
            return errorResponse(status: 500, message: String(describing: error))
        }
    }

    private func dispatch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        switch route.operation {
        case Op.serverInfo:
            return .json(
                KafkaConnectWire.ServerInfo(
                    version: configuration.version, commit: configuration.commit,
                    kafkaClusterID: configuration.kafkaClusterID))
        case Op.healthCheck: return health()
        case Op.listConnectors: return try listConnectors(request)
        case Op.createConnector: return try createConnector(request)
        case Op.getConnector: return try getConnector(route)
        case Op.destroyConnector: return try destroyConnector(route)
        case Op.getConnectorConfig: return try getConnectorConfig(route)
        case Op.putConnectorConfig: return try putConnectorConfig(request, route)
        case Op.patchConnectorConfig: return try patchConnectorConfig(request, route)
        case Op.getConnectorStatus: return try getConnectorStatus(route)
        case Op.getTaskConfigs: return try getTaskConfigs(route)
        case Op.getTaskStatus: return try getTaskStatus(route)
        case Op.restartTask: return try restartTask(route)
        case Op.pauseConnector: return try pauseConnector(route)
        case Op.resumeConnector: return try resumeConnector(route)
        case Op.stopConnector: return try stopConnector(route)
        case Op.restartConnector: return try restartConnector(request, route)
        case Op.getOffsets: return try getOffsets(route)
        case Op.alterConnectorOffsets: return try alterConnectorOffsets(request, route)
        case Op.resetConnectorOffsets: return try resetConnectorOffsets(route)
        case Op.getConnectorActiveTopics: return try getConnectorActiveTopics(route)
        case Op.resetConnectorActiveTopics: return try resetConnectorActiveTopics(route)
        case Op.listConnectorPlugins: return try listConnectorPlugins(request)
        case Op.getConnectorConfigDef: return try getConnectorConfigDef(route)
        case Op.validateConfigs: return try validateConfigs(request, route)
        default: return errorResponse(status: 404, message: "HTTP 404 Not Found")
        }
    }

    // MARK: Responses

    func error(_ failure: KafkaConnectSimulatorError) -> SimulatorResponse {
        errorResponse(status: failure.status, message: failure.message)
    }

    func errorResponse(status: Int, message: String) -> SimulatorResponse {
        .json(KafkaConnectWire.ErrorBody(errorCode: status, message: message), status: status)
    }

    func defaultMessage(forStatus status: Int) -> String {
        switch status {
        case 404: "HTTP 404 Not Found"
        case 405: "HTTP 405 Method Not Allowed"
        case 429: "Too Many Requests"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Internal Server Error"
        }
    }

    private func health() -> SimulatorResponse {
        let health = store.read { $0.health }
        return switch health {
        case .healthy:
            .json(
                KafkaConnectWire.Health(
                    status: "healthy", message: "Worker has completed startup and is ready to handle requests."))
        case .starting:
            .json(KafkaConnectWire.Health(status: "starting", message: "Worker is still starting up."), status: 503)
        case .unhealthy:
            .json(
                KafkaConnectWire.Health(
                    status: "unhealthy",
                    message: "Worker was unable to handle this request and may be unable to handle other requests."),
                status: 500)
        }
    }

    // MARK: Authentication

    /// Connect's BASIC auth extension: every resource needs the credentials when configured.
    private func authenticated(_ request: SimulatorRequest) -> Bool {
        guard let credentials = configuration.credentials else { return true }
        guard let header = request.header("authorization"), header.lowercased().hasPrefix("basic ") else {
            return false
        }
        let encoded = header.dropFirst("basic ".count).trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else {
            return false
        }
        return text == "\(credentials.username):\(credentials.password)"
    }

    // MARK: Request helpers

    /// A flat JSON config map; numbers and booleans become their text, `null` stays `nil`.
    func configBody(_ request: SimulatorRequest) throws(KafkaConnectSimulatorError) -> [String: String?] {
        guard
            let map = try? JSONDecoder().decode(
                [String: KafkaConnectWire.Scalar].self,
                from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body))
        else {
            throw .badRequest("Cannot deserialize the request body into a map of configuration strings")
        }
        return map.mapValues(\.text)
    }

    /// Connect's `checkAndPutConnectorConfigName`: `name` must match the URL, and is added when absent.
    func namedConfig(_ config: [String: String?], name: String) throws(KafkaConnectSimulatorError) -> [String: String?]
    {
        var config = config
        if let included = config["name"] {
            if let included, included != name { throw .nameMismatch(config: included, url: name) }
        } else {
            config["name"] = name
        }
        return config
    }

    /// Validates a config for create or update: the plugin named by `connector.class`, then
    /// its keys; refuses with Connect's 400 listing every error.
    func validatedConfig(
        _ config: [String: String?], state: KafkaConnectState
    ) throws(KafkaConnectSimulatorError)
        -> (config: [String: String], plugin: KafkaConnectSimulator.Plugin)
    {
        guard let className = config["connector.class"] ?? nil else {
            throw .badRequest("Connector config contains no connector type")
        }
        let plugin = try state.connectorPlugin(className)
        let validation = ConfigValidation(config, plugin: plugin)
        guard validation.errorCount == 0 else {
            throw .invalidConfig(validation.messages, count: validation.errorCount)
        }
        return (config.compactMapValues { $0 }, plugin)
    }

    static func wire(_ record: ConnectorRecord) -> KafkaConnectWire.ConnectorInfo {
        KafkaConnectWire.ConnectorInfo(
            name: record.name, config: record.config,
            tasks: record.visibleTaskIDs.map { KafkaConnectWire.ConnectorTaskID(connector: record.name, task: $0) },
            type: record.plugin.type.rawValue)
    }

    static func wire(
        _ status: KafkaConnectSimulator.ConnectorStatus, version: String
    )
        -> KafkaConnectWire.ConnectorStateInfo
    {
        KafkaConnectWire.ConnectorStateInfo(
            name: status.name,
            connector: KafkaConnectWire.ConnectorState(
                state: status.state.rawValue, workerID: status.workerID, trace: status.trace, version: version),
            tasks: status.tasks.map {
                KafkaConnectWire.TaskState(
                    id: $0.id, state: $0.state.rawValue, workerID: $0.workerID, trace: $0.trace, version: version)
            },
            type: status.type.rawValue)
    }
}
