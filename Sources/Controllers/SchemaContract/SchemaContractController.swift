import ControllerRuntime
import KubeAPI
import KubeClient
import Logging
import PlatformAPI

/// Wires the SchemaContract reconciler into a manager: its informer, the shared
/// Secret and ConfigMap informers, and watches that re-queue every SchemaContract
/// referencing a Secret or a `schemaFrom` ConfigMap when that object changes, and
/// every SchemaContract whose `spec.references` names a subject another one registered.
public enum SchemaContractController {
    public static let name = "schemacontract"
    static let configMapIndex = "configMapRefs"
    static let referencedSubjectIndex = "referencedSubjects"

    @discardableResult
    public static func register(
        manager: Manager, connector: any SchemaRegistryConnector, defaults: SchemaRegistryDefaults,
        operatorNamespace: String, workers: Int, resyncPeriod: Duration?, logger: Logger, lineage: LineageReporter = .disabled
    ) async -> Controller<SchemaContractReconciler> {
        let informer = await manager.informer(SchemaContract.self)
        let secrets = await manager.informer(Secret.self)
        let configMaps = await manager.informer(ConfigMap.self)
        await informer.addIndex(SecretValues.indexName) { contract in
            guard let namespace = contract.namespace, let registry = contract.spec.registry else { return [] }
            var names: Set<String> = []
            if let basic = registry.basicAuth {
                names.insert(basic.usernameSecretRef.name)
                names.insert(basic.passwordSecretRef.name)
            }
            if let token = registry.bearerTokenSecretRef { names.insert(token.name) }
            return names.map { "\(namespace)/\($0)" }
        }
        await informer.addIndex(configMapIndex) { contract in
            guard let namespace = contract.namespace, let reference = contract.spec.schemaFrom?.configMapKeyRef else { return [] }
            return ["\(namespace)/\(reference.name)"]
        }
        await informer.addIndex(referencedSubjectIndex) { contract in
            (contract.spec.references ?? []).map(\.subject)
        }
        let reconciler = SchemaContractReconciler(
            client: manager.client, secrets: SecretValues(secrets: secrets), configMaps: configMaps, recorder: manager.recorder,
            connector: connector, defaults: defaults, operatorNamespace: operatorNamespace, lineage: lineage)
        let controller = Controller(
            name: name, informer: informer, reconciler: reconciler, workers: workers, resyncPeriod: resyncPeriod,
            registry: manager.registry, logger: logger)
        await controller.watchPrimary()
        await controller.watches(secrets) { secret in
            await informer.keys(index: SecretValues.indexName, value: secret.key)
        }
        await controller.watches(configMaps) { configMap in
            await informer.keys(index: configMapIndex, value: configMap.key)
        }
        // A contract waiting for a referenced subject goes on as soon as another
        // contract reports it registered, rather than at its next poll.
        await controller.watches(informer) { contract in
            guard contract.status?.version != nil, let subject = contract.spec.subjectName else { return [] }
            return await informer.keys(index: referencedSubjectIndex, value: subject)
        }
        await manager.add(controller)
        return controller
    }
}
