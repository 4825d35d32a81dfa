import Foundation
import HTTPTypes
import Hummingbird
import KubeAPI

/// The verbs of one resource (get, list, watch, create, update, patch,
/// delete, deletecollection and the status and scale subresources).
struct ResourceHandler: Sendable {
    let store: ClusterStore
    let def: ResourceDefinition
    let version: String
    let namespace: String?
    let faults: FaultState
    let options: LocalClusterOptions

    // MARK: Reads

    func get(_ request: Request, name: String, subresource: String?, query: QueryParameters) async throws -> Response {
        let object = try await store.get(def, version: version, namespace: namespace, name: name)
        if subresource == "scale" { return APIServer.json(.object(Scale.view(of: object, def: def))) }
        if let table = TableFormat(accept: request.headers[.accept], query: query) {
            return APIServer.json(.object(table.render([object], def: def, version: version, listMeta: nil)))
        }
        return APIServer.json(.object(object))
    }

    func list(_ request: Request, query: QueryParameters) async throws -> Response {
        var listQuery = try selectors(query)
        if let limit = query["limit"], let value = Int(limit), value > 0 { listQuery.limit = value }
        if let token = query["continue"], !token.isEmpty {
            guard let decoded = ContinueToken(decoding: token) else {
                throw APIError.badRequest("continue key is not valid: illegal base64 data at input byte 0")
            }
            listQuery.continueKey = decoded.start
        }
        let page = await store.list(def, version: version, namespace: namespace, query: listQuery)
        var listMeta: JSONObject = ["resourceVersion": .string(String(page.resourceVersion))]
        if let token = page.continueToken { listMeta["continue"] = .string(token) }
        if let remaining = page.remaining { listMeta["remainingItemCount"] = .int(Int64(remaining)) }
        if let table = TableFormat(accept: request.headers[.accept], query: query) {
            return APIServer.json(.object(table.render(page.items, def: def, version: version, listMeta: listMeta)))
        }
        return APIServer.json([
            "apiVersion": .string(def.apiVersion(version)), "kind": .string(def.listKind),
            "metadata": .object(listMeta), "items": .array(page.items.map(JSONValue.object)),
        ])
    }

    func selectors(_ query: QueryParameters) throws(APIError) -> ClusterStore.ListQuery {
        var result = ClusterStore.ListQuery()
        if let text = query["labelSelector"], !text.isEmpty {
            do {
                result.labelSelector = try LabelSelectorQuery(parsing: text)
            } catch {
                throw APIError.badRequest("unable to parse requirement: \(error)")
            }
        }
        if let text = query["fieldSelector"], !text.isEmpty {
            let selector: FieldSelector
            do {
                selector = try FieldSelector(parsing: text)
            } catch {
                throw APIError.badRequest("invalid field selector: \(error)")
            }
            if let allowed = def.selectableFields ?? (def.isCustom ? ["metadata.name", "metadata.namespace"] : nil) {
                for field in selector.fields where !allowed.contains(field) {
                    throw APIError.badRequest("field label not supported: \(field)")
                }
            }
            result.fieldSelector = selector
        }
        return result
    }

    // MARK: Watch

