import Foundation
import KubeAPI

/// Options of a list call.
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var `continue`: String?
    public var resourceVersion: String?
    public var resourceVersionMatch: String?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continue: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: String? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continue = `continue`
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
    }

    var queryItems: [URLQueryItem] {
        var items: [URLQueryItem] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(.init(name: "labelSelector", value: labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(.init(name: "fieldSelector", value: fieldSelector)) }
        if let limit { items.append(.init(name: "limit", value: String(limit))) }
        if let `continue`, !`continue`.isEmpty { items.append(.init(name: "continue", value: `continue`)) }
        if let resourceVersion { items.append(.init(name: "resourceVersion", value: resourceVersion)) }
        if let resourceVersionMatch { items.append(.init(name: "resourceVersionMatch", value: resourceVersionMatch)) }
        return items
    }
}

/// Options of a watch call.
public struct WatchOptions: Sendable, Hashable {
    public var resourceVersion: String?
    public var allowWatchBookmarks: Bool
    public var timeoutSeconds: Int?
    public var labelSelector: String?
    public var fieldSelector: String?

    public init(
        resourceVersion: String? = nil, allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil,
        labelSelector: String? = nil, fieldSelector: String? = nil
    ) {
        self.resourceVersion = resourceVersion
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    var queryItems: [URLQueryItem] {
        var items: [URLQueryItem] = [.init(name: "watch", value: "true")]
        if let resourceVersion { items.append(.init(name: "resourceVersion", value: resourceVersion)) }
        if allowWatchBookmarks { items.append(.init(name: "allowWatchBookmarks", value: "true")) }
        if let timeoutSeconds { items.append(.init(name: "timeoutSeconds", value: String(timeoutSeconds))) }
        if let labelSelector, !labelSelector.isEmpty { items.append(.init(name: "labelSelector", value: labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(.init(name: "fieldSelector", value: fieldSelector)) }
        return items
    }
}

/// Options shared by create, update and patch.
public struct WriteOptions: Sendable, Hashable {
    /// `All` to validate and default without persisting.
    public var dryRun: Bool
    /// The field manager recorded in managedFields; required for server-side apply.
    public var fieldManager: String?
    /// `Strict`, `Warn` or `Ignore`.
    public var fieldValidation: String?

    public init(dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.fieldValidation = fieldValidation
    }

    var queryItems: [URLQueryItem] {
        var items: [URLQueryItem] = []
        if dryRun { items.append(.init(name: "dryRun", value: "All")) }
        if let fieldManager { items.append(.init(name: "fieldManager", value: fieldManager)) }
        if let fieldValidation { items.append(.init(name: "fieldValidation", value: fieldValidation)) }
        return items
    }
}

/// How the API server should treat dependents of a deleted object.
public enum PropagationPolicy: String, Sendable, Hashable, Codable {
    case foreground = "Foreground"
    case background = "Background"
    case orphan = "Orphan"
}

/// Options of a delete call, sent as a metav1.DeleteOptions body.
public struct DeleteOptions: Sendable, Hashable, Codable {
    public var apiVersion = "v1"
    public var kind = "DeleteOptions"
    public var propagationPolicy: PropagationPolicy?
    public var gracePeriodSeconds: Int?
    public var preconditions: Preconditions?
    public var dryRun: [String]?

    public init(
        propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil, preconditions: Preconditions? = nil,
        dryRun: Bool = false
    ) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditions = preconditions
        self.dryRun = dryRun ? ["All"] : nil
    }

    /// metav1.Preconditions: the delete fails with 409 unless these match.
    public struct Preconditions: Sendable, Hashable, Codable {
        public var uid: String?
        public var resourceVersion: String?

        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }
}

/// A patch body and its content type.
public enum Patch: Sendable, Hashable {
    /// RFC 7386 JSON merge patch (`application/merge-patch+json`).
    case merge(JSONValue)
    /// RFC 6902 JSON patch (`application/json-patch+json`): an array of operations.
    case json(JSONValue)
    /// Kubernetes strategic merge patch (built-in kinds only).
    case strategicMerge(JSONValue)
    /// Server-side apply (`application/apply-patch+yaml`; JSON is valid YAML).
    case apply(JSONValue, force: Bool)

    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }

    var body: JSONValue {
        switch self {
        case .merge(let body), .json(let body), .strategicMerge(let body), .apply(let body, _): body
        }
    }
}
