import Foundation

/// The registry's REST API over the simulator's state: routing by operation,
/// optional authentication, content negotiation and the `{"error_code", "message"}` shape.
struct SchemaRegistryAPI: SimulatorAPI {
    let store: SchemaRegistryStore
    let rules: any SchemaRules
    let configuration: SchemaRegistrySimulator.Configuration

    var basePath: String { "" }
    var routes: RouteTable { Self.routeTable }

    /// The registry's own content type, used for every answer.
    static let contentType = "application/vnd.schemaregistry.v1+json"
    /// Request content types the registry reads as JSON.
    static let acceptedContentTypes: Set<String> = [
        "application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json",
        "application/octet-stream",
    ]

    static let routeTable: RouteTable = {
        typealias Op = SchemaRegistrySimulator.Operation
        var table = RouteTable()
        table.add("GET", "/", operation: Op.root)
        table.add("GET", "/schemas/types", operation: Op.getSchemaTypes)
        table.add("GET", "/schemas/ids/{id}", operation: Op.getSchema)
        table.add("GET", "/schemas/ids/{id}/schema", operation: Op.getSchemaOnly)
        table.add("GET", "/schemas/ids/{id}/versions", operation: Op.getVersionsByID)
        table.add("GET", "/schemas/ids/{id}/subjects", operation: Op.getSubjectsByID)
        table.add("GET", "/subjects", operation: Op.listSubjects)
        table.add("POST", "/subjects/{subject}", operation: Op.lookUpSchemaUnderSubject)
        table.add("DELETE", "/subjects/{subject}", operation: Op.deleteSubject)
        table.add("GET", "/subjects/{subject}/versions", operation: Op.listVersions)
        table.add("POST", "/subjects/{subject}/versions", operation: Op.register)
        table.add("GET", "/subjects/{subject}/versions/{version}", operation: Op.getSchemaByVersion)
        table.add("DELETE", "/subjects/{subject}/versions/{version}", operation: Op.deleteSchemaVersion)
        table.add("GET", "/subjects/{subject}/versions/{version}/schema", operation: Op.getSchemaOnlyByVersion)
        table.add("GET", "/subjects/{subject}/versions/{version}/referencedby", operation: Op.getReferencedBy)
        table.add(
            "POST", "/compatibility/subjects/{subject}/versions/{version}", operation: Op.testCompatibilityBySubjectName)
        table.add("POST", "/compatibility/subjects/{subject}/versions", operation: Op.testCompatibilityForSubject)
        table.add("GET", "/config", operation: Op.getTopLevelConfig)
        table.add("PUT", "/config", operation: Op.updateTopLevelConfig)
        table.add("DELETE", "/config", operation: Op.deleteTopLevelConfig)
        table.add("GET", "/config/{subject}", operation: Op.getSubjectLevelConfig)
        table.add("PUT", "/config/{subject}", operation: Op.updateSubjectLevelConfig)
        table.add("DELETE", "/config/{subject}", operation: Op.deleteSubjectConfig)
        table.add("GET", "/mode", operation: Op.getTopLevelMode)
        table.add("PUT", "/mode", operation: Op.updateTopLevelMode)
        table.add("GET", "/mode/{subject}", operation: Op.getMode)
        table.add("PUT", "/mode/{subject}", operation: Op.updateMode)
        table.add("DELETE", "/mode/{subject}", operation: Op.deleteSubjectMode)
        return table
    }()

    func handle(_ request: SimulatorRequest, route: RouteMatch) async -> SimulatorResponse {
        guard authenticated(request) else {
            var response = error(.unauthorized)
            response.headers.append(("WWW-Authenticate", "Basic realm=\"SchemaRegistry\""))
            return response
        }
        if !request.body.isEmpty, let type = request.header("content-type") {
            let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if let mediaType, !Self.acceptedContentTypes.contains(mediaType) {
                return error(SchemaRegistrySimulatorError(status: 415, errorCode: 415, message: "HTTP 415 Unsupported Media Type"))
            }
        }
        do {
            return try dispatch(request, route)
        } catch let failure as SchemaRegistrySimulatorError {
            return error(failure)
        } catch {
            return errorResponse(status: 500, message: String(describing: error))
        }
    }

