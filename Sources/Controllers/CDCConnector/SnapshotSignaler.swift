import Foundation

/// One incremental snapshot signal for a Debezium PostgreSQL source.
///
/// Debezium's documented way to snapshot tables added to a running connector is
/// an `execute-snapshot` signal (type `incremental`) written into the signaling
/// table the connector's `signal.data.collection` names:
/// `INSERT INTO <schema>.<table> (id, type, data) VALUES ('<id>', 'execute-snapshot',
/// '{"data-collections": ["public.trades"], "type": "incremental"}')`.
public struct SnapshotSignal: Sendable, Hashable, CustomStringConvertible {
    /// The source connector the signal is for.
    public var connector: String
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    /// Read from the Secret just before sending; never printed.
    public var password: String
    /// PostgreSQL's `sslmode`, e.g. `require`.
    public var sslMode: String
    /// PEM bundle of the CA to verify the server with (`verify-ca`, `verify-full`); the system roots when nil.
    public var caPEM: String?
    /// The signaling table, `schema.table`.
    public var signalTable: String
    /// The tables to snapshot, `schema.table`.
    public var tables: [String]
    /// The signal's id, unique per signal.
    public var id: String

    public init(
        connector: String, host: String, port: Int, database: String, user: String, password: String, sslMode: String,
        caPEM: String? = nil, signalTable: String, tables: [String], id: String
    ) {
        self.connector = connector
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.sslMode = sslMode
        self.caPEM = caPEM
        self.signalTable = signalTable
        self.tables = tables
        self.id = id
    }

    /// The `data` column of the signal row.
    public var data: String {
        let collections = tables.map { "\"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"" }
        return "{\"data-collections\": [\(collections.joined(separator: ", "))], \"type\": \"incremental\"}"
    }

    public var description: String {
        "signal \(id) to \(user)@\(host):\(port)/\(database) table \(signalTable): snapshot \(tables.joined(separator: ", "))"
    }
}

/// Writes Debezium signals into a source database; tests and `hmco-dev` substitute a recorder.
public protocol SnapshotSignaler: Sendable {
    func send(_ signal: SnapshotSignal) async throws
}

/// A signaler for an operator that has no way to reach the source databases.
public struct UnavailableSnapshotSignaler: SnapshotSignaler {
    public init() {}

    public func send(_ signal: SnapshotSignal) async throws {
        throw SignalUnavailableError()
    }

    public struct SignalUnavailableError: Error, CustomStringConvertible {
        public var description: String { "this operator is not configured to write signals into source databases" }
    }
}
