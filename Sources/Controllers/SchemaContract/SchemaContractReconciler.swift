import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import OpenLineage
import PlatformAPI
import SchemaCompatibility
import SchemaRegistry

/// Drives a SchemaContract: the subject's compatibility level, then its schema.
///
/// Each reconcile reads the registry (observe), decides with
/// ``SchemaContractDecision`` (pure), carries out the plan in Apply mode (act),
/// and writes status once.
/// Guarantees: the level is set before registering; a schema is registered only
/// after a compatibility check passed, and an incompatible one is not checked
/// again until the schema or the level changes; references are resolved (with
/// their own references) so `status.fingerprint` is the checker's fingerprint of
/// the schema as the registry parses it; the spec's schema is kept the subject's
/// latest version by soft-deleting newer ones (Warning Event `DriftDetected` for
/// those registered outside Kubernetes); Plan mode changes nothing in the registry.
/// Caveats: `status.compatibilityLevel` is the level the operator set on the
/// subject, or found already set to the spec's (nil when the subject follows
/// the registry's global level); it is what allows removing the level when the
/// spec drops it.
public struct SchemaContractReconciler: Reconciler {
    public typealias Object = SchemaContract

    let frame: ReconcileFrame<SchemaContract>
    let secrets: SecretValues
    let configMaps: Informer<ConfigMap>
    let connector: any SchemaRegistryConnector
    let defaults: SchemaRegistryDefaults
    let operatorNamespace: String
    /// Registrations and refused schemas as OpenLineage run events.
    let lineage: LineageReporter

    private var recorder: EventRecorder { frame.recorder }

    /// How often a contract waiting for a referenced subject looks again.
    static let referencePoll: Duration = .seconds(30)

    public init(
        client: KubernetesClient, secrets: SecretValues, configMaps: Informer<ConfigMap>, recorder: EventRecorder,
        connector: any SchemaRegistryConnector, defaults: SchemaRegistryDefaults, operatorNamespace: String,
        lineage: LineageReporter = .disabled
    ) {
        frame = ReconcileFrame(client: client, recorder: recorder, backend: "the registry")
        self.secrets = secrets
        self.configMaps = configMaps
        self.connector = connector
        self.defaults = defaults
        self.operatorNamespace = operatorNamespace
        self.lineage = lineage
    }

    /// The subject as a lineage dataset: namespace the registry (`http://host:port`), name the subject.
    private func dataset(
        _ object: SchemaContract, subject: String, version: Int? = nil, change: LineageFacet.LifecycleStateChange.Change? = nil,
        fields: [SchemaField]? = nil
    ) -> LineageDataset {
        let url = object.spec.registry?.url ?? defaults.url ?? "schema-registry"
        return LineageDataset(
            namespace: LineageDatasets.authority(url), name: subject,
            facets: LineageDatasetFacets(
                schema: fields.map { LineageFacet.Schema(fields: $0.map(Self.lineageField)) },
                dataSource: LineageFacet.DataSource(name: LineageDatasets.authority(url), uri: LineageDatasets.authority(url)),
                lifecycleStateChange: change.map { LineageFacet.LifecycleStateChange($0) },
                version: version.map { LineageFacet.DatasetVersion(String($0)) }))
    }

    private static func lineageField(_ field: SchemaField) -> LineageFacet.Schema.Field {
        LineageFacet.Schema.Field(name: field.name, type: field.type, fields: (field.fields ?? []).map(lineageField))
    }

    public func reconcile(_ object: SchemaContract, context: ReconcileContext) async throws -> ReconcileResult {
        try await frame.reconcile(object, cleanup: cleanup) { try await apply($0, run: &$1) }
    }

    typealias Run = ReconcileRun<SchemaContract>

