import Dispatch
import Foundation
import Logging
import Synchronization

/// Hands out the credential for the next request to the API server and keeps it fresh.
///
/// Guarantees:
/// - A static token or basic auth is returned as is.
/// - A token file is re-read at most once per ``tokenFileRefreshInterval`` (a minute,
///   like client-go's cached token source) and right after ``invalidate()``. If a
///   re-read fails, the last good token is kept and the failure logged.
/// - An exec plugin runs once and its result is cached until its
///   `expirationTimestamp` (forever when it has none) or until ``invalidate()``.
///   Concurrent callers wait for the one run in progress instead of starting more.
///
/// Assumptions: the transport calls ``invalidate()`` when the server answers 401,
/// then retries once.
///
/// Caveats: tokens never appear in errors or logs; a plugin's standard error does,
/// trimmed, because it is how plugins explain failures.
public actor CredentialProvider {
    /// What to attach to one request.
    public struct Credential: Sendable, Hashable, CustomStringConvertible {
        /// The `Authorization` header value, such as `Bearer …`; `nil` for none.
        public var authorization: String?
        /// A PEM client certificate returned by an exec plugin.
        public var clientCertificatePEM: Data?
        /// The PEM key of ``clientCertificatePEM``.
        public var clientKeyPEM: Data?
        /// When an exec plugin said the credential stops working.
        public var expiresAt: Date?

        /// Creates a credential.
        public init(
            authorization: String? = nil,
            clientCertificatePEM: Data? = nil,
            clientKeyPEM: Data? = nil,
            expiresAt: Date? = nil
        ) {
            self.authorization = authorization
            self.clientCertificatePEM = clientCertificatePEM
            self.clientKeyPEM = clientKeyPEM
            self.expiresAt = expiresAt
        }

        /// Which parts are present; never their values.
        public var description: String {
            var parts: [String] = []
            if let authorization {
                parts.append("authorization: \(authorization.split(separator: " ").first ?? "") (redacted)")
            }
            if clientCertificatePEM != nil { parts.append("clientCertificate") }
            if let expiresAt { parts.append("expiresAt: \(expiresAt.formatted(.iso8601))") }
            return "Credential(\(parts.joined(separator: ", ")))"
        }
    }

    /// How often a token file is checked for a rotated token.
    public let tokenFileRefreshInterval: Duration
    /// How long an exec plugin may run before it is terminated.
    public let execTimeout: Duration

    private let credentials: ClusterConfig.Credentials
    private let clusterInfo: ExecClusterInfo
    private let environment: [String: String]
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// The last credential read or returned by a plugin.
    private var cached: Credential?
    /// When a cached token-file credential should be read again.
    private var refreshAt: Date?
    /// Callers waiting for the exec run in progress; `nil` when none runs.
    private var waiters: [CheckedContinuation<Credential, any Error>]?
    /// Bumped by ``invalidate()`` so a run started before it is not cached.
    private var generation = 0

    /// Creates a provider for a cluster's credentials.
    ///
    /// - Parameters:
    ///   - config: The cluster; its address and CA are passed to exec plugins that
    ///     ask for cluster info.
    ///   - environment: The environment exec plugins inherit (their own `env` goes over it).
    ///   - now: The wall clock, against which expiry times are compared.
    ///   - tokenFileRefreshInterval: How often a token file is checked for rotation.
    ///   - execTimeout: How long a plugin may run.
    ///   - logger: Where failed token rotations are reported.
    public init(
        config: ClusterConfig,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = { Date() },
        tokenFileRefreshInterval: Duration = .seconds(60),
        execTimeout: Duration = .seconds(60),
        logger: Logger = Logger(label: "hmco.kubeclient.credentials")
    ) {
        self.credentials = config.credentials
        self.clusterInfo = ExecClusterInfo(config)
        self.environment = environment
        self.now = now
        self.tokenFileRefreshInterval = tokenFileRefreshInterval
        self.execTimeout = execTimeout
        self.logger = logger
    }

    /// The `Authorization` header value for the next request, or `nil` for none.
    ///
    /// - Throws: ``CredentialError`` when a token file cannot be read the first
    ///   time, or an exec plugin fails.
    public func authorization() async throws -> String? {
        try await credential().authorization
    }

    /// The credential for the next request.
    ///
    /// - Throws: ``CredentialError`` when a token file cannot be read the first
    ///   time, or an exec plugin fails.
    public func credential() async throws -> Credential {
        switch credentials {
        case .none:
            return Credential()
        case .bearerToken(let token):
            return Credential(authorization: "Bearer \(token)")
        case .basic(let username, let password):
            let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
            return Credential(authorization: "Basic \(encoded)")
        case .tokenFile(let path):
            return try tokenFileCredential(path: path)
        case .exec(let exec):
            return try await execCredential(exec)
        }
    }

    /// Forgets the cached credential, so the next request re-reads the token file
    /// or re-runs the exec plugin. Call it when the server answers 401.
    public func invalidate() {
        generation += 1
        refreshAt = nil
        if case .exec = credentials {
            cached = nil
        }
    }

    // MARK: Token file

    private func tokenFileCredential(path: String) throws -> Credential {
        let current = now()
        if let cached, let refreshAt, current < refreshAt {
            return cached
        }
        do {
            let token = try Self.readToken(path: path)
            let credential = Credential(authorization: "Bearer \(token)")
            cached = credential
            refreshAt = current.addingTimeInterval(tokenFileRefreshInterval.timeInterval)
            return credential
        } catch {
            // client-go keeps serving the old token and tries again on the next request.
            guard let cached else { throw error }
            logger.error("unable to rotate token", metadata: ["path": "\(path)", "error": "\(error)"])
            return cached
        }
    }

    private static func readToken(path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CredentialError(.tokenFile, "cannot read token file \(path): \(error.localizedDescription)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw CredentialError(.tokenFile, "token file \(path) is empty")
        }
        return token
    }

    // MARK: Exec plugin

    private func execCredential(_ exec: ExecConfig) async throws -> Credential {
        if let cached, !isExpired(cached) {
            return cached
        }
        if waiters != nil {
            return try await withCheckedThrowingContinuation { continuation in
                waiters?.append(continuation)
            }
        }
        waiters = []
        let startedGeneration = generation
        let result: Result<Credential, any Error>
        do {
            result = .success(
                try await ExecPlugin.run(
                    exec, clusterInfo: clusterInfo, environment: environment, timeout: execTimeout
                )
            )
        } catch {
            result = .failure(error)
        }
        let pending = waiters ?? []
        waiters = nil
        if case .success(let credential) = result, startedGeneration == generation {
            cached = credential
        }
        for waiter in pending {
            waiter.resume(with: result)
        }
        return try result.get()
    }

    private func isExpired(_ credential: Credential) -> Bool {
        guard let expiresAt = credential.expiresAt else { return false }
        return now() >= expiresAt
    }
}

