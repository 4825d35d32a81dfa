import Foundation
import KubeAPI
import PlatformAPI

/// How connector configurations refer to secret values: never the value
/// itself, always a Kafka Connect config provider placeholder (KIP-297), which
/// the worker resolves when it starts the connector.
public enum SecretReferenceStyle: Sendable, Hashable {
    /// Strimzi's `KubernetesSecretConfigProvider`, which reads the Secret through
    /// the Kubernetes API: `${<alias>:<namespace>/<secret>:<key>}`.
    case kubernetesSecret(alias: String)
    /// Kafka's `DirectoryConfigProvider` with every Secret mounted as a directory
    /// `<mountPath>/<secret>/` holding one file per key: `${<alias>:<mountPath>/<secret>:<key>}`.
    case directory(alias: String, mountPath: String)
    /// Kafka's `FileConfigProvider` with one properties file per Secret:
    /// `${<alias>:<mountPath>/<secret>.properties:<key>}`.
    case file(alias: String, mountPath: String)

    /// The alias Strimzi's documentation registers the Kubernetes provider under.
    public static let defaultKubernetesSecretAlias = "secrets"
    /// The usual alias of the directory provider.
    public static let defaultDirectoryAlias = "directory"
    /// The usual alias of the file provider.
    public static let defaultFileAlias = "file"

    /// The placeholder for one key of a Secret in `namespace`.
    ///
    /// Caveat: the directory and file styles address Secrets by name only (they
    /// are mounted into the Connect workers), so objects in different namespaces
    /// that name Secrets alike share one mount.
    public func placeholder(namespace: String, secret: String, key: String) -> String {
        switch self {
        case .kubernetesSecret(let alias):
            "${\(alias):\(namespace)/\(secret):\(key)}"
        case .directory(let alias, let mountPath):
            "${\(alias):\(Self.trimmed(mountPath))/\(secret):\(key)}"
        case .file(let alias, let mountPath):
            "${\(alias):\(Self.trimmed(mountPath))/\(secret).properties:\(key)}"
        }
    }

    /// The path of a Secret key as a plain file on the workers, when this style mounts Secrets so.
    public func mountedFile(secret: String, key: String) -> String? {
        guard case .directory(_, let mountPath) = self else { return nil }
        return "\(Self.trimmed(mountPath))/\(secret)/\(key)"
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

/// A Secret, by namespace and name.
public struct SecretRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (lhs: SecretRef, rhs: SecretRef) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}

/// What the operator's configuration adds to the rendering of a ``CDCConnector``.
public struct CDCRenderSettings: Sendable, Hashable {
    /// Tabular's Iceberg sink, the one the operator renders for by default.
    ///
    /// The Apache Iceberg sink (`org.apache.iceberg.connect.IcebergSinkConnector`) is
    /// append-only: the code donated to Apache left out Tabular's delta writers, so it
    /// has neither `iceberg.tables.upsert-mode-enabled` nor `iceberg.tables.cdc-field`
    /// (apache/iceberg#10842, #13986, #17542). Tabular's connector
    /// (tabular-io/iceberg-kafka-connect, continued as databricks/iceberg-kafka-connect)
    /// upserts by identifier fields (`id-columns`) and applies deletes, which
    /// ``IcebergSink/upsert`` needs.
    public static let tabularIcebergSinkClass = "io.tabular.iceberg.connect.IcebergSinkConnector"
    /// The Apache Iceberg sink: appends only; for use with `upsert: false`.
    public static let apacheIcebergSinkClass = "org.apache.iceberg.connect.IcebergSinkConnector"
    /// Tabular's SMT that flattens a Debezium envelope and adds `_cdc.op` / `_cdc.source`.
    public static let tabularDebeziumTransformClass = "io.tabular.iceberg.connect.transforms.DebeziumTransform"
    /// The same SMT as shipped with the Apache Iceberg sink.
    public static let apacheDebeziumTransformClass = "org.apache.iceberg.connect.transforms.DebeziumTransform"
    /// ClickHouse's own Kafka Connect sink.
    public static let defaultClickHouseSinkClass = "com.clickhouse.kafka.connect.ClickHouseSinkConnector"

