import Foundation
import IntegrationSupport
import KubeAPI
import LakeFS
import PlatformAPI

/// Where one DataBranch's lakeFS is and the credentials to use. Compared and
/// hashed to reuse clients; never printed (``description`` hides the secret).
public struct LakeFSTarget: Sendable, Hashable, CustomStringConvertible {
    public var url: String
    public var accessKeyID: String
    public var secretAccessKey: String

    public init(url: String, accessKeyID: String, secretAccessKey: String) {
        self.url = url
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    public var description: String { "\(url) as \(accessKeyID)" }
}

/// Makes lakeFS clients; tests substitute one that points at a simulator or a fake.
public protocol LakeFSConnector: Sendable {
    func client(for target: LakeFSTarget) throws -> any LakeFSClient
}

extension LakeFSTarget: ClientTarget {}

/// HTTP clients, one per target, sharing their bounded concurrency toward each lakeFS.
public final class HTTPLakeFSConnector: LakeFSConnector {
    private let clients = ClientCache<LakeFSTarget, HTTPLakeFSClient>()
    private let timeout: Duration
    private let maxConcurrentRequests: Int

    public init(timeout: Duration = .seconds(30), maxConcurrentRequests: Int = 8) {
        self.timeout = timeout
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    public func client(for target: LakeFSTarget) throws -> any LakeFSClient {
        try clients.client(for: target) { url in
            HTTPLakeFSClient(
                serverURL: url, accessKeyID: target.accessKeyID, secretAccessKey: target.secretAccessKey, timeout: timeout,
                maxConcurrentRequests: maxConcurrentRequests)
        }
    }

    /// Forgets every client made so far; a later ``client(for:)`` makes a new one.
    /// The clients share the process-wide HTTP connection pool, so nothing needs closing.
    public func shutdown() async {
        clients.removeAll()
    }
}

/// The operator-wide lakeFS settings a DataBranch falls back on.
public struct LakeFSDefaults: Sendable {
    /// The lakeFS URL when a DataBranch names none.
    public var url: String?
    /// `namespace/name` of a Secret with keys `accessKeyId` and `secretAccessKey`.
    public var credentialsSecret: String?

    public init(url: String? = nil, credentialsSecret: String? = nil) {
        self.url = url
        self.credentialsSecret = credentialsSecret
    }
}
