import Foundation
import OpenLineage
import PlatformAPI

/// The datasets a CDCConnector's connectors read and write, named as
/// OpenLineage's conventions name them: `postgres://host:port` /
/// `database.schema.table`, `mysql://host:port` / `database.table`,
/// `kafka://broker:port` / topic, the Iceberg warehouse / `namespace.table`,
/// `clickhouse://host:port` / `database.table`.
enum CDCConnectorLineage {
    /// What one rendered connector reads (inputs) and writes (outputs).
    static func datasets(
        of connector: RenderedConnector, object: CDCConnector, settings: CDCRenderSettings
    ) -> (inputs: [LineageDataset], outputs: [LineageDataset]) {
        let spec = object.spec
        let kafka = kafkaNamespace(settings.kafkaBootstrapServers)
        let topics = CDCConnectorRendering.topics(of: object).map { LineageDataset(namespace: kafka, name: $0) }
        switch connector.role {
        case .source:
            let port = spec.database.effectivePort(for: spec.engine)
            let scheme = spec.engine == .postgres ? "postgres" : "mysql"
            let namespace = "\(scheme)://\(spec.database.host):\(port)"
            let tables = spec.tables.map { table in
                LineageDataset(
                    namespace: namespace, name: spec.engine == .postgres ? "\(spec.database.name ?? "").\(table)" : table)
            }
            return (tables, topics)
        case .sink(.iceberg):
            guard let sink = spec.sinks?.iceberg else { return (topics, []) }
            let namespace = sink.catalog.warehouse ?? sink.catalog.uri ?? "iceberg://\(sink.catalog.name)"
            let tables = destinations(spec.tables, template: sink.tableNameTemplate, overrides: sink.tables)
                .map { LineageDataset(namespace: namespace, name: "\(sink.namespace).\($0)") }
            return (topics, tables)
        case .sink(.clickHouse):
            guard let sink = spec.sinks?.clickHouse else { return (topics, []) }
            let url = sink.endpoint?.url ?? settings.defaultClickHouseURL ?? "clickhouse"
            let namespace = LineageDatasets.authority(url, scheme: "clickhouse")
            let tables = destinations(spec.tables, template: sink.tableNameTemplate, overrides: sink.tables)
                .map { LineageDataset(namespace: namespace, name: "\(sink.database).\($0)") }
            return (topics, tables)
        }
    }

    /// `kafka://<first bootstrap server>`, or `kafka://kafka` when the operator was not told.
    static func kafkaNamespace(_ bootstrap: String?) -> String {
        let first = bootstrap?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        return "kafka://\(first.flatMap { $0.isEmpty ? nil : $0 } ?? "kafka")"
    }

    /// Each source table's destination name, as the sink's configuration routes it.
    static func destinations(_ tables: [String], template: String, overrides: [SinkTableOverride]?) -> [String] {
        let routes = try? CDCConnectorRendering.destinations(
            of: tables, template: template, overrides: overrides, field: "", qualify: { $0 })
        return routes?.map(\.destination) ?? []
    }

    /// The lineage job action of a connector: nil for the source, the sink's kind otherwise.
    static func action(of connector: RenderedConnector) -> String? {
        switch connector.role {
        case .source: nil
        case .sink(.iceberg): "iceberg"
        case .sink(.clickHouse): "clickhouse"
        }
    }

    static func jobType(of connector: RenderedConnector) -> String {
        switch connector.role {
        case .source: "CDC_SOURCE"
        case .sink(.iceberg): "CDC_SINK_ICEBERG"
        case .sink(.clickHouse): "CDC_SINK_CLICKHOUSE"
        }
    }
}

extension CDCConnectorReconciler {
    /// One run per connector configuration: START when it is written, FAIL when it fails for good.
    func reportLineage(_ type: LineageEventType, connector: RenderedConnector, object: CDCConnector, error: String? = nil) async {
        let (inputs, outputs) = CDCConnectorLineage.datasets(of: connector, object: object, settings: settings.render)
        await lineage.report(
            type, object: object, action: CDCConnectorLineage.action(of: connector), jobType: CDCConnectorLineage.jobType(of: connector),
            processing: .streaming, inputs: inputs, outputs: outputs, error: error,
            runID: LineageReporter.stableRunID(object, key: "\(connector.name)/\(CDCConnectorRendering.configHash(connector.config))"))
    }
}
