/// A registration as both the HTTP handler and the Swift API ask for it.
struct Registration: Sendable {
    var subject: String
    var text: String
    var type: SchemaRegistrySimulator.SchemaType
    var references: [SchemaRegistrySimulator.Reference]
    var normalize: Bool
}

extension SchemaRegistryState {
    /// How deep reference chains are followed before a schema is rejected.
    static let maxReferenceDepth = 32

    // MARK: Documents

    /// A stored schema with its references resolved, for the rules.
    func document(for schema: SchemaRecord) -> SchemaDocument {
        var texts: [String: String] = [:]
        var visited: Set<SchemaRegistrySimulator.Reference> = []
        resolveStored(schema.references, into: &texts, visited: &visited, depth: 0)
        return SchemaDocument(type: schema.type, text: schema.text, references: texts)
    }

    /// Adds the texts `references` resolve to, references of references first, so an outer
    /// name wins over a nested one, as Confluent's resolution does. Soft-deleted versions
    /// resolve: a schema that refers to one keeps meaning what it meant.
    private func resolveStored(
        _ references: [SchemaRegistrySimulator.Reference], into texts: inout [String: String],
        visited: inout Set<SchemaRegistrySimulator.Reference>, depth: Int
    ) {
        guard depth < Self.maxReferenceDepth else { return }
        for reference in references {
            guard let target = subjects[reference.subject]?.first(where: { $0.version == reference.version }),
                let record = schemas[target.schemaID]
            else { continue }
            if visited.insert(reference).inserted {
                resolveStored(record.references, into: &texts, visited: &visited, depth: depth + 1)
            }
            texts[reference.name] = record.text
        }
    }

    /// Resolves a new schema's references (subject and version to that version's text,
    /// recursively); a missing subject or version is an invalid schema.
    func resolve(_ registration: Registration, flavor: SchemaRegistrySimulator.Flavor)
        throws(SchemaRegistrySimulatorError) -> SchemaDocument
    {
        if flavor == .karapace, registration.type == .json, !registration.references.isEmpty {
            throw SchemaRegistrySimulatorError(
                status: 422, errorCode: 44302, message: "Schema references are not supported for 'JSON' schema type")
        }
        var texts: [String: String] = [:]
        var visited: Set<SchemaRegistrySimulator.Reference> = []
        for reference in registration.references {
            guard let target = liveVersions(reference.subject).first(where: { $0.version == reference.version }),
                let record = schemas[target.schemaID]
            else {
                throw .invalidSchema(
                    "\(registration.text), details: reference '\(reference.name)' to subject '\(reference.subject)' "
                        + "version \(reference.version) not found")
            }
            if visited.insert(reference).inserted {
                resolveStored(record.references, into: &texts, visited: &visited, depth: 1)
            }
            texts[reference.name] = record.text
        }
        return SchemaDocument(type: registration.type, text: registration.text, references: texts)
    }

    /// The schema's identity key after the rules accept it.
    func key(for document: SchemaDocument, references: [SchemaRegistrySimulator.Reference], rules: any SchemaRules)
        throws(SchemaRegistrySimulatorError) -> SchemaKey
    {
        do {
            let canonical = try rules.canonicalForm(of: document)
            return SchemaKey(type: document.type, canonical: canonical, references: references)
        } catch {
            throw .invalidSchema("\(document.text), details: \(error.detail)")
        }
    }

    // MARK: Compatibility

    /// The live versions a new schema must be compatible with under `level`.
    func versionsToCheck(_ subject: String, level: Level, against selected: VersionRecord?) -> [VersionRecord] {
        let live = liveVersions(subject)
        if level == .none { return [] }
        if level.isTransitive { return live }
        if let selected { return [selected] }
        return live.last.map { [$0] } ?? []
    }

    /// Incompatibility messages of `document` against `versions` (newest first), in
    /// Confluent's verbose style; empty when compatible.
    func incompatibilities(
        of document: SchemaDocument, against versions: [VersionRecord], level: Level, rules: any SchemaRules
    ) -> [String] {
        var messages: [String] = []
        for record in versions.reversed() {
            guard let schema = schemas[record.schemaID] else { continue }
            let problems = rules.incompatibilities(of: document, against: self.document(for: schema), level: level)
            guard !problems.isEmpty else { continue }
            messages += problems
            messages.append("{oldSchemaVersion: \(record.version)}")
            messages.append("{oldSchema: '\(schema.text)'}")
            messages.append("{compatibility: '\(level.rawValue)'}")
        }
        return messages
    }

    // MARK: Registration

