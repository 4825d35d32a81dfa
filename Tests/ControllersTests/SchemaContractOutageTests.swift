import Controllers
import Foundation
import KubeAPI
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// The registry failing (errors, throttling, hangs) for a while: the contract
/// says BackendUnavailable, the operator backs off instead of looping, and the
/// contract is Ready again once the registry answers.
@Suite("SchemaContract with the registry down")
struct SchemaContractOutageTests {
    typealias Op = SchemaRegistrySimulator.Operation

    /// A failure the registry answers every request with, and what the status message then shows.
    struct Outage: Sendable, CustomTestStringConvertible {
        var failure: InjectedFailure
        var shown: String
        var testDescription: String { "HTTP \(failure.status)" }
    }

    static let outages = [
        Outage(failure: .schemaRegistryStoreError, shown: "HTTP 500"),
        Outage(failure: .serviceUnavailable, shown: "HTTP 503"),
        Outage(failure: InjectedFailure(status: 429, message: "Too many requests", retryAfterSeconds: 1), shown: "HTTP 429"),
    ]

    @Test("an error answer to every request is BackendUnavailable; retries back off; Ready again when the registry returns",
          arguments: outages)
    func downThenBack(outage: Outage) async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }

            let outageStart = ContinuousClock.now
            world.registry.faults.fail(fraction: 1, with: outage.failure)
            try await world.requestReconcile("orders")
            let down = try await world.waitFor("orders", "Ready=False BackendUnavailable") {
                $0.has("Ready", .false, reason: StandardReason.backendUnavailable)
            }
            #expect(down.condition("Ready")?.message.contains(outage.shown) == true, "\(down.condition("Ready")?.message ?? "")")
            #expect(down.status?.version == 1, "what was registered stays in status")

            // Each attempt fails on its first request, so requests are attempts.
            let attempts: @Sendable () -> [ContinuousClock.Instant] = {
                world.registry.requests.recent.filter { $0.arrival >= outageStart }.map(\.arrival)
            }
            #expect(await eventually(timeout: .seconds(20)) { attempts().count >= 10 })
            world.registry.faults.clear()
            let outageEnd = ContinuousClock.now
            try await world.waitFor("orders", "Ready=True after the registry returned", timeout: .seconds(20)) {
                $0.has("Ready", .true)
            }

            // Backoff doubles from 5 ms per failure: the tenth attempt comes over 2 s
            // after the first, with pauses of over a second; a hot loop never pauses.
            let failed = attempts().filter { $0 <= outageEnd }
            let gaps = zip(failed.dropFirst(), failed).map { $0.0 - $0.1 }
            #expect(failed.count <= 14, "\(failed.count) requests in \(outageStart.duration(to: outageEnd))")
            #expect((gaps.max() ?? .zero) >= .milliseconds(900), "gaps between attempts: \(gaps)")
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }

    @Test("a registry that hangs is a timeout, BackendUnavailable, not a pile of requests; Ready again when it answers")
    func hangsThenBack() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator(registryTimeout: .milliseconds(500))
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready=True") { $0.has("Ready", .true) && $0.isCurrent }

            let outageStart = ContinuousClock.now
            world.registry.faults.inject(.hang(.seconds(2)), fraction: 1)
            try await world.requestReconcile("orders")
            let down = try await world.waitFor("orders", "Ready=False BackendUnavailable") {
                $0.has("Ready", .false, reason: StandardReason.backendUnavailable)
            }
            let message = down.condition("Ready")?.message ?? ""
            #expect(message.lowercased().contains("timed out") || message.lowercased().contains("timeout"), "\(message)")

            let attempts: @Sendable () -> Int = {
                world.registry.requests.recent.filter { $0.arrival >= outageStart }.count
            }
            #expect(await eventually(timeout: .seconds(20)) { attempts() >= 5 })
            world.registry.faults.clear()
            let outage = outageStart.duration(to: .now)
            let failed = attempts()
            try await world.waitFor("orders", "Ready=True after the registry answered again", timeout: .seconds(20)) {
                $0.has("Ready", .true)
            }
            // One request at a time, each waiting out its 0.5 s timeout, then the backoff.
            let bound = Int(outage / .milliseconds(500)) + 2
            #expect(failed <= bound, "\(failed) requests in \(outage)")
            #expect(world.registry.versions(subject: "orders-value").count == 1)
        }
    }
}