    private func apply(_ object: SchemaContract, run: inout Run) async throws -> ReconcileResult {
        let spec = object.spec
        try await frame.validate(object, run: &run)
        guard let subject = spec.subjectName else {
            try await frame.stall(object, message: "spec: one of subject or topic is required", run: &run)
        }
        run.status.subject = subject

        let text: String
        do {
            text = try await schemaText(object)
        } catch let error as MissingConfigMapError {
            await frame.awaitInput(
                object, reason: StandardReason.configMapNotFound, action: "ReadSchema", message: error.description, run: &run)
            return .done
        }

        guard
            let registry = try await frame.backendClient(
                object, endpointField: "spec.registry", run: &run, make: { try connector.client(for: try await target(for: object)) })
        else { return .done }

        let definition = SchemaDefinition(
            schema: text, type: SchemaRegistry.SchemaType(rawValue: spec.type.rawValue) ?? .avro,
            references: (spec.references ?? []).map {
                SchemaRegistry.SchemaReference(name: $0.name, subject: $0.subject, version: $0.version)
            })
        let observed: SchemaContractObservation
        let referencedSchemas: [String: String]
        do {
            (observed, referencedSchemas) = try await observe(spec, subject: subject, definition: definition, registry: registry)
        } catch let error as SchemaRegistryError {
            markBackendError(error, run: &run)
            throw error
        }
        let fingerprint = SchemaContractDecision.fingerprint(text, type: spec.type, references: referencedSchemas)

        let (actions, waits) = SchemaContractDecision.plan(object, fingerprint: fingerprint, observed: observed)
        if spec.mode == .plan {
            run.status.plan = actions.flatMap(\.planned)
            summarizePlan(object, subject: subject, actions: actions, waits: waits, run: &run)
            return .done
        }
        run.status.plan = nil

        var state = observed
        var blocked: [SchemaContractWait] = []
        var applied: [PlannedAction] = []
        defer { run.recordApplied(applied) }
        for action in actions {
            do {
                if let wait = try await perform(
                    action, object: object, definition: definition, references: referencedSchemas, registry: registry,
                    state: &state, run: &run)
                {
                    blocked.append(wait)
                } else {
                    applied += action.planned
                }
            } catch let error as SchemaRegistryError {
                markBackendError(error, run: &run)
                throw error
            }
        }
        // The spec's level is ours also when an earlier run set it but stopped before writing status.
        if let level = spec.compatibility, state.subjectLevel == level { run.status.compatibilityLevel = level }
        return await summarize(object, subject: subject, fingerprint: fingerprint, state: state, waits: waits + blocked, run: &run)
    }

    // MARK: Observe

    /// Reads the subject's level, its live versions and whether one holds the spec's schema,
    /// and resolves `spec.references` to the texts they name (with their own references),
    /// so the fingerprint is computed as the registry parses the schema.
    private func observe(
        _ spec: SchemaContractSpec, subject: String, definition: SchemaDefinition, registry: any SchemaRegistryClient
    ) async throws -> (SchemaContractObservation, references: [String: String]) {
        var observed = SchemaContractObservation(
            subjectLevel: try await registry.getSubjectCompatibility(subject: subject).map(Self.platformLevel),
            globalLevel: Self.platformLevel(try await registry.getGlobalCompatibility()))
        var resolver = ReferenceResolver(registry: registry)
        for (index, reference) in (spec.references ?? []).enumerated() {
            let target = SchemaRegistry.SchemaReference(name: reference.name, subject: reference.subject, version: reference.version)
            if try await !resolver.resolve(target, includeDeleted: false) {
                observed.missingReferences.append(index)
            }
        }
        do {
            observed.versions = try await registry.listVersions(subject: subject)
        } catch let error as SchemaRegistryError where error.kind == .subjectNotFound {
            observed.versions = []
        }
        if observed.missingReferences.isEmpty, !observed.versions.isEmpty {
            do {
                if let found = try await registry.lookup(
                    subject: subject, definition: definition, normalize: spec.normalize, includeDeleted: false)
                {
                    observed.registered = RegisteredVersion(version: found.version, id: Int64(found.id))
                }
            } catch let error as SchemaRegistryError where error.kind == .invalidSchema {
                // An invalid schema is not registered; the compatibility check reports why.
            }
        }
        return (observed, resolver.texts)
    }

