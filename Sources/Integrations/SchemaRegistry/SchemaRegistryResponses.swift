import Foundation
import IntegrationSupport

/// Reads schema registry responses: success bodies into values, anything else
/// into a ``SchemaRegistryError``. Pure functions of the request and the
/// response; no I/O. Accepts the shapes of Confluent (old and current),
/// Karapace and Redpanda.
public enum SchemaRegistryResponses {
    /// Returns the response when its status is a success; otherwise throws its ``SchemaRegistryError``.
    @discardableResult
    public static func checked(
        _ response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> BackendResponse {
        guard (200..<300).contains(response.status) else { throw error(for: response, of: request) }
        return response
    }

    /// A success body decoded as `type`.
    public static func decode<T: Decodable>(
        _ type: T.Type, from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> T {
        try checked(response, of: request)
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw invalidResponse(response, of: request, "cannot read \(T.self): \(error)")
        }
    }

    /// `["s1", "s2"]`.
    public static func subjects(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> [String] {
        try decode([String].self, from: response, of: request)
    }

    /// `[1, 2, 3]`: versions (list, delete subject) or schema ids (referencedby).
    public static func numbers(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> [Int] {
        try decode([Int].self, from: response, of: request)
    }

    /// A bare number: the version a delete removed.
    public static func number(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> Int {
        try decode(Int.self, from: response, of: request)
    }

    /// `{"subject","version","id","schema","schemaType"?,"references"?}` from get version or lookup.
    public static func registeredSchema(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> RegisteredSchema {
        let body = try decode(SchemaVersionBody.self, from: response, of: request)
        return RegisteredSchema(
            subject: body.subject, version: body.version, id: body.id,
            definition: try definition(body.schema, body.schemaType, body.references, response, request))
    }

    /// The version a schema is registered as, or nil when the subject does not exist
    /// (40401) or does not hold the schema (40403).
    public static func lookup(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> RegisteredSchema? {
        do throws(SchemaRegistryError) {
            return try registeredSchema(from: response, of: request)
        } catch  where error.kind == .subjectNotFound || error.kind == .schemaNotFound {
            return nil
        }
    }

    /// `{"id": N}`, with `version` from registries that send it.
    public static func registration(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> SchemaRegistration {
        let body = try decode(RegistrationBody.self, from: response, of: request)
        return SchemaRegistration(id: body.id, version: body.version)
    }

    /// `{"is_compatible": Bool, "messages"?: [...]}`. Messages are kept in order; ones
    /// that are not strings (a structured form some versions use) are kept as their JSON text.
    public static func compatibility(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> CompatibilityResult {
        let body = try decode(CompatibilityBody.self, from: response, of: request)
        return CompatibilityResult(isCompatible: body.isCompatible, messages: body.messages?.map(\.text) ?? [])
    }

    /// `{"compatibilityLevel": ...}` (reads) or `{"compatibility": ...}` (the echo of a write).
    public static func compatibilityLevel(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> CompatibilityLevel {
        let body = try decode(ConfigResponseBody.self, from: response, of: request)
        guard let level = body.compatibilityLevel ?? body.compatibility else {
            throw invalidResponse(response, of: request, "no compatibilityLevel in \(excerpt(response))")
        }
        guard let parsed = CompatibilityLevel(rawValue: level) else {
            throw invalidResponse(response, of: request, "unknown compatibility level \(level)")
        }
        return parsed
    }

    /// The subject's own level, or nil when it has none: 40408, or 40401 from older
    /// Confluent versions (which answered "subject not found" for the same case).
    public static func subjectCompatibilityLevel(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> CompatibilityLevel? {
        do throws(SchemaRegistryError) {
            return try compatibilityLevel(from: response, of: request)
        } catch  where error.kind == .subjectConfigNotFound || error.kind == .subjectNotFound {
            return nil
        }
    }

    /// `{"mode": ...}`.
    public static func mode(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> RegistryMode {
        let body = try decode(ModeResponseBody.self, from: response, of: request)
        guard let mode = RegistryMode(rawValue: body.mode) else {
            throw invalidResponse(response, of: request, "unknown mode \(body.mode)")
        }
        return mode
    }

    /// The subject's own mode, or nil when it has none (40409, or 40401 from older versions).
    public static func subjectMode(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> RegistryMode? {
        do throws(SchemaRegistryError) {
            return try mode(from: response, of: request)
        } catch  where error.kind == .subjectModeNotFound || error.kind == .subjectNotFound {
            return nil
        }
    }

    /// `{"schema", "schemaType"?, "references"?}` from get schema by id.
    public static func schema(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> SchemaDefinition {
        let body = try decode(SchemaByIDBody.self, from: response, of: request)
        return try definition(body.schema, body.schemaType, body.references, response, request)
    }

    /// `[{"subject","version"}]`.
    public static func subjectVersions(
        from response: BackendResponse, of request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> [SubjectVersion] {
        try decode([SubjectVersionBody].self, from: response, of: request).map {
            SubjectVersion(subject: $0.subject, version: $0.version)
        }
    }

    // MARK: Errors

    /// The typed error for a response that is not a success: by `error_code` when
    /// the body has one, by HTTP status otherwise.
    public static func error(for response: BackendResponse, of request: SchemaRegistryRequest) -> SchemaRegistryError {
        let status = response.status
        let body = errorBody(from: response.body)
        var message = body.message ?? ""
        let kind =
            body.errorCode.flatMap { Self.kind(forCode: $0, message: message) }
            ?? Self.kind(forStatus: status, action: request.action)
        if message.isEmpty { message = statusText(status) }
        return SchemaRegistryError(
            kind: kind, operation: request.operation, status: status, errorCode: body.errorCode, message: message,
            retryAfter: retryAfter(response.header("Retry-After")))
    }

    /// The error for a request that got no response.
    public static func error(for transport: TransportError, of request: SchemaRegistryRequest) -> SchemaRegistryError {
        SchemaRegistryError(
            kind: transport.kind == .timeout ? .timeout : .connection, operation: request.operation, status: nil,
            message: transport.kind == .timeout
                ? "timed out: \(transport.detail)" : "cannot connect: \(transport.detail)")
    }

    /// The kind an `error_code` names; nil for codes this client does not know,
    /// which then fall back to the HTTP status.
    static func kind(forCode code: Int, message: String) -> SchemaRegistryError.Kind? {
        switch code {
        case 40401: .subjectNotFound
        case 40402: .versionNotFound
        case 40403: .schemaNotFound
        case 40404: .subjectSoftDeleted
        case 40405: .subjectNotSoftDeleted
        case 40406: .versionSoftDeleted
        case 40407: .versionNotSoftDeleted
        case 40408: .subjectConfigNotFound
        case 40409: .subjectModeNotFound
        // 409 is what older Confluent and Karapace send; 40901 is current Confluent.
        case 409, 40901: .incompatibleSchema
        case 42201: .invalidSchema
        case 42202: .invalidVersion
        case 42203: .invalidCompatibilityLevel
        case 42204: .invalidMode
        case 42205: .operationNotPermitted
        case 42206: .referenceExists
        case 42207: .idMismatch
        case 42208: .invalidSubject
        case 42209: .schemaTooLarge
        case 42210: .invalidRuleSet
        case 44302: .referencesNotSupported
        // Karapace answers an unknown schemaType with a bare 422 "Invalid schemaType ...".
        case 422 where message.lowercased().contains("schema"): .invalidSchema
        case 50001: .storeError
        case 50002: .operationTimedOut
        case 50003: .forwardingError
        case 50004: .unknownLeader
        default: nil
        }
    }

    static func kind(forStatus status: Int, action: SchemaRegistryRequest.Action) -> SchemaRegistryError.Kind {
        switch status {
        case 400: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 409:
            switch action {
            case .register, .checkCompatibility: .incompatibleSchema
            default: .conflict
            }
        case 422: .unprocessable
        case 429: .rateLimited
        case 500..<600: .serverError
        default: .unexpectedStatus
        }
    }

    /// `error_code` and `message` of an error body; FastAPI's `detail` (Karapace's
    /// validation errors) as the message; the body's text when it is not JSON.
    static func errorBody(from body: Data) -> (errorCode: Int?, message: String?) {
        if body.isEmpty { return (nil, nil) }
        if let error = try? JSONDecoder().decode(ErrorBody.self, from: body),
            error.errorCode != nil || error.message != nil || error.detail != nil
        {
            let message = error.message ?? error.detail?.text
            return (error.errorCode, message?.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let text = String(decoding: body.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (nil, text.isEmpty ? nil : text)
    }

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
        case 409: "conflict"
        case 422: "unprocessable entity"
        case 429: "too many requests"
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        default: "unexpected status \(status)"
        }
    }

    static func invalidResponse(
        _ response: BackendResponse, of request: SchemaRegistryRequest, _ detail: String
    ) -> SchemaRegistryError {
        SchemaRegistryError(
            kind: .invalidResponse, operation: request.operation, status: response.status, message: detail)
    }

    private static func excerpt(_ response: BackendResponse) -> String {
        String(response.text.prefix(200))
    }

    private static func definition(
        _ schema: String, _ type: String?, _ references: [ReferenceBody]?, _ response: BackendResponse,
        _ request: SchemaRegistryRequest
    ) throws(SchemaRegistryError) -> SchemaDefinition {
        var schemaType = SchemaType.avro
        if let type, !type.isEmpty {
            guard let parsed = SchemaType(rawValue: type.uppercased()) else {
                throw invalidResponse(response, of: request, "unknown schemaType \(type)")
            }
            schemaType = parsed
        }
        return SchemaDefinition(
            schema: schema, type: schemaType,
            references: (references ?? []).map {
                SchemaReference(name: $0.name, subject: $0.subject, version: $0.version)
            })
    }
}

// Response bodies that exist only on the wire. Extra fields newer registries
// add (guid, metadata, ruleSet, ts, deleted, …) are ignored.

struct ErrorBody: Decodable {
    var errorCode: Int?
    var message: String?
    var detail: LooseText?

    enum CodingKeys: String, CodingKey {
        case errorCode = "error_code"
        case message, detail
    }
}

struct SchemaVersionBody: Decodable {
    var subject: String
    var version: Int
    var id: Int
    var schema: String
    var schemaType: String?
    var references: [ReferenceBody]?
}

struct SchemaByIDBody: Decodable {
    var schema: String
    var schemaType: String?
    var references: [ReferenceBody]?
}

struct RegistrationBody: Decodable {
    var id: Int
    var version: Int?
}

struct CompatibilityBody: Decodable {
    var isCompatible: Bool
    var messages: [LooseText]?

    enum CodingKeys: String, CodingKey {
        case isCompatible = "is_compatible"
        case messages
    }
}

struct ConfigResponseBody: Decodable {
    var compatibilityLevel: String?
    var compatibility: String?
}

struct ModeResponseBody: Decodable {
    var mode: String
}

struct SubjectVersionBody: Decodable {
    var subject: String
    var version: Int
}

/// Any JSON value, read as text: a string as itself, anything else as compact JSON.
struct LooseText: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = try container.decode(JSONValue.self).json
        }
    }
}

/// A JSON document, for rendering values whose shape the client does not model.
typealias JSONValue = WireJSON
