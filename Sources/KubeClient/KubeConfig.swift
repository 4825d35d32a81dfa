import Foundation
import Yams

/// A kubeconfig file: named clusters, users and contexts, and the current context.
///
/// The model follows the `v1` `Config` of client-go's `clientcmd` with the fields
/// this client uses; `preferences`, `extensions` and `auth-provider` are ignored
/// when decoding and never written back.
///
/// Guarantees:
/// - ``load(paths:allowMissing:)`` merges files with client-go's rules: the first
///   file to define a named cluster, user or context wins, and the first non-empty
///   `current-context` wins.
/// - Relative file paths (`certificate-authority`, `client-certificate`,
///   `client-key`, `tokenFile`, and an exec `command` that contains a `/`) are
///   resolved against the directory of the file that defined them.
public struct KubeConfig: Codable, Sendable, Hashable {
    /// Clusters by name, in file order.
    public var clusters: [NamedCluster]
    /// Users (client-go's `AuthInfo`) by name, in file order.
    public var users: [NamedUser]
    /// Contexts by name, in file order.
    public var contexts: [NamedContext]
    /// The context used when none is named; `nil` or empty when unset.
    public var currentContext: String?

    /// Creates a kubeconfig from its parts.
    public init(
        clusters: [NamedCluster] = [],
        users: [NamedUser] = [],
        contexts: [NamedContext] = [],
        currentContext: String? = nil
    ) {
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
        self.currentContext = currentContext
    }

    private enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    /// Decodes a kubeconfig, treating absent or `null` lists as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clusters = try container.decodeIfPresent([NamedCluster].self, forKey: .clusters) ?? []
        users = try container.decodeIfPresent([NamedUser].self, forKey: .users) ?? []
        contexts = try container.decodeIfPresent([NamedContext].self, forKey: .contexts) ?? []
        currentContext = try container.decodeIfPresent(String.self, forKey: .currentContext)
    }

    /// Encodes the kubeconfig with the upstream key names.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clusters, forKey: .clusters)
        try container.encode(users, forKey: .users)
        try container.encode(contexts, forKey: .contexts)
        try container.encodeIfPresent(currentContext, forKey: .currentContext)
    }

    /// The first cluster called `name`.
    public func cluster(named name: String) -> Cluster? {
        clusters.first { $0.name == name }?.cluster
    }

    /// The first user called `name`.
    public func user(named name: String) -> User? {
        users.first { $0.name == name }?.user
    }

    /// The first context called `name`.
    public func context(named name: String) -> Context? {
        contexts.first { $0.name == name }?.context
    }
}

// MARK: - Entries

extension KubeConfig {
    /// How to reach one API server.
    public struct Cluster: Codable, Sendable, Hashable {
        /// The API server's address, such as `https://10.0.0.1:6443`.
        public var server: String?
        /// Path of a PEM file holding the certificate authorities to trust.
        public var certificateAuthority: String?
        /// Base64 of the PEM certificate authorities; wins over ``certificateAuthority``.
        public var certificateAuthorityData: String?
        /// Skips verification of the server's certificate. Only for development.
        public var insecureSkipTLSVerify: Bool?
        /// The name to verify the server's certificate against, when it differs from the host.
        public var tlsServerName: String?
        /// An HTTP(S) or SOCKS5 proxy for requests to this cluster.
        public var proxyURL: String?

        /// Creates a cluster entry.
        public init(
            server: String? = nil,
            certificateAuthority: String? = nil,
            certificateAuthorityData: String? = nil,
            insecureSkipTLSVerify: Bool? = nil,
            tlsServerName: String? = nil,
            proxyURL: String? = nil
        ) {
            self.server = server
            self.certificateAuthority = certificateAuthority
            self.certificateAuthorityData = certificateAuthorityData
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
            self.proxyURL = proxyURL
        }

