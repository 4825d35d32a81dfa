import DebeziumSignals
import Testing

@Suite("Signal errors and targets")
struct SignalErrorTests {
    @Test(
        "retries help for connection failures, timeouts and passing server states only",
        arguments: [
            (SignalError.Kind.connect, nil, true),
            (.timeout, nil, true),
            (.other, "40001", true),
            (.other, "53300", true),
            (.other, "57P03", true),
            (.other, "55P03", true),
            (.other, "22P02", false),
            (.other, nil, false),
            (.tls, nil, false),
            (.authentication, "28P01", false),
            (.databaseMissing, "3D000", false),
            (.tableMissing, "42P01", false),
            (.permissionDenied, "42501", false),
            (.invalidTableName, nil, false),
        ] as [(SignalError.Kind, String?, Bool)])
    func retryable(kind: SignalError.Kind, sqlState: String?, retryable: Bool) {
        #expect(SignalError(kind: kind, operation: "x", sqlState: sqlState, message: "m").isRetryable == retryable)
    }

    @Test("the description says what was done, what failed and the SQLSTATE")
    func description() {
        let error = SignalError(
            kind: .tableMissing, operation: "inserting signal s1 into \"public\".\"signals\"", sqlState: "42P01",
            message: "relation \"public.signals\" does not exist")
        #expect(
            error.description
                == "while inserting signal s1 into \"public\".\"signals\": relation \"public.signals\" does not exist (SQLSTATE 42P01)"
        )
    }

    @Test("a target prints without its password")
    func targetDescription() {
        let target = PostgresSignalTarget(
            host: "db.example", port: 6432, database: "shop", user: "debezium", password: "s3cret-Pa55",
            tls: .verifyFull(caPEM: nil))
        #expect(target.description == "debezium@db.example:6432/shop (sslmode=verify-full)")
        #expect(!"\(target)".contains("s3cret-Pa55"))
    }

    @Test(
        "libpq sslmode names map onto TLS modes; allow becomes prefer",
        arguments: [
            ("disable", PostgresTLSMode.disable), ("allow", .prefer), ("prefer", .prefer), ("require", .require),
            ("verify-ca", .verifyCA(caPEM: "CA")), ("verify-full", .verifyFull(caPEM: "CA")),
        ])
    func sslModes(name: String, mode: PostgresTLSMode) {
        #expect(PostgresTLSMode(sslMode: name, caPEM: "CA") == mode)
    }

    @Test("an unknown sslmode is refused")
    func unknownSSLMode() {
        #expect(PostgresTLSMode(sslMode: "required") == nil)
        #expect(PostgresTLSMode(sslMode: "") == nil)
    }

    @Test("nothing listening on the port is a connect error that a retry can fix")
    func serverDown() async throws {
        let port = try PostgresServer.freePort()
        let target = PostgresSignalTarget(
            host: "127.0.0.1", port: port, database: "postgres", user: "postgres", password: "pw-never-shown",
            tls: .prefer,
            connectTimeout: .seconds(5))
        let error = await #expect(throws: SignalError.self) {
            try await PostgresSignalWriter().insert(
                SignalRow(id: "s1", type: "log", data: nil), into: "public.signals", connection: target)
        }
        #expect(error?.kind == .connect)
        #expect(error?.isRetryable == true)
        #expect(error?.description.contains("127.0.0.1") == true)
        #expect(error?.description.contains("pw-never-shown") == false)
    }
}
