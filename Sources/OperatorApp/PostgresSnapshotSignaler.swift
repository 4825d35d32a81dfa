import Controllers
import DebeziumSignals

/// ``SnapshotSignaler`` that inserts an `execute-snapshot` row into the source
/// database's signaling table, the way Debezium's "source" signaling channel expects.
///
/// Guarantees: one connection per signal, closed afterwards; an id already in the
/// table (an earlier attempt that committed after all) counts as sent.
/// `verify-ca` and `verify-full` check the server against the CA of
/// `spec.database.tls.caSecretRef`, or the system's roots without one.
public struct PostgresSnapshotSignaler: SnapshotSignaler {
    private let writer: PostgresSignalWriter
    private let connectTimeout: Duration

    /// - Parameters:
    ///   - writer: writes the row; its `statementTimeout` bounds the insert.
    ///   - connectTimeout: deadline for connecting, TLS and authentication.
    public init(writer: PostgresSignalWriter = PostgresSignalWriter(), connectTimeout: Duration = .seconds(10)) {
        self.writer = writer
        self.connectTimeout = connectTimeout
    }

    /// Throws ``SignalError`` (see ``SignalError/isRetryable``).
    public func send(_ signal: SnapshotSignal) async throws {
        guard let tls = PostgresTLSMode(sslMode: signal.sslMode, caPEM: signal.caPEM) else {
            throw SignalError(
                kind: .tls, operation: "signalling connector \(signal.connector)",
                message:
                    "unknown sslmode \"\(signal.sslMode)\" (expected disable, allow, prefer, require, verify-ca or verify-full)"
            )
        }
        let target = PostgresSignalTarget(
            host: signal.host, port: signal.port, database: signal.database, user: signal.user,
            password: signal.password,
            tls: tls, connectTimeout: connectTimeout)
        try await writer.insert(
            SignalRow(id: signal.id, type: "execute-snapshot", data: signal.data), into: signal.signalTable,
            connection: target)
    }
}