        private enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
        }
    }

    /// How to authenticate: client-go's `AuthInfo`.
    public struct User: Codable, Sendable, Hashable {
        /// A bearer token.
        public var token: String?
        /// Path of a file holding a bearer token; re-read as it rotates.
        public var tokenFile: String?
        /// Path of a PEM client certificate.
        public var clientCertificate: String?
        /// Base64 of a PEM client certificate; wins over ``clientCertificate``.
        public var clientCertificateData: String?
        /// Path of a PEM client key.
        public var clientKey: String?
        /// Base64 of a PEM client key; wins over ``clientKey``.
        public var clientKeyData: String?
        /// User name for basic authentication.
        public var username: String?
        /// Password for basic authentication.
        public var password: String?
        /// A credential plugin to run for a token or client certificate.
        public var exec: ExecConfig?

        /// Creates a user entry.
        public init(
            token: String? = nil,
            tokenFile: String? = nil,
            clientCertificate: String? = nil,
            clientCertificateData: String? = nil,
            clientKey: String? = nil,
            clientKeyData: String? = nil,
            username: String? = nil,
            password: String? = nil,
            exec: ExecConfig? = nil
        ) {
            self.token = token
            self.tokenFile = tokenFile
            self.clientCertificate = clientCertificate
            self.clientCertificateData = clientCertificateData
            self.clientKey = clientKey
            self.clientKeyData = clientKeyData
            self.username = username
            self.password = password
            self.exec = exec
        }

        private enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
        }
    }

    /// A cluster, a user and a default namespace, under one name.
    public struct Context: Codable, Sendable, Hashable {
        /// Name of the cluster entry.
        public var cluster: String
        /// Name of the user entry; empty for anonymous access.
        public var user: String
        /// The namespace for namespaced requests that name none.
        public var namespace: String?

        /// Creates a context entry.
        public init(cluster: String, user: String = "", namespace: String? = nil) {
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }

        private enum CodingKeys: String, CodingKey {
            case cluster, user, namespace
        }

        /// Decodes a context; a missing `cluster` or `user` reads as empty, as in client-go.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            cluster = try container.decodeIfPresent(String.self, forKey: .cluster) ?? ""
            user = try container.decodeIfPresent(String.self, forKey: .user) ?? ""
            namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
        }
    }

    /// A ``Cluster`` under its name.
    public struct NamedCluster: Codable, Sendable, Hashable {
        /// The name contexts refer to.
        public var name: String
        /// The cluster.
        public var cluster: Cluster

        /// Creates a named cluster.
        public init(name: String, cluster: Cluster) {
            self.name = name
            self.cluster = cluster
        }
    }

    /// A ``User`` under its name.
    public struct NamedUser: Codable, Sendable, Hashable {
        /// The name contexts refer to.
        public var name: String
        /// The user.
        public var user: User

        /// Creates a named user.
        public init(name: String, user: User) {
            self.name = name
            self.user = user
        }
    }

    /// A ``Context`` under its name.
    public struct NamedContext: Codable, Sendable, Hashable {
        /// The name `current-context` and `--context` refer to.
        public var name: String
        /// The context.
        public var context: Context

        /// Creates a named context.
        public init(name: String, context: Context) {
            self.name = name
            self.context = context
        }
    }
}

/// A credential plugin, as in the `exec` section of a kubeconfig user.
///
/// The plugin prints an `ExecCredential` (`client.authentication.k8s.io/v1` or
/// `v1beta1`) on standard output; ``CredentialProvider`` runs it and caches the result.
public struct ExecConfig: Codable, Sendable, Hashable {
    /// One environment variable given to the plugin.
    public struct EnvVar: Codable, Sendable, Hashable {
        /// The variable's name.
        public var name: String
        /// The variable's value.
        public var value: String

        /// Creates an environment variable.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Whether the plugin may prompt on standard input.
    ///
    /// An open set, so that a value this client does not know is reported when
    /// the configuration is resolved rather than failing the whole file.
    public struct InteractiveMode: RawRepresentable, Codable, Sendable, Hashable {
        /// The value as written in the kubeconfig.
        public var rawValue: String
        /// Creates a mode from its kubeconfig spelling.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The plugin never needs standard input.
        public static let never = InteractiveMode(rawValue: "Never")
        /// The plugin uses standard input when it is a terminal.
        public static let ifAvailable = InteractiveMode(rawValue: "IfAvailable")
        /// The plugin needs a terminal; an operator cannot offer one.
        public static let always = InteractiveMode(rawValue: "Always")
    }

