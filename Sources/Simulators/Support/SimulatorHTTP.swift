import Foundation

/// One HTTP request as a simulator's handlers see it: already read, decoded and routed.
///
/// Simulators work on this value rather than on the HTTP server's types, so their
/// handlers can be exercised without a socket.
public struct SimulatorRequest: Sendable {
    /// Upper-case method name, e.g. `GET`.
    public var method: String
    /// The path below the simulator's base path, as sent (percent-encoded).
    public var path: String
    /// Query parameters in the order they were sent.
    public var query: QueryItems
    /// Header values by lower-cased name; repeated headers are joined with `, `.
    public var headers: [String: String]
    /// The raw request body.
    public var body: [UInt8]

    public init(
        method: String, path: String, query: QueryItems = QueryItems(), headers: [String: String] = [:],
        body: [UInt8] = []
    ) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $0 + ", " + $1 })
        self.body = body
    }

    /// The value of a header, matched without regard to case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Query parameters decoded the way Go's `url.ParseQuery` decodes them (`+` is a space).
public struct QueryItems: Sendable, Hashable {
    /// Name/value pairs in request order; a name may repeat (`objects=a&objects=b`).
    public private(set) var items: [(name: String, value: String)] = []

    public init() {}

    /// Parses a raw query string such as `amount=10&after=x`.
    public init(_ query: String?) {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            items.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
        }
    }

    /// The first value given for `name`.
    public subscript(_ name: String) -> String? { items.first { $0.name == name }?.value }

    /// Every value given for `name`, in order.
    public func all(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }

    /// A boolean parameter as Go's `strconv.ParseBool` reads it; absent or unparsable is `nil`.
    public func bool(_ name: String) -> Bool? {
        switch self[name] {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }

    public static func == (lhs: QueryItems, rhs: QueryItems) -> Bool {
        lhs.items.elementsEqual(rhs.items) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for item in items {
            hasher.combine(item.name)
            hasher.combine(item.value)
        }
    }
}

/// The answer a simulator gives to one request.
public struct SimulatorResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Response headers in order.
    public var headers: [(name: String, value: String)]
    /// Response body bytes.
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of a header, matched without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// A JSON body encoded the way Go's `json.Encoder` writes it (a trailing newline,
    /// slashes unescaped); keys are sorted so responses are reproducible.
    public static func json(
        _ value: some Encodable, status: Int = 200, headers: [(name: String, value: String)] = []
    )
        -> SimulatorResponse
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var body = (try? encoder.encode(value)).map { [UInt8]($0) } ?? Array("{}".utf8)
        body.append(UInt8(ascii: "\n"))
        return SimulatorResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    /// A plain-text body with the given content type.
    public static func text(
        _ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8"
    )
        -> SimulatorResponse
    {
        SimulatorResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    /// A response without a body, such as 204 No Content.
    public static func empty(status: Int = 204, headers: [(name: String, value: String)] = []) -> SimulatorResponse {
        SimulatorResponse(status: status, headers: headers)
    }
}
