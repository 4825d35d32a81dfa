import ControllerRuntime
import Foundation
import KafkaConnect
import KubeAPI
import KubeClient
import PlatformAPI

/// Operator-wide settings of the CDCConnector reconciler.
public struct CDCConnectorSettings: Sendable {
    /// How configurations are rendered (secret references, sink classes, Kafka bootstrap servers).
    public var render: CDCRenderSettings
    /// Where Kafka Connect is when a CDCConnector names none.
    public var defaults: BackendDefaults
    /// How often a converged connector's state is read again; Kafka Connect has no watch.
    public var pollInterval: Duration

    public init(render: CDCRenderSettings, defaults: BackendDefaults = BackendDefaults(), pollInterval: Duration = .seconds(60)) {
        self.render = render
        self.defaults = defaults
        self.pollInterval = pollInterval
    }
}

/// Drives a CDCConnector: its Debezium source connector and sink connectors on Kafka Connect.
///
/// Each reconcile renders the configurations (pure), reads every connector's
/// configuration and state (observe), decides with ``CDCConnectorDecision``
/// (pure), carries out the plan in Apply mode (act), and writes status once.
/// Guarantees: a configuration is validated by Connect before it is created or
/// changed, and is written only when it differs from the live one (an unchanged
/// `PUT` would restart the tasks); a failed connector or task makes Ready False
/// and is restarted with exponential backoff up to `autoRestart.maxRestarts`,
/// then the object is Stalled; passwords stay in Secrets (configurations carry
/// config-provider placeholders); Plan mode changes nothing in Kafka Connect.
/// Caveats: Kafka Connect has no watch; states are read again every
/// ``CDCConnectorSettings/pollInterval`` once converged, sooner while they settle.
public struct CDCConnectorReconciler: Reconciler {
    public typealias Object = CDCConnector

    let frame: ReconcileFrame<CDCConnector>
    let secrets: SecretValues
    let connector: any KafkaConnectConnector
    let settings: CDCConnectorSettings
    let signaler: any SnapshotSignaler
    let operatorNamespace: String
    /// Connectors started and failed for good as OpenLineage run events of streaming jobs.
    let lineage: LineageReporter

    private var recorder: EventRecorder { frame.recorder }

    /// How soon connectors that are settling (UNASSIGNED, RESTARTING, no tasks yet) are read again.
    static let settlePoll: Duration = .seconds(5)
    /// A failed snapshot signal is tried again after this long.
    static let signalRetry: Duration = .seconds(60)

    public init(
        client: KubernetesClient, secrets: SecretValues, recorder: EventRecorder, connector: any KafkaConnectConnector,
        settings: CDCConnectorSettings, signaler: any SnapshotSignaler = UnavailableSnapshotSignaler(), operatorNamespace: String,
        lineage: LineageReporter = .disabled
    ) {
        frame = ReconcileFrame(client: client, recorder: recorder, backend: "Kafka Connect")
        self.lineage = lineage
        self.secrets = secrets
        self.connector = connector
        self.settings = settings
        self.signaler = signaler
        self.operatorNamespace = operatorNamespace
    }

    public func reconcile(_ object: CDCConnector, context: ReconcileContext) async throws -> ReconcileResult {
        try await frame.reconcile(object, cleanup: cleanup) { try await apply($0, run: &$1) }
    }

    typealias Run = ReconcileRun<CDCConnector>

    /// What stopped the plan part-way.
    enum Block {
        case configInvalid(String)
        case signalFailed(String)
    }

