import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// An operator killed between setting the level and learning that its
/// registration went through: the next one finishes the job without
/// registering twice, and its status is as complete as an uninterrupted run's.
@Suite("SchemaContract across an operator restart")
struct SchemaContractRestartTests {
    typealias Op = SchemaRegistrySimulator.Operation
    typealias Reason = SchemaContract.Reason

    @Test("killed while the registration is held, before it is carried out: the next operator registers once")
    func killedBeforeTheRegistration() async throws {
        try await SchemaContractWorld.with { world in
            // The registration hangs and is never carried out; the operator dies waiting.
            world.registry.faults.hangNext(1, for: .seconds(5), operation: Op.register)
            let first = try await world.startOperator()
            try await world.create(world.contract("orders"))
            #expect(await eventually { world.registry.requestCount(Op.register) == 1 })
            await first.kill()
            #expect(world.registry.compatibility(subject: "orders-value") == .full, "the level was set before registering")
            #expect(world.registry.versions(subject: "orders-value").isEmpty)
            #expect(try await world.get("orders").status?.compatibilityLevel == nil, "the killed operator wrote no status")

            let second = try await world.startOperator()
            let ready = try await world.waitFor("orders", "Ready=True after the restart") { $0.has("Ready", .true) && $0.isCurrent }
            try await Self.expectComplete(ready, world: world)
            try await world.forceReconciles("orders", by: second)
            #expect(world.registry.versions(subject: "orders-value").count == 1)
            #expect(world.registry.requestCount(Op.register) == 2, "the hung attempt and the second operator's")
        }
    }

    @Test("killed while the registry's answer is held, after the registration was carried out: no second version")
    func killedAfterTheRegistration() async throws {
        try await SchemaContractWorld.with { world in
            // The registry registers at once but holds its answer back; the operator dies waiting.
            world.registry.faults.inject(.delayResponse(.seconds(5)), next: 1, operation: Op.register)
            let first = try await world.startOperator()
            try await world.create(world.contract("orders"))
            #expect(await eventually { world.registry.versions(subject: "orders-value").count == 1 })
            await first.kill()
            let before = try await world.get("orders")
            #expect(before.status?.version == nil, "the killed operator wrote no status")

            let second = try await world.startOperator()
            let ready = try await world.waitFor("orders", "Ready=True after the restart") { $0.has("Ready", .true) && $0.isCurrent }
            try await Self.expectComplete(ready, world: world)
            try await world.forceReconciles("orders", by: second)
            #expect(world.registry.requestCount(Op.register) == 1)
            #expect(world.registry.versions(subject: "orders-value").count == 1)

            // The level counts as the operator's: dropping it from the spec removes it.
            try await world.updateSpec("orders") { $0.compatibility = nil }
            try await world.waitFor("orders", "no level of its own") { $0.status?.compatibilityLevel == nil && $0.isCurrent }
            #expect(world.registry.compatibility(subject: "orders-value") == nil)
        }
    }

    /// Everything an uninterrupted run reports: id, version, fingerprint, level and conditions.
    static func expectComplete(_ contract: SchemaContract, world: SchemaContractWorld) async throws {
        let registered = try #require(world.registry.version(subject: "orders-value"))
        #expect(contract.status?.version == registered.version)
        #expect(contract.status?.schemaID == Int64(registered.id))
        #expect(contract.status?.fingerprint == SchemaContractDecision.fingerprint(SchemaContractWorld.ordersV1, type: .avro))
        #expect(contract.status?.compatibilityLevel == .full)
        #expect(contract.has("Registered", .true, reason: Reason.schemaRegistered))
        #expect(contract.has("Compatible", .true))
        #expect(contract.condition("Ready")?.message.contains("version \(registered.version)") == true)
    }
}
