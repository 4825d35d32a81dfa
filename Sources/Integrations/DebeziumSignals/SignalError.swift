/// A failure to write a signal: what was being done, what failed, and whether
/// trying again can help. Never contains the password.
public struct SignalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; compare with the static members.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let code: String
        private init(_ code: String) { self.code = code }

        /// No connection: refused, unreachable, name not resolved, closed early, connect timeout.
        public static let connect = Kind("Connect")
        /// TLS could not be set up: the server has none while it is required, a certificate
        /// failed verification, or the CA bundle could not be read.
        public static let tls = Kind("TLS")
        /// The server refused the user or the password (SQLSTATE class 28, SASL failures).
        public static let authentication = Kind("Authentication")
        /// No such database (SQLSTATE 3D000).
        public static let databaseMissing = Kind("DatabaseMissing")
        /// No such signaling table or schema (SQLSTATE 42P01, 3F000).
        public static let tableMissing = Kind("TableMissing")
        /// The user may not insert into the signaling table (SQLSTATE 42501).
        public static let permissionDenied = Kind("PermissionDenied")
        /// The signaling table's name cannot be read as `schema.table`.
        public static let invalidTableName = Kind("InvalidTableName")
        /// The insert did not finish within the statement timeout; it may still commit.
        public static let timeout = Kind("Timeout")
        /// Anything else, e.g. a column type the values do not fit.
        public static let other = Kind("Other")

        /// The short form, e.g. for a metric label.
        public var description: String { code }
    }

    public var kind: Kind
    /// What the writer was doing, e.g. `inserting signal s1 into "public"."signals" on app@db:5432/shop (sslmode=require)`.
    public var operation: String
    /// The server's SQLSTATE, when the server answered.
    public var sqlState: String?
    /// The server's message, or a description of the transport failure.
    public var message: String

    public init(kind: Kind, operation: String, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.operation = operation
        self.sqlState = sqlState
        self.message = message
    }

    /// Whether the same write may succeed later without anyone changing anything:
    /// connection failures, timeouts, and server states that pass (SQLSTATE classes 08,
    /// 40 and 53, 55P03, 57014, 57P01–57P03).
    public var isRetryable: Bool {
        switch kind {
        case .connect, .timeout: return true
        case .other:
            guard let sqlState else { return false }
            return ["08", "40", "53"].contains(String(sqlState.prefix(2)))
                || ["55P03", "57014", "57P01", "57P02", "57P03"].contains(sqlState)
        default: return false
        }
    }

    public var description: String {
        let state = sqlState.map { " (SQLSTATE \($0))" } ?? ""
        return "while \(operation): \(message)\(state)"
    }
}
