import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// `spec.compatibility` against the subject's level in the registry: set before
/// any registration, removed when the spec drops it, and put back when someone
/// changes it outside Kubernetes.
@Suite("SchemaContract compatibility level")
struct SchemaContractLevelTests {
    typealias Op = SchemaRegistrySimulator.Operation
    typealias Reason = SchemaContract.Reason

    @Test("changing spec.compatibility sets the subject's level before the new schema is registered")
    func levelChangeComesFirst() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True at FULL") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.registry.compatibility(subject: "orders-value") == .full)
            let changedAt = ContinuousClock.now

            try await world.updateSpec("orders") {
                $0.compatibility = .backwardTransitive
                $0.schema = SchemaContractWorld.ordersV2
            }
            let ready = try await world.waitFor("orders", "version 2 Ready at BACKWARD_TRANSITIVE") {
                $0.status?.version == 2 && $0.has("Ready", .true) && $0.isCurrent
            }
            #expect(world.registry.compatibility(subject: "orders-value") == .backwardTransitive)
            #expect(ready.status?.compatibilityLevel == .backwardTransitive)
            #expect(ready.status?.lastCompatibilityCheck?.level == .backwardTransitive)
            #expect(ready.condition("Ready")?.message.contains("level BACKWARD_TRANSITIVE") == true)

            let after = world.registry.requests.recent.filter { $0.arrival >= changedAt }.compactMap(\.operation)
            let setLevel = try #require(after.firstIndex(of: Op.updateSubjectLevelConfig), "\(after)")
            let check = try #require(after.firstIndex(of: Op.testCompatibilityForSubject), "\(after)")
            let register = try #require(after.firstIndex(of: Op.register), "\(after)")
            #expect(setLevel < check && check < register, "the level is set before the check and the registration: \(after)")
            let notes = try await world.events("orders").filter { $0.reason == "CompatibilitySet" }.compactMap(\.note)
            #expect(notes.contains { $0.contains("BACKWARD_TRANSITIVE") }, "\(notes)")
        }
    }

    @Test("removing spec.compatibility deletes the subject's level, so the registry's global level applies again")
    func removingTheLevelRevertsToGlobal() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True at FULL") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.registry.requestCount(Op.deleteSubjectConfig) == 0)

            try await world.updateSpec("orders") { $0.compatibility = nil }
            let reverted = try await world.waitFor("orders", "no level of its own") {
                $0.status?.compatibilityLevel == nil && $0.has("Ready", .true) && $0.isCurrent
            }
            #expect(world.registry.compatibility(subject: "orders-value") == nil)
            #expect(world.registry.effectiveCompatibility(subject: "orders-value") == .backward)
            #expect(world.registry.requestCount(Op.deleteSubjectConfig) == 1)
            #expect(reverted.condition("Ready")?.message.contains("the registry's global level BACKWARD") == true)
            let removed = try await world.waitForEvent("orders", type: "Normal", reason: "CompatibilityRemoved")
            #expect(removed.note?.contains("removed level FULL from subject orders-value") == true)
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }

    @Test("a level changed over the registry's HTTP API is found at the next resync, reported as drift and set back")
    func levelDriftOverHTTP() async throws {
        try await SchemaContractWorld.with { world in
            // A short resync: nobody touches the object, the periodic look finds the drift.
            try await world.startOperator(resyncPeriod: .milliseconds(500))
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True at FULL") { $0.has("Ready", .true) && $0.isCurrent }

            try await world.setCompatibilityOverHTTP(.none, subject: "orders-value")
            #expect(world.registry.compatibility(subject: "orders-value") == SchemaRegistrySimulator.CompatibilityLevel.none)
            let drift = try await world.waitForEvent("orders", type: "Warning", reason: StandardReason.driftDetected)
            #expect(drift.note?.contains("changed outside Kubernetes to NONE; set back to FULL") == true, "\(drift.note ?? "")")
            #expect(await eventually { world.registry.compatibility(subject: "orders-value") == .full })
            let ready = try await world.get("orders")
            #expect(ready.status?.compatibilityLevel == .full)
            #expect(ready.has("Ready", .true))
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }
}
