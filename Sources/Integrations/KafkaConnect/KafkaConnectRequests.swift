import Foundation

/// Builds every request the client sends, as values: paths, query names and
/// JSON bodies as `connect_rest-4.2.0.yaml` names them. No I/O.
///
/// Connector names go into paths percent-encoded (they hold dots, and may hold
/// spaces, slashes or non-ASCII letters); an empty name is refused before
/// anything is sent, since `/connectors/` would list connectors instead.
enum KafkaConnectRequests {
    // MARK: Worker

    /// `GET /` → `ServerInfo`.
    static func serverInfo() -> KafkaConnectRequest {
        KafkaConnectRequest(action: .serverInfo, method: "GET", path: "/", operation: "reading the worker's version")
    }

    // MARK: Connectors

    /// `GET /connectors` → `["name", …]`.
    static func listConnectors() -> KafkaConnectRequest {
        KafkaConnectRequest(
            action: .listConnectors, method: "GET", path: "/connectors", operation: "listing connectors")
    }

    /// `GET /connectors?expand=status&expand=info` → `{name: {status, info}}`.
    static func listConnectorsExpanded() -> KafkaConnectRequest {
        KafkaConnectRequest(
            action: .listConnectorsExpanded, method: "GET", path: "/connectors",
            query: [.init("expand", "status"), .init("expand", "info")],
            operation: "listing connectors with their status")
    }

