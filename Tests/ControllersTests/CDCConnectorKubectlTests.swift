import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

@Suite("CDCConnector with kubectl", .enabled(if: KubectlRunner.isAvailable, "needs kubectl"))
struct CDCConnectorKubectlTests {
    static func manifest(name: String) -> String {
        """
        apiVersion: data.hmco.io/v1alpha1
        kind: CDCConnector
        metadata:
          name: \(name)
        spec:
          engine: MySQL
          database:
            host: mysql.shop.svc
            user: debezium
            passwordSecretRef: {name: \(CDCConnectorWorld.passwordSecret), key: password}
          tables: [shop.orders, shop.order_lines]
          topicPrefix: cdc.shop
          mysql:
            serverID: 184054
          sinks:
            clickHouse:
              endpoint:
                url: https://clickhouse.analytics.svc:8443
                basicAuth:
                  usernameSecretRef: {name: clickhouse-credentials, key: username}
                  passwordSecretRef: {name: clickhouse-credentials, key: password}
              database: cdc
              primaryKeys: [id]
          autoRestart:
            maxRestarts: 1
            initialBackoff: 1s
            maxBackoff: 1s
          kafkaConnect:
            basicAuth:
              usernameSecretRef: {name: \(CDCConnectorWorld.connectSecret), key: username}
              passwordSecretRef: {name: \(CDCConnectorWorld.connectSecret), key: password}
        """
    }

    @Test("kubectl apply, wait and get cdc show a MySQL source with a ClickHouse sink running; describe shows a failed task")
    func applyWaitGetDescribe() async throws {
        try await CDCConnectorWorld.with { world in
            _ = try await world.client.create(
                Secret(
                    metadata: ObjectMeta(name: "clickhouse-credentials", namespace: world.namespace),
                    data: ["username": Data("cdc".utf8), "password": Data("ch-s3cret".utf8)]))
            try await world.startOperator()
            let kubectl = KubectlRunner(kubeconfig: world.cluster.kubeconfigPath, namespace: world.namespace)

            let applied = try await kubectl.succeed(["apply", "-f", "-"], input: Self.manifest(name: "shop"))
            #expect(applied.contains("cdcconnector.data.hmco.io/shop created"))
            let waited = try await kubectl.run(["wait", "--for=condition=Ready", "cdc/shop", "--timeout=30s"])
            #expect(waited.exitCode == 0, "\(waited.stderr)")

            let table = try await kubectl.succeed(["get", "cdc"])
            let rows = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(rows.first?.contains("STATE") == true, "\(table)")
            #expect(rows.dropFirst().first?.contains("RUNNING") == true, "\(table)")

            let source = world.sourceName("shop")
            let config = try #require(world.connect.config(of: source))
            #expect(config["connector.class"] == "io.debezium.connector.mysql.MySqlConnector")
            #expect(config["database.server.id"] == "184054")
            #expect(config["schema.history.internal.kafka.bootstrap.servers"] == "kafka:9092")
            let sink = try #require(world.connect.config(of: CDCConnectorRendering.sinkConnectorName(namespace: world.namespace, name: "shop", sink: .clickHouse)))
            #expect(sink["hostname"] == "clickhouse.analytics.svc")
            #expect(sink["password"]?.contains("ch-s3cret") == false)

            world.connect.failNextTaskStarts(connector: source, count: 10, trace: "io.debezium.DebeziumException: Client requested master to start replication from impossible position")
            try world.connect.failTask(connector: source, task: 0, trace: "io.debezium.DebeziumException: Client requested master to start replication from impossible position")
            try await world.waitFor("shop", "Stalled", timeout: .seconds(30)) { $0.has("Stalled", .true) }
            let described = try await kubectl.succeed(["describe", "cdc", "shop"])
            #expect(described.contains("RestartLimitReached"), "\(described)")
            #expect(described.contains("impossible position"), "\(described)")
            #expect(described.contains("Warning"), "\(described)")

            let explained = try await kubectl.run(["explain", "cdc.spec.autoRestart.maxRestarts"])
            #expect(explained.exitCode == 0, "\(explained.stderr)")
            #expect(explained.stdout.contains("Stalled"), "\(explained.stdout)")
        }
    }
}
