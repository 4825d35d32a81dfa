import Foundation
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// What a user sees of a SchemaContract through the real kubectl.
@Suite("SchemaContract with kubectl", .enabled(if: KubectlRunner.isAvailable, "needs kubectl"))
struct SchemaContractKubectlTests {
    static func manifest(schema: String) -> String {
        """
        apiVersion: data.hmco.io/v1alpha1
        kind: SchemaContract
        metadata:
          name: orders
        spec:
          subject: orders-value
          type: AVRO
          compatibility: FULL
          schema: '\(schema)'
          registry:
            basicAuth:
              usernameSecretRef: {name: \(SchemaContractWorld.credentialsSecret), key: username}
              passwordSecretRef: {name: \(SchemaContractWorld.credentialsSecret), key: password}
        """
    }

    @Test("kubectl apply and wait for Ready; an incompatible apply shows in kubectl describe with the registry's reason and a Warning Event")
    func applyWaitDescribe() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            let kubectl = KubectlRunner(kubeconfig: world.cluster.kubeconfigPath, namespace: world.namespace)

            let applied = try await kubectl.succeed(["apply", "-f", "-"], input: Self.manifest(schema: SchemaContractWorld.ordersV1))
            #expect(applied.contains("schemacontract.data.hmco.io/orders created"))
            let waited = try await kubectl.run(["wait", "--for=condition=Ready", "scon/orders", "--timeout=30s"])
            #expect(waited.exitCode == 0, "\(waited.stderr)")
            #expect(waited.stdout.contains("condition met"))
            let version = try await kubectl.succeed(["get", "scon", "orders", "-o", "jsonpath={.status.version} {.status.compatibilityLevel}"])
            #expect(version == "1 FULL")

            let changed = try await kubectl.succeed(["apply", "-f", "-"], input: Self.manifest(schema: SchemaContractWorld.ordersBroken))
            #expect(changed.contains("schemacontract.data.hmco.io/orders configured"))
            let blocked = try await kubectl.run(["wait", "--for=condition=Compatible=False", "scon/orders", "--timeout=30s"])
            #expect(blocked.exitCode == 0, "\(blocked.stderr)")

            // The Event is written after the status; describe must show both.
            try await world.waitForEvent("orders", type: "Warning", reason: SchemaContract.Reason.incompatibleSchema)
            let described = try await kubectl.succeed(["describe", "schemacontract", "orders"])
            let registryMessage = try #require(
                try await world.registryIncompatibilities(of: SchemaContractWorld.ordersBroken, subject: "orders-value").first)
            let compatible = try #require(Self.conditions(in: described).first { $0["Type"] == "Compatible" }, "\(described)")
            #expect(compatible["Status"] == "False")
            #expect(compatible["Reason"] == "IncompatibleSchema")
            #expect(compatible["Message"]?.contains(registryMessage) == true, "the registry's \(registryMessage) in \(compatible)")
            let events = described.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            #expect(events.contains { $0.hasPrefix("Warning IncompatibleSchema") && $0.contains(registryMessage) }, "\(described)")
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }
}

extension SchemaContractKubectlTests {
    /// The conditions `kubectl describe` prints under `Status:`/`Conditions:`, as field → value
    /// (each condition's fields are listed in order, ending with `Type`).
    static func conditions(in described: String) -> [[String: String]] {
        var result: [[String: String]] = []
        var current: [String: String] = [:]
        var inConditions = false
        for line in described.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "Conditions:" {
                inConditions = true
                continue
            }
            guard inConditions else { continue }
            // Conditions' fields are indented by four; a shallower line ends the list.
            guard line.hasPrefix("    "), let colon = trimmed.firstIndex(of: ":") else { break }
            let key = String(trimmed[..<colon])
            current[key] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "Type" {
                result.append(current)
                current = [:]
            }
        }
        return result
    }
}
