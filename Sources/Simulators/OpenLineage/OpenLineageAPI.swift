import Foundation
import Synchronization

/// Marquez's ingestion and raw-event endpoints, and the generic OpenLineage
/// consumer's `POST /lineage`, over the simulator's store.
struct OpenLineageAPI: SimulatorAPI {
    typealias Op = OpenLineageSimulator.Operation
    typealias JSON = OpenLineageWire.JSON

    let store: OpenLineageStore
    let configuration: OpenLineageSimulator.Configuration

    var basePath: String { "" }
    var routes: RouteTable { Self.routeTable }

    static let routeTable: RouteTable = {
        var table = RouteTable()
        table.add("POST", "/api/v1/lineage", operation: Op.recordLineage)
        table.add("GET", "/api/v1/events/lineage", operation: Op.getLineageEvents)
        table.add("POST", "/lineage", operation: Op.postRunEvent)
        return table
    }()

    func handle(_ request: SimulatorRequest, route: RouteMatch) async -> SimulatorResponse {
        if let token = configuration.bearerToken, request.header("authorization") != "Bearer \(token)" {
            return errorResponse(status: 401, message: "Credentials are required to access this resource.")
        }
        switch route.operation {
        case Op.recordLineage: return record(request, path: "/api/v1/lineage", successStatus: 201)
        case Op.postRunEvent: return record(request, path: "/lineage", successStatus: 200)
        case Op.getLineageEvents: return lineageEvents(request)
        default: return errorResponse(status: 404, message: "HTTP 404 Not Found")
        }
    }

    func errorResponse(status: Int, message: String) -> SimulatorResponse {
        .json(OpenLineageWire.ErrorBody(code: status, message: message), status: status)
    }

    func defaultMessage(forStatus status: Int) -> String {
        switch status {
        case 404: "HTTP 404 Not Found"
        case 405: "HTTP 405 Method Not Allowed"
        case 429: "Too Many Requests"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "There was an error processing your request. It has been logged."
        }
    }

    /// Marquez's `OpenLineageResource.create`: 201 with no body (the generic consumer: 200);
    /// a body that is not JSON is 400, an invalid event 422 `{"errors": [...]}`.
    private func record(_ request: SimulatorRequest, path: String, successStatus: Int) -> SimulatorResponse {
        guard let event = try? JSONDecoder().decode(JSON.self, from: Data(request.body)) else {
            return errorResponse(status: 400, message: "Unable to process JSON")
        }
        let problems = OpenLineageValidation.problems(event)
        guard problems.isEmpty else {
            return .json(OpenLineageWire.ValidationErrors(errors: problems), status: 422)
        }
        store.append(event, path: path)
        return .empty(status: successStatus)
    }

    /// `GET /api/v1/events/lineage?before=&after=&limit=&offset=&sortDirection=`:
    /// stored events by `eventTime`, newest first unless `sortDirection=asc`.
    private func lineageEvents(_ request: SimulatorRequest) -> SimulatorResponse {
        var limit = 100
        var offset = 0
        if let text = request.query["limit"] {
            guard let value = Int(text), value >= 0 else {
                return errorResponse(status: 400, message: "query param limit must be a non-negative integer")
            }
            limit = value
        }
        if let text = request.query["offset"] {
            guard let value = Int(text), value >= 0 else {
                return errorResponse(status: 400, message: "query param offset must be a non-negative integer")
            }
            offset = value
        }
        var bounds: [String: Date] = [:]
        for name in ["before", "after"] {
            guard let text = request.query[name] else { continue }
            guard let date = RFC3339.date(text) else {
                return errorResponse(status: 400, message: "query param \(name) must be a date-time")
            }
            bounds[name] = date
        }
        let ascending = request.query["sortDirection"]?.lowercased() == "asc"
        var events = store.read { $0 }.filter { stored in
            (bounds["before"].map { stored.eventDate < $0 } ?? true)
                && (bounds["after"].map { stored.eventDate > $0 } ?? true)
        }
        events.sort { lhs, rhs in
            if lhs.eventDate != rhs.eventDate {
                return ascending ? lhs.eventDate < rhs.eventDate : lhs.eventDate > rhs.eventDate
            }
            return ascending ? lhs.sequence < rhs.sequence : lhs.sequence > rhs.sequence
        }
        let page = events.dropFirst(offset).prefix(limit).map(\.json)
        return .json(OpenLineageWire.LineageEventList(events: Array(page), totalCount: events.count))
    }
}

/// One accepted event as stored.
struct StoredLineageEvent: Sendable {
    var sequence: Int
    var json: OpenLineageWire.JSON
    var eventDate: Date
    var path: String
}

/// The accepted events, under one lock.
final class OpenLineageStore: Sendable {
    private struct State {
        var events: [StoredLineageEvent] = []
        var nextSequence = 0
    }

    private let state = Mutex(State())

    func append(_ json: OpenLineageWire.JSON, path: String) {
        let date = json["eventTime"]?.string.flatMap(RFC3339.date) ?? Date(timeIntervalSince1970: 0)
        state.withLock { state in
            state.nextSequence += 1
            state.events.append(
                StoredLineageEvent(sequence: state.nextSequence, json: json, eventDate: date, path: path))
        }
    }

    /// The events in the order they arrived.
    func read<Value: Sendable>(_ body: ([StoredLineageEvent]) -> Value) -> Value {
        state.withLock { body($0.events) }
    }

    func reset() { state.withLock { $0 = State() } }
}