    /// `GET /connectors/{name}` → `ConnectorInfo`.
    static func getConnector(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.getConnector, "GET", name, operation: "reading connector \(name)")
    }

    /// `GET /connectors/{name}/config` → `{key: value}`.
    static func getConnectorConfig(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(
            .getConnectorConfig, "GET", name, "config", operation: "reading the configuration of connector \(name)")
    }

    /// `POST /connectors` with `CreateConnectorRequest` → 201 `ConnectorInfo`.
    static func createConnector(
        _ name: String, config: [String: String], initialState: KafkaConnectorTargetState?
    ) throws(KafkaConnectError) -> KafkaConnectRequest {
        let operation = "creating connector \(name)"
        try requireName(name, operation: operation)
        return KafkaConnectRequest(
            action: .createConnector, method: "POST", path: "/connectors",
            body: try json(
                CreateConnectorBody(name: name, config: config, initialState: initialState?.rawValue), operation),
            operation: operation)
    }

    /// `PUT /connectors/{name}/config` with the flat configuration → 201 (created) or 200 (updated) `ConnectorInfo`.
    static func putConnectorConfig(
        _ name: String, config: [String: String]
    ) throws(KafkaConnectError)
        -> KafkaConnectRequest
    {
        let operation = "applying the configuration of connector \(name)"
        var request = try connector(.putConnectorConfig, "PUT", name, "config", operation: operation)
        request.body = try json(config, operation)
        return request
    }

    /// `DELETE /connectors/{name}` → 204.
    static func deleteConnector(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.deleteConnector, "DELETE", name, operation: "deleting connector \(name)")
    }

    // MARK: Status and tasks

    /// `GET /connectors/{name}/status` → `ConnectorStateInfo`.
    static func getConnectorStatus(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.getConnectorStatus, "GET", name, "status", operation: "reading the status of connector \(name)")
    }

    /// `GET /connectors/{name}/tasks` → `[TaskInfo]`.
    static func listTasks(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.listTasks, "GET", name, "tasks", operation: "listing the tasks of connector \(name)")
    }

    /// `GET /connectors/{name}/tasks/{task}/status` → `TaskState`.
    static func getTaskStatus(_ name: String, task: Int) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(
            .getTaskStatus, "GET", name, "tasks", String(task), "status",
            operation: "reading the status of task \(task) of connector \(name)")
    }

    // MARK: Lifecycle

    /// `PUT /connectors/{name}/pause` → 202.
    static func pauseConnector(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.pauseConnector, "PUT", name, "pause", operation: "pausing connector \(name)")
    }

    /// `PUT /connectors/{name}/resume` → 202.
    static func resumeConnector(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.resumeConnector, "PUT", name, "resume", operation: "resuming connector \(name)")
    }

    /// `PUT /connectors/{name}/stop` → 204.
    static func stopConnector(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.stopConnector, "PUT", name, "stop", operation: "stopping connector \(name)")
    }

    /// `POST /connectors/{name}/restart[?includeTasks=true][&onlyFailed=true]` → 204, or
    /// 202 `ConnectorStateInfo` when either flag is set. Flags left false are not sent,
    /// so workers older than KIP-745 (Kafka 3.0) see the request they know.
    static func restartConnector(
        _ name: String, includeTasks: Bool, onlyFailed: Bool
    ) throws(KafkaConnectError)
        -> KafkaConnectRequest
    {
        let scope =
            switch (includeTasks, onlyFailed) {
            case (false, false): ""
            case (true, false): " and its tasks"
            case (false, true): " if it failed"
            case (true, true): " and its tasks that failed"
            }
        var request = try connector(
            .restartConnector, "POST", name, "restart", operation: "restarting connector \(name)\(scope)")
        request.query = flag("includeTasks", includeTasks) + flag("onlyFailed", onlyFailed)
        return request
    }

    /// `POST /connectors/{name}/tasks/{task}/restart` → 204.
    static func restartTask(_ name: String, task: Int) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(
            .restartTask, "POST", name, "tasks", String(task), "restart",
            operation: "restarting task \(task) of connector \(name)")
    }

    // MARK: Plugins

    /// `GET /connector-plugins?connectorsOnly=…` → `[PluginInfo]`. The flag is always
    /// sent, since Connect's default (true) is not what `false` asks for.
    static func listConnectorPlugins(connectorsOnly: Bool) -> KafkaConnectRequest {
        KafkaConnectRequest(
            action: .listConnectorPlugins, method: "GET", path: "/connector-plugins",
            query: [.init("connectorsOnly", connectorsOnly ? "true" : "false")],
            operation: connectorsOnly ? "listing connector plugins" : "listing plugins")
    }

    /// `PUT /connector-plugins/{plugin}/config/validate` with the flat configuration → 200 `ConfigInfos`.
    static func validateConfig(
        plugin: String, config: [String: String]
    ) throws(KafkaConnectError)
        -> KafkaConnectRequest
    {
        let operation = "validating a configuration for plugin \(plugin)"
        guard !plugin.isEmpty else {
            throw KafkaConnectError(kind: .badRequest, operation: operation, message: "the plugin name is empty")
        }
        return KafkaConnectRequest(
            action: .validateConfig, method: "PUT", path: path("connector-plugins", plugin, "config", "validate"),
            body: try json(config, operation), operation: operation)
    }

    // MARK: Offsets and topics

    /// `GET /connectors/{name}/offsets` → `ConnectorOffsets`.
    static func getOffsets(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.getOffsets, "GET", name, "offsets", operation: "reading the offsets of connector \(name)")
    }

    /// `PATCH /connectors/{name}/offsets` with `ConnectorOffsets` → 200 `{"message"}`.
    /// Each partition and offset must be a JSON object (an offset may be nil, sent as
    /// `null`, to reset that partition); they are sent as the caller wrote them, so
    /// large integers keep every digit.
    static func alterOffsets(
        _ name: String, offsets: [KafkaConnectorOffset]
    ) throws(KafkaConnectError)
        -> KafkaConnectRequest
    {
        let operation = "altering the offsets of connector \(name)"
        var request = try connector(.alterOffsets, "PATCH", name, "offsets", operation: operation)
        var entries: [String] = []
        for (index, offset) in offsets.enumerated() {
            let partition = try jsonObject(offset.partitionJSON, "the partition of offset \(index)", operation)
            let value = try offset.offsetJSON.map { text throws(KafkaConnectError) in
                try jsonObject(text, "the offset of offset \(index)", operation)
            }
            entries.append(#"{"partition":\#(partition),"offset":\#(value ?? "null")}"#)
        }
        request.body = Data(#"{"offsets":[\#(entries.joined(separator: ","))]}"#.utf8)
        return request
    }

    /// `DELETE /connectors/{name}/offsets` → 200 `{"message"}`.
    static func resetOffsets(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.resetOffsets, "DELETE", name, "offsets", operation: "resetting the offsets of connector \(name)")
    }

    /// `GET /connectors/{name}/topics` → `{name: {"topics": […]}}`.
    static func getTopics(_ name: String) throws(KafkaConnectError) -> KafkaConnectRequest {
        try connector(.getTopics, "GET", name, "topics", operation: "listing the topics of connector \(name)")
    }

    // MARK: Helpers

    /// `/a/b/c` from unescaped segments.
    static func path(_ segments: String...) -> String {
        segments.map { "/" + KafkaConnectRequest.escape($0) }.joined()
    }

    /// A request on `/connectors/{name}/…`, refusing an empty name.
    private static func connector(
        _ action: KafkaConnectRequest.Action, _ method: String, _ name: String, _ rest: String...,
        operation: String
    ) throws(KafkaConnectError) -> KafkaConnectRequest {
        try requireName(name, operation: operation)
        let path = (["connectors", name] + rest).map { "/" + KafkaConnectRequest.escape($0) }.joined()
        return KafkaConnectRequest(action: action, method: method, path: path, operation: operation)
    }

    private static func requireName(_ name: String, operation: String) throws(KafkaConnectError) {
        guard name.isEmpty else { return }
        throw KafkaConnectError(kind: .badRequest, operation: operation, message: "the connector name is empty")
    }

    /// `name=true` when set; nothing otherwise, so Connect applies its default (false).
    private static func flag(_ name: String, _ value: Bool) -> [KafkaConnectRequest.QueryItem] {
        value ? [.init(name, "true")] : []
    }

    static func json(_ value: some Encodable, _ operation: String) throws(KafkaConnectError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw KafkaConnectError(
                kind: .badRequest, operation: operation, message: "cannot encode the request: \(error)")
        }
    }

    /// The text, trimmed, when it is one JSON object; the error names `what` but
    /// never repeats the text (offsets can hold anything a connector stores).
    private static func jsonObject(
        _ text: String, _ what: String, _ operation: String
    ) throws(KafkaConnectError)
        -> String
    {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard case .object = try? JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8)) else {
            throw KafkaConnectError(kind: .badRequest, operation: operation, message: "\(what) is not a JSON object")
        }
        return trimmed
    }
}
