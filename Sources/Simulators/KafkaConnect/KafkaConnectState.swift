import Synchronization

/// Everything the simulated cluster knows: connectors, installed plugins, scripts and counters.
struct KafkaConnectState: Sendable {
    typealias Plugin = KafkaConnectSimulator.Plugin

    /// What the tests count per connector name; kept across deletion.
    struct Counters: Sendable {
        var restarts = 0
        var configWrites = 0
        var taskRestartsFromConfigWrites = 0
    }

    let plugins: [Plugin]
    var connectors: [String: ConnectorRecord] = [:]
    var runtime: ConnectRuntime
    var counters: [String: Counters] = [:]
    /// Offsets outlive their connector in Connect's offsets topic; a connector created
    /// again under the same name finds them.
    var retainedOffsets: [String: [KafkaConnectSimulator.Offset]] = [:]
    /// Requests still to be answered 409 because of a rebalance.
    var rebalanceRemaining = 0
    var health: KafkaConnectSimulator.Health = .healthy

    init(configuration: KafkaConnectSimulator.Configuration) {
        plugins = configuration.plugins
        runtime = ConnectRuntime(workerIDs: configuration.workerIDs, settling: configuration.settling)
    }

    // MARK: Plugins

    /// A plugin by fully-qualified class name, simple name or simple name without the
    /// `Connector` suffix — an alias only when it names one plugin, as Connect's aliases do.
    func plugin(named name: String) -> Plugin? {
        if let exact = plugins.first(where: { $0.className == name }) { return exact }
        for alias in [{ (plugin: Plugin) in plugin.simpleName }, { Self.pruned($0.simpleName) }] {
            let matches = plugins.filter { alias($0) == name }
            if matches.count == 1 { return matches[0] }
        }
        return nil
    }

    /// A plugin for a `connector.class` value, or Connect's 400 when none matches.
    func connectorPlugin(_ className: String) throws(KafkaConnectSimulatorError) -> Plugin {
        guard let plugin = plugin(named: className) else {
            throw .badRequest(
                "Failed to find any class that implements Connector and which name matches \(className), "
                    + "available connectors are: \(plugins.map(\.className).joined(separator: ", "))")
        }
        return plugin
    }

    /// `PostgresConnector` → `Postgres`, as Connect's pruned aliases.
    static func pruned(_ name: String) -> String {
        name.hasSuffix("Connector") && name.count > "Connector".count ? String(name.dropLast("Connector".count)) : name
    }

    // MARK: Connectors

    func connector(
        _ name: String, missing: KafkaConnectSimulatorError
    ) throws(KafkaConnectSimulatorError)
        -> ConnectorRecord
    {
        guard let record = connectors[name] else { throw missing }
        return record
    }

    /// Runs `body` on a connector in place, with the cluster's runtime.
    mutating func update<Value>(
        _ name: String, missing: KafkaConnectSimulatorError,
        _ body: (inout ConnectorRecord, inout ConnectRuntime) throws(KafkaConnectSimulatorError) -> Value
    ) throws(KafkaConnectSimulatorError) -> Value {
        guard var record = connectors.removeValue(forKey: name) else { throw missing }
        defer { connectors[name] = record }
        return try body(&record, &runtime)
    }

    /// Creates or reconfigures a connector from a config already validated (or arranged
    /// out of band); `countAsWrite` marks a write over HTTP, which the counters record.
    /// Returns whether it was created.
    mutating func put(
        _ name: String, config: [String: String], plugin: Plugin, initialState: KafkaConnectSimulator.TargetState,
        countAsWrite: Bool
    ) -> Bool {
        let created: Bool
        if var record = connectors.removeValue(forKey: name) {
            let restartedTasks = record.reconfigure(config, plugin: plugin, runtime: &runtime)
            connectors[name] = record
            if countAsWrite, restartedTasks { counters[name, default: Counters()].taskRestartsFromConfigWrites += 1 }
            created = false
        } else {
            connectors[name] = ConnectorRecord(
                name: name, config: config, plugin: plugin, target: initialState,
                offsets: retainedOffsets.removeValue(forKey: name) ?? [], runtime: &runtime)
            created = true
        }
        if countAsWrite { counters[name, default: Counters()].configWrites += 1 }
        return created
    }

    mutating func delete(_ name: String) throws(KafkaConnectSimulatorError) {
        guard let record = connectors.removeValue(forKey: name) else { throw .connectorNotFound(name) }
        if !record.offsets.isEmpty { retainedOffsets[name] = record.offsets }
    }

    /// Whether a request is caught by a rebalance, consuming one of its requests.
    mutating func consumeRebalance() -> Bool {
        guard rebalanceRemaining > 0 else { return false }
        rebalanceRemaining -= 1
        return true
    }
}

/// The simulator's state behind one lock, shared by the HTTP handlers and the Swift API.
///
/// Every operation is synchronous and short, so a `Mutex` fits better than an actor:
/// tests arrange state without `await`, and the HTTP side never waits on a hop.
final class KafkaConnectStore: Sendable {
    private let state: Mutex<KafkaConnectState>

    init(configuration: KafkaConnectSimulator.Configuration) {
        state = Mutex(KafkaConnectState(configuration: configuration))
    }

    func read<Value: Sendable, Failure: Error>(
        _ body: (KafkaConnectState) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        try state.withLock { (state) throws(Failure) -> Value in try body(state) }
    }

    func write<Value: Sendable, Failure: Error>(
        _ body: (inout KafkaConnectState) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        try state.withLock { (state) throws(Failure) -> Value in try body(&state) }
    }
}
