import DebeziumSignals
import Foundation
import PostgresNIO
import Testing

/// Against a server that accepts TCP connections over TLS only, with a certificate
/// for `localhost` (DNS name, no IP address) signed by a test CA.
@Suite(
    "PostgresSignalWriter TLS modes",
    .enabled(
        if: PostgresServer.isAvailable && PostgresServer.opensslPath != nil,
        "needs PostgreSQL's initdb and postgres (Debian package postgresql) and openssl"))
struct PostgresSignalWriterTLSTests {
    let writer = PostgresSignalWriter()

    func insert(_ id: String, _ server: PostgresServer, host: String = "127.0.0.1", tls: PostgresTLSMode) async throws {
        var connection = target(server, tls: tls)
        connection.host = host
        try await writer.insert(
            SignalRow(id: id, type: "execute-snapshot", data: snapshotData), into: "debezium.signals",
            connection: connection)
    }

    @Test("prefer and require encrypt without checking the certificate; disable is turned away by a TLS-only server")
    func unverifiedModes() async throws {
        try await PostgresServer.withPostgresServer(.init(tlsOnly: true)) { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            try await insert("preferred", server, tls: .prefer)
            try await insert("required", server, tls: .require)
            let error = await #expect(throws: SignalError.self) { try await insert("plain", server, tls: .disable) }
            #expect(error?.kind == .authentication, "pg_hba has no plain-TCP entry: \(String(describing: error))")
            #expect(
                try await server.rows("SELECT id FROM debezium.signals ORDER BY id") == [["preferred"], ["required"]])
        }
    }

    @Test("verify-full accepts the server by the name its certificate gives and refuses an address it does not")
    func verifyFull() async throws {
        try await PostgresServer.withPostgresServer(.init(tlsOnly: true)) { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            try await insert("by-name", server, host: "localhost", tls: .verifyFull(caPEM: server.caPEM))
            let mismatch = await #expect(throws: SignalError.self) {
                try await insert("by-address", server, host: "127.0.0.1", tls: .verifyFull(caPEM: server.caPEM))
            }
            #expect(mismatch?.kind == .tls, "\(String(describing: mismatch))")
            #expect(mismatch?.isRetryable == false)
            #expect(try await server.rows("SELECT id FROM debezium.signals") == [["by-name"]])
        }
    }

    @Test("verify-ca checks the chain but not the name")
    func verifyCA() async throws {
        try await PostgresServer.withPostgresServer(.init(tlsOnly: true)) { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            try await insert("by-address", server, host: "127.0.0.1", tls: .verifyCA(caPEM: server.caPEM))
            #expect(try await server.rows("SELECT id FROM debezium.signals") == [["by-address"]])
        }
    }

    @Test("a certificate from an unknown CA fails verification; an unreadable CA bundle is a TLS error")
    func untrusted() async throws {
        try await PostgresServer.withPostgresServer(.init(tlsOnly: true)) { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            for mode in [
                PostgresTLSMode.verifyFull(caPEM: nil), .verifyCA(caPEM: nil), .verifyCA(caPEM: "not a certificate"),
            ] {
                let error = await #expect(throws: SignalError.self, "\(mode)") {
                    try await insert("untrusted", server, host: "localhost", tls: mode)
                }
                #expect(error?.kind == .tls, "\(mode): \(String(describing: error))")
                #expect(error?.isRetryable == false)
            }
            #expect(try await server.rows("SELECT count(*)::text FROM debezium.signals") == [["0"]])
        }
    }
}