/// A credential that could not be obtained.
///
/// The message names the file or command and, for a failed plugin, its exit
/// status and standard error; never a token.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in a form short enough for a metric label.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case tokenFile, execNotFound, execFailed, execTimedOut, execInvalidOutput, execUnsupported
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A token file is missing, unreadable or empty.
        public static let tokenFile = Code(.tokenFile)
        /// The exec plugin's command cannot be found.
        public static let execNotFound = Code(.execNotFound)
        /// The exec plugin could not be started or exited with a non-zero status.
        public static let execFailed = Code(.execFailed)
        /// The exec plugin ran longer than allowed.
        public static let execTimedOut = Code(.execTimedOut)
        /// The exec plugin printed something other than a usable `ExecCredential`.
        public static let execInvalidOutput = Code(.execInvalidOutput)
        /// The exec plugin needs something an operator cannot give (a terminal).
        public static let execUnsupported = Code(.execUnsupported)

        /// The short form, such as `execFailed`.
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

// MARK: - ExecCredential wire types

/// The `client.authentication.k8s.io` versions an exec plugin may speak.
enum ExecCredentialVersion: String, CaseIterable, Sendable {
    case v1 = "client.authentication.k8s.io/v1"
    case v1beta1 = "client.authentication.k8s.io/v1beta1"
}

