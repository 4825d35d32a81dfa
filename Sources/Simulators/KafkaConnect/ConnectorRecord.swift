/// A connector or task instance: its state, the worker it runs on and, when failed, a trace.
struct InstanceRecord: Sendable, Hashable {
    var state: KafkaConnectSimulator.State
    var workerID: String
    var trace: String?
}

struct TaskRecord: Sendable, Hashable {
    var id: Int
    var instance: InstanceRecord
    /// Whether the task ever ran; a task created paused starts (and may fail) on resume.
    var started = false
}

/// What `/status` shows instead of the settled states for the next few status reads,
/// modelling the lag of Connect's status topic behind a rebalance.
struct PendingView: Sendable, Hashable {
    var reads: Int
    var connector: KafkaConnectSimulator.State?
    var tasks: [Int: KafkaConnectSimulator.State] = [:]
    /// New tasks are not listed at all until assigned.
    var hideTasks = false
}

/// What a connector's lifecycle needs from the cluster: workers to assign, scripted task
/// failures to consume and how changes settle.
struct ConnectRuntime: Sendable {
    struct ScriptedFailures: Sendable {
        var remaining: Int
        var trace: String
    }

    let workerIDs: [String]
    let settling: KafkaConnectSimulator.Settling
    var nextWorker = 0
    var taskFailures: [String: ScriptedFailures] = [:]

    mutating func assignWorker() -> String {
        defer { nextWorker += 1 }
        return workerIDs[nextWorker % workerIDs.count]
    }

    /// The trace of the next scripted failure for a connector's task starts, consuming it.
    mutating func takeTaskFailure(_ connector: String) -> String? {
        guard var failures = taskFailures[connector], failures.remaining > 0 else { return nil }
        failures.remaining -= 1
        taskFailures[connector] = failures.remaining > 0 ? failures : nil
        return failures.trace
    }

    /// How many status reads a change stays unsettled; `nil` when changes settle at once.
    var pendingReads: Int? {
        if case .afterStatusReads(let reads) = settling, reads > 0 { return reads }
        return nil
    }
}

/// One connector: raw config, target state, connector and task instances, offsets and topics.
struct ConnectorRecord: Sendable {
    typealias State = KafkaConnectSimulator.State
    typealias TargetState = KafkaConnectSimulator.TargetState

    var name: String
    /// Exactly as written, placeholders included.
    var config: [String: String]
    var plugin: KafkaConnectSimulator.Plugin
    var target: TargetState
    var connector: InstanceRecord
    var tasks: [TaskRecord] = []
    var pending: PendingView?
    var offsets: [KafkaConnectSimulator.Offset]
    var activeTopics: [String] = []

    /// A new connector, started under `target`.
    init(
        name: String, config: [String: String], plugin: KafkaConnectSimulator.Plugin, target: TargetState,
        offsets: [KafkaConnectSimulator.Offset], runtime: inout ConnectRuntime
    ) {
        self.name = name
        self.config = config
        self.plugin = plugin
        self.target = target
        self.offsets = offsets
        connector = InstanceRecord(state: target.instanceState, workerID: runtime.assignWorker())
        rebuildTasks(&runtime)
        if target == .running, let reads = runtime.pendingReads {
            pending = PendingView(reads: reads, connector: .unassigned, hideTasks: true)
        }
    }

    // MARK: Views

    /// The instances' states, without the pending overlay: Connect's status store.
    var settledStatus: KafkaConnectSimulator.ConnectorStatus {
        KafkaConnectSimulator.ConnectorStatus(
            name: name, type: plugin.type, target: target, state: connector.state, workerID: connector.workerID,
            trace: connector.trace,
            tasks: tasks.map {
                KafkaConnectSimulator.TaskStatus(
                    id: $0.id, state: $0.instance.state, workerID: $0.instance.workerID, trace: $0.instance.trace)
            })
    }

    /// What `/status` shows now.
    var status: KafkaConnectSimulator.ConnectorStatus {
        var status = settledStatus
        guard let pending else { return status }
        if let shown = pending.connector {
            status.state = shown
            if shown != .restarting { status.trace = nil }
        }
        if pending.hideTasks {
            status.tasks = []
        } else {
            for index in status.tasks.indices {
                guard let shown = pending.tasks[status.tasks[index].id] else { continue }
                status.tasks[index].state = shown
                if shown != .restarting { status.tasks[index].trace = nil }
            }
        }
        return status
    }

    /// Task ids as `ConnectorInfo` and `GET …/tasks` list them.
    var visibleTaskIDs: [Int] { pending?.hideTasks == true ? [] : tasks.map(\.id) }

    /// One status read: the current view, bringing the pending overlay one read closer to settling.
    mutating func readStatus() -> KafkaConnectSimulator.ConnectorStatus {
        let shown = status
        if var view = pending {
            view.reads -= 1
            pending = view.reads > 0 ? view : nil
        }
        return shown
    }

    // MARK: Transitions

    /// A config write: like Connect, the connector and every task restart, even when nothing changed.
    /// Returns whether tasks were restarted.
    mutating func reconfigure(
        _ config: [String: String], plugin: KafkaConnectSimulator.Plugin, runtime: inout ConnectRuntime
    ) -> Bool {
        self.config = config
        self.plugin = plugin
        connector.state = target.instanceState
        connector.trace = nil
        pending = nil
        rebuildTasks(&runtime)
        return target != .stopped
    }

    mutating func pause(runtime: inout ConnectRuntime) {
        let previous = target
        target = .paused
        pending = nil
        if connector.state != .failed { setConnector(.paused) }
        if previous == .stopped {
            rebuildTasks(&runtime)
        } else {
            for index in tasks.indices where tasks[index].instance.state != .failed {
                tasks[index].instance.state = .paused
            }
        }
    }