    /// Resolves references as the registry does before parsing a schema: each to the text
    /// of the subject version it names, references of references first, so an outer name
    /// wins over a nested one; each subject version is read once.
    struct ReferenceResolver {
        let registry: any SchemaRegistryClient
        /// Reference name → schema text, flattened.
        private(set) var texts: [String: String] = [:]
        private var visited: Set<String> = []
        /// How deep references of references are followed.
        static let maxDepth = 32

        init(registry: any SchemaRegistryClient) { self.registry = registry }

        /// Adds `reference` and what it references; false when its subject or version is not in the registry.
        /// Nested references may name soft-deleted versions, as the registry allows.
        mutating func resolve(_ reference: SchemaRegistry.SchemaReference, includeDeleted: Bool, depth: Int = 0) async throws -> Bool {
            let found: RegisteredSchema
            do {
                found = try await registry.getVersion(
                    subject: reference.subject, version: .number(reference.version), includeDeleted: includeDeleted)
            } catch let error as SchemaRegistryError where error.kind == .subjectNotFound || error.kind == .versionNotFound {
                return false
            }
            if depth < Self.maxDepth, visited.insert("\(reference.subject)@\(reference.version)").inserted {
                for nested in found.definition.references {
                    // A nested reference that does not resolve leaves the schema unparsable; the registry says why.
                    _ = try await resolve(nested, includeDeleted: true, depth: depth + 1)
                }
            }
            texts[reference.name] = found.definition.schema
            return true
        }
    }

    // MARK: Act