    private func apply(_ object: CDCConnector, run: inout Run) async throws -> ReconcileResult {
        let spec = object.spec
        let errors = object.validate()
        guard errors.isEmpty else {
            let reason = errors.contains { $0.field.hasPrefix("spec.config[") } ? CDCConnector.Reason.ownedKeyOverride : StandardReason.invalidSpec
            try await frame.stall(object, reason: reason, message: describe(errors), run: &run)
        }
        let desired: [RenderedConnector]
        do {
            desired = try CDCConnectorRendering.render(object, settings: settings.render)
        } catch {
            let reason = error.field.contains("config[") ? CDCConnector.Reason.ownedKeyOverride : StandardReason.invalidSpec
            try await frame.stall(object, reason: reason, message: error.description, run: &run)
        }
        guard let source = desired.first else {
            try await frame.stall(object, message: "spec: nothing to render", run: &run)
        }
        run.status.connectorName = source.name
        run.status.topics = CDCConnectorRendering.topics(of: object)

        let secretsVersion: String
        do {
            secretsVersion = try await referencedSecretsVersion(object)
        } catch let error as MissingSecretError {
            await frame.awaitInput(object, reason: StandardReason.secretNotFound, action: "ReadSecret", message: error.description, run: &run)
            return .done
        }

        let connect: any KafkaConnectClient
        do {
            guard
                let client = try await frame.backendClient(
                    object, endpointField: "spec.kafkaConnect", run: &run, make: { try connector.client(for: try await target(for: object)) })
            else { return .done }
            connect = client
        } catch let error as TerminalError where error.reason == StandardReason.invalidSpec {
            // Like every invalid spec of this kind, an invalid URL is also a Warning Event.
            await recorder.record(.warning, reason: error.reason, action: "Validate", note: error.message, regarding: object)
            throw error
        }

        let desiredNames = Set(desired.map(\.name))
        let stale = (run.status.sinkConnectors ?? []).map(\.name).filter { !desiredNames.contains($0) }
        var observed: [String: ObservedConnector] = [:]
        do {
            for name in desired.map(\.name) + stale {
                observed[name] = try await observe(name, connect: connect)
            }
        } catch let error as KafkaConnectError {
            markBackendError(error, run: &run)
            throw error
        }
        if spec.mode == .apply, observed[source.name]?.config == source.config {
            // Live matches the spec, whoever wrote it (a previous operator that stopped before its status write).
            run.status.configHash = CDCConnectorRendering.configHash(source.config)
            if run.status.capturedTables == nil { run.status.capturedTables = spec.tables }
        }
        let staleExisting = stale.filter { observed[$0]?.exists == true }
        // Sinks removed from the spec that are already gone need no delete.
        run.status.sinkConnectors = run.status.sinkConnectors?.filter { desiredNames.contains($0.name) || staleExisting.contains($0.name) }

        let decisionObject = withFailureEpisode(object, desired: desired, observed: observed, now: run.now)
        run.status.lastError = decisionObject.status?.lastError
        let plan = CDCConnectorDecision.plan(
            decisionObject, desired: desired, observed: observed, stale: staleExisting, secretsVersion: secretsVersion,
            now: run.now.date)

        if spec.mode == .plan {
            run.status.plan = plan.actions.flatMap(\.planned)
            record(observed, desired: desired, into: &run.status)
            return summarizePlan(object, plan: plan, desired: desired, observed: observed, run: &run)
        }
        run.status.plan = nil

        var applied: [PlannedAction] = []
        defer { run.recordApplied(applied) }
        var block: Block?
        // Whether something was changed in Kafka Connect: its states are then read again.
        var acted = false
        for action in plan.actions {
            do {
                if let stop = try await perform(action, object: object, desired: desired, observed: observed, connect: connect, run: &run, acted: &acted) {
                    block = stop
                    if case .configInvalid = stop { break }
                } else {
                    applied += action.planned
                    switch action {
                    case .create(let rendered, _, _), .update(let rendered, _, _):
                        observed[rendered.name, default: ObservedConnector()].config = rendered.config
                    case .deleteStale(let name):
                        observed[name] = ObservedConnector()
                    default: break
                    }
                }
            } catch let error as KafkaConnectError {
                markBackendError(error, run: &run)
                throw error
            }
        }
        if block == nil || acted {
            run.status.secretsVersion = secretsVersion
        }
        if acted {
            do {
                for name in desired.map(\.name) {
                    observed[name]?.state = try await connect.connectorStatus(name)
                }
            } catch let error as KafkaConnectError {
                markBackendError(error, run: &run)
                throw error
            }
        }
        record(observed, desired: desired, into: &run.status)
        return await summarize(object, plan: plan, block: block, desired: desired, observed: observed, acted: acted, run: &run)
    }

    // MARK: Observe

    private func observe(_ name: String, connect: any KafkaConnectClient) async throws -> ObservedConnector {
        guard let config = try await connect.connectorConfig(name) else { return ObservedConnector() }
        return ObservedConnector(config: config, state: try await connect.connectorStatus(name))
    }

