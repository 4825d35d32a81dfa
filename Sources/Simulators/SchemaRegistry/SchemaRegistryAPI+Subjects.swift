import Foundation

extension SchemaRegistryAPI {
    // MARK: Schemas by id

    private func schemaID(_ route: RouteMatch) throws(SchemaRegistrySimulatorError) -> Int {
        guard let id = Int(route["id"]) else { throw .schemaNotFound(route["id"]) }
        return id
    }

    func getSchema(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let id = try schemaID(route)
        let subject = request.query["subject"]
        let schema = try store.read { state throws(SchemaRegistrySimulatorError) in
            let schema = try state.schema(id)
            if let subject, !subject.isEmpty,
                !(state.subjects[subject] ?? []).contains(where: { $0.schemaID == id })
            {
                throw .schemaNotFound(String(id))
            }
            return schema
        }
        return json(
            SchemaRegistryWire.SchemaByID(
                schema: schema.text, schemaType: Self.wireType(schema.type), references: Self.wire(schema.references)))
    }

    func getSchemaOnly(_ route: RouteMatch) throws -> SimulatorResponse {
        let id = try schemaID(route)
        let schema = try store.read { state throws(SchemaRegistrySimulatorError) in try state.schema(id) }
        return SimulatorResponse(status: 200, headers: [("Content-Type", Self.contentType)], body: Array(schema.text.utf8))
    }

    func getVersionsByID(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let id = try schemaID(route)
        let includeDeleted = flag("deleted", in: request)
        let pairs = try store.read { state throws(SchemaRegistrySimulatorError) in
            _ = try state.schema(id)
            return state.subjects.flatMap { subject, versions in
                versions.filter { $0.schemaID == id && (includeDeleted || !$0.deleted) }
                    .map { SchemaRegistryWire.SubjectAndVersion(subject: subject, version: $0.version) }
            }
            .sorted { ($0.subject, $0.version) < ($1.subject, $1.version) }
        }
        return json(pairs)
    }

    func getSubjectsByID(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let id = try schemaID(route)
        let includeDeleted = flag("deleted", in: request)
        let subjects = try store.read { state throws(SchemaRegistrySimulatorError) in
            _ = try state.schema(id)
            return state.subjects.filter { _, versions in
                versions.contains { $0.schemaID == id && (includeDeleted || !$0.deleted) }
            }.keys.sorted()
        }
        return json(subjects)
    }

    // MARK: Subjects

    func listSubjects(_ request: SimulatorRequest) throws -> SimulatorResponse {
        let prefix = request.query["subjectPrefix"] ?? ""
        let includeDeleted = flag("deleted", in: request)
        let deletedOnly = flag("deletedOnly", in: request)
        let subjects = try store.read { state in
            state.subjects.filter { subject, versions in
                guard subject.hasPrefix(prefix) else { return false }
                let hasLive = versions.contains { !$0.deleted }
                if deletedOnly { return versions.contains(where: \.deleted) }
                return hasLive || includeDeleted
            }.keys.sorted()
        }
        return json(subjects)
    }

    func listVersions(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let deletedOnly = flag("deletedOnly", in: request)
        let includeDeleted = flag("deleted", in: request) || deletedOnly
        let versions = try store.read { state throws(SchemaRegistrySimulatorError) in
            try state.visibleVersions(subject, includeDeleted: includeDeleted)
                .filter { !deletedOnly || $0.deleted }.map(\.version)
        }
        return json(versions)
    }

    func register(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let registration = try registration(request, subject: route["subject"])
        let rules = rules
        let flavor = configuration.flavor
        let registered = try store.write { state throws(SchemaRegistrySimulatorError) in
            try state.register(registration, enforce: true, rules: rules, flavor: flavor)
        }
        return json(SchemaRegistryWire.RegisterResponse(id: registered.id))
    }

    func lookUp(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let registration = try registration(request, subject: route["subject"])
        let includeDeleted = flag("deleted", in: request)
        let rules = rules
        let flavor = configuration.flavor
        let answer = try store.read { state throws(SchemaRegistrySimulatorError) in
            let record = try state.lookup(registration, includeDeleted: includeDeleted, rules: rules, flavor: flavor)
            return try subjectVersion(state, registration.subject, record)
        }
        return json(answer)
    }

