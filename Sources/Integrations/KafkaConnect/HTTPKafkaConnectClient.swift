import Foundation
import IntegrationSupport

/// ``KafkaConnectClient`` over the Kafka Connect REST API (`connect_rest-4.2.0.yaml`),
/// unauthenticated by default or with whatever a REST extension asks for (basic
/// auth, a bearer token, a header).
///
/// Guarantees: connector and plugin names are percent-encoded into paths; every
/// failure is a ``KafkaConnectError`` naming the operation, with Connect's
/// `message` verbatim; a success body that cannot be read is
/// ``KafkaConnectError/Kind/invalidResponse`` and its text is never quoted
/// (configurations may hold passwords).
/// Caveats: no retries here — ``KafkaConnectError/isRetryable`` tells the caller
/// (the reconciler's backoff) whether to try again.
public final class HTTPKafkaConnectClient: KafkaConnectClient {
    /// Sends one request and returns the response, whatever its status; throws
    /// `TransportError` when no response arrived.
    public typealias Transport = @Sendable (KafkaConnectRequest) async throws -> BackendResponse

    private let transport: Transport

    /// A client over a shared transport whose base URL is the worker's REST root
    /// (e.g. `http://connect:8083`).
    public init(backend: HTTPBackend) {
        self.transport = { request in
            try await backend.send(
                request.method, request.target, body: request.body, operation: request.operation)
        }
    }

    /// A client on the process-wide HTTP connection pool (nothing to shut down).
    /// - Parameters:
    ///   - baseURL: the worker's REST root, e.g. `http://connect:8083`. A user and
    ///     password in it are taken out of the URL (so they never show in errors) and
    ///     used as basic auth when `auth` is `.none`.
    ///   - auth: what the worker's REST extension expects; `.none` for a plain worker.
    ///   - timeout: deadline of one request. Connect itself gives up on the herder
    ///     after 90 s (answering 500 "Request timed out").
    ///   - maxConcurrentRequests: requests in flight at once toward this worker.
    public convenience init(
        baseURL: URL, auth: BackendAuth = .none, timeout: Duration = .seconds(30), maxConcurrentRequests: Int = 8
    ) {
        let (url, auth) = Self.separatingCredentials(baseURL, auth: auth)
        let endpoint = BackendEndpoint(
            baseURL: url, auth: auth, timeout: timeout, maxConcurrentRequests: maxConcurrentRequests)
        self.init(backend: HTTPBackend(system: "Kafka Connect", endpoint: endpoint))
    }

    /// A client over any transport, e.g. one that records requests and answers canned responses.
    public init(transport: @escaping Transport) {
        self.transport = transport
    }

    /// `url` without a user and password, and the auth to use: basic auth from
    /// the URL's credentials when `auth` is `.none`, `auth` otherwise.
    static func separatingCredentials(_ url: URL, auth: BackendAuth) -> (URL, BackendAuth) {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            components.user != nil || components.password != nil
        else { return (url, auth) }
        let user = components.user ?? ""
        let password = components.password ?? ""
        components.user = nil
        components.password = nil
        let stripped = components.url ?? url
        if case .none = auth { return (stripped, .basic(username: user, password: password)) }
        return (stripped, auth)
    }

    // MARK: Worker

    public func serverInfo() async throws -> KafkaConnectServerInfo {
        let request = KafkaConnectRequests.serverInfo()
        let body = try KafkaConnectResponses.decode(ServerInfoBody.self, from: try await perform(request), of: request)
        return KafkaConnectServerInfo(version: body.version, commit: body.commit, kafkaClusterID: body.kafkaClusterID)
    }

    // MARK: Connectors

    public func listConnectors() async throws -> [String] {
        let request = KafkaConnectRequests.listConnectors()
        return try KafkaConnectResponses.decode([String].self, from: try await perform(request), of: request)
    }

    public func listConnectorsExpanded() async throws -> [String: KafkaConnectorOverview] {
        let request = KafkaConnectRequests.listConnectorsExpanded()
        let body = try KafkaConnectResponses.decode(
            [String: ExpandedConnectorBody].self, from: try await perform(request), of: request)
        return body.mapValues { KafkaConnectorOverview(info: $0.info?.model, status: $0.status?.model) }
    }

    public func connector(_ name: String) async throws -> KafkaConnectorInfo? {
        let request = try KafkaConnectRequests.getConnector(name)
        return try KafkaConnectResponses.decodeUnlessNotFound(
            ConnectorInfoBody.self, from: try await perform(request), of: request)?.model
    }

    public func connectorConfig(_ name: String) async throws -> [String: String]? {
        let request = try KafkaConnectRequests.getConnectorConfig(name)
        return try KafkaConnectResponses.decodeUnlessNotFound(
            ConfigMap.self, from: try await perform(request), of: request)?.values
    }

    public func createConnector(
        _ name: String, config: [String: String], initialState: KafkaConnectorTargetState?
    ) async throws -> KafkaConnectorInfo {
        let request = try KafkaConnectRequests.createConnector(name, config: config, initialState: initialState)
        return try KafkaConnectResponses.decode(ConnectorInfoBody.self, from: try await perform(request), of: request)
            .model
    }

    public func putConnectorConfig(
        _ name: String, config: [String: String]
    ) async throws -> (info: KafkaConnectorInfo, created: Bool) {
        let request = try KafkaConnectRequests.putConnectorConfig(name, config: config)
        let response = try await perform(request)
        let body = try KafkaConnectResponses.decode(ConnectorInfoBody.self, from: response, of: request)
        return (body.model, response.status == 201)
    }

