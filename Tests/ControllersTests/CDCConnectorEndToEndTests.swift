import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// The CDCConnector controller against an API server and the Kafka Connect
/// simulator, both over HTTP, asserting what a user sees: status, conditions,
/// Events, and Kafka Connect itself.
@Suite("CDCConnector end to end")
struct CDCConnectorEndToEndTests {
    typealias Op = KafkaConnectSimulator.Operation
    typealias Reason = CDCConnector.Reason

    @Test("a new CDCConnector validates, creates the source and the sink, and reports their states")
    func creates() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.sinks = CDCConnectorWorld.icebergSink })

            let ready = try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let source = world.sourceName("orders")
            let sink = world.icebergName("orders")
            #expect(Set(world.connect.connectorNames()) == [source, sink])
            let config = try #require(world.connect.config(of: source))
            #expect(config["connector.class"] == "io.debezium.connector.postgresql.PostgresConnector")
            #expect(config["database.password"]?.hasPrefix("${") == true)
            #expect(!config.values.contains { $0.contains(CDCConnectorWorld.databasePassword) }, "no password in the configuration")
            #expect(ready.status?.connectorName == source)
            #expect(ready.status?.connectorState == "RUNNING")
            #expect(ready.status?.tasks?.map(\.state) == ["RUNNING"])
            #expect(ready.status?.topics == ["cdc.orders.public.orders"])
            #expect(ready.status?.capturedTables == ["public.orders"])
            #expect(ready.status?.configHash == CDCConnectorRendering.configHash(config))
            #expect(ready.status?.sinkConnectors?.map(\.name) == [sink])
            #expect(ready.status?.sinkConnectors?.first?.state == "RUNNING")
            #expect(ready.has("ConnectorRunning", .true, reason: Reason.running))
            #expect(ready.has("SinksRunning", .true))

            let operations = world.connect.requests.recent.compactMap(\.operation)
            let validate = try #require(operations.firstIndex(of: Op.validateConfigs))
            let create = try #require(operations.firstIndex(of: Op.createConnector))
            #expect(validate < create, "validated before creating: \(operations)")
            // One pass creates and sees both running: two config reads, two validations, two creates, two status reads.
            #expect(
                Array(operations.prefix(8)) == [
                    Op.getConnectorConfig, Op.getConnectorConfig, Op.validateConfigs, Op.createConnector, Op.validateConfigs,
                    Op.createConnector, Op.getConnectorStatus, Op.getConnectorStatus,
                ], "\(operations)")
            #expect(ready.status?.lastAppliedPlan?.actions.count == 4)
            let event = try await world.waitForEvent("orders", type: "Normal", reason: Reason.connectorCreated)
            #expect(event.note?.contains(source) == true || event.note?.contains(sink) == true)
        }
    }

    @Test("a connector whose tasks take a while to be assigned is Reconciling, then Ready without further writes")
    func settling() async throws {
        try await CDCConnectorWorld.with(settling: .afterStatusReads(3)) { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders"))
            let reconciling = try await world.waitFor("orders", "Reconciling") { $0.has("Reconciling", .true) }
            let message = reconciling.condition("Reconciling")?.message ?? ""
            #expect(message.contains("waiting for RUNNING"), "\(message)")
            try await world.waitFor("orders", "Ready=True", timeout: .seconds(30)) { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.connect.requestCount(Op.createConnector) == 1)
            #expect(world.connect.requestCount(Op.putConnectorConfig) == 0)
        }
    }

    @Test("resyncs of a converged connector write nothing to Kafka Connect")
    func resyncWritesNothing() async throws {
        try await CDCConnectorWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.sinks = CDCConnectorWorld.icebergSink })
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let writes = world.connect.configWriteCount(of: world.sourceName("orders"))
            let requestsBefore = world.connect.requests.counts
            try await world.forceReconciles("orders", count: 3, by: running)
            #expect(world.connect.configWriteCount(of: world.sourceName("orders")) == writes)
            #expect(world.connect.configWriteCount(of: world.icebergName("orders")) == 1)
            let after = world.connect.requests.counts
            for operation in [Op.putConnectorConfig, Op.createConnector, Op.restartConnector, Op.pauseConnector, Op.resumeConnector] {
                #expect(after[operation, default: 0] == requestsBefore[operation, default: 0], "\(operation)")
            }
            #expect(world.connect.taskRestartsFromConfigWrites(of: world.sourceName("orders")) == 0)
        }
    }

    @Test("a spec change is validated and PUT once; the tasks keep running")
    func configChange() async throws {
        try await CDCConnectorWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.cdc("orders"))
            let first = try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            try await world.updateSpec("orders") { $0.tables.append("public.order_lines") }
            let updated = try await world.waitFor("orders", "updated") {
                $0.has("Ready", .true) && $0.isCurrent && $0.status?.capturedTables?.count == 2
            }
            let config = try #require(world.connect.config(of: world.sourceName("orders")))
            #expect(config["table.include.list"]?.contains("order_lines") == true)
            #expect(updated.status?.configHash != first.status?.configHash)
            #expect(world.connect.requestCount(Op.putConnectorConfig) == 1)
            try await world.waitForEvent("orders", type: "Normal", reason: Reason.connectorUpdated)
            try await world.forceReconciles("orders", count: 2, by: running)
            #expect(world.connect.requestCount(Op.putConnectorConfig) == 1)
        }
    }

    @Test("state Paused, Stopped and Running are carried out and reported")
    func pauseStopResume() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let source = world.sourceName("orders")

            try await world.updateSpec("orders") { $0.state = .paused }
            let paused = try await world.waitFor("orders", "paused") { $0.has("Ready", .true, reason: Reason.paused) && $0.isCurrent }
            #expect(world.connect.status(of: source)?.state == .paused)
            #expect(paused.status?.connectorState == "PAUSED")

            try await world.updateSpec("orders") { $0.state = .stopped }
            try await world.waitFor("orders", "stopped") { $0.has("Ready", .true, reason: Reason.stopped) && $0.isCurrent }
            #expect(world.connect.status(of: source)?.state == .stopped)

            try await world.updateSpec("orders") { $0.state = .running }
            try await world.waitFor("orders", "running") { $0.has("Ready", .true, reason: Reason.running) && $0.isCurrent }
            #expect(world.connect.status(of: source)?.state == .running)
            #expect(world.connect.requestCount(Op.pauseConnector) == 1)
            #expect(world.connect.requestCount(Op.stopConnector) == 1)
            #expect(world.connect.requestCount(Op.resumeConnector) == 1)
        }
    }

    @Test("a failed task makes Ready False, is restarted with backoff, and the connector recovers")
    func taskFailureRecovers() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let source = world.sourceName("orders")
            // The first restart fails again, the second one holds.
            world.connect.failNextTaskStarts(connector: source, count: 1, trace: "org.postgresql.util.PSQLException: FATAL: too many connections")
            try world.connect.failTask(connector: source, task: 0, trace: "org.postgresql.util.PSQLException: FATAL: replication slot is active")

            let failed = try await world.waitFor("orders", "Ready=False TaskFailed") { $0.has("Ready", .false, reason: Reason.taskFailed) }
            #expect(failed.condition("Ready")?.message.contains("replication slot is active") == true)
            #expect(failed.status?.lastError?.connector == source)
            try await world.waitForEvent("orders", type: "Warning", reason: Reason.taskFailed)

            let recovered = try await world.waitFor("orders", "recovered", timeout: .seconds(30)) {
                $0.has("Ready", .true, reason: Reason.running) && ($0.status?.restartCount ?? 0) >= 2
            }
            #expect(world.connect.restartCount(of: source) == 2)
            #expect(recovered.status?.tasks?.map(\.state) == ["RUNNING"])
            #expect(recovered.status?.lastRestartTime != nil)
            let restarts = try await world.events("orders").filter { $0.reason == Reason.restarting }
            #expect(!restarts.isEmpty)
        }
    }

    @Test("a task that keeps failing is restarted maxRestarts times, then the object is Stalled")
    func restartLimit() async throws {
        try await CDCConnectorWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.autoRestart = AutoRestartPolicy(maxRestarts: 2, initialBackoff: "1s", maxBackoff: "1s") })
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let source = world.sourceName("orders")
            world.connect.failNextTaskStarts(connector: source, count: 100, trace: "java.lang.IllegalStateException: publication does not exist")
            try world.connect.failTask(connector: source, task: 0, trace: "java.lang.IllegalStateException: publication does not exist")

            let stalled = try await world.waitFor("orders", "Stalled", timeout: .seconds(30)) {
                $0.has("Stalled", .true, reason: Reason.restartLimitReached)
            }
            #expect(stalled.has("Ready", .false, reason: Reason.restartLimitReached))
            #expect(stalled.condition("Stalled")?.message.contains("publication does not exist") == true)
            #expect(world.connect.restartCount(of: source) == 2)
            try await world.waitForEvent("orders", type: "Warning", reason: Reason.restartLimitReached)
            try await world.forceReconciles("orders", count: 2, by: running)
            #expect(world.connect.restartCount(of: source) == 2, "no restart after the limit")

            // A restart request, once fixed, brings it back.
            world.connect.failNextTaskStarts(connector: source, count: 0)
            try await world.updateSpec("orders") { $0.restartRequest = ConnectorRestartRequest(id: "fixed-publication", onlyFailed: true) }
            let back = try await world.waitFor("orders", "Ready after the request", timeout: .seconds(20)) {
                $0.has("Ready", .true) && $0.isCurrent
            }
            #expect(back.status?.handledRequests?.last?.id == "fixed-publication")
            #expect(back.status?.restartCount == 0)
        }
    }

    @Test("a rebalance (409) is retried until Connect answers")
    func rebalanceRetried() async throws {
        try await CDCConnectorWorld.with { world in
            world.connect.beginRebalance(requests: 4)
            try await world.startOperator()
            try await world.create(world.cdc("orders"))
            try await world.waitFor("orders", "Ready=True", timeout: .seconds(30)) { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.connect.pendingRebalanceRequests == 0)
            #expect(world.connect.connectorNames() == [world.sourceName("orders")])
        }
    }

    @Test("Plan mode lists the exact calls and changes nothing in Kafka Connect")
    func planMode() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.mode = .plan; $0.sinks = CDCConnectorWorld.icebergSink })
            let planned = try await world.waitFor("orders", "plan") { $0.status?.plan?.isEmpty == false && $0.isCurrent }
            #expect(planned.has("Ready", .false, reason: StandardReason.planPending))
            let calls = planned.status?.plan?.compactMap(\.call) ?? []
            #expect(calls.filter { $0 == "POST /connectors" }.count == 2, "\(calls)")
            #expect(calls.contains { $0.hasPrefix("PUT /connector-plugins/") && $0.hasSuffix("/config/validate") })
            #expect(world.connect.connectorNames().isEmpty)
            #expect(world.connect.requestCount(Op.createConnector) == 0)

            try await world.updateSpec("orders") { $0.mode = .apply }
            let applied = try await world.waitFor("orders", "applied") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(applied.status?.plan == nil)
            #expect(world.connect.connectorNames().count == 2)
        }
    }

    @Test("deletionPolicy Delete removes source and sink; Retain leaves them")
    func deletePolicies() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("gone") { $0.sinks = CDCConnectorWorld.icebergSink })
            try await world.create(world.cdc("kept") { $0.deletionPolicy = .retain })
            try await world.waitFor("gone", "Ready=True") { $0.has("Ready", .true) }
            try await world.waitFor("kept", "Ready=True") { $0.has("Ready", .true) }

            try await world.delete("gone")
            try await world.waitForDeletion("gone")
            try await world.delete("kept")
            try await world.waitForDeletion("kept")
            #expect(world.connect.connectorNames() == [world.sourceName("kept")])
        }
    }

    @Test("a sink removed from the spec is deleted from Kafka Connect")
    func sinkRemoved() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.sinks = CDCConnectorWorld.icebergSink })
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            try await world.updateSpec("orders") { $0.sinks = nil }
            let updated = try await world.waitFor("orders", "sink gone") {
                $0.isCurrent && $0.has("Ready", .true) && $0.status?.sinkConnectors == nil
            }
            #expect(world.connect.connectorNames() == [world.sourceName("orders")])
            #expect(updated.has("SinksRunning", .true, reason: Reason.noSinks))
        }
    }

    @Test("Kafka Connect down: Ready=False BackendUnavailable, backoff without a hot loop, then Ready")
    func connectDownThenBack() async throws {
        try await CDCConnectorWorld.with { world in
            world.connect.faults.fail(fraction: 1, with: .serviceUnavailable)
            try await world.startOperator()
            try await world.create(world.cdc("orders"))
            try await world.waitFor("orders", "BackendUnavailable") { $0.has("Ready", .false, reason: StandardReason.backendUnavailable) }
            let start = world.connect.requests.total
            try await Task.sleep(for: .seconds(3))
            let during = world.connect.requests.total - start
            #expect(during <= 12, "\(during) requests in 3 s while Connect was down")
            world.connect.faults.clear()
            try await world.waitFor("orders", "Ready=True", timeout: .seconds(40)) { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.connect.connectorNames() == [world.sourceName("orders")])
        }
    }

    @Test("an operator killed in the middle of a create leaves one connector once a new one takes over")
    func operatorRestart() async throws {
        try await CDCConnectorWorld.with { world in
            world.connect.faults.inject(.delayResponse(.seconds(3)), next: 1, operation: Op.createConnector)
            let first = try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.sinks = CDCConnectorWorld.icebergSink })
            let created = await eventually { world.connect.connectorNames().contains(world.sourceName("orders")) }
            #expect(created)
            await first.kill()

            try await world.startOperator()
            let ready = try await world.waitFor("orders", "Ready=True", timeout: .seconds(30)) { $0.has("Ready", .true) && $0.isCurrent }
            #expect(Set(world.connect.connectorNames()) == [world.sourceName("orders"), world.icebergName("orders")])
            #expect(ready.status?.configHash != nil)
        }
    }

    @Test("a configuration changed through the REST API is set back; a connector deleted outside is created again")
    func drift() async throws {
        try await CDCConnectorWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.cdc("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let source = world.sourceName("orders")
            let original = try #require(world.connect.config(of: source))

            var changed = original
            changed["snapshot.mode"] = "no_data"
            try world.connect.setConfigOutOfBand(source, config: changed)
            try await world.requestReconcile("orders")
            #expect(await eventually { world.connect.config(of: source) == original }, "set back")
            let event = try await world.waitForEvent("orders", type: "Warning", reason: StandardReason.driftDetected)
            #expect(event.note?.contains("snapshot.mode") == true)

            #expect(world.connect.deleteOutOfBand(source))
            try await world.requestReconcile("orders")
            #expect(await eventually { world.connect.config(of: source) == original }, "created again")
            #expect(
                await eventually {
                    let events = (try? await world.events("orders")) ?? []
                    return events.contains { $0.reason == StandardReason.driftDetected && $0.note?.contains("deleted outside") == true }
                })
            try await world.forceReconciles("orders", count: 2, by: running)
            #expect(world.connect.requestCount(Op.createConnector) == 2, "created once more, not again and again")
        }
    }

    @Test("a rotated password Secret restarts the connector without writing its configuration")
    func secretRotation() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let source = world.sourceName("orders")
            let writes = world.connect.configWriteCount(of: source)
            #expect(world.connect.restartCount(of: source) == 0)

            var secret = try await world.client.get(Secret.self, name: CDCConnectorWorld.passwordSecret, namespace: world.namespace)
            secret.data = ["password": Data("rotated-value".utf8)]
            _ = try await world.client.update(secret)

            try await world.waitForEvent("orders", type: "Normal", reason: "SecretRotated")
            #expect(world.connect.restartCount(of: source) == 1)
            #expect(world.connect.configWriteCount(of: source) == writes)
            #expect(!(world.connect.config(of: source) ?? [:]).values.contains { $0.contains("rotated-value") })
        }
    }

    @Test("Connect rejecting the configuration: Stalled ConfigInvalid naming the key, nothing created")
    func invalidConfig() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.config = ["tombstones.on.delete": "maybe"] })
            let stalled = try await world.waitFor("orders", "Stalled") { $0.has("Stalled", .true, reason: Reason.configInvalid) && $0.isCurrent }
            #expect(stalled.condition("Stalled")?.message.contains("tombstones.on.delete") == true)
            #expect(world.connect.connectorNames().isEmpty)
            try await world.waitForEvent("orders", type: "Warning", reason: Reason.configInvalid)

            try await world.updateSpec("orders") { $0.config = ["tombstones.on.delete": "false"] }
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.connect.config(of: world.sourceName("orders"))?["tombstones.on.delete"] == "false")
        }
    }

    @Test("a pass-through key the operator owns is Stalled OwnedKeyOverride with the field path")
    func ownedKeyOverride() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.config = ["slot.name": "other"] })
            let stalled = try await world.waitFor("orders", "Stalled") { $0.has("Stalled", .true) && $0.isCurrent }
            #expect(stalled.summary("Stalled") == "True/\(Reason.ownedKeyOverride)")
            #expect(stalled.condition("Stalled")?.message.contains("spec.config[slot.name]") == true)
            #expect(world.connect.requests.total == 0, "Kafka Connect is not called for an invalid spec")
        }
    }

    @Test("a table added to a running Postgres source gets an incremental snapshot signal")
    func incrementalSnapshot() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(
                world.cdc("orders") {
                    $0.snapshot = SnapshotSettings(mode: .initial, incrementalOnNewTables: true)
                    $0.postgres = PostgresSettings(signalTable: "debezium.signals")
                })
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.signals.sent.value.isEmpty, "no signal for the initial snapshot")

            try await world.updateSpec("orders") { $0.tables.append("public.refunds") }
            try await world.waitFor("orders", "captured") { $0.status?.capturedTables == ["public.orders", "public.refunds"] && $0.isCurrent }
            let signal = try #require(world.signals.sent.value.first)
            #expect(signal.tables == ["public.refunds"])
            #expect(signal.signalTable == "debezium.signals")
            #expect(signal.password == CDCConnectorWorld.databasePassword)
            #expect(world.signals.sent.value.count == 1)
            try await world.waitForEvent("orders", type: "Normal", reason: Reason.snapshotSignaled)
        }
    }
}
