import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// What every kind gets from the shared reconcile frame (suspend, a missing
/// credentials Secret, a spec that cannot work), shown on SchemaContract.
@Suite("Shared reconcile frame")
struct ReconcileFrameTests {
    @Test("a suspended object is Ready=False Suspended, sends the backend nothing, and converges when resumed")
    func suspend() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders") { $0.suspend = true })
            let suspended = try await world.waitFor("orders", "Ready=False Suspended") {
                $0.has("Ready", .false, reason: StandardReason.suspended) && $0.isCurrent
            }
            #expect(suspended.condition("Ready")?.message == "spec.suspend is true: the registry is neither read nor changed")
            #expect(suspended.condition("Stalled") == nil)
            #expect(world.registry.requests.total == 0)

            try await world.updateSpec("orders") { $0.suspend = false }
            try await world.waitFor("orders", "Ready=True once resumed") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }

    @Test("a missing credentials Secret stalls SecretNotFound naming the field, with a Warning Event, until it is created")
    func missingSecret() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders") {
                $0.registry?.basicAuth?.passwordSecretRef = SecretKeySelector(name: "late-credentials", key: "password")
            })
            let stalled = try await world.waitFor("orders", "Stalled SecretNotFound") {
                $0.has("Stalled", .true, reason: StandardReason.secretNotFound) && $0.isCurrent
            }
            let message = stalled.condition("Stalled")?.message ?? ""
            #expect(message.contains("spec.registry.basicAuth.passwordSecretRef"), "\(message)")
            #expect(message.contains("late-credentials"), "\(message)")
            let event = try await world.waitForEvent("orders", type: "Warning", reason: StandardReason.secretNotFound)
            #expect(event.note == message)

            _ = try await world.client.create(
                Secret(
                    metadata: ObjectMeta(name: "late-credentials", namespace: world.namespace),
                    data: ["password": Data(SchemaContractWorld.credentials.password.utf8)]))
            let ready = try await world.waitFor("orders", "Ready=True once the Secret exists") { $0.has("Ready", .true) && $0.isCurrent }
            #expect(ready.condition("Stalled") == nil)
        }
    }

    @Test("an invalid spec stalls InvalidSpec with a Warning Event, sends the backend nothing, and converges once fixed")
    func invalidSpec() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            // Both schema and schemaFrom, which validate() rejects.
            try await world.create(world.contract("orders") {
                $0.schemaFrom = SchemaSource(configMapKeyRef: ConfigMapKeySelector(name: "orders-schema", key: "schema.avsc"))
            })
            let stalled = try await world.waitFor("orders", "Stalled InvalidSpec") {
                $0.has("Stalled", .true, reason: StandardReason.invalidSpec) && $0.isCurrent
            }
            let message = stalled.condition("Stalled")?.message ?? ""
            #expect(message.contains("schemaFrom"), "\(message)")
            let event = try await world.waitForEvent("orders", type: "Warning", reason: StandardReason.invalidSpec)
            #expect(event.note == message)
            #expect(world.registry.requests.total == 0)

            try await world.updateSpec("orders") { $0.schemaFrom = nil }
            try await world.waitFor("orders", "Ready=True once the spec is fixed") { $0.has("Ready", .true) && $0.isCurrent }
        }
    }
}
