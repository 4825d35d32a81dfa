import Foundation

/// What the operator needs from a schema registry with the Confluent REST API
/// (Confluent, Karapace, Redpanda).
///
/// Guarantees: every method throws ``SchemaRegistryError`` for anything the
/// registry refuses or cannot be reached for (and `CancellationError` when the
/// task is cancelled). Methods returning an optional return nil exactly for the
/// "absent" answers they document, never for other errors.
///
/// Caveats: registries differ where the API leaves room. Checking compatibility
/// against `latest` of a subject with no versions answers compatible on newer
/// Confluent, and ``SchemaRegistryError/Kind/subjectNotFound`` or
/// ``SchemaRegistryError/Kind/versionNotFound`` elsewhere (Karapace); callers
/// that mean "is there anything to break" should treat those as compatible.
/// Karapace has no `PUT`/`DELETE /mode`.
///
/// Reconcilers receive this protocol, so tests can use a simulator over HTTP
/// or a fake that records the calls it got.
public protocol SchemaRegistryClient: Sendable {
    // MARK: Subjects and versions

    /// Subject names, optionally only those starting with `prefix`.
    func listSubjects(prefix: String?, deleted: DeletedFilter) async throws -> [String]
    /// The subject's version numbers, oldest first.
    func listVersions(subject: String, deleted: DeletedFilter) async throws -> [Int]
    /// One version; `includeDeleted` also finds a soft-deleted one.
    func getVersion(subject: String, version: SchemaVersion, includeDeleted: Bool) async throws -> RegisteredSchema
    /// Registers `definition` under `subject` unless an identical schema is already
    /// there, in which case its id comes back and no version is added.
    ///
    /// Throws ``SchemaRegistryError/Kind/incompatibleSchema`` when the schema breaks the
    /// subject's level, ``SchemaRegistryError/Kind/invalidSchema`` when it does not parse
    /// or a reference does not resolve, ``SchemaRegistryError/Kind/operationNotPermitted``
    /// in READONLY mode.
    func register(subject: String, definition: SchemaDefinition, normalize: Bool) async throws -> SchemaRegistration
    /// The version under which `definition` is registered in `subject`, or nil when
    /// the subject does not exist or does not hold it.
    func lookup(
        subject: String, definition: SchemaDefinition, normalize: Bool, includeDeleted: Bool
    ) async throws -> RegisteredSchema?

    // MARK: Compatibility

    /// Whether `definition` could be registered under `subject`, with the registry's
    /// reasons when not (`verbose=true`).
    func checkCompatibility(
        subject: String, definition: SchemaDefinition, against target: CompatibilityTarget, normalize: Bool
    ) async throws -> CompatibilityResult

    // MARK: Compatibility levels

    /// The level subjects without their own follow.
    func getGlobalCompatibility() async throws -> CompatibilityLevel
    func setGlobalCompatibility(_ level: CompatibilityLevel) async throws
    /// The subject's own level; nil when it has none, unless `defaultToGlobal`,
    /// which answers the global level then.
    func getSubjectCompatibility(subject: String, defaultToGlobal: Bool) async throws -> CompatibilityLevel?
    /// Sets the subject's level; works before the subject's first registration.
    func setSubjectCompatibility(subject: String, level: CompatibilityLevel) async throws
    /// Removes the subject's own level, so it follows the global one.
    /// - Returns: the level it had.
    func deleteSubjectCompatibility(subject: String) async throws -> CompatibilityLevel

    // MARK: Mode

    /// The global mode (`subject` nil) or the subject's own; nil when the subject has
    /// none, unless `defaultToGlobal`.
    func getMode(subject: String?, defaultToGlobal: Bool) async throws -> RegistryMode?
    /// `force` is needed to enter IMPORT while schemas exist.
    func setMode(_ mode: RegistryMode, subject: String?, force: Bool) async throws
    /// Removes the subject's own mode. - Returns: the mode it had.
    func deleteMode(subject: String) async throws -> RegistryMode

    // MARK: Deletion

    /// Soft delete hides the version (still readable with `includeDeleted`, its id still
    /// resolves); a permanent delete needs a soft delete first.
    /// - Returns: the version number deleted.
    func deleteVersion(subject: String, version: SchemaVersion, permanent: Bool) async throws -> Int
    /// Soft or permanent delete of all the subject's versions; permanent needs soft first.
    /// - Returns: the versions deleted.
    func deleteSubject(subject: String, permanent: Bool) async throws -> [Int]

    // MARK: Schemas by id

    /// The schema with this id; `subject` narrows where references are looked up.
    func getSchema(id: Int, subject: String?) async throws -> SchemaDefinition
    /// Where the schema with this id is registered.
    func getSubjectVersions(id: Int) async throws -> [SubjectVersion]
    /// Ids of the schemas that refer to this version.
    func referencedBy(subject: String, version: SchemaVersion) async throws -> [Int]
}

extension SchemaRegistryClient {
    /// All live subjects.
    public func listSubjects() async throws -> [String] {
        try await listSubjects(prefix: nil, deleted: .exclude)
    }

    /// The subject's live versions.
    public func listVersions(subject: String) async throws -> [Int] {
        try await listVersions(subject: subject, deleted: .exclude)
    }

    /// One live version.
    public func getVersion(subject: String, version: SchemaVersion) async throws -> RegisteredSchema {
        try await getVersion(subject: subject, version: version, includeDeleted: false)
    }

    /// Registers without normalizing.
    public func register(subject: String, definition: SchemaDefinition) async throws -> SchemaRegistration {
        try await register(subject: subject, definition: definition, normalize: false)
    }

    /// Looks up among live versions, without normalizing.
    public func lookup(subject: String, definition: SchemaDefinition) async throws -> RegisteredSchema? {
        try await lookup(subject: subject, definition: definition, normalize: false, includeDeleted: false)
    }

    /// Checks without normalizing.
    public func checkCompatibility(
        subject: String, definition: SchemaDefinition, against target: CompatibilityTarget
    ) async throws -> CompatibilityResult {
        try await checkCompatibility(subject: subject, definition: definition, against: target, normalize: false)
    }

    /// The subject's own level, or nil.
    public func getSubjectCompatibility(subject: String) async throws -> CompatibilityLevel? {
        try await getSubjectCompatibility(subject: subject, defaultToGlobal: false)
    }

    /// The global mode.
    public func getGlobalMode() async throws -> RegistryMode? {
        try await getMode(subject: nil, defaultToGlobal: false)
    }

    /// Sets the global mode without forcing.
    public func setGlobalMode(_ mode: RegistryMode) async throws {
        try await setMode(mode, subject: nil, force: false)
    }
}