    /// Carries out one action; returns what stopped it when the registry refused it for good.
    private func perform(
        _ action: SchemaContractAction, object: SchemaContract, definition: SchemaDefinition, references: [String: String],
        registry: any SchemaRegistryClient, state: inout SchemaContractObservation, run: inout Run
    ) async throws -> SchemaContractWait? {
        let spec = object.spec
        switch action {
        case .setCompatibility(let subject, let level, let drift):
            let before = state.subjectLevel
            try await registry.setSubjectCompatibility(subject: subject, level: Self.registryLevel(level))
            state.subjectLevel = level
            run.status.compatibilityLevel = level
            if drift {
                await recorder.record(
                    .warning, reason: StandardReason.driftDetected, action: "SetCompatibility",
                    note: "the level of subject \(subject) was changed outside Kubernetes to \(before?.rawValue ?? "the global default"); set back to \(level.rawValue)",
                    regarding: object)
            } else {
                await recorder.record(
                    .normal, reason: "CompatibilitySet", action: "SetCompatibility",
                    note: "set the level of subject \(subject) to \(level.rawValue)", regarding: object)
            }
            return nil

        case .removeCompatibility(let subject, let level):
            do {
                _ = try await registry.deleteSubjectCompatibility(subject: subject)
            } catch let error as SchemaRegistryError where error.kind == .subjectConfigNotFound || error.kind == .subjectNotFound {
                // Already follows the global level.
            }
            state.subjectLevel = nil
            run.status.compatibilityLevel = nil
            await recorder.record(
                .normal, reason: "CompatibilityRemoved", action: "RemoveCompatibility",
                note: "removed level \(level.rawValue) from subject \(subject); it follows the registry's global level \(state.globalLevel.rawValue)",
                regarding: object)
            return nil

        case .register(let subject, let fingerprint, let drift):
            let level = state.subjectLevel ?? state.globalLevel
            let verdict: CompatibilityResult
            do {
                verdict = try await registry.checkCompatibility(
                    subject: subject, definition: definition, against: .allVersions, normalize: spec.normalize)
            } catch let error as SchemaRegistryError where error.kind == .subjectNotFound || error.kind == .versionNotFound {
                // Nothing registered yet: nothing to break.
                verdict = CompatibilityResult(isCompatible: true)
            } catch let error as SchemaRegistryError where error.kind == .invalidSchema {
                await invalidSchema(error, object: object, run: &run)
                return .incompatible(fingerprint: fingerprint, level: level)
            }
            guard verdict.isCompatible else {
                await incompatible(verdict.messages, subject: subject, fingerprint: fingerprint, level: level, object: object, run: &run)
                return .incompatible(fingerprint: fingerprint, level: level)
            }
            run.status.lastCompatibilityCheck = CompatibilityCheck(
                result: .compatible, level: level, fingerprint: fingerprint, time: run.now)
            let registration: SchemaRegistration
            do {
                registration = try await registry.register(subject: subject, definition: definition, normalize: spec.normalize)
            } catch let error as SchemaRegistryError where error.kind == .incompatibleSchema {
                // Another writer got in between the check and the registration.
                await incompatible([error.message], subject: subject, fingerprint: fingerprint, level: level, object: object, run: &run)
                return .incompatible(fingerprint: fingerprint, level: level)
            } catch let error as SchemaRegistryError where error.kind == .invalidSchema {
                await invalidSchema(error, object: object, run: &run)
                return .incompatible(fingerprint: fingerprint, level: level)
            }
            var version = registration.version
            if version == nil {
                version = try await registry.lookup(
                    subject: subject, definition: definition, normalize: spec.normalize, includeDeleted: false)?.version
            }
            let registered = RegisteredVersion(version: version ?? 0, id: Int64(registration.id))
            state.registered = registered
            if !state.versions.contains(registered.version) { state.versions.append(registered.version) }
            run.status.schemaID = registered.id
            run.status.version = registered.version
            run.status.fingerprint = fingerprint
            let note = "registered schema \(fingerprint) as version \(registered.version) of subject \(subject) (id \(registered.id))"
            if drift {
                await recorder.record(
                    .warning, reason: StandardReason.driftDetected, action: "Register",
                    note: "the registered version was deleted outside Kubernetes; " + note, regarding: object)
            } else {
                await recorder.record(.normal, reason: SchemaContract.Reason.schemaRegistered, action: "Register", note: note, regarding: object)
            }
            await lineage.report(
                .complete, object: object, action: "register", jobType: "SCHEMA_REGISTRATION",
                outputs: [
                    dataset(
                        object, subject: subject, version: registered.version, change: registered.version == 1 ? .create : .alter,
                        fields: (try? ParsedSchema(
                            definition.schema, type: SchemaCompatibility.SchemaType(rawValue: spec.type.rawValue) ?? .avro,
                            references: references))?.fields)
                ])
            return nil

        case .deleteNewerVersions(let subject, let versions, let ours, let foreign):
            var deleted: [Int] = []
            var blocked: SchemaContractWait?
            deleting: for version in versions {
                do {
                    _ = try await registry.deleteVersion(subject: subject, version: .number(version), permanent: false)
                    deleted.append(version)
                } catch let error as SchemaRegistryError where error.kind == .versionNotFound || error.kind == .versionSoftDeleted {
                    // Deleted by someone else meanwhile: gone from the live versions all the same.
                } catch let error as SchemaRegistryError where error.kind == .referenceExists {
                    // Reported by the status summary, with an Event when the condition changes.
                    blocked = .foreignVersion(latest: version, ours: ours)
                    break deleting
                }
                state.versions.removeAll { $0 == version }
            }
            guard !deleted.isEmpty else { return blocked }
            let named = (deleted.count == 1 ? "version " : "versions ") + deleted.map(String.init).joined(separator: ", ")
            let drifted = deleted.filter(foreign.contains)
            let outcome = "soft-deleted \(deleted.count == 1 ? "it" : "them") so the spec's schema is the latest again"
            if drifted.isEmpty {
                await recorder.record(
                    .normal, reason: "VersionsDeleted", action: "DeleteVersion",
                    note: "\(named) of subject \(subject) registered for an earlier spec, newer than version \(ours) which holds the spec's schema: \(outcome)",
                    regarding: object)
            } else {
                let who =
                    drifted.count == deleted.count
                    ? "registered outside Kubernetes"
                    : "(\(drifted.map(String.init).joined(separator: ", ")) registered outside Kubernetes)"
                await recorder.record(
                    .warning, reason: StandardReason.driftDetected, action: "DeleteVersion",
                    note: "\(named) of subject \(subject) \(who), newer than version \(ours) which holds the spec's schema: \(outcome)",
                    regarding: object)
            }
            return blocked
        }
    }

