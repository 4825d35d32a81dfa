import PostgresNIO

extension PostgresSignalWriter {
    /// PostgresNIO's configuration for `target`; throws when a CA bundle cannot be read.
    static func configuration(for target: PostgresSignalTarget) throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: target.host, port: target.port, username: target.user, password: target.password,
            database: target.database.isEmpty ? nil : target.database, tls: try tls(target.tls))
        let (seconds, attoseconds) = target.connectTimeout.components
        configuration.options.connectTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        return configuration
    }

    /// libpq's `sslmode` on PostgresNIO: `prefer` falls back to plain TCP when the server
    /// answers the SSL request with "no"; `prefer` and `require` do not verify the certificate.
    static func tls(_ mode: PostgresTLSMode) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable:
            return .disable
        case .prefer:
            configuration.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: configuration))
        case .require:
            configuration.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: configuration))
        case .verifyCA(let caPEM):
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = try trustRoots(caPEM)
            return .require(try NIOSSLContext(configuration: configuration))
        case .verifyFull(let caPEM):
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = try trustRoots(caPEM)
            return .require(try NIOSSLContext(configuration: configuration))
        }
    }

    private static func trustRoots(_ caPEM: String?) throws -> NIOSSLTrustRoots {
        guard let caPEM else { return .default }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8))
        } catch {
            throw UnreadableCABundle(reason: "\(error)")
        }
        guard !certificates.isEmpty else { throw UnreadableCABundle(reason: "no certificate in it") }
        return .certificates(certificates)
    }

    private struct UnreadableCABundle: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the CA bundle is not readable as PEM certificates (\(reason))" }
    }
}
