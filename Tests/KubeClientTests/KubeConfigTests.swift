import Foundation
import KubeClient
import Synchronization
import Testing

// MARK: - Fixtures

/// A directory of fixture files, removed when the test lets go of it.
private final class FixtureDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("kubeconfig-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `contents` to `name` (which may contain folders) and returns its absolute path.
    @discardableResult
    func write(_ name: String, _ contents: String, executable: Bool = false) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true
        )
        try Data(contents.utf8).write(to: file)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        return file.path
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }
}

/// A wall clock that moves only when told to.
private final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: @Sendable () -> Date { { self.current.withLock { $0 } } }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

private func date(_ rfc3339: String) throws -> Date {
    try Date(rfc3339, strategy: .iso8601)
}

private func base64(_ text: String) -> String {
    Data(text.utf8).base64EncodedString()
}

private let caPEM = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n"
private let certPEM = "-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n"
private let keyPEM = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n"

/// A kubeconfig with one cluster, user and context, all called `name`.
private func singleContextKubeconfig(
    name: String, server: String, current: String? = nil, namespace: String? = nil, user: String = "token: t"
) -> String {
    """
    apiVersion: v1
    kind: Config
    preferences: {}
    current-context: \(current ?? "\"\"")
    clusters:
    - name: \(name)
      cluster:
        server: \(server)
    users:
    - name: \(name)
      user:
        \(user)
    contexts:
    - name: \(name)
      context:
        cluster: \(name)
        user: \(name)
    \(namespace.map { "    namespace: \($0)" } ?? "")
    """
}

// MARK: - Parsing

@Test("a kubeconfig with every supported field decodes with the upstream key names")
func decodesEveryField() throws {
    let config = try KubeConfig.decode(
        yaml: """
            apiVersion: v1
            kind: Config
            preferences:
              colors: true
            current-context: dev
            clusters:
            - name: dev
              cluster:
                server: https://dev.example:6443
                certificate-authority: /etc/ca.pem
                certificate-authority-data: \(base64(caPEM))
                insecure-skip-tls-verify: true
                tls-server-name: api.dev
                proxy-url: http://proxy:3128
            users:
            - name: alice
              user:
                token: abc
                tokenFile: /var/token
                client-certificate: /etc/cert.pem
                client-certificate-data: \(base64(certPEM))
                client-key: /etc/key.pem
                client-key-data: \(base64(keyPEM))
                username: alice
                password: secret
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: aws
                  args: [eks, get-token]
                  env:
                  - name: AWS_PROFILE
                    value: dev
                  interactiveMode: Never
                  provideClusterInfo: true
                  installHint: install the aws cli
            contexts:
            - name: dev
              context:
                cluster: dev
                user: alice
                namespace: team-a
            """
    )
    #expect(config.currentContext == "dev")
    let cluster = try #require(config.cluster(named: "dev"))
    #expect(cluster.server == "https://dev.example:6443")
    #expect(cluster.certificateAuthority == "/etc/ca.pem")
    #expect(cluster.certificateAuthorityData == base64(caPEM))
    #expect(cluster.insecureSkipTLSVerify == true)
    #expect(cluster.tlsServerName == "api.dev")
    #expect(cluster.proxyURL == "http://proxy:3128")
    let user = try #require(config.user(named: "alice"))
    #expect(user.token == "abc")
    #expect(user.tokenFile == "/var/token")
    #expect(user.clientCertificate == "/etc/cert.pem")
    #expect(user.clientKey == "/etc/key.pem")
    #expect(user.clientKeyData == base64(keyPEM))
    #expect(user.username == "alice" && user.password == "secret")
    #expect(
        user.exec
            == ExecConfig(
                apiVersion: "client.authentication.k8s.io/v1",
                command: "aws",
                args: ["eks", "get-token"],
                env: [.init(name: "AWS_PROFILE", value: "dev")],
                interactiveMode: .never,
                provideClusterInfo: true,
                installHint: "install the aws cli"
            )
    )
    #expect(config.context(named: "dev") == KubeConfig.Context(cluster: "dev", user: "alice", namespace: "team-a"))
}

@Test("an empty kubeconfig file is an empty configuration")
func emptyFileIsEmptyConfig() throws {
    #expect(try KubeConfig.decode(yaml: "") == KubeConfig())
    #expect(try KubeConfig.decode(yaml: "# nothing here\n") == KubeConfig())
    #expect(try KubeConfig.decode(yaml: "clusters: null\nusers:\ncontexts: []\n") == KubeConfig())
}