    private func dispatch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        typealias Op = SchemaRegistrySimulator.Operation
        switch route.operation {
        case Op.root: return json(SchemaRegistryWire.Empty())
        case Op.getSchemaTypes: return json(SchemaRegistrySimulator.SchemaType.allCases.reversed().map(\.rawValue))
        case Op.getSchema: return try getSchema(request, route)
        case Op.getSchemaOnly: return try getSchemaOnly(route)
        case Op.getVersionsByID: return try getVersionsByID(request, route)
        case Op.getSubjectsByID: return try getSubjectsByID(request, route)
        case Op.listSubjects: return try listSubjects(request)
        case Op.lookUpSchemaUnderSubject: return try lookUp(request, route)
        case Op.deleteSubject: return try deleteSubject(request, route)
        case Op.listVersions: return try listVersions(request, route)
        case Op.register: return try register(request, route)
        case Op.getSchemaByVersion: return try getSchemaByVersion(request, route)
        case Op.deleteSchemaVersion: return try deleteSchemaVersion(request, route)
        case Op.getSchemaOnlyByVersion: return try getSchemaOnlyByVersion(request, route)
        case Op.getReferencedBy: return try getReferencedBy(route)
        case Op.testCompatibilityBySubjectName: return try testCompatibility(request, route, version: route["version"])
        case Op.testCompatibilityForSubject: return try testCompatibility(request, route, version: nil)
        case Op.getTopLevelConfig: return try getTopLevelConfig()
        case Op.updateTopLevelConfig: return try updateConfig(request, subject: nil)
        case Op.deleteTopLevelConfig: return try deleteTopLevelConfig()
        case Op.getSubjectLevelConfig: return try getSubjectLevelConfig(request, route)
        case Op.updateSubjectLevelConfig: return try updateConfig(request, subject: route["subject"])
        case Op.deleteSubjectConfig: return try deleteSubjectConfig(route)
        case Op.getTopLevelMode: return try getTopLevelMode()
        case Op.updateTopLevelMode: return try updateMode(request, subject: nil)
        case Op.getMode: return try getMode(request, route)
        case Op.updateMode: return try updateMode(request, subject: route["subject"])
        case Op.deleteSubjectMode: return try deleteSubjectMode(route)
        default: return errorResponse(status: 404, message: "HTTP 404 Not Found")
        }
    }

    // MARK: Responses

    /// A JSON answer in the registry's content type.
    func json(_ value: some Encodable, status: Int = 200) -> SimulatorResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)).map { [UInt8]($0) } ?? Array("{}".utf8)
        return SimulatorResponse(status: status, headers: [("Content-Type", Self.contentType)], body: body)
    }

    func error(_ failure: SchemaRegistrySimulatorError) -> SimulatorResponse {
        json(SchemaRegistryWire.ErrorBody(errorCode: failure.errorCode, message: failure.message), status: failure.status)
    }

    func errorResponse(status: Int, message: String) -> SimulatorResponse {
        let code =
            switch status {
            case 500: 50001
            case 504: 50002
            default: status
            }
        return error(SchemaRegistrySimulatorError(status: status, errorCode: code, message: message))
    }

    func defaultMessage(forStatus status: Int) -> String {
        switch status {
        case 429: "Too Many Requests"
        case 503: "Service Unavailable"
        case 504: "Operation timed out"
        default: "Error in the backend data store"
        }
    }

    // MARK: Authentication

    private func authenticated(_ request: SimulatorRequest) -> Bool {
        let credentials = configuration.credentials
        let token = configuration.bearerToken
        if credentials == nil, token == nil { return true }
        guard let header = request.header("authorization") else { return false }
        let lowered = header.lowercased()
        if let token, lowered.hasPrefix("bearer ") {
            return header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces) == token
        }
        guard let credentials, lowered.hasPrefix("basic ") else { return false }
        let encoded = header.dropFirst("basic ".count).trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else {
            return false
        }
        return text == "\(credentials.username):\(credentials.password)"
    }

    // MARK: Request helpers

    /// A register/lookup/check body; an unreadable body or unknown type is 42201
    /// (Karapace: 422 for an unknown type).
    func registration(_ request: SimulatorRequest, subject: String) throws(SchemaRegistrySimulatorError) -> Registration {
        guard let body = try? JSONDecoder().decode(SchemaRegistryWire.SchemaRequest.self, from: Data(request.body))
        else {
            throw SchemaRegistrySimulatorError(
                status: 422, errorCode: 42201, message: "Invalid schema: the request body is not a schema request")
        }
        guard let schema = body.schema else { throw .invalidSchema("null, details: Empty schema") }
        let type: SchemaRegistrySimulator.SchemaType
        if let name = body.schemaType {
            guard let known = SchemaRegistrySimulator.SchemaType(rawValue: name.uppercased()) else {
                if configuration.flavor == .karapace { throw .unprocessable("Invalid schemaType \(name)") }
                throw .invalidSchema("\(schema), details: unknown schema type \(name)")
            }
            type = known
        } else {
            type = .avro
        }
        let references = (body.references ?? []).map {
            SchemaRegistrySimulator.Reference(name: $0.name, subject: $0.subject, version: $0.version)
        }
        return Registration(
            subject: subject, text: schema, type: type, references: references,
            normalize: request.query.bool("normalize") ?? false)
    }

    func flag(_ name: String, in request: SimulatorRequest) -> Bool { request.query.bool(name) ?? false }

    static func wire(_ references: [SchemaRegistrySimulator.Reference]) -> [SchemaRegistryWire.Reference]? {
        references.isEmpty
            ? nil : references.map { SchemaRegistryWire.Reference(name: $0.name, subject: $0.subject, version: $0.version) }
    }

    static func wireType(_ type: SchemaRegistrySimulator.SchemaType) -> String? { type == .avro ? nil : type.rawValue }
}
