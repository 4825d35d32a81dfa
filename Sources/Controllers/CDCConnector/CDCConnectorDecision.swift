import Foundation
import KafkaConnect
import KubeAPI
import PlatformAPI

/// What Kafka Connect showed for one connector when a reconcile started.
public struct ObservedConnector: Sendable, Hashable {
    /// The live configuration; nil when the connector does not exist.
    public var config: [String: String]?
    /// The connector's and its tasks' states; nil when unknown or the connector does not exist.
    public var state: KafkaConnectorStateInfo?

    public init(config: [String: String]? = nil, state: KafkaConnectorStateInfo? = nil) {
        self.config = config
        self.state = state
    }

    public var exists: Bool { config != nil }

    /// The connector instance or one of its tasks is FAILED.
    public var failed: Bool {
        guard let state else { return false }
        return state.connector.state == .failed || state.tasks.contains { $0.state == .failed }
    }

    /// The connector and every task are in `target`, and at least one task exists when running.
    func settled(in target: KafkaConnectState) -> Bool {
        guard let state, state.connector.state == target else { return false }
        switch target {
        case .running: return !state.tasks.isEmpty && state.tasks.allSatisfy { $0.state == .running }
        case .stopped: return state.tasks.allSatisfy { $0.state == .stopped }
        default: return state.tasks.allSatisfy { $0.state == target }
        }
    }
}

/// Why a connector is restarted.
public enum RestartCause: Sendable, Hashable {
    /// A failed connector or task, the `attempt`-th automatic restart since the tasks last ran.
    case autoRestart(attempt: Int)
    /// `spec.restartRequest` with this id.
    case request(id: String, includeTasks: Bool, onlyFailed: Bool)
    /// A Secret the configuration refers to changed.
    case secretRotation
}

/// One change to Kafka Connect, in the order Apply makes them.
public enum CDCConnectorAction: Sendable, Hashable {
    /// `DELETE /connectors/{name}` of a sink the spec no longer has.
    case deleteStale(name: String)
    /// `PUT …/config/validate`, then `POST /connectors` with the initial state;
    /// `recreate` when the connector was deleted outside Kubernetes.
    case create(RenderedConnector, initialState: KafkaConnectorTargetState, recreate: Bool)
    /// `PUT …/config/validate`, then `PUT /connectors/{name}/config`; `drift` when the live
    /// configuration was changed outside Kubernetes; `changedKeys` names the keys that differ.
    case update(RenderedConnector, changedKeys: [String], drift: Bool)
    /// `PUT /connectors/{name}/pause`.
    case pause(name: String)
    /// `PUT /connectors/{name}/resume`.
    case resume(name: String)
    /// `PUT /connectors/{name}/stop`.
    case stop(name: String)
    /// `POST /connectors/{name}/restart?includeTasks=…&onlyFailed=…`.
    case restart(name: String, cause: RestartCause)
    /// Debezium's `execute-snapshot` signal (incremental) for tables added to a running source.
    case signalSnapshot(name: String, tables: [String])

    /// The connector the action is about.
    public var connectorName: String {
        switch self {
        case .deleteStale(let name), .pause(let name), .resume(let name), .stop(let name), .restart(let name, _),
            .signalSnapshot(let name, _):
            name
        case .create(let connector, _, _), .update(let connector, _, _): connector.name
        }
    }

