/// The outcome of validating one connector config against its plugin: Connect's `ConfigInfos`,
/// shared by `…/config/validate` (always answered) and create/update (refused with errors).
struct ConfigValidation: Sendable {
    /// One key's definition (absent for keys no `ConfigDef` knows) and its validated value.
    struct Entry: Sendable {
        var key: ConnectConfigKey?
        var name: String
        /// As shown back: the raw value, the default when unset, `[hidden]` for passwords.
        var value: String?
        var recommended: [String]
        var errors: [String]
    }

    /// The connector class, as `ConfigInfos.name`.
    var className: String
    var groups: [String]
    /// Undefined keys first, then Connect's keys, then the plugin's, as `AbstractHerder.generateResult` orders them.
    var entries: [Entry]

    /// Every error message counts, as in Connect (two on one key count two).
    var errorCount: Int { entries.reduce(0) { $0 + $1.errors.count } }
    var messages: [String] { entries.flatMap(\.errors) }

    /// Validates `config` (a `nil` value is an explicit JSON null) for `plugin`.
    init(_ config: [String: String?], plugin: KafkaConnectSimulator.Plugin) {
        let present = config.compactMapValues { $0 }
        let keys = ConnectConfigDefs.base(plugin.type) + ConnectConfigDefs.plugin(plugin)
        var errors: [String: [String]] = [:]
        for key in keys { errors[key.name] = key.errors(in: present) }
        for (name, message) in Self.crossChecks(present, plugin: plugin) { errors[name, default: []].append(message) }

        let known = Set(keys.map(\.name))
        var undefined: [Entry] = []
        let nullMessage = "Null value can not be supplied as the configuration value."
        for (name, value) in config.sorted(by: { $0.key < $1.key }) where value == nil {
            if known.contains(name) {
                errors[name, default: []].append(nullMessage)
            } else {
                undefined.append(Entry(key: nil, name: name, value: nil, recommended: [], errors: [nullMessage]))
            }
        }
        className = present["connector.class"] ?? plugin.className
        groups = ConnectConfigDefs.groups(keys)
        entries =
            undefined
            + keys.map { key in
                Entry(
                    key: key, name: key.name, value: key.display(present[key.name] ?? key.defaultValue),
                    recommended: key.allowed?.values ?? [], errors: errors[key.name] ?? [])
            }
    }

    // MARK: Multi-key checks

    private static func crossChecks(
        _ config: [String: String], plugin: KafkaConnectSimulator.Plugin
    )
        -> [(key: String, message: String)]
    {
        var found: [(String, String)] = []
        if plugin.type == .sink { found += sinkTopics(config) }
        switch plugin.rules {
        case .debeziumPostgres: found += exclusiveFilters(config, levels: ["schema", "table", "column"])
        case .debeziumMySQL: found += exclusiveFilters(config, levels: ["database", "table", "column"])
        case .icebergSink: found += iceberg(config)
        case .clickHouseSink, .generic: break
        }
        return found
    }

    private static func isBlank(_ value: String?) -> Bool {
        (value ?? "").trimmingCharacters(in: .whitespaces).isEmpty
    }

    private static func list(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Connect's `SinkConnectorConfig.validate`: exactly one of `topics` and `topics.regex`,
    /// and the dead letter queue not among the topics.
    private static func sinkTopics(_ config: [String: String]) -> [(String, String)] {
        let hasTopics = !isBlank(config["topics"])
        let hasRegex = !isBlank(config["topics.regex"])
        var found: [(String, String)] = []
        if hasTopics, hasRegex {
            let message = "topics and topics.regex are mutually exclusive options, but both are set."
            found += [("topics", message), ("topics.regex", message)]
        }
        if !hasTopics, !hasRegex {
            let message = "Must configure one of topics or topics.regex"
            found += [("topics", message), ("topics.regex", message)]
        }
        let dlq = (config["errors.deadletterqueue.topic.name"] ?? "").trimmingCharacters(in: .whitespaces)
        let topics = list(config["topics"])
        if !dlq.isEmpty, topics.contains(dlq) {
            found.append(
                (
                    "topics",
                    "The DLQ topic '\(dlq)' may not be included in the list of topics "
                        + "('topics=[\(topics.joined(separator: ", "))]') consumed by the connector"
                ))
        }
        return found
    }

    /// Debezium's rule that an include list and its exclude list cannot both be set; the
    /// error lands on the exclude list.
    private static func exclusiveFilters(_ config: [String: String], levels: [String]) -> [(String, String)] {
        levels.compactMap { level in
            let include = "\(level).include.list"
            let exclude = "\(level).exclude.list"
            guard !isBlank(config[include]), let excluded = config[exclude], !isBlank(excluded) else { return nil }
            return (
                exclude, "Invalid value \(excluded) for configuration \(exclude): \"\(include)\" is already specified"
            )
        }
    }

    /// The Iceberg sink's catalog and table routing rules.
    private static func iceberg(_ config: [String: String]) -> [(String, String)] {
        var found: [(String, String)] = []
        let type = config["iceberg.catalog.type"]
        let impl = config["iceberg.catalog.catalog-impl"]
        if isBlank(type), isBlank(impl) {
            found.append(
                (
                    "iceberg.catalog.type",
                    "Invalid value null for configuration iceberg.catalog.type: "
                        + "Must set iceberg.catalog.type or iceberg.catalog.catalog-impl"
                ))
        } else if !isBlank(type), let impl, !isBlank(impl) {
            found.append(
                (
                    "iceberg.catalog.catalog-impl",
                    "Invalid value \(impl) for configuration iceberg.catalog.catalog-impl: iceberg.catalog.type and "
                        + "iceberg.catalog.catalog-impl are mutually exclusive, but both are set."
                ))
        }
        let dynamic =
            config["iceberg.tables.dynamic-enabled"]?.trimmingCharacters(in: .whitespaces).lowercased() == "true"
        if dynamic {
            if isBlank(config["iceberg.tables.route-field"]) {
                found.append(
                    (
                        "iceberg.tables.route-field",
                        "Invalid value null for configuration iceberg.tables.route-field: "
                            + "Route field cannot be null with dynamic routing"
                    ))
            }
        } else if list(config["iceberg.tables"]).isEmpty {
            found.append(
                (
                    "iceberg.tables",
                    "Invalid value null for configuration iceberg.tables: Must specify table name(s) with "
                        + "iceberg.tables, or set iceberg.tables.dynamic-enabled=true with iceberg.tables.route-field"
                ))
        }
        return found
    }
}
