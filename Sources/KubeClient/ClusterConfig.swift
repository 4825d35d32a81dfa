import Foundation
import Logging

/// Everything the transport needs to talk to one API server: where it is, what to
/// trust, who we are.
///
/// Built from a kubeconfig (``fromKubeconfig(paths:context:environment:)``), from the
/// pod's service account (``inCluster(environment:serviceAccountDirectory:logger:)``),
/// or by the same search as controller-runtime's `config.GetConfig`
/// (``load(kubeconfig:context:environment:serviceAccountDirectory:logger:)``).
///
/// Guarantees: file contents (CA, client certificate and key) are read when the
/// configuration is built, so a bad path fails at start-up; token files and exec
/// plugins are read per request by ``CredentialProvider``, because they rotate.
///
/// Caveats: ``description`` never shows tokens, passwords or keys, but the value
/// itself holds them; do not log it with `dump`.
public struct ClusterConfig: Sendable, CustomStringConvertible {
    /// How requests authenticate, besides a client certificate.
    public enum Credentials: Sendable, Hashable, CustomStringConvertible {
        /// No `Authorization` header.
        case none
        /// A fixed bearer token.
        case bearerToken(String)
        /// A bearer token read from a file that may rotate (a projected service-account token).
        case tokenFile(path: String)
        /// HTTP basic authentication.
        case basic(username: String, password: String)
        /// A credential plugin that prints an `ExecCredential`.
        case exec(ExecConfig)

        /// The kind of credential, without its secret.
        public var description: String {
            switch self {
            case .none: "none"
            case .bearerToken: "bearerToken(redacted)"
            case .tokenFile(let path): "tokenFile(\(path))"
            case .basic(let username, _): "basic(\(username), redacted)"
            case .exec(let config): "exec(\(config.command))"
            }
        }
    }

    /// The API server's base URL, such as `https://10.96.0.1:443`.
    public var server: URL
    /// PEM certificate authorities to trust; `nil` means the system's trust store.
    public var caCertificatePEM: Data?
    /// Skips verification of the server's certificate. Only for development.
    public var insecureSkipTLSVerify: Bool
    /// The name to verify the server's certificate against, when it differs from the host.
    /// Caveat: read from kubeconfig but not applied — the HTTP transport verifies against the
    /// server URL's host; put that name in `server` (and resolve it) instead.
    public var tlsServerName: String?
    /// A PEM client certificate for mutual TLS.
    public var clientCertificatePEM: Data?
    /// The PEM private key of ``clientCertificatePEM``.
    public var clientKeyPEM: Data?
    /// An HTTP(S) (CONNECT, basic credentials from the URL) or SOCKS5 proxy to send requests through.
    public var proxyURL: URL?
    /// The namespace for namespaced requests that name none: the context's, or `default`.
    public var namespace: String
    /// How requests authenticate.
    public var credentials: Credentials
    /// The `User-Agent` header sent with every request.
    public var userAgent: String

    /// The `User-Agent` used unless one is set.
    public static let defaultUserAgent = "hmco-operator"
    /// Where Kubernetes mounts a pod's service-account token, CA and namespace.
    public static let defaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Creates a configuration from its parts.
    public init(
        server: URL,
        caCertificatePEM: Data? = nil,
        insecureSkipTLSVerify: Bool = false,
        tlsServerName: String? = nil,
        clientCertificatePEM: Data? = nil,
        clientKeyPEM: Data? = nil,
        proxyURL: URL? = nil,
        namespace: String = "default",
        credentials: Credentials = .none,
        userAgent: String = ClusterConfig.defaultUserAgent
    ) {
        self.server = server
        self.caCertificatePEM = caCertificatePEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.proxyURL = proxyURL
        self.namespace = namespace
        self.credentials = credentials
        self.userAgent = userAgent
    }

    /// The server, namespace and kind of credential; never a secret.
    public var description: String {
        "ClusterConfig(server: \(server.absoluteString), namespace: \(namespace), credentials: \(credentials)"
            + (clientCertificatePEM == nil ? "" : ", clientCertificate")
            + (insecureSkipTLSVerify ? ", insecureSkipTLSVerify" : "") + ")"
    }
}

// MARK: - From a kubeconfig

