/// A problem with one field of a spec, worded like the API server's field
/// errors (`spec.schema: Required value: …`), so a message reads the same
/// whether the API server (through a CEL rule) or the operator found it.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of field error the API server distinguishes.
    public enum Kind: String, Sendable, Hashable {
        case required = "Required value"
        case invalid = "Invalid value"
        case forbidden = "Forbidden"
        case duplicate = "Duplicate value"
        case notSupported = "Unsupported value"
    }

    /// Dotted path from the object's root, e.g. `spec.rollbackRequest.revert`.
    public var field: String
    public var kind: Kind
    /// The offending value, when there is one worth showing.
    public var value: String?
    /// Why the value is wrong.
    public var detail: String

    public init(field: String, kind: Kind, value: String? = nil, detail: String = "") {
        self.field = field
        self.kind = kind
        self.value = value
        self.detail = detail
    }

    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(field: field, kind: .required, detail: detail)
    }

    public static func invalid(_ field: String, value: String?, _ detail: String) -> FieldError {
        FieldError(field: field, kind: .invalid, value: value, detail: detail)
    }

    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(field: field, kind: .forbidden, detail: detail)
    }

    public static func duplicate(_ field: String, value: String) -> FieldError {
        FieldError(field: field, kind: .duplicate, value: value)
    }

    public static func notSupported(_ field: String, value: String, supported: [String]) -> FieldError {
        FieldError(
            field: field, kind: .notSupported, value: value,
            detail: "supported values: " + supported.map { "\"\($0)\"" }.joined(separator: ", "))
    }

    public var description: String {
        var text = "\(field): \(kind.rawValue)"
        if let value { text += ": \"\(value)\"" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}

extension Array where Element == FieldError {
    /// All errors on one line each, for a Stalled condition's message.
    public var summary: String { map(\.description).joined(separator: "; ") }
}

/// Collects field errors while walking a spec; each kind's `validate()` uses one.
struct FieldErrorCollector {
    private(set) var errors: [FieldError] = []

    mutating func add(_ error: FieldError) { errors.append(error) }

    /// Requires exactly one of the named fields to be set.
    mutating func exactlyOne(_ path: String, _ fields: [(String, Bool)]) {
        let set = fields.filter(\.1).map(\.0)
        if set.isEmpty {
            add(.required(path, "exactly one of " + fields.map { "`\($0.0)`" }.joined(separator: ", ") + " must be set"))
        } else if set.count > 1 {
            add(
                .forbidden(
                    path + "." + set[1],
                    "only one of " + fields.map { "`\($0.0)`" }.joined(separator: ", ") + " may be set"))
        }
    }

    /// Requires at most one of the named fields to be set.
    mutating func atMostOne(_ path: String, _ fields: [(String, Bool)]) {
        let set = fields.filter(\.1).map(\.0)
        if set.count > 1 {
            add(
                .forbidden(
                    path + "." + set[1],
                    "at most one of " + fields.map { "`\($0.0)`" }.joined(separator: ", ") + " may be set"))
        }
    }

    /// Reports values that occur more than once in a list.
    mutating func unique(_ path: String, _ values: [String]) {
        var seen: Set<String> = []
        for (index, value) in values.enumerated() where !seen.insert(value).inserted {
            add(.duplicate("\(path)[\(index)]", value: value))
        }
    }

    /// Checks a Go duration string against bounds (in seconds).
    mutating func duration(_ path: String, _ value: String?, min: Double? = nil, max: Double? = nil) {
        guard let value else { return }
        guard let seconds = GoDuration.seconds(value) else {
            add(.invalid(path, value: value, "must be a duration such as 30s, 5m or 1h30m"))
            return
        }
        if let min, seconds < min {
            add(.invalid(path, value: value, "must be at least \(GoDuration.format(min))"))
        }
        if let max, seconds > max {
            add(.invalid(path, value: value, "must be at most \(GoDuration.format(max))"))
        }
    }
}

extension FieldErrorCollector {
    /// The rule every ``ServiceEndpoint`` follows.
    mutating func endpoint(_ path: String, _ endpoint: ServiceEndpoint) {
        atMostOne(path, [("basicAuth", endpoint.basicAuth != nil), ("bearerTokenSecretRef", endpoint.bearerTokenSecretRef != nil)])
    }
}
