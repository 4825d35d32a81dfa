/// One row of a Debezium signaling table (the "source" signaling channel).
///
/// Debezium reads the table's three columns by position — id, type, data — and
/// ignores their names; see ``PostgresSignalWriter``.
public struct SignalRow: Sendable, Hashable {
    /// Unique per signal. Debezium uses it only for logging and de-duplication.
    public var id: String
    /// The signal's type, e.g. `execute-snapshot`.
    public var type: String
    /// The signal's JSON parameters, e.g.
    /// `{"data-collections": ["public.refunds"], "type": "incremental"}`; `nil` writes SQL NULL.
    public var data: String?

    public init(id: String, type: String, data: String?) {
        self.id = id
        self.type = type
        self.data = data
    }
}