    func watch(_ request: Request, query: QueryParameters) async throws -> Response {
        let listQuery = try selectors(query)
        let table = TableFormat(accept: request.headers[.accept], query: query)
        let def = self.def
        let version = self.version
        let encoder = WatchEncoder(key: table == nil ? "json|\(version)" : "table|\(version)|\(table?.includeObject ?? "")") { type, object in
            let payload: JSONObject
            if let table, type != .bookmark {
                payload = table.render([object], def: def, version: version, listMeta: nil)
            } else {
                payload = object
            }
            var line = (try? JSONValue.object(["type": .string(type.rawValue), "object": .object(payload)]).serialized()) ?? Data()
            line.append(10)
            return line
        }
        let watchRequest = WatchRequest(
            def: def, version: version, namespace: namespace, labelSelector: listQuery.labelSelector,
            fieldSelector: listQuery.fieldSelector, resourceVersion: query["resourceVersion"],
            allowBookmarks: query.flag("allowWatchBookmarks"),
            sendInitialEvents: query["sendInitialEvents"].map { $0 == "true" }, encoder: encoder)
        let timeout = query["timeoutSeconds"].flatMap(Int.init).map { Duration.seconds($0) } ?? options.defaultWatchTimeout

        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-cache, private"
        let start: WatchStart
        do {
            start = try await store.watch(watchRequest, failWithGone: faults.takeGoneWatch())
        } catch {
            var line = (try? JSONValue.object([
                "type": "ERROR", "object": (try? JSONCoding.toJSON(error.status)) ?? .null,
            ]).serialized()) ?? Data()
            line.append(10)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: line)))
        }
        let store = self.store
        let body = ResponseBody { writer in
            do {
                for line in start.initial { try await writer.write(ByteBuffer(bytes: line)) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        await store.removeWatcher(start.id)
                    }
                    for await line in start.stream {
                        try await writer.write(ByteBuffer(bytes: line))
                    }
                    group.cancelAll()
                }
            } catch {
                await store.removeWatcher(start.id)
                throw error
            }
            await store.removeWatcher(start.id)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    // MARK: Writes

    func writeOptions(_ query: QueryParameters) throws(APIError) -> WriteOptions {
        var result = WriteOptions()
        if let dryRun = query["dryRun"] {
            guard dryRun == "All" else {
                throw APIError.badRequest("Invalid dryRun value: \(dryRun). Valid values: All")
            }
            result.dryRun = true
        }
        if let value = query["fieldValidation"], !value.isEmpty {
            guard let validation = WriteOptions.FieldValidation(rawValue: value) else {
                throw APIError.badRequest(
                    "fieldValidation parameter unsupported: \(value). Supported values are: Strict, Warn, Ignore")
            }
            result.fieldValidation = validation
        }
        return result
    }

    /// The request body as JSON; `subresource` is that of an update (`scale` bodies are Scale objects).
    func body(_ request: Request, subresource: String? = nil) async throws -> JSONObject {
        let contentType = (request.headers[.contentType] ?? "application/json").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        if contentType == ProtobufBodies.mediaType {
            if subresource == "scale" { throw ProtobufBodies.unsupported("not for autoscaling/v1 Scale") }
            let buffer = try await request.body.collect(upTo: APIServer.maxBodySize)
            return try ProtobufBodies.decode(Array(buffer.readableBytesView), def: def, version: version)
        }
        guard contentType == "application/json" || contentType.isEmpty || contentType == "*/*" else {
            var accepted = ["application/json", "application/yaml"]
            if ProtobufBodies.accepts(def, version: version) { accepted.append(ProtobufBodies.mediaType) }
            throw APIError.unsupportedMediaType(contentType, accepted: accepted)
        }
        let buffer = try await request.body.collect(upTo: APIServer.maxBodySize)
        let data = Data(buffer.readableBytesView)
        do {
            guard let object = try JSONValue(parsing: data).objectValue else {
                throw APIError.badRequest("the body of the request must be a JSON object")
            }
            return object
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("Object 'Kind' is missing in '\(String(decoding: data.prefix(200), as: UTF8.self))'")
        }
    }

    func create(_ request: Request, query: QueryParameters) async throws -> Response {
        let options = try writeOptions(query)
        let object = try await body(request)
        let result = try await store.create(def, version: version, namespace: namespace, body: object, options: options)
        return APIServer.json(.object(result.object), status: .created, warnings: result.warnings)
    }

    func update(_ request: Request, name: String, subresource: String?, query: QueryParameters) async throws -> Response {
        let options = try writeOptions(query)
        var object = try await body(request, subresource: subresource)
        if subresource == "scale" {
            let replicas = object["spec"]?["replicas"]?.intValue ?? 0
            let rv = object["metadata"]?["resourceVersion"]?.stringValue
            let def = self.def
            let result = try await store.patch(
                def, version: version, namespace: namespace, name: name, subresource: nil, options: options
            ) { current throws(APIError) in
                if let rv, !rv.isEmpty, rv != current["metadata"]?["resourceVersion"]?.stringValue {
                    throw APIError.conflict(def.groupResource, name: name)
                }
                return Scale.apply(replicas: replicas, to: current, def: def)
            }
            return APIServer.json(.object(Scale.view(of: result.object, def: def)), warnings: result.warnings)
        }
        if subresource == "finalize" { object["status"] = nil }
        let result = try await store.update(
            def, version: version, namespace: namespace, name: name, body: object,
            subresource: subresource == "status" ? "status" : nil, options: options)
        return APIServer.json(.object(result.object), warnings: result.warnings)
    }

    func patch(_ request: Request, name: String, subresource: String?, query: QueryParameters) async throws -> Response {
        let options = try writeOptions(query)
        let contentType = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        var accepted = ["application/json-patch+json", "application/merge-patch+json"]
        if def.acceptsStrategicMerge { accepted.append("application/strategic-merge-patch+json") }
        guard accepted.contains(contentType) else {
            throw APIError.unsupportedMediaType(contentType, accepted: accepted)
        }
        let buffer = try await request.body.collect(upTo: APIServer.maxBodySize)
        let data = Data(buffer.readableBytesView)
        let patch = try PatchDocument(contentType: contentType, data: data, def: def)
        let def = self.def
        if subresource == "scale" {
            let result = try await store.patch(
                def, version: version, namespace: namespace, name: name, subresource: nil, options: options
            ) { current throws(APIError) in
                let scale = try patch.apply(to: Scale.view(of: current, def: def))
                return Scale.apply(replicas: scale["spec"]?["replicas"]?.intValue ?? 0, to: current, def: def)
            }
            return APIServer.json(.object(Scale.view(of: result.object, def: def)), warnings: result.warnings)
        }
        let result = try await store.patch(
            def, version: version, namespace: namespace, name: name, subresource: subresource, options: options
        ) { current throws(APIError) in
            try patch.apply(to: current)
        }
        return APIServer.json(.object(result.object), warnings: result.warnings)
    }

    /// The DeleteOptions of a DELETE, if any. A protobuf one is refused rather
    /// than ignored, since its propagationPolicy or preconditions would be lost.
    func deleteOptionsBody(_ request: Request) async throws -> JSONValue? {
        let buffer = try await request.body.collect(upTo: APIServer.maxBodySize)
        guard buffer.readableBytes > 0 else { return nil }
        let contentType = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        if contentType == ProtobufBodies.mediaType { throw ProtobufBodies.unsupported("not for DeleteOptions") }
        return try? JSONValue(parsing: Data(buffer.readableBytesView))
    }

    func delete(_ request: Request, name: String, query: QueryParameters) async throws -> Response {
        let bodyValue = try await deleteOptionsBody(request)
        let deleteRequest = DeleteRequest(
            body: bodyValue, dryRunQuery: query["dryRun"] == "All", propagationQuery: query["propagationPolicy"])
        let object = try await store.delete(def, version: version, namespace: namespace, name: name, request: deleteRequest)
        let stillThere = await store.stored(def, namespace: namespace, name: name) != nil
        if stillThere || deleteRequest.dryRun {
            return APIServer.json(.object(object), status: stillThere && !deleteRequest.dryRun ? .accepted : .ok)
        }
        return APIServer.json(.object(object))
    }

    func deleteCollection(_ request: Request, query: QueryParameters) async throws -> Response {
        let listQuery = try selectors(query)
        let bodyValue = try await deleteOptionsBody(request)
        let deleteRequest = DeleteRequest(
            body: bodyValue, dryRunQuery: query["dryRun"] == "All", propagationQuery: query["propagationPolicy"])
        let items = await store.deleteCollection(
            def, version: version, namespace: namespace, query: listQuery, request: deleteRequest)
        return APIServer.json([
            "apiVersion": .string(def.apiVersion(version)), "kind": .string(def.listKind),
            "metadata": ["resourceVersion": .string(String(await store.resourceVersion))],
            "items": .array(items.map(JSONValue.object)),
        ])
    }
}

