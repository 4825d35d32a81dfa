import ControllerRuntime
import KubeAPI
import KubeClient
import Logging
import PlatformAPI

/// Wires the CDCConnector reconciler into a manager: its informer, the shared
/// Secret informer, and a watch that re-queues every CDCConnector referring to a
/// Secret when that Secret changes — a rotated database password restarts the
/// connectors, a Secret created late lets a Stalled object go on.
public enum CDCConnectorController {
    public static let name = "cdcconnector"

    @discardableResult
    public static func register(
        manager: Manager, connector: any KafkaConnectConnector, settings: CDCConnectorSettings,
        signaler: any SnapshotSignaler = UnavailableSnapshotSignaler(), operatorNamespace: String, workers: Int,
        resyncPeriod: Duration?, logger: Logger, lineage: LineageReporter = .disabled
    ) async -> Controller<CDCConnectorReconciler> {
        let informer = await manager.informer(CDCConnector.self)
        let secrets = await manager.informer(Secret.self)
        await informer.addIndex(SecretValues.indexName) { object in
            var keys = Set(CDCConnectorRendering.referencedSecrets(of: object, settings: settings.render).map(\.description))
            if let namespace = object.namespace, let endpoint = object.spec.kafkaConnect {
                if let basic = endpoint.basicAuth {
                    keys.insert("\(namespace)/\(basic.usernameSecretRef.name)")
                    keys.insert("\(namespace)/\(basic.passwordSecretRef.name)")
                }
                if let token = endpoint.bearerTokenSecretRef { keys.insert("\(namespace)/\(token.name)") }
            }
            return Array(keys)
        }
        let reconciler = CDCConnectorReconciler(
            client: manager.client, secrets: SecretValues(secrets: secrets), recorder: manager.recorder, connector: connector,
            settings: settings, signaler: signaler, operatorNamespace: operatorNamespace, lineage: lineage)
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
