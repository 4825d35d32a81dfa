import Foundation
import KubeAPI
import KubeClient
import Logging
import Synchronization
import TestSupport
import Testing

@testable import ControllerRuntime

@Suite("Leader election", .serialized)
struct LeaderElectionTests {
    func config(_ namespace: String, _ identity: String) -> LeaderElectionConfig {
        var config = LeaderElectionConfig(leaseName: "hmco-test", leaseNamespace: namespace, identity: identity)
        // A long lease, so "taken over at once" (released) is far from "taken over after expiry".
        config.leaseDuration = .seconds(20)
        config.renewDeadline = .seconds(10)
        config.retryPeriod = .milliseconds(200)
        return config
    }

    @Test("only one replica leads; on graceful shutdown it releases the lease and the other takes over at once")
    func handOver() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("lease")
            let leading = Locked<[String]>([])
            let registry = MetricsRegistry()
            let first = LeaderElector(config: config(namespace, "a"), client: cluster.client, registry: registry, logger: Logger(label: "a"))
            let second = LeaderElector(config: config(namespace, "b"), client: cluster.client, registry: MetricsRegistry(), logger: Logger(label: "b"))
            let runA = Task {
                await first.run {
                    leading.withLock { $0.append("a") }
                    while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
                }
            }
            #expect(await eventually { leading.withLock { $0 } == ["a"] })
            #expect(registry.exposition().contains(#"leader_election_master_status{name="hmco-test"} 1"#))
            let runB = Task {
                await second.run {
                    leading.withLock { $0.append("b") }
                    while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
                }
            }
            // b must not lead while a holds the lease: watch for three of b's retry periods.
            try await Task.sleep(for: .milliseconds(600))
            #expect(leading.withLock { $0 } == ["a"])
            let released = ContinuousClock.now
            runA.cancel()
            _ = await runA.value
            #expect(registry.exposition().contains(#"leader_election_master_status{name="hmco-test"} 0"#))
            #expect(await eventually(timeout: .seconds(30)) { leading.withLock { $0 } == ["a", "b"] })
            // Released leases are taken within a few retry periods, not after the 20 s lease runs out.
            #expect(released.duration(to: .now) < .seconds(10))
            let lease = try await cluster.client.get(Lease.self, name: "hmco-test", namespace: namespace)
            #expect(lease.spec.holderIdentity == "b")
            #expect(lease.spec.leaseTransitions == 1)
            runB.cancel()
            _ = await runB.value
        }
    }
}

@Suite("Events and status writes", .serialized)
struct RecorderAndStatusTests {
    @Test("a repeated event updates one Event's series count instead of creating another")
    func aggregation() async throws {
        try await TestCluster.with { cluster in
            let namespace = try await cluster.makeNamespace("ev")
            let owner = try await cluster.client.create(ConfigMap(metadata: ObjectMeta(name: "subject", namespace: namespace)))
            let recorder = EventRecorder(client: cluster.client, controller: "hmco-test", instance: "test-1")
            await recorder.record(.warning, reason: "QualityGateFailed", action: "Merge", note: "hook dq_check failed", regarding: owner)
            await recorder.record(.warning, reason: "QualityGateFailed", action: "Merge", note: "hook dq_check failed", regarding: owner)
            await recorder.record(.normal, reason: "Merged", action: "Merge", note: "merged dev into prod", regarding: owner)
            let events = try await cluster.client.list(Event.self, namespace: namespace).items
            #expect(events.count == 2)
            let gate = try #require(events.first { $0.reason == "QualityGateFailed" })
            #expect(gate.series?.count == 2)
            #expect(gate.type == "Warning")
            #expect(gate.regarding?.name == "subject")
            #expect(gate.reportingController == "hmco-test")
        }
    }

    @Test("a status write is skipped when nothing changed")
    func statusWriteSkipped() async throws {
        try await TestCluster.with { cluster in
            let requests = Locked(0)
            let client = try cluster.makeClient(
                options: ClientOptions(qps: 1000, burst: 1000, observer: { outcome in
                    if outcome.method == "PATCH" { requests.withLock { $0 += 1 } }
                }))
            defer { Task { try? await client.shutdown() } }
            let writer = StatusWriter(client: client)
            struct S: Codable, Equatable, Sendable { var phase: String }
            let wrote = try await writer.write(
                Deployment.resource, name: "none", namespace: "default", old: S(phase: "a"), new: S(phase: "a"))
            #expect(!wrote)
            #expect(requests.withLock { $0 } == 0)
        }
    }
}
