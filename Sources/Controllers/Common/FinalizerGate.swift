import ControllerRuntime
import KubeClient
import PlatformAPI

/// The first step of every kind's reconcile, on the `data.hmco.io/finalizer`:
/// adds the finalizer and stops (that write queues the object again), runs
/// `cleanup` while the object is being deleted, and returns nil when the
/// reconcile should go on.
func finalizerGate<Object: PlatformResource>(
    _ object: Object, client: KubernetesClient, cleanup: () async throws -> ReconcileResult
) async throws -> ReconcileResult? {
    switch FinalizerStep(metadata: object.metadata, finalizer: PlatformAPIGroup.finalizer) {
    case .addFinalizer:
        try await Finalizers(client: client).add(PlatformAPIGroup.finalizer, to: Object.resource, metadata: object.metadata)
        return .done
    case .done:
        return .done
    case .cleanup:
        return try await cleanup()
    case .apply:
        return nil
    }
}