    /// How secret values are referred to.
    public var secretReferences: SecretReferenceStyle
    /// The Kafka brokers, for Debezium MySQL's schema-history topic; a MySQL
    /// source cannot be rendered without them.
    public var kafkaBootstrapServers: String?
    /// The Iceberg sink's connector class.
    public var icebergSinkClass: String
    /// The Debezium SMT the Iceberg sink applies; it must come with ``icebergSinkClass``.
    public var icebergDebeziumTransformClass: String
    /// The ClickHouse sink's connector class.
    public var clickHouseSinkClass: String
    /// ClickHouse's HTTP(S) URL when a sink names none.
    public var defaultClickHouseURL: String?
    /// A Secret with keys `username` and `password` for ClickHouse when a sink names no credentials.
    public var defaultClickHouseCredentialsSecret: SecretRef?
    /// `key.converter` of every rendered connector; the worker's when nil.
    public var keyConverter: String?
    /// `value.converter` of every rendered connector; the worker's when nil.
    public var valueConverter: String?
    /// Further `key.converter.*` / `value.converter.*` settings (schema registry URL,
    /// `schemas.enable`) of every rendered connector, so sinks read what the source wrote.
    public var converterProperties: [String: String]

    public init(
        secretReferences: SecretReferenceStyle = .kubernetesSecret(
            alias: SecretReferenceStyle.defaultKubernetesSecretAlias),
        kafkaBootstrapServers: String? = nil, icebergSinkClass: String = CDCRenderSettings.tabularIcebergSinkClass,
        icebergDebeziumTransformClass: String = CDCRenderSettings.tabularDebeziumTransformClass,
        clickHouseSinkClass: String = CDCRenderSettings.defaultClickHouseSinkClass, defaultClickHouseURL: String? = nil,
        defaultClickHouseCredentialsSecret: SecretRef? = nil, keyConverter: String? = nil,
        valueConverter: String? = nil, converterProperties: [String: String] = [:]
    ) {
        self.secretReferences = secretReferences
        self.kafkaBootstrapServers = kafkaBootstrapServers
        self.icebergSinkClass = icebergSinkClass
        self.icebergDebeziumTransformClass = icebergDebeziumTransformClass
        self.clickHouseSinkClass = clickHouseSinkClass
        self.defaultClickHouseURL = defaultClickHouseURL
        self.defaultClickHouseCredentialsSecret = defaultClickHouseCredentialsSecret
        self.keyConverter = keyConverter
        self.valueConverter = valueConverter
        self.converterProperties = converterProperties
    }

    /// The converter keys rendered into every connector.
    var converterConfig: [String: String] {
        var config = converterProperties
        if let keyConverter { config["key.converter"] = keyConverter }
        if let valueConverter { config["value.converter"] = valueConverter }
        return config
    }
}

/// One Kafka Connect connector as the operator wants it.
public struct RenderedConnector: Sendable, Hashable {
    /// What the connector does for its CDCConnector.
    public enum Role: Sendable, Hashable {
        case source
        case sink(SinkType)
    }

    /// The connector's name in Kafka Connect.
    public var name: String
    public var role: Role
    /// `connector.class`, for `PUT /connector-plugins/{plugin}/config/validate`.
    public var pluginClass: String
    /// The whole configuration, `name` and `connector.class` included, as Kafka
    /// Connect returns it from `GET /connectors/{name}/config`.
    public var config: [String: String]

    public init(name: String, role: Role, pluginClass: String, config: [String: String]) {
        self.name = name
        self.role = role
        self.pluginClass = pluginClass
        self.config = config
    }
}

/// A spec the operator cannot turn into connector configurations. Terminal:
/// it stays until the spec (or the operator's configuration) changes.
public struct RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault, e.g. `spec.sinks.iceberg.config[iceberg.tables]`.
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// The pure half of the CDCConnector reconciler: from a CDCConnector and the
/// operator's settings, the Debezium source and sink connector configurations.
///
/// Guarantees: the same input gives the same maps (no dates, no random ids,
/// lists in spec order), so comparing with the live configuration only finds
/// real changes. Secret values never appear, only config provider placeholders.
public enum CDCConnectorRendering {
    /// The connectors of `object`: the source first, then the Iceberg sink, then the ClickHouse sink.
    public static func render(
        _ object: CDCConnector, settings: CDCRenderSettings
    ) throws(RenderError)
        -> [RenderedConnector]
    {
        let context = Context(object: object, settings: settings)
        var connectors = [try renderSource(context)]
        if let iceberg = object.spec.sinks?.iceberg {
            connectors.append(try renderIceberg(iceberg, context))
        }
        if let clickHouse = object.spec.sinks?.clickHouse {
            connectors.append(try renderClickHouse(clickHouse, context))
        }
        return connectors
    }