@Test("a file that is not a kubeconfig is reported with its path and the key that is wrong")
func invalidFileNamesPath() throws {
    let fixtures = try FixtureDirectory()
    let path = try fixtures.write("bad", "clusters:\n- name: x\n  cluster: [1, 2]\n")
    let error = try #require(throws: KubeConfigError.self) { try KubeConfig.load(file: path) }
    #expect(error.code == .invalidFile)
    #expect(error.message.contains(path))
    #expect(error.message.contains("clusters[0].cluster"))
}

// MARK: - Merging

@Test("the first file to define a name wins, and so does the first non-empty current-context")
func mergePrecedence() throws {
    let fixtures = try FixtureDirectory()
    let first = try fixtures.write(
        "first/config",
        """
        current-context: ""
        clusters:
        - name: shared
          cluster: {server: "https://first:6443"}
        users:
        - name: shared
          user: {token: first-token}
        contexts:
        - name: shared
          context: {cluster: shared, user: shared, namespace: first-ns}
        """
    )
    let second = try fixtures.write(
        "second/config",
        """
        current-context: from-second
        clusters:
        - name: shared
          cluster: {server: "https://second:6443"}
        - name: only-second
          cluster: {server: "https://only-second:6443"}
        users:
        - name: shared
          user: {token: second-token}
        contexts:
        - name: shared
          context: {cluster: only-second, user: shared}
        - name: from-second
          context: {cluster: shared, user: shared, namespace: second-ns}
        """
    )
    let third = try fixtures.write("third/config", "current-context: from-third\n")
    let environment = [
        "KUBECONFIG": [first, fixtures.path("missing/config"), second, third, first].joined(separator: ":"),
        "HOME": fixtures.path("home"),
    ]

    let loaded = try KubeConfig.load(paths: KubeConfig.defaultPaths(environment: environment))
    #expect(loaded.files == [first, second, third])
    #expect(loaded.config.currentContext == "from-second")
    #expect(loaded.config.clusters.map(\.name) == ["shared", "only-second"])
    #expect(loaded.config.cluster(named: "shared")?.server == "https://first:6443")
    #expect(loaded.config.user(named: "shared")?.token == "first-token")
    #expect(loaded.config.context(named: "shared")?.namespace == "first-ns")

    // The current context comes from the second file, its cluster and user from the first.
    let config = try ClusterConfig.fromKubeconfig(environment: environment)
    #expect(config.server.absoluteString == "https://first:6443")
    #expect(config.namespace == "second-ns")
    #expect(config.credentials == .bearerToken("first-token"))
}

@Test("without KUBECONFIG the file in the home directory is read")
func homeKubeconfigIsDefault() throws {
    let fixtures = try FixtureDirectory()
    try fixtures.write(".kube/config", singleContextKubeconfig(name: "home", server: "https://home:6443", current: "home"))
    let environment = ["HOME": fixtures.url.path]
    #expect(KubeConfig.defaultPaths(environment: environment) == [fixtures.path(".kube/config")])
    let config = try ClusterConfig.fromKubeconfig(environment: environment)
    #expect(config.server.absoluteString == "https://home:6443")
}

@Test("explicit kubeconfig paths must exist, while missing KUBECONFIG entries are skipped")
func explicitPathsMustExist() throws {
    let fixtures = try FixtureDirectory()
    let missing = fixtures.path("nope")
    let explicit = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [missing], environment: [:])
    }
    #expect(explicit.code == .noConfiguration)
    #expect(explicit.message.contains(missing))

    let fromEnvironment = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(environment: ["KUBECONFIG": missing])
    }
    #expect(fromEnvironment.code == .noConfiguration)
    #expect(fromEnvironment.message.contains(missing))
}

// MARK: - Context selection

@Test("a named context is used instead of the current one")
func namedContextOverridesCurrent() throws {
    let fixtures = try FixtureDirectory()
    let path = try fixtures.write(
        "config",
        """
        current-context: dev
        clusters:
        - {name: dev, cluster: {server: "https://dev:6443"}}
        - {name: prod, cluster: {server: "prod.example:443"}}
        users:
        - {name: dev, user: {token: dev-token}}
        - {name: prod, user: {token: prod-token}}
        contexts:
        - {name: dev, context: {cluster: dev, user: dev, namespace: dev-ns}}
        - {name: prod, context: {cluster: prod, user: prod}}
        - {name: anonymous, context: {cluster: dev}}
        """
    )
    let current = try ClusterConfig.fromKubeconfig(paths: [path], environment: [:])
    #expect(current.server.absoluteString == "https://dev:6443")
    #expect(current.namespace == "dev-ns")
    #expect(current.credentials == .bearerToken("dev-token"))

    let prod = try ClusterConfig.fromKubeconfig(paths: [path], context: "prod", environment: [:])
    #expect(prod.server.absoluteString == "https://prod.example:443", "a server without a scheme is HTTPS")
    #expect(prod.namespace == "default")
    #expect(prod.credentials == .bearerToken("prod-token"))

    let anonymous = try ClusterConfig.fromKubeconfig(paths: [path], context: "anonymous", environment: [:])
    #expect(anonymous.credentials == .none)
}

