import Foundation

/// The routes of one simulated API, each named by the operation it serves
/// (for lakeFS, the OpenAPI `operationId`).
///
/// The operation name is what request counts and per-route faults are keyed by,
/// so tests speak the vocabulary of the upstream spec.
public struct RouteTable: Sendable {
    private struct Route: Sendable {
        let method: String
        let template: String
        let segments: [Segment]
        let operation: String
        var literalCount: Int { segments.filter { if case .literal = $0 { true } else { false } }.count }
    }

    private enum Segment: Sendable {
        case literal(String)
        case parameter(String)
    }

    /// The outcome of looking up a request.
    public enum Resolution: Sendable, Equatable {
        /// A route serves this method and path.
        case matched(RouteMatch)
        /// The path exists, but not for this method.
        case methodNotAllowed
        /// No route has this path.
        case notFound
    }

    private var routes: [Route] = []

    public init() {}

    /// Adds a route. `template` uses `{name}` for path parameters, e.g.
    /// `/repositories/{repository}/branches/{branch}`.
    public mutating func add(_ method: String, _ template: String, operation: String) {
        let segments = Self.split(template).map { part -> Segment in
            if part.hasPrefix("{"), part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(part)
        }
        routes.append(Route(method: method.uppercased(), template: template, segments: segments, operation: operation))
    }

    /// Every route as added: method, path template and operation name.
    public var entries: [(method: String, template: String, operation: String)] {
        routes.map { ($0.method, $0.template, $0.operation) }
    }

    /// Finds the route for a method and a path as sent (percent-encoded); path
    /// parameters are decoded segment by segment, so `%2F` stays inside its segment.
    ///
    /// When several templates fit, the one with the most literal segments wins.
    public func resolve(method: String, path: String) -> Resolution {
        let parts = Self.split(path).map { $0.removingPercentEncoding ?? $0 }
        var pathMatched = false
        var best: (route: Route, parameters: [String: String])?
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: parts) else { continue }
            pathMatched = true
            guard route.method == method.uppercased() else { continue }
            if best == nil || route.literalCount > (best?.route.literalCount ?? 0) {
                best = (route, parameters)
            }
        }
        if let best { return .matched(RouteMatch(operation: best.route.operation, parameters: best.parameters)) }
        return pathMatched ? .methodNotAllowed : .notFound
    }

    private static func bind(_ segments: [Segment], to parts: [String]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal): guard literal == part else { return nil }
            case .parameter(let name):
                guard !part.isEmpty else { return nil }
                parameters[name] = part
            }
        }
        return parameters
    }

    private static func split(_ path: String) -> [String] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "", !parts.isEmpty { parts.removeLast() }
        return parts
    }
}

/// A request matched to a route: the operation name and the bound path parameters.
public struct RouteMatch: Sendable, Hashable {
    /// The operation the route serves.
    public var operation: String
    /// Path parameter values by template name.
    public var parameters: [String: String]

    public init(operation: String, parameters: [String: String] = [:]) {
        self.operation = operation
        self.parameters = parameters
    }

    /// The value of a path parameter; empty when the template has no such name.
    public subscript(_ name: String) -> String { parameters[name] ?? "" }
}
