import PostgresNIO

extension PostgresSignalWriter {
    /// The ``SignalError`` for a failure of PostgresNIO, NIO or NIOSSL.
    ///
    /// Built only from SQLSTATEs, the server's message and transport errors: neither
    /// carries the password.
    static func signalError(_ error: any Error, operation: String, tls: PostgresTLSMode) -> SignalError {
        if let error = error as? SignalError { return error }
        guard let error = error as? PSQLError else {
            if isTLSError(error) {
                return SignalError(
                    kind: .tls, operation: operation, message: "TLS (sslmode=\(tls.sslMode)) failed: \(error)")
            }
            return SignalError(kind: .connect, operation: operation, message: "\(error)")
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState]
            let message = error.serverInfo?[.message] ?? "the server answered with an error"
            return SignalError(kind: kind(sqlState: state), operation: operation, sqlState: state, message: message)
        case .sslUnsupported:
            return SignalError(
                kind: .tls, operation: operation,
                message: "the server does not accept TLS connections, and sslmode=\(tls.sslMode) requires TLS")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return SignalError(
                kind: .tls, operation: operation, message: "TLS could not be set up (\(error.code))\(underlying(error))"
            )
        case .saslError, .unsupportedAuthMechanism, .authMechanismRequiresPassword:
            return SignalError(
                kind: .authentication, operation: operation,
                message: "authentication failed (\(error.code))\(underlying(error))")
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            let cause = "\(error.underlying.map { "\($0)" } ?? "the connection closed") (\(error.code))"
            if let underlying = error.underlying, isTLSError(underlying) {
                return SignalError(
                    kind: .tls, operation: operation, message: "TLS (sslmode=\(tls.sslMode)) failed: \(cause)")
            }
            return SignalError(kind: .connect, operation: operation, message: cause)
        default:
            return SignalError(kind: .other, operation: operation, message: "\(error.code)\(underlying(error))")
        }
    }

    static func kind(sqlState: String?) -> SignalError.Kind {
        guard let sqlState else { return .other }
        switch sqlState {
        case "42P01", "3F000": return .tableMissing
        case "42501": return .permissionDenied
        case "3D000": return .databaseMissing
        case _ where sqlState.hasPrefix("28"): return .authentication
        case _ where sqlState.hasPrefix("08"): return .connect
        default: return .other
        }
    }

    private static func underlying(_ error: PSQLError) -> String {
        error.underlying.map { ": \($0)" } ?? ""
    }

    private static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError
    }
}