    /// `object` with `status.lastError` describing the current failure episode: a
    /// failure not seen by the previous reconcile starts a new one (its backoff counts from now).
    private func withFailureEpisode(
        _ object: CDCConnector, desired: [RenderedConnector], observed: [String: ObservedConnector], now: Time
    ) -> CDCConnector {
        guard let failing = desired.first(where: { observed[$0.name]?.failed == true }),
            let state = observed[failing.name]?.state
        else { return object }
        var copy = object
        var status = object.status ?? CDCConnectorStatus()
        if !Self.previouslyFailed(status) || status.lastError == nil {
            let task = state.tasks.first { $0.state == .failed }
            let trace = task?.trace ?? state.connector.trace ?? "no trace reported"
            status.lastError = ConnectorError(connector: failing.name, taskID: task?.id, message: truncated(trace), time: now)
        }
        copy.status = status
        return copy
    }

    /// Whether the status written last showed a failed connector or task.
    static func previouslyFailed(_ status: CDCConnectorStatus) -> Bool {
        let failed = KafkaConnectState.failed.rawValue
        if status.connectorState == failed || (status.tasks ?? []).contains(where: { $0.state == failed }) { return true }
        return (status.sinkConnectors ?? []).contains { sink in
            sink.state == failed || (sink.tasks ?? []).contains { $0.state == failed }
        }
    }

    // MARK: Act

