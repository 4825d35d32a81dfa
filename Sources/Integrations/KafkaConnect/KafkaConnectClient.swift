import Foundation

/// What the operator needs from a Kafka Connect cluster's REST API.
///
/// Written from `connect_rest-4.2.0.yaml` and the status codes of the Connect
/// runtime (see `REST_NOTES.md` in the specs): `PUT …/config` answers 201 when it
/// created the connector and 200 when it updated it; pause/resume answer 202,
/// stop/restart/delete 204; `config/validate` answers 200 even for an invalid
/// configuration; a worker in a rebalance answers 409.
///
/// Guarantees: every method throws ``KafkaConnectError`` for anything Connect
/// refuses or cannot be reached for (and `CancellationError` when the task is
/// cancelled). Reconcilers receive this protocol, so tests can use the
/// simulator over HTTP or a fake.
public protocol KafkaConnectClient: Sendable {
    /// `GET /`: the worker's version, commit and Kafka cluster id.
    func serverInfo() async throws -> KafkaConnectServerInfo

    /// `GET /connectors`: the names of all connectors.
    func listConnectors() async throws -> [String]
    /// `GET /connectors?expand=status&expand=info`: every connector's definition and state in one request.
    func listConnectorsExpanded() async throws -> [String: KafkaConnectorOverview]
    /// `GET /connectors/{name}`; nil when there is no such connector (404).
    func connector(_ name: String) async throws -> KafkaConnectorInfo?
    /// `GET /connectors/{name}/config`; nil when there is no such connector (404).
    func connectorConfig(_ name: String) async throws -> [String: String]?
    /// `POST /connectors` (201). Throws ``KafkaConnectError/Kind/alreadyExists`` (409) when
    /// a connector of that name exists, ``KafkaConnectError/Kind/rebalancing`` when the 409
    /// says a rebalance is under way.
    func createConnector(
        _ name: String, config: [String: String], initialState: KafkaConnectorTargetState?
    ) async throws -> KafkaConnectorInfo
    /// `PUT /connectors/{name}/config`: creates or updates.
    /// - Returns: the connector and whether this call created it (201) or updated it (200).
    func putConnectorConfig(_ name: String, config: [String: String]) async throws -> (info: KafkaConnectorInfo, created: Bool)
    /// `DELETE /connectors/{name}` (204). Returns false when there was no such connector (404).
    @discardableResult
    func deleteConnector(_ name: String) async throws -> Bool

    /// `GET /connectors/{name}/status`; nil when Connect answers 404: there is no such
    /// connector, or it was created a moment ago and its status is not written yet.
    func connectorStatus(_ name: String) async throws -> KafkaConnectorStateInfo?
    /// `GET /connectors/{name}/tasks`: each task's id and configuration.
    func tasks(_ name: String) async throws -> [KafkaTaskInfo]
    /// `GET /connectors/{name}/tasks/{task}/status`.
    func taskStatus(_ name: String, task: Int) async throws -> KafkaTaskState

    /// `PUT /connectors/{name}/pause` (202).
    func pauseConnector(_ name: String) async throws
    /// `PUT /connectors/{name}/resume` (202): leaves PAUSED or STOPPED.
    func resumeConnector(_ name: String) async throws
    /// `PUT /connectors/{name}/stop` (204): tasks shut down, the connector stays defined.
    func stopConnector(_ name: String) async throws
    /// `POST /connectors/{name}/restart?includeTasks=…&onlyFailed=…`.
    /// - Returns: the state showing what restarts (202), or nil when Connect answered
    ///   without a body (204 for a plain connector restart; 200 from workers before 3.0).
    @discardableResult
    func restartConnector(_ name: String, includeTasks: Bool, onlyFailed: Bool) async throws -> KafkaConnectorStateInfo?
    /// `POST /connectors/{name}/tasks/{task}/restart` (204).
    func restartTask(_ name: String, task: Int) async throws

    /// `GET /connector-plugins?connectorsOnly=…`.
    func connectorPlugins(connectorsOnly: Bool) async throws -> [KafkaConnectorPlugin]
    /// `PUT /connector-plugins/{plugin}/config/validate`. Answers 200 for invalid
    /// configurations too: read ``KafkaConfigValidation/errorCount`` and ``KafkaConfigValidation/errors``.
    func validateConfig(plugin: String, config: [String: String]) async throws -> KafkaConfigValidation

    /// `GET /connectors/{name}/offsets`.
    func offsets(_ name: String) async throws -> [KafkaConnectorOffset]
    /// `PATCH /connectors/{name}/offsets`; Connect refuses (400) unless the connector is STOPPED.
    func alterOffsets(_ name: String, offsets: [KafkaConnectorOffset]) async throws -> String
    /// `DELETE /connectors/{name}/offsets`; Connect refuses (400) unless the connector is STOPPED.
    func resetOffsets(_ name: String) async throws -> String
    /// `GET /connectors/{name}/topics`: the topics the connector used since it was created or its topics were reset.
    /// Throws ``KafkaConnectError/Kind/forbidden`` (403) when the worker does not track topics.
    func topics(_ name: String) async throws -> [String]
}
