import Foundation
import KubeAPI
import KubeClient
import Logging

/// Timing of leader election, with client-go's defaults.
public struct LeaderElectionConfig: Sendable {
    public var leaseName: String
    public var leaseNamespace: String
    /// This process's identity, written into the Lease's holderIdentity.
    public var identity: String
    /// How long a lease is valid after its last renewal.
    public var leaseDuration: Duration = .seconds(15)
    /// How long the leader keeps trying to renew before it gives up leading.
    public var renewDeadline: Duration = .seconds(10)
    /// How often candidates and the leader retry.
    public var retryPeriod: Duration = .seconds(2)

    public init(leaseName: String, leaseNamespace: String, identity: String) {
        self.leaseName = leaseName
        self.leaseNamespace = leaseNamespace
        self.identity = identity
    }
}

/// Leader election on a coordination.k8s.io/v1 Lease.
///
/// Guarantees: `lead` runs only while this process holds the lease; it is
/// cancelled as soon as a renewal has not succeeded within `renewDeadline`;
/// on graceful shutdown the lease is released (empty holder, 1 s duration) so
/// another replica takes over at once. Assumes clocks of the replicas run at
/// the same rate (not that they agree).
public struct LeaderElector: Sendable {
    public let config: LeaderElectionConfig
    private let client: KubernetesClient
    private let logger: Logger
    private let status: Gauge

    public init(config: LeaderElectionConfig, client: KubernetesClient, registry: MetricsRegistry, logger: Logger) {
        self.config = config
        self.client = client
        self.logger = logger
        status = registry.gauge(
            "leader_election_master_status",
            help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.",
            labels: ["name"]
        ).labels(config.leaseName)
        status.set(0)
    }

    /// Campaigns for the lease, then runs `lead` while leading. Returns when the
    /// surrounding task is cancelled (after releasing the lease) or when
    /// leadership is lost (after `lead` has been cancelled) — callers usually exit then.
    /// - Returns: true if leadership was lost, false on cancellation.
    @discardableResult
    public func run(lead: @escaping @Sendable () async -> Void) async -> Bool {
        var observed: (record: LeaseSpec, at: ContinuousClock.Instant)?
        // Campaign.
        while !Task.isCancelled {
            if await tryAcquireOrRenew(observed: &observed) { break }
            try? await Task.sleep(for: config.retryPeriod * Double.random(in: 1.0...1.2))
        }
        if Task.isCancelled { return false }
        logger.info("became leader", metadata: ["lease": "\(config.leaseNamespace)/\(config.leaseName)", "identity": "\(config.identity)"])
        status.set(1)
        let acquired = observed
        let lost = await withTaskGroup(of: Bool.self) { group -> Bool in
            group.addTask {
                await lead()
                return false
            }
            group.addTask { await self.renewLoop(observed: acquired) }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        status.set(0)
        if lost {
            logger.error("leader election lost", metadata: ["lease": "\(config.leaseNamespace)/\(config.leaseName)"])
        } else {
            // The surrounding task is cancelled by now; release from a fresh task so the
            // requests are not cancelled with it and the next leader need not wait out the lease.
            await Task { await self.release() }.value
        }
        return lost
    }

    /// Renews until cancelled (returns false) or a renewal deadline passes (returns true).
    private func renewLoop(observed: (record: LeaseSpec, at: ContinuousClock.Instant)?) async -> Bool {
        var observed = observed
        var lastRenew = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: config.retryPeriod)
            if Task.isCancelled { return false }
            if await tryAcquireOrRenew(observed: &observed) {
                lastRenew = .now
            } else if lastRenew.duration(to: .now) > config.renewDeadline {
                return true
            }
        }
        return false
    }

    /// One attempt, as client-go's tryAcquireOrRenew.
    func tryAcquireOrRenew(observed: inout (record: LeaseSpec, at: ContinuousClock.Instant)?) async -> Bool {
        let now = MicroTime.now()
        let durationSeconds = Int(config.leaseDuration.components.seconds)
        do {
            let lease: Lease
            do {
                lease = try await client.get(Lease.self, name: config.leaseName, namespace: config.leaseNamespace)
            } catch let error as KubeError where error.isNotFound {
                let spec = LeaseSpec(
                    holderIdentity: config.identity, leaseDurationSeconds: durationSeconds, acquireTime: now,
                    renewTime: now, leaseTransitions: 0)
                _ = try await client.create(
                    Lease(metadata: ObjectMeta(name: config.leaseName, namespace: config.leaseNamespace), spec: spec))
                observed = (spec, .now)
                return true
            }
            var spec = lease.spec
            if observed?.record != spec { observed = (spec, .now) }
            let holder = spec.holderIdentity ?? ""
            let held = !holder.isEmpty && holder != config.identity
            if held, let seen = observed,
                seen.at.duration(to: .now) < .seconds(spec.leaseDurationSeconds ?? durationSeconds)
            {
                return false
            }
            if holder == config.identity {
                spec.renewTime = now
            } else {
                spec.holderIdentity = config.identity
                spec.acquireTime = now
                spec.renewTime = now
                spec.leaseTransitions = (spec.leaseTransitions ?? 0) + 1
            }
            spec.leaseDurationSeconds = durationSeconds
            var updated = lease
            updated.spec = spec
            _ = try await client.update(updated)
            observed = (spec, .now)
            return true
        } catch {
            logger.debug("lease attempt failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    private func release() async {
        do {
            var lease = try await client.get(Lease.self, name: config.leaseName, namespace: config.leaseNamespace)
            guard lease.spec.holderIdentity == config.identity else { return }
            lease.spec.holderIdentity = nil
            lease.spec.leaseDurationSeconds = 1
            lease.spec.renewTime = .now()
            _ = try await client.update(lease)
            logger.info("released leader lease", metadata: ["lease": "\(config.leaseNamespace)/\(config.leaseName)"])
        } catch {
            logger.warning("cannot release leader lease", metadata: ["error": "\(error)"])
        }
    }
}
