import Foundation

/// lakeFS's REST API v1 over the simulator's state: routing by `operationId`,
/// basic authentication, and lakeFS's error shape and pagination.
struct LakeFSAPI: SimulatorAPI {
    let store: LakeFSStore
    let accessKeyID: String
    let secretAccessKey: String
    let version: String

    var basePath: String { "/api/v1" }
    var routes: RouteTable { Self.routeTable }

    /// lakeFS's page size limit (`max_per_page`).
    static let maxPerPage = 1000
    /// The page size when a request gives none (swagger's `amount` default).
    static let defaultAmount = 100

    static let routeTable: RouteTable = {
        typealias Op = LakeFSSimulator.Operation
        var table = RouteTable()
        table.add("GET", "/healthcheck", operation: Op.healthCheck)
        table.add("GET", "/config/version", operation: Op.getLakeFSVersion)
        table.add("GET", "/repositories", operation: Op.listRepositories)
        table.add("POST", "/repositories", operation: Op.createRepository)
        table.add("GET", "/repositories/{repository}", operation: Op.getRepository)
        table.add("DELETE", "/repositories/{repository}", operation: Op.deleteRepository)
        table.add(
            "GET", "/repositories/{repository}/settings/branch_protection", operation: Op.getBranchProtectionRules)
        table.add(
            "PUT", "/repositories/{repository}/settings/branch_protection", operation: Op.setBranchProtectionRules)
        table.add("GET", "/repositories/{repository}/branches", operation: Op.listBranches)
        table.add("POST", "/repositories/{repository}/branches", operation: Op.createBranch)
        table.add("GET", "/repositories/{repository}/branches/{branch}", operation: Op.getBranch)
        table.add("DELETE", "/repositories/{repository}/branches/{branch}", operation: Op.deleteBranch)
        table.add("PUT", "/repositories/{repository}/branches/{branch}", operation: Op.resetBranch)
        table.add("PUT", "/repositories/{repository}/branches/{branch}/hard_reset", operation: Op.hardResetBranch)
        table.add("POST", "/repositories/{repository}/branches/{branch}/commits", operation: Op.commit)
        table.add("POST", "/repositories/{repository}/branches/{branch}/revert", operation: Op.revertBranch)
        table.add("GET", "/repositories/{repository}/branches/{branch}/diff", operation: Op.diffBranch)
        table.add("POST", "/repositories/{repository}/branches/{branch}/objects", operation: Op.uploadObject)
        table.add("DELETE", "/repositories/{repository}/branches/{branch}/objects", operation: Op.deleteObject)
        table.add("GET", "/repositories/{repository}/refs/{ref}/objects", operation: Op.getObject)
        table.add("GET", "/repositories/{repository}/refs/{ref}/commits", operation: Op.logCommits)
        table.add("GET", "/repositories/{repository}/commits/{commitId}", operation: Op.getCommit)
        table.add(
            "POST", "/repositories/{repository}/refs/{sourceRef}/merge/{destinationBranch}",
            operation: Op.mergeIntoBranch)
        table.add(
            "GET", "/repositories/{repository}/refs/{sourceRef}/merge/{destinationBranch}", operation: Op.findMergeBase)
        table.add("GET", "/repositories/{repository}/refs/{leftRef}/diff/{rightRef}", operation: Op.diffRefs)
        table.add("GET", "/repositories/{repository}/actions/runs", operation: Op.listRepositoryRuns)
        table.add("GET", "/repositories/{repository}/actions/runs/{run_id}", operation: Op.getRun)
        table.add("GET", "/repositories/{repository}/actions/runs/{run_id}/hooks", operation: Op.listRunHooks)
        table.add(
            "GET", "/repositories/{repository}/actions/runs/{run_id}/hooks/{hook_run_id}/output",
            operation: Op.getRunHookOutput)
        return table
    }()

    func handle(_ request: SimulatorRequest, route: RouteMatch) async -> SimulatorResponse {
        typealias Op = LakeFSSimulator.Operation
        if route.operation == Op.healthCheck { return .empty(status: 204) }
        guard authenticated(request) else {
            return errorResponse(status: 401, message: "error authenticating request")
        }
        do {
            return try dispatch(request, route)
        } catch let error as LakeFSSimulatorError {
            return errorResponse(status: error.status, message: error.message)
        } catch {
            return errorResponse(status: 500, message: String(describing: error))
        }
    }

