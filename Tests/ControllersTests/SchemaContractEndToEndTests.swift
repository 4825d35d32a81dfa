import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// The SchemaContract controller against an API server and the schema registry
/// simulator, both over HTTP, asserting what a user sees: status, conditions,
/// Events, and the registry itself.
@Suite("SchemaContract end to end")
struct SchemaContractEndToEndTests {
    typealias Op = SchemaRegistrySimulator.Operation
    typealias Reason = SchemaContract.Reason

    @Test(
        "a new contract sets the level first, registers, and reports id, version and fingerprint",
        arguments: SchemaContractWorld.flavors)
    func registers(flavor: SchemaRegistrySimulator.Flavor) async throws {
        try await SchemaContractWorld.with(flavor: flavor) { world in
            try await world.startOperator()
            try await world.create(world.contract("orders"))

            let ready = try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let registered = try #require(world.registry.version(subject: "orders-value"))
            #expect(ready.status?.version == registered.version)
            #expect(ready.status?.schemaID == Int64(registered.id))
            #expect(ready.status?.fingerprint == SchemaContractDecision.fingerprint(SchemaContractWorld.ordersV1, type: .avro))
            #expect(ready.status?.compatibilityLevel == .full)
            #expect(ready.has("Registered", .true, reason: Reason.schemaRegistered))
            #expect(ready.has("Compatible", .true))
            #expect(world.registry.compatibility(subject: "orders-value") == .full)

            let operations = world.registry.requests.recent.compactMap(\.operation)
            let setLevel = try #require(operations.firstIndex(of: Op.updateSubjectLevelConfig))
            let register = try #require(operations.firstIndex(of: Op.register))
            #expect(setLevel < register, "the level is set before registering: \(operations)")
            try await world.waitForEvent("orders", type: "Normal", reason: Reason.schemaRegistered)
        }
    }

