import DebeziumSignals
import Foundation
import PostgresNIO
import Testing

/// Debezium's suggested signaling table.
let signalTableDDL: PostgresQuery =
    "CREATE TABLE debezium.signals (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL)"

let snapshotData = #"{"data-collections": ["public.refunds"], "type": "incremental"}"#

func target(
    _ server: PostgresServer, tls: PostgresTLSMode = .disable, user: String = PostgresServer.superuser,
    password: String = ""
)
    -> PostgresSignalTarget
{
    PostgresSignalTarget(
        host: "127.0.0.1", port: server.port, database: "postgres", user: user, password: password, tls: tls,
        connectTimeout: .seconds(10))
}

@Suite(
    "PostgresSignalWriter against PostgreSQL",
    .enabled(
        if: PostgresServer.isAvailable,
        "needs PostgreSQL's initdb and postgres on PATH or under /usr/lib/postgresql/<version>/bin (Debian package postgresql)"
    ))
struct PostgresSignalWriterTests {
    let writer = PostgresSignalWriter()

    @Test("an execute-snapshot signal lands in the signaling table with its id, type and data")
    func signalLands() async throws {
        try await PostgresServer.withPostgresServer { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            let outcome = try await writer.insert(
                SignalRow(id: "hmco-uid-7", type: "execute-snapshot", data: snapshotData), into: "debezium.signals",
                connection: target(server))
            #expect(outcome == .inserted)
            let rows = try await server.rows("SELECT id, type, data FROM debezium.signals")
            #expect(rows == [["hmco-uid-7", "execute-snapshot", snapshotData]])
        }
    }