    /// Carries out one action, setting `acted` when it changed Kafka Connect; returns what stopped it when it cannot be done as the spec stands.
    private func perform(
        _ action: CDCConnectorAction, object: CDCConnector, desired: [RenderedConnector], observed: [String: ObservedConnector],
        connect: any KafkaConnectClient, run: inout Run, acted: inout Bool
    ) async throws -> Block? {
        let spec = object.spec
        switch action {
        case .deleteStale(let name):
            try await connect.deleteConnector(name)
            acted = true
            run.status.sinkConnectors = run.status.sinkConnectors?.filter { $0.name != name }
            await recorder.record(
                .normal, reason: "ConnectorDeleted", action: "DeleteConnector",
                note: "deleted sink connector \(name): the spec no longer has it", regarding: object)
            return nil

        case .create(let rendered, let initialState, let recreate):
            if let invalid = try await validate(rendered, object: object, connect: connect, run: &run) { return invalid }
            do {
                _ = try await connect.createConnector(rendered.name, config: rendered.config, initialState: initialState)
            } catch let error as KafkaConnectError where error.kind == .alreadyExists {
                // Created between our read and now (another replica, or Connect answered late): make it match.
                _ = try await connect.putConnectorConfig(rendered.name, config: rendered.config)
            }
            acted = true
            applied(rendered, spec: spec, run: &run, created: true)
            let what = rendered.role == .source ? "source connector" : "sink connector"
            if recreate {
                await recorder.record(
                    .warning, reason: StandardReason.driftDetected, action: "CreateConnector",
                    note: "\(what) \(rendered.name) was deleted outside Kubernetes; created it again in state \(initialState.rawValue)",
                    regarding: object)
            } else {
                await recorder.record(
                    .normal, reason: CDCConnector.Reason.connectorCreated, action: "CreateConnector",
                    note: "created \(what) \(rendered.name) (\(Self.simpleName(rendered.pluginClass))) in state \(initialState.rawValue)",
                    regarding: object)
            }
            await reportLineage(.start, connector: rendered, object: object)
            return nil

        case .update(let rendered, let keys, let drift):
            if let invalid = try await validate(rendered, object: object, connect: connect, run: &run) { return invalid }
            _ = try await connect.putConnectorConfig(rendered.name, config: rendered.config)
            acted = true
            applied(rendered, spec: spec, run: &run, created: false)
            let keyList = keys.prefix(10).joined(separator: ", ") + (keys.count > 10 ? ", …" : "")
            if drift {
                await recorder.record(
                    .warning, reason: StandardReason.driftDetected, action: "UpdateConfig",
                    note: "the configuration of connector \(rendered.name) was changed outside Kubernetes (\(keyList)); set back to the spec's",
                    regarding: object)
            } else {
                await recorder.record(
                    .normal, reason: CDCConnector.Reason.connectorUpdated, action: "UpdateConfig",
                    note: "updated the configuration of connector \(rendered.name) (\(keyList))", regarding: object)
            }
            await reportLineage(.start, connector: rendered, object: object)
            return nil

        case .pause(let name):
            try await connect.pauseConnector(name)
            acted = true
            await recorder.record(.normal, reason: "ConnectorPaused", action: "PauseConnector", note: "paused connector \(name)", regarding: object)
            return nil

        case .resume(let name):
            try await connect.resumeConnector(name)
            acted = true
            await recorder.record(.normal, reason: "ConnectorResumed", action: "ResumeConnector", note: "resumed connector \(name)", regarding: object)
            return nil

        case .stop(let name):
            try await connect.stopConnector(name)
            acted = true
            await recorder.record(.normal, reason: "ConnectorStopped", action: "StopConnector", note: "stopped connector \(name); its tasks shut down", regarding: object)
            return nil

        case .restart(let name, let cause):
            switch cause {
            case .autoRestart(let attempt):
                try await connect.restartConnector(name, includeTasks: true, onlyFailed: true)
                run.status.restartCount = attempt
                run.status.lastRestartTime = run.now
                let failure = run.status.lastError.map { ": " + Self.firstLine($0.message) } ?? ""
                await recorder.record(
                    .warning, reason: CDCConnector.Reason.restarting, action: "RestartConnector",
                    note: "restarted the failed instances of connector \(name), automatic restart \(attempt) of \(spec.autoRestart.maxRestarts)\(failure)",
                    regarding: object)
            case .request(let id, let includeTasks, let onlyFailed):
                try await connect.restartConnector(name, includeTasks: includeTasks, onlyFailed: onlyFailed)
                run.status.restartCount = 0
                run.status.lastRestartTime = run.now
                let message = "restarted connector \(name) (includeTasks=\(includeTasks), onlyFailed=\(onlyFailed))"
                run.status.recordHandled(
                    HandledRequest(type: ConnectorRestartRequest.requestType, id: id, outcome: .succeeded, message: message, time: run.now))
                await recorder.record(.normal, reason: "RestartRequested", action: "RestartConnector", note: "request \(id): \(message)", regarding: object)
            case .secretRotation:
                try await connect.restartConnector(name, includeTasks: true, onlyFailed: false)
                await recorder.record(
                    .normal, reason: "SecretRotated", action: "RestartConnector",
                    note: "restarted connector \(name) and its tasks: a Secret its configuration refers to changed", regarding: object)
            }
            acted = true
            return nil

        case .signalSnapshot(let name, let tables):
            do {
                let signal = try await snapshotSignal(object, connector: name, tables: tables)
                try await signaler.send(signal)
            } catch {
                let message = truncated("could not signal an incremental snapshot of \(tables.joined(separator: ", ")): \(error)")
                await recorder.record(.warning, reason: "SnapshotSignalFailed", action: "SignalSnapshot", note: message, regarding: object)
                return .signalFailed(message)
            }
            run.status.capturedTables = spec.tables
            await recorder.record(
                .normal, reason: CDCConnector.Reason.snapshotSignaled, action: "SignalSnapshot",
                note: "signalled an incremental snapshot of \(tables.joined(separator: ", ")) to connector \(name)", regarding: object)
            return nil
        }
    }

    /// Records in status what an applied configuration means.
    private func applied(_ rendered: RenderedConnector, spec: CDCConnectorSpec, run: inout Run, created: Bool) {
        guard rendered.role == .source else {
            if case .sink(let type) = rendered.role, !(run.status.sinkConnectors ?? []).contains(where: { $0.name == rendered.name }) {
                run.status.sinkConnectors = (run.status.sinkConnectors ?? []) + [SinkConnectorStatus(type: type, name: rendered.name)]
            }
            return
        }
        run.status.configHash = CDCConnectorRendering.configHash(rendered.config)
        if spec.engine == .postgres, spec.snapshot.incrementalOnNewTables, let captured = run.status.capturedTables, !created {
            // New tables join once their snapshot was signalled; removed ones leave now.
            run.status.capturedTables = captured.filter { spec.tables.contains($0) }
        } else {
            run.status.capturedTables = spec.tables
        }
    }

