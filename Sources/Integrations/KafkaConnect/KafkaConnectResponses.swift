import Foundation
import IntegrationSupport

/// Reads Kafka Connect responses: success bodies into values, anything else
/// into a ``KafkaConnectError``. Pure functions of the request and the
/// response; no I/O.
///
/// Caveat: error messages never quote a success body, since connector
/// configurations (and so `GET …/config` answers) may hold passwords.
enum KafkaConnectResponses {
    /// Returns the response when its status is a success; otherwise throws its ``KafkaConnectError``.
    @discardableResult
    static func checked(
        _ response: BackendResponse, of request: KafkaConnectRequest
    ) throws(KafkaConnectError) -> BackendResponse {
        guard (200..<300).contains(response.status) else { throw error(for: response, of: request) }
        return response
    }

    /// A success body decoded as `type`.
    static func decode<T: Decodable>(
        _ type: T.Type, from response: BackendResponse, of request: KafkaConnectRequest
    ) throws(KafkaConnectError) -> T {
        try checked(response, of: request)
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw invalidResponse(response, of: request, "cannot read \(wireName(T.self)): \(describe(error))")
        }
    }

    /// The decoded body, or nil when Connect answered 404.
    static func decodeUnlessNotFound<T: Decodable>(
        _ type: T.Type, from response: BackendResponse, of request: KafkaConnectRequest
    ) throws(KafkaConnectError) -> T? {
        if response.status == 404 { return nil }
        return try decode(type, from: response, of: request)
    }

    /// Whether a success body is empty (204, or the 200 of older workers).
    static func hasNoBody(_ response: BackendResponse) -> Bool { isBlank(response.body) }

    private static func isBlank(_ body: Data) -> Bool {
        body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    // MARK: Errors

    /// The typed error for a response that is not a success. 409 means "exists"
    /// on `POST /connectors` unless the message says a rebalance is under way,
    /// and a rebalance (or stale configuration) everywhere else.
    static func error(for response: BackendResponse, of request: KafkaConnectRequest) -> KafkaConnectError {
        let status = response.status
        let body = errorBody(from: response.body)
        let message = body.message ?? ""
        let kind: KafkaConnectError.Kind =
            switch status {
            case 400: .badRequest
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 409 where request.action == .createConnector && !mentionsRebalance(message): .alreadyExists
            case 409: .rebalancing
            case 500..<600: .serverError
            default: .unexpectedStatus
            }
        return KafkaConnectError(
            kind: kind, operation: request.operation, status: status, errorCode: body.errorCode,
            message: message.isEmpty ? statusText(status) : message, retryAfter: retryAfter(response.header("Retry-After")))
    }

    /// `Retry-After` in seconds (the HTTP-date form is not used by Connect or the proxies in front of it).
    static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }

    /// The error for a request that got no response.
    static func error(for transport: TransportError, of request: KafkaConnectRequest) -> KafkaConnectError {
        KafkaConnectError(
            kind: transport.kind == .timeout ? .timeout : .connection, operation: request.operation,
            message: transport.kind == .timeout
                ? "timed out: \(transport.detail)" : "cannot connect: \(transport.detail)")
    }

    /// `error_code` and `message` of Connect's error body, the message verbatim; the
    /// start of the body's text when it is not one (a proxy's page).
    static func errorBody(from body: Data) -> (errorCode: Int?, message: String?) {
        if isBlank(body) { return (nil, nil) }
        if let error = try? JSONDecoder().decode(ErrorBody.self, from: body),
            error.errorCode != nil || error.message != nil
        {
            return (error.errorCode, error.message)
        }
        let text = String(decoding: body.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (nil, text.isEmpty ? nil : text)
    }

    /// Connect's words for a 409 caused by a rebalance or a stale configuration
    /// (`RebalanceNeededException`, `NotLeaderException`, `ConcurrentConfigUpdate`…),
    /// which `POST /connectors` can answer as well as "already exists".
    static func mentionsRebalance(_ message: String) -> Bool {
        let lowered = message.lowercased()
        if lowered.contains("already exists") { return false }
        return ["rebalance", "stale config", "momentarily", "leader", "conflicting operation"].contains {
            lowered.contains($0)
        }
    }

    static func statusText(_ status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not found"
        case 409: "conflict"
        case 429: "too many requests"
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        default: "unexpected status \(status)"
        }
    }

    static func invalidResponse(
        _ response: BackendResponse, of request: KafkaConnectRequest, _ detail: String
    ) -> KafkaConnectError {
        KafkaConnectError(
            kind: .invalidResponse, operation: request.operation, status: response.status, message: detail)
    }

    /// Where decoding failed and why, without the values involved.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        func at(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "at the top level" : "at \(path)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(key.stringValue) is missing \(at(context))"
        case .valueNotFound(_, let context): return "a value is null \(at(context))"
        case .typeMismatch(let type, let context): return "expected \(type) \(at(context))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "an unreadable value \(at(context))"
        @unknown default: return "unreadable"
        }
    }

    private static func wireName<T>(_ type: T.Type) -> String {
        switch type {
        case is ServerInfoBody.Type: "ServerInfo"
        case is ConnectorInfoBody.Type: "ConnectorInfo"
        case is ConnectorStateInfoBody.Type: "ConnectorStateInfo"
        case is TaskStateBody.Type: "TaskState"
        case is [TaskInfoBody].Type: "a TaskInfo list"
        case is [PluginInfoBody].Type: "a PluginInfo list"
        case is ConfigInfosBody.Type: "ConfigInfos"
        case is OffsetsBody.Type: "ConnectorOffsets"
        case is MessageBody.Type: "a message"
        case is ConfigMap.Type: "a configuration"
        case is [String].Type: "a name list"
        case is [String: ExpandedConnectorBody].Type: "the expanded connector map"
        case is [String: TopicsBody].Type: "the topic map"
        default: String(describing: type)
        }
    }
}