    func getSchemaByVersion(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let selector = try VersionSelector(route["version"])
        let includeDeleted = flag("deleted", in: request)
        let answer = try store.read { state throws(SchemaRegistrySimulatorError) in
            try subjectVersion(state, subject, try state.version(subject, selector, includeDeleted: includeDeleted))
        }
        return json(answer)
    }

    func getSchemaOnlyByVersion(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let selector = try VersionSelector(route["version"])
        let includeDeleted = flag("deleted", in: request)
        let text = try store.read { state throws(SchemaRegistrySimulatorError) in
            try state.schema(try state.version(subject, selector, includeDeleted: includeDeleted).schemaID).text
        }
        return SimulatorResponse(status: 200, headers: [("Content-Type", Self.contentType)], body: Array(text.utf8))
    }

    func getReferencedBy(_ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let selector = try VersionSelector(route["version"])
        let ids = try store.read { state throws(SchemaRegistrySimulatorError) in
            let record = try state.version(subject, selector, includeDeleted: false)
            return state.referrers(of: subject, version: record.version).map(\.version.schemaID)
        }
        return json(ids)
    }

    func deleteSchemaVersion(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let selector = try VersionSelector(route["version"])
        let permanent = flag("permanent", in: request)
        let version = try store.write { state throws(SchemaRegistrySimulatorError) in
            try state.deleteVersion(subject, selector, permanent: permanent, enforce: true)
        }
        return json(version)
    }

    func deleteSubject(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let subject = route["subject"]
        let permanent = flag("permanent", in: request)
        let versions = try store.write { state throws(SchemaRegistrySimulatorError) in
            try state.deleteSubject(subject, permanent: permanent, enforce: true)
        }
        return json(versions)
    }

    // MARK: Compatibility

    /// Checks a schema against one version (or, for transitive levels, all) or, with
    /// `version` nil, against every version the level requires.
    func testCompatibility(_ request: SimulatorRequest, _ route: RouteMatch, version: String?) throws
        -> SimulatorResponse
    {
        let subject = route["subject"]
        let selector = try version.map { text throws(SchemaRegistrySimulatorError) in try VersionSelector(text) }
        let verbose = flag("verbose", in: request)
        let registration = try registration(request, subject: subject)
        let rules = rules
        let flavor = configuration.flavor
        let messages = try store.read { state throws(SchemaRegistrySimulatorError) -> [String] in
            var selected: VersionRecord?
            if let selector {
                if state.liveVersions(subject).isEmpty {
                    switch (selector, flavor) {
                    case (.latest, .confluent): return []
                    case (.latest, .karapace): throw .versionNotFound("latest")
                    case (.number, _): throw .subjectNotFound(subject)
                    }
                }
                selected = try state.version(subject, selector, includeDeleted: false)
            }
            let document: SchemaDocument
            do throws(SchemaRegistrySimulatorError) {
                document = try state.resolve(registration, flavor: flavor)
                _ = try state.key(for: document, references: registration.references, rules: rules)
            } catch {
                // Confluent reports an unusable schema as incompatible when asked to be verbose.
                guard error.errorCode == 42201, verbose, flavor == .confluent else { throw error }
                return [error.message]
            }
            let level = state.compatibility(of: subject)
            let versions = state.versionsToCheck(subject, level: level, against: selected)
            return state.incompatibilities(of: document, against: versions, level: level, rules: rules)
        }
        let showMessages = !messages.isEmpty && (verbose || flavor == .karapace)
        return json(
            SchemaRegistryWire.CompatibilityResult(isCompatible: messages.isEmpty, messages: showMessages ? messages : nil))
    }

    // MARK: Wire conversion

    private func subjectVersion(_ state: SchemaRegistryState, _ subject: String, _ record: VersionRecord)
        throws(SchemaRegistrySimulatorError) -> SchemaRegistryWire.SubjectVersion
    {
        let schema = try state.schema(record.schemaID)
        return SchemaRegistryWire.SubjectVersion(
            subject: subject, version: record.version, id: schema.id, schema: schema.text,
            schemaType: Self.wireType(schema.type), references: Self.wire(schema.references))
    }
}
