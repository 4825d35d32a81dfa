import KubeAPI

/// Shorthands for the kinds' `validate()` functions, which build paths as
/// text (`spec.datasets[0].columns`); the errors are KubeAPI's, so messages
/// read like the API server's.
extension FieldError {
    static func required(_ field: String, _ detail: String = "") -> FieldError {
        .required(FieldPath(field), detail)
    }

    static func invalid(_ field: String, value: String, _ detail: String) -> FieldError {
        .invalid(FieldPath(field), .string(value), detail)
    }

    static func invalid(_ field: String, number: Int, _ detail: String) -> FieldError {
        .invalid(FieldPath(field), .int(Int64(number)), detail)
    }

    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        .forbidden(FieldPath(field), detail)
    }
}

/// Collects field errors while walking a spec; each kind's `validate()` uses one.
struct FieldErrorCollector {
    private(set) var errors: [FieldError] = []

    mutating func add(_ error: FieldError) { errors.append(error) }

    /// Requires exactly one of the named fields of the object at `path` to be set.
    mutating func exactlyOne(_ path: String, _ fields: [(String, Bool)]) {
        let names = fields.map { "`\($0.0)`" }.joined(separator: ", ")
        let set = fields.filter(\.1).map(\.0)
        if set.isEmpty {
            add(.required(path, "exactly one of \(names) must be set"))
        } else if set.count > 1 {
            add(.forbidden("\(path).\(set[1])", "only one of \(names) may be set"))
        }
    }

    /// Requires at most one of the named fields of the object at `path` to be set.
    mutating func atMostOne(_ path: String, _ fields: [(String, Bool)]) {
        let set = fields.filter(\.1).map(\.0)
        if set.count > 1 {
            let names = fields.map { "`\($0.0)`" }.joined(separator: ", ")
            add(.forbidden("\(path).\(set[1])", "at most one of \(names) may be set"))
        }
    }

    /// Reports values that occur more than once in a list.
    mutating func unique(_ path: String, _ values: [String]) {
        var seen: Set<String> = []
        for (index, value) in values.enumerated() where !seen.insert(value).inserted {
            add(.duplicate(FieldPath(path).index(index), .string(value)))
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

    /// The rule every ``ServiceEndpoint`` follows.
    mutating func endpoint(_ path: String, _ endpoint: ServiceEndpoint) {
        atMostOne(
            path,
            [("basicAuth", endpoint.basicAuth != nil), ("bearerTokenSecretRef", endpoint.bearerTokenSecretRef != nil)])
    }
}
