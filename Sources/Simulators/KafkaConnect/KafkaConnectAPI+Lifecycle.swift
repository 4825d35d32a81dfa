import Foundation

extension KafkaConnectAPI {
    // MARK: Status

    func getConnectorStatus(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let (status, version) = try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .noStatus(connector: name)) { record, _ in
                (record.readStatus(), record.plugin.version)
            }
        }
        return .json(Self.wire(status, version: version))
    }

    func getTaskStatus(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let taskText = route["task"]
        guard let id = Int(taskText) else { return errorResponse(status: 404, message: "HTTP 404 Not Found") }
        let (status, version) = try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .noStatus(task: name, id)) { record, _ in
                (record.readStatus(), record.plugin.version)
            }
        }
        guard let task = status.tasks.first(where: { $0.id == id }) else {
            throw KafkaConnectSimulatorError.noStatus(task: name, id)
        }
        return .json(
            KafkaConnectWire.TaskState(
                id: task.id, state: task.state.rawValue, workerID: task.workerID, trace: task.trace, version: version))
    }

    // MARK: Target state

    /// `PUT …/pause`: 202; tasks keep their assignment.
    func pauseConnector(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .notFound("Unknown connector \(name)")) { record, runtime in
                record.pause(runtime: &runtime)
            }
        }
        return .empty(status: 202)
    }

    /// `PUT …/resume`: 202, from PAUSED or STOPPED.
    func resumeConnector(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .notFound("Unknown connector \(name)")) { record, runtime in
                record.resume(runtime: &runtime)
            }
        }
        return .empty(status: 202)
    }

    /// `PUT …/stop`: 204; tasks are shut down and removed.
    func stopConnector(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .notFound("Unknown connector \(name)")) { record, _ in record.stop() }
        }
        return .empty(status: 204)
    }

    // MARK: Restarts

    /// `POST …/restart`: 204 for the connector alone; with `includeTasks` or `onlyFailed`,
    /// 202 and the plan with `RESTARTING` for the instances that restart.
    func restartConnector(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let includeTasks = request.query["includeTasks"]?.lowercased() == "true"
        let onlyFailed = request.query["onlyFailed"]?.lowercased() == "true"
        let plan = try store.write { state throws(KafkaConnectSimulatorError) in
            let plan = try state.update(name, missing: .unknownConnector(name)) {
                record, runtime -> KafkaConnectWire.ConnectorStateInfo? in
                guard includeTasks || onlyFailed else {
                    record.restartConnector(runtime: &runtime)
                    return nil
                }
                let plan = record.restart(includeTasks: includeTasks, onlyFailed: onlyFailed, runtime: &runtime)
                return Self.wire(plan, version: record.plugin.version)
            }
            state.counters[name, default: KafkaConnectState.Counters()].restarts += 1
            return plan
        }
        guard let plan else { return .empty(status: 204) }
        return .json(plan, status: 202)
    }

    /// `POST …/tasks/{id}/restart`: 204.
    func restartTask(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        guard let id = Int(route["task"]) else { return errorResponse(status: 404, message: "HTTP 404 Not Found") }
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .unknownConnector(name)) {
                record, runtime throws(KafkaConnectSimulatorError) in
                try record.restartTask(id, runtime: &runtime)
            }
            state.counters[name, default: KafkaConnectState.Counters()].restarts += 1
        }
        return .empty(status: 204)
    }

    // MARK: Offsets

    func getOffsets(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let offsets = try store.read { state throws(KafkaConnectSimulatorError) in
            try state.connector(name, missing: .connectorNotFound(name)).offsets
        }
        return .json(
            KafkaConnectWire.ConnectorOffsets(
                offsets: offsets.map { KafkaConnectWire.ConnectorOffset(partition: $0.partition, offset: $0.offset) }))
    }

    /// `PATCH …/offsets`: merges partitions (a `null` offset resets one); only while STOPPED.
    func alterConnectorOffsets(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        let body = try? JSONDecoder().decode(KafkaConnectWire.ConnectorOffsets.self, from: Data(request.body))
        guard let entries = body?.offsets, !entries.isEmpty else {
            throw KafkaConnectSimulatorError.badRequest(
                "Partitions / offsets need to be provided for an alter offsets request")
        }
        var changes: [KafkaConnectSimulator.Offset] = []
        for entry in entries {
            guard let partition = entry.partition, !partition.isEmpty else {
                throw KafkaConnectSimulatorError.badRequest(
                    "Partitions / offsets need to be provided for an alter offsets request")
            }
            changes.append(KafkaConnectSimulator.Offset(partition: partition, offset: entry.offset))
        }
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .connectorNotFound(name)) { record, _ throws(KafkaConnectSimulatorError) in
                guard record.target == .stopped, record.tasks.isEmpty else { throw .notStopped(name) }
                for change in changes {
                    record.offsets.removeAll { $0.partition == change.partition }
                    if change.offset != nil { record.offsets.append(change) }
                }
            }
        }
        return .json(
            KafkaConnectWire.Message(
                message: "The Connect framework-managed offsets for this connector have been altered successfully. "
                    + "However, if this connector manages offsets externally, they will need to be manually altered "
                    + "in the system that the connector uses."))
    }

    /// `DELETE …/offsets`: forgets every offset; only while STOPPED.
    func resetConnectorOffsets(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["connector"]
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .connectorNotFound(name)) { record, _ throws(KafkaConnectSimulatorError) in
                guard record.target == .stopped, record.tasks.isEmpty else { throw .notStopped(name) }
                record.offsets = []
            }
        }
        return .json(
            KafkaConnectWire.Message(
                message: "The Connect framework-managed offsets for this connector have been reset successfully. "
                    + "However, if this connector manages offsets externally, they will need to be manually reset "
                    + "in the system that the connector uses."))
    }

    // MARK: Topics

    /// `GET …/topics`: `{name: {topics: […]}}`; an unknown connector has none (no 404, as in Connect).
    func getConnectorActiveTopics(_ route: RouteMatch) throws -> SimulatorResponse {
        guard configuration.topicTracking else {
            throw KafkaConnectSimulatorError(status: 403, message: "Topic tracking is disabled.")
        }
        let name = route["connector"]
        let topics = store.read { $0.connectors[name]?.activeTopics ?? [] }
        return .json([name: KafkaConnectWire.ActiveTopics(topics: topics)])
    }

    /// `PUT …/topics/reset`: 202; topics reappear as tasks start again.
    func resetConnectorActiveTopics(_ route: RouteMatch) throws -> SimulatorResponse {
        guard configuration.topicTracking else {
            throw KafkaConnectSimulatorError(status: 403, message: "Topic tracking reset is disabled.")
        }
        let name = route["connector"]
        store.write { $0.connectors[name]?.activeTopics = [] }
        return .empty(status: 202)
    }
}