    /// `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`.
    public var apiVersion: String
    /// The program to run: a path (absolute once loaded) or a name looked up in `PATH`.
    public var command: String
    /// Arguments passed to the program.
    public var args: [String]
    /// Variables set for the program, over the operator's own environment.
    public var env: [EnvVar]
    /// Whether the plugin may prompt; required by client-go for `v1`.
    public var interactiveMode: InteractiveMode?
    /// Whether to pass the cluster's address and CA in `KUBERNETES_EXEC_INFO`.
    public var provideClusterInfo: Bool
    /// Shown when the program cannot be found.
    public var installHint: String?

    /// Creates a plugin configuration.
    public init(
        apiVersion: String,
        command: String,
        args: [String] = [],
        env: [EnvVar] = [],
        interactiveMode: InteractiveMode? = nil,
        provideClusterInfo: Bool = false,
        installHint: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.interactiveMode = interactiveMode
        self.provideClusterInfo = provideClusterInfo
        self.installHint = installHint
    }

    private enum CodingKeys: String, CodingKey {
        case apiVersion, command, args, env, interactiveMode, provideClusterInfo, installHint
    }

    /// Decodes a plugin configuration; absent lists read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? ""
        command = try container.decodeIfPresent(String.self, forKey: .command) ?? ""
        args = try container.decodeIfPresent([String].self, forKey: .args) ?? []
        env = try container.decodeIfPresent([EnvVar].self, forKey: .env) ?? []
        interactiveMode = try container.decodeIfPresent(InteractiveMode.self, forKey: .interactiveMode)
        provideClusterInfo = try container.decodeIfPresent(Bool.self, forKey: .provideClusterInfo) ?? false
        installHint = try container.decodeIfPresent(String.self, forKey: .installHint)
    }

    /// Encodes the plugin configuration with the upstream key names.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(apiVersion, forKey: .apiVersion)
        try container.encode(command, forKey: .command)
        if !args.isEmpty { try container.encode(args, forKey: .args) }
        if !env.isEmpty { try container.encode(env, forKey: .env) }
        try container.encodeIfPresent(interactiveMode, forKey: .interactiveMode)
        if provideClusterInfo { try container.encode(true, forKey: .provideClusterInfo) }
        try container.encodeIfPresent(installHint, forKey: .installHint)
    }
}

// MARK: - Errors

/// A kubeconfig or in-cluster configuration that cannot be loaded or used.
///
/// The message says what was being done and names the files involved; it never
/// contains a token, password or key.
public struct KubeConfigError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in a form short enough for a metric label.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case noConfiguration, unreadableFile, invalidFile
            case noCurrentContext, contextNotFound, clusterNotFound, userNotFound
            case invalidCluster, invalidUser, notInCluster
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No kubeconfig file exists where one was looked for.
        public static let noConfiguration = Code(.noConfiguration)
        /// A file exists but could not be read.
        public static let unreadableFile = Code(.unreadableFile)
        /// A kubeconfig file is not valid YAML or not a kubeconfig.
        public static let invalidFile = Code(.invalidFile)
        /// No context was named and `current-context` is unset.
        public static let noCurrentContext = Code(.noCurrentContext)
        /// The named context is in none of the files.
        public static let contextNotFound = Code(.contextNotFound)
        /// The context refers to a cluster that is in none of the files.
        public static let clusterNotFound = Code(.clusterNotFound)
        /// The context refers to a user that is in none of the files.
        public static let userNotFound = Code(.userNotFound)
        /// The cluster entry cannot be used (no server, bad base64, …).
        public static let invalidCluster = Code(.invalidCluster)
        /// The user entry cannot be used (two auth methods, bad exec section, …).
        public static let invalidUser = Code(.invalidUser)
        /// The in-cluster environment or service-account files are missing.
        public static let notInCluster = Code(.notInCluster)

        /// The short form, such as `contextNotFound`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The full explanation.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The full explanation.
    public var description: String { message }
}