    @Test("a compatible change becomes version 2")
    func compatibleEvolution() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) }
            try await world.updateSpec("orders") { $0.schema = SchemaContractWorld.ordersV2 }
            let ready = try await world.waitFor("orders", "version 2 Ready") { $0.status?.version == 2 && $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.registry.versions(subject: "orders-value").count == 2)
            #expect(ready.status?.fingerprint == SchemaContractDecision.fingerprint(SchemaContractWorld.ordersV2, type: .avro))
        }
    }

    @Test(
        "an incompatible change is not registered: Compatible=False with the registry's reasons and a Warning Event",
        arguments: SchemaContractWorld.flavors)
    func incompatibleIsBlocked(flavor: SchemaRegistrySimulator.Flavor) async throws {
        try await SchemaContractWorld.with(flavor: flavor) { world in
            try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) }
            let registersBefore = world.registry.requestCount(Op.register)

            try await world.updateSpec("orders") { $0.schema = SchemaContractWorld.ordersBroken }
            let blocked = try await world.waitFor("orders", "Compatible=False") {
                $0.has("Compatible", .false, reason: Reason.incompatibleSchema) && $0.isCurrent
            }
            #expect(blocked.has("Ready", .false, reason: Reason.incompatibleSchema))
            #expect(blocked.status?.version == 1)
            #expect(blocked.status?.lastCompatibilityCheck?.result == .incompatible)
            #expect(blocked.status?.lastCompatibilityCheck?.messages?.isEmpty == false)
            let event = try await world.waitForEvent("orders", type: "Warning", reason: Reason.incompatibleSchema)
            #expect(event.note?.contains("orders-value") == true)
            #expect(world.registry.versions(subject: "orders-value").count == 1)
            #expect(world.registry.requestCount(Op.register) == registersBefore)
        }
    }

    @Test("Plan mode lists the exact calls and changes nothing in the registry")
    func planMode() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders") { $0.mode = .plan })
            let planned = try await world.waitFor("orders", "status.plan") { $0.status?.plan?.isEmpty == false && $0.isCurrent }
            #expect(planned.status?.plan?.compactMap(\.call) == [
                "PUT /config/orders-value",
                "POST /compatibility/subjects/orders-value/versions?verbose=true",
                "POST /subjects/orders-value/versions",
            ])
            #expect(planned.has("Ready", .false, reason: StandardReason.planPending))
            #expect(world.registry.versions(subject: "orders-value").isEmpty)
            #expect(world.registry.compatibility(subject: "orders-value") == nil)
            #expect(world.registry.requestCount(Op.register) == 0)
            #expect(world.registry.requestCount(Op.updateSubjectLevelConfig) == 0)
        }
    }

    @Test(
        "deletionPolicy Retain keeps the subject, Delete soft-deletes it, and hardDelete removes it for good",
        arguments: SchemaContractWorld.flavors)
    func deletePolicies(flavor: SchemaRegistrySimulator.Flavor) async throws {
        try await SchemaContractWorld.with(flavor: flavor) { world in
            try await world.startOperator()
            try await world.create(world.contract("kept", subject: "kept-value"))
            try await world.create(world.contract("soft", subject: "soft-value") { $0.deletionPolicy = .delete })
            try await world.create(world.contract("gone", subject: "gone-value") {
                $0.deletionPolicy = .delete
                $0.hardDelete = true
            })
            for name in ["kept", "soft", "gone"] {
                try await world.waitFor(name, "Ready=True") { $0.has("Ready", .true) }
            }

            for name in ["kept", "soft", "gone"] { try await world.delete(name) }
            for name in ["kept", "soft", "gone"] { try await world.waitForDeletion(name) }
            #expect(world.registry.versions(subject: "kept-value").count == 1)
            #expect(world.registry.versions(subject: "soft-value").isEmpty)
            #expect(world.registry.versions(subject: "soft-value", includeDeleted: true).map(\.deleted) == [true])
            #expect(world.registry.versions(subject: "gone-value", includeDeleted: true).isEmpty)
            #expect(!world.registry.subjects(includeDeleted: true).contains("gone-value"))
            #expect(world.registry.requestCount(Op.deleteSubject) == 3, "soft and hard delete of gone, soft delete of soft")
            let soft = try await world.waitForEvent("soft", type: "Normal", reason: "SubjectDeleted")
            #expect(soft.note?.contains("soft-deleted subject soft-value") == true)
            let notes = try await world.events("gone").filter { $0.reason == "SubjectDeleted" }.compactMap(\.note)
            #expect(notes.contains { $0.contains("permanently deleted subject gone-value") }, "\(notes)")
        }
    }

    @Test("a missing referenced subject is a clear condition naming spec.references[i]")
    func missingReference() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders") {
                $0.references = [SchemaReference(name: "io.hmco.Desk", subject: "desk-value", version: 1)]
            })
            let waiting = try await world.waitFor("orders", "ReferenceNotFound") {
                $0.has("Ready", .false, reason: Reason.referenceNotFound) && $0.isCurrent
            }
            #expect(waiting.condition("Ready")?.message.contains("spec.references[0]") == true)
            #expect(world.registry.versions(subject: "orders-value").isEmpty)
        }
    }

    @Test("a missing schemaFrom ConfigMap stalls naming the field")
    func missingConfigMap() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders") {
                $0.schema = nil
                $0.schemaFrom = SchemaSource(configMapKeyRef: ConfigMapKeySelector(name: "orders-schema", key: "schema.avsc"))
            })
            let stalled = try await world.waitFor("orders", "ConfigMapNotFound") {
                $0.has("Stalled", .true, reason: StandardReason.configMapNotFound)
            }
            #expect(stalled.condition("Stalled")?.message.contains("spec.schemaFrom.configMapKeyRef") == true)
            _ = try await world.client.create(
                ConfigMap(metadata: ObjectMeta(name: "orders-schema", namespace: world.namespace), data: ["schema.avsc": SchemaContractWorld.ordersV1]))
            try await world.waitFor("orders", "Ready=True once the ConfigMap exists") { $0.has("Ready", .true) }
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }

    @Test("the registry failing for a while is BackendUnavailable, then the contract converges")
    func registryDownThenBack() async throws {
        try await SchemaContractWorld.with { world in
            world.registry.faults.failNext(3, with: .schemaRegistryStoreError, operation: Op.register)
            try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True after the failures", timeout: .seconds(45)) { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.registry.requestCount(Op.register) >= 4)
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }

    @Test("a level changed and a version deleted outside Kubernetes are put back, with Warning Events")
    func driftIsCorrected() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) }
            world.registry.setCompatibility(.none, subject: "orders-value")
            try world.registry.deleteSubject("orders-value")
            try world.registry.deleteSubject("orders-value", permanent: true)

            try await world.requestReconcile("orders")
            // Both corrections may take more than one reconcile (one may have started before the changes).
            let corrected = await eventually(timeout: .seconds(15)) {
                let notes = ((try? await world.events("orders")) ?? []).filter { $0.reason == StandardReason.driftDetected }.compactMap(\.note)
                return world.registry.compatibility(subject: "orders-value") == .full
                    && world.registry.versions(subject: "orders-value").count == 1
                    && notes.contains { $0.contains("changed outside Kubernetes") }
                    && notes.contains { $0.contains("deleted outside Kubernetes") }
            }
            let seen = try await world.events("orders").map { "\($0.type ?? "") \($0.reason ?? ""): \($0.note ?? "")" }
            #expect(corrected, "level \(String(describing: world.registry.compatibility(subject: "orders-value"))), events \(seen)")
            try await world.waitFor("orders", "Ready=True again") { $0.has("Ready", .true) && $0.status?.version != nil }
        }
    }
}
