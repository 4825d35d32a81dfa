import Foundation

/// A PostgreSQL table name, `table` or `schema.table`, as Debezium's
/// `signal.data.collection` names it, and its quoted SQL form.
///
/// Guarantees: ``quoted`` double-quotes every part and doubles the quotes inside,
/// so the name is only ever read as an identifier, whatever it contains.
/// Assumptions: the parts are written as the catalog stores them (no case folding:
/// `public.Signals` is the table `Signals`, not `signals`). A part may itself be
/// double-quoted, as in `public."debezium.signals"`, to hold a dot.
public struct PostgresTableName: Sendable, Hashable, CustomStringConvertible {
    /// `nil` leaves the schema to the session's `search_path`.
    public var schema: String?
    public var table: String

    public init(schema: String?, table: String) {
        self.schema = schema
        self.table = table
    }

    /// Splits `schema.table` (or `table`) at the dot outside double quotes.
    /// - Throws: ``SignalError`` of kind ``SignalError/Kind/invalidTableName`` for an
    ///   empty part, more than two parts, an unterminated quote or a NUL character.
    public init(parsing text: String) throws {
        func invalid(_ why: String) -> SignalError {
            SignalError(kind: .invalidTableName, operation: "reading the signal table name \"\(text)\"", message: why)
        }
        guard !text.contains("\u{0}") else { throw invalid("a table name cannot contain a NUL character") }
        var parts: [String] = []
        var rest = Substring(text)
        while true {
            var part = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\"" {
                        if rest.first == "\"" {
                            part.append("\"")
                            rest = rest.dropFirst()
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        part.append(character)
                    }
                }
                guard closed else { throw invalid("a quoted part has no closing quote") }
                guard rest.isEmpty || rest.first == "." else {
                    throw invalid("a quoted part must be followed by a dot or the end")
                }
            } else {
                let end = rest.firstIndex(of: ".") ?? rest.endIndex
                part = String(rest[..<end])
                rest = rest[end...]
            }
            guard !part.isEmpty else { throw invalid("expected schema.table or table, with no empty part") }
            parts.append(part)
            guard rest.first == "." else { break }
            rest = rest.dropFirst()
        }
        switch parts.count {
        case 1: self.init(schema: nil, table: parts[0])
        case 2: self.init(schema: parts[0], table: parts[1])
        default: throw invalid("expected schema.table or table, found \(parts.count) parts")
        }
    }

    /// The name as SQL, e.g. `"public"."debezium_signal"`.
    public var quoted: String {
        [schema, table].compactMap { $0 }.map(Self.quote).joined(separator: ".")
    }

    public var description: String { quoted }

    /// One identifier in double quotes, its own quotes doubled.
    public static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
