import Foundation
import KubeAPI

/// metav1.APIResourceList: what one group/version serves.
public struct APIResourceList: Codable, Sendable, Hashable {
    public var groupVersion: String
    public var resources: [APIResource]

    /// metav1.APIResource.
    public struct APIResource: Codable, Sendable, Hashable {
        public var name: String
        public var singularName: String?
        public var namespaced: Bool
        public var kind: String
        public var verbs: [String]?
        public var shortNames: [String]?
        public var categories: [String]?
    }
}

extension KubernetesClient {
    /// The resources a group/version serves, or nil when the group/version is not served.
    public func serverResources(group: String, version: String) async throws -> APIResourceList? {
        let path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        do {
            let response = try await request(method: "GET", path: path, operation: "discover \(group.isEmpty ? version : "\(group)/\(version)")")
            return try JSONCoding.decode(APIResourceList.self, from: response.body)
        } catch let error as KubeError where error.isNotFound {
            return nil
        }
    }

    /// Whether the API server serves a resource — e.g. whether KEDA's CRDs are installed.
    public func isServed(group: String, version: String, resource plural: String) async throws -> Bool {
        guard let list = try await serverResources(group: group, version: version) else { return false }
        return list.resources.contains { $0.name == plural }
    }
}
