import KubeAPI

extension CDCConnector {
    /// The cross-field rules of the CRD's CEL rules, plus the ones CEL cannot
    /// state cheaply (table overrides naming captured tables, backoff order).
    public func validate() -> [FieldError] {
        var errors = FieldErrorCollector()
        let spec = self.spec
        switch spec.engine {
        case .postgres:
            if spec.mysql != nil { errors.add(.forbidden("spec.mysql", "only allowed for engine MySQL")) }
            if spec.database.name == nil { errors.add(.required("spec.database.name", "required for engine Postgres")) }
            if spec.snapshot.mode == .recovery {
                errors.add(
                    .invalid(
                        "spec.snapshot.mode", value: spec.snapshot.mode.rawValue,
                        "Recovery is only allowed for engine MySQL"))
            }
            if spec.snapshot.incrementalOnNewTables && spec.postgres?.signalTable == nil {
                errors.add(
                    .required("spec.postgres.signalTable", "required when snapshot.incrementalOnNewTables is true"))
            }
        case .mysql:
            if spec.postgres != nil { errors.add(.forbidden("spec.postgres", "only allowed for engine Postgres")) }
            if spec.mysql == nil { errors.add(.required("spec.mysql.serverID", "required for engine MySQL")) }
            if spec.snapshot.incrementalOnNewTables {
                errors.add(.forbidden("spec.snapshot.incrementalOnNewTables", "only supported for engine Postgres"))
            }
        }
        errors.unique("spec.tables", spec.tables)
        if let config = spec.config {
            for key in config.keys.sorted() where CDCConnector.ownedConfigKeys.contains(key) {
                errors.add(
                    .forbidden(
                        "spec.config[\(key)]",
                        "the operator renders this key from the spec; set the matching spec field instead"))
            }
        }
        errors.duration("spec.heartbeatInterval", spec.heartbeatInterval, min: 1)
        errors.duration("spec.autoRestart.initialBackoff", spec.autoRestart.initialBackoff, min: 1)
        errors.duration("spec.autoRestart.maxBackoff", spec.autoRestart.maxBackoff, min: 1)
        if let initial = GoDuration.seconds(spec.autoRestart.initialBackoff),
            let max = GoDuration.seconds(spec.autoRestart.maxBackoff), max < initial
        {
            errors.add(
                .invalid(
                    "spec.autoRestart.maxBackoff", value: spec.autoRestart.maxBackoff,
                    "must not be shorter than initialBackoff"))
        }
        if let iceberg = spec.sinks?.iceberg {
            sinkTables(&errors, "spec.sinks.iceberg", upsert: iceberg.upsert, keys: iceberg.primaryKeys, iceberg.tables)
        }
        if let clickHouse = spec.sinks?.clickHouse {
            sinkTables(
                &errors, "spec.sinks.clickHouse", upsert: clickHouse.upsert, keys: clickHouse.primaryKeys,
                clickHouse.tables)
            if let endpoint = clickHouse.endpoint { errors.endpoint("spec.sinks.clickHouse.endpoint", endpoint) }
        }
        if let kafkaConnect = spec.kafkaConnect { errors.endpoint("spec.kafkaConnect", kafkaConnect) }
        return errors.errors
    }

    /// Table overrides must name captured tables, and with upsert every table needs keys.
    private func sinkTables(
        _ errors: inout FieldErrorCollector, _ path: String, upsert: Bool, keys: [String]?,
        _ tables: [SinkTableOverride]?
    ) {
        let overrides = tables ?? []
        errors.unique("\(path).tables", overrides.map(\.source))
        for (index, table) in overrides.enumerated() where !spec.tables.contains(table.source) {
            errors.add(.invalid("\(path).tables[\(index)].source", value: table.source, "not one of spec.tables"))
        }
        guard upsert, keys == nil else { return }
        for table in spec.tables where overrides.first(where: { $0.source == table })?.primaryKeys == nil {
            errors.add(.required("\(path).primaryKeys", "upsert needs primary keys for table \(table)"))
        }
    }

    public func validateUpdate(from old: CDCConnector) -> [FieldError] {
        var errors = validate()
        if spec.topicPrefix != old.spec.topicPrefix {
            errors.append(.invalid("spec.topicPrefix", value: spec.topicPrefix, "topicPrefix is immutable"))
        }
        return errors
    }
}
