import Logging
import PostgresNIO

/// Writes Debezium signals into a PostgreSQL signaling table, one short-lived
/// connection per signal.
///
/// Debezium's "source" channel reads every row inserted into the table named by the
/// connector's `signal.data.collection`; an `execute-snapshot` row starts an
/// incremental snapshot of the tables its `data` lists.
///
/// Guarantees:
/// - The row goes in as `INSERT INTO "schema"."table" VALUES ($1, $2, $3)`: the
///   table name is quoted as an identifier (``PostgresTableName``) and id, type and
///   data are bind parameters, never part of the SQL text. The values are sent
///   untyped, so the server converts them to the columns' types (varchar, text, jsonb…).
/// - The connection is closed on every path, success or failure.
/// - Every failure is a ``SignalError`` naming the operation and saying whether a
///   retry can help; the password never appears in it.
///
/// Assumptions: the table has Debezium's three columns in Debezium's order (id, type,
/// data). Debezium ignores the column names, so the insert does not name them either.
///
/// Caveats: no retries here. After a ``SignalError/Kind/timeout`` the row may still
/// commit; writing the same id again then gives ``SignalInsertOutcome/alreadyPresent``
/// when the id column is unique, as in Debezium's suggested `id VARCHAR PRIMARY KEY`.
public struct PostgresSignalWriter: Sendable {
    /// How long the insert may take once connected (connecting has its own deadline,
    /// ``PostgresSignalTarget/connectTimeout``).
    public var statementTimeout: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - statementTimeout: deadline of the insert, e.g. when a lock holds the table.
    ///   - logger: receives PostgresNIO's connection logs; silent by default.
    public init(
        statementTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "hmco.debezium-signals", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.statementTimeout = statementTimeout
        self.logger = logger
    }

    /// Inserts `row` into the signaling table `table` (`schema.table` or `table`).
    /// - Returns: ``SignalInsertOutcome/alreadyPresent`` when the table already holds a
    ///   row with this id (unique violation, SQLSTATE 23505).
    /// - Throws: ``SignalError``; `CancellationError` when the task is cancelled.
    @discardableResult
    public func insert(
        _ row: SignalRow, into table: String, connection target: PostgresSignalTarget
    ) async throws -> SignalInsertOutcome {
        try await insert(row, into: PostgresTableName(parsing: table), connection: target)
    }

    /// Inserts `row` into the signaling table `table`.
    /// - Returns: ``SignalInsertOutcome/alreadyPresent`` when the table already holds a
    ///   row with this id (unique violation, SQLSTATE 23505).
    /// - Throws: ``SignalError``; `CancellationError` when the task is cancelled.
    @discardableResult
    public func insert(
        _ row: SignalRow, into table: PostgresTableName, connection target: PostgresSignalTarget
    ) async throws -> SignalInsertOutcome {
        let operation = "inserting signal \(row.id) into \(table) on \(target)"
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try Self.configuration(for: target)
        } catch {
            throw SignalError(
                kind: .tls, operation: operation, message: "could not set up TLS (\(target.tls.sslMode)): \(error)")
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.signalError(error, operation: operation, tls: target.tls)
        }
        let query: PostgresQuery =
            "INSERT INTO \(unescaped: table.quoted) VALUES (\(UntypedText(row.id)), \(UntypedText(row.type)), \(row.data.map(UntypedText.init)))"
        do {
            try await Self.run(query, on: connection, timeout: statementTimeout, logger: logger)
        } catch {
            try? await connection.close()
            if error is CancellationError { throw error }
            if error is StatementTimedOut {
                throw SignalError(
                    kind: .timeout, operation: operation,
                    message: "no answer within \(statementTimeout); the row may still be written")
            }
            let failure = Self.signalError(error, operation: operation, tls: target.tls)
            if failure.sqlState == "23505" { return .alreadyPresent }
            throw failure
        }
        try? await connection.close()
        return .inserted
    }

    /// Runs `query` and drains its rows; closes the connection when `timeout` passes first,
    /// which fails the query.
    private static func run(
        _ query: PostgresQuery, on connection: PostgresConnection, timeout: Duration, logger: Logger
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await _ in try await connection.query(query, logger: logger) {}
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw StatementTimedOut()
            }
            defer { group.cancelAll() }
            do {
                try await group.next()
            } catch is StatementTimedOut {
                try? await connection.close()
                throw StatementTimedOut()
            }
        }
    }

    private struct StatementTimedOut: Error {}
}

/// What an insert did.
public enum SignalInsertOutcome: Sendable, Hashable {
    /// The row was written.
    case inserted
    /// A row with this id was there already (an earlier attempt committed); nothing was written.
    case alreadyPresent
}

/// A string bound with no type (OID 0) in text format, so the server gives it the
/// type of the column it goes into.
private struct UntypedText: PostgresDynamicTypeEncodable {
    var value: String
    init(_ value: String) { self.value = value }

    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(value)
    }
}
