import Foundation

/// An error from Kafka Connect, or from reaching it. Says what was being done,
/// what Connect answered (its `{"error_code", "message"}` body), and whether
/// trying again can help.
public struct KafkaConnectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; compare with the static members.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let code: String
        private init(_ code: String) { self.code = code }

        /// 404: no such connector, task or plugin.
        public static let notFound = Kind("NotFound")
        /// 409 on `POST /connectors`: a connector of that name exists.
        public static let alreadyExists = Kind("AlreadyExists")
        /// 409 otherwise: a rebalance is under way or the worker's configuration is stale. Retry.
        public static let rebalancing = Kind("Rebalancing")
        /// 400: invalid configuration, name mismatch, offsets changed while not STOPPED, …
        public static let badRequest = Kind("BadRequest")
        /// 401.
        public static let unauthorized = Kind("Unauthorized")
        /// 403, e.g. topic tracking disabled.
        public static let forbidden = Kind("Forbidden")
        /// 5xx, including Connect's own 500 "Request timed out".
        public static let serverError = Kind("ServerError")
        /// Another status code.
        public static let unexpectedStatus = Kind("UnexpectedStatus")
        /// A 2xx answer whose body could not be read.
        public static let invalidResponse = Kind("InvalidResponse")
        /// No answer within the deadline.
        public static let timeout = Kind("Timeout")
        /// No connection.
        public static let connection = Kind("Connection")

        public var description: String { code }
    }

    public var kind: Kind
    /// What the client was doing, e.g. `creating connector trading-cdc`.
    public var operation: String
    /// The HTTP status, when Connect answered.
    public var status: Int?
    /// `error_code` from the body.
    public var errorCode: Int?
    /// `message` from the body, or a description of the transport failure.
    public var message: String
    /// How long the worker (or a proxy in front of it) asked us to wait (`Retry-After` in seconds), if it did.
    public var retryAfter: Duration?

    public init(
        kind: Kind, operation: String, status: Int? = nil, errorCode: Int? = nil, message: String, retryAfter: Duration? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.status = status
        self.errorCode = errorCode
        self.message = message
        self.retryAfter = retryAfter
    }

    /// Whether the same request may succeed later: rebalances, 5xx, 429, timeouts and connection failures.
    public var isRetryable: Bool {
        switch kind {
        case .rebalancing, .serverError, .timeout, .connection: true
        case .unexpectedStatus: status == 429
        default: false
        }
    }

    public var description: String {
        let answered = status.map { " (HTTP \($0))" } ?? ""
        return "while \(operation) on Kafka Connect: \(message)\(answered)"
    }
}
