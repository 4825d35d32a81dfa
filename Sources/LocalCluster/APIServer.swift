import Foundation
import HTTPTypes
import Hummingbird
import KubeAPI
import Logging
import Synchronization

/// The HTTP face of the control plane: authentication, fault injection,
/// routing of kube-apiserver paths to discovery, OpenAPI and resource verbs.
struct APIServer: HTTPResponder {
    typealias Context = BasicRequestContext

    let store: ClusterStore
    let token: String
    let faults: FaultState
    let options: LocalClusterOptions
    let portBox: PortBox
    let logger: Logger

    /// Largest request body accepted, as kube-apiserver's 3 MiB limit.
    static let maxBodySize = 3 * 1024 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await route(request)
        } catch let error as APIError {
            return Self.statusResponse(error)
        } catch {
            return Self.statusResponse(.internalError(String(describing: error)))
        }
    }

    static func statusResponse(_ error: APIError) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for (name, value) in error.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        let body = (try? JSONCoding.encode(error.status)) ?? Data()
        return Response(
            status: HTTPResponse.Status(code: error.code), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, warnings: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let name = HTTPField.Name("Warning") {
            for warning in warnings { headers.append(HTTPField(name: name, value: "299 - " + GoQuote.quote(warning))) }
        }
        let body = (try? value.serialized()) ?? Data()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    // MARK: Routing

    private func route(_ request: Request) async throws -> Response {
        let path = request.uri.path
        if ["/healthz", "/livez", "/readyz"].contains(path) {
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        guard authenticated(request) else { throw APIError.unauthorized }
        let faultSettings = faults.settings
        if faultSettings.latency > .zero { try await Task.sleep(for: faultSettings.latency) }
        if let failure = faults.injectedFailure() { throw failure }

        let query = QueryParameters(request.uri.query)
        let segments = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let discovery = Discovery(store: store, serverAddress: "127.0.0.1:\(portBox.port)")

        switch segments.first {
        case "version":
            return Self.json(Discovery.version)
        case "openapi":
            return try await OpenAPI(store: store).respond(segments: Array(segments.dropFirst()))
        case "api":
            if segments.count == 1 { return Self.json(discovery.apiVersions()) }
            if segments.count == 2 {
                guard segments[1] == "v1" else { throw APIError.pathNotFound() }
                return Self.json(await discovery.resourceList(group: "", version: "v1"))
            }
            guard segments[1] == "v1" else { throw APIError.pathNotFound() }
            return try await resource(request, group: "", version: "v1", rest: Array(segments.dropFirst(2)), query: query)
        case "apis":
            switch segments.count {
            case 1: return Self.json(await discovery.groupList())
            case 2:
                guard let group = await discovery.group(segments[1]) else { throw APIError.pathNotFound() }
                return Self.json(group)
            case 3:
                let list = await discovery.resourceList(group: segments[1], version: segments[2])
                guard !(list["resources"]?.arrayValue ?? []).isEmpty || segments[1] == "events.k8s.io" else {
                    throw APIError.pathNotFound()
                }
                return Self.json(list)
            default:
                return try await resource(request, group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)), query: query)
            }
        default:
            throw APIError.pathNotFound()
        }
    }

    private func authenticated(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else { return false }
        return header.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) == token
    }

    // MARK: Resources

    /// `[namespaces/{ns}/]{plural}[/{name}[/{subresource}]]` under a group version.
    private func resource(
        _ request: Request, group: String, version: String, rest: [String], query: QueryParameters
    ) async throws -> Response {
        var namespace: String?
        var parts = rest
        if parts.count >= 3, parts[0] == "namespaces",
            let candidate = await store.definition(group: group, version: version, plural: parts[2]), candidate.namespaced
        {
            namespace = parts[1]
            parts = Array(parts.dropFirst(2))
        }
        guard let plural = parts.first, parts.count <= 3,
            let def = await store.definition(group: group, version: version, plural: plural)
        else { throw APIError.pathNotFound() }
        if def.namespaced == false, namespace != nil { throw APIError.pathNotFound() }
        let name = parts.count > 1 ? parts[1] : nil
        let subresource = parts.count > 2 ? parts[2] : nil
        if let subresource {
            let allowed = (subresource == "status" && def.hasStatus) || (subresource == "scale" && def.scale != nil)
                || (subresource == "finalize" && def.groupResource == BuiltinResources.namespaces.groupResource)
            guard allowed else { throw APIError.pathNotFound() }
        }
        let handler = ResourceHandler(
            store: store, def: def, version: version, namespace: namespace, faults: faults, options: options)

        switch (request.method, name) {
        case (.get, nil):
            if query.flag("watch") { return try await handler.watch(request, query: query) }
            return try await handler.list(request, query: query)
        case (.get, let name?):
            return try await handler.get(request, name: name, subresource: subresource, query: query)
        case (.post, nil):
            return try await handler.create(request, query: query)
        case (.put, let name?):
            return try await handler.update(request, name: name, subresource: subresource, query: query)
        case (.patch, let name?):
            return try await handler.patch(request, name: name, subresource: subresource, query: query)
        case (.delete, let name?):
            return try await handler.delete(request, name: name, query: query)
        case (.delete, nil):
            return try await handler.deleteCollection(request, query: query)
        default:
            throw APIError.methodNotSupported(def.groupResource, action: request.method.rawValue.lowercased())
        }
    }
}

/// The port the server listens on, known once it is bound.
final class PortBox: Sendable {
    private let value = Mutex(0)
    var port: Int {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}



/// Query parameters decoded the way Go's `url.ParseQuery` decodes them (`+` is a space).
struct QueryParameters: Sendable {
    private var values: [String: String] = [:]

    init(_ query: String?) {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let key = decode(parts[0])
            if values[key] == nil { values[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
    }

    subscript(_ key: String) -> String? { values[key] }

    /// `true`/`1` as Go's `strconv.ParseBool` reads them.
    func flag(_ key: String) -> Bool {
        guard let value = values[key] else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(value)
    }
}

/// Go's `strconv.Quote`, for Warning headers.
enum GoQuote {
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