@Test("a missing context is reported with its name and the files that were read")
func missingContextError() throws {
    let fixtures = try FixtureDirectory()
    let a = try fixtures.write("a", singleContextKubeconfig(name: "a", server: "https://a", current: "a"))
    let b = try fixtures.write("b", singleContextKubeconfig(name: "b", server: "https://b"))
    let environment = ["KUBECONFIG": "\(a):\(b)"]

    let error = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(context: "staging", environment: environment)
    }
    #expect(error.code == .contextNotFound)
    #expect(error.code.description == "contextNotFound")
    #expect(error.message == "context \"staging\" not found in kubeconfig (read \(a), \(b))")
}

@Test("a current-context that names no context is reported with the files that were read")
func danglingCurrentContext() throws {
    let fixtures = try FixtureDirectory()
    let path = try fixtures.write("config", singleContextKubeconfig(name: "a", server: "https://a", current: "gone"))
    let error = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [path], environment: [:])
    }
    #expect(error.code == .contextNotFound)
    #expect(error.message.contains("\"gone\"") && error.message.contains(path))
}

@Test("no current-context and no named context is an error")
func noCurrentContext() throws {
    let fixtures = try FixtureDirectory()
    let path = try fixtures.write("config", singleContextKubeconfig(name: "a", server: "https://a"))
    let error = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [path], environment: [:])
    }
    #expect(error.code == .noCurrentContext)
    #expect(error.message.contains(path))
}

@Test("a context whose cluster or user is missing names both the context and the missing entry")
func missingClusterOrUser() throws {
    let fixtures = try FixtureDirectory()
    let path = try fixtures.write(
        "config",
        """
        clusters:
        - {name: real, cluster: {server: "https://real"}}
        contexts:
        - {name: no-cluster, context: {cluster: ghost, user: ""}}
        - {name: no-user, context: {cluster: real, user: phantom}}
        """
    )
    let cluster = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [path], context: "no-cluster", environment: [:])
    }
    #expect(cluster.code == .clusterNotFound)
    #expect(cluster.message.contains("\"ghost\"") && cluster.message.contains("\"no-cluster\""))

    let user = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [path], context: "no-user", environment: [:])
    }
    #expect(user.code == .userNotFound)
    #expect(user.message.contains("\"phantom\"") && user.message.contains(path))
}

// MARK: - Files and data

@Test("relative paths are resolved against the directory of the file that defined them")
func relativePaths() throws {
    let fixtures = try FixtureDirectory()
    try fixtures.write("team/certs/ca.pem", caPEM)
    try fixtures.write("team/certs/client.pem", certPEM)
    try fixtures.write("team/certs/client.key", keyPEM)
    let teamConfig = try fixtures.write(
        "team/config",
        """
        current-context: team
        clusters:
        - name: team
          cluster:
            server: https://team:6443
            certificate-authority: certs/ca.pem
        users:
        - name: team
          user:
            client-certificate: certs/client.pem
            client-key: ./certs/../certs/client.key
            tokenFile: tokens/current
        - name: plugin
          user:
            exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: bin/get-token}
        - name: on-path
          user:
            exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: get-token}
        - name: absolute
          user:
            tokenFile: /run/token
        contexts:
        - {name: team, context: {cluster: team, user: team}}
        """
    )
    let otherConfig = try fixtures.write(
        "other/nested/config",
        """
        clusters:
        - name: other
          cluster: {server: "https://other", certificate-authority: ../ca.pem}
        """
    )

    let loaded = try KubeConfig.load(paths: [teamConfig, otherConfig])
    let config = loaded.config
    #expect(config.cluster(named: "team")?.certificateAuthority == fixtures.path("team/certs/ca.pem"))
    #expect(config.cluster(named: "other")?.certificateAuthority == fixtures.path("other/ca.pem"))
    #expect(config.user(named: "team")?.clientCertificate == fixtures.path("team/certs/client.pem"))
    #expect(config.user(named: "team")?.clientKey == fixtures.path("team/certs/client.key"))
    #expect(config.user(named: "team")?.tokenFile == fixtures.path("team/tokens/current"))
    #expect(config.user(named: "plugin")?.exec?.command == fixtures.path("team/bin/get-token"))
    #expect(config.user(named: "on-path")?.exec?.command == "get-token", "a bare command is looked up in PATH")
    #expect(config.user(named: "absolute")?.tokenFile == "/run/token")

    let cluster = try ClusterConfig(loaded)
    #expect(cluster.caCertificatePEM == Data(caPEM.utf8))
    #expect(cluster.clientCertificatePEM == Data(certPEM.utf8))
    #expect(cluster.clientKeyPEM == Data(keyPEM.utf8))
    #expect(cluster.credentials == .tokenFile(path: fixtures.path("team/tokens/current")))
}

