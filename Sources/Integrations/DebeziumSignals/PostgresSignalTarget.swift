/// The PostgreSQL database a signal is written into.
///
/// The password is never part of ``description``.
public struct PostgresSignalTarget: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// Empty means the server's default (the user's name).
    public var database: String
    public var user: String
    /// Never printed.
    public var password: String
    public var tls: PostgresTLSMode
    /// Deadline for the TCP connection, TLS and authentication together.
    public var connectTimeout: Duration

    public init(
        host: String, port: Int = 5432, database: String, user: String, password: String,
        tls: PostgresTLSMode = .prefer,
        connectTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    /// `user@host:port/database (sslmode=…)`, without the password.
    public var description: String {
        "\(user)@\(host):\(port)/\(database) (sslmode=\(tls.sslMode))"
    }
}

/// TLS toward the database, with libpq's `sslmode` meanings.
///
/// Guarantees: ``verifyCA(caPEM:)`` and ``verifyFull(caPEM:)`` check the server's
/// certificate chain against `caPEM` (or the system's roots when `nil`);
/// ``verifyFull(caPEM:)`` also checks the host name (or IP address) against the certificate.
/// Caveats: as in libpq, ``prefer`` and ``require`` encrypt without verifying the
/// certificate, so they do not protect against an active man in the middle.
public enum PostgresTLSMode: Sendable, Hashable, CustomStringConvertible {
    /// Plain TCP only.
    case disable
    /// TLS when the server offers it, plain TCP when it answers that it has no TLS.
    case prefer
    /// TLS or fail; the certificate is not verified.
    case require
    /// TLS with a certificate signed by `caPEM` (or a system root); any host name.
    case verifyCA(caPEM: String?)
    /// TLS with a certificate signed by `caPEM` (or a system root) that names the host.
    case verifyFull(caPEM: String?)

    /// The mode of a libpq `sslmode` value; `nil` for an unknown one.
    ///
    /// `allow` (plain first, TLS only when the server insists) has no counterpart in
    /// PostgresNIO; it maps to ``prefer``, which reaches the same servers and encrypts when it can.
    public init?(sslMode: String, caPEM: String? = nil) {
        switch sslMode {
        case "disable": self = .disable
        case "allow", "prefer": self = .prefer
        case "require": self = .require
        case "verify-ca": self = .verifyCA(caPEM: caPEM)
        case "verify-full": self = .verifyFull(caPEM: caPEM)
        default: return nil
        }
    }

    /// The libpq `sslmode` name.
    public var sslMode: String {
        switch self {
        case .disable: "disable"
        case .prefer: "prefer"
        case .require: "require"
        case .verifyCA: "verify-ca"
        case .verifyFull: "verify-full"
        }
    }

    public var description: String { sslMode }
}
