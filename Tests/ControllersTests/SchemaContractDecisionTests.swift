import Foundation
import Controllers
import KubeAPI
import PlatformAPI
import struct SchemaCompatibility.ParsedSchema
import Testing

/// The pure half of the SchemaContract reconciler, as tables.
@Suite("SchemaContract decisions")
struct SchemaContractDecisionTests {
    static let subject = "orders-value"
    static let fingerprint = "0123456789abcdef"

    static func contract(
        compatibility: CompatibilityLevel? = .backward, references: [SchemaReference]? = nil,
        status: SchemaContractStatus? = nil
    ) -> SchemaContract {
        SchemaContract(
            metadata: ObjectMeta(name: "orders", namespace: "ns"),
            spec: SchemaContractSpec(
                subject: subject, schema: #"{"type":"string"}"#, references: references, compatibility: compatibility),
            status: status)
    }

    static func status(
        level: CompatibilityLevel? = nil, version: Int? = nil, fingerprint: String? = nil,
        check: CompatibilityVerdict? = nil, checkedLevel: CompatibilityLevel = .backward
    ) -> SchemaContractStatus {
        var status = SchemaContractStatus()
        status.compatibilityLevel = level
        status.version = version
        status.fingerprint = fingerprint
        if let check {
            status.lastCompatibilityCheck = CompatibilityCheck(
                result: check, level: checkedLevel, fingerprint: Self.fingerprint, time: Time(Date(timeIntervalSince1970: 0)))
        }
        return status
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var contract: SchemaContract
        var observed: SchemaContractObservation
        var actions: [SchemaContractAction]
        var waits: [SchemaContractWait] = []
        var testDescription: String { name }
    }

    static let registeredV1 = RegisteredVersion(version: 1, id: 7)

    static let cases: [Case] = [
        Case(
            name: "a new subject: level first, then register",
            contract: contract(), observed: SchemaContractObservation(),
            actions: [.setCompatibility(subject: subject, level: .backward, drift: false), .register(subject: subject, fingerprint: fingerprint, drift: false)]),
        Case(
            name: "level already set: register only",
            contract: contract(), observed: SchemaContractObservation(subjectLevel: .backward),
            actions: [.register(subject: subject, fingerprint: fingerprint, drift: false)]),
        Case(
            name: "everything in place: nothing to do",
            contract: contract(status: status(level: .backward, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: .backward, registered: registeredV1, versions: [1]),
            actions: []),
        Case(
            name: "a level the operator set, changed outside: set back as drift",
            contract: contract(status: status(level: .backward, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: CompatibilityLevel.none, registered: registeredV1, versions: [1]),
            actions: [.setCompatibility(subject: subject, level: .backward, drift: true)]),
        Case(
            name: "level removed from the spec, operator had set it: delete the subject config",
            contract: contract(compatibility: nil, status: status(level: .full, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: .full, registered: registeredV1, versions: [1]),
            actions: [.removeCompatibility(subject: subject, level: .full)]),
        Case(
            name: "no level in the spec and a level set by someone else: left alone",
            contract: contract(compatibility: nil, status: status(level: nil, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: .full, registered: registeredV1, versions: [1]),
            actions: []),
        Case(
            name: "found incompatible at this level before: not checked again",
            contract: contract(status: status(level: .backward, check: .incompatible)),
            observed: SchemaContractObservation(subjectLevel: .backward, versions: [1]),
            actions: [], waits: [.incompatible(fingerprint: fingerprint, level: .backward)]),
        Case(
            name: "found incompatible, then the level changed: checked again",
            contract: contract(compatibility: CompatibilityLevel.none, status: status(level: .backward, check: .incompatible)),
            observed: SchemaContractObservation(subjectLevel: .backward, versions: [1]),
            actions: [.setCompatibility(subject: subject, level: .none, drift: false), .register(subject: subject, fingerprint: fingerprint, drift: false)]),
        Case(
            name: "a missing reference stops registering and names the first one",
            contract: contract(references: [
                SchemaReference(name: "a", subject: "a", version: 1), SchemaReference(name: "b", subject: "b", version: 2),
            ]),
            observed: SchemaContractObservation(subjectLevel: .backward, missingReferences: [1]),
            actions: [], waits: [.referenceMissing(index: 1)]),
        Case(
            name: "our version deleted outside: registered again as drift",
            contract: contract(status: status(level: .backward, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: .backward, versions: []),
            actions: [.register(subject: subject, fingerprint: fingerprint, drift: true)]),
        Case(
            name: "a newer version not ours: soft-deleted as drift, nothing registered",
            contract: contract(status: status(level: .backward, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: .backward, registered: registeredV1, versions: [1, 2]),
            actions: [.deleteNewerVersions(subject: subject, versions: [2], ours: 1, foreign: [2])]),
        Case(
            name: "several newer versions not ours: all soft-deleted, newest first",
            contract: contract(status: status(level: .backward, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: .backward, registered: registeredV1, versions: [1, 2, 4]),
            actions: [.deleteNewerVersions(subject: subject, versions: [4, 2], ours: 1, foreign: [4, 2])]),
        Case(
            name: "older versions are left alone",
            contract: contract(status: status(level: .backward, version: 3, fingerprint: fingerprint)),
            observed: SchemaContractObservation(
                subjectLevel: .backward, registered: RegisteredVersion(version: 3, id: 9), versions: [1, 2, 3]),
            actions: []),
        Case(
            name: "the spec went back to an earlier schema: our newer version is soft-deleted, not as drift",
            contract: contract(status: status(level: .backward, version: 2, fingerprint: "fedcba9876543210")),
            observed: SchemaContractObservation(subjectLevel: .backward, registered: registeredV1, versions: [1, 2]),
            actions: [.deleteNewerVersions(subject: subject, versions: [2], ours: 1, foreign: [])]),
        Case(
            name: "the spec went back, and someone registered on top: both soft-deleted, one as drift",
            contract: contract(status: status(level: .backward, version: 2, fingerprint: "fedcba9876543210")),
            observed: SchemaContractObservation(subjectLevel: .backward, registered: registeredV1, versions: [1, 2, 3]),
            actions: [.deleteNewerVersions(subject: subject, versions: [3, 2], ours: 1, foreign: [3])]),
        Case(
            name: "level and versions both drifted: the level is set back first, then the versions deleted",
            contract: contract(status: status(level: .backward, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: CompatibilityLevel.none, registered: registeredV1, versions: [1, 2]),
            actions: [
                .setCompatibility(subject: subject, level: .backward, drift: true),
                .deleteNewerVersions(subject: subject, versions: [2], ours: 1, foreign: [2]),
            ]),
        Case(
            name: "our version soft-deleted outside and a newer one live: registered again (checked against it), nothing deleted",
            contract: contract(status: status(level: .backward, version: 1, fingerprint: fingerprint)),
            observed: SchemaContractObservation(subjectLevel: .backward, versions: [2]),
            actions: [.register(subject: subject, fingerprint: fingerprint, drift: true)]),
    ]

    @Test("the plan for each situation", arguments: cases)
    func plan(_ example: Case) {
        let (actions, waits) = SchemaContractDecision.plan(example.contract, fingerprint: Self.fingerprint, observed: example.observed)
        #expect(actions == example.actions)
        #expect(waits == example.waits)
    }

    @Test("the plan shows the exact registry calls, level before registration")
    func plannedCalls() {
        let (actions, _) = SchemaContractDecision.plan(Self.contract(), fingerprint: Self.fingerprint, observed: SchemaContractObservation())
        #expect(actions.flatMap(\.planned).compactMap(\.call) == [
            "PUT /config/orders-value",
            "POST /compatibility/subjects/orders-value/versions?verbose=true",
            "POST /subjects/orders-value/versions",
        ])
    }

    @Test("Plan lists one soft delete per newer version, with the exact call")
    func plannedDeletes() {
        let action = SchemaContractAction.deleteNewerVersions(subject: Self.subject, versions: [3, 2], ours: 1, foreign: [3])
        #expect(action.planned.map(\.call) == ["DELETE /subjects/orders-value/versions/3", "DELETE /subjects/orders-value/versions/2"])
        #expect(action.planned.map(\.verb) == ["DeleteVersion", "DeleteVersion"])
        #expect(action.planned[0].summary.contains("registered outside Kubernetes"))
        #expect(action.planned[1].summary.contains("registered for an earlier spec"))
        #expect(action.planned.allSatisfy { $0.summary.contains("version 1 with the spec's schema is the latest again") })
    }

    static let money = #"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"int"}]}"#
    static let moneyLong = #"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"units","type":"long"}]}"#
    static let order = #"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"total","type":"acme.Money"}]}"#

    @Test("a schema with references has the checker's fingerprint, which changes with the referenced type")
    func fingerprintWithReferences() throws {
        let fingerprint = SchemaContractDecision.fingerprint(Self.order, type: .avro, references: ["acme.Money": Self.money])
        #expect(fingerprint == (try ParsedSchema(Self.order, type: .avro, references: ["acme.Money": Self.money])).fingerprintHex)
        let inline = Self.order.replacingOccurrences(of: #""acme.Money""#, with: Self.money)
        #expect(fingerprint == SchemaContractDecision.fingerprint(inline, type: .avro), "the same as the self-contained schema")
        #expect(fingerprint != SchemaContractDecision.fingerprint(Self.order, type: .avro, references: ["acme.Money": Self.moneyLong]))
        // Without its reference the checker cannot parse it: the text's FNV-1a, marked as such.
        #expect(SchemaContractDecision.fingerprint(Self.order, type: .avro).hasPrefix("fnv1a:"))
    }

    @Test("formatting does not change an Avro schema's fingerprint; a field does")
    func fingerprints() {
        let a = SchemaContractDecision.fingerprint(#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#, type: .avro)
        let b = SchemaContractDecision.fingerprint(#"{ "type": "record", "name": "R", "fields": [ {"name": "a", "type": "int"} ] }"#, type: .avro)
        let c = SchemaContractDecision.fingerprint(#"{"type":"record","name":"R","fields":[{"name":"b","type":"int"}]}"#, type: .avro)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == 16)
    }
}