    /// Registers a schema under a subject; answers the existing id and version when the
    /// subject already holds the same schema.
    ///
    /// With `enforce`, the subject's mode and compatibility level apply (as over HTTP);
    /// without, only validity and references do (the Swift API arranging state).
    mutating func register(
        _ registration: Registration, enforce: Bool, rules: any SchemaRules, flavor: SchemaRegistrySimulator.Flavor
    ) throws(SchemaRegistrySimulatorError) -> (id: Int, version: Int) {
        let subject = registration.subject
        guard !subject.isEmpty, !subject.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw .invalidSubject(subject)
        }
        if enforce, mode(of: subject).refusesWrites { throw .operationNotPermitted(subject) }
        guard !registration.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidSchema("\(registration.text), details: empty schema")
        }
        let document = try resolve(registration, flavor: flavor)
        let key = try key(for: document, references: registration.references, rules: rules)
        for record in liveVersions(subject) where schemas[record.schemaID]?.key == key {
            return (record.schemaID, record.version)
        }
        if enforce {
            let level = compatibility(of: subject)
            let versions = versionsToCheck(subject, level: level, against: nil)
            let messages = incompatibilities(of: document, against: versions, level: level, rules: rules)
            if !messages.isEmpty { throw .incompatible(subject: subject, messages: messages, flavor: flavor) }
        }
        // The checker's normalized Avro spells out referenced types, which the stored text
        // must not define again next to its references: such a schema is stored as written.
        let storesNormalized = registration.normalize && (document.type != .avro || document.references.isEmpty)
        let id = id(for: key, text: storesNormalized ? key.canonical : registration.text)
        return (id, append(subject: subject, schemaID: id))
    }

    /// Finds the live (or, with `includeDeleted`, any) version of a subject holding the same schema.
    func lookup(_ registration: Registration, includeDeleted: Bool, rules: any SchemaRules, flavor: SchemaRegistrySimulator.Flavor)
        throws(SchemaRegistrySimulatorError) -> VersionRecord
    {
        let versions = try visibleVersions(registration.subject, includeDeleted: includeDeleted)
        let document = try resolve(registration, flavor: flavor)
        let key = try key(for: document, references: registration.references, rules: rules)
        guard let found = versions.last(where: { schemas[$0.schemaID]?.key == key }) else { throw .schemaNotFound() }
        return found
    }

    // MARK: Deletion

    /// Soft- or permanently deletes one version; answers the version number.
    mutating func deleteVersion(_ subject: String, _ selector: VersionSelector, permanent: Bool, enforce: Bool)
        throws(SchemaRegistrySimulatorError) -> Int
    {
        if enforce, mode(of: subject).refusesWrites { throw .operationNotPermitted(subject) }
        let record = try version(subject, selector, includeDeleted: true)
        if permanent {
            guard record.deleted else { throw .versionNotSoftDeleted(subject, record.version) }
        } else if record.deleted {
            throw .versionSoftDeleted(subject, record.version)
        }
        guard referrers(of: subject, version: record.version).isEmpty else {
            throw .referenceExists(subject, record.version)
        }
        guard var versions = subjects[subject], let index = versions.firstIndex(of: record) else {
            throw .versionNotFound(String(record.version))
        }
        if permanent { versions.remove(at: index) } else { versions[index].deleted = true }
        subjects[subject] = versions.isEmpty ? nil : versions
        if permanent { pruneSchemas() }
        return record.version
    }

    /// Soft- or permanently deletes a subject; answers the versions deleted.
    mutating func deleteSubject(_ subject: String, permanent: Bool, enforce: Bool)
        throws(SchemaRegistrySimulatorError) -> [Int]
    {
        if enforce, mode(of: subject).refusesWrites { throw .operationNotPermitted(subject) }
        guard let versions = subjects[subject], !versions.isEmpty else { throw .subjectNotFound(subject) }
        let live = versions.filter { !$0.deleted }
        if permanent {
            guard live.isEmpty else { throw .subjectNotSoftDeleted(subject) }
        } else if live.isEmpty {
            throw .subjectSoftDeleted(subject)
        }
        for record in permanent ? versions : live where !referrers(of: subject, version: record.version).isEmpty {
            throw .referenceExists(subject, record.version)
        }
        if permanent {
            subjects[subject] = nil
            pruneSchemas()
            return versions.map(\.version)
        }
        subjects[subject] = versions.map { VersionRecord(version: $0.version, schemaID: $0.schemaID, deleted: true) }
        return live.map(\.version)
    }

    /// Forgets schemas no version points at any more, so a permanent delete is for good.
    private mutating func pruneSchemas() {
        let used = Set(subjects.values.flatMap { $0.map(\.schemaID) })
        schemas = schemas.filter { used.contains($0.key) }
    }
}