/// `spec.cluster` of an `ExecCredential`: what a plugin with `provideClusterInfo` is told.
struct ExecClusterInfo: Encodable, Sendable {
    var server: String
    var tlsServerName: String?
    var insecureSkipTLSVerify: Bool?
    var certificateAuthorityData: String?
    var proxyURL: String?

    init(_ config: ClusterConfig) {
        server = config.server.absoluteString
        tlsServerName = config.tlsServerName
        insecureSkipTLSVerify = config.insecureSkipTLSVerify ? true : nil
        certificateAuthorityData = config.caCertificatePEM?.base64EncodedString()
        proxyURL = config.proxyURL?.absoluteString
    }

    private enum CodingKeys: String, CodingKey {
        case server
        case tlsServerName = "tls-server-name"
        case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        case certificateAuthorityData = "certificate-authority-data"
        case proxyURL = "proxy-url"
    }
}

/// The `ExecCredential` put in `KUBERNETES_EXEC_INFO`.
private struct ExecCredentialRequest: Encodable {
    struct Spec: Encodable {
        var cluster: ExecClusterInfo?
        var interactive: Bool
    }

    var apiVersion: String
    var kind = "ExecCredential"
    var spec: Spec
}

/// The `ExecCredential` a plugin prints.
private struct ExecCredentialResponse: Decodable {
    struct Status: Decodable {
        var token: String?
        var expirationTimestamp: String?
        var clientCertificateData: String?
        var clientKeyData: String?
    }

    var apiVersion: String?
    var kind: String?
    var status: Status?
}

// MARK: - Running a plugin

private enum ExecPlugin {
    /// Longest stretch of a plugin's standard error quoted in an error.
    static let stderrLimit = 2048

