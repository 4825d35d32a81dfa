import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// `spec.references`: a contract that imports another subject waits for it,
/// converges once another SchemaContract registers it, and keeps it from
/// being deleted while it refers to it.
@Suite("SchemaContract references")
struct SchemaContractReferenceTests {
    typealias Op = SchemaRegistrySimulator.Operation
    typealias Reason = SchemaContract.Reason

    static let deskReference = SchemaReference(name: "io.hmco.Desk", subject: "desk-value", version: 1)

    @Test("a contract whose reference is missing waits naming spec.references[0], and converges once another contract registers it")
    func waitsForTheReferencedSubject() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders", schema: SchemaContractWorld.ordersWithDesk) {
                $0.references = [Self.deskReference]
            })
            let waiting = try await world.waitFor("orders", "ReferenceNotFound") {
                $0.has("Ready", .false, reason: Reason.referenceNotFound) && $0.isCurrent
            }
            #expect(waiting.condition("Ready")?.message == "spec.references[0]: subject desk-value version 1 is not in the registry")
            #expect(waiting.has("Registered", .false, reason: Reason.referenceNotFound))
            #expect(world.registry.versions(subject: "orders-value").isEmpty)
            #expect(world.registry.requestCount(Op.register) == 0)

            // Well inside the contract's own 30 s poll: the registration of desk-value wakes it.
            try await world.create(world.contract("desk", subject: "desk-value", schema: SchemaContractWorld.deskV1))
            try await world.waitFor("desk", "desk Ready=True") { $0.has("Ready", .true) }
            let ready = try await world.waitFor("orders", "orders Ready=True once desk-value exists", timeout: .seconds(20)) {
                $0.has("Ready", .true) && $0.isCurrent
            }
            let registered = try #require(world.registry.version(subject: "orders-value"))
            #expect(registered.references == [SchemaRegistrySimulator.Reference(name: "io.hmco.Desk", subject: "desk-value", version: 1)])
            #expect(ready.status?.version == registered.version)
            #expect(ready.status?.schemaID == Int64(registered.id))
            #expect(ready.has("Registered", .true, reason: Reason.schemaRegistered))
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }

    @Test("deleting a subject another one references is blocked, with status saying why, until the referrer is gone")
    func referencedSubjectIsNotDeleted() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("desk", subject: "desk-value", schema: SchemaContractWorld.deskV1) {
                $0.deletionPolicy = .delete
                $0.hardDelete = true
            })
            try await world.waitFor("desk", "desk Ready=True") { $0.has("Ready", .true) }
            try await world.create(world.contract("orders", schema: SchemaContractWorld.ordersWithDesk) {
                $0.references = [Self.deskReference]
                $0.deletionPolicy = .delete
                $0.hardDelete = true
            })
            try await world.waitFor("orders", "orders Ready=True") { $0.has("Ready", .true) }

            try await world.delete("desk")
            let blocked = try await world.waitFor("desk", "DeletionBlocked") {
                $0.has("Ready", .false, reason: StandardReason.deletionBlocked)
            }
            #expect(blocked.condition("Ready")?.message.contains("cannot delete subject desk-value yet") == true)
            #expect(world.registry.versions(subject: "desk-value").count == 1)

            try await world.delete("orders")
            try await world.waitForDeletion("orders")
            try await world.waitForDeletion("desk", timeout: .seconds(30))
            #expect(world.registry.subjects(includeDeleted: true).isEmpty)
        }
    }
}