    private func dispatch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        typealias Op = LakeFSSimulator.Operation
        switch route.operation {
        case Op.getLakeFSVersion: return .json(LakeFSWire.VersionConfig(version: version, upgradeRecommended: false))
        case Op.listRepositories: return try listRepositories(request)
        case Op.createRepository: return try createRepository(request)
        case Op.getRepository: return try getRepository(route)
        case Op.deleteRepository: return try deleteRepository(route)
        case Op.getBranchProtectionRules: return try getBranchProtectionRules(route)
        case Op.setBranchProtectionRules: return try setBranchProtectionRules(request, route)
        case Op.listBranches: return try listBranches(request, route)
        case Op.createBranch: return try createBranch(request, route)
        case Op.getBranch: return try getBranch(route)
        case Op.deleteBranch: return try deleteBranch(request, route)
        case Op.resetBranch: return try resetBranch(request, route)
        case Op.hardResetBranch: return try hardResetBranch(request, route)
        case Op.commit: return try commit(request, route)
        case Op.revertBranch: return try revertBranch(request, route)
        case Op.diffBranch: return try diffBranch(request, route)
        case Op.uploadObject: return try uploadObject(request, route)
        case Op.deleteObject: return try deleteObject(request, route)
        case Op.getObject: return try getObject(request, route)
        case Op.logCommits: return try logCommits(request, route)
        case Op.getCommit: return try getCommit(route)
        case Op.mergeIntoBranch: return try mergeIntoBranch(request, route)
        case Op.findMergeBase: return try findMergeBase(route)
        case Op.diffRefs: return try diffRefs(request, route)
        case Op.listRepositoryRuns: return try listRepositoryRuns(request, route)
        case Op.getRun: return try getRun(route)
        case Op.listRunHooks: return try listRunHooks(request, route)
        case Op.getRunHookOutput: return try getRunHookOutput(route)
        default: return errorResponse(status: 404, message: "path not found")
        }
    }

    func errorResponse(status: Int, message: String) -> SimulatorResponse {
        .json(LakeFSWire.ErrorBody(message: message), status: status)
    }

    func defaultMessage(forStatus status: Int) -> String {
        switch status {
        case 429: "Too Many Requests"
        case 503: "Throughput exceeded. Slow down and retry"
        case 504: "Gateway Timeout"
        default: "Internal Server Error"
        }
    }

    // MARK: Authentication

    private func authenticated(_ request: SimulatorRequest) -> Bool {
        guard let header = request.header("authorization"), header.lowercased().hasPrefix("basic ") else {
            return false
        }
        let encoded = header.dropFirst("basic ".count).trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else {
            return false
        }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0] == accessKeyID && parts[1] == secretAccessKey
    }

    // MARK: Request helpers

    /// Decodes a required JSON body, answering 400 the way lakeFS's OpenAPI validator does.
    func body<Body: Decodable>(_ type: Body.Type, of request: SimulatorRequest) throws -> Body {
        guard !request.body.isEmpty else {
            throw LakeFSSimulatorError.badRequest("request body has an error: value is required but missing")
        }
        return try decode(type, from: request.body)
    }

    /// Decodes an optional JSON body; an empty body is `nil`.
    func optionalBody<Body: Decodable>(_ type: Body.Type, of request: SimulatorRequest) throws -> Body? {
        request.body.isEmpty ? nil : try decode(type, from: request.body)
    }

    private func decode<Body: Decodable>(_ type: Body.Type, from bytes: [UInt8]) throws -> Body {
        do {
            return try JSONDecoder().decode(Body.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, _) {
            throw LakeFSSimulatorError.badRequest(
                "request body has an error: doesn't match schema: property \"\(key.stringValue)\" is missing")
        } catch let DecodingError.typeMismatch(expected, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: "/")
            throw LakeFSSimulatorError.badRequest(
                "request body has an error: doesn't match schema: Error at \"/\(path)\": value must be \(expected)")
        } catch {
            throw LakeFSSimulatorError.badRequest("request body has an error: failed to decode request body")
        }
    }

    /// A required query parameter.
    func requiredQuery(_ name: String, in request: SimulatorRequest) throws -> String {
        guard let value = request.query[name], !value.isEmpty else {
            throw LakeFSSimulatorError.badRequest(
                "parameter \"\(name)\" in query has an error: value is required but missing")
        }
        return value
    }

    /// A boolean query parameter; unparsable values are rejected as lakeFS's validator does.
    func flag(_ name: String, in request: SimulatorRequest) throws -> Bool {
        guard request.query[name] != nil else { return false }
        guard let value = request.query.bool(name) else {
            throw LakeFSSimulatorError.badRequest(
                "parameter \"\(name)\" in query has an error: value must be a boolean")
        }
        return value
    }

    // MARK: Pagination

    /// `after`, `amount` and `prefix` of a list request.
    struct PageRequest {
        var after: String
        var amount: Int
        var prefix: String

        init(_ request: SimulatorRequest) throws {
            after = request.query["after"] ?? ""
            prefix = request.query["prefix"] ?? ""
            amount = LakeFSAPI.defaultAmount
            if let text = request.query["amount"] {
                guard let value = Int(text), (-1...LakeFSAPI.maxPerPage).contains(value) else {
                    throw LakeFSSimulatorError.badRequest(
                        "parameter \"amount\" in query has an error: number must be between -1 and \(LakeFSAPI.maxPerPage)"
                    )
                }
                if value > 0 { amount = value }
            }
        }
    }

    /// One page of `items` sorted by `key`: those after `after` and under `prefix`;
    /// `next_offset` is the last key when more remain.
    func page<Item, Wire: Encodable>(
        _ items: [Item], key: (Item) -> String, request: PageRequest, wire: (Item) -> Wire
    ) -> LakeFSWire.List<Wire> {
        let remaining = items.filter {
            let itemKey = key($0)
            return itemKey.hasPrefix(request.prefix) && (request.after.isEmpty || itemKey > request.after)
        }
        return list(remaining, key: key, amount: request.amount, wire: wire)
    }

    /// One page of `items` kept in their own order, resuming after the item whose key is `after`.
    func pageInOrder<Item, Wire: Encodable>(
        _ items: [Item], key: (Item) -> String, request: PageRequest, wire: (Item) -> Wire
    ) -> LakeFSWire.List<Wire> {
        var remaining = items[...]
        if !request.after.isEmpty {
            guard let index = items.firstIndex(where: { key($0) == request.after }) else {
                return list([], key: key, amount: request.amount, wire: wire)
            }
            remaining = items[(index + 1)...]
        }
        return list(Array(remaining), key: key, amount: request.amount, wire: wire)
    }

    func list<Item, Wire: Encodable>(
        _ items: [Item], key: (Item) -> String, amount: Int, wire: (Item) -> Wire
    ) -> LakeFSWire.List<Wire> {
        let page = Array(items.prefix(amount))
        let hasMore = items.count > amount
        return LakeFSWire.List(
            pagination: LakeFSWire.Pagination(
                hasMore: hasMore, nextOffset: hasMore ? page.last.map(key) ?? "" : "", results: page.count,
                maxPerPage: Self.maxPerPage),
            results: page.map(wire))
    }

    // MARK: Wire conversion

    static func wire(_ commit: CommitRecord) -> LakeFSWire.Commit {
        LakeFSWire.Commit(
            id: commit.id, parents: commit.parents, committer: commit.committer, message: commit.message,
            creationDate: commit.creationDate, metaRangeID: commit.metaRangeID, metadata: commit.metadata,
            generation: Int64(commit.generation), version: 1)
    }

    static func wire(_ repository: RepositoryRecord) -> LakeFSWire.Repository {
        LakeFSWire.Repository(
            id: repository.id, creationDate: repository.creationDate, defaultBranch: repository.defaultBranch,
            storageNamespace: repository.storageNamespace, readOnly: repository.readOnly)
    }

    static func timestamp(_ date: Date) -> String { date.ISO8601Format() }
}