    /// The source connector's name, `<namespace>.<name>`.
    public static func sourceConnectorName(namespace: String, name: String) -> String {
        "\(namespace).\(name)"
    }

    /// A sink connector's name, `<namespace>.<name>.iceberg` or `<namespace>.<name>.clickhouse`.
    public static func sinkConnectorName(namespace: String, name: String, sink: SinkType) -> String {
        switch sink {
        case .iceberg: "\(namespace).\(name).iceberg"
        case .clickHouse: "\(namespace).\(name).clickhouse"
        }
    }

    /// The topics the source writes, one per table in spec order:
    /// `<topicPrefix>.<schema>.<table>` (Postgres) or `<topicPrefix>.<database>.<table>` (MySQL).
    /// Characters Kafka does not allow in topic names (`$`) become `_`, as Debezium's
    /// topic naming strategy does.
    public static func topics(of object: CDCConnector) -> [String] {
        object.spec.tables.map { topic(prefix: object.spec.topicPrefix, table: $0) }
    }

    /// `sha256:<hex>` of the configuration's canonical form: one `key=value` line
    /// per key in sorted order, with `\`, newlines and (in keys) `=` escaped, so
    /// two maps hash alike exactly when they are equal.
    public static func configHash(_ config: [String: String]) -> String {
        var canonical = ""
        for key in config.keys.sorted() {
            canonical += escape(key, equals: true) + "=" + escape(config[key] ?? "", equals: false) + "\n"
        }
        return "sha256:" + SHA256Hex.hex(Array(canonical.utf8))
    }

    /// One Secret key a rendered configuration refers to, and the spec (or operator
    /// configuration) field that names it.
    public struct SecretUse: Sendable, Hashable {
        public var secret: SecretRef
        public var key: String
        public var field: String
    }

    /// Every Secret key the rendered configurations refer to, in spec order, so the
    /// reconciler can check they exist and notice a rotation (which needs a restart
    /// before the config provider reads the new value).
    public static func secretUses(of object: CDCConnector, settings: CDCRenderSettings) -> [SecretUse] {
        let namespace = namespace(of: object)
        let spec = object.spec
        func use(_ selector: SecretKeySelector, _ field: String) -> SecretUse {
            SecretUse(secret: SecretRef(namespace: namespace, name: selector.name), key: selector.key, field: field)
        }
        var uses = [use(spec.database.passwordSecretRef, "spec.database.passwordSecretRef")]
        if spec.engine == .postgres, let ca = spec.database.tls?.caSecretRef,
            settings.secretReferences.mountedFile(secret: ca.name, key: ca.key) != nil
        {
            uses.append(use(ca, "spec.database.tls.caSecretRef"))
        }
        if let iceberg = spec.sinks?.iceberg {
            for (key, selector) in (iceberg.catalog.secretProperties ?? [:]).sorted(by: { $0.key < $1.key }) {
                uses.append(use(selector, "spec.sinks.iceberg.catalog.secretProperties[\(key)]"))
            }
        }
        if let clickHouse = spec.sinks?.clickHouse {
            if let auth = clickHouse.endpoint?.basicAuth {
                uses.append(use(auth.usernameSecretRef, "spec.sinks.clickHouse.endpoint.basicAuth.usernameSecretRef"))
                uses.append(use(auth.passwordSecretRef, "spec.sinks.clickHouse.endpoint.basicAuth.passwordSecretRef"))
            } else if let secret = settings.defaultClickHouseCredentialsSecret {
                uses.append(SecretUse(secret: secret, key: "username", field: "clickhouse.credentialsSecret"))
                uses.append(SecretUse(secret: secret, key: "password", field: "clickhouse.credentialsSecret"))
            }
        }
        return uses
    }

