extension LakeFSAPI {
    // MARK: Repositories

    func listRepositories(_ request: SimulatorRequest) throws -> SimulatorResponse {
        let page = try PageRequest(request)
        let search = request.query["search"] ?? ""
        let repositories = try store.read { state in
            state.repositories.values.filter { search.isEmpty || $0.id.contains(search) }.sorted { $0.id < $1.id }
        }
        return .json(self.page(repositories, key: \.id, request: page, wire: Self.wire))
    }

    func createRepository(_ request: SimulatorRequest) throws -> SimulatorResponse {
        let creation = try body(LakeFSWire.RepositoryCreation.self, of: request)
        let bare = try flag("bare", in: request)
        let authorship = store.authorship()
        let repository = try store.write { state in
            try state.createRepository(
                creation.name, storageNamespace: creation.storageNamespace,
                defaultBranch: creation.defaultBranch.flatMap { $0.isEmpty ? nil : $0 } ?? "main",
                readOnly: creation.readOnly ?? false, bare: bare, authorship: authorship)
        }
        return .json(Self.wire(repository), status: 201)
    }

    func getRepository(_ route: RouteMatch) throws -> SimulatorResponse {
        .json(Self.wire(try store.read { try $0.repository(route["repository"]) }))
    }

    func deleteRepository(_ route: RouteMatch) throws -> SimulatorResponse {
        try store.write { try $0.deleteRepository(route["repository"]) }
        return .empty(status: 204)
    }

    // MARK: Branch protection

    func getBranchProtectionRules(_ route: RouteMatch) throws -> SimulatorResponse {
        let (rules, etag) = try store.read(repository: route["repository"]) { ($0.protectionRules, $0.protectionETag) }
        return .json(rules.map(LakeFSWire.BranchProtectionRule.init), headers: [("ETag", etag)])
    }

    func setBranchProtectionRules(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let rules = try body([LakeFSWire.BranchProtectionRule].self, of: request)
        let ifMatch = request.header("if-match").flatMap { $0.isEmpty ? nil : $0 }
        try store.write(repository: route["repository"]) {
            try $0.setProtectionRules(rules.map(\.pattern), ifMatch: ifMatch)
        }
        return .empty(status: 204)
    }

    // MARK: Branches

    func listBranches(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let page = try PageRequest(request)
        let showHidden = try flag("show_hidden", in: request)
        let refs = try store.read(repository: route["repository"]) { repository in
            repository.branches.filter { showHidden || !$0.value.hidden }
                .map { LakeFSWire.Ref(id: $0.key, commitID: $0.value.commitID) }
                .sorted { $0.id < $1.id }
        }
        return .json(self.page(refs, key: \.id, request: page, wire: { $0 }))
    }

    func createBranch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let creation = try body(LakeFSWire.BranchCreation.self, of: request)
        let commitID = try store.write(repository: route["repository"]) { repository in
            try repository.createBranch(creation.name, from: creation.source, hidden: creation.hidden ?? false)
        }
        // lakeFS writes the new branch's commit id as a bare string, not JSON.
        return .text(commitID, status: 201, contentType: "text/html")
    }

    func getBranch(_ route: RouteMatch) throws -> SimulatorResponse {
        let branch = route["branch"]
        let commitID = try store.read(repository: route["repository"]) { repository in
            guard let record = repository.branches[branch] else { throw LakeFSSimulatorError.branchNotFound }
            return record.commitID
        }
        return .json(LakeFSWire.Ref(id: branch, commitID: commitID))
    }

    func deleteBranch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let force = try flag("force", in: request)
        try store.write(repository: route["repository"]) {
            try $0.deleteBranch(route["branch"], enforce: true, force: force)
        }
        return .empty(status: 204)
    }

    func resetBranch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let reset = try body(LakeFSWire.ResetCreation.self, of: request)
        let scope: RepositoryRecord.ResetScope
        switch reset.type {
        case "reset": scope = .all
        case "object": scope = .object(reset.path ?? "")
        case "common_prefix": scope = .prefix(reset.path ?? "")
        default: throw LakeFSSimulatorError.badRequest("unknown reset type")
        }
        try store.write(repository: route["repository"]) {
            try $0.resetUncommitted(on: route["branch"], scope: scope, enforce: true, force: reset.force ?? false)
        }
        return .empty(status: 204)
    }

    func hardResetBranch(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let ref = try requiredQuery("ref", in: request)
        let force = try flag("force", in: request)
        try store.write(repository: route["repository"]) {
            try $0.hardReset(branch: route["branch"], to: ref, enforce: true, force: force)
        }
        return .empty(status: 204)
    }
}
