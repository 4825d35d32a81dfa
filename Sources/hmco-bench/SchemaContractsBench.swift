import ArgumentParser
import ControllerRuntime
import Controllers
import Foundation
import KubeAPI
import KubeClient
import LocalCluster
import Logging
import PlatformAPI
import Simulators

/// N SchemaContracts, each its own subject, from creation to Ready against the
/// embedded API server and one schema registry simulator.
struct SchemaContracts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemacontracts",
        abstract: "N SchemaContracts to Ready: wall time, API-server and registry requests, peak memory.")

    @Option(help: "SchemaContracts to create.") var count = 1_000
    @Option(help: "Workers of the SchemaContract controller.") var workers = 8
    @Option(help: "Registry flavour: confluent or karapace.") var flavor = "confluent"

    func run() async throws {
        let registryFlavor: SchemaRegistrySimulator.Flavor
        switch flavor {
        case "confluent": registryFlavor = .confluent
        case "karapace": registryFlavor = .karapace
        default: throw ValidationError("--flavor must be confluent or karapace")
        }
        let bench = try await BenchEnvironment.start()
        let credentials = SchemaRegistrySimulator.Credentials(username: "operator", password: "bench")
        let registry = SchemaRegistrySimulator(configuration: .init(credentials: credentials, flavor: registryFlavor))
        let url = try await registry.start()
        _ = try await bench.setup.create(Secret(
            metadata: ObjectMeta(name: "schema-registry-credentials", namespace: "default"),
            data: ["username": Data(credentials.username.utf8), "password": Data(credentials.password.utf8)]))
        let connector = HTTPSchemaRegistryConnector()
        await SchemaContractController.register(
            manager: bench.manager, connector: connector,
            defaults: SchemaRegistryDefaults(url: url.absoluteString, credentialsSecret: "default/schema-registry-credentials"),
            operatorNamespace: "default", workers: workers, resyncPeriod: .seconds(600), logger: Logger(label: "bench"))
        let run = await bench.runManager()

        let start = ContinuousClock.now
        try await bench.createAll(count) { Self.contract($0) }
        let created = ContinuousClock.now
        let ready = try await bench.waitReady(SchemaContract.self, count: count, deadline: start.advanced(by: .seconds(900)))
        let elapsed = seconds(start.duration(to: .now))
        let registered = registry.subjects().count
        let apiRequests = bench.apiRequests
        report("objects", "\(count) SchemaContracts (one subject each, level FULL), \(workers) workers, client QPS 50 / burst 100, \(flavor) registry")
        report("to Ready", String(format: "%d/%d Ready %.1f s after the first create (creates took %.1f s)", ready, count, elapsed, seconds(start.duration(to: created))))
        report("subjects registered", "\(registered)")
        report("API-server requests", "\(apiRequests.value) by the operator (\(String(format: "%.2f", Double(apiRequests.value) / Double(count))) per object)")
        report("registry requests", "\(registry.requests.total) (\(String(format: "%.2f", Double(registry.requests.total) / Double(count))) per object): \(registry.requests.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        report("peak rss", String(format: "%.0f MB (process: API server + registry simulator + operator)", Memory.peakMB()))
        await bench.stop(run)
        await connector.shutdown()
        await registry.stop()
        if ready < count || registered < count { throw ExitCode(1) }
    }

    /// Contract `index`: subject `bench-<index>-value` with a record of its own.
    static func contract(_ index: Int) -> SchemaContract {
        let schema = #"{"type":"record","name":"Event\#(index)","namespace":"io.hmco.bench","fields":[{"name":"id","type":"string"},{"name":"amount","type":"long"},{"name":"note","type":["null","string"],"default":null}]}"#
        return SchemaContract(
            metadata: ObjectMeta(name: "bench-\(index)", namespace: "default"),
            spec: SchemaContractSpec(subject: "bench-\(index)-value", schema: schema, compatibility: .full))
    }
}
