import Foundation
import KubeAPI
import KubeClient
import OperatorApp
import Simulators
import Controllers

/// The simulated backends of the local all-in-one, seeded with what the
/// samples expect, and the Secrets the samples reference.
actor DevSimulators {
    private var lakeFS: LakeFSSimulator?
    private var schemaRegistry: SchemaRegistrySimulator?
    private var kafkaConnect: KafkaConnectSimulator?
    private var lineage: OpenLineageSimulator?

    /// Starts every simulator and returns the operator's backend configuration pointing at them.
    func start(client: KubernetesClient, namespace: String) async throws -> BackendConfiguration {
        var backends = BackendConfiguration()

        let lakeFS = LakeFSSimulator()
        try await lakeFS.start()
        self.lakeFS = lakeFS
        try seedLakeFS(lakeFS)
        guard let endpoint = lakeFS.endpoint else { throw ManifestError("the lakeFS simulator did not report its address") }
        backends.lakefs = .init(url: endpoint.absoluteString)
        try await ensureSecret(
            client: client, namespace: namespace, name: "lakefs-credentials",
            values: ["accessKeyId": lakeFS.configuration.accessKeyID, "secretAccessKey": lakeFS.configuration.secretAccessKey])
        say("lakeFS simulator on \(endpoint.absoluteString) (repository hmco-curated, quality gate on prod passing)")

        let credentials = SchemaRegistrySimulator.Credentials(username: "hmco-operator", password: "hmco-dev-registry")
        let schemaRegistry = SchemaRegistrySimulator(configuration: .init(credentials: credentials))
        let registryURL = try await schemaRegistry.start()
        self.schemaRegistry = schemaRegistry
        backends.schemaRegistry = .init(url: registryURL.absoluteString)
        try await ensureSecret(
            client: client, namespace: namespace, name: "schema-registry-credentials",
            values: ["username": credentials.username, "password": credentials.password])
        say("schema registry simulator on \(registryURL.absoluteString) (global level BACKWARD)")

        let connectCredentials = KafkaConnectSimulator.Credentials(username: "hmco-operator", password: "hmco-dev-connect")
        let kafkaConnect = KafkaConnectSimulator(configuration: .init(credentials: connectCredentials))
        let connectURL = try await kafkaConnect.start()
        self.kafkaConnect = kafkaConnect
        backends.kafkaConnect = .init(url: connectURL.absoluteString)
        var cdc = BackendConfiguration.CDCSettings()
        cdc.kafkaBootstrapServers = "127.0.0.1:9092"
        cdc.statusPollSeconds = 15
        backends.cdc = cdc
        try await ensureSecret(
            client: client, namespace: namespace, name: "kafka-connect-credentials",
            values: ["username": connectCredentials.username, "password": connectCredentials.password])
        // Read by Kafka Connect's config provider on a real cluster; the simulator keeps the placeholders.
        try await ensureSecret(client: client, namespace: namespace, name: "trading-db-debezium", values: ["password": "hmco-dev-debezium"])
        try await ensureSecret(
            client: client, namespace: namespace, name: "iceberg-catalog-credentials", values: ["credential": "hmco-dev:hmco-dev-secret"])
        say("Kafka Connect simulator on \(connectURL.absoluteString) (Debezium PostgreSQL/MySQL, Iceberg and ClickHouse sinks)")

        let lineage = OpenLineageSimulator()
        let lineageURL = try await lineage.start()
        self.lineage = lineage
        backends.openLineage = .init(url: lineageURL.absoluteString)
        say("OpenLineage (Marquez API) simulator on \(lineageURL.absoluteString) — events at \(lineageURL.absoluteString)/api/v1/events/lineage")
        return backends
    }

    func stop() async {
        await lakeFS?.stop()
        await schemaRegistry?.stop()
        await kafkaConnect?.stop()
        await lineage?.stop()
    }

    /// Repository hmco-curated with prod (default branch) and dev holding a
    /// curated load not yet in prod, and a passing quality gate on prod — so the
    /// DataBranch sample merges at once.
    private func seedLakeFS(_ lakeFS: LakeFSSimulator) throws {
        guard !lakeFS.repositories().contains("hmco-curated") else { return }
        try lakeFS.createRepository("hmco-curated", storageNamespace: "s3://hmco-curated/", defaultBranch: "prod")
        try lakeFS.write(repository: "hmco-curated", branch: "prod", path: "trading/trades/part-0000.parquet", content: "trades v1")
        try lakeFS.commit(repository: "hmco-curated", branch: "prod", message: "Initial curated trades")
        try lakeFS.createBranch(repository: "hmco-curated", name: "dev", from: "prod")
        try lakeFS.write(repository: "hmco-curated", branch: "dev", path: "trading/trades/part-0001.parquet", content: "trades daily load")
        try lakeFS.commit(
            repository: "hmco-curated", branch: "dev", message: "Curated daily load", metadata: ["pipeline": "curated-daily"])
        try lakeFS.setPreMergeHook(repository: "hmco-curated", branch: "prod", actionName: "quality gates", verdict: .pass)
    }

    private func ensureSecret(client: KubernetesClient, namespace: String, name: String, values: [String: String]) async throws {
        let secret = Secret(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: ["app.kubernetes.io/managed-by": "hmco-dev"]),
            data: values.mapValues { Data($0.utf8) })
        do {
            _ = try await client.create(secret)
        } catch let error as KubeError where error.isAlreadyExists {
            var live = try await client.get(Secret.self, name: name, namespace: namespace)
            live.data = secret.data
            _ = try await client.update(live)
        }
    }
}

/// hmco-dev has no source database: snapshot signals are announced, not written.
struct DevSnapshotSignaler: SnapshotSignaler {
    func send(_ signal: SnapshotSignal) async throws {
        say("CDC: would write \(signal) (hmco-dev has no source database)")
    }
}
