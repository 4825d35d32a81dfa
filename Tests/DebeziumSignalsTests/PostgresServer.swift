import Foundation
import PostgresNIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real PostgreSQL server for one test: a fresh cluster made by `initdb` in a
/// temporary directory, `postgres` started as a child process on a free loopback
/// port, stopped (SIGTERM, then harder) and deleted by ``withPostgresServer(_:_:)``.
///
/// Finds `initdb` and `postgres` in `HMCO_POSTGRES_BIN`, on PATH, or under
/// `/usr/lib/postgresql/<version>/bin` (Debian's `postgresql` package). PostgreSQL
/// refuses to run as root, so under root both run as the `postgres` user (or
/// `nobody`) through `setpriv`.
final class PostgresServer: @unchecked Sendable {
    struct Options: Sendable {
        /// The superuser's password; `nil` trusts every connection. With a password,
        /// TCP connections must authenticate with SCRAM; the Unix socket stays trusted.
        var password: String?
        /// Serve TLS with a certificate for `localhost` (DNS name only, no IP address)
        /// signed by a fresh CA (``caPEM``), and accept TCP connections over TLS only.
        var tlsOnly = false
    }

    /// The superuser.
    static let superuser = "postgres"

    let port: Int
    let options: Options
    /// The CA that signed the server's certificate, with ``Options/tlsOnly``.
    let caPEM: String?
    private let directory: URL
    private let process: Process
    private let logFile: URL

    private init(port: Int, options: Options, caPEM: String?, directory: URL, process: Process, logFile: URL) {
        self.port = port
        self.options = options
        self.caPEM = caPEM
        self.directory = directory
        self.process = process
        self.logFile = logFile
    }

    // MARK: Finding the binaries

