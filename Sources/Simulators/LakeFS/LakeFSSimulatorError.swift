/// An error the lakeFS simulator answers with: the HTTP status lakeFS would use and
/// its `{"message": …}` text. The Swift test API throws the same errors.
public struct LakeFSSimulatorError: Error, Hashable, CustomStringConvertible {
    /// The HTTP status lakeFS answers with.
    public var status: Int
    /// The `message` of lakeFS's error body.
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }

    static func badRequest(_ message: String) -> Self { Self(status: 400, message: message) }
    static func forbidden(_ message: String) -> Self { Self(status: 403, message: message) }
    static func notFound(_ message: String) -> Self { Self(status: 404, message: message) }
    static func conflict(_ message: String) -> Self { Self(status: 409, message: message) }
    static func preconditionFailed(_ message: String) -> Self { Self(status: 412, message: message) }

    static let repositoryNotFound = notFound("repository not found")
    static let branchNotFound = notFound("branch not found")
    static let noChanges = badRequest("no changes")
    static let conflictFound = conflict("conflict found")
    static let branchExists = conflict("branch already exists: not unique")
    static let dirtyBranch = badRequest("uncommitted changes (dirty branch)")
    static let commitToProtectedBranch = forbidden("cannot commit to protected branch")
    static let writeToProtectedBranch = forbidden("cannot write to protected branch")
    static let deleteDefaultBranch = forbidden("cannot delete repository default branch")
    static let readOnlyRepository = forbidden("read-only repository")
    /// lakeFS's answer when a branch lock cannot be acquired.
    static let branchLocked = LakeFSSimulatorError(status: 500, message: "branch is currently locked, try again later")
}
