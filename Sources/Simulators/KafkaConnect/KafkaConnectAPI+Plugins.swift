import Foundation

extension KafkaConnectAPI {
    /// Plugins of other kinds that a worker lists when `connectorsOnly=false`.
    static let otherPlugins: [KafkaConnectWire.PluginInfo] = [
        .init(className: "org.apache.kafka.connect.json.JsonConverter", type: "converter", version: "4.2.0"),
        .init(className: "org.apache.kafka.connect.storage.StringConverter", type: "converter", version: "4.2.0"),
        .init(
            className: "org.apache.kafka.connect.storage.SimpleHeaderConverter", type: "header_converter",
            version: "4.2.0"),
        .init(className: "org.apache.kafka.connect.transforms.RegexRouter", type: "transformation", version: "4.2.0"),
        .init(
            className: "org.apache.kafka.connect.transforms.predicates.TopicNameMatches", type: "predicate",
            version: "4.2.0"),
    ]

    /// `GET /connector-plugins?connectorsOnly=`: connectors, or (with `false`) every plugin.
    func listConnectorPlugins(_ request: SimulatorRequest) throws -> SimulatorResponse {
        let connectorsOnly = request.query["connectorsOnly"]?.lowercased() != "false"
        let connectors = configuration.plugins.sorted { $0.className < $1.className }.map {
            KafkaConnectWire.PluginInfo(className: $0.className, type: $0.type.rawValue, version: $0.version)
        }
        return .json(connectorsOnly ? connectors : connectors + Self.otherPlugins)
    }

    /// `GET /connector-plugins/{plugin}/config`: the plugin's keys, then Connect's.
    func getConnectorConfigDef(_ route: RouteMatch) throws -> SimulatorResponse {
        let name = route["pluginName"]
        guard let plugin = store.read({ $0.plugin(named: name) }) else {
            throw KafkaConnectSimulatorError.notFound("Unknown plugin \(name).")
        }
        let own = ConnectConfigDefs.plugin(plugin)
        let names = Set(own.map(\.name))
        let keys = own + ConnectConfigDefs.base(plugin.type).filter { !names.contains($0.name) }
        return .json(keys.map(KafkaConnectWire.ConfigKeyInfo.init))
    }

    /// `PUT /connector-plugins/{plugin}/config/validate`: 200 with every key's errors, even when
    /// invalid; 400 when the body's `connector.class` is another plugin or missing.
    func validateConfigs(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let pluginName = route["pluginName"]
        let config = try configBody(request)
        guard let className = config["connector.class"] ?? nil else {
            throw KafkaConnectSimulatorError.badRequest("Connector config contains no connector type")
        }
        guard KafkaConnectState.pruned(className).hasSuffix(KafkaConnectState.pruned(pluginName)) else {
            throw KafkaConnectSimulatorError.badRequest(
                "Included connector type \(className) does not match request type \(pluginName)")
        }
        let plugin = try store.read { state throws(KafkaConnectSimulatorError) in
            try state.connectorPlugin(className)
        }
        return .json(KafkaConnectWire.ConfigInfos(ConfigValidation(config, plugin: plugin)))
    }
}
