import DebeziumSignals
import Testing

@Suite("Signal table names")
struct PostgresTableNameTests {
    @Test(
        "a name is split at the dot outside quotes and every part is double-quoted",
        arguments: [
            ("public.debezium_signal", "\"public\".\"debezium_signal\""),
            ("debezium_signal", "\"debezium_signal\""),
            ("Ops.Signals", "\"Ops\".\"Signals\""),
            ("public.\"debezium.signals\"", "\"public\".\"debezium.signals\""),
            ("\"my schema\".\"we\"\"ird\"", "\"my schema\".\"we\"\"ird\""),
            ("public.sig\"nals", "\"public\".\"sig\"\"nals\""),
            ("signals; DROP TABLE x", "\"signals; DROP TABLE x\""),
            ("public.x\" ; DROP TABLE y; --", "\"public\".\"x\"\" ; DROP TABLE y; --\""),
        ])
    func quoting(name: String, quoted: String) throws {
        #expect(try PostgresTableName(parsing: name).quoted == quoted)
    }

    @Test("schema and table come out unquoted")
    func parts() throws {
        let name = try PostgresTableName(parsing: "\"my.schema\".\"a\"\"b\"")
        #expect(name.schema == "my.schema")
        #expect(name.table == "a\"b")
        #expect(try PostgresTableName(parsing: "signals").schema == nil)
    }

    @Test(
        "a name that is not schema.table or table is refused before connecting",
        arguments: [
            "", ".signals", "public.", "a..b", "db.public.signals", "\"unterminated", "\"a\"b.c", "pub\u{0}lic.signals",
        ])
    func invalid(name: String) {
        let error = #expect(throws: SignalError.self) { try PostgresTableName(parsing: name) }
        #expect(error?.kind == .invalidTableName)
        #expect(error?.isRetryable == false)
    }
}
