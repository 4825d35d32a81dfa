import ControllerRuntime
import Controllers
import Foundation
import KafkaConnect
import KubeAPI
import KubeClient
import Logging
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// One test's world: a cluster with the CDCConnector CRD, a namespace of the
/// test's own holding the database password and Kafka Connect credentials
/// Secrets, and a Kafka Connect simulator (basic auth) on an ephemeral port.
/// ``startOperator(pollInterval:)`` runs the CDCConnector controller in this
/// process; ``with(_:)`` stops it also when the test fails half-way.
struct CDCConnectorWorld: KindWorld {
    typealias Kind = CDCConnector

    let cluster: TestCluster
    let namespace: String
    let connect: KafkaConnectSimulator
    let connectURL: String
    let signals = RecordingSignaler()
    /// The lineage events every operator of this world reported.
    let lineage = RecordingLineage()
    private let operators = Locked<[TestOperator]>([])

    static let passwordSecret = "orders-db"
    static let connectSecret = "kafka-connect-credentials"
    static let credentials = KafkaConnectSimulator.Credentials(username: "operator", password: "connect-s3cret")
    static let databasePassword = "db-s3cret-value"

    var client: KubernetesClient { cluster.client }

    static func with(
        settling: KafkaConnectSimulator.Settling = .immediately, _ body: (CDCConnectorWorld) async throws -> Void
    ) async throws {
        try await TestCluster.with { cluster in
            do {
                _ = try await cluster.client.create(try CDCConnector.typedCustomResourceDefinition())
            } catch let error as KubeError where error.isAlreadyExists {}
            let established = await eventually {
                (try? await cluster.client.get(CustomResourceDefinition.self, name: CDCConnector.crdName))?.isEstablished ?? false
            }
            guard established else { throw WorldError("CRD \(CDCConnector.crdName) did not become Established") }
            let namespace = try await cluster.makeNamespace("cdc")
            let connect = KafkaConnectSimulator(configuration: .init(credentials: credentials, settling: settling))
            let url = try await connect.start()
            let world = CDCConnectorWorld(cluster: cluster, namespace: namespace, connect: connect, connectURL: url.absoluteString)
            do {
                _ = try await cluster.client.create(
                    Secret(
                        metadata: ObjectMeta(name: connectSecret, namespace: namespace),
                        data: ["username": Data(credentials.username.utf8), "password": Data(credentials.password.utf8)]))
                _ = try await cluster.client.create(
                    Secret(metadata: ObjectMeta(name: passwordSecret, namespace: namespace), data: ["password": Data(databasePassword.utf8)]))
                try await body(world)
            } catch {
                await world.stopOperators()
                await connect.stop()
                throw error
            }
            await world.stopOperators()
            await connect.stop()
        }
    }

    /// Starts the CDCConnector controller in-process, watching this test's namespace only.
    @discardableResult
    func startOperator(pollInterval: Duration = .seconds(1), timeout: Duration = .seconds(10)) async throws -> TestOperator {
        let client = try cluster.makeClient()
        let logger = DataBranchWorld.logger
        let registry = MetricsRegistry()
        let manager = Manager(
            client: client, registry: registry,
            options: ManagerOptions(namespaces: [namespace], leaderElection: nil, probeAddress: nil, metricsAddress: nil),
            logger: logger)
        let connector = HTTPKafkaConnectConnector(timeout: timeout)
        await CDCConnectorController.register(
            manager: manager, connector: connector,
            settings: CDCConnectorSettings(
                render: CDCRenderSettings(kafkaBootstrapServers: "kafka:9092"), defaults: BackendDefaults(url: connectURL),
                pollInterval: pollInterval),
            signaler: signals, operatorNamespace: namespace, workers: 2, resyncPeriod: .seconds(600), logger: logger,
            lineage: lineage.reporter)
        let task = Task { await manager.runUntilCancelled() }
        let running = TestOperator(
            client: client, registry: registry, controller: CDCConnectorController.name, task: task,
            shutdownConnector: { await connector.shutdown() })
        operators.withLock { $0.append(running) }
        return running
    }

    private func stopOperators() async {
        for running in operators.value { await running.stop() }
    }

    // MARK: Objects

    /// A Postgres CDCConnector of `public.orders` with Kafka Connect credentials from the test's Secret.
    func cdc(_ name: String, tables: [String] = ["public.orders"], change: (inout CDCConnectorSpec) -> Void = { _ in }) -> CDCConnector {
        var spec = CDCConnectorSpec(
            engine: .postgres,
            database: SourceDatabase(
                host: "orders-db.example.svc", name: "shop", user: "debezium",
                passwordSecretRef: SecretKeySelector(name: Self.passwordSecret, key: "password")),
            tables: tables, topicPrefix: "cdc.\(name)",
            autoRestart: AutoRestartPolicy(enabled: true, maxRestarts: 3, initialBackoff: "1s", maxBackoff: "2s"),
            kafkaConnect: ServiceEndpoint(
                basicAuth: BasicAuth(
                    usernameSecretRef: SecretKeySelector(name: Self.connectSecret, key: "username"),
                    passwordSecretRef: SecretKeySelector(name: Self.connectSecret, key: "password"))))
        change(&spec)
        return CDCConnector(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec)
    }

    /// An Iceberg sink upserting by `id`.
    static let icebergSink = CDCSinks(
        iceberg: IcebergSink(
            catalog: IcebergCatalog(name: "lakehouse", type: .rest, uri: "http://iceberg-rest:8181", warehouse: "s3://lake/warehouse"),
            namespace: "cdc", primaryKeys: ["id"]))

    @discardableResult
    func create(_ object: CDCConnector) async throws -> CDCConnector { try await client.create(object) }

    /// The source connector's name in Kafka Connect.
    func sourceName(_ name: String) -> String { CDCConnectorRendering.sourceConnectorName(namespace: namespace, name: name) }

    /// The Iceberg sink's name in Kafka Connect.
    func icebergName(_ name: String) -> String {
        CDCConnectorRendering.sinkConnectorName(namespace: namespace, name: name, sink: .iceberg)
    }
}

/// Records the snapshot signals the operator sends, instead of writing them into a database.
final class RecordingSignaler: SnapshotSignaler {
    let sent = Locked<[SnapshotSignal]>([])
    let failing = Locked<Bool>(false)

    func send(_ signal: SnapshotSignal) async throws {
        if failing.value { throw WorldError("the database refused the signal") }
        sent.withLock { $0.append(signal) }
    }
}
