import Foundation

/// An error from a schema registry (Confluent, Karapace, Redpanda), or from
/// reaching it. Says what was being done, what the registry answered
/// (`error_code` and `message`), and whether trying again can help.
///
/// ```
/// while registering a schema under subject orders-value: Schema being registered is incompatible
/// with an earlier schema for subject "orders-value" (HTTP 409, error 40901)
/// ```
public struct SchemaRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Compare with the static members
    /// (`error.kind == .incompatibleSchema`); new kinds may be added.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable {
            case subjectNotFound = "SubjectNotFound"
            case versionNotFound = "VersionNotFound"
            case schemaNotFound = "SchemaNotFound"
            case subjectSoftDeleted = "SubjectSoftDeleted"
            case subjectNotSoftDeleted = "SubjectNotSoftDeleted"
            case versionSoftDeleted = "VersionSoftDeleted"
            case versionNotSoftDeleted = "VersionNotSoftDeleted"
            case subjectConfigNotFound = "SubjectConfigNotFound"
            case subjectModeNotFound = "SubjectModeNotFound"
            case notFound = "NotFound"
            case incompatibleSchema = "IncompatibleSchema"
            case conflict = "Conflict"
            case invalidSchema = "InvalidSchema"
            case invalidVersion = "InvalidVersion"
            case invalidCompatibilityLevel = "InvalidCompatibilityLevel"
            case invalidMode = "InvalidMode"
            case operationNotPermitted = "OperationNotPermitted"
            case referenceExists = "ReferenceExists"
            case idMismatch = "IDMismatch"
            case invalidSubject = "InvalidSubject"
            case schemaTooLarge = "SchemaTooLarge"
            case invalidRuleSet = "InvalidRuleSet"
            case referencesNotSupported = "ReferencesNotSupported"
            case unprocessable = "Unprocessable"
            case badRequest = "BadRequest"
            case unauthorized = "Unauthorized"
            case forbidden = "Forbidden"
            case rateLimited = "RateLimited"
            case storeError = "StoreError"
            case operationTimedOut = "OperationTimedOut"
            case forwardingError = "ForwardingError"
            case unknownLeader = "UnknownLeader"
            case serverError = "ServerError"
            case unexpectedStatus = "UnexpectedStatus"
            case invalidResponse = "InvalidResponse"
            case timeout = "Timeout"
            case connection = "Connection"
        }

        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// 40401: the subject does not exist (or all its versions are soft-deleted).
        public static let subjectNotFound = Kind(.subjectNotFound)
        /// 40402: the subject has no such version (Karapace also answers this for
        /// `latest` of a subject that does not exist).
        public static let versionNotFound = Kind(.versionNotFound)
        /// 40403: no schema with that id, or the schema is not registered under the subject.
        public static let schemaNotFound = Kind(.schemaNotFound)
        /// 40404: the subject was soft-deleted; delete it permanently or register again.
        public static let subjectSoftDeleted = Kind(.subjectSoftDeleted)
        /// 40405: a permanent delete of a subject that was not soft-deleted first.
        public static let subjectNotSoftDeleted = Kind(.subjectNotSoftDeleted)
        /// 40406: the version was soft-deleted.
        public static let versionSoftDeleted = Kind(.versionSoftDeleted)
        /// 40407: a permanent delete of a version that was not soft-deleted first.
        public static let versionNotSoftDeleted = Kind(.versionNotSoftDeleted)
        /// 40408: the subject has no subject-level compatibility level.
        public static let subjectConfigNotFound = Kind(.subjectConfigNotFound)
        /// 40409: the subject has no subject-level mode.
        public static let subjectModeNotFound = Kind(.subjectModeNotFound)
        /// Another 404, e.g. a wrong base URL.
        public static let notFound = Kind(.notFound)
        /// 409 with `error_code` 40901 (current Confluent) or 409 (older Confluent,
        /// Karapace): the schema breaks the subject's compatibility level.
        public static let incompatibleSchema = Kind(.incompatibleSchema)
        /// Another 409.
        public static let conflict = Kind(.conflict)
        /// 42201 (or Karapace's bare 422 for an unknown `schemaType`): the schema does not
        /// parse, its type is unknown, or a reference does not resolve.
        public static let invalidSchema = Kind(.invalidSchema)
        /// 42202: a version outside `[1, 2^31-1]` that is not `latest`.
        public static let invalidVersion = Kind(.invalidVersion)
        /// 42203: not one of the seven compatibility levels.
        public static let invalidCompatibilityLevel = Kind(.invalidCompatibilityLevel)
        /// 42204: not one of the modes.
        public static let invalidMode = Kind(.invalidMode)
        /// 42205: the registry or subject is in a mode that forbids this (e.g. `READONLY`).
        public static let operationNotPermitted = Kind(.operationNotPermitted)
        /// 42206: the version is still referenced by another schema and cannot be deleted.
        public static let referenceExists = Kind(.referenceExists)
        /// 42207: in IMPORT mode, the id given does not match the schema.
        public static let idMismatch = Kind(.idMismatch)
        /// 42208: the subject name is not valid.
        public static let invalidSubject = Kind(.invalidSubject)
        /// 42209: the schema is too large.
        public static let schemaTooLarge = Kind(.schemaTooLarge)
        /// 42210: the rule set is not valid.
        public static let invalidRuleSet = Kind(.invalidRuleSet)
        /// Karapace 44302: references are not supported for this schema type (JSON).
        public static let referencesNotSupported = Kind(.referencesNotSupported)
        /// Another 422.
        public static let unprocessable = Kind(.unprocessable)
        /// 400, e.g. a body the registry cannot read.
        public static let badRequest = Kind(.badRequest)
        /// 401: the credentials are missing or wrong.
        public static let unauthorized = Kind(.unauthorized)
        /// 403: the credentials lack a permission.
        public static let forbidden = Kind(.forbidden)
        /// 429: too many requests.
        public static let rateLimited = Kind(.rateLimited)
        /// 50001: the registry's backing store (the `_schemas` topic) failed.
        public static let storeError = Kind(.storeError)
        /// 50002: the operation timed out inside the registry.
        public static let operationTimedOut = Kind(.operationTimedOut)
        /// 50003: forwarding to the primary (leader) failed.
        public static let forwardingError = Kind(.forwardingError)
        /// 50004: the registry has no known leader.
        public static let unknownLeader = Kind(.unknownLeader)
        /// Another 5xx.
        public static let serverError = Kind(.serverError)
        /// A status the API does not document.
        public static let unexpectedStatus = Kind(.unexpectedStatus)
        /// A success status with a body that is not what the API says.
        public static let invalidResponse = Kind(.invalidResponse)
        /// No answer within the deadline.
        public static let timeout = Kind(.timeout)
        /// The registry could not be reached.
        public static let connection = Kind(.connection)

        /// Short CamelCase form, for metric labels and condition reasons (`IncompatibleSchema`).
        public var description: String { code.rawValue }

        var isRetryable: Bool {
            switch code {
            case .rateLimited, .storeError, .operationTimedOut, .forwardingError, .unknownLeader, .serverError,
                .timeout, .connection:
                true
            default:
                false
            }
        }
    }

    public var kind: Kind
    /// What the client was doing: "registering a schema under subject orders-value".
    public var operation: String
    /// HTTP status; nil when no response arrived.
    public var status: Int?
    /// The registry's `error_code` (e.g. 40401), when the body had one.
    public var errorCode: Int?
    /// The registry's `message`, or what went wrong underneath for transport errors.
    public var message: String
    /// How long the server asked us to wait (`Retry-After`), if it did.
    public var retryAfter: Duration?

    public init(
        kind: Kind, operation: String, status: Int?, errorCode: Int? = nil, message: String,
        retryAfter: Duration? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.status = status
        self.errorCode = errorCode
        self.message = message
        self.retryAfter = retryAfter
    }

    /// Whether the same call may succeed later without anything else changing:
    /// rate limits, the registry's store, timeout, forwarding and leader errors,
    /// other 5xx, timeouts and lost connections. An incompatible or invalid
    /// schema, a missing subject, a READONLY mode or bad credentials need a
    /// change first.
    public var isRetryable: Bool { kind.isRetryable }

    /// Short form for metric labels (`IncompatibleSchema`).
    public var metricLabel: String { kind.description }

    public var description: String {
        var text = "while \(operation): \(message.isEmpty ? kind.description : message)"
        switch (status, errorCode) {
        case (let status?, let code?) where code != status: text += " (HTTP \(status), error \(code))"
        case (let status?, _): text += " (HTTP \(status))"
        default: break
        }
        return text
    }
}
