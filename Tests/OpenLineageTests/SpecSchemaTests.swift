import Foundation
import OpenLineage
import Testing

/// A small JSON Schema (2020-12) checker for the spec's own files: `$ref` (within a
/// file and across `OpenLineage.json` and the facet files, by `$id`), `allOf`, `anyOf`,
/// `type`, `required`, `properties`, `additionalProperties`, `items`, `enum`, `minimum`
/// and the formats `uuid`, `date-time` and `uri`. Enough for every keyword the event
/// and the operator's facets use.
struct SpecSchemas {
    /// Documents by `$id`.
    let documents: [String: [String: Any]]

    init(directory: URL) throws {
        var documents: [String: [String: Any]] = [:]
        let facets = directory.appendingPathComponent("facets")
        let files =
            [directory.appendingPathComponent("OpenLineage.json")]
            + (try FileManager.default.contentsOfDirectory(atPath: facets.path))
            .filter { $0.hasSuffix(".json") }.map { facets.appendingPathComponent($0) }
        for file in files {
            let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            documents[try #require(schema["$id"] as? String)] = schema
        }
        self.documents = documents
    }

    /// The schema a URL like `https://…/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet` points at.
    func schema(_ url: String) -> (document: String, schema: [String: Any])? {
        let parts = url.components(separatedBy: "#")
        guard let document = documents[parts[0]] else { return nil }
        var node: Any? = document
        for part in (parts.count > 1 ? parts[1] : "").split(separator: "/") {
            node = (node as? [String: Any])?[String(part)]
        }
        return (node as? [String: Any]).map { (parts[0], $0) }
    }

    /// Everything in `value` that does not match the schema at `url`.
    func problems(_ value: Any, against url: String) -> [String] {
        guard let (document, schema) = schema(url) else { return ["no schema at \(url)"] }
        var problems: [String] = []
        check(value, schema, document: document, at: "#", into: &problems)
        return problems
    }

    private func check(
        _ value: Any, _ schema: [String: Any], document: String, at path: String, into problems: inout [String]
    ) {
        if let reference = schema["$ref"] as? String {
            let url = reference.hasPrefix("#") ? document + reference : reference
            if let (target, resolved) = self.schema(url) {
                check(value, resolved, document: target, at: path, into: &problems)
            } else {
                problems.append("\(path): unresolved \(reference)")
            }
        }
        for part in schema["allOf"] as? [[String: Any]] ?? [] {
            check(value, part, document: document, at: path, into: &problems)
        }
        if let options = schema["anyOf"] as? [[String: Any]] {
            let failing = options.map { option -> [String] in
                var found: [String] = []
                check(value, option, document: document, at: path, into: &found)
                return found
            }
            if !failing.contains(where: \.isEmpty) { problems.append(contentsOf: failing.first ?? []) }
        }
        if let allowed = schema["enum"] as? [String], let text = value as? String, !allowed.contains(text) {
            problems.append("\(path): '\(text)' not in \(allowed)")
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return problems.append("\(path): not an object") }
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): lacks required '\(key)'")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, member) in object {
                if let property = properties[key] as? [String: Any] {
                    check(member, property, document: document, at: "\(path)/\(key)", into: &problems)
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    check(member, additional, document: document, at: "\(path)/\(key)", into: &problems)
                }
            }
        case "array":
            guard let array = value as? [Any] else { return problems.append("\(path): not an array") }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() {
                    check(item, items, document: document, at: "\(path)/\(index)", into: &problems)
                }
            }
        case "string":
            guard let text = value as? String else { return problems.append("\(path): not a string") }
            switch schema["format"] as? String {
            case "uuid" where UUID(uuidString: text) == nil: problems.append("\(path): '\(text)' not a uuid")
            case "date-time" where (try? Date(text, strategy: .iso8601)) == nil:
                problems.append("\(path): '\(text)' not a date-time")
            case "uri" where URL(string: text)?.scheme == nil: problems.append("\(path): '\(text)' not a uri")
            default: break
            }
        case "integer":
            guard let number = value as? Int else { return problems.append("\(path): not an integer") }
            if let minimum = schema["minimum"] as? Int, number < minimum {
                problems.append("\(path): below \(minimum)")
            }
        case "boolean":
            if !(value is Bool) { problems.append("\(path): not a boolean") }
        default:
            break
        }
    }
}

@Suite("Encoded events validate against OpenLineage.json and each facet's own schema file")
struct SpecSchemaTests {
    static func schemas() throws -> SpecSchemas {
        try SpecSchemas(directory: LineageEventEncodingTests.facetsDirectory.deletingLastPathComponent())
    }

    @Test("the full event is a valid RunEvent and every facet matches the schema its _schemaURL names")
    func fullEvent() throws {
        let schemas = try Self.schemas()
        let event = try LineageEventEncodingTests.fullEvent()
        let document = try JSONSerialization.jsonObject(with: try event.encoded())
        #expect(schemas.problems(document, against: event.schemaURL) == [])

        var facets: [(String, [String: Any])] = []
        func collect(_ map: Any?) {
            for (_, facet) in map as? [String: Any] ?? [:] {
                if let facet = facet as? [String: Any], let url = facet["_schemaURL"] as? String {
                    facets.append((url, facet))
                }
            }
        }
        collect(value(document, "run.facets"))
        collect(value(document, "job.facets"))
        for dataset in (value(document, "inputs") as? [Any] ?? []) + (value(document, "outputs") as? [Any] ?? []) {
            collect(value(dataset, "facets"))
        }
        let standard = facets.filter { $0.0.hasPrefix("https://openlineage.io/") }
        #expect(standard.count == 9)
        for (url, facet) in standard {
            #expect(schemas.problems(facet, against: url) == [], "\(url)")
        }
    }

    @Test("the checker notices a missing required field, a value outside an enum and a malformed uuid")
    func checkerCatchesMissingFields() throws {
        let schemas = try Self.schemas()
        let facet: [String: Any] = [
            "_producer": "https://x.io", "_schemaURL": LineageFacet.ErrorMessage.schemaURL, "message": "boom",
        ]
        #expect(
            schemas.problems(facet, against: LineageFacet.ErrorMessage.schemaURL) == [
                "#: lacks required 'programmingLanguage'"
            ])
        var event = try #require(
            try JSONSerialization.jsonObject(with: try Fixture.event().encoded()) as? [String: Any])
        event["run"] = ["runId": "not-a-uuid"]
        event["eventType"] = "DONE"
        #expect(
            schemas.problems(event, against: OpenLineageSpec.runEventSchemaURL).sorted() == [
                "#/eventType: 'DONE' not in [\"START\", \"RUNNING\", \"COMPLETE\", \"ABORT\", \"FAIL\", \"OTHER\"]",
                "#/run/runId: 'not-a-uuid' not a uuid",
            ])
    }
}
