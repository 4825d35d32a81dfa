extension SchemaRegistrySimulator {
    // MARK: Schemas

    /// Registers a schema under a subject, as a producer would but without mode or
    /// compatibility checks; answers the existing version when the subject already holds it.
    ///
    /// - Throws: ``SchemaRegistrySimulatorError`` 42201 for an invalid schema or a missing reference.
    @discardableResult
    public func register(
        subject: String, schema: String, type: SchemaType = .avro, references: [Reference] = [],
        normalize: Bool = false
    ) throws(SchemaRegistrySimulatorError) -> SubjectVersion {
        let registration = Registration(
            subject: subject, text: schema, type: type, references: references, normalize: normalize)
        let rules = rules
        let flavor = configuration.flavor
        return try store.write { state throws(SchemaRegistrySimulatorError) in
            let (_, version) = try state.register(registration, enforce: false, rules: rules, flavor: flavor)
            return try Self.subjectVersion(state, subject, try state.version(subject, .number(version), includeDeleted: false))
        }
    }

    /// One version of a subject (`nil` version: the latest); soft-deleted ones only with `includeDeleted`.
    public func version(subject: String, _ version: Int? = nil, includeDeleted: Bool = false) -> SubjectVersion? {
        try? store.read { state throws(SchemaRegistrySimulatorError) in
            let record = try state.version(
                subject, version.map { .number($0) } ?? .latest, includeDeleted: includeDeleted)
            return try Self.subjectVersion(state, subject, record)
        }
    }

    /// Every version of a subject, oldest first; soft-deleted ones only with `includeDeleted`.
    public func versions(subject: String, includeDeleted: Bool = false) -> [SubjectVersion] {
        (try? store.read { state throws(SchemaRegistrySimulatorError) in
            try state.visibleVersions(subject, includeDeleted: includeDeleted).map {
                (record) throws(SchemaRegistrySimulatorError) in try Self.subjectVersion(state, subject, record)
            }
        }) ?? []
    }

    /// A schema by its global id.
    public func schema(id: Int) -> StoredSchema? {
        try? store.read { state throws(SchemaRegistrySimulatorError) in
            let record = try state.schema(id)
            return StoredSchema(id: record.id, schemaType: record.type, schema: record.text, references: record.references)
        }
    }

    /// Subjects with live versions (with `includeDeleted`, also those only soft-deleted), sorted.
    public func subjects(includeDeleted: Bool = false) -> [String] {
        (try? store.read { state in
            state.subjects.filter { includeDeleted || $0.value.contains { !$0.deleted } }.keys.sorted()
        }) ?? []
    }

    /// Soft- or permanently deletes a version, with the registry's rules (soft first, no references).
    public func deleteVersion(subject: String, version: Int, permanent: Bool = false) throws(SchemaRegistrySimulatorError) {
        _ = try store.write { state throws(SchemaRegistrySimulatorError) in
            try state.deleteVersion(subject, .number(version), permanent: permanent, enforce: false)
        }
    }

    /// Soft- or permanently deletes a subject, with the registry's rules (soft first, no references).
    public func deleteSubject(_ subject: String, permanent: Bool = false) throws(SchemaRegistrySimulatorError) {
        _ = try store.write { state throws(SchemaRegistrySimulatorError) in
            try state.deleteSubject(subject, permanent: permanent, enforce: false)
        }
    }

    // MARK: Settings

    /// Sets the compatibility level of a subject, or (with `nil` subject) the global one.
    public func setCompatibility(_ level: CompatibilityLevel, subject: String? = nil) {
        _ = try? store.write { state in
            if let subject { state.subjectCompatibility[subject] = level } else { state.globalCompatibility = level }
        }
    }

    /// Removes a subject's own level, so it follows the global one again; with `nil`
    /// subject, restores the global default.
    public func removeCompatibility(subject: String? = nil) {
        let fallback = configuration.defaultCompatibility
        _ = try? store.write { state in
            if let subject { state.subjectCompatibility[subject] = nil } else { state.globalCompatibility = fallback }
        }
    }

    /// The subject's own level (`nil` when it follows the global one), or with `nil` subject the global level.
    public func compatibility(subject: String? = nil) -> CompatibilityLevel? {
        try? store.read { state in subject.map { state.subjectCompatibility[$0] } ?? state.globalCompatibility }
    }

    /// The level that applies to a subject: its own, else the global one.
    public func effectiveCompatibility(subject: String) -> CompatibilityLevel {
        (try? store.read { $0.compatibility(of: subject) }) ?? configuration.defaultCompatibility
    }

    /// Sets the mode of a subject, or (with `nil` subject) the global mode.
    public func setMode(_ mode: Mode, subject: String? = nil) {
        _ = try? store.write { state in
            if let subject { state.subjectMode[subject] = mode } else { state.globalMode = mode }
        }
    }

    /// Removes a subject's own mode, so it follows the global one; with `nil` subject,
    /// restores READWRITE.
    public func removeMode(subject: String? = nil) {
        _ = try? store.write { state in
            if let subject { state.subjectMode[subject] = nil } else { state.globalMode = .readWrite }
        }
    }

    /// The subject's own mode (`nil` when it follows the global one), or with `nil` subject the global mode.
    public func mode(subject: String? = nil) -> Mode? {
        try? store.read { state in subject.map { state.subjectMode[$0] } ?? state.globalMode }
    }

    private static func subjectVersion(_ state: SchemaRegistryState, _ subject: String, _ record: VersionRecord)
        throws(SchemaRegistrySimulatorError) -> SubjectVersion
    {
        let schema = try state.schema(record.schemaID)
        return SubjectVersion(
            subject: subject, version: record.version, id: schema.id, schemaType: schema.type, schema: schema.text,
            references: schema.references, deleted: record.deleted)
    }
}