@Test("base64 data fields are decoded to PEM and win over file paths")
func base64DataFields() async throws {
    let fixtures = try FixtureDirectory()
    let path = try fixtures.write(
        "config",
        """
        current-context: data
        clusters:
        - name: data
          cluster:
            server: https://data:6443
            certificate-authority: /does/not/exist.pem
            certificate-authority-data: \(base64(caPEM))
            tls-server-name: kubernetes.default
            insecure-skip-tls-verify: false
        users:
        - name: data
          user:
            client-certificate-data: \(base64(certPEM))
            client-key-data: \(base64(keyPEM))
            username: user
            password: pass
        contexts:
        - {name: data, context: {cluster: data, user: data}}
        """
    )
    let config = try ClusterConfig.fromKubeconfig(paths: [path], environment: [:])
    #expect(config.caCertificatePEM == Data(caPEM.utf8))
    #expect(config.clientCertificatePEM == Data(certPEM.utf8))
    #expect(config.clientKeyPEM == Data(keyPEM.utf8))
    #expect(config.tlsServerName == "kubernetes.default")
    #expect(config.insecureSkipTLSVerify == false)
    #expect(config.credentials == .basic(username: "user", password: "pass"))
    #expect(!config.description.contains("pass"), "the description never shows the password")

    let provider = CredentialProvider(config: config, environment: [:])
    #expect(try await provider.authorization() == "Basic \(base64("user:pass"))")
}

@Test("invalid base64 and unreadable files are reported with the entry they belong to")
func badDataAndFiles() throws {
    let fixtures = try FixtureDirectory()
    let badData = try fixtures.write(
        "bad-data",
        singleContextKubeconfig(name: "c", server: "https://c", current: "c", user: "client-key-data: '***'")
    )
    let dataError = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [badData], environment: [:])
    }
    #expect(dataError.code == .invalidUser)
    #expect(dataError.message == "client-key-data of user \"c\" is not valid base64")

    let missingFile = try fixtures.write(
        "missing-file",
        singleContextKubeconfig(name: "c", server: "https://c", current: "c", user: "client-certificate: nope.pem")
    )
    let fileError = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [missingFile], environment: [:])
    }
    #expect(fileError.message.contains(fixtures.path("nope.pem")))
    #expect(fileError.message.contains("user \"c\""))
}

@Test("a token together with basic auth is rejected, as client-go does")
func twoAuthMethods() throws {
    let fixtures = try FixtureDirectory()
    let path = try fixtures.write(
        "config",
        singleContextKubeconfig(name: "c", server: "https://c", current: "c", user: "{token: t, username: u}")
    )
    let error = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [path], environment: [:])
    }
    #expect(error.code == .invalidUser)
    #expect(error.message.contains("more than one authentication method"))
}

@Test("a v1 exec plugin without interactiveMode is rejected when the configuration is loaded")
func execV1NeedsInteractiveMode() throws {
    let fixtures = try FixtureDirectory()
    let path = try fixtures.write(
        "config",
        singleContextKubeconfig(
            name: "c", server: "https://c", current: "c",
            user: "exec: {apiVersion: client.authentication.k8s.io/v1, command: plugin}"
        )
    )
    let error = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.fromKubeconfig(paths: [path], environment: [:])
    }
    #expect(error.message == "exec plugin of user \"c\": interactiveMode must be specified for apiVersion client.authentication.k8s.io/v1")
}

// MARK: - In-cluster

