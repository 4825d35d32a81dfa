/// One configuration key a plugin or Connect itself defines, after Kafka's `ConfigDef.ConfigKey`:
/// its type, default, documentation, and the single-key checks `ConfigDef.validateAll` makes.
struct ConnectConfigKey: Sendable {
    enum KeyType: String, Sendable {
        case string = "STRING"
        case int = "INT"
        case long = "LONG"
        case short = "SHORT"
        case double = "DOUBLE"
        case boolean = "BOOLEAN"
        case list = "LIST"
        case password = "PASSWORD"
        case className = "CLASS"
    }

    enum Importance: String, Sendable {
        case high = "HIGH"
        case medium = "MEDIUM"
        case low = "LOW"
    }

    enum Width: String, Sendable {
        case none = "NONE"
        case short = "SHORT"
        case medium = "MEDIUM"
        case long = "LONG"
    }

    /// An enumerated value set: Kafka's `ValidString` or `CaseInsensitiveValidString`.
    struct Allowed: Sendable {
        var values: [String]
        var caseInsensitive: Bool

        func accepts(_ value: String) -> Bool {
            caseInsensitive ? values.contains { $0.lowercased() == value.lowercased() } : values.contains(value)
        }

        var reason: String {
            caseInsensitive
                ? "String must be one of (case insensitive): \(values.joined(separator: ", "))"
                : "String must be one of: \(values.joined(separator: ", "))"
        }
    }

    var name: String
    var type: KeyType
    /// The default as Connect prints it; `nil` for none (then `required` says whether it must be set).
    var defaultValue: String?
    var required: Bool
    var importance: Importance
    var documentation: String
    var group: String?
    var orderInGroup: Int
    var width: Width
    var displayName: String
    var allowed: Allowed?
    /// A further check of a present, parsed value; returns the reason it is invalid.
    var check: (@Sendable (String) -> String?)?

    init(
        _ name: String, _ type: KeyType, default defaultValue: String? = nil, required: Bool = false,
        importance: Importance = .medium, group: String? = nil, order: Int = -1, width: Width = .none,
        display: String? = nil, allowed: [String]? = nil, caseInsensitive: Bool = false,
        documentation: String, check: (@Sendable (String) -> String?)? = nil
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.required = required
        self.importance = importance
        self.documentation = documentation
        self.group = group
        self.orderInGroup = order
        self.width = width
        self.displayName = display ?? name
        self.allowed = allowed.map { Allowed(values: $0, caseInsensitive: caseInsensitive) }
        self.check = check
    }

    /// The errors `ConfigDef.validateAll` reports for this key given the raw config.
    func errors(in config: [String: String]) -> [String] {
        guard let raw = config[name] else {
            return required ? ["Missing required configuration \"\(name)\" which has no default value."] : []
        }
        // A placeholder is resolved by a config provider on the worker; the simulator cannot see the value.
        if Self.isPlaceholder(raw) { return [] }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if let reason = parseError(trimmed) { return [invalid(raw, reason)] }
        if required, trimmed.isEmpty, type == .string || type == .password || type == .list {
            return [invalid(raw, "A value is required")]
        }
        if let allowed, !allowed.accepts(trimmed) { return [invalid(raw, allowed.reason)] }
        if let check, let reason = check(trimmed) { return [invalid(raw, reason)] }
        return []
    }

    /// Kafka's `ConfigException` text: `Invalid value <v> for configuration <k>: <reason>`.
    func invalid(_ raw: String?, _ reason: String) -> String {
        "Invalid value \(display(raw) ?? "null") for configuration \(name): \(reason)"
    }

    /// How the value is shown back: passwords as `[hidden]`, as Kafka's `Password` prints.
    func display(_ raw: String?) -> String? {
        guard let raw else { return nil }
        return type == .password ? "[hidden]" : raw
    }

    private func parseError(_ value: String) -> String? {
        switch type {
        case .int: Int32(value) == nil ? "Not a number of type INT" : nil
        case .long: Int64(value) == nil ? "Not a number of type LONG" : nil
        case .short: Int16(value) == nil ? "Not a number of type SHORT" : nil
        case .double: Double(value) == nil ? "Not a number of type DOUBLE" : nil
        case .boolean:
            ["true", "false"].contains(value.lowercased()) ? nil : "Expected value to be either true or false"
        case .string, .list, .password, .className: nil
        }
    }

    /// `${provider:path:key}` or `${provider:key}`, as Connect's `ConfigTransformer` matches them.
    static func isPlaceholder(_ value: String) -> Bool {
        guard let open = value.range(of: "${") else { return false }
        let rest = value[open.upperBound...]
        guard let close = rest.firstIndex(of: "}") else { return false }
        return rest[..<close].contains(":")
    }

    // MARK: Common checks

    static func atLeast(_ minimum: Int64) -> @Sendable (String) -> String? {
        { value in (Int64(value) ?? minimum) < minimum ? "Value must be at least \(minimum)" : nil }
    }

    static func matches(
        _ allowedCharacters: Set<Character>, maxLength: Int? = nil, reason: String
    )
        -> @Sendable (String) -> String?
    {
        { value in
            let fits = !value.isEmpty && value.allSatisfy { allowedCharacters.contains($0) }
            let short = maxLength.map { value.count <= $0 } ?? true
            return fits && short ? nil : reason
        }
    }

    static let lowercaseLetters = Set("abcdefghijklmnopqrstuvwxyz")
    static let uppercaseLetters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let digits = Set("0123456789")
}
