import Foundation
import KubeAPI

/// An error answered to a client as a `metav1.Status`, worded as
/// k8s.io/apimachinery/pkg/api/errors words it.
struct APIError: Error, Sendable {
    var status: Status
    var headers: [(String, String)] = []

    var code: Int { status.code ?? 500 }

    init(code: Int, reason: String, message: String, details: StatusDetails? = nil) {
        status = Status(status: "Failure", message: message, reason: reason, details: details, code: code)
    }

    /// `configmaps "x" not found`.
    static func notFound(_ resource: GroupResource, name: String) -> APIError {
        APIError(
            code: 404, reason: StatusReason.notFound, message: "\(resource) \"\(name)\" not found",
            details: StatusDetails(name: name, group: resource.groupOrNil, kind: resource.plural))
    }

    /// `configmaps "x" already exists`.
    static func alreadyExists(_ resource: GroupResource, name: String) -> APIError {
        APIError(
            code: 409, reason: StatusReason.alreadyExists, message: "\(resource) \"\(name)\" already exists",
            details: StatusDetails(name: name, group: resource.groupOrNil, kind: resource.plural))
    }

    /// The optimistic-concurrency failure of an update with a stale resourceVersion.
    static func conflict(_ resource: GroupResource, name: String, detail: String = staleObjectDetail) -> APIError {
        APIError(
            code: 409, reason: StatusReason.conflict,
            message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(detail)",
            details: StatusDetails(name: name, group: resource.groupOrNil, kind: resource.plural))
    }

    static let staleObjectDetail =
        "the object has been modified; please apply your changes to the latest version and try again"

    /// 422 Invalid with field causes: `ConfigMap "x" is invalid: metadata.name: Required value`.
    static func invalid(kind: String, group: String, name: String, errors: [FieldError]) -> APIError {
        APIError(
            code: 422, reason: StatusReason.invalid,
            message: FieldError.invalidObjectMessage(kind: kind, group: group, name: name, errors: errors),
            details: StatusDetails(
                name: name, group: group.isEmpty ? nil : group, kind: kind, causes: errors.map(\.statusCause)))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: StatusReason.badRequest, message: message)
    }

    /// `configmaps "x" is forbidden: …`.
    static func forbidden(_ resource: GroupResource, name: String, detail: String, causes: [StatusCause]? = nil) -> APIError {
        APIError(
            code: 403, reason: StatusReason.forbidden, message: "\(resource) \"\(name)\" is forbidden: \(detail)",
            details: StatusDetails(name: name, group: resource.groupOrNil, kind: resource.plural, causes: causes))
    }

    static func methodNotSupported(_ resource: GroupResource, action: String) -> APIError {
        APIError(
            code: 405, reason: StatusReason.methodNotAllowed,
            message: "\(action) is not supported on resources of kind \"\(resource)\"",
            details: StatusDetails(group: resource.groupOrNil, kind: resource.plural))
    }

    /// The 404 of a path that names no resource: kube-apiserver answers with a bare Status.
    static func pathNotFound() -> APIError {
        APIError(
            code: 404, reason: StatusReason.notFound, message: "the server could not find the requested resource",
            details: StatusDetails(causes: [StatusCause(reason: "UnexpectedServerResponse", message: "404 page not found")]))
    }

    static func unsupportedMediaType(_ contentType: String, accepted: [String]) -> APIError {
        APIError(
            code: 415, reason: StatusReason.unsupportedMediaType,
            message: "the body of the request was in an unknown format - accepted media types include: "
                + accepted.joined(separator: ", "))
    }

    static let unauthorized = APIError(code: 401, reason: StatusReason.unauthorized, message: "Unauthorized")

    /// The 410 of a watch or list from a resourceVersion no longer in history.
    static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: StatusReason.expired, message: message)
    }

    static func tooManyRequests(retryAfterSeconds: Int = 1) -> APIError {
        var error = APIError(
            code: 429, reason: StatusReason.tooManyRequests, message: "Too many requests, please try again later.",
            details: StatusDetails(retryAfterSeconds: retryAfterSeconds))
        error.headers = [("Retry-After", String(retryAfterSeconds))]
        return error
    }

    static func internalError(_ message: String) -> APIError {
        APIError(
            code: 500, reason: StatusReason.internalError, message: "Internal error occurred: \(message)",
            details: StatusDetails(causes: [StatusCause(message: message)]))
    }
}

/// A resource qualified by its group, printed as kube prints `schema.GroupResource`
/// (`configmaps`, `databranches.data.hmco.io`).
struct GroupResource: Sendable, Hashable, CustomStringConvertible, Codable {
    var group: String
    var plural: String

    var description: String { group.isEmpty ? plural : "\(plural).\(group)" }
    var groupOrNil: String? { group.isEmpty ? nil : group }
}