// MARK: - Loading

/// A kubeconfig merged from one or more files, with the files it was read from.
public struct LoadedKubeConfig: Sendable, Hashable {
    /// The merged configuration; file paths in it are absolute.
    public var config: KubeConfig
    /// The files that were read, in precedence order.
    public var files: [String]

    /// Creates a loaded configuration.
    public init(config: KubeConfig, files: [String]) {
        self.config = config
        self.files = files
    }

    /// A context with the cluster and user entries it refers to.
    public struct Selection: Sendable, Hashable {
        /// The context's name.
        public var contextName: String
        /// The context.
        public var context: KubeConfig.Context
        /// The cluster the context refers to.
        public var cluster: KubeConfig.Cluster
        /// The user the context refers to; `nil` when the context names none.
        public var user: KubeConfig.User?
    }

    /// Selects the context called `name`, or the current context when `name` is `nil` or empty.
    ///
    /// - Throws: ``KubeConfigError`` naming the missing context, cluster or user
    ///   and the files that were read.
    public func select(context name: String? = nil) throws -> Selection {
        let contextName: String
        if let name, !name.isEmpty {
            contextName = name
        } else if let current = config.currentContext, !current.isEmpty {
            contextName = current
        } else {
            throw KubeConfigError(
                .noCurrentContext,
                "no context named and current-context is not set in kubeconfig (read \(filesDescription))"
            )
        }
        guard let context = config.context(named: contextName) else {
            throw KubeConfigError(
                .contextNotFound,
                "context \"\(contextName)\" not found in kubeconfig (read \(filesDescription))"
            )
        }
        guard let cluster = config.cluster(named: context.cluster) else {
            throw KubeConfigError(
                .clusterNotFound,
                "cluster \"\(context.cluster)\" of context \"\(contextName)\" not found in kubeconfig (read \(filesDescription))"
            )
        }
        var user: KubeConfig.User?
        if !context.user.isEmpty {
            guard let found = config.user(named: context.user) else {
                throw KubeConfigError(
                    .userNotFound,
                    "user \"\(context.user)\" of context \"\(contextName)\" not found in kubeconfig (read \(filesDescription))"
                )
            }
            user = found
        }
        return Selection(contextName: contextName, context: context, cluster: cluster, user: user)
    }

    /// The files read, for error messages.
    var filesDescription: String {
        files.isEmpty ? "no files" : files.joined(separator: ", ")
    }
}