    @discardableResult
    public func deleteConnector(_ name: String) async throws -> Bool {
        let request = try KafkaConnectRequests.deleteConnector(name)
        let response = try await perform(request)
        if response.status == 404 { return false }
        try KafkaConnectResponses.checked(response, of: request)
        return true
    }

    // MARK: Status and tasks

    public func connectorStatus(_ name: String) async throws -> KafkaConnectorStateInfo? {
        let request = try KafkaConnectRequests.getConnectorStatus(name)
        return try KafkaConnectResponses.decodeUnlessNotFound(
            ConnectorStateInfoBody.self, from: try await perform(request), of: request)?.model
    }

    public func tasks(_ name: String) async throws -> [KafkaTaskInfo] {
        let request = try KafkaConnectRequests.listTasks(name)
        return try KafkaConnectResponses.decode([TaskInfoBody].self, from: try await perform(request), of: request)
            .map { KafkaTaskInfo(connector: $0.id.connector ?? name, task: $0.id.task, config: $0.config.values) }
    }

    public func taskStatus(_ name: String, task: Int) async throws -> KafkaTaskState {
        let request = try KafkaConnectRequests.getTaskStatus(name, task: task)
        return try KafkaConnectResponses.decode(TaskStateBody.self, from: try await perform(request), of: request)
            .model
    }

    // MARK: Lifecycle

    public func pauseConnector(_ name: String) async throws {
        try await send(try KafkaConnectRequests.pauseConnector(name))
    }

    public func resumeConnector(_ name: String) async throws {
        try await send(try KafkaConnectRequests.resumeConnector(name))
    }

    public func stopConnector(_ name: String) async throws {
        try await send(try KafkaConnectRequests.stopConnector(name))
    }

    @discardableResult
    public func restartConnector(
        _ name: String, includeTasks: Bool, onlyFailed: Bool
    ) async throws -> KafkaConnectorStateInfo? {
        let request = try KafkaConnectRequests.restartConnector(
            name, includeTasks: includeTasks, onlyFailed: onlyFailed)
        let response = try KafkaConnectResponses.checked(try await perform(request), of: request)
        // 204 for a plain restart (200 from workers before 3.0); 202 with the plan otherwise.
        if KafkaConnectResponses.hasNoBody(response) { return nil }
        return try KafkaConnectResponses.decode(ConnectorStateInfoBody.self, from: response, of: request).model
    }

    public func restartTask(_ name: String, task: Int) async throws {
        try await send(try KafkaConnectRequests.restartTask(name, task: task))
    }

    // MARK: Plugins

    public func connectorPlugins(connectorsOnly: Bool) async throws -> [KafkaConnectorPlugin] {
        let request = KafkaConnectRequests.listConnectorPlugins(connectorsOnly: connectorsOnly)
        return try KafkaConnectResponses.decode([PluginInfoBody].self, from: try await perform(request), of: request)
            .map {
                KafkaConnectorPlugin(
                    className: $0.className, type: $0.type.map(KafkaConnectorType.init(rawValue:)), version: $0.version)
            }
    }

    public func validateConfig(plugin: String, config: [String: String]) async throws -> KafkaConfigValidation {
        let request = try KafkaConnectRequests.validateConfig(plugin: plugin, config: config)
        let body = try KafkaConnectResponses.decode(ConfigInfosBody.self, from: try await perform(request), of: request)
        return KafkaConfigValidation(
            name: body.name, errorCount: body.errorCount, groups: body.groups ?? [],
            configs: (body.configs ?? []).map { info in
                KafkaConfigValue(
                    name: info.value.name, value: info.value.value, errors: info.value.errors ?? [],
                    recommendedValues: info.value.recommendedValues ?? [], visible: info.value.visible ?? true,
                    required: info.definition?.required, documentation: info.definition?.documentation)
            })
    }

    // MARK: Offsets and topics

    public func offsets(_ name: String) async throws -> [KafkaConnectorOffset] {
        let request = try KafkaConnectRequests.getOffsets(name)
        return try KafkaConnectResponses.decode(OffsetsBody.self, from: try await perform(request), of: request)
            .offsets.map {
                KafkaConnectorOffset(
                    partitionJSON: JSONValue.object($0.partition).json,
                    offsetJSON: $0.offset.map { JSONValue.object($0).json })
            }
    }

    public func alterOffsets(_ name: String, offsets: [KafkaConnectorOffset]) async throws -> String {
        let request = try KafkaConnectRequests.alterOffsets(name, offsets: offsets)
        return try KafkaConnectResponses.decode(MessageBody.self, from: try await perform(request), of: request)
            .message
    }

    public func resetOffsets(_ name: String) async throws -> String {
        let request = try KafkaConnectRequests.resetOffsets(name)
        return try KafkaConnectResponses.decode(MessageBody.self, from: try await perform(request), of: request)
            .message
    }

    public func topics(_ name: String) async throws -> [String] {
        let request = try KafkaConnectRequests.getTopics(name)
        let body = try KafkaConnectResponses.decode(
            [String: TopicsBody].self, from: try await perform(request), of: request)
        // Keyed by the connector's name; a worker that spells the key differently still has one entry.
        if let entry = body[name] { return entry.topics }
        return body.count == 1 ? body.values.first?.topics ?? [] : []
    }

    // MARK: Plumbing

    private func perform(_ request: KafkaConnectRequest) async throws -> BackendResponse {
        do {
            return try await transport(request)
        } catch let error as TransportError {
            throw KafkaConnectResponses.error(for: error, of: request)
        }
    }

    /// Sends a request whose success has no body worth reading.
    private func send(_ request: KafkaConnectRequest) async throws {
        try KafkaConnectResponses.checked(try await perform(request), of: request)
    }
}
