import Foundation
import OpenLineage
import Testing

/// Events are written with the field names of `OpenLineage.json` and the facet
/// schemas; the expected documents below are typed from the spec, not from the client.
@Suite("LineageEvent encodes to OpenLineage 2-0-2 JSON")
struct LineageEventEncodingTests {
    /// 0195501a-5c2b-7a3e-9f10-3c4d5e6f7a8b.
    static let runID = UUID(
        uuid: (0x01, 0x95, 0x50, 0x1a, 0x5c, 0x2b, 0x7a, 0x3e, 0x9f, 0x10, 0x3c, 0x4d, 0x5e, 0x6f, 0x7a, 0x8b))
    /// 0195501a-0000-7000-8000-000000000001.
    static let parentRunID = UUID(
        uuid: (0x01, 0x95, 0x50, 0x1a, 0x00, 0x00, 0x70, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01))
    /// 2025-03-01T10:15:30.123Z.
    static let time = Date(timeIntervalSince1970: 1_740_824_130.123)
    static let producer = "https://github.com/hmco/hmco-operator"

    /// The spec's facets directory, beside the repository.
    static let facetsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // OpenLineageTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .appendingPathComponent("../shared/specs/openlineage/facets").standardizedFileURL

    static func fullEvent() throws -> LineageEvent {
        LineageEvent(
            eventType: .fail, eventTime: time,
            run: LineageRun(
                runID: runID,
                facets: LineageRunFacets(
                    errorMessage: .init(message: "merge conflict on orders/main"),
                    parent: .init(
                        runID: parentRunID, jobNamespace: "hmco", jobName: "databranch.orders-dev",
                        root: .init(runID: parentRunID, jobNamespace: "hmco", jobName: "databranch.orders-dev")))),
            job: LineageJob(
                namespace: "hmco", name: "databranch.orders-dev.merge",
                facets: LineageJobFacets(
                    jobType: .init(processingType: .batch, jobType: "DATABRANCH_MERGE"),
                    documentation: .init(description: "Merges dev into main", contentType: "text/markdown"),
                    custom: [
                        "hmco_contract": try .init(
                            schemaURL: "https://hmco.io/spec/facets/1-0-0/ContractJobFacet.json",
                            fieldsJSON: #"{"contract": "orders-v3", "checks": 2, "strict": true}"#)
                    ])),
            inputs: [
                LineageDataset(
                    namespace: "postgres://pg.trading.svc:5432", name: "trading.public.orders",
                    facets: LineageDatasetFacets(
                        schema: .init(fields: [
                            .init(name: "id", type: "BIGINT", description: "order id", ordinalPosition: 1),
                            .init(
                                name: "customer", type: "STRUCT",
                                fields: [.init(name: "email", type: "VARCHAR")]),
                        ]),
                        dataSource: .init(name: "trading", uri: "postgres://pg.trading.svc:5432")))
            ],
            outputs: [
                LineageDataset(
                    namespace: "s3://curated", name: "orders",
                    facets: LineageDatasetFacets(
                        symlinks: .init(identifiers: [
                            .init(namespace: "hive://metastore", name: "curated.orders", type: "TABLE")
                        ]),
                        lifecycleStateChange: .init(.rename, previousIdentifier: ("s3://curated", "orders_old")),
                        version: .init("c0ffee12")))
            ])
    }

    @Test("every field and facet carries the spec's name, producer and schema URL")
    func golden() throws {
        let facetBase = "https://openlineage.io/spec/facets"
        let expected = """
            {
              "eventTime": "2025-03-01T10:15:30.123Z",
              "eventType": "FAIL",
              "producer": "\(Self.producer)",
              "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
              "run": {
                "runId": "0195501a-5c2b-7a3e-9f10-3c4d5e6f7a8b",
                "facets": {
                  "errorMessage": {
                    "_producer": "\(Self.producer)",
                    "_schemaURL": "\(facetBase)/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
                    "message": "merge conflict on orders/main",
                    "programmingLanguage": "Swift"
                  },
                  "parent": {
                    "_producer": "\(Self.producer)",
                    "_schemaURL": "\(facetBase)/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet",
                    "run": {"runId": "0195501a-0000-7000-8000-000000000001"},
                    "job": {"namespace": "hmco", "name": "databranch.orders-dev"},
                    "root": {
                      "run": {"runId": "0195501a-0000-7000-8000-000000000001"},
                      "job": {"namespace": "hmco", "name": "databranch.orders-dev"}
                    }
                  }
                }
              },
              "job": {
                "namespace": "hmco",
                "name": "databranch.orders-dev.merge",
                "facets": {
                  "jobType": {
                    "_producer": "\(Self.producer)",
                    "_schemaURL": "\(facetBase)/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet",
                    "processingType": "BATCH",
                    "integration": "HMCO_OPERATOR",
                    "jobType": "DATABRANCH_MERGE"
                  },
                  "documentation": {
                    "_producer": "\(Self.producer)",
                    "_schemaURL": "\(facetBase)/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet",
                    "description": "Merges dev into main",
                    "contentType": "text/markdown"
                  },
                  "hmco_contract": {
                    "_producer": "\(Self.producer)",
                    "_schemaURL": "https://hmco.io/spec/facets/1-0-0/ContractJobFacet.json",
                    "contract": "orders-v3",
                    "checks": 2,
                    "strict": true
                  }
                }
              },
              "inputs": [
                {
                  "namespace": "postgres://pg.trading.svc:5432",
                  "name": "trading.public.orders",
                  "facets": {
                    "schema": {
                      "_producer": "\(Self.producer)",
                      "_schemaURL": "\(facetBase)/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
                      "fields": [
                        {"name": "id", "type": "BIGINT", "description": "order id", "ordinal_position": 1},
                        {"name": "customer", "type": "STRUCT", "fields": [{"name": "email", "type": "VARCHAR"}]}
                      ]
                    },
                    "dataSource": {
                      "_producer": "\(Self.producer)",
                      "_schemaURL": "\(facetBase)/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet",
                      "name": "trading",
                      "uri": "postgres://pg.trading.svc:5432"
                    }
                  }
                }
              ],
              "outputs": [
                {
                  "namespace": "s3://curated",
                  "name": "orders",
                  "facets": {
                    "symlinks": {
                      "_producer": "\(Self.producer)",
                      "_schemaURL": "\(facetBase)/1-0-1/SymlinksDatasetFacet.json#/$defs/SymlinksDatasetFacet",
                      "identifiers": [{"namespace": "hive://metastore", "name": "curated.orders", "type": "TABLE"}]
                    },
                    "lifecycleStateChange": {
                      "_producer": "\(Self.producer)",
                      "_schemaURL": "\(facetBase)/1-0-1/LifecycleStateChangeDatasetFacet.json#/$defs/LifecycleStateChangeDatasetFacet",
                      "lifecycleStateChange": "RENAME",
                      "previousIdentifier": {"namespace": "s3://curated", "name": "orders_old"}
                    },
                    "version": {
                      "_producer": "\(Self.producer)",
                      "_schemaURL": "\(facetBase)/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet",
                      "datasetVersion": "c0ffee12"
                    }
                  }
                }
              ]
            }
            """
        let encoded = try Self.fullEvent().encoded()
        #expect(canonicalJSON(encoded) == canonicalJSON(expected))
    }

    @Test("a minimal event has the required fields only, empty dataset lists and no facet maps")
    func minimal() throws {
        let event = LineageEvent(
            eventType: nil, eventTime: Self.time, run: LineageRun(runID: Self.runID),
            job: LineageJob(namespace: "hmco", name: "schemacontract.orders"))
        let expected = """
            {"eventTime": "2025-03-01T10:15:30.123Z", "producer": "\(Self.producer)",
             "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
             "run": {"runId": "0195501a-5c2b-7a3e-9f10-3c4d5e6f7a8b"},
             "job": {"namespace": "hmco", "name": "schemacontract.orders"}, "inputs": [], "outputs": []}
            """
        #expect(canonicalJSON(try event.encoded()) == canonicalJSON(expected))
    }

    @Test("a custom facet's own _producer and _schemaURL are replaced, and a typed facet wins over a custom one")
    func customFacets() throws {
        var event = Fixture.event()
        event.producer = "https://example.com/producer"
        event.job.facets.custom = [
            "jobType": try .init(schemaURL: "https://example.com/other.json", fieldsJSON: #"{"x": 1}"#),
            "extra": try .init(
                schemaURL: "https://example.com/extra.json",
                fieldsJSON: #"{"_producer": "spoofed", "_schemaURL": "spoofed", "n": [1, 2.5, null]}"#),
        ]
        let document = jsonObject(String(decoding: try event.encoded(), as: UTF8.self))
        #expect(value(document, "job.facets.jobType.jobType") as? String == "DATABRANCH_MERGE")
        #expect(value(document, "job.facets.jobType.x") == nil)
        #expect(value(document, "job.facets.extra._producer") as? String == "https://example.com/producer")
        #expect(value(document, "job.facets.extra._schemaURL") as? String == "https://example.com/extra.json")
        #expect((value(document, "job.facets.extra.n") as? [Any])?.count == 3)
    }

    @Test("a custom facet whose fields are not a JSON object is refused", arguments: ["[1]", "\"text\"", "{", ""])
    func customFacetMustBeObject(_ fields: String) {
        #expect(throws: LineageError.self) {
            _ = try LineageFacet.Custom(schemaURL: "https://example.com/f.json", fieldsJSON: fields)
        }
    }

    @Test("eventTime is UTC with milliseconds, rounded, with a zone designator")
    func timestamps() {
        #expect(LineageEvent.timestamp(Self.time) == "2025-03-01T10:15:30.123Z")
        #expect(LineageEvent.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(LineageEvent.timestamp(Date(timeIntervalSince1970: 1_740_824_130.9996)) == "2025-03-01T10:15:31.000Z")
        #expect(LineageEvent.timestamp(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test("every typed facet's _schemaURL names a facet file of the spec with that version and definition")
    func facetSchemaURLsExist() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.facetsDirectory.path)
        #expect(files.contains("SchemaDatasetFacet.json"))
        let urls = [
            LineageFacet.JobType.schemaURL, LineageFacet.Documentation.schemaURL, LineageFacet.ErrorMessage.schemaURL,
            LineageFacet.Parent.schemaURL, LineageFacet.Schema.schemaURL, LineageFacet.DataSource.schemaURL,
            LineageFacet.Symlinks.schemaURL, LineageFacet.LifecycleStateChange.schemaURL,
            LineageFacet.DatasetVersion.schemaURL,
        ]
        // Also every _schemaURL the full event actually writes.
        let written = try Self.schemaURLs(in: Self.fullEvent()).filter { $0.hasPrefix("https://openlineage.io/") }
        #expect(Set(written) == Set(urls))
        for url in urls {
            let parts = url.components(separatedBy: "#/$defs/")
            try #require(parts.count == 2, "\(url) has no #/$defs/ fragment")
            let file = try #require(parts[0].split(separator: "/").last.map(String.init))
            #expect(files.contains(file), "\(file) is not in the spec's facets directory")
            guard files.contains(file) else { continue }
            let data = try Data(contentsOf: Self.facetsDirectory.appendingPathComponent(file))
            let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(schema["$id"] as? String == parts[0], "\(url) does not match the version of \(file)")
            #expect(value(schema, "$defs.\(parts[1])") != nil, "\(file) defines no \(parts[1])")
        }
    }

    @Test("the run id is written lower-case, as the spec's examples do")
    func lowerCaseRunID() throws {
        let document = jsonObject(String(decoding: try Fixture.event(run: Self.runID).encoded(), as: UTF8.self))
        #expect(value(document, "run.runId") as? String == "0195501a-5c2b-7a3e-9f10-3c4d5e6f7a8b")
    }

    static func schemaURLs(in event: LineageEvent) throws -> [String] {
        var found: [String] = []
        func walk(_ node: Any) {
            if let object = node as? [String: Any] {
                if let url = object["_schemaURL"] as? String { found.append(url) }
                object.values.forEach(walk)
            } else if let array = node as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try JSONSerialization.jsonObject(with: try event.encoded()))
        return found
    }
}