extension KubeConfig {
    /// The files kubectl would read: those in `KUBECONFIG` (separated by `:`),
    /// or else `~/.kube/config`.
    ///
    /// `HOME` is taken from `environment`, so tests can point it elsewhere.
    public static func defaultPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let list = environment["KUBECONFIG"] {
            let paths = list.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
            if !paths.isEmpty { return paths }
        }
        return [homeKubeconfigPath(environment: environment)]
    }

    /// `$HOME/.kube/config`, with the user's home directory when `HOME` is unset.
    static func homeKubeconfigPath(environment: [String: String]) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path
        return URL(fileURLWithPath: home).appendingPathComponent(".kube/config").path
    }

    /// Reads and merges kubeconfig files.
    ///
    /// Each file's relative paths are resolved against its own directory before
    /// merging. A path that appears twice is read once.
    ///
    /// - Parameters:
    ///   - paths: Files in precedence order.
    ///   - allowMissing: Skip files that do not exist, as client-go does for
    ///     `KUBECONFIG`; when `false` a missing file is an error, as for `--kubeconfig`.
    /// - Throws: ``KubeConfigError`` when no file exists, or one cannot be read or parsed.
    public static func load(paths: [String], allowMissing: Bool = true) throws -> LoadedKubeConfig {
        var configs: [KubeConfig] = []
        var read: [String] = []
        for path in paths {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            if read.contains(absolute) { continue }
            guard FileManager.default.fileExists(atPath: absolute) else {
                if allowMissing { continue }
                throw KubeConfigError(.noConfiguration, "kubeconfig file \(absolute) does not exist")
            }
            configs.append(try load(file: absolute))
            read.append(absolute)
        }
        guard !configs.isEmpty else {
            throw KubeConfigError(
                .noConfiguration,
                "no kubeconfig found: none of \(paths.isEmpty ? "(no paths)" : paths.joined(separator: ", ")) exists"
            )
        }
        return LoadedKubeConfig(config: merged(configs), files: read)
    }

    /// Reads one kubeconfig file and resolves its relative paths against its directory.
    ///
    /// - Throws: ``KubeConfigError`` naming the file when it cannot be read or parsed.
    public static func load(file path: String) throws -> KubeConfig {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw KubeConfigError(.unreadableFile, "cannot read kubeconfig \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KubeConfigError(.invalidFile, "kubeconfig \(url.path) is not UTF-8 text")
        }
        do {
            return try decode(yaml: text).resolvingPaths(relativeTo: url.deletingLastPathComponent())
        } catch let error as KubeConfigError {
            throw KubeConfigError(error.code, "in kubeconfig \(url.path): \(error.message)")
        }
    }

    /// Parses kubeconfig YAML (or JSON). An empty document is an empty configuration.
    ///
    /// - Throws: ``KubeConfigError`` with code ``KubeConfigError/Code/invalidFile``.
    public static func decode(yaml: String) throws -> KubeConfig {
        do {
            guard let node = try Yams.compose(yaml: yaml) else { return KubeConfig() }
            if case .scalar(let scalar) = node, scalar.tag == Tag(.null) || scalar.string.isEmpty {
                return KubeConfig()
            }
            return try YAMLDecoder().decode(KubeConfig.self, from: node)
        } catch let error as DecodingError {
            throw KubeConfigError(.invalidFile, "not a kubeconfig: \(Self.describe(error))")
        } catch {
            throw KubeConfigError(.invalidFile, "not valid YAML: \(error)")
        }
    }

    /// Merges configurations with client-go's rules: the first to define a name wins,
    /// and the first non-empty `current-context` wins.
    public static func merged(_ configs: [KubeConfig]) -> KubeConfig {
        var result = KubeConfig()
        var clusterNames = Set<String>()
        var userNames = Set<String>()
        var contextNames = Set<String>()
        for config in configs {
            for entry in config.clusters where clusterNames.insert(entry.name).inserted {
                result.clusters.append(entry)
            }
            for entry in config.users where userNames.insert(entry.name).inserted {
                result.users.append(entry)
            }
            for entry in config.contexts where contextNames.insert(entry.name).inserted {
                result.contexts.append(entry)
            }
            if result.currentContext?.isEmpty ?? true, let current = config.currentContext, !current.isEmpty {
                result.currentContext = current
            }
        }
        return result
    }

    /// This configuration with every relative file path made absolute against `directory`.
    public func resolvingPaths(relativeTo directory: URL) -> KubeConfig {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.isEmpty, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL.path
        }
        var copy = self
        for index in copy.clusters.indices {
            let cluster = copy.clusters[index].cluster
            copy.clusters[index].cluster.certificateAuthority = resolve(cluster.certificateAuthority)
        }
        for index in copy.users.indices {
            var user = copy.users[index].user
            user.clientCertificate = resolve(user.clientCertificate)
            user.clientKey = resolve(user.clientKey)
            user.tokenFile = resolve(user.tokenFile)
            // A bare command name is looked up in PATH; only a path is relative to the file.
            if var exec = user.exec, exec.command.contains("/"), let command = resolve(exec.command) {
                exec.command = command
                user.exec = exec
            }
            copy.users[index].user = user
        }
        return copy
    }

    /// A one-line account of a decoding error: the key path and what was wrong.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            var text = ""
            for key in context.codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "document" : text
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing \"\(key.stringValue)\""
        @unknown default:
            return "\(error)"
        }
    }
}
