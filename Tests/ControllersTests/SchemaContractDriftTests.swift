import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import SchemaRegistry
import Simulators
import TestSupport
import Testing

/// Versions changed outside Kubernetes: a newer version registered directly in the
/// registry is soft-deleted so the spec's schema is the latest again (listed, not
/// done, in Plan mode); a version of ours soft-deleted outside is registered again.
@Suite("SchemaContract version drift")
struct SchemaContractDriftTests {
    typealias Op = SchemaRegistrySimulator.Operation
    typealias Reason = SchemaContract.Reason

    /// Registers `schema` under orders-value over the registry's HTTP API, as another team's script would.
    static func registerOutside(_ world: SchemaContractWorld, _ schema: String) async throws -> SchemaRegistration {
        try await world.outsideClient().register(subject: "orders-value", definition: SchemaDefinition(schema: schema, type: .avro))
    }

    @Test("a version registered outside Kubernetes after ours is soft-deleted at the next resync, with a DriftDetected Event; Ready=True")
    func newerForeignVersionIsSoftDeleted() async throws {
        try await SchemaContractWorld.with { world in
            // A short resync: nobody touches the object, the periodic look finds the drift.
            try await world.startOperator(resyncPeriod: .milliseconds(500))
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True with version 1") { $0.has("Ready", .true) && $0.status?.version == 1 }

            _ = try await Self.registerOutside(world, SchemaContractWorld.ordersV2)
            #expect(world.registry.version(subject: "orders-value")?.version == 2, "the foreign version is the latest for a moment")

            let drift = try await world.waitForEvent("orders", type: "Warning", reason: StandardReason.driftDetected)
            #expect(drift.note?.contains("version 2 of subject orders-value registered outside Kubernetes") == true, "\(drift.note ?? "")")
            #expect(drift.note?.contains("soft-deleted it") == true)
            let ready = try await world.waitFor("orders", "Ready=True, version 1 the latest again") {
                $0.has("Ready", .true) && $0.has("Registered", .true) && $0.isCurrent
            }
            #expect(ready.status?.version == 1)
            #expect(ready.condition("Registered")?.message.contains("version 1") == true)
            #expect(world.registry.version(subject: "orders-value")?.version == 1)
            let all = world.registry.versions(subject: "orders-value", includeDeleted: true)
            #expect(all.map(\.version) == [1, 2])
            #expect(all.map(\.deleted) == [false, true], "soft-deleted, not permanently: its id still resolves")
            #expect(world.registry.requestCount(Op.deleteSchemaVersion) == 1)
            #expect(ready.status?.lastAppliedPlan?.actions.compactMap(\.call).contains("DELETE /subjects/orders-value/versions/2") == true)

            // A later version of ours is registered (the same schema as the deleted one: a new
            // version with its id), and stays: nothing more is deleted.
            try await world.updateSpec("orders") { $0.schema = SchemaContractWorld.ordersV2 }
            let evolved = try await world.waitFor("orders", "version 3 Ready") {
                $0.status?.version == 3 && $0.has("Ready", .true) && $0.isCurrent
            }
            let latest = try #require(world.registry.version(subject: "orders-value"))
            #expect(latest.version == 3)
            #expect(evolved.status?.schemaID == Int64(latest.id))
            #expect(world.registry.version(subject: "orders-value", 2, includeDeleted: true)?.id == latest.id)
            #expect(world.registry.requestCount(Op.deleteSchemaVersion) == 1)
            let drifts = try await world.events("orders").filter { $0.reason == StandardReason.driftDetected }
            #expect(drifts.count == 1, "\(drifts.compactMap(\.note))")
        }
    }

    @Test("Plan mode lists the soft delete of a foreign version and changes nothing; Apply then carries it out")
    func planListsTheDelete() async throws {
        try await SchemaContractWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.status?.version == 1 }
            try await world.updateSpec("orders") { $0.mode = .plan }
            try await world.waitFor("orders", "Plan mode up to date") {
                $0.has("Ready", .true, reason: StandardReason.planUpToDate) && $0.isCurrent
            }

