import Foundation
import Simulators
import Testing

/// Runs `body` against a fresh schema registry simulator on an ephemeral port, stopping it afterwards.
func withSchemaRegistry(
    configuration: SchemaRegistrySimulator.Configuration = .init(),
    _ body: (SchemaRegistrySimulator, HTTPTestClient) async throws -> Void
) async throws {
    let registry = SchemaRegistrySimulator(configuration: configuration)
    let url = try await registry.start()
    let credentials = configuration.credentials.map { ($0.username, $0.password) }
    do {
        try await body(registry, HTTPTestClient(baseURL: url, credentials: credentials))
    } catch {
        await registry.stop()
        throw error
    }
    await registry.stop()
}

/// Avro record fixtures for the registry tests.
enum AvroFixture {
    /// `Order` with `id: long`.
    static let orderV1 = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}"#
    /// `orderV1` plus `note: string` with a default: BACKWARD compatible.
    static let orderWithDefault =
        #"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"note","type":"string","default":""}]}"#
    /// `orderV1` plus a required `amount: double`: not BACKWARD compatible.
    static let orderWithRequired =
        #"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"amount","type":"double"}]}"#
    /// `orderV1` written with other whitespace and key order.
    static let orderV1Reformatted = """
        {
          "name": "Order",
          "type": "record",
          "fields": [ { "type": "long", "name": "id" } ]
        }
        """
}

extension TestResponse {
    /// The `error_code` of a registry error body.
    var errorCode: Int64? { (try? json())?["error_code"]?.int }
}

extension TestBody {
    /// A register/lookup/check body for an Avro (or other) schema.
    static func schema(_ text: String, type: String? = nil, references: [[String: Any]] = []) -> TestBody {
        var body: [String: Any] = ["schema": text]
        if let type { body["schemaType"] = type }
        if !references.isEmpty { body["references"] = references }
        return .json(body)
    }
}