    /// Connect's verdict on a configuration; a ``Block`` naming every invalid key when it refuses.
    private func validate(
        _ rendered: RenderedConnector, object: CDCConnector, connect: any KafkaConnectClient, run: inout Run
    ) async throws -> Block? {
        let problems: [String]
        do {
            let verdict = try await connect.validateConfig(plugin: rendered.pluginClass, config: rendered.config)
            guard verdict.errorCount > 0 else { return nil }
            problems = verdict.errors.map { "\($0.key): \($0.messages.joined(separator: " "))" }
        } catch let error as KafkaConnectError where error.kind == .badRequest || error.kind == .notFound {
            problems = [error.message]
        }
        let message = truncated(
            "Kafka Connect rejects the configuration of connector \(rendered.name) (\(Self.simpleName(rendered.pluginClass))): "
                + (problems.isEmpty ? "no details given" : problems.joined(separator: "; ")))
        if run.status.condition(StandardCondition.stalled)?.message != message {
            await recorder.record(.warning, reason: CDCConnector.Reason.configInvalid, action: "ValidateConfig", note: message, regarding: object)
        }
        return .configInvalid(message)
    }

    // MARK: Status

    /// Copies what Connect shows into status.
    private func record(_ observed: [String: ObservedConnector], desired: [RenderedConnector], into status: inout CDCConnectorStatus) {
        guard let source = desired.first else { return }
        let state = observed[source.name]?.state
        status.connectorState = observed[source.name]?.exists == true ? state?.connector.state.rawValue : nil
        status.workerID = state?.connector.workerID
        status.tasks = state.map { $0.tasks.map(Self.taskStatus) }
        var sinks: [SinkConnectorStatus] = []
        for rendered in desired.dropFirst() {
            guard case .sink(let type) = rendered.role else { continue }
            guard let seen = observed[rendered.name], seen.exists else {
                if let known = status.sinkConnectors?.first(where: { $0.name == rendered.name }) {
                    sinks.append(SinkConnectorStatus(type: known.type, name: known.name))
                }
                continue
            }
            sinks.append(
                SinkConnectorStatus(
                    type: type, name: rendered.name, state: seen.state?.connector.state.rawValue,
                    workerID: seen.state?.connector.workerID, tasks: seen.state.map { $0.tasks.map(Self.taskStatus) }))
        }
        let stale = (status.sinkConnectors ?? []).filter { old in !desired.contains { $0.name == old.name } }
        status.sinkConnectors = sinks + stale
        if status.sinkConnectors?.isEmpty == true { status.sinkConnectors = nil }
    }

    static func taskStatus(_ task: KafkaTaskState) -> ConnectorTaskStatus {
        ConnectorTaskStatus(id: task.id, state: task.state.rawValue, workerID: task.workerID, trace: task.trace.map { truncated($0, limit: 512) })
    }