    private func incompatible(
        _ messages: [String], subject: String, fingerprint: String, level: PlatformAPI.CompatibilityLevel,
        object: SchemaContract, run: inout Run
    ) async {
        let kept = messages.prefix(20).map { truncated($0, limit: 2048) }
        run.status.lastCompatibilityCheck = CompatibilityCheck(
            result: .incompatible, level: level, fingerprint: fingerprint, messages: kept.isEmpty ? nil : Array(kept), time: run.now)
        let detail = kept.isEmpty ? "" : ": " + kept.joined(separator: "; ")
        let note = truncated("schema \(fingerprint) is not \(level.rawValue) compatible with subject \(subject)\(detail)")
        await recorder.record(.warning, reason: SchemaContract.Reason.incompatibleSchema, action: "CheckCompatibility", note: note, regarding: object)
        await lineage.report(
            .fail, object: object, action: "register", jobType: "SCHEMA_REGISTRATION", outputs: [dataset(object, subject: subject)],
            error: note)
    }

    private func invalidSchema(_ error: SchemaRegistryError, object: SchemaContract, run: inout Run) async {
        let message = truncated("the registry rejects the schema: \(error.message)")
        run.status.set(
            SchemaContract.ConditionType.compatible, .false, reason: SchemaContract.Reason.invalidSchema, message: message,
            generation: run.generation, now: run.now)
        await recorder.record(.warning, reason: SchemaContract.Reason.invalidSchema, action: "Register", note: message, regarding: object)
    }

    // MARK: Status

