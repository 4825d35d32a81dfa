import ControllerRuntime
import Controllers
import Foundation
import KubeAPI
import KubeClient
import Logging
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// One test's world: a cluster with the SchemaContract CRD, a namespace of the
/// test's own holding the `schema-registry-credentials` Secret, and a schema
/// registry simulator (basic auth, global level BACKWARD) on an ephemeral port.
/// ``startOperator()`` runs the SchemaContract controller in this process;
/// ``with(_:)`` stops it also when the test fails half-way.
struct SchemaContractWorld: KindWorld {
    typealias Kind = SchemaContract

    let cluster: TestCluster
    let namespace: String
    let registry: SchemaRegistrySimulator
    let registryURL: String
    private let operators = Locked<[SchemaContractOperator]>([])

    static let credentialsSecret = "schema-registry-credentials"
    static let credentials = SchemaRegistrySimulator.Credentials(username: "operator", password: "s3cret")

    var client: KubernetesClient { cluster.client }

    static func with(_ body: (SchemaContractWorld) async throws -> Void) async throws {
        try await TestCluster.with { cluster in
            do {
                _ = try await cluster.client.create(try SchemaContract.typedCustomResourceDefinition())
            } catch let error as KubeError where error.isAlreadyExists {}
            let established = await eventually {
                (try? await cluster.client.get(CustomResourceDefinition.self, name: SchemaContract.crdName))?.isEstablished ?? false
            }
            guard established else { throw WorldError("CRD \(SchemaContract.crdName) did not become Established") }
            let namespace = try await cluster.makeNamespace("scon")
            let registry = SchemaRegistrySimulator(configuration: .init(credentials: credentials))
            let url = try await registry.start()
            let world = SchemaContractWorld(cluster: cluster, namespace: namespace, registry: registry, registryURL: url.absoluteString)
            do {
                _ = try await cluster.client.create(
                    Secret(
                        metadata: ObjectMeta(name: credentialsSecret, namespace: namespace),
                        data: ["username": Data(credentials.username.utf8), "password": Data(credentials.password.utf8)]))
                try await body(world)
            } catch {
                await world.stopOperators()
                await registry.stop()
                throw error
            }
            await world.stopOperators()
            await registry.stop()
        }
    }

    @discardableResult
    func startOperator() async throws -> SchemaContractOperator {
        let client = try cluster.makeClient()
        let logger = DataBranchWorld.logger
        let manager = Manager(
            client: client, registry: MetricsRegistry(),
            options: ManagerOptions(namespaces: [namespace], leaderElection: nil, probeAddress: nil, metricsAddress: nil),
            logger: logger)
        let connector = HTTPSchemaRegistryConnector(timeout: .seconds(10))
        await SchemaContractController.register(
            manager: manager, connector: connector, defaults: SchemaRegistryDefaults(url: registryURL),
            operatorNamespace: namespace, workers: 2, resyncPeriod: .seconds(600), logger: logger)
        let task = Task { await manager.runUntilCancelled() }
        let running = SchemaContractOperator(client: client, connector: connector, task: task)
        operators.withLock { $0.append(running) }
        return running
    }

    private func stopOperators() async {
        for running in operators.value { await running.stop() }
    }

    // MARK: Objects

    /// A SchemaContract for `subject`, with the credentials from the test's Secret.
    func contract(
        _ name: String, subject: String = "orders-value", schema: String = SchemaContractWorld.ordersV1,
        change: (inout SchemaContractSpec) -> Void = { _ in }
    ) -> SchemaContract {
        var spec = SchemaContractSpec(
            subject: subject, schema: schema, compatibility: .full,
            registry: ServiceEndpoint(
                basicAuth: BasicAuth(
                    usernameSecretRef: SecretKeySelector(name: Self.credentialsSecret, key: "username"),
                    passwordSecretRef: SecretKeySelector(name: Self.credentialsSecret, key: "password"))))
        change(&spec)
        return SchemaContract(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec)
    }

    @discardableResult
    func create(_ object: SchemaContract) async throws -> SchemaContract { try await client.create(object) }


    // MARK: Schemas

    static let ordersV1 = #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"string"}]}"#
    /// v1 plus an optional field with a default: compatible at every level.
    static let ordersV2 =
        #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"string"},{"name":"desk","type":["null","string"],"default":null}]}"#
    /// The id changes type: incompatible at every level but NONE.
    static let ordersBroken = #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"long"}]}"#
}

/// The SchemaContract controller of one test, running in a task of the test.
final class SchemaContractOperator: Sendable {
    let client: KubernetesClient
    let connector: HTTPSchemaRegistryConnector
    private let task: Task<Void, Never>

    init(client: KubernetesClient, connector: HTTPSchemaRegistryConnector, task: Task<Void, Never>) {
        self.client = client
        self.connector = connector
        self.task = task
    }

    func stop() async {
        task.cancel()
        await task.value
        await connector.shutdown()
        try? await client.shutdown()
    }
}

extension SchemaContract {
    func condition(_ type: String) -> Condition? { status?.condition(type) }

    func has(_ type: String, _ status: ConditionStatus, reason: String? = nil) -> Bool {
        guard let condition = condition(type), condition.status == status else { return false }
        return reason.map { condition.reason == $0 } ?? true
    }

    var isCurrent: Bool { status?.observedGeneration == metadata.generation }
}
