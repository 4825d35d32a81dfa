import Foundation

extension KafkaConnectAPI {
    // MARK: Listing and reading

    func listConnectors(_ request: SimulatorRequest) throws -> SimulatorResponse {
        let expansions = request.query.all("expand")
        guard !expansions.isEmpty else {
            return .json(store.read { $0.connectors.keys.sorted() })
        }
        let withStatus = expansions.contains("status")
        let withInfo = expansions.contains("info")
        let out = store.write { state in
            var out: [String: KafkaConnectWire.Expansions] = [:]
            for name in state.connectors.keys.sorted() {
                guard var record = state.connectors[name] else { continue }
                let status = withStatus ? Self.wire(record.readStatus(), version: record.plugin.version) : nil
                out[name] = KafkaConnectWire.Expansions(status: status, info: withInfo ? Self.wire(record) : nil)
                state.connectors[name] = record
            }
            return out
        }
        return .json(out)
    }

    func getConnector(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let record = try store.read { state throws(KafkaConnectSimulatorError) in
            try state.connector(name, missing: .connectorNotFound(name))
        }
        return .json(Self.wire(record))
    }

    func getConnectorConfig(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let config = try store.read { state throws(KafkaConnectSimulatorError) in
            try state.connector(name, missing: .connectorNotFound(name)).config
        }
        return .json(config)
    }

    func getTaskConfigs(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let record = try store.read { state throws(KafkaConnectSimulatorError) in
            try state.connector(name, missing: .connectorNotFound(name))
        }
        let tasks = record.visibleTaskIDs.map { id in
            var config = record.config
            config["task.class"] = record.plugin.taskClass
            return KafkaConnectWire.TaskInfo(
                id: KafkaConnectWire.ConnectorTaskID(connector: name, task: id), config: config)
        }
        return .json(tasks)
    }

    // MARK: Writing

    /// `POST /connectors`: 201 with `Location`; 409 when the name is taken.
    func createConnector(_ request: SimulatorRequest) throws -> SimulatorResponse {
        guard
            let body = try? JSONDecoder().decode(
                KafkaConnectWire.CreateConnectorRequest.self, from: Data(request.body))
        else {
            throw KafkaConnectSimulatorError.badRequest("Cannot deserialize the request body into a connector request")
        }
        let name = (body.name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw KafkaConnectSimulatorError.badRequest("Connector name is required") }
        guard !name.contains("/") else {
            throw KafkaConnectSimulatorError.badRequest("connector name should not contain '/'")
        }
        guard let rawConfig = body.config else {
            throw KafkaConnectSimulatorError.badRequest("Connector config is required")
        }
        var initialState = KafkaConnectSimulator.TargetState.running
        if let text = body.initialState {
            guard let parsed = KafkaConnectSimulator.TargetState(rawValue: text.uppercased()) else {
                throw KafkaConnectSimulatorError.badRequest(
                    "Invalid initial state \(text); must be one of RUNNING, PAUSED, STOPPED")
            }
            initialState = parsed
        }
        let config = try namedConfig(rawConfig.mapValues(\.text), name: name)
        let record = try store.write { state throws(KafkaConnectSimulatorError) in
            let (valid, plugin) = try validatedConfig(config, state: state)
            guard state.connectors[name] == nil else { throw .alreadyExists(name) }
            _ = state.put(name, config: valid, plugin: plugin, initialState: initialState, countAsWrite: true)
            return try state.connector(name, missing: .connectorNotFound(name))
        }
        return .json(Self.wire(record), status: 201, headers: [("Location", location(name))])
    }

    /// `PUT /connectors/{name}/config`: create (201) or update (200), restarting the tasks either way.
    func putConnectorConfig(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let config = try namedConfig(try configBody(request), name: name)
        let (created, record) = try store.write { state throws(KafkaConnectSimulatorError) in
            let (valid, plugin) = try validatedConfig(config, state: state)
            let created = state.put(name, config: valid, plugin: plugin, initialState: .running, countAsWrite: true)
            return (created, try state.connector(name, missing: .connectorNotFound(name)))
        }
        if created { return .json(Self.wire(record), status: 201, headers: [("Location", location(name))]) }
        return .json(Self.wire(record))
    }

    /// `PATCH /connectors/{name}/config`: merges the body (`null` removes a key), then writes like PUT.
    func patchConnectorConfig(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let patch = try configBody(request)
        let record = try store.write { state throws(KafkaConnectSimulatorError) in
            let existing = try state.connector(name, missing: .connectorNotFound(name))
            var merged: [String: String?] = existing.config.mapValues { $0 }
            for (key, value) in patch {
                if let value { merged[key] = value } else { merged.removeValue(forKey: key) }
            }
            let (valid, plugin) = try validatedConfig(try namedConfig(merged, name: name), state: state)
            _ = state.put(name, config: valid, plugin: plugin, initialState: existing.target, countAsWrite: true)
            return try state.connector(name, missing: .connectorNotFound(name))
        }
        return .json(Self.wire(record))
    }

    func destroyConnector(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        try store.write { state throws(KafkaConnectSimulatorError) in try state.delete(name) }
        return .empty(status: 204)
    }

    /// Connect (through Jersey) answers with an absolute `Location`.
    private func location(_ name: String) -> String {
        let segment = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? name
        let base = server.baseURL?.absoluteString ?? ""
        return "\(base)/connectors/\(segment)"
    }
}