    private func summarize(
        _ object: SchemaContract, subject: String, fingerprint: String, state: SchemaContractObservation,
        waits: [SchemaContractWait], run: inout Run
    ) async -> ReconcileResult {
        let generation = run.generation
        let now = run.now
        let level = state.subjectLevel ?? state.globalLevel
        let levelText = state.subjectLevel == nil ? "the registry's global level \(level.rawValue)" : "level \(level.rawValue)"
        typealias ConditionType = SchemaContract.ConditionType
        typealias Reason = SchemaContract.Reason

        for wait in waits {
            switch wait {
            case .referenceMissing(let index):
                let reference = object.spec.references?[index]
                let message = "spec.references[\(index)]: subject \(reference?.subject ?? "?") version \(reference?.version ?? 0) is not in the registry"
                run.status.set(ConditionType.registered, .false, reason: Reason.referenceNotFound, message: message, generation: generation, now: now)
                run.status.set(ConditionType.compatible, .unknown, reason: Reason.referenceNotFound, message: message, generation: generation, now: now)
                run.status.markNotReady(generation: generation, reason: Reason.referenceNotFound, message: message, now: now)
                return .requeue(after: Self.referencePoll)
            case .incompatible:
                if run.status.condition(ConditionType.compatible)?.reason == Reason.invalidSchema,
                    run.status.lastCompatibilityCheck?.fingerprint != fingerprint || run.status.lastCompatibilityCheck?.result != .incompatible
                {
                    let message = run.status.condition(ConditionType.compatible)?.message ?? "invalid schema"
                    run.status.set(ConditionType.registered, .false, reason: Reason.invalidSchema, message: "not registered: the schema is invalid", generation: generation, now: now)
                    run.status.markStalled(generation: generation, reason: Reason.invalidSchema, message: message, now: now)
                    return .done
                }
                let messages = run.status.lastCompatibilityCheck?.messages ?? []
                let message = truncated(
                    "schema \(fingerprint) is not compatible with subject \(subject) at \(levelText)"
                        + (messages.isEmpty ? "" : ": " + messages.joined(separator: "; "))
                        + "; not registered, checked again when the schema or the level changes")
                run.status.set(ConditionType.compatible, .false, reason: Reason.incompatibleSchema, message: message, generation: generation, now: now)
                let registeredMessage = run.status.version.map { "version \($0) stays the latest; the new schema is not registered" } ?? "the schema is not registered"
                run.status.set(ConditionType.registered, .false, reason: Reason.incompatibleSchema, message: registeredMessage, generation: generation, now: now)
                run.status.markStalled(generation: generation, reason: Reason.incompatibleSchema, message: message, now: now)
                return .done
            case .foreignVersion:
                break
            }
        }

        guard let registered = state.registered else {
            run.status.markReconciling(generation: generation, reason: StandardReason.progressing, message: "registering the schema", now: now)
            return .done
        }
        run.status.schemaID = registered.id
        run.status.version = registered.version
        run.status.fingerprint = fingerprint
        run.status.set(
            ConditionType.compatible, .true, reason: Reason.compatibilityChecked,
            message: "registered under \(levelText)", generation: generation, now: now)
        if let latest = state.latestVersion, latest > registered.version {
            let blocked = waits.contains { if case .foreignVersion = $0 { true } else { false } }
            let message =
                blocked
                ? "version \(latest) of subject \(subject) is newer than version \(registered.version), which holds the spec's schema, and cannot be soft-deleted: another schema references it. Put the newer schema in the spec, or remove the references to version \(latest)"
                : "version \(latest) of subject \(subject) is newer than version \(registered.version), which holds the spec's schema"
            if run.status.condition(ConditionType.registered)?.reason != Reason.foreignVersion {
                await recorder.record(.warning, reason: Reason.foreignVersion, action: "Observe", note: message, regarding: object)
            }
            run.status.set(ConditionType.registered, .false, reason: Reason.foreignVersion, message: message, generation: generation, now: now)
            run.status.markNotReady(generation: generation, reason: Reason.foreignVersion, message: message, now: now)
            return .done
        }
        run.status.set(
            ConditionType.registered, .true, reason: Reason.schemaRegistered,
            message: "version \(registered.version) (id \(registered.id)) is the latest of subject \(subject)", generation: generation, now: now)
        run.status.markReady(
            generation: generation, reason: StandardReason.reconciled,
            message: "subject \(subject) version \(registered.version) (id \(registered.id)) at \(levelText)", now: now)
        return .done
    }

    private func summarizePlan(
        _ object: SchemaContract, subject: String, actions: [SchemaContractAction], waits: [SchemaContractWait], run: inout Run
    ) {
        if let wait = waits.first {
            let message: String
            switch wait {
            case .referenceMissing(let index):
                let reference = object.spec.references?[index]
                message = "Plan mode: spec.references[\(index)]: subject \(reference?.subject ?? "?") version \(reference?.version ?? 0) is not in the registry"
            case .incompatible(let fingerprint, let level):
                message = "Plan mode: schema \(fingerprint) was found incompatible at level \(level.rawValue); it would not be registered"
            case .foreignVersion(let latest, let ours):
                message = "Plan mode: version \(latest) of subject \(subject) is newer than version \(ours), which holds the spec's schema"
            }
            run.status.markNotReady(generation: run.generation, reason: StandardReason.planPending, message: message, now: run.now)
        } else {
            frame.summarizePlan(changes: actions.count, run: &run)
        }
    }

    private func markBackendError(_ error: SchemaRegistryError, run: inout Run) {
        let reason: String
        switch error.kind {
        case .unauthorized, .forbidden: reason = StandardReason.authenticationFailed
        case .operationNotPermitted: reason = SchemaContract.Reason.registryReadOnly
        default: reason = StandardReason.backendUnavailable
        }
        run.status.markNotReady(generation: run.generation, reason: reason, message: truncated(error.description), now: run.now)
    }

    // MARK: Inputs

