import Controllers

extension BackendConfiguration.CDCSettings {
    /// The rendering settings these describe; throws naming the field when one is unusable.
    public func renderSettings(clickhouse: BackendConfiguration.Endpoint?, operatorNamespace: String) throws -> CDCRenderSettings {
        let style: SecretReferenceStyle
        switch (secretProvider ?? "KubernetesSecret").lowercased() {
        case "kubernetessecret":
            style = .kubernetesSecret(alias: secretProviderAlias ?? SecretReferenceStyle.defaultKubernetesSecretAlias)
        case "directory":
            guard let path = secretMountPath else {
                throw ConfigurationError("cdc.secretMountPath is required when cdc.secretProvider is Directory")
            }
            style = .directory(alias: secretProviderAlias ?? SecretReferenceStyle.defaultDirectoryAlias, mountPath: path)
        case "file":
            guard let path = secretMountPath else {
                throw ConfigurationError("cdc.secretMountPath is required when cdc.secretProvider is File")
            }
            style = .file(alias: secretProviderAlias ?? SecretReferenceStyle.defaultFileAlias, mountPath: path)
        default:
            throw ConfigurationError(
                "cdc.secretProvider: \"\(secretProvider ?? "")\" is not one of KubernetesSecret, Directory, File")
        }
        var settings = CDCRenderSettings(
            secretReferences: style, kafkaBootstrapServers: kafkaBootstrapServers, keyConverter: keyConverter,
            valueConverter: valueConverter, converterProperties: converterProperties ?? [:])
        if let icebergSinkClass { settings.icebergSinkClass = icebergSinkClass }
        if let icebergDebeziumTransformClass { settings.icebergDebeziumTransformClass = icebergDebeziumTransformClass }
        if let clickHouseSinkClass { settings.clickHouseSinkClass = clickHouseSinkClass }
        settings.defaultClickHouseURL = clickhouse?.url
        if let secret = clickhouse?.credentialsSecret {
            let parts = secret.split(separator: "/").map(String.init)
            settings.defaultClickHouseCredentialsSecret =
                parts.count == 2
                ? SecretRef(namespace: parts[0], name: parts[1]) : SecretRef(namespace: operatorNamespace, name: secret)
        }
        return settings
    }
}
