import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import struct SchemaCompatibility.ParsedSchema
import Simulators
import TestSupport
import Testing

/// `spec.references`: a contract that imports another subject waits for it,
/// converges once another SchemaContract registers it, keeps it from being
/// deleted while it refers to it, and is fingerprinted and checked with the
/// referenced types (references of references included).
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

    static let site = #"{"type":"record","name":"Site","namespace":"io.hmco","fields":[{"name":"city","type":"string"}]}"#
    /// A desk at a site: imports `io.hmco.Site` by reference itself.
    static let deskAtSite = #"{"type":"record","name":"Desk","namespace":"io.hmco","fields":[{"name":"code","type":"string"},{"name":"site","type":"io.hmco.Site"}]}"#
    /// `deskAtSite` plus an optional field: compatible at FULL.
    static let deskAtSiteWithFloor = #"{"type":"record","name":"Desk","namespace":"io.hmco","fields":[{"name":"code","type":"string"},{"name":"site","type":"io.hmco.Site"},{"name":"floor","type":["null","int"],"default":null}]}"#
    /// `deskAtSite` with `code` a long: incompatible at FULL.
    static let deskAtSiteBroken = #"{"type":"record","name":"Desk","namespace":"io.hmco","fields":[{"name":"code","type":"long"},{"name":"site","type":"io.hmco.Site"}]}"#

    @Test("status.fingerprint of a schema with references is the checker's, with references of references resolved; a change inside a referenced type is checked")
    func fingerprintAndChecksThroughReferences() async throws {
        try await SchemaContractWorld.with { world in
            let siteReference = SchemaRegistrySimulator.Reference(name: "io.hmco.Site", subject: "site-value", version: 1)
            try world.registry.register(subject: "site-value", schema: Self.site)
            for desk in [Self.deskAtSite, Self.deskAtSiteWithFloor, Self.deskAtSiteBroken] {
                try world.registry.register(subject: "desk-value", schema: desk, references: [siteReference])
            }
            try await world.startOperator()
            try await world.create(world.contract("orders", schema: SchemaContractWorld.ordersWithDesk) {
                $0.references = [Self.deskReference]
            })
            let ready = try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }
            let expected = try ParsedSchema(
                SchemaContractWorld.ordersWithDesk, type: .avro,
                references: ["io.hmco.Desk": Self.deskAtSite, "io.hmco.Site": Self.site])
            #expect(ready.status?.fingerprint == expected.fingerprintHex)
            #expect(ready.status?.lastCompatibilityCheck?.fingerprint == expected.fingerprintHex)

            // The same text against desk version 2: another schema, compatible, version 2.
            try await world.updateSpec("orders") { $0.references = [SchemaReference(name: "io.hmco.Desk", subject: "desk-value", version: 2)] }
            let evolved = try await world.waitFor("orders", "version 2 Ready") { $0.status?.version == 2 && $0.has("Ready", .true) && $0.isCurrent }
            let withFloor = try ParsedSchema(
                SchemaContractWorld.ordersWithDesk, type: .avro,
                references: ["io.hmco.Desk": Self.deskAtSiteWithFloor, "io.hmco.Site": Self.site])
            #expect(evolved.status?.fingerprint == withFloor.fingerprintHex)
            #expect(evolved.status?.fingerprint != ready.status?.fingerprint)

            // Against desk version 3, whose code changed type: blocked, found inside the referenced type.
            try await world.updateSpec("orders") { $0.references = [SchemaReference(name: "io.hmco.Desk", subject: "desk-value", version: 3)] }
            let blocked = try await world.waitFor("orders", "Compatible=False") {
                $0.has("Compatible", .false, reason: Reason.incompatibleSchema) && $0.isCurrent
            }
            let messages = blocked.status?.lastCompatibilityCheck?.messages ?? []
            #expect(messages.contains { $0.contains("TYPE_MISMATCH") && $0.contains("/fields/1/type/fields/0/type") }, "\(messages)")
            #expect(blocked.status?.version == 2)
            #expect(world.registry.versions(subject: "orders-value").count == 2)
        }
    }
}
