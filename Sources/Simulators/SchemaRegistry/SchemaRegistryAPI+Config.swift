import Foundation

extension SchemaRegistryAPI {
    private typealias Level = SchemaRegistrySimulator.CompatibilityLevel
    private typealias Mode = SchemaRegistrySimulator.Mode

    // MARK: Compatibility level

    func getTopLevelConfig() throws -> SimulatorResponse {
        let level = try store.read { $0.globalCompatibility }
        return json(SchemaRegistryWire.Config(compatibilityLevel: level.rawValue))
    }

    /// `PUT /config` and `PUT /config/{subject}`: write `compatibility`, echo it.
    func updateConfig(_ request: SimulatorRequest, subject: String?) throws -> SimulatorResponse {
        let body = try? JSONDecoder().decode(SchemaRegistryWire.ConfigUpdate.self, from: Data(request.body))
        guard let name = body?.compatibility, let level = Level(rawValue: name.uppercased()) else {
            throw SchemaRegistrySimulatorError.invalidCompatibilityLevel
        }
        try store.write { state in
            if let subject { state.subjectCompatibility[subject] = level } else { state.globalCompatibility = level }
        }
        return json(SchemaRegistryWire.ConfigUpdate(compatibility: level.rawValue))
    }

    /// `DELETE /config`: answers the previous global level and restores the default.
    func deleteTopLevelConfig() throws -> SimulatorResponse {
        let previous = try store.write { state in
            defer { state.globalCompatibility = state.defaultCompatibility }
            return state.globalCompatibility
        }
        return json(SchemaRegistryWire.Config(compatibilityLevel: previous.rawValue))
    }

    func getSubjectLevelConfig(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let defaultToGlobal = flag("defaultToGlobal", in: request)
        let level = try store.read { state throws(SchemaRegistrySimulatorError) in
            if let own = state.subjectCompatibility[subject] { return own }
            guard defaultToGlobal else { throw .subjectLevelConfigNotFound(subject) }
            return state.globalCompatibility
        }
        return json(SchemaRegistryWire.Config(compatibilityLevel: level.rawValue))
    }

    /// `DELETE /config/{subject}`: answers the previous level; the subject follows the global level again.
    func deleteSubjectConfig(_ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let previous = try store.write { state throws(SchemaRegistrySimulatorError) in
            guard let previous = state.subjectCompatibility.removeValue(forKey: subject) else {
                throw .subjectLevelConfigNotFound(subject)
            }
            return previous
        }
        return json(SchemaRegistryWire.Config(compatibilityLevel: previous.rawValue))
    }

    // MARK: Mode

    func getTopLevelMode() throws -> SimulatorResponse {
        json(SchemaRegistryWire.ModeBody(mode: try store.read { $0.globalMode }.rawValue))
    }

    /// `PUT /mode` and `PUT /mode/{subject}`; entering IMPORT while schemas exist needs `force=true`.
    func updateMode(_ request: SimulatorRequest, subject: String?) throws -> SimulatorResponse {
        let body = try? JSONDecoder().decode(SchemaRegistryWire.ModeBody.self, from: Data(request.body))
        guard let name = body?.mode, let mode = Mode(rawValue: name.uppercased()) else {
            throw SchemaRegistrySimulatorError.invalidMode
        }
        let force = flag("force", in: request)
        try store.write { state throws(SchemaRegistrySimulatorError) in
            if mode == .import, !force {
                let hasSchemas =
                    subject.map { !(state.subjects[$0] ?? []).isEmpty } ?? !state.subjects.isEmpty
                if hasSchemas {
                    throw SchemaRegistrySimulatorError(
                        status: 422, errorCode: 42205,
                        message: "Cannot import since found existing subjects")
                }
            }
            if let subject { state.subjectMode[subject] = mode } else { state.globalMode = mode }
        }
        return json(SchemaRegistryWire.ModeBody(mode: mode.rawValue))
    }

    func getMode(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let defaultToGlobal = flag("defaultToGlobal", in: request)
        let mode = try store.read { state throws(SchemaRegistrySimulatorError) in
            if let own = state.subjectMode[subject] { return own }
            guard defaultToGlobal else { throw .subjectLevelModeNotFound(subject) }
            return state.globalMode
        }
        return json(SchemaRegistryWire.ModeBody(mode: mode.rawValue))
    }

    func deleteSubjectMode(_ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let previous = try store.write { state throws(SchemaRegistrySimulatorError) in
            guard let previous = state.subjectMode.removeValue(forKey: subject) else {
                throw .subjectLevelModeNotFound(subject)
            }
            return previous
        }
        return json(SchemaRegistryWire.ModeBody(mode: previous.rawValue))
    }
}
