import Foundation

extension LakeFSAPI {
    // MARK: Objects

    /// Stages an object from a raw (`application/octet-stream`) body; a multipart body
    /// is stored as sent.
    func uploadObject(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let path = try requiredQuery("path", in: request)
        let force = try flag("force", in: request)
        let authorship = store.authorship()
        let entry = ObjectEntry(content: request.body, mtime: authorship.epochSeconds)
        let namespace = try store.write(repository: route["repository"]) { repository in
            try repository.stage(.put(entry), at: path, on: route["branch"], enforce: true, force: force)
            return repository.storageNamespace
        }
        let stats = LakeFSWire.ObjectStats(
            path: path, pathType: "object", physicalAddress: namespace + "/data/" + entry.checksum,
            checksum: entry.checksum, sizeBytes: Int64(entry.size), mtime: entry.mtime,
            contentType: request.header("content-type") ?? "application/octet-stream")
        return .json(stats, status: 201)
    }

    func deleteObject(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let path = try requiredQuery("path", in: request)
        let force = try flag("force", in: request)
        try store.write(repository: route["repository"]) { repository in
            guard try repository.workingTree(of: route["branch"])[path] != nil else {
                throw LakeFSSimulatorError.notFound("not found")
            }
            try repository.stage(.delete, at: path, on: route["branch"], enforce: true, force: force)
        }
        return .empty(status: 204)
    }

    /// Reads an object at a ref; on a branch, uncommitted changes are visible.
    func getObject(_ request: SimulatorRequest, _ route: RouteMatch) throws -> SimulatorResponse {
        let path = try requiredQuery("path", in: request)
        let ref = route["ref"]
        let entry = try store.read(repository: route["repository"]) { repository -> ObjectEntry? in
            let tree =
                repository.branches[ref] != nil ? try repository.workingTree(of: ref) : try repository.resolve(ref).tree
            return tree[path]
        }
        guard let entry else { throw LakeFSSimulatorError.notFound("not found") }
        var response = SimulatorResponse(
            status: 200, headers: [("Content-Type", "application/octet-stream")], body: entry.content)
        response.headers.append(("ETag", "\"\(entry.checksum)\""))
        response.headers.append(("Last-Modified", Self.httpDate(entry.mtime)))
        return response
    }

    /// An IMF-fixdate (RFC 9110), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    private static func httpDate(_ epochSeconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
    }
}