    /// The action as `status.plan` shows it, with the exact calls Apply sends.
    public var planned: [PlannedAction] {
        let target = "connector/\(connectorName)"
        let path = "/connectors/\(connectorName)"
        switch self {
        case .deleteStale(let name):
            return [PlannedAction(verb: "DeleteConnector", target: target, summary: "delete sink connector \(name): the spec no longer has it", call: "DELETE \(path)")]
        case .create(let connector, let state, let recreate):
            return [
                PlannedAction(
                    verb: "ValidateConfig", target: target, summary: "validate the rendered configuration",
                    call: "PUT /connector-plugins/\(connector.pluginClass)/config/validate"),
                PlannedAction(
                    verb: "CreateConnector", target: target,
                    summary: (recreate ? "create the connector again (it was deleted outside Kubernetes)" : "create the connector")
                        + " in state \(state.rawValue)",
                    call: "POST /connectors"),
            ]
        case .update(let connector, let keys, let drift):
            let keyList = keys.prefix(10).joined(separator: ", ") + (keys.count > 10 ? ", …" : "")
            return [
                PlannedAction(
                    verb: "ValidateConfig", target: target, summary: "validate the rendered configuration",
                    call: "PUT /connector-plugins/\(connector.pluginClass)/config/validate"),
                PlannedAction(
                    verb: "UpdateConfig", target: target,
                    summary: drift
                        ? "set the configuration back to the spec's (changed outside Kubernetes: \(keyList))"
                        : "update the configuration (\(keyList))",
                    call: "PUT \(path)/config"),
            ]
        case .pause:
            return [PlannedAction(verb: "PauseConnector", target: target, summary: "pause the connector and its tasks", call: "PUT \(path)/pause")]
        case .resume:
            return [PlannedAction(verb: "ResumeConnector", target: target, summary: "resume the connector and its tasks", call: "PUT \(path)/resume")]
        case .stop:
            return [PlannedAction(verb: "StopConnector", target: target, summary: "stop the connector; its tasks shut down", call: "PUT \(path)/stop")]
        case .restart(_, let cause):
            let summary: String
            var includeTasks = true
            var onlyFailed = true
            switch cause {
            case .autoRestart(let attempt): summary = "restart the failed connector and tasks (automatic restart \(attempt))"
            case .request(let id, let tasks, let failed):
                summary = "restart as requested by restartRequest \(id)"
                includeTasks = tasks
                onlyFailed = failed
            case .secretRotation:
                summary = "restart so the config provider reads the rotated Secret"
                onlyFailed = false
            }
            return [
                PlannedAction(
                    verb: "RestartConnector", target: target, summary: summary,
                    call: "POST \(path)/restart?includeTasks=\(includeTasks)&onlyFailed=\(onlyFailed)")
            ]
        case .signalSnapshot(_, let tables):
            return [
                PlannedAction(
                    verb: "SignalSnapshot", target: target,
                    summary: "signal an incremental snapshot of \(tables.joined(separator: ", "))",
                    call: "INSERT INTO <signal table> (id, type, data) VALUES (…, 'execute-snapshot', …)")
            ]
        }
    }
}

/// The outcome of ``CDCConnectorDecision/plan(_:desired:observed:stale:secretsVersion:now:)``.
public struct CDCConnectorPlan: Sendable, Hashable {
    public var actions: [CDCConnectorAction]
    /// A failed connector waits this long before its next automatic restart.
    public var restartWait: Duration?
    /// A connector or task failed and may not be restarted again (limit reached or auto-restart off).
    public var restartBlocked: Bool

    public init(actions: [CDCConnectorAction] = [], restartWait: Duration? = nil, restartBlocked: Bool = false) {
        self.actions = actions
        self.restartWait = restartWait
        self.restartBlocked = restartBlocked
    }
}

/// The pure part of a CDCConnector reconcile: from the rendered connectors and
/// what Kafka Connect shows, the changes to make.
public enum CDCConnectorDecision {
    /// The wait before automatic restart number `attempt` (0-based): `initial · 2^attempt`, at most `max`.
    public static func backoff(attempt: Int, initial: Duration, max: Duration) -> Duration {
        var delay = initial
        for _ in 0..<Swift.max(0, Swift.min(attempt, 40)) {
            delay = delay * 2
            if delay >= max { return max }
        }
        return Swift.min(delay, max)
    }

    /// The Connect target state for the spec's desired state.
    public static func targetState(_ state: ConnectorDesiredState) -> KafkaConnectorTargetState {
        switch state {
        case .running: .running
        case .paused: .paused
        case .stopped: .stopped
        }
    }

    /// The keys whose values differ between two configurations, sorted.
    public static func changedKeys(_ live: [String: String], _ desired: [String: String]) -> [String] {
        Set(live.keys).union(desired.keys).filter { live[$0] != desired[$0] }.sorted()
    }