    static func run(
        _ exec: ExecConfig,
        clusterInfo: ExecClusterInfo,
        environment: [String: String],
        timeout: Duration
    ) async throws -> Credential {
        let name = exec.command
        if exec.interactiveMode == .always {
            throw CredentialError(
                .execUnsupported,
                "exec plugin \"\(name)\" cannot support interactive mode: standard input is not a terminal"
            )
        }
        guard let executable = locate(exec.command, path: environment["PATH"]) else {
            var message = "exec plugin command \"\(name)\" not found"
            if !name.contains("/") { message += " in PATH" }
            if let hint = exec.installHint, !hint.isEmpty { message += "\n\n\(hint)" }
            throw CredentialError(.execNotFound, message)
        }

        var childEnvironment = environment
        for variable in exec.env {
            childEnvironment[variable.name] = variable.value
        }
        let request = ExecCredentialRequest(
            apiVersion: exec.apiVersion,
            spec: .init(cluster: exec.provideClusterInfo ? clusterInfo : nil, interactive: false)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        childEnvironment["KUBERNETES_EXEC_INFO"] = String(decoding: try encoder.encode(request), as: UTF8.self)

        let output = try await launch(
            executable, arguments: exec.args, environment: childEnvironment, timeout: timeout, name: name
        )
        let stderr = quoted(output.stderr)
        if output.signaled {
            throw CredentialError(
                .execFailed,
                "exec plugin \"\(name)\" was killed by signal \(output.status)\(stderr.map { ": \($0)" } ?? "")"
            )
        }
        guard output.status == 0 else {
            throw CredentialError(
                .execFailed,
                "exec plugin \"\(name)\" exited with status \(output.status)\(stderr.map { ": \($0)" } ?? "")"
            )
        }
        return try parse(output.stdout, exec: exec)
    }

    /// Turns a plugin's standard output into a credential, with client-go's checks.
    /// The output itself is never quoted: it holds the token.
    static func parse(_ stdout: Data, exec: ExecConfig) throws -> Credential {
        let name = exec.command
        func invalid(_ problem: String) -> CredentialError {
            CredentialError(.execInvalidOutput, "exec plugin \"\(name)\" \(problem)")
        }
        let response: ExecCredentialResponse
        do {
            response = try JSONDecoder().decode(ExecCredentialResponse.self, from: stdout)
        } catch {
            throw invalid("did not print an ExecCredential as JSON")
        }
        guard response.kind == "ExecCredential" else {
            throw invalid("printed kind \"\(response.kind ?? "")\", not ExecCredential")
        }
        guard response.apiVersion == exec.apiVersion else {
            throw invalid(
                "is configured to use API version \(exec.apiVersion), but returned version \(response.apiVersion ?? "(none)")"
            )
        }
        guard let status = response.status else {
            throw invalid("did not return a status field")
        }
        let token = status.token.flatMap { $0.isEmpty ? nil : $0 }
        let certificate = status.clientCertificateData.flatMap { $0.isEmpty ? nil : Data($0.utf8) }
        let key = status.clientKeyData.flatMap { $0.isEmpty ? nil : Data($0.utf8) }
        if (certificate == nil) != (key == nil) {
            throw invalid("returned only a client certificate or only a key, not both")
        }
        if token == nil && certificate == nil {
            throw invalid("did not return a token or a client certificate and key")
        }
        var expiresAt: Date?
        if let timestamp = status.expirationTimestamp, !timestamp.isEmpty {
            guard let date = parseRFC3339(timestamp) else {
                throw invalid("returned an expirationTimestamp that is not RFC 3339: \(timestamp)")
            }
            expiresAt = date
        }
        return Credential(
            authorization: token.map { "Bearer \($0)" },
            clientCertificatePEM: certificate,
            clientKeyPEM: key,
            expiresAt: expiresAt
        )
    }

    static func parseRFC3339(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The executable for a command: a path as is, a bare name through `PATH`.
    static func locate(_ command: String, path: String?) -> URL? {
        let files = FileManager.default
        if command.contains("/") {
            return files.isExecutableFile(atPath: command) ? URL(fileURLWithPath: command) : nil
        }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for directory in directories where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(command)
            if files.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Standard error trimmed to something fit for an error message, or `nil` when empty.
    static func quoted(_ stderr: Data) -> String? {
        var text = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        if text.count > stderrLimit {
            text = String(text.prefix(stderrLimit)) + "…"
        }
        return text
    }

    struct Output: Sendable {
        /// The exit status, or the signal number when ``signaled``.
        var status: Int32
        var signaled: Bool
        var stdout: Data
        var stderr: Data
    }

    /// Most bytes kept of standard output; an ExecCredential is a few kilobytes.
    static let stdoutLimit = 1 << 20

    /// Collects a run's output and exit and resumes the caller once: when the
    /// program has exited and both pipes are at end of file, or on failure.
    private final class Run: Sendable {
        private struct State {
            var stdout = Data()
            var stderr = Data()
            var openPipes = 2
            var exit: (status: Int32, signaled: Bool)?
            var continuation: CheckedContinuation<Output, any Error>?
        }

        private let state: Mutex<State>

        init(_ continuation: CheckedContinuation<Output, any Error>) {
            state = Mutex(State(continuation: continuation))
        }

        func append(_ data: DispatchData, stdout: Bool) {
            state.withLock { state in
                if stdout {
                    if state.stdout.count < ExecPlugin.stdoutLimit { state.stdout.append(contentsOf: data) }
                } else if state.stderr.count < ExecPlugin.stderrLimit {
                    state.stderr.append(contentsOf: data)
                }
            }
        }

        func pipeClosed() {
            resumeIfComplete { $0.openPipes -= 1 }
        }

        func exited(status: Int32, signaled: Bool) {
            resumeIfComplete { $0.exit = (status, signaled) }
        }

        /// Resumes the caller with `error` unless it was already resumed; returns whether it was.
        @discardableResult
        func fail(_ error: CredentialError) -> Bool {
            let continuation = state.withLock { state in
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(throwing: error)
            return continuation != nil
        }

        private func resumeIfComplete(_ update: (inout State) -> Void) {
            let ready: (CheckedContinuation<Output, any Error>, Output)? = state.withLock { state in
                update(&state)
                guard state.openPipes == 0, let exit = state.exit, let continuation = state.continuation else {
                    return nil
                }
                state.continuation = nil
                let output = Output(
                    status: exit.status, signaled: exit.signaled, stdout: state.stdout, stderr: state.stderr
                )
                return (continuation, output)
            }
            if let (continuation, output) = ready {
                continuation.resume(returning: output)
            }
        }
    }

    /// Whether starting a program failed with ETXTBSY ("Text file busy").
    static func isTextFileBusy(_ error: any Error) -> Bool {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain && nsError.code == Int(ETXTBSY) { return true }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.domain == NSPOSIXErrorDomain && underlying.code == Int(ETXTBSY)
        }
        return false
    }

    /// Runs a program to completion without blocking any thread: pipes are read
    /// through `DispatchIO` and the exit comes through `terminationHandler`.
    ///
    /// On timeout the program is terminated and the caller gets an error at once,
    /// even if a child of the plugin still holds the pipes open.
    static func launch(
        _ executable: URL, arguments: [String], environment: [String: String], timeout: Duration, name: String
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            let run = Run(continuation)
            var attempts = 0
            var started: (process: Process, stdout: Pipe, stderr: Pipe)?
            while started == nil {
                let process = Process()
                process.executableURL = executable
                process.arguments = arguments
                process.environment = environment
                process.standardInput = FileHandle.nullDevice
                let stdoutPipe = Pipe()
                let stderrPipe = Pipe()
                process.standardOutput = stdoutPipe
                process.standardError = stderrPipe
                process.terminationHandler = { process in
                    run.exited(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal)
                }
                do {
                    try process.run()
                    started = (process, stdoutPipe, stderrPipe)
                } catch where Self.isTextFileBusy(error) && attempts < 5 {
                    // ETXTBSY: a process forked elsewhere in this program still holds the freshly
                    // written plugin open for writing, until its exec. It clears within milliseconds.
                    attempts += 1
                    usleep(20_000)
                } catch {
                    run.fail(
                        CredentialError(
                            .execFailed, "exec plugin \"\(name)\" could not be started: \(error.localizedDescription)"
                        )
                    )
                    return
                }
            }
            guard let (process, stdoutPipe, stderrPipe) = started else { return }
            drain(stdoutPipe, into: run, stdout: true)
            drain(stderrPipe, into: run, stdout: false)

            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval) {
                let error = CredentialError(
                    .execTimedOut, "exec plugin \"\(name)\" did not finish within \(timeout) and was stopped"
                )
                if run.fail(error), process.isRunning {
                    process.terminate()
                }
            }
        }
    }

    /// Reads a pipe to its end, handing each chunk to `run`.
    private static func drain(_ pipe: Pipe, into run: Run, stdout: Bool) {
        let handle = pipe.fileHandleForReading
        // The cleanup handler keeps the pipe, and so its descriptor, open until the channel is done.
        let channel = DispatchIO(
            type: .stream, fileDescriptor: handle.fileDescriptor, queue: .global(),
            cleanupHandler: { _ in _ = pipe }
        )
        channel.read(offset: 0, length: Int.max, queue: .global()) { done, data, _ in
            if let data, !data.isEmpty {
                run.append(data, stdout: stdout)
            }
            if done {
                channel.close()
                run.pipeClosed()
            }
        }
    }
}

private typealias Credential = CredentialProvider.Credential

extension Duration {
    /// The duration in seconds, as Foundation and Dispatch take it.
    fileprivate var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