    private func summarize(
        _ object: CDCConnector, plan: CDCConnectorPlan, block: Block?, desired: [RenderedConnector],
        observed: [String: ObservedConnector], acted: Bool, run: inout Run
    ) async -> ReconcileResult {
        let spec = object.spec
        let generation = run.generation
        let now = run.now
        typealias ConditionType = CDCConnector.ConditionType
        typealias Reason = CDCConnector.Reason
        let target = CDCConnectorDecision.targetState(spec.state)
        let targetState = KafkaConnectState(rawValue: target.rawValue)

        if case .configInvalid(let message) = block {
            run.status.markStalled(generation: generation, reason: Reason.configInvalid, message: message, now: now)
            run.status.set(ConditionType.connectorRunning, .unknown, reason: Reason.configInvalid, message: "the configuration was not applied", generation: generation, now: now)
            return .done
        }

        // Per connector: settled, failed, or settling.
        let source = desired[0]
        let sinks = Array(desired.dropFirst())
        let sourceState = describeState(of: source, observed: observed[source.name], target: targetState)
        run.status.set(ConditionType.connectorRunning, sourceState.status, reason: sourceState.reason, message: sourceState.message, generation: generation, now: now)
        let sinkStates = sinks.map { describeState(of: $0, observed: observed[$0.name], target: targetState) }
        if sinks.isEmpty {
            run.status.set(ConditionType.sinksRunning, .true, reason: Reason.noSinks, message: "the spec has no sinks", generation: generation, now: now)
        } else if let bad = sinkStates.first(where: { $0.status != .true }) {
            run.status.set(ConditionType.sinksRunning, bad.status, reason: bad.reason, message: bad.message, generation: generation, now: now)
        } else {
            run.status.set(
                ConditionType.sinksRunning, .true, reason: sourceState.reason,
                message: sinkStates.map(\.message).joined(separator: "; "), generation: generation, now: now)
        }
        let all = [sourceState] + sinkStates
        let failed = all.filter(\.failed)

        if !failed.isEmpty, spec.state == .running {
            let first = failed[0]
            if plan.restartBlocked {
                let message = spec.autoRestart.enabled
                    ? "\(first.message); \(run.status.restartCount ?? 0) automatic restart(s) did not help (autoRestart.maxRestarts is \(spec.autoRestart.maxRestarts)); fix the cause, then set spec.restartRequest"
                    : "\(first.message); autoRestart is disabled: fix the cause, then set spec.restartRequest"
                let reason = spec.autoRestart.enabled ? Reason.restartLimitReached : first.reason
                if run.status.condition(StandardCondition.stalled)?.reason != reason {
                    await recorder.record(.warning, reason: reason, action: "Observe", note: truncated(message), regarding: object)
                    if let connector = zip(desired, all).first(where: { $0.1.failed })?.0 {
                        await reportLineage(.fail, connector: connector, object: object, error: truncated(message))
                    }
                }
                run.status.markStalled(generation: generation, reason: reason, message: truncated(message), now: now)
                return .requeue(after: jittered(settings.pollInterval))
            }
            if !Self.previouslyFailed(object.status ?? CDCConnectorStatus()) {
                await recorder.record(.warning, reason: first.reason, action: "Observe", note: truncated(first.message), regarding: object)
            }
            let attempt = (run.status.restartCount ?? 0) + 1
            let wait = plan.restartWait ?? Self.settlePoll
            let when = acted ? "restarted (automatic restart \(run.status.restartCount ?? 0) of \(spec.autoRestart.maxRestarts))"
                : "automatic restart \(attempt) of \(spec.autoRestart.maxRestarts) in \(Self.seconds(wait))"
            run.status.markNotReady(generation: generation, reason: first.reason, message: truncated("\(first.message); \(when)"), now: now)
            return .requeue(after: acted ? Self.settlePoll : wait)
        }

        if case .signalFailed(let message) = block {
            run.status.markNotReady(generation: generation, reason: "SnapshotSignalFailed", message: message, now: now)
            return .requeue(after: Self.signalRetry)
        }

        if all.allSatisfy({ $0.status == .true }) {
            // Healthy long enough after the last restart: the restart budget is whole again.
            if let count = run.status.restartCount, count > 0 {
                let window = CDCConnectorDecision.duration(spec.autoRestart.initialBackoff, fallback: .seconds(30))
                let since = run.status.lastRestartTime?.date ?? now.date
                if now.date.timeIntervalSince(since) >= Double(window.components.seconds) {
                    run.status.restartCount = 0
                }
            }
            let message = all.map(\.message).joined(separator: "; ")
            run.status.markReady(generation: generation, reason: sourceState.reason, message: truncated(message), now: now)
            return .requeue(after: jittered(settings.pollInterval))
        }
        let waiting = all.first { $0.status != .true }!
        run.status.markReconciling(generation: generation, reason: StandardReason.progressing, message: truncated(waiting.message), now: now)
        if acted { return .requeue(after: .seconds(2)) }
        // Settling for long (no worker takes the tasks): look less often, up to the poll interval.
        let since = run.status.condition(StandardCondition.reconciling)?.lastTransitionTime.date ?? now.date
        return .requeue(after: now.date.timeIntervalSince(since) < 60 ? Self.settlePoll : min(settings.pollInterval, .seconds(30)))
    }

    struct StateSummary {
        var status: ConditionStatus
        var reason: String
        var message: String
        var failed: Bool
    }