extension ClusterConfig {
    /// Builds the configuration of a kubeconfig context.
    ///
    /// - Parameters:
    ///   - paths: Kubeconfig files in precedence order; each must exist. When `nil`,
    ///     the files in `KUBECONFIG` (missing ones skipped) or else `~/.kube/config`.
    ///   - context: The context to use; `nil` for `current-context`.
    ///   - environment: Where `KUBECONFIG` and `HOME` are read.
    /// - Throws: ``KubeConfigError`` naming the context and the files read.
    public static func fromKubeconfig(
        paths: [String]? = nil,
        context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ClusterConfig {
        let loaded: LoadedKubeConfig
        if let paths {
            loaded = try KubeConfig.load(paths: paths, allowMissing: false)
        } else {
            loaded = try KubeConfig.load(paths: KubeConfig.defaultPaths(environment: environment))
        }
        return try ClusterConfig(loaded, context: context)
    }

    /// Builds the configuration of a context of an already loaded kubeconfig.
    ///
    /// - Throws: ``KubeConfigError`` when the context, its cluster or user is
    ///   missing or unusable, or a referenced file cannot be read.
    public init(_ loaded: LoadedKubeConfig, context: String? = nil) throws {
        let selection = try loaded.select(context: context)
        let clusterName = selection.context.cluster
        let userName = selection.context.user
        let cluster = selection.cluster

        guard let serverString = cluster.server?.trimmingCharacters(in: .whitespaces), !serverString.isEmpty else {
            throw KubeConfigError(
                .invalidCluster,
                "cluster \"\(clusterName)\" has no server (read \(loaded.filesDescription))"
            )
        }
        // client-go accepts a bare host and assumes HTTPS.
        let withScheme = serverString.contains("://") ? serverString : "https://" + serverString
        guard let server = URL(string: withScheme), server.host != nil else {
            throw KubeConfigError(
                .invalidCluster, "cluster \"\(clusterName)\" has an invalid server \"\(serverString)\""
            )
        }
        var proxyURL: URL?
        if let proxy = cluster.proxyURL, !proxy.isEmpty {
            guard let url = URL(string: proxy), url.scheme != nil else {
                throw KubeConfigError(
                    .invalidCluster, "cluster \"\(clusterName)\" has an invalid proxy-url \"\(proxy)\""
                )
            }
            proxyURL = url
        }

        let owner = "cluster \"\(clusterName)\""
        let caPEM = try Self.pem(
            data: cluster.certificateAuthorityData, dataField: "certificate-authority-data",
            file: cluster.certificateAuthority, fileField: "certificate-authority", owner: owner, code: .invalidCluster
        )

        var certificatePEM: Data?
        var keyPEM: Data?
        var credentials = Credentials.none
        if let user = selection.user {
            let owner = "user \"\(userName)\""
            certificatePEM = try Self.pem(
                data: user.clientCertificateData, dataField: "client-certificate-data",
                file: user.clientCertificate, fileField: "client-certificate", owner: owner, code: .invalidUser
            )
            keyPEM = try Self.pem(
                data: user.clientKeyData, dataField: "client-key-data",
                file: user.clientKey, fileField: "client-key", owner: owner, code: .invalidUser
            )
            if (certificatePEM == nil) != (keyPEM == nil) {
                throw KubeConfigError(
                    .invalidUser,
                    "\(owner) has a client certificate without a key, or a key without a certificate"
                )
            }
            credentials = try Self.credentials(of: user, named: userName)
        }

        self.init(
            server: server,
            caCertificatePEM: caPEM,
            insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false,
            tlsServerName: cluster.tlsServerName.flatMap { $0.isEmpty ? nil : $0 },
            clientCertificatePEM: certificatePEM,
            clientKeyPEM: keyPEM,
            proxyURL: proxyURL,
            namespace: selection.context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            credentials: credentials
        )
    }

    /// The user's authentication, with client-go's precedence: a token (file or
    /// inline) or basic auth, and an exec plugin only when neither is set.
    private static func credentials(of user: KubeConfig.User, named name: String) throws -> Credentials {
        let token = user.token.flatMap { $0.isEmpty ? nil : $0 }
        let tokenFile = user.tokenFile.flatMap { $0.isEmpty ? nil : $0 }
        let hasBasic = !(user.username ?? "").isEmpty || !(user.password ?? "").isEmpty
        if (token != nil || tokenFile != nil) && hasBasic {
            throw KubeConfigError(
                .invalidUser,
                "more than one authentication method found for user \"\(name)\": token and basic auth; only one is allowed"
            )
        }
        if let exec = user.exec {
            try validate(exec, user: name)
        }
        // With both set, client-go uses the inline token only until it first re-reads the file.
        if let tokenFile { return .tokenFile(path: tokenFile) }
        if let token { return .bearerToken(token) }
        if hasBasic { return .basic(username: user.username ?? "", password: user.password ?? "") }
        if let exec = user.exec { return .exec(exec) }
        return .none
    }

    /// client-go's checks on an exec section, so a broken one fails at start-up.
    private static func validate(_ exec: ExecConfig, user: String) throws {
        func fail(_ problem: String) -> KubeConfigError {
            KubeConfigError(.invalidUser, "exec plugin of user \"\(user)\": \(problem)")
        }
        if exec.command.isEmpty { throw fail("command must be specified") }
        guard ExecCredentialVersion(rawValue: exec.apiVersion) != nil else {
            throw fail(
                "apiVersion \"\(exec.apiVersion)\" is not supported; use "
                    + ExecCredentialVersion.allCases.map(\.rawValue).joined(separator: " or ")
            )
        }
        if let empty = exec.env.firstIndex(where: { $0.name.isEmpty }) {
            throw fail("env[\(empty)] has no name")
        }
        switch exec.interactiveMode {
        case nil:
            // The v1 kubeconfig defaults the mode only for v1beta1 plugins.
            if exec.apiVersion == ExecCredentialVersion.v1.rawValue {
                throw fail("interactiveMode must be specified for apiVersion \(exec.apiVersion)")
            }
        case .some(.never), .some(.ifAvailable), .some(.always):
            break
        case .some(let mode):
            throw fail("invalid interactiveMode \"\(mode.rawValue)\"; use Never, IfAvailable or Always")
        }
    }

    /// PEM bytes from a base64 field, or else from a file.
    private static func pem(
        data: String?, dataField: String, file: String?, fileField: String, owner: String, code: KubeConfigError.Code
    ) throws -> Data? {
        if let data, !data.isEmpty {
            guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters), !decoded.isEmpty else {
                throw KubeConfigError(code, "\(dataField) of \(owner) is not valid base64")
            }
            return decoded
        }
        if let file, !file.isEmpty {
            do {
                return try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw KubeConfigError(
                    code, "cannot read \(fileField) \(file) of \(owner): \(error.localizedDescription)"
                )
            }
        }
        return nil
    }
}