            _ = try await Self.registerOutside(world, SchemaContractWorld.ordersV2)
            try await world.forceReconciles("orders", count: 1, by: running)
            let planned = try await world.waitFor("orders", "the delete in status.plan") {
                $0.status?.plan?.isEmpty == false && $0.has("Ready", .false, reason: StandardReason.planPending)
            }
            #expect(planned.status?.plan?.compactMap(\.call) == ["DELETE /subjects/orders-value/versions/2"])
            #expect(planned.status?.plan?.first?.summary.contains("registered outside Kubernetes") == true)
            #expect(world.registry.version(subject: "orders-value")?.version == 2)
            #expect(world.registry.requestCount(Op.deleteSchemaVersion) == 0)

            try await world.updateSpec("orders") { $0.mode = .apply }
            try await world.waitFor("orders", "applied: Ready=True") { $0.has("Ready", .true, reason: StandardReason.reconciled) && $0.isCurrent }
            #expect(world.registry.version(subject: "orders-value")?.version == 1)
            #expect(world.registry.version(subject: "orders-value", 2, includeDeleted: true)?.deleted == true)
        }
    }

    @Test("our version soft-deleted outside Kubernetes is registered again as a new version with the same id")
    func softDeletedVersionOfOursIsRegisteredAgain() async throws {
        try await SchemaContractWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.contract("orders"))
            let first = try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.status?.version == 1 }

            _ = try await world.outsideClient().deleteVersion(subject: "orders-value", version: .number(1), permanent: false)
            try await world.forceReconciles("orders", count: 1, by: running)
            let again = try await world.waitFor("orders", "registered again as version 2") {
                $0.status?.version == 2 && $0.has("Ready", .true) && $0.isCurrent
            }
            #expect(again.status?.schemaID == first.status?.schemaID, "the same schema keeps its id")
            #expect(world.registry.versions(subject: "orders-value", includeDeleted: true).map(\.deleted) == [true, false])
            let drift = try await world.waitForEvent("orders", type: "Warning", reason: StandardReason.driftDetected)
            #expect(drift.note?.contains("deleted outside Kubernetes") == true)
            #expect(world.registry.requestCount(Op.deleteSchemaVersion) == 1, "only the outside delete")
        }
    }

    @Test("a newer version another schema references cannot be soft-deleted: ForeignVersion, saying why")
    func referencedForeignVersionIsReported() async throws {
        try await SchemaContractWorld.with { world in
            let running = try await world.startOperator()
            try await world.create(world.contract("desk", subject: "desk-value", schema: SchemaContractWorld.deskV1))
            try await world.waitFor("desk", "Ready=True") { $0.has("Ready", .true) && $0.status?.version == 1 }

            // Desk version 2 from outside, and a subject that refers to it.
            let deskV2 = #"{"type":"record","name":"Desk","namespace":"io.hmco","fields":[{"name":"code","type":"string"},{"name":"floor","type":["null","int"],"default":null}]}"#
            try world.registry.register(subject: "desk-value", schema: deskV2)
            try world.registry.register(
                subject: "orders-value", schema: SchemaContractWorld.ordersWithDesk,
                references: [SchemaRegistrySimulator.Reference(name: "io.hmco.Desk", subject: "desk-value", version: 2)])

            try await world.forceReconciles("desk", count: 1, by: running)
            let blocked = try await world.waitFor("desk", "ForeignVersion") {
                $0.has("Ready", .false, reason: Reason.foreignVersion) && $0.isCurrent
            }
            #expect(blocked.condition("Ready")?.message.contains("another schema references it") == true)
            #expect(blocked.has("Registered", .false, reason: Reason.foreignVersion))
            #expect(world.registry.version(subject: "desk-value")?.version == 2)
            try await world.waitForEvent("desk", type: "Warning", reason: Reason.foreignVersion)
        }
    }
}
