extension LakeFSAPI {
    // MARK: Action runs

    func listRepositoryRuns(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let page = try PageRequest(request)
        let branch = request.query["branch"] ?? ""
        let commit = request.query["commit"] ?? ""
        let runs = try store.read(repository: route["repository"]) { repository in
            repository.runs.filter {
                (branch.isEmpty || $0.branch == branch) && (commit.isEmpty || $0.commitID == commit)
            }
        }
        return .json(pageInOrder(runs, key: \.runID, request: page, wire: Self.wire))
    }

    func getRun(_ route: RouteMatch) throws -> SimulatorResponse {
        .json(Self.wire(try run(route)))
    }

    func listRunHooks(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let page = try PageRequest(request)
        return .json(pageInOrder(try run(route).hooks, key: \.hookRunID, request: page, wire: Self.wire))
    }

    func getRunHookOutput(_ route: RouteMatch) throws -> SimulatorResponse {
        let hookRunID = route["hook_run_id"]
        guard let hook = try run(route).hooks.first(where: { $0.hookRunID == hookRunID }) else {
            throw LakeFSSimulatorError.notFound("hook run not found")
        }
        var response = SimulatorResponse.text(hook.output, contentType: "application/octet-stream")
        response.headers.append(("Content-Disposition", "attachment; filename=\(hookRunID).log"))
        return response
    }

    private func run(_ route: RouteMatch) throws -> ActionRunRecord {
        let runID = route["run_id"]
        return try store.read(repository: route["repository"]) { repository in
            guard let run = repository.runs.first(where: { $0.runID == runID }) else {
                throw LakeFSSimulatorError.notFound("run not found")
            }
            return run
        }
    }

    static func wire(_ run: ActionRunRecord) -> LakeFSWire.ActionRun {
        LakeFSWire.ActionRun(
            runID: run.runID, branch: run.branch, startTime: timestamp(run.start), endTime: timestamp(run.end),
            eventType: run.eventType, status: run.passed ? "completed" : "failed", commitID: run.commitID)
    }

    static func wire(_ hook: HookRunRecord) -> LakeFSWire.HookRun {
        LakeFSWire.HookRun(
            hookRunID: hook.hookRunID, action: hook.action, hookID: hook.hookID, startTime: timestamp(hook.start),
            endTime: timestamp(hook.end), status: hook.passed ? "completed" : "failed")
    }
}
