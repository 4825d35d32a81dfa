import ControllerRuntime
import KubeAPI
import KubeClient
import Logging
import PlatformAPI

/// Wires the DataBranch reconciler into a manager: its informer, the shared
/// Secret informer, and a watch that re-queues every DataBranch referencing a
/// Secret when that Secret changes (rotation, late creation).
public enum DataBranchController {
    public static let name = "databranch"

    @discardableResult
    public static func register(
        manager: Manager, connector: any LakeFSConnector, defaults: LakeFSDefaults, operatorNamespace: String,
        workers: Int, resyncPeriod: Duration?, logger: Logger, lineage: LineageReporter = .disabled
    ) async -> Controller<DataBranchReconciler> {
        let informer = await manager.informer(DataBranch.self)
        let secrets = await manager.informer(Secret.self)
        await informer.addIndex(SecretValues.indexName) { branch in
            guard let basic = branch.spec.lakeFS?.basicAuth, let namespace = branch.namespace else { return [] }
            return Array(Set([basic.usernameSecretRef.name, basic.passwordSecretRef.name])).map { "\(namespace)/\($0)" }
        }
        let reconciler = DataBranchReconciler(
            client: manager.client, secrets: SecretValues(secrets: secrets), recorder: manager.recorder, connector: connector,
            defaults: defaults, operatorNamespace: operatorNamespace, lineage: lineage)
        let controller = Controller(
            name: name, informer: informer, reconciler: reconciler, workers: workers, resyncPeriod: resyncPeriod,
            registry: manager.registry, logger: logger)
        await controller.watchPrimary()
        await controller.watches(secrets) { secret in
            await informer.keys(index: SecretValues.indexName, value: secret.key)
        }
        await manager.add(controller)
        return controller
    }
}
