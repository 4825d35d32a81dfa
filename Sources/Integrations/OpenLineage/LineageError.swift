import Foundation

/// An error from the lineage backend, or from reaching it. Says which event was
/// being sent, what the backend answered, and whether trying again can help.
public struct LineageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; compare with the static members.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let code: String
        private init(_ code: String) { self.code = code }

        /// 400: the backend could not read or store the event (Marquez: an
        /// `IllegalArgumentException`, or a body that is not JSON).
        public static let badRequest = Kind("BadRequest")
        /// 422: the event breaks the spec; ``LineageError/errors`` lists why. Also an
        /// event or facet that could not be built or encoded.
        public static let invalidEvent = Kind("InvalidEvent")
        /// 401 or 403: credentials missing, wrong, or not allowed to write.
        public static let unauthorized = Kind("Unauthorized")
        /// 5xx.
        public static let serverError = Kind("ServerError")
        /// No answer within the deadline.
        public static let timeout = Kind("Timeout")
        /// No connection.
        public static let connection = Kind("Connection")
        /// Another status, e.g. 404 (wrong path) or 429.
        public static let unexpectedStatus = Kind("UnexpectedStatus")

        public var description: String { code }
    }

    public var kind: Kind
    /// What the client was doing, e.g. `sending the COMPLETE event of job hmco/databranch.x.merge (run …)`.
    public var operation: String
    /// The HTTP status, when the backend answered.
    public var status: Int?
    /// Why: the backend's message, the 422's errors joined, or the transport failure.
    public var message: String
    /// The validation errors of a 422 (`{"errors": [...]}`), verbatim.
    public var errors: [String]
    /// How long the backend (or a proxy) asked us to wait (`Retry-After` in seconds), if it did.
    public var retryAfter: Duration?

    public init(
        kind: Kind, operation: String, status: Int? = nil, message: String, errors: [String] = [],
        retryAfter: Duration? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.status = status
        self.message = message
        self.errors = errors
        self.retryAfter = retryAfter
    }

    /// Whether the same event may be accepted later: 5xx, 408, 429, timeouts and
    /// connection failures. An invalid event or refused credentials stay refused.
    public var isRetryable: Bool {
        switch kind {
        case .serverError, .timeout, .connection: true
        case .unexpectedStatus: status == 429 || status == 408
        default: false
        }
    }

    public var description: String {
        let answered = status.map { " (HTTP \($0))" } ?? ""
        return "while \(operation) to the lineage backend: \(message)\(answered)"
    }
}
