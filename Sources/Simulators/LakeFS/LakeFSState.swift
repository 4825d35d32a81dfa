import Foundation
import Synchronization

/// Everything the lakeFS simulator knows: its repositories.
struct LakeFSState: Sendable {
    var repositories: [String: RepositoryRecord] = [:]

    func repository(_ id: String) throws -> RepositoryRecord {
        guard let repository = repositories[id] else { throw LakeFSSimulatorError.repositoryNotFound }
        return repository
    }

    /// Runs `body` on a repository in place (moved out and back, so nothing is copied).
    mutating func update<Value>(_ id: String, _ body: (inout RepositoryRecord) throws -> Value) throws -> Value {
        guard var repository = repositories.removeValue(forKey: id) else {
            throw LakeFSSimulatorError.repositoryNotFound
        }
        defer { repositories[id] = repository }
        return try body(&repository)
    }

    /// Creates a repository after lakeFS's validation: name and namespace patterns,
    /// a unique name (409) and a storage namespace no other repository uses (400).
    mutating func createRepository(
        _ id: String, storageNamespace: String, defaultBranch: String, readOnly: Bool, bare: Bool,
        authorship: Authorship
    ) throws -> RepositoryRecord {
        guard RepositoryRecord.isValidRepositoryName(id) else {
            throw LakeFSSimulatorError.badRequest(
                "request body has an error: doesn't match schema: Error at \"/name\": "
                    + "string doesn't match the regular expression \"^[a-z0-9][a-z0-9-]{2,62}$\"")
        }
        guard RepositoryRecord.isValidStorageNamespace(storageNamespace) else {
            throw LakeFSSimulatorError.badRequest(
                "request body has an error: doesn't match schema: Error at \"/storage_namespace\": "
                    + "string doesn't match the regular expression \"^(s3|gs|https?|mem|local|transient)://.*$\"")
        }
        guard RepositoryRecord.isValidBranchName(defaultBranch) else {
            throw LakeFSSimulatorError.badRequest("default branch '\(defaultBranch)': invalid value: validation error")
        }
        guard repositories[id] == nil else {
            throw LakeFSSimulatorError.conflict("repository already exists: not unique")
        }
        guard !repositories.values.contains(where: { $0.storageNamespace == storageNamespace }) else {
            throw LakeFSSimulatorError.badRequest("failed to create repository: storage namespace already in use")
        }
        let repository = RepositoryRecord(
            id: id, storageNamespace: storageNamespace, defaultBranch: defaultBranch, readOnly: readOnly, bare: bare,
            authorship: authorship)
        repositories[id] = repository
        return repository
    }

    mutating func deleteRepository(_ id: String) throws {
        guard repositories.removeValue(forKey: id) != nil else { throw LakeFSSimulatorError.repositoryNotFound }
    }
}

/// The simulator's state behind one lock, shared by the HTTP handlers and the Swift API.
///
/// Every operation is synchronous and short, so a `Mutex` fits better than an actor:
/// tests arrange state without `await`, and the HTTP side never waits on a hop.
final class LakeFSStore: Sendable {
    private let state = Mutex(LakeFSState())
    private let committer: String
    private let clock: @Sendable () -> Date

    init(committer: String, clock: @escaping @Sendable () -> Date) {
        self.committer = committer
        self.clock = clock
    }

    /// The author of changes made now.
    func authorship() -> Authorship { Authorship(committer: committer, now: clock()) }

    func read<Value: Sendable>(_ body: (LakeFSState) throws -> Value) throws -> Value {
        try state.withLock { try body($0) }
    }

    func write<Value: Sendable>(_ body: (inout LakeFSState) throws -> Value) throws -> Value {
        try state.withLock { try body(&$0) }
    }

    /// Reads one repository.
    func read<Value: Sendable>(repository id: String, _ body: (RepositoryRecord) throws -> Value) throws -> Value {
        try state.withLock { try body($0.repository(id)) }
    }

    /// Changes one repository in place.
    func write<Value: Sendable>(
        repository id: String, _ body: (inout RepositoryRecord) throws -> Value
    ) throws -> Value {
        try state.withLock { try $0.update(id, body) }
    }
}
