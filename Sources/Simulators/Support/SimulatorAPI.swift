/// The HTTP face of one simulated system, served by a ``SimulatorServer``.
///
/// The server reads the request, routes it through ``routes``, counts it, applies
/// faults, and only then calls ``handle(_:route:)``; authentication is the API's
/// own business, since each system words its 401 differently.
public protocol SimulatorAPI: Sendable {
    /// The prefix every route lives under, e.g. `/api/v1`; empty for none.
    var basePath: String { get }
    /// The routes, named by operation.
    var routes: RouteTable { get }
    /// Serves one routed request.
    func handle(_ request: SimulatorRequest, route: RouteMatch) async -> SimulatorResponse
    /// An error in the system's own error shape.
    func errorResponse(status: Int, message: String) -> SimulatorResponse
    /// The text the system uses for an error status when a fault gives none.
    func defaultMessage(forStatus status: Int) -> String
}

extension SimulatorAPI {
    public func defaultMessage(forStatus status: Int) -> String {
        switch status {
        case 429: "too many requests"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        default: "internal server error"
        }
    }
}
