import Synchronization

/// A schema stored once under its global id.
struct SchemaRecord: Sendable, Hashable {
    var id: Int
    var type: SchemaRegistrySimulator.SchemaType
    var text: String
    var references: [SchemaRegistrySimulator.Reference]
    /// Identity across subjects: same type, canonical form and references.
    var key: SchemaKey
}

/// What makes two registrations "the same schema".
struct SchemaKey: Sendable, Hashable {
    var type: SchemaRegistrySimulator.SchemaType
    var canonical: String
    var references: [SchemaRegistrySimulator.Reference]
}

/// One version of a subject, pointing at a schema id.
struct VersionRecord: Sendable, Hashable {
    var version: Int
    var schemaID: Int
    var deleted = false
}

/// Everything the registry knows.
struct SchemaRegistryState: Sendable {
    typealias Level = SchemaRegistrySimulator.CompatibilityLevel
    typealias Mode = SchemaRegistrySimulator.Mode

    var schemas: [Int: SchemaRecord] = [:]
    var subjects: [String: [VersionRecord]] = [:]
    var nextID = 1
    var globalCompatibility: Level
    var globalMode: Mode = .readWrite
    var subjectCompatibility: [String: Level] = [:]
    var subjectMode: [String: Mode] = [:]
    let defaultCompatibility: Level

    init(defaultCompatibility: Level) {
        self.defaultCompatibility = defaultCompatibility
        self.globalCompatibility = defaultCompatibility
    }

    func compatibility(of subject: String) -> Level { subjectCompatibility[subject] ?? globalCompatibility }
    func mode(of subject: String) -> Mode { subjectMode[subject] ?? globalMode }

    /// Versions of a subject that are not soft-deleted.
    func liveVersions(_ subject: String) -> [VersionRecord] { (subjects[subject] ?? []).filter { !$0.deleted } }

    /// The versions a read may see: live ones, or all with `includeDeleted`; a subject
    /// with nothing visible is not found (40401).
    func visibleVersions(_ subject: String, includeDeleted: Bool) throws(SchemaRegistrySimulatorError)
        -> [VersionRecord]
    {
        let versions = (subjects[subject] ?? []).filter { includeDeleted || !$0.deleted }
        guard !versions.isEmpty else { throw .subjectNotFound(subject) }
        return versions
    }

    /// Resolves `latest`, `-1` or a number to one visible version.
    func version(_ subject: String, _ selector: VersionSelector, includeDeleted: Bool)
        throws(SchemaRegistrySimulatorError) -> VersionRecord
    {
        let versions = try visibleVersions(subject, includeDeleted: includeDeleted)
        switch selector {
        case .latest:
            guard let last = versions.last else { throw .versionNotFound("latest") }
            return last
        case .number(let number):
            guard let found = versions.first(where: { $0.version == number }) else {
                throw .versionNotFound(String(number))
            }
            return found
        }
    }

    func schema(_ id: Int) throws(SchemaRegistrySimulatorError) -> SchemaRecord {
        guard let schema = schemas[id] else { throw .schemaNotFound(String(id)) }
        return schema
    }

    /// Live versions (subject, version) whose schema references `subject`/`version`.
    func referrers(of subject: String, version: Int) -> [(subject: String, version: VersionRecord)] {
        var found: [(String, VersionRecord)] = []
        for (name, versions) in subjects {
            for record in versions where !record.deleted {
                let references = schemas[record.schemaID]?.references ?? []
                if references.contains(where: { $0.subject == subject && $0.version == version }) {
                    found.append((name, record))
                }
            }
        }
        return found.sorted { ($0.0, $0.1.version) < ($1.0, $1.1.version) }
    }

    /// The schema id for a key: the existing one if any subject registered it, else a new one.
    mutating func id(for key: SchemaKey, text: String) -> Int {
        if let existing = schemas.values.filter({ $0.key == key }).map(\.id).min() { return existing }
        let id = nextID
        nextID += 1
        schemas[id] = SchemaRecord(id: id, type: key.type, text: text, references: key.references, key: key)
        return id
    }

    /// Adds a version to a subject (one more than the highest version it ever had).
    mutating func append(subject: String, schemaID: Int) -> Int {
        let version = (subjects[subject]?.map(\.version).max() ?? 0) + 1
        subjects[subject, default: []].append(VersionRecord(version: version, schemaID: schemaID))
        return version
    }
}

/// A version as a path names it.
enum VersionSelector: Sendable, Hashable {
    case latest
    case number(Int)

    /// Parses `latest`, `-1` or `1…2^31-1`; anything else is 42202.
    init(_ text: String) throws(SchemaRegistrySimulatorError) {
        if text.lowercased() == "latest" || text == "-1" {
            self = .latest
        } else if let number = Int(text), (1...Int(Int32.max)).contains(number) {
            self = .number(number)
        } else {
            throw .invalidVersion(text)
        }
    }
}

/// The registry's state behind one lock, shared by the HTTP handlers and the Swift API.
final class SchemaRegistryStore: Sendable {
    private let state: Mutex<SchemaRegistryState>

    init(defaultCompatibility: SchemaRegistrySimulator.CompatibilityLevel) {
        state = Mutex(SchemaRegistryState(defaultCompatibility: defaultCompatibility))
    }

    func read<Value: Sendable>(
        _ body: (SchemaRegistryState) throws(SchemaRegistrySimulatorError) -> Value
    ) throws(SchemaRegistrySimulatorError) -> Value {
        try state.withLock { (state) throws(SchemaRegistrySimulatorError) -> Value in try body(state) }
    }

    func write<Value: Sendable>(
        _ body: (inout SchemaRegistryState) throws(SchemaRegistrySimulatorError) -> Value
    ) throws(SchemaRegistrySimulatorError) -> Value {
        try state.withLock { (state) throws(SchemaRegistrySimulatorError) -> Value in try body(&state) }
    }
}