    private func describeState(of rendered: RenderedConnector, observed: ObservedConnector?, target: KafkaConnectState) -> StateSummary {
        typealias Reason = CDCConnector.Reason
        let name = rendered.name
        guard let observed, observed.exists else {
            return StateSummary(status: .false, reason: StandardReason.progressing, message: "connector \(name) is not created yet", failed: false)
        }
        guard let state = observed.state else {
            return StateSummary(
                status: .false, reason: StandardReason.progressing,
                message: "connector \(name) exists; Kafka Connect reports no state for it yet, waiting for \(target.rawValue)", failed: false)
        }
        if state.connector.state == .failed {
            let trace = state.connector.trace.map { ": " + Self.firstLine($0) } ?? ""
            return StateSummary(status: .false, reason: Reason.connectorFailed, message: "connector \(name) failed\(trace)", failed: true)
        }
        if let task = state.tasks.first(where: { $0.state == .failed }) {
            let trace = task.trace.map { ": " + Self.firstLine($0) } ?? ""
            return StateSummary(status: .false, reason: Reason.taskFailed, message: "task \(task.id) of connector \(name) failed\(trace)", failed: true)
        }
        if observed.settled(in: target) {
            let reason: String
            switch target {
            case .paused: reason = Reason.paused
            case .stopped: reason = Reason.stopped
            default: reason = Reason.running
            }
            let where_ = state.connector.workerID.map { " on \($0)" } ?? ""
            let tasks = target == .running ? " with \(state.tasks.count) task(s)" : ""
            return StateSummary(status: .true, reason: reason, message: "connector \(name) is \(target.rawValue)\(tasks)\(where_)", failed: false)
        }
        let tasks = state.tasks.isEmpty ? "no tasks yet" : state.tasks.map { "task \($0.id) \($0.state.rawValue)" }.joined(separator: ", ")
        return StateSummary(
            status: .false, reason: StandardReason.progressing,
            message: "connector \(name) is \(state.connector.state.rawValue) (\(tasks)), waiting for \(target.rawValue)", failed: false)
    }

    private func summarizePlan(
        _ object: CDCConnector, plan: CDCConnectorPlan, desired: [RenderedConnector], observed: [String: ObservedConnector],
        run: inout Run
    ) -> ReconcileResult {
        frame.summarizePlan(changes: plan.actions.count, run: &run)
        return .requeue(after: jittered(settings.pollInterval))
    }

    private func markBackendError(_ error: KafkaConnectError, run: inout Run) {
        let reason: String
        switch error.kind {
        case .unauthorized, .forbidden: reason = StandardReason.authenticationFailed
        case .rebalancing: reason = CDCConnector.Reason.rebalancing
        default: reason = StandardReason.backendUnavailable
        }
        run.status.markNotReady(generation: run.generation, reason: reason, message: truncated(error.description), now: run.now)
    }

    private func jittered(_ interval: Duration) -> Duration {
        let milliseconds = Double(interval.components.seconds) * 1000 + Double(interval.components.attoseconds) / 1e15
        return .milliseconds(Int64(milliseconds * Double.random(in: 0.9...1.1)))
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func simpleName(_ className: String) -> String {
        String(className.split(separator: ".").last ?? Substring(className))
    }

    static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds < 10 ? String(format: "%.1fs", seconds) : "\(Int(seconds.rounded()))s"
    }

    // MARK: Inputs

    /// `sha256:<hex>` over the referenced Secrets' resourceVersions. With the
    /// Kubernetes Secret config provider, a missing Secret or key is an error: the
    /// connector could not start.
    private func referencedSecretsVersion(_ object: CDCConnector) async throws -> String {
        var versions: [String] = []
        let checkExistence: Bool
        if case .kubernetesSecret = settings.render.secretReferences { checkExistence = true } else { checkExistence = false }
        for use in CDCConnectorRendering.secretUses(of: object, settings: settings.render) {
            let (namespace, name, key) = (use.secret.namespace, use.secret.name, use.key)
            let secret = await secrets.secrets.get("\(namespace)/\(name)")
            if checkExistence {
                guard let secret else {
                    throw MissingSecretError(field: use.field, namespace: namespace, name: name, key: key, secretExists: false)
                }
                guard secret.data?[key] != nil || secret.stringData?[key] != nil else {
                    throw MissingSecretError(field: use.field, namespace: namespace, name: name, key: key, secretExists: true)
                }
            }
            versions.append("\(namespace)/\(name)=\(secret?.metadata.resourceVersion ?? "absent")")
        }
        return "sha256:" + SHA256Hex.hex(Set(versions).sorted().joined(separator: "\n"))
    }