    @Test("values are bind parameters: quotes and SQL in them are stored verbatim and never run")
    func valuesAreParameters() async throws {
        try await PostgresServer.withPostgresServer { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL, "CREATE TABLE public.victim (n int)")
            let id = "x'); DROP TABLE public.victim; --"
            let data = #"{"data-collections": ["public.o'brien", "public.\"Quoted\""], "type": "incremental"}"#
            try await writer.insert(
                SignalRow(id: id, type: "execute-snapshot", data: data), into: "debezium.signals",
                connection: target(server))
            #expect(try await server.rows("SELECT id, data FROM debezium.signals") == [[id, data]])
            #expect(try await server.rows("SELECT to_regclass('public.victim')::text") == [["victim"]])
        }
    }

    @Test("the server converts the values to the columns' types: text, jsonb, and NULL data")
    func columnTypes() async throws {
        try await PostgresServer.withPostgresServer { server in
            try await server.execute(
                "CREATE TABLE public.signals_text (id text, type text, data text)",
                "CREATE TABLE public.signals_jsonb (id varchar(64) PRIMARY KEY, type varchar(32), data jsonb)")
            try await writer.insert(
                SignalRow(id: "t1", type: "log", data: nil), into: "public.signals_text", connection: target(server))
            try await writer.insert(
                SignalRow(id: "j1", type: "execute-snapshot", data: snapshotData), into: "public.signals_jsonb",
                connection: target(server))
            #expect(try await server.rows("SELECT id, type, data FROM public.signals_text") == [["t1", "log", nil]])
            #expect(
                try await server.rows("SELECT data->>'type', data->'data-collections'->>0 FROM public.signals_jsonb")
                    == [["incremental", "public.refunds"]])
        }
    }

    @Test("the same id written twice is reported as already present and stored once")
    func sameIDTwice() async throws {
        try await PostgresServer.withPostgresServer { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            let row = SignalRow(id: "hmco-uid-8", type: "execute-snapshot", data: snapshotData)
            #expect(try await writer.insert(row, into: "debezium.signals", connection: target(server)) == .inserted)
            #expect(
                try await writer.insert(row, into: "debezium.signals", connection: target(server)) == .alreadyPresent)
            #expect(try await server.rows("SELECT count(*)::text FROM debezium.signals") == [["1"]])
        }
    }

    @Test("a table name is only an identifier: quotes, SQL or a missing schema give a table-missing error")
    func tableNamesAreIdentifiers() async throws {
        try await PostgresServer.withPostgresServer { server in
            try await server.execute(
                "CREATE SCHEMA debezium", signalTableDDL, "CREATE TABLE public.x (n int)",
                #"CREATE TABLE public."we""ird" (id text, type text, data text)"#)
            let row = SignalRow(id: "s1", type: "execute-snapshot", data: snapshotData)
            let names: [(String, SignalError.Kind)] = [
                ("signals; DROP TABLE x", .tableMissing), ("x (n) VALUES (1); DROP TABLE x; --", .tableMissing),
                ("debezium.sig\"nals", .tableMissing), ("nosuch.signals", .tableMissing),
                ("public.x (n) VALUES (1); DROP TABLE public.x; --", .invalidTableName),
            ]
            for (name, kind) in names {
                let error = await #expect(throws: SignalError.self, "\(name)") {
                    try await writer.insert(row, into: name, connection: target(server))
                }
                #expect(error?.kind == kind, "\(name): \(String(describing: error))")
                #expect(error?.sqlState == (kind == .tableMissing ? "42P01" : nil))
                #expect(error?.isRetryable == false)
            }
            #expect(try await server.rows("SELECT to_regclass('public.x')::text") == [["x"]])
            // A quote inside a quoted part reaches the table whose name holds it.
            try await writer.insert(row, into: #"public."we""ird""#, connection: target(server))
            #expect(try await server.rows(#"SELECT id FROM public."we""ird""#) == [["s1"]])
        }
    }

    @Test("a user without INSERT on the table gets a permission error")
    func permissionDenied() async throws {
        try await PostgresServer.withPostgresServer(.init(password: "admin-pw")) { server in
            try await server.execute(
                "CREATE SCHEMA debezium", signalTableDDL, "CREATE ROLE reader LOGIN PASSWORD 'reader-pw'",
                "GRANT USAGE ON SCHEMA debezium TO reader", "GRANT SELECT ON debezium.signals TO reader")
            let error = await #expect(throws: SignalError.self) {
                try await writer.insert(
                    SignalRow(id: "s1", type: "execute-snapshot", data: snapshotData), into: "debezium.signals",
                    connection: target(server, user: "reader", password: "reader-pw"))
            }
            #expect(error?.kind == .permissionDenied)
            #expect(error?.sqlState == "42501")
            #expect(error?.isRetryable == false)
        }
    }

    @Test("a wrong password is an authentication error that shows neither password; a missing database is named")
    func authentication() async throws {
        try await PostgresServer.withPostgresServer(.init(password: "right-Pa55word")) { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            let row = SignalRow(id: "s1", type: "execute-snapshot", data: snapshotData)
            let error = await #expect(throws: SignalError.self) {
                try await writer.insert(
                    row, into: "debezium.signals", connection: target(server, password: "wrong-Pa55word"))
            }
            #expect(error?.kind == .authentication, "\(String(describing: error))")
            #expect(error?.isRetryable == false)
            let text = error.map { "\($0) \(String(reflecting: $0))" } ?? ""
            #expect(!text.contains("wrong-Pa55word"))
            #expect(!text.contains("right-Pa55word"))

            var elsewhere = target(server, password: "right-Pa55word")
            elsewhere.database = "nosuchdb"
            let missing = await #expect(throws: SignalError.self) {
                try await writer.insert(row, into: "debezium.signals", connection: elsewhere)
            }
            #expect(missing?.kind == .databaseMissing)
            #expect(missing?.description.contains("nosuchdb") == true)

            try await writer.insert(
                row, into: "debezium.signals", connection: target(server, password: "right-Pa55word"))
            #expect(try await server.rows("SELECT id FROM debezium.signals") == [["s1"]])
        }
    }

    @Test("TLS require against a server without TLS fails as a TLS error; prefer falls back to plain TCP")
    func tlsOnPlainServer() async throws {
        try await PostgresServer.withPostgresServer { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            let error = await #expect(throws: SignalError.self) {
                try await writer.insert(
                    SignalRow(id: "required", type: "execute-snapshot", data: snapshotData), into: "debezium.signals",
                    connection: target(server, tls: .require))
            }
            #expect(error?.kind == .tls)
            #expect(error?.isRetryable == false)
            #expect(error?.description.contains("sslmode=require") == true)

            try await writer.insert(
                SignalRow(id: "preferred", type: "execute-snapshot", data: snapshotData), into: "debezium.signals",
                connection: target(server, tls: .prefer))
            #expect(try await server.rows("SELECT id FROM debezium.signals") == [["preferred"]])
        }
    }

    @Test("an insert held up past the statement timeout fails as a retryable timeout, and the connection is released")
    func statementTimeout() async throws {
        try await PostgresServer.withPostgresServer { server in
            try await server.execute("CREATE SCHEMA debezium", signalTableDDL)
            let writer = PostgresSignalWriter(statementTimeout: .seconds(1))
            try await server.withAdmin { locker in
                _ = try await locker.query("BEGIN", logger: PostgresServer.quiet)
                _ = try await locker.query(
                    "LOCK TABLE debezium.signals IN ACCESS EXCLUSIVE MODE", logger: PostgresServer.quiet)
                let started = ContinuousClock.now
                let error = await #expect(throws: SignalError.self) {
                    try await writer.insert(
                        SignalRow(id: "s1", type: "execute-snapshot", data: snapshotData), into: "debezium.signals",
                        connection: target(server))
                }
                let elapsed = ContinuousClock.now - started
                #expect(error?.kind == .timeout)
                #expect(error?.isRetryable == true)
                #expect(elapsed >= .seconds(1))
                #expect(elapsed < .seconds(30))
                _ = try await locker.query("ROLLBACK", logger: PostgresServer.quiet)
            }
            // The writer closed its side; the server ends the waiting session.
            let gone = await eventuallyTrue(timeout: .seconds(30)) {
                (try? await server.rows(
                    "SELECT count(*)::text FROM pg_stat_activity WHERE backend_type = 'client backend'")) == [["1"]]
            }
            #expect(gone)
        }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventuallyTrue(timeout: Duration, _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
}
