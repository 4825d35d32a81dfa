import Foundation

/// Builds every request the client sends, as values: paths, query names and
/// JSON bodies as the Confluent Schema Registry API names them (Karapace and
/// Redpanda serve the same). No I/O.
public enum SchemaRegistryRequests {
    // MARK: Subjects and versions

    /// `GET /subjects` → `["s1", ...]`.
    public static func listSubjects(prefix: String? = nil, deleted: DeletedFilter = .exclude) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .listSubjects, method: "GET", path: "/subjects",
            query: optional("subjectPrefix", prefix) + filter(deleted),
            operation: prefix.map { "listing subjects starting with \($0)" } ?? "listing subjects")
    }

    /// `GET /subjects/{subject}/versions` → `[1, 2, 3]`.
    public static func listVersions(subject: String, deleted: DeletedFilter = .exclude) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .listVersions, method: "GET", path: path("subjects", subject, "versions"), query: filter(deleted),
            operation: "listing the versions of subject \(subject)")
    }

    /// `GET /subjects/{subject}/versions/{version}` → `{"subject","version","id","schema",...}`.
    /// - Parameter includeDeleted: also find a soft-deleted version (`deleted=true`).
    public static func getVersion(
        subject: String, version: SchemaVersion, includeDeleted: Bool = false
    ) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .getVersion, method: "GET", path: path("subjects", subject, "versions", version.description),
            query: flag("deleted", includeDeleted),
            operation: "reading version \(version) of subject \(subject)")
    }

    /// `POST /subjects/{subject}/versions` with the schema → `{"id": N}`.
    public static func register(
        subject: String, definition: SchemaDefinition, normalize: Bool = false
    ) throws -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .register, method: "POST", path: path("subjects", subject, "versions"),
            query: flag("normalize", normalize), body: try json(SchemaBody(definition)),
            operation: "registering a schema under subject \(subject)")
    }

    /// `POST /subjects/{subject}` with the schema → the version it is registered as.
    public static func lookup(
        subject: String, definition: SchemaDefinition, normalize: Bool = false, includeDeleted: Bool = false
    ) throws -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .lookup, method: "POST", path: path("subjects", subject),
            query: flag("normalize", normalize) + flag("deleted", includeDeleted),
            body: try json(SchemaBody(definition)),
            operation: "looking up a schema under subject \(subject)")
    }

    // MARK: Compatibility

    /// `POST /compatibility/subjects/{subject}/versions[/{version}]?verbose=true`
    /// → `{"is_compatible": Bool, "messages": [...]}`.
    public static func checkCompatibility(
        subject: String, definition: SchemaDefinition, against target: CompatibilityTarget, normalize: Bool = false,
        verbose: Bool = true
    ) throws -> SchemaRegistryRequest {
        let requestPath: String
        let against: String
        switch target {
        case .version(let version):
            requestPath = path("compatibility", "subjects", subject, "versions", version.description)
            against = "version \(version) of subject \(subject)"
        case .allVersions:
            requestPath = path("compatibility", "subjects", subject, "versions")
            against = "the versions of subject \(subject)"
        }
        return SchemaRegistryRequest(
            action: .checkCompatibility, method: "POST", path: requestPath,
            query: flag("normalize", normalize) + flag("verbose", verbose), body: try json(SchemaBody(definition)),
            operation: "checking a schema's compatibility with \(against)")
    }

    // MARK: Config

    /// `GET /config` → `{"compatibilityLevel": ...}`.
    public static func getGlobalCompatibility() -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .getGlobalConfig, method: "GET", path: "/config",
            operation: "reading the global compatibility level")
    }

    /// `PUT /config` with `{"compatibility": ...}` → the same.
    public static func setGlobalCompatibility(_ level: CompatibilityLevel) throws -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .setGlobalConfig, method: "PUT", path: "/config", body: try json(ConfigBody(compatibility: level)),
            operation: "setting the global compatibility level to \(level.rawValue)")
    }

    /// `GET /config/{subject}` → `{"compatibilityLevel": ...}`; 404/40408 when the
    /// subject has no level of its own, unless `defaultToGlobal`.
    public static func getSubjectCompatibility(subject: String, defaultToGlobal: Bool = false) -> SchemaRegistryRequest
    {
        SchemaRegistryRequest(
            action: .getSubjectConfig, method: "GET", path: path("config", subject),
            query: flag("defaultToGlobal", defaultToGlobal),
            operation: "reading the compatibility level of subject \(subject)")
    }

    /// `PUT /config/{subject}` with `{"compatibility": ...}`; works before the subject exists.
    public static func setSubjectCompatibility(
        subject: String, level: CompatibilityLevel
    ) throws -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .setSubjectConfig, method: "PUT", path: path("config", subject),
            body: try json(ConfigBody(compatibility: level)),
            operation: "setting the compatibility level of subject \(subject) to \(level.rawValue)")
    }

    /// `DELETE /config/{subject}` → the previous level; the subject follows the global level again.
    public static func deleteSubjectCompatibility(subject: String) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .deleteSubjectConfig, method: "DELETE", path: path("config", subject),
            operation: "removing the compatibility level of subject \(subject)")
    }

    // MARK: Mode

    /// `GET /mode` or `GET /mode/{subject}` → `{"mode": ...}`.
    public static func getMode(subject: String? = nil, defaultToGlobal: Bool = false) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .getMode, method: "GET", path: subject.map { path("mode", $0) } ?? "/mode",
            query: subject == nil ? [] : flag("defaultToGlobal", defaultToGlobal),
            operation: subject.map { "reading the mode of subject \($0)" } ?? "reading the global mode")
    }

    /// `PUT /mode[/{subject}]` with `{"mode": ...}`; `force` to enter IMPORT while schemas exist.
    public static func setMode(
        _ mode: RegistryMode, subject: String? = nil, force: Bool = false
    ) throws
        -> SchemaRegistryRequest
    {
        SchemaRegistryRequest(
            action: .setMode, method: "PUT", path: subject.map { path("mode", $0) } ?? "/mode",
            query: flag("force", force), body: try json(ModeBody(mode: mode)),
            operation: subject.map { "setting the mode of subject \($0) to \(mode.rawValue)" }
                ?? "setting the global mode to \(mode.rawValue)")
    }

    /// `DELETE /mode/{subject}` → the previous mode; the subject follows the global mode again.
    public static func deleteMode(subject: String) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .deleteMode, method: "DELETE", path: path("mode", subject),
            operation: "removing the mode of subject \(subject)")
    }

    // MARK: Deletion

    /// `DELETE /subjects/{subject}/versions/{version}[?permanent=true]` → the version number.
    /// A permanent delete needs a soft delete first (else 40407).
    public static func deleteVersion(
        subject: String, version: SchemaVersion, permanent: Bool = false
    ) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .deleteVersion, method: "DELETE", path: path("subjects", subject, "versions", version.description),
            query: flag("permanent", permanent),
            operation: "\(permanent ? "permanently " : "")deleting version \(version) of subject \(subject)")
    }

    /// `DELETE /subjects/{subject}[?permanent=true]` → the versions deleted.
    /// A permanent delete needs a soft delete first (else 40405).
    public static func deleteSubject(subject: String, permanent: Bool = false) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .deleteSubject, method: "DELETE", path: path("subjects", subject),
            query: flag("permanent", permanent),
            operation: "\(permanent ? "permanently " : "")deleting subject \(subject)")
    }

    // MARK: Schemas by id

    /// `GET /schemas/ids/{id}[?subject=]` → `{"schema", "schemaType"?, "references"?}`.
    public static func getSchema(id: Int, subject: String? = nil) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .getSchemaByID, method: "GET", path: path("schemas", "ids", String(id)),
            query: optional("subject", subject), operation: "reading schema \(id)")
    }

    /// `GET /schemas/ids/{id}/versions` → `[{"subject","version"}]`.
    public static func getSubjectVersions(id: Int) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .getSubjectVersionsByID, method: "GET", path: path("schemas", "ids", String(id), "versions"),
            operation: "listing where schema \(id) is registered")
    }

    /// `GET /subjects/{subject}/versions/{version}/referencedby` → ids of the schemas referring to it.
    public static func referencedBy(subject: String, version: SchemaVersion) -> SchemaRegistryRequest {
        SchemaRegistryRequest(
            action: .getReferencedBy, method: "GET",
            path: path("subjects", subject, "versions", version.description, "referencedby"),
            operation: "listing the schemas that refer to version \(version) of subject \(subject)")
    }

    // MARK: Helpers

    /// `/a/b/c` from unescaped segments.
    static func path(_ segments: String...) -> String {
        segments.map { "/" + SchemaRegistryRequest.escape($0) }.joined()
    }

    static func optional(_ name: String, _ value: String?) -> [SchemaRegistryRequest.QueryItem] {
        guard let value, !value.isEmpty else { return [] }
        return [.init(name, value)]
    }

    /// `name=true` when set; nothing otherwise, so the registry applies its default.
    static func flag(_ name: String, _ value: Bool) -> [SchemaRegistryRequest.QueryItem] {
        value ? [.init(name, "true")] : []
    }

    static func filter(_ deleted: DeletedFilter) -> [SchemaRegistryRequest.QueryItem] {
        switch deleted {
        case .exclude: []
        case .include: [.init("deleted", "true")]
        case .only: [.init("deletedOnly", "true")]
        }
    }

    static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

// Request bodies. Optional fields left nil are omitted.

/// The body of register, lookup and compatibility checks. `schemaType` is
/// omitted for Avro and `references` when empty: older registries and
/// Karapace (which rejects references on JSON Schema) expect exactly that.
struct SchemaBody: Encodable {
    var schema: String
    var schemaType: String?
    var references: [ReferenceBody]?

    init(_ definition: SchemaDefinition) {
        schema = definition.schema
        schemaType = definition.type == .avro ? nil : definition.type.rawValue
        references = definition.references.isEmpty ? nil : definition.references.map(ReferenceBody.init)
    }
}

struct ReferenceBody: Codable {
    var name: String
    var subject: String
    var version: Int

    init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }

    init(_ reference: SchemaReference) {
        self.init(name: reference.name, subject: reference.subject, version: reference.version)
    }
}

/// Written as `compatibility`; the registry reads it back as `compatibilityLevel`.
struct ConfigBody: Encodable {
    var compatibility: CompatibilityLevel
}

struct ModeBody: Encodable {
    var mode: RegistryMode
}