    /// The directory holding `initdb` and `postgres`, if any.
    static let binDirectory: String? = {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = environment["HMCO_POSTGRES_BIN"] { candidates.append(explicit) }
        candidates += (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let debian = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "\(debian)/\($0)/bin" }
        return candidates.first { directory in
            ["initdb", "postgres"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }()

    static let setprivPath: String? = executable("setpriv", extra: ["/usr/bin", "/bin"])
    static let opensslPath: String? = executable("openssl", extra: ["/usr/bin"])

    /// Whether a server can be started here.
    static var isAvailable: Bool {
        binDirectory != nil && (geteuid() != 0 || (setprivPath != nil && unprivilegedUser != nil))
    }

    private static func executable(_ name: String, extra: [String]) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + extra
        return path.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Under root: the account PostgreSQL runs as.
    private static let unprivilegedUser: (uid: uid_t, gid: gid_t)? = {
        for name in ["postgres", "nobody"] {
            if let entry = getpwnam(name) { return (entry.pointee.pw_uid, entry.pointee.pw_gid) }
        }
        return nil
    }()

    // MARK: Starting and stopping

    /// Starts a server, runs `body` with it, and stops it whether `body` returned or threw.
    static func withPostgresServer<T: Sendable>(
        _ options: Options = Options(), _ body: (PostgresServer) async throws -> T
    ) async throws -> T {
        let server = try await start(options)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private static func start(_ options: Options) async throws -> PostgresServer {
        guard let bin = binDirectory else { throw ServerError("initdb and postgres not found") }
        let directory = URL(fileURLWithPath: "/tmp/hmco-pg-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let data = directory.appendingPathComponent("data")
            var initdb = [
                "-D", data.path, "-U", superuser, "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
            ]
            if let password = options.password {
                let passwordFile = directory.appendingPathComponent("pwfile")
                try Data((password + "\n").utf8).write(to: passwordFile)
                initdb += ["--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=\(passwordFile.path)"]
            } else {
                initdb += ["--auth=trust"]
            }
            var settings = [
                "listen_addresses=127.0.0.1", "shared_buffers=16MB", "max_connections=30", "fsync=off",
                "logging_collector=off",
            ]
            var caPEM: String?
            if options.tlsOnly {
                caPEM = try await makeCertificates(in: directory)
                settings += [
                    "ssl=on", "ssl_cert_file=\(directory.path)/server.pem", "ssl_key_file=\(directory.path)/server.key",
                ]
            }
            try makeOwnedByServerUser(directory)
            let initLog = directory.appendingPathComponent("initdb.log")
            let status = try await runToCompletion(
                launch("\(bin)/initdb", initdb, log: initLog), timeout: .seconds(120))
            guard status == 0 else { throw ServerError("initdb exited with \(status): \(tail(of: initLog))") }
            if options.tlsOnly {
                let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n"
                try Data(hba.utf8).write(to: data.appendingPathComponent("pg_hba.conf"))
            }
            // A port found free can be taken before postgres binds it: try a few.
            for attempt in 1...5 {
                let port = try freePort()
                let log = directory.appendingPathComponent("postgres-\(attempt).log")
                let arguments =
                    ["-D", data.path, "-p", "\(port)", "-k", directory.path] + settings.flatMap { ["-c", $0] }
                let process = try launch("\(bin)/postgres", arguments, log: log)
                let server = PostgresServer(
                    port: port, options: options, caPEM: caPEM, directory: directory, process: process, logFile: log)
                switch await server.waitUntilReady(timeout: .seconds(60)) {
                case .ready:
                    return server
                case .portTaken:
                    await server.terminate()
                    continue
                case .failed(let why):
                    await server.terminate()
                    throw ServerError("postgres did not start: \(why)")
                }
            }
            throw ServerError("postgres found no free port in 5 attempts")
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Stops the server (SIGTERM, then SIGINT and SIGKILL if it lingers) and deletes its files.
    func stop() async {
        await terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    private func terminate() async {
        for signal in [SIGTERM, SIGINT, SIGKILL] where process.isRunning {
            kill(process.processIdentifier, signal)
            let deadline = ContinuousClock.now + .seconds(15)
            while process.isRunning, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        if !process.isRunning { process.waitUntilExit() }
    }

    private enum Readiness { case ready, portTaken, failed(String) }

    /// Polls a connection over the Unix socket until one succeeds, the server exits, or `timeout` passes.
    private func waitUntilReady(timeout: Duration) async -> Readiness {
        let deadline = ContinuousClock.now + timeout
        var lastError = "no attempt"
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let log = Self.tail(of: logFile)
                return log.contains("Address already in use")
                    ? .portTaken : .failed("exited with \(process.terminationStatus): \(log)")
            }
            do {
                try await withAdmin { _ in }
                return .ready
            } catch {
                lastError = String(reflecting: error)
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return .failed("not ready within \(timeout): \(lastError); log: \(Self.tail(of: logFile))")
    }

    // MARK: Using the server

    /// Runs `body` on a superuser connection over the Unix socket (always trusted), then closes it.
    func withAdmin<T: Sendable>(
        database: String = "postgres", _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var configuration = PostgresConnection.Configuration(
            unixSocketPath: directory.appendingPathComponent(".s.PGSQL.\(port)").path, username: Self.superuser,
            password: nil,
            database: database)
        configuration.options.connectTimeout = .seconds(5)
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: 0, logger: Self.quiet)
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs each statement as the superuser.
    func execute(_ statements: PostgresQuery...) async throws {
        try await withAdmin { connection in
            for statement in statements {
                for try await _ in try await connection.query(statement, logger: Self.quiet) {}
            }
        }
    }

    /// The rows of a query whose columns are all text (NULL as `nil`).
    func rows(_ query: PostgresQuery) async throws -> [[String?]] {
        try await withAdmin { connection in
            var rows: [[String?]] = []
            for try await row in try await connection.query(query, logger: Self.quiet) {
                rows.append(try row.map { try $0.decode(String?.self) })
            }
            return rows
        }
    }

    /// PostgresNIO logs at debug and trace; the tests want none of it.
    static let quiet: Logger = {
        var logger = Logger(label: "test-postgres")
        logger.logLevel = .critical
        return logger
    }()

    // MARK: Helpers

    private static func launch(_ executable: String, _ arguments: [String], log: URL) throws -> Process {
        let process = Process()
        if geteuid() == 0, let setpriv = setprivPath, let user = unprivilegedUser {
            process.executableURL = URL(fileURLWithPath: setpriv)
            process.arguments =
                ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls for exit (a blocking wait would hold one of the few cooperative threads).
    private static func runToCompletion(_ process: Process, timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw ServerError(
                    "\(process.executableURL?.lastPathComponent ?? "process") did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A CA and a server certificate for `localhost` (DNS name only) signed by it; returns the CA's PEM.
    private static func makeCertificates(in directory: URL) async throws -> String {
        guard let openssl = opensslPath else { throw ServerError("openssl not found") }
        let path = directory.path
        try Data("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n".utf8).write(
            to: directory.appendingPathComponent("ext.cnf"))
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "\(path)/ca.key",
                "-out", "\(path)/ca.pem", "-days", "2", "-subj", "/CN=hmco test CA", "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ],
            [
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "\(path)/server.key",
                "-out", "\(path)/server.csr", "-subj", "/CN=localhost",
            ],
            [
                "x509", "-req", "-in", "\(path)/server.csr", "-CA", "\(path)/ca.pem", "-CAkey", "\(path)/ca.key",
                "-CAcreateserial",
                "-out", "\(path)/server.pem", "-days", "2", "-extfile", "\(path)/ext.cnf",
            ],
        ]
        for (index, arguments) in steps.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: openssl)
            process.arguments = arguments
            let log = directory.appendingPathComponent("openssl-\(index).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            let status = try await runToCompletion(process, timeout: .seconds(60))
            guard status == 0 else {
                throw ServerError("openssl \(arguments[0]) exited with \(status): \(tail(of: log))")
            }
        }
        // PostgreSQL refuses a key file that others can read.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: "\(path)/server.key")
        return try String(contentsOf: directory.appendingPathComponent("ca.pem"), encoding: .utf8)
    }

    /// Under root, hands `directory` and what is in it to the account the server runs as.
    private static func makeOwnedByServerUser(_ directory: URL) throws {
        guard geteuid() == 0, let user = unprivilegedUser else { return }
        let paths =
            [directory.path]
            + (FileManager.default.subpaths(atPath: directory.path) ?? []).map { "\(directory.path)/\($0)" }
        for path in paths where chown(path, user.uid, user.gid) != 0 {
            throw ServerError("chown \(path) failed: errno \(errno)")
        }
    }

    /// A loopback TCP port nobody listens on right now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError("socket failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw ServerError("bind failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw ServerError("getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func tail(of file: URL) -> String {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    struct ServerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
