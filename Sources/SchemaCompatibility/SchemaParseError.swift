/// A schema text that cannot be used: the registry answers such a schema with 422 / 42201.
///
/// `line`/`column` point into the text for syntax errors (JSON, .proto); `path` is a
/// JSON-pointer-like location for schemas that are well-formed JSON but not a valid schema.
public struct SchemaParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in a sentence fragment ("undefined name: com.acme.Money").
    public var reason: String
    /// 1-based line of the problem in the schema text, when known.
    public var line: Int?
    /// 1-based column of the problem in the schema text, when known.
    public var column: Int?
    /// Location in the schema document (e.g. `/fields/2/type`), when known.
    public var path: String?

    /// The registry's error code for an invalid schema.
    public var errorCode: Int { 42201 }

    public init(reason: String, line: Int? = nil, column: Int? = nil, path: String? = nil) {
        self.reason = reason
        self.line = line
        self.column = column
        self.path = path
    }

    public var description: String {
        var text = "Invalid schema: \(reason)"
        if let line, let column {
            text += " (line \(line), column \(column))"
        } else if let path {
            text += " (at \(path.isEmpty ? "/" : path))"
        }
        return text
    }
}