/// A fake service-account directory.
private func serviceAccount(in fixtures: FixtureDirectory, token: String = "sa-token-1", namespace: String? = "operators")
    throws -> String
{
    try fixtures.write("serviceaccount/token", token)
    try fixtures.write("serviceaccount/ca.crt", caPEM)
    if let namespace {
        try fixtures.write("serviceaccount/namespace", namespace + "\n")
    }
    return fixtures.path("serviceaccount")
}

@Test("in-cluster configuration reads the service-account directory and brackets an IPv6 host")
func inClusterConfig() throws {
    let fixtures = try FixtureDirectory()
    let directory = try serviceAccount(in: fixtures)

    let v4 = try ClusterConfig.inCluster(
        environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
        serviceAccountDirectory: directory
    )
    #expect(v4.server.absoluteString == "https://10.96.0.1:443")
    #expect(v4.caCertificatePEM == Data(caPEM.utf8))
    #expect(v4.namespace == "operators")
    #expect(v4.credentials == .tokenFile(path: fixtures.path("serviceaccount/token")))

    let v6 = try ClusterConfig.inCluster(
        environment: ["KUBERNETES_SERVICE_HOST": "fd00:10:96::1", "KUBERNETES_SERVICE_PORT": "6443"],
        serviceAccountDirectory: directory
    )
    #expect(v6.server.absoluteString == "https://[fd00:10:96::1]:6443")
    #expect(v6.server.port == 6443)
}

@Test("in-cluster namespace falls back from POD_NAMESPACE to the namespace file to default")
func inClusterNamespace() throws {
    let fixtures = try FixtureDirectory()
    let directory = try serviceAccount(in: fixtures, namespace: nil)
    var environment = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
    #expect(try ClusterConfig.inCluster(environment: environment, serviceAccountDirectory: directory).namespace == "default")
    try fixtures.write("serviceaccount/namespace", "from-file")
    #expect(try ClusterConfig.inCluster(environment: environment, serviceAccountDirectory: directory).namespace == "from-file")
    environment["POD_NAMESPACE"] = "from-env"
    #expect(try ClusterConfig.inCluster(environment: environment, serviceAccountDirectory: directory).namespace == "from-env")
}

@Test("in-cluster configuration fails without the service variables or the token")
func notInCluster() throws {
    let fixtures = try FixtureDirectory()
    let noVariables = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.inCluster(environment: [:], serviceAccountDirectory: fixtures.path("serviceaccount"))
    }
    #expect(noVariables.code == .notInCluster)
    #expect(noVariables.message.contains("KUBERNETES_SERVICE_HOST"))

    let noToken = try #require(throws: KubeConfigError.self) {
        try ClusterConfig.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: fixtures.path("serviceaccount")
        )
    }
    #expect(noToken.code == .notInCluster)
    #expect(noToken.message.contains(fixtures.path("serviceaccount/token")))
}

@Test("a rotated service-account token is picked up after a minute, or at once after invalidate")
func tokenRotation() async throws {
    let fixtures = try FixtureDirectory()
    let directory = try serviceAccount(in: fixtures, token: "token-1\n")
    let config = try ClusterConfig.inCluster(
        environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
        serviceAccountDirectory: directory
    )
    let clock = ManualClock(try date("2030-01-01T00:00:00Z"))
    let provider = CredentialProvider(config: config, environment: [:], now: clock.now)

    #expect(try await provider.authorization() == "Bearer token-1")

    try fixtures.write("serviceaccount/token", "token-2")
    clock.advance(seconds: 59)
    #expect(try await provider.authorization() == "Bearer token-1", "the file is checked at most once a minute")
    clock.advance(seconds: 1)
    #expect(try await provider.authorization() == "Bearer token-2")

    try fixtures.write("serviceaccount/token", "token-3")
    clock.advance(seconds: 5)
    #expect(try await provider.authorization() == "Bearer token-2")
    await provider.invalidate()
    #expect(try await provider.authorization() == "Bearer token-3", "a 401 re-reads the file at once")

    try FileManager.default.removeItem(atPath: fixtures.path("serviceaccount/token"))
    clock.advance(seconds: 120)
    #expect(try await provider.authorization() == "Bearer token-3", "a failed rotation keeps the last good token")
}

