import Foundation
import Testing

@testable import Simulators

/// Validates the OpenLineage simulator against the specs it was written from:
/// answers against `marquez-openapi.yml` (and the generic consumer's `OpenLineage.yml`)
/// where they define them, Marquez's real statuses from NOTES.md where the yml is
/// silent or differs (201 for an accepted event, 422 `{"errors"}`, 400 `{"code", "message"}`),
/// and which events pass, against the rules of `OpenLineage.json`.
@Suite("OpenLineage simulator: conformance to marquez-openapi.yml and OpenLineage.json")
struct OpenLineageConformanceTests {
    typealias Op = OpenLineageSimulator.Operation

    static let specsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SimulatorsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .appendingPathComponent("../shared/specs/openlineage").standardizedFileURL

    static let marquez: Result<OpenAPISpec, any Error> = Result {
        try OpenAPISpec(
            yaml: String(contentsOf: specsDirectory.appendingPathComponent("marquez-openapi.yml"), encoding: .utf8))
    }

    static let generic: Result<OpenAPISpec, any Error> = Result {
        try OpenAPISpec(
            yaml: String(contentsOf: specsDirectory.appendingPathComponent("OpenLineage.yml"), encoding: .utf8))
    }

    /// A valid RunEvent, as JSON-compatible values.
    static func event(
        job: String = "databranch.orders-dev.merge", type: String = "COMPLETE",
        time: String = "2025-03-01T10:15:30.123Z"
    ) -> [String: Any] {
        [
            "eventType": type, "eventTime": time,
            "producer": "https://github.com/hmco/hmco-operator",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": ["runId": "0195501a-5c2b-7a3e-9f10-3c4d5e6f7a8b"],
            "job": [
                "namespace": "hmco", "name": job,
                "facets": [
                    "jobType": [
                        "_producer": "https://github.com/hmco/hmco-operator",
                        "_schemaURL":
                            "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet",
                        "processingType": "BATCH", "integration": "HMCO_OPERATOR",
                    ]
                ],
            ],
            "inputs": [["namespace": "lakefs://lakefs:8000", "name": "orders/dev"]],
            "outputs": [["namespace": "lakefs://lakefs:8000", "name": "orders/main"]],
        ]
    }

    /// The `LineageEvent` example of marquez-openapi.yml as JSON values (every scalar there is a string).
    static func marquezExample(_ spec: OpenAPISpec) throws -> [String: Any] {
        func plain(_ node: SpecNode) -> Any {
            switch node {
            case .scalar(let text): text
            case .sequence(let items): items.map(plain)
            case .mapping(let members): members.mapValues(plain)
            }
        }
        let example = try #require(spec.root["components"]?["schemas"]?["LineageEvent"]?["example"])
        return try #require(plain(example) as? [String: Any])
    }

