import Foundation
import KubeAPI
import PlatformAPI
import SchemaCompatibility

/// A version of the subject: its number and the registry's global id.
public struct RegisteredVersion: Sendable, Hashable {
    public var version: Int
    public var id: Int64

    public init(version: Int, id: Int64) {
        self.version = version
        self.id = id
    }
}

/// What the registry looked like when a reconcile started.
public struct SchemaContractObservation: Sendable, Hashable {
    /// The subject's own level; nil when it follows the registry's global level.
    public var subjectLevel: PlatformAPI.CompatibilityLevel?
    /// The registry's global level.
    public var globalLevel: PlatformAPI.CompatibilityLevel
    /// The live version of the subject holding the spec's schema; nil when none does.
    public var registered: RegisteredVersion?
    /// The subject's live (not soft-deleted) version numbers; empty when it has none.
    public var versions: [Int]
    /// Indexes into `spec.references` of the references that do not resolve, in order.
    public var missingReferences: [Int]

    public init(
        subjectLevel: PlatformAPI.CompatibilityLevel? = nil, globalLevel: PlatformAPI.CompatibilityLevel = .backward,
        registered: RegisteredVersion? = nil, versions: [Int] = [], missingReferences: [Int] = []
    ) {
        self.subjectLevel = subjectLevel
        self.globalLevel = globalLevel
        self.registered = registered
        self.versions = versions
        self.missingReferences = missingReferences
    }

    /// The subject's newest live version; nil when it has none.
    public var latestVersion: Int? { versions.max() }

    /// Live versions newer than the one holding the spec's schema, newest first.
    public var newerThanRegistered: [Int] {
        guard let registered else { return [] }
        return versions.filter { $0 > registered.version }.sorted(by: >)
    }
}

/// One change to the registry, in the order Apply makes them.
public enum SchemaContractAction: Sendable, Hashable {
    /// `PUT /config/<subject>`; `drift` when the operator had set this level and it was changed outside.
    case setCompatibility(subject: String, level: PlatformAPI.CompatibilityLevel, drift: Bool)
    /// `DELETE /config/<subject>`: the spec no longer names a level, so the subject follows the global one again.
    case removeCompatibility(subject: String, level: PlatformAPI.CompatibilityLevel)
    /// A verbose compatibility check, then `POST /subjects/<subject>/versions` if it passes;
    /// `drift` when the version the operator registered was deleted outside Kubernetes.
    case register(subject: String, fingerprint: String, drift: Bool)
    /// `DELETE /subjects/<subject>/versions/<n>` (a soft delete) for each of `versions`, newest
    /// first, so `ours`, the version holding the spec's schema, is the latest again. `foreign`
    /// lists those this SchemaContract did not register (drift); the others it registered for
    /// an earlier spec, which went back to an older schema.
    case deleteNewerVersions(subject: String, versions: [Int], ours: Int, foreign: [Int])

    /// The action as `status.plan` shows it, with the exact calls Apply sends.
    public var planned: [PlannedAction] {
        switch self {
        case .setCompatibility(let subject, let level, let drift):
            return [
                PlannedAction(
                    verb: "SetCompatibility", target: "subject \(subject)",
                    summary: drift
                        ? "set the compatibility level back to \(level.rawValue) (it was changed outside Kubernetes)"
                        : "set the compatibility level to \(level.rawValue) before registering",
                    call: "PUT /config/\(subject)")
            ]
        case .removeCompatibility(let subject, let level):
            return [
                PlannedAction(
                    verb: "RemoveCompatibility", target: "subject \(subject)",
                    summary: "remove the subject's level \(level.rawValue) so it follows the registry's global level",
                    call: "DELETE /config/\(subject)")
            ]
        case .register(let subject, let fingerprint, let drift):
            return [
                PlannedAction(
                    verb: "CheckCompatibility", target: "subject \(subject)",
                    summary: "check schema \(fingerprint) against the subject's versions at its level",
                    call: "POST /compatibility/subjects/\(subject)/versions?verbose=true"),
                PlannedAction(
                    verb: "Register", target: "subject \(subject)",
                    summary: drift
                        ? "register schema \(fingerprint) again (its version was deleted outside Kubernetes) if compatible"
                        : "register schema \(fingerprint) if compatible",
                    call: "POST /subjects/\(subject)/versions"),
            ]
        case .deleteNewerVersions(let subject, let versions, let ours, let foreign):
            return versions.map { version in
                PlannedAction(
                    verb: "DeleteVersion", target: "subject \(subject) version \(version)",
                    summary: (foreign.contains(version)
                        ? "soft-delete version \(version), registered outside Kubernetes"
                        : "soft-delete version \(version), registered for an earlier spec")
                        + ", so version \(ours) with the spec's schema is the latest again",
                    call: "DELETE /subjects/\(subject)/versions/\(version)")
            }
        }
    }
}

