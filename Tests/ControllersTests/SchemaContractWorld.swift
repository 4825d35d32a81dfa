import ControllerRuntime
import Controllers
import Foundation
import KubeAPI
import KubeClient
import Logging
import PlatformAPI
import SchemaRegistry
import Simulators
import TestSupport
import Testing

/// One test's world: a cluster with the SchemaContract CRD, a namespace of the
/// test's own holding the `schema-registry-credentials` Secret, and a schema
/// registry simulator (basic auth, global level BACKWARD, Confluent or Karapace
/// flavour) on an ephemeral port.
/// ``startOperator()`` runs the SchemaContract controller in this process;
/// ``with(_:)`` stops it also when the test fails half-way.
struct SchemaContractWorld: KindWorld {
    typealias Kind = SchemaContract

    let cluster: TestCluster
    let namespace: String
    let registry: SchemaRegistrySimulator
    let registryURL: String
    /// The lineage events every operator of this world reported.
    let lineage = RecordingLineage()
    private let operators = Locked<[TestOperator]>([])

    static let credentialsSecret = "schema-registry-credentials"
    static let credentials = SchemaRegistrySimulator.Credentials(username: "operator", password: "s3cret")

    var client: KubernetesClient { cluster.client }

    /// Both flavours of the registry, for tests that must hold against each.
    static let flavors: [SchemaRegistrySimulator.Flavor] = [.confluent, .karapace]

    static func with(
        flavor: SchemaRegistrySimulator.Flavor = .confluent, _ body: (SchemaContractWorld) async throws -> Void
    ) async throws {
        try await TestCluster.with { cluster in
            do {
                _ = try await cluster.client.create(try SchemaContract.typedCustomResourceDefinition())
            } catch let error as KubeError where error.isAlreadyExists {}
            let established = await eventually {
                (try? await cluster.client.get(CustomResourceDefinition.self, name: SchemaContract.crdName))?.isEstablished ?? false
            }
            guard established else { throw WorldError("CRD \(SchemaContract.crdName) did not become Established") }
            let namespace = try await cluster.makeNamespace("scon")
            let registry = SchemaRegistrySimulator(configuration: .init(credentials: credentials, flavor: flavor))
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

    /// Starts an operator; `registryTimeout` bounds each registry request, and
    /// `resyncPeriod` is how long a converged contract waits before it is looked at again.
    @discardableResult
    func startOperator(
        registryTimeout: Duration = .seconds(10), resyncPeriod: Duration = .seconds(600)
    ) async throws -> TestOperator {
        let client = try cluster.makeClient()
        let logger = DataBranchWorld.logger
        let metrics = MetricsRegistry()
        let manager = Manager(
            client: client, registry: metrics,
            options: ManagerOptions(namespaces: [namespace], leaderElection: nil, probeAddress: nil, metricsAddress: nil),
            logger: logger)
        let connector = HTTPSchemaRegistryConnector(timeout: registryTimeout)
        await SchemaContractController.register(
            manager: manager, connector: connector, defaults: SchemaRegistryDefaults(url: registryURL),
            operatorNamespace: namespace, workers: 2, resyncPeriod: resyncPeriod, logger: logger, lineage: lineage.reporter)
        let task = Task { await manager.runUntilCancelled() }
        let running = TestOperator(
            client: client, registry: metrics, controller: SchemaContractController.name, task: task,
            shutdownConnector: { await connector.shutdown() })
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

    // MARK: Outside Kubernetes

    /// A registry client of someone outside Kubernetes, e.g. another team's script.
    func outsideClient() throws -> HTTPSchemaRegistryClient {
        guard let url = URL(string: registryURL) else { throw WorldError("bad registry URL \(registryURL)") }
        return HTTPSchemaRegistryClient(
            serverURL: url,
            auth: .basic(username: Self.credentials.username, password: Self.credentials.password), timeout: .seconds(10))
    }

    /// Sets a subject's level over the registry's HTTP API.
    func setCompatibilityOverHTTP(_ level: SchemaRegistry.CompatibilityLevel, subject: String) async throws {
        try await outsideClient().setSubjectCompatibility(subject: subject, level: level)
    }

    /// The reasons the registry itself gives (verbose check over HTTP) why an Avro schema is not compatible with the subject.
    func registryIncompatibilities(of schema: String, subject: String) async throws -> [String] {
        try await outsideClient().checkCompatibility(
            subject: subject, definition: SchemaDefinition(schema: schema, type: .avro, references: []), against: .allVersions,
            normalize: false
        ).messages
    }


    // MARK: Schemas

    static let ordersV1 = #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"string"}]}"#
    /// v1 plus an optional field with a default: compatible at every level.
    static let ordersV2 =
        #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"string"},{"name":"desk","type":["null","string"],"default":null}]}"#
    /// The id changes type: incompatible at every level but NONE.
    static let ordersBroken = #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"long"}]}"#
    /// A record other schemas import by reference as `io.hmco.Desk`.
    static let deskV1 = #"{"type":"record","name":"Desk","namespace":"io.hmco","fields":[{"name":"code","type":"string"}]}"#
    /// An order whose `desk` field is the referenced `io.hmco.Desk`; not parseable without the reference.
    static let ordersWithDesk =
        #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"string"},{"name":"desk","type":"io.hmco.Desk"}]}"#
}