/// The autoscaling/v1 Scale view of an object with a scale subresource.
enum Scale {
    static func view(of object: JSONObject, def: ResourceDefinition) -> JSONObject {
        guard let paths = def.scale else { return [:] }
        let value = JSONValue.object(object)
        let metadata = object["metadata"]?.objectValue ?? [:]
        var scaleMetadata: JSONObject = [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { scaleMetadata[key] = metadata[key] }
        var status: JSONObject = ["replicas": value.value(at: path(paths.statusReplicasPath)) ?? 0]
        if let selectorPath = paths.labelSelectorPath, let selector = value.value(at: path(selectorPath))?.stringValue {
            status["selector"] = .string(selector)
        } else if let matchLabels = object["spec"]?["selector"]?["matchLabels"]?.objectValue {
            status["selector"] = .string(matchLabels.keys.sorted().map { "\($0)=\(matchLabels[$0]?.stringValue ?? "")" }.joined(separator: ","))
        }
        return [
            "apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": .object(scaleMetadata),
            "spec": ["replicas": value.value(at: path(paths.specReplicasPath)) ?? 0], "status": .object(status),
        ]
    }

    static func apply(replicas: Int64, to object: JSONObject, def: ResourceDefinition) -> JSONObject {
        guard let paths = def.scale else { return object }
        var value = JSONValue.object(object)
        value.setValue(.int(replicas), at: path(paths.specReplicasPath))
        return value.objectValue ?? object
    }

    private static func path(_ jsonPath: String) -> [String] {
        jsonPath.split(separator: ".").map(String.init)
    }
}
