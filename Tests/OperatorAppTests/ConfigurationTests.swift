import ControllerRuntime
import Controllers
import OpenLineage
import Testing

@testable import OperatorApp

@Suite("Backend configuration: empty sections, the cdc section")
struct BackendConfigurationTests {
    @Test("the Helm chart's defaults (empty sections) parse as absent backends")
    func emptySections() throws {
        let config = try BackendConfiguration.parse("lakefs: {}\nschemaRegistry: {}\nkafkaConnect: {}\ncdc: {}\n")
        #expect(config.lakefs == nil)
        #expect(config.kafkaConnect == nil)
        #expect(config.cdc == nil)
        #expect(try BackendConfiguration.parse("") == BackendConfiguration())
    }

    @Test("the lineage section names the job namespace, the path and the queue size")
    func lineageSection() throws {
        let config = try BackendConfiguration.parse(
            "openLineage:\n  url: http://marquez:5000\nlineage:\n  namespace: platform\n  path: /lineage\n  queueCapacity: 50\n")
        #expect(config.openLineage?.url == "http://marquez:5000")
        #expect(config.lineage?.namespace == "platform")
        #expect(config.lineage?.path == "/lineage")
        #expect(config.lineage?.queueCapacity == 50)
    }

    @Test("an unknown key is refused, naming it")
    func unknownKey() {
        #expect {
            _ = try BackendConfiguration.parse("kafkaconnect:\n  url: http://x\n", source: "backends.yaml")
        } throws: { error in
            "\(error)".contains("unknown key \"kafkaconnect\"") && "\(error)".contains("backends.yaml")
        }
    }

    @Test("the cdc section becomes the rendering settings", arguments: [
        ("secretProvider: KubernetesSecret", SecretReferenceStyle.kubernetesSecret(alias: "secrets")),
        ("secretProvider: Directory\n  secretMountPath: /opt/kafka/secrets", .directory(alias: "directory", mountPath: "/opt/kafka/secrets")),
        ("secretProvider: File\n  secretProviderAlias: props\n  secretMountPath: /etc/connect", .file(alias: "props", mountPath: "/etc/connect")),
    ])
    func cdcSettings(yaml: String, style: SecretReferenceStyle) throws {
        let config = try BackendConfiguration.parse(
            "kafkaConnect:\n  url: http://connect:8083\ncdc:\n  \(yaml)\n  kafkaBootstrapServers: kafka:9092\nclickhouse:\n  url: http://ch:8123\n  credentialsSecret: ch-credentials\n")
        let settings = try #require(config.cdc).renderSettings(clickhouse: config.clickhouse, operatorNamespace: "hmco-system")
        #expect(settings.secretReferences == style)
        #expect(settings.kafkaBootstrapServers == "kafka:9092")
        #expect(settings.defaultClickHouseURL == "http://ch:8123")
        #expect(settings.defaultClickHouseCredentialsSecret == SecretRef(namespace: "hmco-system", name: "ch-credentials"))
    }

    @Test("an unusable cdc section names the key")
    func badCDC() throws {
        let unknown = try #require(try BackendConfiguration.parse("cdc:\n  secretProvider: Vault\n").cdc)
        #expect(throws: ConfigurationError.self) { try unknown.renderSettings(clickhouse: nil, operatorNamespace: "x") }
        let noPath = try #require(try BackendConfiguration.parse("cdc:\n  secretProvider: Directory\n").cdc)
        #expect {
            try noPath.renderSettings(clickhouse: nil, operatorNamespace: "x")
        } throws: { "\($0)".contains("cdc.secretMountPath") }
    }
}

/// Accepts every event.
struct AcceptingLineageClient: LineageClient {
    func send(_ event: LineageEvent) async throws {}
}

@Suite("Lineage metrics")
struct LineageMetricsTests {
    @Test("the emitter's counts reach /metrics as hmco_lineage_events_total by result")
    func exported() async throws {
        let registry = MetricsRegistry()
        let emitter = LineageEmitter(client: AcceptingLineageClient())
        let service = LineageService(emitter: emitter, registry: registry)
        #expect(registry.exposition().contains(#"hmco_lineage_events_total{result="sent"} 0"#))
        let run = Task { await emitter.run() }
        for index in 0..<3 {
            emitter.emit(LineageEvent(eventType: .complete, job: LineageJob(namespace: "hmco", name: "job-\(index)")))
        }
        await emitter.flush()
        let first = service.export(since: LineageEmitter.Statistics())
        #expect(registry.exposition().contains(#"hmco_lineage_events_total{result="sent"} 3"#))
        #expect(registry.exposition().contains(#"hmco_lineage_events_total{result="emitted"} 3"#))
        emitter.emit(LineageEvent(eventType: .complete, job: LineageJob(namespace: "hmco", name: "job-3")))
        await emitter.flush()
        _ = service.export(since: first)
        #expect(registry.exposition().contains(#"hmco_lineage_events_total{result="sent"} 4"#))
        run.cancel()
        await run.value
    }
}