    private func snapshotSignal(_ object: CDCConnector, connector name: String, tables: [String]) async throws -> SnapshotSignal {
        let spec = object.spec
        let namespace = object.namespace ?? "default"
        let password = try await secrets.value(spec.database.passwordSecretRef, namespace: namespace, field: "spec.database.passwordSecretRef")
        var caPEM: String?
        if let ca = spec.database.tls?.caSecretRef {
            caPEM = try await secrets.value(ca, namespace: namespace, field: "spec.database.tls.caSecretRef")
        }
        return SnapshotSignal(
            connector: name, host: spec.database.host, port: spec.database.effectivePort(for: spec.engine),
            database: spec.database.name ?? "", user: spec.database.user, password: password,
            sslMode: (spec.database.tls?.mode ?? .prefer).postgresValue, caPEM: caPEM, signalTable: spec.postgres?.signalTable ?? "",
            tables: tables, id: "hmco-\(object.metadata.uid ?? name)-\(object.metadata.generation ?? 0)")
    }

    private func target(for object: CDCConnector) async throws -> BackendTarget {
        try await secrets.target(
            object.spec.kafkaConnect, field: "spec.kafkaConnect", namespace: object.namespace ?? "default",
            defaults: settings.defaults, configKey: "kafkaConnect", operatorNamespace: operatorNamespace)
    }

    // MARK: Deletion

    /// The connectors this object may have made: the rendered names and those in status.
    static func connectorNames(_ object: CDCConnector) -> [String] {
        let namespace = object.namespace ?? "default"
        var names = [CDCConnectorRendering.sourceConnectorName(namespace: namespace, name: object.name)]
        if object.spec.sinks?.iceberg != nil {
            names.append(CDCConnectorRendering.sinkConnectorName(namespace: namespace, name: object.name, sink: .iceberg))
        }
        if object.spec.sinks?.clickHouse != nil {
            names.append(CDCConnectorRendering.sinkConnectorName(namespace: namespace, name: object.name, sink: .clickHouse))
        }
        for name in [object.status?.connectorName].compactMap({ $0 }) + (object.status?.sinkConnectors ?? []).map(\.name) where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    private func cleanup(_ object: CDCConnector) async throws -> ReconcileResult {
        let spec = object.spec
        let finalizers = Finalizers(client: frame.client)
        guard spec.deletionPolicy == .delete, spec.mode == .apply else {
            if spec.deletionPolicy == .retain, object.status?.connectorName != nil {
                await recorder.record(
                    .normal, reason: "ConnectorsRetained", action: "Delete",
                    note: "deletionPolicy is Retain: connectors \(Self.connectorNames(object).joined(separator: ", ")) stay in Kafka Connect",
                    regarding: object)
            }
            try await finalizers.remove(PlatformAPIGroup.finalizer, from: CDCConnector.resource, metadata: object.metadata)
            return .done
        }
        let run = Run(object: object)
        do {
            let connect = try connector.client(for: try await target(for: object))
            let rendered = (try? CDCConnectorRendering.render(object, settings: settings.render)) ?? []
            for name in Self.connectorNames(object) {
                if try await connect.deleteConnector(name) {
                    await recorder.record(.normal, reason: "ConnectorDeleted", action: "DeleteConnector", note: "deleted connector \(name)", regarding: object)
                    if let connector = rendered.first(where: { $0.name == name }) {
                        await reportLineage(.complete, connector: connector, object: object)
                    }
                }
            }
            try await finalizers.remove(PlatformAPIGroup.finalizer, from: CDCConnector.resource, metadata: object.metadata)
            return .done
        } catch let error as KafkaConnectError {
            try await frame.deletionFailed(
                error, message: truncated("cannot delete the connectors yet: \(error.description)"), object: object, run: run)
        } catch let error as MissingSecretError {
            return try await frame.deletionAwaitsSecret(error, deleting: "the connectors", object: object, run: run)
        } catch let error as BackendNotConfigured {
            var run = run
            run.status.markStalled(generation: run.generation, reason: BackendNotConfigured.reason, message: error.message, now: run.now)
            try await frame.writeStatus(run.status, of: object)
            return .done
        }
    }
}