    /// The Secrets of ``secretUses(of:settings:)``, sorted and without repeats.
    public static func referencedSecrets(of object: CDCConnector, settings: CDCRenderSettings) -> [SecretRef] {
        Array(Set(secretUses(of: object, settings: settings).map(\.secret))).sorted()
    }

    /// The logical replication slot of a Postgres source: `spec.postgres.slotName`, or one derived from the object.
    public static func slotName(of object: CDCConnector) -> String {
        object.spec.postgres?.slotName
            ?? derivedReplicationName(namespace: namespace(of: object), name: name(of: object))
    }

    /// The publication of a Postgres source: `spec.postgres.publicationName`, or one derived from the object.
    public static func publicationName(of object: CDCConnector) -> String {
        object.spec.postgres?.publicationName
            ?? derivedReplicationName(namespace: namespace(of: object), name: name(of: object))
    }

    /// A slot or publication name unique to one object, within Postgres' limits
    /// (63 bytes, `[a-z0-9_]`, starting with a letter so it is a plain identifier).
    ///
    /// `<namespace>_<name>` when both parts are `[a-z0-9]` only and it fits; otherwise
    /// the parts with other characters replaced by `_`, cut to fit, then `_` and 8 hex
    /// digits of SHA-256 of `<namespace>/<name>`, so objects whose names differ only
    /// in replaced characters (`a-b/c`, `a/b-c`) still get different names.
    public static func derivedReplicationName(namespace: String, name: String) -> String {
        let plain = namespace + "_" + name
        let lossless =
            [namespace, name].allSatisfy { part in
                !part.isEmpty && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            } && plain.first?.isLetter == true && plain.utf8.count <= 63
        if lossless { return plain }
        var base = String(
            plain.lowercased().unicodeScalars.map { scalar -> Character in
                ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
        if base.first?.isLetter != true { base = "cdc_" + base }
        let suffix = "_" + SHA256Hex.hex(Array("\(namespace)/\(name)".utf8)).prefix(8)
        return String(base.prefix(63 - suffix.count)) + suffix
    }

    // MARK: - Shared helpers

    /// What every part of the rendering needs.
    struct Context {
        var object: CDCConnector
        var settings: CDCRenderSettings
        var namespace: String
        var name: String

        init(object: CDCConnector, settings: CDCRenderSettings) {
            self.object = object
            self.settings = settings
            self.namespace = CDCConnectorRendering.namespace(of: object)
            self.name = CDCConnectorRendering.name(of: object)
        }

        var spec: CDCConnectorSpec { object.spec }

        func placeholder(_ selector: SecretKeySelector) -> String {
            settings.secretReferences.placeholder(namespace: namespace, secret: selector.name, key: selector.key)
        }
    }

    /// Objects read from the API server always have a namespace; `default` stands in for a bare value.
    static func namespace(of object: CDCConnector) -> String { object.metadata.namespace ?? "default" }

    static func name(of object: CDCConnector) -> String { object.metadata.name ?? "" }

    static func topic(prefix: String, table: String) -> String {
        let name = "\(prefix).\(table)"
        return String(
            name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            })
    }

    /// A literal as a Java regular expression: Debezium's include lists and the
    /// Iceberg sink's `route-regex` are regexes matched against the whole name, so
    /// `public.trades` unescaped would also match `publicXtrades`.
    static func regexLiteral(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\.[]{}()*+?^$|".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// Adds pass-through configuration, rejecting keys the operator owns or rendered.
    static func mergePassThrough(
        _ extra: [String: String]?, into config: inout [String: String], reserved: Set<String>, field: String
    ) throws(RenderError) {
        guard let extra else { return }
        for key in extra.keys.sorted() where reserved.contains(key) || config[key] != nil {
            throw RenderError(
                field: "\(field)[\(key)]",
                message: "the operator renders this key from the spec; set the matching spec field instead")
        }
        config.merge(extra) { rendered, _ in rendered }
    }

    private static func escape(_ text: String, equals: Bool) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "=" where equals: result += "\\="
            default: result.append(character)
            }
        }
        return result
    }
}