@Test("a token file that cannot be read the first time is an error naming the file")
func unreadableTokenFile() async throws {
    let fixtures = try FixtureDirectory()
    let path = fixtures.path("no-token")
    let provider = CredentialProvider(
        config: ClusterConfig(server: try #require(URL(string: "https://c")), credentials: .tokenFile(path: path)),
        environment: [:]
    )
    let error = await #expect(throws: CredentialError.self) { try await provider.authorization() }
    #expect(error?.code == .tokenFile)
    #expect(error?.message.contains(path) == true)
}

// MARK: - The usual search

@Test("load prefers an explicit kubeconfig, then KUBECONFIG, then in-cluster, then the home directory")
func loadOrder() throws {
    let fixtures = try FixtureDirectory()
    let explicit = try fixtures.write("explicit", singleContextKubeconfig(name: "x", server: "https://explicit", current: "x"))
    let fromEnv = try fixtures.write("env", singleContextKubeconfig(name: "e", server: "https://env", current: "e"))
    try fixtures.write(
        "home/.kube/config",
        """
        current-context: h
        clusters: [{name: h, cluster: {server: "https://home"}}, {name: other, cluster: {server: "https://other"}}]
        contexts: [{name: h, context: {cluster: h}}, {name: other, context: {cluster: other}}]
        """
    )
    let directory = try serviceAccount(in: fixtures)
    let inCluster = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
    var environment = inCluster.merging(["KUBECONFIG": fromEnv, "HOME": fixtures.path("home")]) { $1 }

    func server(kubeconfig: String? = nil, context: String? = nil) throws -> String {
        try ClusterConfig.load(
            kubeconfig: kubeconfig, context: context, environment: environment, serviceAccountDirectory: directory
        ).server.absoluteString
    }
    #expect(try server(kubeconfig: explicit) == "https://explicit")
    #expect(try server() == "https://env")
    environment["KUBECONFIG"] = nil
    #expect(try server() == "https://10.0.0.1:443")
    #expect(try server(context: "other") == "https://other", "a named context skips in-cluster")
    environment = ["HOME": fixtures.path("home")]
    #expect(try server() == "https://home")

    environment = ["HOME": fixtures.path("nowhere")]
    let error = try #require(throws: KubeConfigError.self) { try server() }
    #expect(error.code == .noConfiguration)
    #expect(error.message.contains(fixtures.path("nowhere/.kube/config")))
}

// MARK: - Exec plugins

/// A `/bin/sh` plugin that records what it was given in `dir` and prints an
/// ExecCredential with token `token-<run>`; `extra` is spliced into `status`.
private func execPlugin(
    in fixtures: FixtureDirectory,
    apiVersion: String = "client.authentication.k8s.io/v1",
    status extra: String = "",
    exitCode: Int = 0,
    sleep: String? = nil
) throws -> String {
    let dir = fixtures.url.path
    return try fixtures.write(
        "bin/plugin.sh",
        """
        #!/bin/sh
        n=$(cat "\(dir)/runs" 2>/dev/null || echo 0)
        n=$((n + 1))
        echo "$n" > "\(dir)/runs"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "\(dir)/exec-info.json"
        printf '%s\\n' "$@" > "\(dir)/args"
        printf '%s|%s|%s' "$PLUGIN_SETTING" "$BASE_ONLY" "$OVERRIDDEN" > "\(dir)/env"
        \(sleep.map { "sleep \($0)" } ?? "")
        echo "plugin diagnostics on stderr" >&2
        cat <<EOF
        {"apiVersion": "\(apiVersion)", "kind": "ExecCredential",
         "status": {"token": "token-$n"\(extra)}}
        EOF
        exit \(exitCode)
        """,
        executable: true
    )
}

private func execConfig(command: String, apiVersion: String = "client.authentication.k8s.io/v1", provideClusterInfo: Bool = false)
    throws -> ClusterConfig
{
    ClusterConfig(
        server: try #require(URL(string: "https://api.example:6443")),
        caCertificatePEM: Data(caPEM.utf8),
        tlsServerName: "api.internal",
        credentials: .exec(
            ExecConfig(
                apiVersion: apiVersion,
                command: command,
                args: ["get-token", "--cluster", "my cluster"],
                env: [.init(name: "PLUGIN_SETTING", value: "on"), .init(name: "OVERRIDDEN", value: "by-exec")],
                interactiveMode: .ifAvailable,
                provideClusterInfo: provideClusterInfo
            )
        )
    )
}

private let pluginEnvironment = ["PATH": "/usr/bin:/bin", "BASE_ONLY": "kept", "OVERRIDDEN": "base"]

@Test("an exec plugin gets its args, its env over ours, and KUBERNETES_EXEC_INFO with cluster info")
func execPluginInputs() async throws {
    let fixtures = try FixtureDirectory()
    let plugin = try execPlugin(in: fixtures)
    let provider = CredentialProvider(
        config: try execConfig(command: plugin, provideClusterInfo: true), environment: pluginEnvironment
    )

    let credential = try await provider.credential()
    #expect(credential.authorization == "Bearer token-1")
    #expect(credential.expiresAt == nil)
    #expect(try fixtures.read("args") == "get-token\n--cluster\nmy cluster\n")
    #expect(try fixtures.read("env") == "on|kept|by-exec")

    let info = try #require(
        try JSONSerialization.jsonObject(with: Data(fixtures.read("exec-info.json").utf8)) as? [String: Any]
    )
    #expect(info["apiVersion"] as? String == "client.authentication.k8s.io/v1")
    #expect(info["kind"] as? String == "ExecCredential")
    let spec = try #require(info["spec"] as? [String: Any])
    #expect(spec["interactive"] as? Bool == false)
    let cluster = try #require(spec["cluster"] as? [String: Any])
    #expect(cluster["server"] as? String == "https://api.example:6443")
    #expect(cluster["tls-server-name"] as? String == "api.internal")
    #expect(cluster["certificate-authority-data"] as? String == base64(caPEM))
    #expect(cluster["insecure-skip-tls-verify"] == nil)
}

