import Foundation
import IntegrationSupport
import KafkaConnect

/// Re-serializes JSON with sorted keys so two documents compare by content.
/// Bodies are checked as generic JSON, never through the client's own types.
func canonicalJSON(_ data: Data?) -> String? {
    guard let data, let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
        let canonical = try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    else { return nil }
    return String(decoding: canonical, as: UTF8.self)
}

func canonicalJSON(_ text: String) -> String? { canonicalJSON(Data(text.utf8)) }

/// A recorded Connect answer.
func response(_ status: Int, _ body: String = "") -> BackendResponse {
    let headers = body.isEmpty ? [] : [(name: "Content-Type", value: "application/json")]
    return BackendResponse(status: status, headers: headers, body: Data(body.utf8))
}

/// Connect's error body.
func errorBody(_ code: Int, _ message: String) -> String {
    let quoted = String(decoding: (try? JSONEncoder().encode(message)) ?? Data("\"\"".utf8), as: UTF8.self)
    return #"{"error_code":\#(code),"message":\#(quoted)}"#
}

/// A stand-in transport: answers scripted responses per `METHOD /path?query`, in
/// order, and records what it was sent. It speaks raw JSON only; an unscripted
/// request gets Connect's 404.
actor ScriptedConnect {
    struct Sent: Sendable {
        var line: String
        var action: KafkaConnectRequest.Action
        /// The body as canonical JSON; nil when there was none.
        var body: String?
        var operation: String
    }

    private var script: [String: [BackendResponse]] = [:]
    private(set) var sent: [Sent] = []

    func on(_ line: String, _ responses: BackendResponse...) {
        script[line, default: []] += responses
    }

    func answer(_ request: KafkaConnectRequest) -> BackendResponse {
        let line = request.description
        sent.append(
            Sent(line: line, action: request.action, body: canonicalJSON(request.body), operation: request.operation))
        guard var queue = script[line], !queue.isEmpty else {
            return response(404, errorBody(404, "no script for \(line)"))
        }
        let next = queue.removeFirst()
        script[line] = queue
        return next
    }

    var lines: [String] { sent.map(\.line) }
    var last: Sent? { sent.last }

    nonisolated var client: HTTPKafkaConnectClient {
        HTTPKafkaConnectClient { await self.answer($0) }
    }
}

/// A client whose every request gets the same answer.
func answering(_ status: Int, _ body: String = "") -> HTTPKafkaConnectClient {
    HTTPKafkaConnectClient { _ in response(status, body) }
}

/// Runs `body` and returns the ``KafkaConnectError`` it threw; nil when it threw none
/// or another error (which the caller's expectation then reports).
func connectError(_ body: () async throws -> Void) async -> KafkaConnectError? {
    do {
        try await body()
        return nil
    } catch let error as KafkaConnectError {
        return error
    } catch {
        return nil
    }
}

// MARK: Fixtures, written from connect_rest-4.2.0.yaml and REST_NOTES.md

enum Fixture {
    static let connectorName = "trading.cdc"

    /// `ConnectorInfo` of a Debezium source with two tasks.
    static let connectorInfo = #"""
        {"name":"trading.cdc","config":{"connector.class":"io.debezium.connector.postgresql.PostgresConnector",
        "tasks.max":"2","database.hostname":"pg","name":"trading.cdc"},
        "tasks":[{"connector":"trading.cdc","task":0},{"connector":"trading.cdc","task":1}],"type":"source"}
        """#

    /// `ConnectorStateInfo` of a connector running with one failed task.
    static let stateWithFailedTask = #"""
        {"name":"trading.cdc","connector":{"state":"RUNNING","worker_id":"10.0.0.5:8083"},
        "tasks":[{"id":0,"state":"RUNNING","worker_id":"10.0.0.5:8083"},
        {"id":1,"state":"FAILED","worker_id":"10.0.0.6:8083",
        "trace":"org.apache.kafka.connect.errors.ConnectException: replication slot is active\n\tat io.debezium..."}],
        "type":"source"}
        """#

    /// `ConnectorStateInfo` answered by a restart with `includeTasks=true&onlyFailed=true` (202).
    static let restartPlan = #"""
        {"name":"trading.cdc","connector":{"state":"RUNNING","worker_id":"10.0.0.5:8083"},
        "tasks":[{"id":0,"state":"RUNNING","worker_id":"10.0.0.5:8083"},
        {"id":1,"state":"RESTARTING","worker_id":"10.0.0.6:8083"}],"type":"source"}
        """#

    /// `ConfigInfos` with two keys in error and one fine.
    static let validationWithErrors = #"""
        {"name":"io.debezium.connector.postgresql.PostgresConnector","error_count":2,"groups":["Common","Postgres"],
        "configs":[
        {"definition":{"name":"connector.class","type":"STRING","required":true,"default_value":null,
        "importance":"HIGH","documentation":"Name or alias of the class for this connector.","group":"Common",
        "width":"LONG","display_name":"Connector class","dependents":[],"order_in_group":2},
        "value":{"name":"connector.class","value":"io.debezium.connector.postgresql.PostgresConnector",
        "recommended_values":[],"errors":[],"visible":true}},
        {"definition":{"name":"database.hostname","type":"STRING","required":true,"importance":"HIGH",
        "documentation":"Resolvable hostname or IP address of the database server."},
        "value":{"name":"database.hostname","value":null,"recommended_values":[],
        "errors":["Missing required configuration \"database.hostname\" which has no default value."],
        "visible":true}},
        {"definition":{"name":"plugin.name","type":"STRING","required":false},
        "value":{"name":"plugin.name","value":"wal2json","recommended_values":["decoderbufs","pgoutput"],
        "errors":["Value must be one of decoderbufs, pgoutput"],"visible":true}}]}
        """#

    /// `GET /connectors?expand=status&expand=info`: one source, one sink.
    static let expanded = #"""
        {"trading.cdc":{"status":{"name":"trading.cdc","connector":{"state":"RUNNING","worker_id":"w1:8083"},
        "tasks":[{"id":0,"state":"RUNNING","worker_id":"w1:8083"}],"type":"source"},
        "info":{"name":"trading.cdc","config":{"connector.class":"PostgresConnector","tasks.max":"1"},
        "tasks":[{"connector":"trading.cdc","task":0}],"type":"source"}},
        "lake sink":{"status":{"name":"lake sink","connector":{"state":"PAUSED","worker_id":"w2:8083"},
        "tasks":[],"type":"sink"},
        "info":{"name":"lake sink","config":{"connector.class":"IcebergSinkConnector","topics":"trading.orders"},
        "tasks":[],"type":"sink"}}}
        """#

    /// `ConnectorOffsets` of a Debezium source; the LSN is past 2^53.
    static let sourceOffsets = #"""
        {"offsets":[{"partition":{"server":"trading"},
        "offset":{"lsn":9007199254740993,"txId":771,"ts_usec":1732950000123456,"snapshot":false}}]}
        """#
}
