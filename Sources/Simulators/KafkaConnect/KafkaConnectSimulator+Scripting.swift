extension KafkaConnectSimulator {
    // MARK: Reading

    /// Every connector's name, sorted.
    public func connectorNames() -> [String] { store.read { $0.connectors.keys.sorted() } }

    /// A connector's raw config (placeholders as written), or `nil` when it does not exist.
    public func config(of name: String) -> [String: String]? { store.read { $0.connectors[name]?.config } }

    /// A connector's status as `GET …/status` would show it now, without counting as a status read.
    public func status(of name: String) -> ConnectorStatus? { store.read { $0.connectors[name]?.status } }

    /// A connector's committed offsets, or `nil` when it does not exist.
    public func offsets(of name: String) -> [Offset]? { store.read { $0.connectors[name]?.offsets } }

    /// The topics a connector's running tasks have used since the last reset.
    public func activeTopics(of name: String) -> [String] { store.read { $0.connectors[name]?.activeTopics ?? [] } }

    // MARK: Counters

    /// Successful restart requests over HTTP (`POST …/restart` and `POST …/tasks/{id}/restart`)
    /// for a connector name; kept across deletion.
    public func restartCount(of name: String) -> Int { store.read { $0.counters[name]?.restarts ?? 0 } }

    /// Successful config writes over HTTP (POST create, PUT and PATCH config) for a connector
    /// name, including writes that changed nothing; kept across deletion.
    public func configWriteCount(of name: String) -> Int { store.read { $0.counters[name]?.configWrites ?? 0 } }

    /// Config writes over HTTP that updated an existing, not stopped connector — each one
    /// restarted all its tasks, as real Connect does even when the config did not change.
    public func taskRestartsFromConfigWrites(of name: String) -> Int {
        store.read { $0.counters[name]?.taskRestartsFromConfigWrites ?? 0 }
    }

    // MARK: Failures

    /// A Java-like stack trace such as Connect puts in `trace`.
    public static func javaTrace(
        _ message: String, exception: String = "org.apache.kafka.connect.errors.ConnectException"
    ) -> String {
        """
        \(exception): \(message)
        \tat org.apache.kafka.connect.runtime.WorkerTask.doRun(WorkerTask.java:234)
        \tat org.apache.kafka.connect.runtime.WorkerTask.run(WorkerTask.java:271)
        \tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)
        \tat java.base/java.lang.Thread.run(Thread.java:1583)

        """
    }

    /// The trace used when a script gives none.
    public static let defaultTrace = javaTrace("Simulated task failure")

    /// Fails a task now: it shows `FAILED` with `trace` until restarted.
    ///
    /// - Throws: 404 when the connector or the task does not exist.
    public func failTask(
        connector: String, task: Int, trace: String = defaultTrace
    )
        throws(KafkaConnectSimulatorError)
    {
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(connector, missing: .connectorNotFound(connector)) {
                record, _ throws(KafkaConnectSimulatorError) in try record.failTask(task, trace: trace)
            }
        }
    }

    /// Makes the next `count` task starts of a connector end `FAILED` with `trace`: starts on
    /// create, resume, config writes and restarts alike, so restarts can keep failing. The
    /// connector need not exist yet.
    public func failNextTaskStarts(connector: String, count: Int, trace: String = defaultTrace) {
        store.write { state in
            state.runtime.taskFailures[connector] =
                count > 0 ? ConnectRuntime.ScriptedFailures(remaining: count, trace: trace) : nil
        }
    }

    /// Fails a connector instance now (its tasks keep their state), until it is restarted or reconfigured.
    ///
    /// - Throws: 404 when the connector does not exist.
    public func failConnector(_ name: String, trace: String = defaultTrace) throws(KafkaConnectSimulatorError) {
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .connectorNotFound(name)) { record, _ in record.failConnector(trace: trace)
            }
        }
    }

    /// Starts a rebalance: the next `requests` writes and status reads over HTTP answer 409
    /// with Connect's "no known leader URL" message, then requests succeed again.
    public func beginRebalance(requests: Int) {
        store.write { $0.rebalanceRemaining = max(requests, 0) }
    }

    /// Requests a running rebalance will still answer 409.
    public var pendingRebalanceRequests: Int { store.read { $0.rebalanceRemaining } }

    /// What `GET /health` answers from now on.
    public func setHealth(_ health: Health) { store.write { $0.health = health } }

    // MARK: Drift

    /// Writes a connector's config as someone outside the operator would, without
    /// validation or counting: creates it (running) or reconfigures it (restarting its tasks).
    ///
    /// - Throws: 400 when `connector.class` is missing or names no installed plugin.
    public func setConfigOutOfBand(_ name: String, config: [String: String]) throws(KafkaConnectSimulatorError) {
        try store.write { state throws(KafkaConnectSimulatorError) in
            guard let className = config["connector.class"] else {
                throw .badRequest("Connector config contains no connector type")
            }
            let plugin = try state.connectorPlugin(className)
            var named = config
            named["name"] = named["name"] ?? name
            _ = state.put(name, config: named, plugin: plugin, initialState: .running, countAsWrite: false)
        }
    }

    /// Moves a connector to a target state as someone outside the operator would (pause, resume or stop).
    ///
    /// - Throws: 404 when the connector does not exist.
    public func setTargetStateOutOfBand(_ name: String, _ target: TargetState) throws(KafkaConnectSimulatorError) {
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .connectorNotFound(name)) { record, runtime in
                switch target {
                case .running: record.resume(runtime: &runtime)
                case .paused: record.pause(runtime: &runtime)
                case .stopped: record.stop()
                }
            }
        }
    }

    /// Deletes a connector as someone outside the operator would; `false` when there was none.
    @discardableResult
    public func deleteOutOfBand(_ name: String) -> Bool {
        store.write { state in
            do {
                try state.delete(name)
                return true
            } catch {
                return false
            }
        }
    }

    /// Replaces a connector's committed offsets, as its tasks would have committed them.
    ///
    /// - Throws: 404 when the connector does not exist.
    public func setOffsets(_ offsets: [Offset], of name: String) throws(KafkaConnectSimulatorError) {
        try store.write { state throws(KafkaConnectSimulatorError) in
            try state.update(name, missing: .connectorNotFound(name)) { record, _ in record.offsets = offsets }
        }
    }
}