/// Why nothing is registered where one might expect it.
public enum SchemaContractWait: Sendable, Hashable {
    /// `spec.references[index]` names a subject version the registry does not have.
    case referenceMissing(index: Int)
    /// This schema was found incompatible at this level; checked again when either changes.
    case incompatible(fingerprint: String, level: PlatformAPI.CompatibilityLevel)
    /// The spec's schema is registered, but a newer version is the latest and the registry
    /// refused to soft-delete it (another schema references it).
    case foreignVersion(latest: Int, ours: Int)
}

/// The pure half of the SchemaContract reconciler: from the spec, the last status
/// and what the registry holds, the changes Apply would make, in order.
///
/// Guarantees: the level is set (or removed) before any registration; an
/// incompatible verdict for the same schema and level is not checked again; a
/// level is removed only when the operator set it (`status.compatibilityLevel`);
/// when the spec's schema is registered but not the latest, the newer versions are
/// soft-deleted (never permanently), so the spec's schema is what `latest` answers.
public enum SchemaContractDecision {
    public static func plan(
        _ object: SchemaContract, fingerprint: String, observed: SchemaContractObservation
    ) -> (actions: [SchemaContractAction], waits: [SchemaContractWait]) {
        let spec = object.spec
        let status = object.status ?? SchemaContractStatus()
        guard let subject = spec.subjectName else { return ([], []) }
        var actions: [SchemaContractAction] = []
        var waits: [SchemaContractWait] = []

        if let level = spec.compatibility {
            if observed.subjectLevel != level {
                let drift = status.compatibilityLevel == level && observed.subjectLevel != nil
                actions.append(.setCompatibility(subject: subject, level: level, drift: drift))
            }
        } else if let ours = status.compatibilityLevel, observed.subjectLevel == ours {
            actions.append(.removeCompatibility(subject: subject, level: ours))
        }

        if let registered = observed.registered {
            let newer = observed.newerThanRegistered
            if !newer.isEmpty {
                actions.append(
                    .deleteNewerVersions(
                        subject: subject, versions: newer, ours: registered.version,
                        foreign: newer.filter { $0 != status.version }))
            }
            return (actions, waits)
        }
        if let index = observed.missingReferences.first {
            waits.append(.referenceMissing(index: index))
            return (actions, waits)
        }
        let level = effectiveLevel(spec: spec, observed: observed, status: status)
        if let check = status.lastCompatibilityCheck, check.result == .incompatible, check.fingerprint == fingerprint,
            check.level == level
        {
            waits.append(.incompatible(fingerprint: fingerprint, level: level))
            return (actions, waits)
        }
        let drift = status.version != nil && status.fingerprint == fingerprint
        actions.append(.register(subject: subject, fingerprint: fingerprint, drift: drift))
        return (actions, waits)
    }

    /// The level the subject has once the planned level changes are made.
    public static func effectiveLevel(
        spec: SchemaContractSpec, observed: SchemaContractObservation, status: SchemaContractStatus
    ) -> PlatformAPI.CompatibilityLevel {
        if let level = spec.compatibility { return level }
        if let own = observed.subjectLevel, own != status.compatibilityLevel { return own }
        return observed.globalLevel
    }

    /// The schema's fingerprint: the CRC-64-AVRO (Rabin) fingerprint of the checker's
    /// canonical form (the Avro Parsing Canonical Form, and the equivalents for JSON Schema
    /// and Protobuf), so formatting changes do not count as a new schema.
    ///
    /// `references` maps each reference name to the schema text it resolves to, including
    /// references of references (see `ParsedSchema.init(_:type:references:)`). An Avro
    /// canonical form spells out the referenced types, so a change inside one changes the
    /// fingerprint; for JSON Schema and Protobuf it is that of the text alone.
    /// A schema the checker cannot parse (the registry will refuse it and say why) falls
    /// back to FNV-1a of its text, `fnv1a:` and 16 hex digits.
    public static func fingerprint(
        _ text: String, type: PlatformAPI.SchemaType, references: [String: String] = [:]
    ) -> String {
        let parsedType = SchemaCompatibility.SchemaType(rawValue: type.rawValue) ?? .avro
        if let parsed = try? ParsedSchema(text, type: parsedType, references: references) { return parsed.fingerprintHex }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