    /// - Parameters:
    ///   - desired: the rendered connectors, source first.
    ///   - observed: what Connect shows per connector name (absent = does not exist).
    ///   - stale: sink connectors the operator made earlier that the spec no longer has.
    ///   - secretsVersion: the current version of the referenced Secrets.
    public static func plan(
        _ object: CDCConnector, desired: [RenderedConnector], observed: [String: ObservedConnector], stale: [String],
        secretsVersion: String?, now: Date
    ) -> CDCConnectorPlan {
        let spec = object.spec
        let status = object.status ?? CDCConnectorStatus()
        let target = targetState(spec.state)
        let specChanged = object.metadata.generation != status.observedGeneration
        var plan = CDCConnectorPlan()
        plan.actions += stale.map { .deleteStale(name: $0) }

        var changed: Set<String> = []
        for connector in desired {
            let seen = observed[connector.name] ?? ObservedConnector()
            guard let live = seen.config else {
                let known = status.connectorName == connector.name
                    || (status.sinkConnectors ?? []).contains { $0.name == connector.name && $0.state != nil }
                plan.actions.append(.create(connector, initialState: target, recreate: known && status.configHash != nil))
                changed.insert(connector.name)
                continue
            }
            let keys = changedKeys(live, connector.config)
            if !keys.isEmpty {
                plan.actions.append(.update(connector, changedKeys: keys, drift: !specChanged && status.configHash != nil))
                changed.insert(connector.name)
            }
            switch (target, seen.state?.connector.state) {
            case (.running, .some(.paused)), (.running, .some(.stopped)):
                plan.actions.append(.resume(name: connector.name))
                changed.insert(connector.name)
            case (.paused, let state) where state != .paused:
                plan.actions.append(.pause(name: connector.name))
                changed.insert(connector.name)
            case (.stopped, let state) where state != .stopped:
                plan.actions.append(.stop(name: connector.name))
                changed.insert(connector.name)
            default: break
            }
        }

        let existing = desired.filter { observed[$0.name]?.exists == true }
        // A restart request, once per id, restarts the source connector.
        if let request = spec.restartRequest, !status.hasHandled(request),
            let source = desired.first, observed[source.name]?.exists == true
        {
            plan.actions.append(
                .restart(name: source.name, cause: .request(id: request.id, includeTasks: request.includeTasks, onlyFailed: request.onlyFailed)))
            changed.insert(source.name)
        }
        // A rotated Secret: restart what exists, so the config provider reads the new value.
        if let secretsVersion, let previous = status.secretsVersion, previous != secretsVersion {
            for connector in existing where !changed.contains(connector.name) {
                plan.actions.append(.restart(name: connector.name, cause: .secretRotation))
                changed.insert(connector.name)
            }
        }
        // Failed connectors and tasks, when the spec wants them running.
        let failed = existing.filter { !changed.contains($0.name) && observed[$0.name]?.failed == true }
        if spec.state == .running, !failed.isEmpty {
            let policy = spec.autoRestart
            let attempts = status.restartCount ?? 0
            if !policy.enabled || attempts >= policy.maxRestarts {
                plan.restartBlocked = true
            } else {
                let initial = duration(policy.initialBackoff, fallback: .seconds(30))
                let maximum = duration(policy.maxBackoff, fallback: .seconds(600))
                let wait = backoff(attempt: attempts, initial: initial, max: maximum)
                // From the later of the last restart and the start of this failure episode.
                let since = [status.lastRestartTime?.date, status.lastError?.time.date].compactMap { $0 }.max() ?? now
                let due = since.addingTimeInterval(Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
                if due <= now {
                    for connector in failed {
                        plan.actions.append(.restart(name: connector.name, cause: .autoRestart(attempt: attempts + 1)))
                    }
                } else {
                    plan.restartWait = .milliseconds(Int64((due.timeIntervalSince(now) * 1000).rounded(.up)))
                }
            }
        }
        // Tables added to a running Postgres source: an incremental snapshot of them.
        if spec.engine == .postgres, spec.snapshot.incrementalOnNewTables, spec.state == .running,
            let captured = status.capturedTables, let source = desired.first, observed[source.name]?.exists == true
        {
            let added = spec.tables.filter { !captured.contains($0) }
            if !added.isEmpty { plan.actions.append(.signalSnapshot(name: source.name, tables: added)) }
        }
        return plan
    }

    /// A Go duration as a `Duration`, or `fallback` when it does not parse.
    public static func duration(_ text: String, fallback: Duration) -> Duration {
        guard let seconds = GoDuration.seconds(text) else { return fallback }
        return .milliseconds(Int64(seconds * 1000))
    }
}
