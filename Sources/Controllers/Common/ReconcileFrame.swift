import ControllerRuntime
import KubeAPI
import KubeClient
import PlatformAPI

/// The state of one reconcile: the status it builds and writes once, and the
/// generation and time that status is computed for.
struct ReconcileRun<Object: PlatformResource> {
    var status: Object.Status
    let generation: Int64?
    let now: Time

    init(object: Object, now: Time = .now()) {
        status = object.status ?? Object.Status()
        generation = object.metadata.generation
        self.now = now
    }

    /// Records the actions Apply mode carried out as `status.lastAppliedPlan`; nothing when there were none.
    mutating func recordApplied(_ actions: [PlannedAction]) {
        guard !actions.isEmpty else { return }
        status.lastAppliedPlan = AppliedPlan(generation: generation ?? 0, time: now, actions: actions)
    }
}

/// What every kind's reconcile does around its own `apply` and `cleanup`, so a
/// kind writes only those two.
///
/// Guarantees: a reconcile decides on the status this reconciler last wrote
/// (``WrittenStatuses``), even before the informer has seen it; the finalizer is
/// added before anything else, and `cleanup` runs instead of `apply` while the
/// object is being deleted; `spec.suspend` stops the reconcile before `apply`
/// with Ready=False `Suspended`; the status `apply` built is written once, also
/// when `apply` throws, and only when something besides the reconcile time changed.
/// Caveats: `cleanup` writes its own status, if any: after the finalizer is
/// removed the object may be gone.
struct ReconcileFrame<Object: PlatformResource>: Sendable {
    let client: KubernetesClient
    let recorder: EventRecorder
    /// What the backend is called in messages, e.g. `lakeFS`, `the registry`.
    let backend: String
    /// What this reconciler wrote, for reconciles that start before the informer has seen it.
    let written = WrittenStatuses<Object>()

    /// Runs one reconcile of `object`: the finalizer step, then `cleanup` or
    /// (unless suspended) `apply`, then the status write.
    func reconcile(
        _ object: Object, cleanup: (Object) async throws -> ReconcileResult,
        apply: (Object, inout ReconcileRun<Object>) async throws -> ReconcileResult
    ) async throws -> ReconcileResult {
        // The informer's copy may predate our last status write, and with it one-shot
        // work already done (a handled request, a verdict on this very input).
        let object = written.latest(object)
        if let result = try await finalizerGate(object, client: client, cleanup: { try await cleanup(object) }) {
            return result
        }
        var run = ReconcileRun<Object>(object: object)
        do {
            let result: ReconcileResult
            if object.spec.suspend {
                run.status.markNotReady(
                    generation: run.generation, reason: StandardReason.suspended,
                    message: "spec.suspend is true: \(backend) is neither read nor changed", now: run.now)
                result = .done
            } else {
                result = try await apply(object, &run)
            }
            try await writeStatus(run.status, of: object)
            return result
        } catch {
            try await writeStatus(run.status, of: object)
            throw error
        }
    }

    /// Writes `status` of `object` once, and only when something besides the reconcile time changed.
    func writeStatus(_ status: Object.Status, of object: Object) async throws {
        try await written.write(status, of: object, client: client)
    }

    // MARK: Stops

    /// Stops on a spec that cannot work until a person changes it: Stalled
    /// `reason` with `message`, a Warning Event (action `Validate`), and a
    /// ``TerminalError``, so the object is not retried until its spec changes.
    func stall(
        _ object: Object, reason: String = StandardReason.invalidSpec, message: String, run: inout ReconcileRun<Object>
    ) async throws -> Never {
        run.status.markStalled(generation: run.generation, reason: reason, message: message, now: run.now)
        await recorder.record(.warning, reason: reason, action: "Validate", note: message, regarding: object)
        throw TerminalError(reason: reason, message: message)
    }

    /// Stops, as ``stall(_:reason:message:run:)``, when `object.validate()` finds invalid fields; the message names them all.
    func validate(_ object: Object, run: inout ReconcileRun<Object>) async throws {
        let errors = object.validate()
        if !errors.isEmpty {
            try await stall(object, message: describe(errors), run: &run)
        }
    }