    @Test("Marquez's own example event, with the schemaURL OpenLineage.json requires, is accepted with 201 and no body")
    func recordLineage() async throws {
        let spec = try Self.marquez.get()
        try await withOpenLineage { simulator, client in
            var example = try Self.marquezExample(spec)
            let refused = try await client.post("/api/v1/lineage", .json(example))
            #expect(refused.status == 422)
            #expect(try refused.json()["errors"] == .array([.string("schemaURL is required")]))

            example["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
            let accepted = try await client.post("/api/v1/lineage", .json(example))
            // The yml declares 200 without content; Marquez answers 201 (NOTES.md). Either way no body.
            #expect(accepted.status == 201)
            #expect(accepted.body.isEmpty)
            #expect(spec.operation("post", "/lineage")?["responses"]?["200"]?["content"] == nil)
            #expect(simulator.events().map(\.job) == [.init(namespace: "my-namespace", name: "my-job")])
            #expect(simulator.datasets() == [.init(namespace: "my-namespace", name: "my-output")])
            #expect(simulator.requests.count(Op.recordLineage) == 2)
        }
    }

    @Test("GET /events/lineage answers a LineageEventList, newest eventTime first, with limit and offset")
    func lineageEvents() async throws {
        let spec = try Self.marquez.get()
        try await withOpenLineage { simulator, client in
            for (index, time) in ["2025-03-01T10:00:00Z", "2025-03-01T12:00:00.5+01:00", "2025-03-01T10:30:00.000Z"]
                .enumerated()
            {
                let posted = try await client.post(
                    "/api/v1/lineage", .json(Self.event(job: "job-\(index)", time: time)))
                try #require(posted.status == 201)
            }
            let all = try await client.get("/api/v1/events/lineage")
            #expect(spec.problems("GET", "/events/lineage", response: all) == [])
            let names = try all.json()["events"]?.array?.compactMap { $0["job"]?["name"]?.string }
            // 12:00:00.5+01:00 is 11:00:00.5Z.
            #expect(names == ["job-1", "job-2", "job-0"])
            #expect(try all.json()["totalCount"] == .int(3))

            let page = try await client.get("/api/v1/events/lineage", query: [("limit", "1"), ("offset", "1")])
            #expect(spec.problems("GET", "/events/lineage", response: page) == [])
            #expect(try page.json()["events"]?.array?.compactMap { $0["job"]?["name"]?.string } == ["job-2"])

            let ascending = try await client.get(
                "/api/v1/events/lineage", query: [("sortDirection", "asc"), ("after", "2025-03-01T10:00:00Z")])
            #expect(
                try ascending.json()["events"]?.array?.compactMap { $0["job"]?["name"]?.string } == ["job-2", "job-1"])

            let bad = try await client.get("/api/v1/events/lineage", query: [("limit", "-1")])
            #expect(bad.status == 400)
            #expect(simulator.events().count == 3)
        }
    }

    @Test("the generic consumer's POST /lineage answers 200 as OpenLineage.yml declares")
    func genericConsumer() async throws {
        let spec = try Self.generic.get()
        try await withOpenLineage { simulator, client in
            let response = try await client.post("/lineage", .json(Self.event()))
            #expect(spec.problems("POST", "/lineage", response: response) == [])
            #expect(response.status == 200)
            #expect(simulator.events().map(\.path) == ["/lineage"])
        }
    }