// MARK: - In-cluster

extension ClusterConfig {
    /// Builds the configuration of a pod's service account, like client-go's `rest.InClusterConfig`.
    ///
    /// The server is `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`
    /// (an IPv6 host in brackets). The token is read from `token` per request,
    /// because kubelet rotates projected tokens; the CA from `ca.crt`; the
    /// namespace from `POD_NAMESPACE`, else the `namespace` file, else `default`.
    ///
    /// - Throws: ``KubeConfigError`` with ``KubeConfigError/Code/notInCluster`` when
    ///   the variables are unset or the token file cannot be read.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = ClusterConfig.defaultServiceAccountDirectory,
        logger: Logger = Logger(label: "hmco.kubeclient.config")
    ) throws -> ClusterConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubeConfigError(
                .notInCluster,
                "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set"
            )
        }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(hostPart):\(port)") else {
            throw KubeConfigError(.notInCluster, "invalid in-cluster server address \(hostPart):\(port)")
        }

        let directory = URL(fileURLWithPath: serviceAccountDirectory)
        let tokenPath = directory.appendingPathComponent("token").path
        // Read once now so a pod without a mounted token fails at start-up, as in client-go.
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: tokenPath))
        } catch {
            throw KubeConfigError(
                .notInCluster, "cannot read service-account token \(tokenPath): \(error.localizedDescription)"
            )
        }

        let caPath = directory.appendingPathComponent("ca.crt").path
        var caPEM: Data?
        do {
            caPEM = try Data(contentsOf: URL(fileURLWithPath: caPath))
        } catch {
            // client-go carries on with the system trust store; the TLS handshake reports the rest.
            logger.error(
                "cannot read in-cluster CA; using the system trust store",
                metadata: ["path": "\(caPath)", "error": "\(error.localizedDescription)"]
            )
        }

        var namespace = environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
        if namespace == nil,
            let data = try? Data(contentsOf: directory.appendingPathComponent("namespace")),
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        {
            namespace = text
        }

        return ClusterConfig(
            server: server,
            caCertificatePEM: caPEM,
            namespace: namespace ?? "default",
            credentials: .tokenFile(path: tokenPath)
        )
    }
}

// MARK: - The usual search

extension ClusterConfig {
    /// Finds the configuration the way controller-runtime's `config.GetConfig` does.
    ///
    /// In order:
    /// 1. `kubeconfig`, when given (a `--kubeconfig` flag); it must exist.
    /// 2. The files in `KUBECONFIG`, when set.
    /// 3. The pod's service account, when no `context` is named and it is available.
    /// 4. `~/.kube/config`.
    ///
    /// - Throws: ``KubeConfigError``; when nothing is found, one with code
    ///   ``KubeConfigError/Code/noConfiguration`` that lists where it looked.
    public static func load(
        kubeconfig: String? = nil,
        context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = ClusterConfig.defaultServiceAccountDirectory,
        logger: Logger = Logger(label: "hmco.kubeclient.config")
    ) throws -> ClusterConfig {
        if let kubeconfig, !kubeconfig.isEmpty {
            return try fromKubeconfig(paths: [kubeconfig], context: context, environment: environment)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            return try fromKubeconfig(paths: nil, context: context, environment: environment)
        }
        var inClusterProblem = "a context was named"
        if context == nil || context?.isEmpty == true {
            do {
                return try inCluster(
                    environment: environment, serviceAccountDirectory: serviceAccountDirectory, logger: logger
                )
            } catch let error as KubeConfigError {
                inClusterProblem = error.message
            }
        }
        let home = KubeConfig.homeKubeconfigPath(environment: environment)
        if FileManager.default.fileExists(atPath: home) {
            return try fromKubeconfig(paths: [home], context: context, environment: environment)
        }
        throw KubeConfigError(
            .noConfiguration,
            "no configuration found: no --kubeconfig, KUBECONFIG unset, "
                + "in-cluster unavailable (\(inClusterProblem)), and \(home) does not exist"
        )
    }
}