    /// Marks the object Stalled with a Warning Event for an input that does not
    /// exist yet (a Secret, a ConfigMap). The reconcile then ends with `.done`:
    /// the input's creation queues the object again, as those are watched.
    func awaitInput(_ object: Object, reason: String, action: String, message: String, run: inout ReconcileRun<Object>) async {
        run.status.markStalled(generation: run.generation, reason: reason, message: message, now: run.now)
        await recorder.record(.warning, reason: reason, action: action, note: message, regarding: object)
    }

    /// The backend client `make` returns, from the object's target; nil (and
    /// Stalled `SecretNotFound` with a Warning Event) when a Secret it names is
    /// missing, and the reconcile should end with `.done`.
    ///
    /// Throws a ``TerminalError`` after marking the object Stalled when no URL or
    /// credentials are configured (``BackendNotConfigured``, reason
    /// `BackendNotConfigured`) or the URL is not http(s) (reason `InvalidSpec`,
    /// naming `<endpointField>.url`).
    /// - Parameter endpointField: the spec field of the endpoint, e.g. `spec.lakeFS`.
    func backendClient<Client>(
        _ object: Object, endpointField: String, run: inout ReconcileRun<Object>, make: () async throws -> Client
    ) async throws -> Client? {
        do {
            return try await make()
        } catch let error as MissingSecretError {
            await awaitInput(object, reason: StandardReason.secretNotFound, action: "ReadSecret", message: error.description, run: &run)
            return nil
        } catch let error as BackendNotConfigured {
            run.status.markStalled(generation: run.generation, reason: BackendNotConfigured.reason, message: error.message, now: run.now)
            throw TerminalError(reason: BackendNotConfigured.reason, message: error.message)
        } catch let error as InvalidEndpointError {
            let message = "\(endpointField).url: \(error.description)"
            run.status.markStalled(generation: run.generation, reason: StandardReason.invalidSpec, message: message, now: run.now)
            throw TerminalError(reason: StandardReason.invalidSpec, message: message)
        }
    }

    /// Plan mode's summary when nothing stops Apply: Ready=True `PlanUpToDate` when
    /// Apply would change nothing, else Ready=False `PlanPending` counting the changes listed in `status.plan`.
    func summarizePlan(changes: Int, run: inout ReconcileRun<Object>) {
        if changes == 0 {
            run.status.markReady(
                generation: run.generation, reason: StandardReason.planUpToDate,
                message: "Plan mode: \(backend) already matches the spec", now: run.now)
        } else {
            run.status.markNotReady(
                generation: run.generation, reason: StandardReason.planPending,
                message: "Plan mode: \(changes) change(s) listed in status.plan; none applied", now: run.now)
        }
    }

    // MARK: Deletion

    /// Deletion cannot go on without a Secret: Stalled `SecretNotFound`
    /// ("cannot delete `what`: …") on top of `run`, written now. The Secret's creation queues the object again.
    func deletionAwaitsSecret(
        _ error: MissingSecretError, deleting what: String, object: Object, run: ReconcileRun<Object>
    ) async throws -> ReconcileResult {
        var run = run
        run.status.markStalled(
            generation: run.generation, reason: StandardReason.secretNotFound, message: "cannot delete \(what): \(error.description)",
            now: run.now)
        try await writeStatus(run.status, of: object)
        return .done
    }

    /// Deletion failed in the backend: Ready=False `reason` with `message` on top
    /// of `run`, written now; then `error` is thrown, so the deletion is retried with backoff.
    func deletionFailed(
        _ error: any Error, reason: String = StandardReason.deleting, message: String, object: Object, run: ReconcileRun<Object>
    ) async throws -> Never {
        var run = run
        run.status.markNotReady(generation: run.generation, reason: reason, message: message, now: run.now)
        try await writeStatus(run.status, of: object)
        throw error
    }
}
