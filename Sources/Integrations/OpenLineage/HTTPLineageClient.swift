import Foundation
import IntegrationSupport

/// ``LineageClient`` over HTTP: `POST` of one event as JSON to Marquez
/// (`/api/v1/lineage`, the default) or to any OpenLineage consumer (`/lineage`).
///
/// Guarantees: any 2xx is success (Marquez answers 201 with an empty body, the
/// generic spec says 200); every failure is a ``LineageError`` naming the event
/// (type, job, run id — never its contents), with a 422's `errors` verbatim and
/// `Retry-After` read.
/// Caveats: no retries here — ``LineageEmitter`` retries what
/// ``LineageError/isRetryable`` allows. No batching (Marquez has no batch endpoint).
public final class HTTPLineageClient: LineageClient {
    /// One `POST` as the client builds it.
    public struct Request: Sendable, Hashable {
        /// Below the base URL, e.g. `/api/v1/lineage`.
        public var path: String
        /// The event as JSON.
        public var body: Data
        /// What is being done, for errors.
        public var operation: String

        public init(path: String, body: Data, operation: String) {
            self.path = path
            self.body = body
            self.operation = operation
        }
    }

    /// Sends one request and returns the response, whatever its status; throws
    /// `TransportError` when no response arrived.
    public typealias Transport = @Sendable (Request) async throws -> BackendResponse

    /// Marquez's ingestion path.
    public static let marquezPath = "/api/v1/lineage"
    /// The generic OpenLineage consumer's path (`OpenLineage.yml`).
    public static let genericPath = "/lineage"

    /// The path events are posted to.
    public let path: String
    private let transport: Transport

    /// A client over a shared transport whose base URL is the backend's root (e.g. `http://marquez:5000`).
    public init(backend: HTTPBackend, path: String = HTTPLineageClient.marquezPath) {
        self.path = path
        self.transport = { request in
            try await backend.send("POST", request.path, body: request.body, operation: request.operation)
        }
    }

    /// A client on the process-wide HTTP connection pool (nothing to shut down).
    /// - Parameters:
    ///   - baseURL: the backend's root, e.g. `http://marquez:5000`. A user and password
    ///     in it are taken out of the URL (so they never show in errors) and used as
    ///     basic auth when `auth` is `.none`.
    ///   - auth: what a proxy in front of the backend expects; Marquez itself has none.
    ///   - timeout: deadline of one request.
    ///   - maxConcurrentRequests: requests in flight at once toward the backend.
    ///   - path: ``marquezPath`` or ``genericPath`` (or a consumer's own).
    public convenience init(
        baseURL: URL, auth: BackendAuth = .none, timeout: Duration = .seconds(10), maxConcurrentRequests: Int = 4,
        path: String = HTTPLineageClient.marquezPath
    ) {
        let (url, auth) = Self.separatingCredentials(baseURL, auth: auth)
        let endpoint = BackendEndpoint(
            baseURL: url, auth: auth, timeout: timeout, maxConcurrentRequests: maxConcurrentRequests)
        self.init(backend: HTTPBackend(system: "the lineage backend", endpoint: endpoint), path: path)
    }

    /// A client over any transport, e.g. one that records requests and answers canned responses.
    public init(path: String = HTTPLineageClient.marquezPath, transport: @escaping Transport) {
        self.path = path
        self.transport = transport
    }

    public func send(_ event: LineageEvent) async throws {
        let operation = "sending the \(event.summary)"
        let request = Request(path: path, body: try event.encoded(), operation: operation)
        let response: BackendResponse
        do {
            response = try await transport(request)
        } catch let error as TransportError {
            throw Self.error(for: error, operation: operation)
        }
        guard (200..<300).contains(response.status) else { throw Self.error(for: response, operation: operation) }
    }

    // MARK: Errors

    /// The typed error for an answer that is not a success.
    static func error(for response: BackendResponse, operation: String) -> LineageError {
        let status = response.status
        let body = ErrorBody.read(response.body)
        let kind: LineageError.Kind =
            switch status {
            case 400: .badRequest
            case 401, 403: .unauthorized
            case 422: .invalidEvent
            case 500..<600: .serverError
            default: .unexpectedStatus
            }
        let message = body.errors.isEmpty ? body.message ?? statusText(status) : body.errors.joined(separator: "; ")
        return LineageError(
            kind: kind, operation: operation, status: status, message: message, errors: body.errors,
            retryAfter: retryAfter(response.header("Retry-After")))
    }

    /// The error for a request that got no response.
    static func error(for transport: TransportError, operation: String) -> LineageError {
        LineageError(
            kind: transport.kind == .timeout ? .timeout : .connection, operation: operation,
            message: transport.kind == .timeout
                ? "timed out: \(transport.detail)" : "cannot connect: \(transport.detail)")
    }

    /// `Retry-After` in seconds (the HTTP-date form is not read).
    static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }

    static func statusText(_ status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not found"
        case 408: "request timeout"
        case 422: "unprocessable entity"
        case 429: "too many requests"
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        default: "unexpected status \(status)"
        }
    }

    /// `url` without a user and password, and the auth to use: basic auth from
    /// the URL's credentials when `auth` is `.none`, `auth` otherwise.
    static func separatingCredentials(_ url: URL, auth: BackendAuth) -> (URL, BackendAuth) {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            components.user != nil || components.password != nil
        else { return (url, auth) }
        let user = components.user ?? ""
        let password = components.password ?? ""
        components.user = nil
        components.password = nil
        let stripped = components.url ?? url
        if case .none = auth { return (stripped, .basic(username: user, password: password)) }
        return (stripped, auth)
    }
}

/// An error body: Dropwizard's `{"errors": [...]}` for a 422, `{"code", "message"}`
/// otherwise; the start of the text for anything else (a proxy's page).
struct ErrorBody: Decodable {
    var errors: [String]
    var message: String?

    private enum CodingKeys: String, CodingKey { case errors, message }

    init(errors: [String], message: String?) {
        self.errors = errors
        self.message = message
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Errors are strings in Dropwizard; anything else is kept as its JSON text.
        let values = try container.decodeIfPresent([JSONValue].self, forKey: .errors) ?? []
        errors = values.map { value in
            if case .string(let text) = value { return text }
            return String(decoding: (try? value.encoded()) ?? Data(), as: UTF8.self)
        }
        message = try? container.decodeIfPresent(String.self, forKey: .message)
    }

    static func read(_ body: Data) -> ErrorBody {
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body),
            !decoded.errors.isEmpty || decoded.message != nil
        {
            return decoded
        }
        let text = String(decoding: body.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return ErrorBody(errors: [], message: text.isEmpty ? nil : text)
    }
}
