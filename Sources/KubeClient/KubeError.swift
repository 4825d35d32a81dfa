import Foundation
import KubeAPI

/// An error from the Kubernetes API, or from reaching it.
///
/// API errors carry the server's `metav1.Status`; the helpers answer the
/// questions a controller asks (is it gone? a conflict? worth retrying?).
public struct KubeError: Error, Sendable, CustomStringConvertible {
    /// What the client was doing, e.g. `get configmaps default/settings`.
    public var operation: String
    /// The HTTP status code, or nil when no response arrived.
    public var code: Int?
    /// The decoded `metav1.Status`, when the server sent one.
    public var status: Status?
    /// Seconds the server asked us to wait (`Retry-After`), if any.
    public var retryAfterSeconds: Int?
    /// For transport failures: what went wrong underneath.
    public var underlying: String?

    public init(operation: String, code: Int?, status: Status?, retryAfterSeconds: Int? = nil, underlying: String? = nil) {
        self.operation = operation
        self.code = code
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.underlying = underlying
    }

    /// The Status reason (`NotFound`, `Conflict`, …), derived from the code when the body had none.
    public var reason: String {
        if let reason = status?.reason, !reason.isEmpty { return reason }
        switch code {
        case 400: return StatusReason.badRequest
        case 401: return StatusReason.unauthorized
        case 403: return StatusReason.forbidden
        case 404: return StatusReason.notFound
        case 405: return StatusReason.methodNotAllowed
        case 409: return StatusReason.conflict
        case 410: return StatusReason.gone
        case 415: return StatusReason.unsupportedMediaType
        case 422: return StatusReason.invalid
        case 429: return StatusReason.tooManyRequests
        case 500: return StatusReason.internalError
        case 503: return StatusReason.serviceUnavailable
        case 504: return StatusReason.timeout
        case nil: return "TransportError"
        default: return "Unknown"
        }
    }

    public var isNotFound: Bool { reason == StatusReason.notFound }
    public var isAlreadyExists: Bool { reason == StatusReason.alreadyExists }
    /// A write with a stale resourceVersion.
    public var isConflict: Bool { code == 409 && reason == StatusReason.conflict }
    /// The requested resourceVersion is no longer in the server's history: relist.
    public var isGone: Bool { code == 410 || reason == StatusReason.gone || reason == StatusReason.expired }
    public var isInvalid: Bool { reason == StatusReason.invalid }
    public var isForbidden: Bool { reason == StatusReason.forbidden }
    public var isUnauthorized: Bool { reason == StatusReason.unauthorized }
    public var isTooManyRequests: Bool { reason == StatusReason.tooManyRequests }

    /// Whether the same request may succeed later without any change.
    public var isRetryable: Bool {
        guard let code else { return true }
        switch code {
        case 409: return isConflict
        case 429, 500, 502, 503, 504: return true
        default: return false
        }
    }

    /// The field-level causes of an Invalid error.
    public var causes: [StatusCause] { status?.details?.causes ?? [] }

    /// A short label for metrics (`NotFound`, `TransportError`, …).
    public var metricLabel: String { reason }

    public var description: String {
        var text = "while trying to \(operation): "
        if let message = status?.message, !message.isEmpty {
            text += message
        } else if let underlying {
            text += underlying
        } else {
            text += reason
        }
        if let code { text += " (HTTP \(code))" }
        return text
    }
}

extension KubeError {
    /// Decodes an error response body; tolerates bodies that are not a Status.
    static func fromResponse(operation: String, code: Int, body: Data, retryAfter: String?) -> KubeError {
        var status = try? JSONCoding.decode(Status.self, from: body)
        if status?.kind != "Status" && status?.reason == nil && status?.message == nil { status = nil }
        if status == nil, !body.isEmpty {
            let text = String(decoding: body.prefix(512), as: UTF8.self)
            status = Status(message: text.trimmingCharacters(in: .whitespacesAndNewlines), code: code)
        }
        let retryAfterSeconds = retryAfter.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            ?? status?.details?.retryAfterSeconds
        return KubeError(operation: operation, code: code, status: status, retryAfterSeconds: retryAfterSeconds)
    }
}