@Test("without provideClusterInfo the exec info carries no cluster")
func execPluginWithoutClusterInfo() async throws {
    let fixtures = try FixtureDirectory()
    let plugin = try execPlugin(in: fixtures, apiVersion: "client.authentication.k8s.io/v1beta1")
    let provider = CredentialProvider(
        config: try execConfig(command: plugin, apiVersion: "client.authentication.k8s.io/v1beta1"),
        environment: pluginEnvironment
    )
    #expect(try await provider.authorization() == "Bearer token-1")
    let info = try #require(
        try JSONSerialization.jsonObject(with: Data(fixtures.read("exec-info.json").utf8)) as? [String: Any]
    )
    #expect(info["apiVersion"] as? String == "client.authentication.k8s.io/v1beta1")
    let spec = try #require(info["spec"] as? [String: Any])
    #expect(spec["cluster"] == nil)
    #expect(spec["interactive"] as? Bool == false)
}

@Test("an exec credential is cached until it expires, then the plugin runs again; invalidate forces a run")
func execExpiry() async throws {
    let fixtures = try FixtureDirectory()
    let plugin = try execPlugin(in: fixtures, status: #", "expirationTimestamp": "2030-01-01T00:10:00Z""#)
    let clock = ManualClock(try date("2030-01-01T00:00:00Z"))
    let provider = CredentialProvider(
        config: try execConfig(command: plugin), environment: pluginEnvironment, now: clock.now
    )

    let first = try await provider.credential()
    #expect(first.authorization == "Bearer token-1")
    #expect(first.expiresAt == (try date("2030-01-01T00:10:00Z")))
    clock.advance(seconds: 599)
    #expect(try await provider.authorization() == "Bearer token-1", "still valid: served from the cache")
    #expect(try fixtures.read("runs") == "1\n")

    clock.advance(seconds: 1)
    #expect(try await provider.authorization() == "Bearer token-2", "expired: the plugin runs again")

    // The plugin prints the same expiry each time; with the clock before it again,
    // only invalidate makes the plugin run.
    clock.set(try date("2030-01-01T00:05:00Z"))
    #expect(try await provider.authorization() == "Bearer token-2")
    await provider.invalidate()
    #expect(try await provider.authorization() == "Bearer token-3")
    #expect(try await provider.authorization() == "Bearer token-3")
    #expect(try fixtures.read("runs") == "3\n")
}

@Test("concurrent requests share one run of the exec plugin")
func execRunsOnceForConcurrentCallers() async throws {
    let fixtures = try FixtureDirectory()
    let plugin = try execPlugin(in: fixtures, sleep: "0.3")
    let provider = CredentialProvider(config: try execConfig(command: plugin), environment: pluginEnvironment)

    let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
        for _ in 0..<8 {
            group.addTask { try await provider.authorization() }
        }
        return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
    }
    #expect(tokens == ["Bearer token-1"])
    #expect(try fixtures.read("runs") == "1\n")
}

