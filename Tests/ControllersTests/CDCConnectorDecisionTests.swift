import Controllers
import Foundation
import KafkaConnect
import KubeAPI
import PlatformAPI
import Testing

/// The pure decisions of a CDCConnector reconcile, as tables.
@Suite("CDCConnector decisions")
struct CDCConnectorDecisionTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func object(
        generation: Int64 = 1, change: (inout CDCConnectorSpec) -> Void = { _ in },
        status: (inout CDCConnectorStatus) -> Void = { _ in }
    ) -> CDCConnector {
        var spec = CDCConnectorSpec(
            engine: .postgres,
            database: SourceDatabase(host: "db", name: "shop", user: "dbz", passwordSecretRef: SecretKeySelector(name: "db", key: "password")),
            tables: ["public.orders"], topicPrefix: "shop",
            autoRestart: AutoRestartPolicy(enabled: true, maxRestarts: 3, initialBackoff: "30s", maxBackoff: "10m"))
        change(&spec)
        var value = CDCConnectorStatus()
        value.observedGeneration = 1
        status(&value)
        var metadata = ObjectMeta(name: "orders", namespace: "data")
        metadata.generation = generation
        return CDCConnector(metadata: metadata, spec: spec, status: value)
    }

    static let source = RenderedConnector(
        name: "data.orders", role: .source, pluginClass: "io.debezium.connector.postgresql.PostgresConnector",
        config: ["name": "data.orders", "topic.prefix": "shop", "table.include.list": "public\\.orders"])
    static let sink = RenderedConnector(
        name: "data.orders.iceberg", role: .sink(.iceberg), pluginClass: "io.tabular.iceberg.connect.IcebergSinkConnector",
        config: ["name": "data.orders.iceberg", "topics": "shop.public.orders"])

    static func live(
        _ connector: RenderedConnector, _ state: KafkaConnectState = .running, tasks: [KafkaConnectState] = [.running],
        config: [String: String]? = nil
    ) -> ObservedConnector {
        ObservedConnector(
            config: config ?? connector.config,
            state: KafkaConnectorStateInfo(
                name: connector.name, connector: KafkaConnectorInstanceState(state: state, workerID: "w1"),
                tasks: tasks.enumerated().map { KafkaTaskState(id: $0.offset, state: $0.element, workerID: "w1", trace: $0.element == .failed ? "boom" : nil) }))
    }

    static func plan(
        _ object: CDCConnector, _ observed: [String: ObservedConnector], desired: [RenderedConnector] = [source],
        stale: [String] = [], secrets: String? = "v1"
    ) -> CDCConnectorPlan {
        CDCConnectorDecision.plan(object, desired: desired, observed: observed, stale: stale, secretsVersion: secrets, now: now)
    }

    @Test("nothing in Kafka Connect: create the source, then the sink, in the desired state")
    func createsAll() {
        let plan = Self.plan(Self.object { $0.state = .paused }, [:], desired: [Self.source, Self.sink])
        #expect(plan.actions == [
            .create(Self.source, initialState: .paused, recreate: false), .create(Self.sink, initialState: .paused, recreate: false),
        ])
    }

    @Test("a converged connector: nothing to do")
    func converged() {
        let plan = Self.plan(Self.object(), [Self.source.name: Self.live(Self.source)])
        #expect(plan.actions.isEmpty)
        #expect(plan.restartWait == nil && !plan.restartBlocked)
    }

    @Test("config differences: an update listing the keys; drift only when the spec did not change", arguments: [
        (generation: Int64(2), drift: false), (generation: Int64(1), drift: true),
    ])
    func update(generation: Int64, drift: Bool) {
        var liveConfig = Self.source.config
        liveConfig["snapshot.mode"] = "no_data"
        liveConfig["topic.prefix"] = "other"
        let object = Self.object(generation: generation) { _ in } status: { $0.configHash = "sha256:x" }
        let plan = Self.plan(object, [Self.source.name: Self.live(Self.source, config: liveConfig)])
        #expect(plan.actions == [.update(Self.source, changedKeys: ["snapshot.mode", "topic.prefix"], drift: drift)])
    }

    @Test("desired state against the observed one", arguments: [
        (ConnectorDesiredState.running, KafkaConnectState.running, nil as String?),
        (.running, .paused, "resume"), (.running, .stopped, "resume"),
        (.paused, .running, "pause"), (.paused, .paused, nil), (.paused, .stopped, "pause"),
        (.stopped, .running, "stop"), (.stopped, .paused, "stop"), (.stopped, .stopped, nil),
    ])
    func states(desired: ConnectorDesiredState, observed: KafkaConnectState, expected: String?) {
        let plan = Self.plan(Self.object { $0.state = desired }, [Self.source.name: Self.live(Self.source, observed, tasks: [observed])])
        let name = Self.source.name
        let action: CDCConnectorAction? = switch expected {
        case "resume": .resume(name: name)
        case "pause": .pause(name: name)
        case "stop": .stop(name: name)
        default: nil
        }
        #expect(plan.actions == (action.map { [$0] } ?? []))
    }

    @Test("a failure seen now waits initialBackoff; once due it restarts; the limit or a disabled policy blocks")
    func autoRestart() {
        let failed = [Self.source.name: Self.live(Self.source, tasks: [.failed])]
        let justSeen = Self.plan(Self.object { _ in } status: {
            $0.lastError = ConnectorError(connector: Self.source.name, message: "boom", time: Time(Self.now))
        }, failed)
        #expect(justSeen.actions.isEmpty)
        #expect(justSeen.restartWait == .seconds(30))

        let due = Self.plan(Self.object { _ in } status: {
            $0.lastError = ConnectorError(connector: Self.source.name, message: "boom", time: Time(Self.now.addingTimeInterval(-31)))
        }, failed)
        #expect(due.actions == [.restart(name: Self.source.name, cause: .autoRestart(attempt: 1))])

        // After two restarts the third waits 30s · 2² = 120s from the last restart.
        let third = Self.plan(Self.object { _ in } status: {
            $0.restartCount = 2
            $0.lastRestartTime = Time(Self.now.addingTimeInterval(-100))
            $0.lastError = ConnectorError(connector: Self.source.name, message: "boom", time: Time(Self.now.addingTimeInterval(-500)))
        }, failed)
        #expect(third.actions.isEmpty)
        #expect(third.restartWait == .seconds(20))

        // A new failure long after the last restart waits its own backoff.
        let newEpisode = Self.plan(Self.object { _ in } status: {
            $0.lastRestartTime = Time(Self.now.addingTimeInterval(-3600))
            $0.lastError = ConnectorError(connector: Self.source.name, message: "boom", time: Time(Self.now.addingTimeInterval(-10)))
        }, failed)
        #expect(newEpisode.actions.isEmpty)
        #expect(newEpisode.restartWait == .seconds(20))

        let limit = Self.plan(Self.object { _ in } status: { $0.restartCount = 3 }, failed)
        #expect(limit.actions.isEmpty && limit.restartBlocked)

        let disabled = Self.plan(Self.object { $0.autoRestart.enabled = false }, failed)
        #expect(disabled.actions.isEmpty && disabled.restartBlocked)

        let paused = Self.plan(Self.object { $0.state = .paused }, [Self.source.name: Self.live(Self.source, .paused, tasks: [.failed])])
        #expect(paused.actions.isEmpty && !paused.restartBlocked, "no restarts while the spec wants it paused")
    }

    @Test("backoff doubles from initialBackoff up to maxBackoff", arguments: [
        (0, 30), (1, 60), (2, 120), (3, 240), (4, 480), (5, 600), (50, 600),
    ])
    func backoff(attempt: Int, seconds: Int64) {
        #expect(CDCConnectorDecision.backoff(attempt: attempt, initial: .seconds(30), max: .seconds(600)) == .seconds(seconds))
    }

    @Test("a restart request is carried out once per id, even past the restart limit")
    func restartRequest() {
        let request = ConnectorRestartRequest(id: "r1", includeTasks: true, onlyFailed: false)
        let observed = [Self.source.name: Self.live(Self.source, tasks: [.failed])]
        let pending = Self.plan(Self.object { $0.restartRequest = request } status: { $0.restartCount = 3 }, observed)
        #expect(pending.actions == [.restart(name: Self.source.name, cause: .request(id: "r1", includeTasks: true, onlyFailed: false))])

        let handled = Self.plan(Self.object { $0.restartRequest = request } status: {
            $0.recordHandled(HandledRequest(type: ConnectorRestartRequest.requestType, id: "r1", outcome: .succeeded, time: Time(Self.now)))
        }, [Self.source.name: Self.live(Self.source)])
        #expect(handled.actions.isEmpty)
    }

    @Test("a changed Secret version restarts every existing connector; the first version seen restarts nothing")
    func secretRotation() {
        let observed = [Self.source.name: Self.live(Self.source), Self.sink.name: Self.live(Self.sink)]
        let rotated = Self.plan(Self.object { _ in } status: { $0.secretsVersion = "v0" }, observed, desired: [Self.source, Self.sink])
        #expect(rotated.actions == [
            .restart(name: Self.source.name, cause: .secretRotation), .restart(name: Self.sink.name, cause: .secretRotation),
        ])
        let first = Self.plan(Self.object(), observed, desired: [Self.source, Self.sink])
        #expect(first.actions.isEmpty)
    }

    @Test("tables added to a running Postgres source are signalled when the spec asks, only those")
    func snapshotSignal() {
        let observed = [Self.source.name: Self.live(Self.source)]
        let object = Self.object {
            $0.tables = ["public.orders", "public.refunds"]
            $0.snapshot.incrementalOnNewTables = true
        } status: { $0.capturedTables = ["public.orders"] }
        #expect(Self.plan(object, observed).actions == [.signalSnapshot(name: Self.source.name, tables: ["public.refunds"])])

        var off = object
        off.spec.snapshot.incrementalOnNewTables = false
        #expect(Self.plan(off, observed).actions.isEmpty)

        var fresh = object
        fresh.status?.capturedTables = nil
        #expect(Self.plan(fresh, observed).actions.isEmpty, "a new connector's initial snapshot covers every table")
    }

    @Test("stale sinks are deleted first; a connector deleted outside is created again as drift")
    func staleAndRecreate() {
        let object = Self.object { _ in } status: {
            $0.connectorName = Self.source.name
            $0.configHash = "sha256:x"
        }
        let plan = Self.plan(object, [:], stale: ["data.orders.clickhouse"])
        #expect(plan.actions == [
            .deleteStale(name: "data.orders.clickhouse"), .create(Self.source, initialState: .running, recreate: true),
        ])
    }

    @Test("Plan entries name the exact calls")
    func plannedCalls() {
        let calls = CDCConnectorAction.create(Self.source, initialState: .running, recreate: false).planned.compactMap(\.call)
        #expect(calls == ["PUT /connector-plugins/io.debezium.connector.postgresql.PostgresConnector/config/validate", "POST /connectors"])
        #expect(CDCConnectorAction.restart(name: "a", cause: .autoRestart(attempt: 1)).planned.first?.call == "POST /connectors/a/restart?includeTasks=true&onlyFailed=true")
        #expect(CDCConnectorAction.update(Self.source, changedKeys: ["x"], drift: false).planned.last?.call == "PUT /connectors/data.orders/config")
    }
}
