/// An error the schema registry simulator answers with: the HTTP status, the
/// registry's `error_code` and its message. The Swift test API throws the same errors.
public struct SchemaRegistrySimulatorError: Error, Hashable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// The `error_code` of the registry's error body, e.g. 40401.
    public var errorCode: Int
    /// The `message` of the registry's error body.
    public var message: String

    public init(status: Int, errorCode: Int, message: String) {
        self.status = status
        self.errorCode = errorCode
        self.message = message
    }

    public var description: String { "\(status)/\(errorCode): \(message)" }

    static func subjectNotFound(_ subject: String) -> Self {
        Self(status: 404, errorCode: 40401, message: "Subject '\(subject)' not found.")
    }
    static func versionNotFound(_ version: String) -> Self {
        Self(status: 404, errorCode: 40402, message: "Version \(version) not found.")
    }
    static func schemaNotFound(_ id: String? = nil) -> Self {
        Self(status: 404, errorCode: 40403, message: id.map { "Schema \($0) not found" } ?? "Schema not found")
    }
    static func subjectSoftDeleted(_ subject: String) -> Self {
        Self(
            status: 404, errorCode: 40404,
            message: "Subject '\(subject)' was soft deleted.Set permanent=true to delete permanently")
    }
    static func subjectNotSoftDeleted(_ subject: String) -> Self {
        Self(
            status: 404, errorCode: 40405,
            message: "Subject '\(subject)' was not deleted first before being permanently deleted")
    }
    static func versionSoftDeleted(_ subject: String, _ version: Int) -> Self {
        Self(
            status: 404, errorCode: 40406,
            message: "Subject '\(subject)' Version \(version) was soft deleted.Set permanent=true to delete permanently")
    }
    static func versionNotSoftDeleted(_ subject: String, _ version: Int) -> Self {
        Self(
            status: 404, errorCode: 40407,
            message: "Subject '\(subject)' Version \(version) was not deleted first before being permanently deleted")
    }
    static func subjectLevelConfigNotFound(_ subject: String) -> Self {
        Self(
            status: 404, errorCode: 40408,
            message: "Subject '\(subject)' does not have subject-level compatibility configured")
    }
    static func subjectLevelModeNotFound(_ subject: String) -> Self {
        Self(status: 404, errorCode: 40409, message: "Subject '\(subject)' does not have subject-level mode configured")
    }
    static func incompatible(subject: String, messages: [String], flavor: SchemaRegistrySimulator.Flavor) -> Self {
        Self(
            status: 409, errorCode: flavor == .confluent ? 40901 : 409,
            message: "Schema being registered is incompatible with an earlier schema for subject \"\(subject)\", "
                + "details: [\(messages.joined(separator: ", "))]")
    }
    static func invalidSchema(_ detail: String) -> Self {
        Self(status: 422, errorCode: 42201, message: "Invalid schema \(detail)")
    }
    static func invalidVersion(_ version: String) -> Self {
        Self(
            status: 422, errorCode: 42202,
            message: "The specified version '\(version)' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"")
    }
    static let invalidCompatibilityLevel = Self(
        status: 422, errorCode: 42203,
        message: "Invalid compatibility level. Valid values are none, backward, forward, full, "
            + "backward_transitive, forward_transitive, and full_transitive")
    static let invalidMode = Self(
        status: 422, errorCode: 42204,
        message: "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT.")
    static func operationNotPermitted(_ subject: String?) -> Self {
        Self(
            status: 422, errorCode: 42205,
            message: subject.map { "Subject \($0) is in read-only mode" } ?? "The registry is in read-only mode")
    }
    static func referenceExists(_ subject: String, _ version: Int) -> Self {
        Self(
            status: 422, errorCode: 42206,
            message: "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=\(subject),version=\(version)}.")
    }
    static func invalidSubject(_ subject: String) -> Self {
        Self(status: 422, errorCode: 42208, message: "The specified subject '\(subject)' is not a valid.")
    }
    static func unprocessable(_ message: String) -> Self { Self(status: 422, errorCode: 422, message: message) }
    static let unauthorized = Self(status: 401, errorCode: 401, message: "Unauthorized")
}