    /// Resumes from PAUSED or STOPPED; failed instances stay failed, as in Connect.
    mutating func resume(runtime: inout ConnectRuntime) {
        guard target != .running else { return }
        let previous = target
        target = .running
        if connector.state != .failed { setConnector(.running) }
        if previous == .stopped {
            rebuildTasks(&runtime)
        } else {
            for index in tasks.indices where tasks[index].instance.state != .failed {
                if tasks[index].started {
                    tasks[index].instance.state = .running
                } else {
                    startTask(at: index, runtime: &runtime)
                }
            }
        }
        if let reads = runtime.pendingReads {
            pending = PendingView(
                reads: reads, connector: .unassigned,
                tasks: Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, State.unassigned) }),
                hideTasks: previous == .stopped)
        }
    }

    /// Shuts the tasks down and removes them; the connector stays defined.
    mutating func stop() {
        target = .stopped
        pending = nil
        setConnector(.stopped)
        tasks = []
    }

    /// `POST …/restart` without parameters: the connector instance only.
    mutating func restartConnector(runtime: inout ConnectRuntime) {
        setConnector(target.instanceState)
        pending = runtime.pendingReads.map { PendingView(reads: $0, connector: .restarting) }
    }

    /// `POST …/restart?includeTasks=…&onlyFailed=…`: restarts the chosen instances and returns
    /// the plan Connect answers with, the chosen instances shown `RESTARTING`.
    mutating func restart(
        includeTasks: Bool, onlyFailed: Bool, runtime: inout ConnectRuntime
    )
        -> KafkaConnectSimulator.ConnectorStatus
    {
        let restartsConnector = !onlyFailed || connector.state == .failed
        let taskIDs = includeTasks ? tasks.filter { !onlyFailed || $0.instance.state == .failed }.map(\.id) : []
        var plan = settledStatus
        if restartsConnector { plan.state = .restarting }
        for index in plan.tasks.indices where taskIDs.contains(plan.tasks[index].id) {
            plan.tasks[index].state = .restarting
        }

        if restartsConnector { setConnector(target.instanceState) }
        for index in tasks.indices where taskIDs.contains(tasks[index].id) {
            startTask(at: index, runtime: &runtime)
        }
        if let reads = runtime.pendingReads, restartsConnector || !taskIDs.isEmpty {
            pending = PendingView(
                reads: reads, connector: restartsConnector ? .restarting : nil,
                tasks: Dictionary(uniqueKeysWithValues: taskIDs.map { ($0, State.restarting) }))
        }
        return plan
    }

    /// `POST …/tasks/{id}/restart`.
    mutating func restartTask(_ id: Int, runtime: inout ConnectRuntime) throws(KafkaConnectSimulatorError) {
        guard let index = tasks.firstIndex(where: { $0.id == id }) else { throw .unknownTask(name, id) }
        pending = nil
        startTask(at: index, runtime: &runtime)
    }

    mutating func failTask(_ id: Int, trace: String) throws(KafkaConnectSimulatorError) {
        guard let index = tasks.firstIndex(where: { $0.id == id }) else { throw .unknownTask(name, id) }
        pending = nil
        tasks[index].instance.state = .failed
        tasks[index].instance.trace = trace
    }

    mutating func failConnector(trace: String) {
        pending = nil
        connector.state = .failed
        connector.trace = trace
    }

    // MARK: Tasks

    /// Regenerates the task set from the config (ids `0..<n`, n = min(tasks.max, the plugin's
    /// maximum)) and starts every task; a task keeps its worker across regenerations.
    private mutating func rebuildTasks(_ runtime: inout ConnectRuntime) {
        guard target != .stopped else {
            tasks = []
            return
        }
        let requested = max(Int(config["tasks.max"]?.trimmingCharacters(in: .whitespaces) ?? "1") ?? 1, 1)
        let count = min(requested, plugin.maxTasks ?? requested)
        let previous = tasks
        tasks = (0..<count).map { id in
            let worker = previous.first { $0.id == id }?.instance.workerID ?? runtime.assignWorker()
            return TaskRecord(id: id, instance: InstanceRecord(state: .unassigned, workerID: worker))
        }
        for index in tasks.indices { startTask(at: index, runtime: &runtime) }
    }

    /// Starts a task under the target state: paused tasks wait; running ones may hit a scripted failure.
    private mutating func startTask(at index: Int, runtime: inout ConnectRuntime) {
        tasks[index].instance.trace = nil
        switch target {
        case .paused:
            tasks[index].instance.state = .paused
        case .stopped:
            tasks[index].instance.state = .stopped
        case .running:
            tasks[index].started = true
            if let trace = runtime.takeTaskFailure(name) {
                tasks[index].instance.state = .failed
                tasks[index].instance.trace = trace
            } else {
                tasks[index].instance.state = .running
                recordActiveTopics()
            }
        }
    }

    private mutating func setConnector(_ state: State) {
        connector.state = state
        connector.trace = nil
    }

    /// The topics a running task uses: a sink's `topics`; a Debezium source's
    /// `<topic.prefix>.<table>` for each literal table in `table.include.list`.
    private mutating func recordActiveTopics() {
        let config = config
        let list = { (key: String) in
            (config[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        var topics: [String] = []
        switch plugin.type {
        case .sink:
            topics = list("topics")
        case .source:
            let literal = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-$")
            if let prefix = config["topic.prefix"], !prefix.isEmpty {
                topics = list("table.include.list").filter { $0.allSatisfy(literal.contains) }.map { "\(prefix).\($0)" }
            }
        }
        activeTopics = Array(Set(activeTopics).union(topics)).sorted()
    }
}