    /// A `schemaFrom` ConfigMap or key that does not exist. Not terminal: its creation re-queues the object.
    struct MissingConfigMapError: Error, CustomStringConvertible {
        var namespace: String
        var name: String
        var key: String
        var configMapExists: Bool

        var description: String {
            configMapExists
                ? "spec.schemaFrom.configMapKeyRef: key \"\(key)\" not found in ConfigMap \(namespace)/\(name)"
                : "spec.schemaFrom.configMapKeyRef: ConfigMap \(namespace)/\(name) not found"
        }
    }

    private func schemaText(_ object: SchemaContract) async throws -> String {
        if let schema = object.spec.schema { return schema }
        guard let reference = object.spec.schemaFrom?.configMapKeyRef else { return "" }
        let namespace = object.namespace ?? "default"
        guard let configMap = await configMaps.get("\(namespace)/\(reference.name)") else {
            throw MissingConfigMapError(namespace: namespace, name: reference.name, key: reference.key, configMapExists: false)
        }
        guard let text = configMap.data?[reference.key] else {
            throw MissingConfigMapError(namespace: namespace, name: reference.name, key: reference.key, configMapExists: true)
        }
        return text
    }

    private func target(for object: SchemaContract) async throws -> BackendTarget {
        try await secrets.target(
            object.spec.registry, field: "spec.registry", namespace: object.namespace ?? "default", defaults: defaults,
            configKey: "schemaRegistry", operatorNamespace: operatorNamespace, backendName: "schema registry")
    }

    // MARK: Deletion

    private func cleanup(_ object: SchemaContract) async throws -> ReconcileResult {
        let spec = object.spec
        let finalizers = Finalizers(client: frame.client)
        guard spec.deletionPolicy == .delete, spec.mode == .apply, let subject = spec.subjectName else {
            try await finalizers.remove(PlatformAPIGroup.finalizer, from: SchemaContract.resource, metadata: object.metadata)
            return .done
        }
        let run = Run(object: object)
        do {
            let registry = try connector.client(for: try await target(for: object))
            do {
                let versions = try await registry.deleteSubject(subject: subject, permanent: false)
                await recorder.record(
                    .normal, reason: "SubjectDeleted", action: "DeleteSubject",
                    note: "soft-deleted subject \(subject) (versions \(versions.map(String.init).joined(separator: ", ")))", regarding: object)
            } catch let error as SchemaRegistryError where error.kind == .subjectNotFound || error.kind == .subjectSoftDeleted {
                // Already soft-deleted or gone.
            }
            if spec.hardDelete {
                do {
                    _ = try await registry.deleteSubject(subject: subject, permanent: true)
                    await recorder.record(
                        .normal, reason: "SubjectDeleted", action: "DeleteSubject", note: "permanently deleted subject \(subject)", regarding: object)
                } catch let error as SchemaRegistryError where error.kind == .subjectNotFound {
                    // Already gone.
                }
            }
            try await finalizers.remove(PlatformAPIGroup.finalizer, from: SchemaContract.resource, metadata: object.metadata)
            return .done
        } catch let error as SchemaRegistryError {
            try await frame.deletionFailed(
                error, reason: error.kind == .referenceExists ? StandardReason.deletionBlocked : StandardReason.deleting,
                message: truncated("cannot delete subject \(subject) yet: \(error.description)"), object: object, run: run)
        } catch let error as MissingSecretError {
            return try await frame.deletionAwaitsSecret(error, deleting: "subject \(subject)", object: object, run: run)
        }
    }

    // MARK: Levels

    static func platformLevel(_ level: SchemaRegistry.CompatibilityLevel) -> PlatformAPI.CompatibilityLevel {
        PlatformAPI.CompatibilityLevel(rawValue: level.rawValue) ?? .backward
    }

    static func registryLevel(_ level: PlatformAPI.CompatibilityLevel) -> SchemaRegistry.CompatibilityLevel {
        SchemaRegistry.CompatibilityLevel(rawValue: level.rawValue) ?? .backward
    }
}
