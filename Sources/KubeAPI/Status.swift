import Foundation

/// metav1.Status: the body of every API error (and of some successful deletes).
public struct Status: Codable, Sendable, Hashable, Error {
    public var apiVersion: String? = "v1"
    public var kind: String? = "Status"
    public var metadata: ListMeta? = ListMeta()
    /// `Success` or `Failure`.
    public var status: String?
    public var message: String?
    /// Machine-readable reason, e.g. `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`.
    public var reason: String?
    public var details: StatusDetails?
    public var code: Int?

    public init(
        status: String? = "Failure", message: String? = nil, reason: String? = nil, details: StatusDetails? = nil,
        code: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }
}

/// metav1.StatusDetails.
public struct StatusDetails: Codable, Sendable, Hashable {
    public var name: String?
    public var group: String?
    public var kind: String?
    public var uid: String?
    public var causes: [StatusCause]?
    public var retryAfterSeconds: Int?

    public init(
        name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
        causes: [StatusCause]? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// metav1.StatusCause: one reason a request failed, e.g. an invalid field.
public struct StatusCause: Codable, Sendable, Hashable {
    public var reason: String?
    public var message: String?
    public var field: String?

    public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}

/// The `reason` values of metav1.Status the operator and the local control plane use.
public enum StatusReason {
    public static let notFound = "NotFound"
    public static let alreadyExists = "AlreadyExists"
    public static let conflict = "Conflict"
    public static let invalid = "Invalid"
    public static let gone = "Gone"
    public static let expired = "Expired"
    public static let forbidden = "Forbidden"
    public static let unauthorized = "Unauthorized"
    public static let tooManyRequests = "TooManyRequests"
    public static let serviceUnavailable = "ServiceUnavailable"
    public static let timeout = "Timeout"
    public static let serverTimeout = "ServerTimeout"
    public static let badRequest = "BadRequest"
    public static let methodNotAllowed = "MethodNotAllowed"
    public static let unsupportedMediaType = "UnsupportedMediaType"
    public static let notAcceptable = "NotAcceptable"
    public static let internalError = "InternalError"
    public static let requestEntityTooLarge = "RequestEntityTooLarge"
}

/// One event of a watch stream: `{"type": "ADDED", "object": {...}}`.
public struct WatchEvent<Object: Codable & Sendable>: Codable, Sendable {
    public var type: WatchEventType
    public var object: Object

    public init(type: WatchEventType, object: Object) {
        self.type = type
        self.object = object
    }
}

/// The types of watch events.
public enum WatchEventType: String, Codable, Sendable, Hashable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}