    @Test("an invalid event gets 422 with every problem in {\"errors\": [...]}, a body that is not JSON 400")
    func refusals() async throws {
        try await withOpenLineage { simulator, client in
            var event = Self.event()
            event["eventType"] = "FINISHED"
            event["run"] = ["runId": "not-a-uuid"]
            let invalid = try await client.post("/api/v1/lineage", .json(event))
            #expect(invalid.status == 422)
            #expect(invalid.header("Content-Type")?.hasPrefix("application/json") == true)
            let errors = try invalid.json()["errors"]?.array?.compactMap(\.string)
            #expect(
                errors == [
                    "eventType must be one of ABORT, COMPLETE, FAIL, OTHER, RUNNING, START: 'FINISHED'",
                    "run.runId must be a UUID: 'not-a-uuid'",
                ])
            let garbage = try await client.post("/api/v1/lineage", .raw("{not json", contentType: "application/json"))
            #expect(garbage.status == 400)
            #expect(try garbage.json() == .object(["code": .int(400), "message": .string("Unable to process JSON")]))
            #expect(simulator.events().isEmpty)
        }
    }

    struct Rule: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var change: @Sendable (inout [String: Any]) -> Void
        var problems: [String]
    }

    static let rules: [Rule] = [
        Rule(testDescription: "a valid event passes", change: { _ in }, problems: []),
        Rule(
            testDescription: "eventType may be left out", change: { $0["eventType"] = nil }, problems: []),
        Rule(
            testDescription: "eventTime, producer and schemaURL are required",
            change: {
                $0["eventTime"] = nil
                $0["producer"] = nil
                $0["schemaURL"] = nil
            }, problems: ["eventTime is required", "producer is required", "schemaURL is required"]),
        Rule(
            testDescription: "eventTime needs a time zone",
            change: { $0["eventTime"] = "2025-03-01T10:15:30" },
            problems: ["eventTime must be an RFC 3339 date-time with a time zone: '2025-03-01T10:15:30'"]),
        Rule(
            testDescription: "eventTime must be a real date", change: { $0["eventTime"] = "2025-02-30T10:15:30Z" },
            problems: ["eventTime must be an RFC 3339 date-time with a time zone: '2025-02-30T10:15:30Z'"]),
        Rule(
            testDescription: "producer must be a URI", change: { $0["producer"] = "hmco operator" },
            problems: ["producer must be an absolute URI: 'hmco operator'"]),
        Rule(
            testDescription: "a RunEvent needs run and job",
            change: {
                $0["run"] = nil
                $0["job"] = nil
            }, problems: ["run is required", "job is required"]),
        Rule(
            testDescription: "runId is required", change: { $0["run"] = ["facets": [String: Any]()] },
            problems: ["run.runId is required"]),
        Rule(
            testDescription: "job namespace and name must not be empty",
            change: { $0["job"] = ["namespace": "", "name": " "] },
            problems: ["job.namespace must not be empty", "job.name must not be empty"]),
        Rule(
            testDescription: "datasets need a namespace and a name",
            change: {
                $0["inputs"] = [["name": "orders"]]
                $0["outputs"] = [["namespace": "s3://b", "name": ""]]
            }, problems: ["inputs[0].namespace is required", "outputs[0].name must not be empty"]),
        Rule(
            testDescription: "facets need _producer and _schemaURL",
            change: {
                $0["outputs"] = [
                    [
                        "namespace": "s3://b", "name": "o",
                        "facets": [
                            "schema": ["fields": [Any]()], "version": ["_producer": "x:y", "_schemaURL": "nope"],
                        ],
                        "outputFacets": ["outputStatistics": "12"],
                    ]
                ]
            },
            problems: [
                "outputs[0].facets.schema._producer is required", "outputs[0].facets.schema._schemaURL is required",
                "outputs[0].facets.version._schemaURL must be an absolute URI: 'nope'",
                "outputs[0].outputFacets.outputStatistics must be an object, not a string",
            ]),
        Rule(
            testDescription: "_deleted must be a boolean",
            change: {
                $0["job"] = [
                    "namespace": "hmco", "name": "j",
                    "facets": ["sql": ["_producer": "x:y", "_schemaURL": "x:z", "_deleted": "yes"]],
                ]
            }, problems: ["job.facets.sql._deleted must be a boolean, not a string"]),
        Rule(
            testDescription: "a JobEvent has a job and no run",
            change: {
                $0["run"] = nil
                $0["eventType"] = nil
            }, problems: []),
        Rule(
            testDescription: "a DatasetEvent has a dataset",
            change: {
                $0 = [
                    "eventTime": "2025-03-01T10:15:30Z", "producer": "https://x.io", "schemaURL": "https://x.io/s",
                    "dataset": ["namespace": "s3://b", "name": ""],
                ]
            }, problems: ["dataset.name must not be empty"]),
    ]

    @Test("the rules of OpenLineage.json", arguments: rules)
    func rule(_ rule: Rule) throws {
        var event = Self.event()
        rule.change(&event)
        let data = try JSONSerialization.data(withJSONObject: event)
        let json = try JSONDecoder().decode(OpenLineageWire.JSON.self, from: data)
        #expect(OpenLineageValidation.problems(json) == rule.problems)
    }
}

/// Runs `body` against a fresh OpenLineage simulator on an ephemeral port, stopping it afterwards.
func withOpenLineage(
    configuration: OpenLineageSimulator.Configuration = .init(),
    _ body: (OpenLineageSimulator, HTTPTestClient) async throws -> Void
) async throws {
    let simulator = OpenLineageSimulator(configuration: configuration)
    let url = try await simulator.start()
    do {
        try await body(simulator, HTTPTestClient(baseURL: url, credentials: nil))
    } catch {
        await simulator.stop()
        throw error
    }
    await simulator.stop()
}
