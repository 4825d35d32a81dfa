import Foundation
import Logging

/// A stand-in for lakeFS: its REST API v1 on loopback, written from lakeFS's
/// swagger.yml, over an in-memory model of repositories, a commit DAG, branches as
/// pointers, uncommitted changes, merges, protection rules, scripted pre-merge hooks
/// and action runs — plus a Swift API for tests and `hmco-dev` to arrange state,
/// script hooks, inject faults and count requests.
///
/// Guarantees:
/// - Answers use lakeFS's status codes and `{"message": …}` error bodies; a test
///   validates them against swagger.yml.
/// - Thread-safe: HTTP handlers and the Swift API share one lock.
///
/// Caveats:
/// - The Swift API arranges state directly: it skips authentication, faults,
///   protection rules, branch locks, read-only checks and hooks. Only requests made
///   over HTTP meet them.
/// - Tags, objects' metadata, imports and authorization policies are not simulated.
///
/// ```swift
/// let lakeFS = LakeFSSimulator()
/// let url = try await lakeFS.start()          // http://127.0.0.1:<port>/api/v1
/// try lakeFS.createRepository("analytics")
/// try lakeFS.createBranch(repository: "analytics", name: "ingest", from: "main")
/// try lakeFS.write(repository: "analytics", branch: "ingest", path: "a.csv", content: "1,2")
/// try lakeFS.commit(repository: "analytics", branch: "ingest", message: "load")
/// try lakeFS.setPreMergeHook(repository: "analytics", branch: "main",
///                            verdict: .fail(hookID: "check_nulls", output: "column id has nulls"))
/// ```
public final class LakeFSSimulator: Sendable {
    /// How the simulator listens and whom it lets in.
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port to bind; 0 picks a free one.
        public var port: Int
        /// The access key id accepted by basic authentication.
        public var accessKeyID: String
        /// The secret access key accepted by basic authentication.
        public var secretAccessKey: String
        /// The user recorded as committer.
        public var username: String
        /// The version `/config/version` reports.
        public var version: String
        /// The clock behind commit dates and run times.
        public var clock: @Sendable () -> Date

        public init(
            host: String = "127.0.0.1", port: Int = 0, accessKeyID: String = "AKIAIOSFOLKFSSAMPLES",
            secretAccessKey: String = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", username: String = "admin",
            version: String = "1.84.0", clock: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.host = host
            self.port = port
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.username = username
            self.version = version
            self.clock = clock
        }
    }

    /// The configuration the simulator was made with.
    public let configuration: Configuration
    /// The HTTP server: lifecycle, port, faults and request counts.
    public let server: SimulatorServer
    let store: LakeFSStore

    public init(
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "hmco.simulator.lakefs", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        let store = LakeFSStore(committer: configuration.username, clock: configuration.clock)
        self.store = store
        let api = LakeFSAPI(
            store: store, accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey,
            version: configuration.version)
        self.server = SimulatorServer(api: api, host: configuration.host, port: configuration.port, logger: logger)
    }

    // MARK: Lifecycle

    /// Serves until the calling task is cancelled (for a service or task group).
    public func run() async throws { try await server.run() }

    /// Starts serving in the background; returns the API's base URL, `…/api/v1`.
    @discardableResult
    public func start() async throws -> URL { try await server.start() }

    /// Stops a run begun with ``start()``. A later ``start()`` binds the same port.
    public func stop() async { await server.stop() }

    /// `http://host:port/api/v1` while running.
    public var baseURL: URL? { server.baseURL }

    /// `http://host:port` while running: the lakeFS endpoint as clients configure it.
    public var endpoint: URL? { server.port.flatMap { URL(string: "http://\(configuration.host):\($0)") } }

    /// Fault injection for every request; keys are operation ids (see ``Operation``).
    public var faults: FaultInjector { server.faults }

    /// Request counts by operation id (see ``Operation``).
    public var requests: RequestCounter { server.requests }

    /// Requests received for one operation id, e.g. ``Operation/mergeIntoBranch``.
    public func requestCount(_ operation: String) -> Int { server.requests.count(operation) }

    /// Forgets every repository, fault and request count.
    public func reset() {
        try? store.write { $0 = LakeFSState() }
        server.faults.clear()
        server.requests.reset()
    }
}

extension LakeFSSimulator {
    /// The operation ids (from swagger.yml) the simulator serves; request counts and
    /// per-route faults are keyed by them.
    public enum Operation {
        public static let healthCheck = "healthCheck"
        public static let getLakeFSVersion = "getLakeFSVersion"
        public static let listRepositories = "listRepositories"
        public static let createRepository = "createRepository"
        public static let getRepository = "getRepository"
        public static let deleteRepository = "deleteRepository"
        public static let getBranchProtectionRules = "getBranchProtectionRules"
        public static let setBranchProtectionRules = "setBranchProtectionRules"
        public static let listBranches = "listBranches"
        public static let createBranch = "createBranch"
        public static let getBranch = "getBranch"
        public static let deleteBranch = "deleteBranch"
        public static let resetBranch = "resetBranch"
        public static let hardResetBranch = "hardResetBranch"
        public static let commit = "commit"
        public static let revertBranch = "revertBranch"
        public static let diffBranch = "diffBranch"
        public static let uploadObject = "uploadObject"
        public static let deleteObject = "deleteObject"
        public static let getObject = "getObject"
        public static let logCommits = "logCommits"
        public static let getCommit = "getCommit"
        public static let mergeIntoBranch = "mergeIntoBranch"
        public static let findMergeBase = "findMergeBase"
        public static let diffRefs = "diffRefs"
        public static let listRepositoryRuns = "listRepositoryRuns"
        public static let getRun = "getRun"
        public static let listRunHooks = "listRunHooks"
        public static let getRunHookOutput = "getRunHookOutput"
    }
}

extension InjectedFailure {
    /// lakeFS's answer when a branch lock cannot be acquired.
    public static let lakeFSBranchLocked = InjectedFailure(
        status: 500, message: "branch is currently locked, try again later")
    /// lakeFS's answer when its key-value store throttles.
    public static let lakeFSSlowDown = InjectedFailure(status: 503, message: "Throughput exceeded. Slow down and retry")
}
