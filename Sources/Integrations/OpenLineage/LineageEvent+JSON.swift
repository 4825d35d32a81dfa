import Foundation

// How events are written: field names as in `OpenLineage.json` and the facet
// schemas; absent optionals and empty facet maps are left out.

extension LineageEvent {
    /// The event as OpenLineage JSON: compact, keys sorted, slashes unescaped.
    /// - Throws: ``LineageError/Kind/invalidEvent`` if it cannot be encoded (not expected:
    ///   every value is a string, an integer or JSON that was read from text).
    public func encoded() throws(LineageError) -> Data {
        do {
            return try json.encoded()
        } catch {
            throw LineageError(kind: .invalidEvent, operation: "encoding the \(summary)", message: "\(error)")
        }
    }

    /// `eventTime` as written: ISO-8601, UTC, milliseconds.
    public static func timestamp(_ date: Date) -> String {
        // Rounded to the millisecond first, so 10:15:30.123 is never written as .122.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = milliseconds - seconds * 1000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):"
            + "\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(Int(fraction), 3))Z"
    }

    var json: JSONValue {
        var event = JSONObject()
        event["eventTime"] = .string(Self.timestamp(eventTime))
        event.set("eventType", eventType?.rawValue)
        event["producer"] = .string(producer)
        event["schemaURL"] = .string(schemaURL)
        var runObject = JSONObject()
        runObject["runId"] = .string(Self.text(run.runID))
        runObject["facets"] = facets(run.facets.entries, custom: run.facets.custom)
        event["run"] = runObject.value
        var jobObject = JSONObject()
        jobObject["namespace"] = .string(job.namespace)
        jobObject["name"] = .string(job.name)
        jobObject["facets"] = facets(job.facets.entries, custom: job.facets.custom)
        event["job"] = jobObject.value
        event["inputs"] = .array(inputs.map(dataset))
        event["outputs"] = .array(outputs.map(dataset))
        return event.value
    }

    /// A UUID as the spec's examples write it: lower-case.
    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }

    private func dataset(_ dataset: LineageDataset) -> JSONValue {
        var object = JSONObject()
        object["namespace"] = .string(dataset.namespace)
        object["name"] = .string(dataset.name)
        object["facets"] = facets(dataset.facets.entries, custom: dataset.facets.custom)
        return object.value
    }

    /// A facet map: each facet's fields plus `_producer` and `_schemaURL`; nil when empty.
    private func facets(_ typed: [FacetEntry], custom: [String: LineageFacet.Custom]) -> JSONValue? {
        var map: [String: JSONValue] = [:]
        for (key, facet) in custom { map[key] = stamped(facet.fields, schemaURL: facet.schemaURL) }
        for entry in typed { map[entry.key] = stamped(entry.fields, schemaURL: entry.schemaURL) }
        return map.isEmpty ? nil : .object(map)
    }

    private func stamped(_ fields: [String: JSONValue], schemaURL: String) -> JSONValue {
        var fields = fields
        fields["_producer"] = .string(producer)
        fields["_schemaURL"] = .string(schemaURL)
        return .object(fields)
    }
}

/// One typed facet ready to be written.
struct FacetEntry {
    var key: String
    var schemaURL: String
    var fields: [String: JSONValue]
}

extension LineageRunFacets {
    var entries: [FacetEntry] {
        var entries: [FacetEntry] = []
        if let errorMessage {
            var object = JSONObject()
            object.set("message", errorMessage.message)
            object.set("programmingLanguage", errorMessage.programmingLanguage)
            object.set("stackTrace", errorMessage.stackTrace)
            entries.append(
                FacetEntry(key: "errorMessage", schemaURL: LineageFacet.ErrorMessage.schemaURL, fields: object.members))
        }
        if let parent {
            var object = JSONObject()
            object["run"] = .object(["runId": .string(LineageEvent.text(parent.parent.runID))])
            object["job"] = .object([
                "namespace": .string(parent.parent.jobNamespace), "name": .string(parent.parent.jobName),
            ])
            if let root = parent.root {
                object["root"] = .object([
                    "run": .object(["runId": .string(LineageEvent.text(root.runID))]),
                    "job": .object(["namespace": .string(root.jobNamespace), "name": .string(root.jobName)]),
                ])
            }
            entries.append(FacetEntry(key: "parent", schemaURL: LineageFacet.Parent.schemaURL, fields: object.members))
        }
        return entries
    }
}

extension LineageJobFacets {
    var entries: [FacetEntry] {
        var entries: [FacetEntry] = []
        if let jobType {
            var object = JSONObject()
            object.set("processingType", jobType.processingType.rawValue)
            object.set("integration", jobType.integration)
            object.set("jobType", jobType.jobType)
            entries.append(
                FacetEntry(key: "jobType", schemaURL: LineageFacet.JobType.schemaURL, fields: object.members))
        }
        if let documentation {
            var object = JSONObject()
            object.set("description", documentation.description)
            object.set("contentType", documentation.contentType)
            entries.append(
                FacetEntry(
                    key: "documentation", schemaURL: LineageFacet.Documentation.schemaURL, fields: object.members))
        }
        return entries
    }
}

extension LineageDatasetFacets {
    var entries: [FacetEntry] {
        var entries: [FacetEntry] = []
        if let schema {
            entries.append(
                FacetEntry(
                    key: "schema", schemaURL: LineageFacet.Schema.schemaURL,
                    fields: ["fields": .array(schema.fields.map(Self.field))]))
        }
        if let dataSource {
            var object = JSONObject()
            object.set("name", dataSource.name)
            object.set("uri", dataSource.uri)
            entries.append(
                FacetEntry(key: "dataSource", schemaURL: LineageFacet.DataSource.schemaURL, fields: object.members))
        }
        if let symlinks {
            let identifiers = symlinks.identifiers.map {
                JSONValue.object([
                    "namespace": .string($0.namespace), "name": .string($0.name), "type": .string($0.type),
                ])
            }
            entries.append(
                FacetEntry(
                    key: "symlinks", schemaURL: LineageFacet.Symlinks.schemaURL,
                    fields: ["identifiers": .array(identifiers)]))
        }
        if let lifecycleStateChange {
            var object = JSONObject()
            object.set("lifecycleStateChange", lifecycleStateChange.change.rawValue)
            if let previous = lifecycleStateChange.previousIdentifier {
                object["previousIdentifier"] = .object([
                    "namespace": .string(previous.namespace), "name": .string(previous.name),
                ])
            }
            entries.append(
                FacetEntry(
                    key: "lifecycleStateChange", schemaURL: LineageFacet.LifecycleStateChange.schemaURL,
                    fields: object.members))
        }
        if let version {
            entries.append(
                FacetEntry(
                    key: "version", schemaURL: LineageFacet.DatasetVersion.schemaURL,
                    fields: ["datasetVersion": .string(version.datasetVersion)]))
        }
        return entries
    }

    private static func field(_ field: LineageFacet.Schema.Field) -> JSONValue {
        var object = JSONObject()
        object.set("name", field.name)
        object.set("type", field.type)
        object.set("description", field.description)
        if let position = field.ordinalPosition { object["ordinal_position"] = .integer(Int64(position)) }
        if !field.fields.isEmpty { object["fields"] = .array(field.fields.map(Self.field)) }
        return object.value
    }
}