@Test("an exec plugin may return a client certificate and key")
func execClientCertificate() async throws {
    let fixtures = try FixtureDirectory()
    let cert = certPEM.replacingOccurrences(of: "\n", with: "\\n")
    let key = keyPEM.replacingOccurrences(of: "\n", with: "\\n")
    let plugin = try execPlugin(
        in: fixtures, apiVersion: "client.authentication.k8s.io/v1beta1",
        status: #", "clientCertificateData": "\#(cert)", "clientKeyData": "\#(key)", "expirationTimestamp": "2030-01-01T00:00:00.5+01:00""#
    )
    let provider = CredentialProvider(
        config: try execConfig(command: plugin, apiVersion: "client.authentication.k8s.io/v1beta1"),
        environment: pluginEnvironment
    )
    let credential = try await provider.credential()
    #expect(credential.clientCertificatePEM == Data(certPEM.utf8))
    #expect(credential.clientKeyPEM == Data(keyPEM.utf8))
    #expect(credential.expiresAt == (try date("2029-12-31T23:00:00Z")).addingTimeInterval(0.5))
    #expect(!credential.description.contains("token-1"))
}

@Test("a failing exec plugin is reported with its command, exit status and stderr, never its token")
func execFailure() async throws {
    let fixtures = try FixtureDirectory()
    let plugin = try execPlugin(in: fixtures, exitCode: 3)
    let provider = CredentialProvider(config: try execConfig(command: plugin), environment: pluginEnvironment)

    let error = try #require(await #expect(throws: CredentialError.self) { try await provider.authorization() })
    #expect(error.code == .execFailed)
    #expect(error.message == "exec plugin \"\(plugin)\" exited with status 3: plugin diagnostics on stderr")
    #expect(!error.message.contains("token-1"))
}

@Test("an exec plugin that runs too long is stopped and reported as timed out")
func execTimeout() async throws {
    let fixtures = try FixtureDirectory()
    let plugin = try execPlugin(in: fixtures, sleep: "20")
    let provider = CredentialProvider(
        config: try execConfig(command: plugin), environment: pluginEnvironment, execTimeout: .milliseconds(300)
    )
    let started = ContinuousClock.now
    let error = try #require(await #expect(throws: CredentialError.self) { try await provider.authorization() })
    #expect(error.code == .execTimedOut)
    #expect(error.message.contains(plugin))
    // The plugin sleeps 20 s; returning well before that shows it was stopped at the timeout.
    #expect(ContinuousClock.now - started < .seconds(10), "the caller is not held until the plugin's children exit")
}

@Test("an exec plugin that answers with another API version is rejected without quoting its output")
func execWrongVersion() async throws {
    let fixtures = try FixtureDirectory()
    let plugin = try execPlugin(in: fixtures, apiVersion: "client.authentication.k8s.io/v1beta1")
    let provider = CredentialProvider(config: try execConfig(command: plugin), environment: pluginEnvironment)

    let error = try #require(await #expect(throws: CredentialError.self) { try await provider.authorization() })
    #expect(error.code == .execInvalidOutput)
    #expect(error.message.contains("client.authentication.k8s.io/v1beta1"))
    #expect(!error.message.contains("token-1"))
}

@Test("a plugin missing from PATH is reported with its install hint")
func execNotFound() async throws {
    var exec = ExecConfig(
        apiVersion: "client.authentication.k8s.io/v1", command: "no-such-plugin-\(UUID().uuidString)",
        interactiveMode: .never, installHint: "Install it with: apt-get install the-plugin"
    )
    let provider = CredentialProvider(
        config: ClusterConfig(server: try #require(URL(string: "https://c")), credentials: .exec(exec)),
        environment: pluginEnvironment
    )
    let error = try #require(await #expect(throws: CredentialError.self) { try await provider.authorization() })
    #expect(error.code == .execNotFound)
    #expect(error.message.contains(exec.command) && error.message.contains("in PATH"))
    #expect(error.message.contains("apt-get install the-plugin"))

    exec.command = "/bin/sh"
    exec.interactiveMode = .always
    let interactive = CredentialProvider(
        config: ClusterConfig(server: try #require(URL(string: "https://c")), credentials: .exec(exec)),
        environment: pluginEnvironment
    )
    let unsupported = try #require(await #expect(throws: CredentialError.self) { try await interactive.authorization() })
    #expect(unsupported.code == .execUnsupported)
}

@Test("a plugin found through a relative kubeconfig path runs end to end")
func execFromKubeconfig() async throws {
    let fixtures = try FixtureDirectory()
    _ = try execPlugin(in: fixtures)
    let path = try fixtures.write(
        "config",
        singleContextKubeconfig(
            name: "c", server: "https://c", current: "c",
            user: "exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin.sh, interactiveMode: Never}"
        )
    )
    let config = try ClusterConfig.fromKubeconfig(paths: [path], environment: [:])
    let provider = CredentialProvider(config: config, environment: pluginEnvironment)
    #expect(try await provider.authorization() == "Bearer token-1")
}
