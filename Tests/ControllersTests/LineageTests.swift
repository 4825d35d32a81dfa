import Controllers
import Foundation
import OpenLineage
import PlatformAPI
import Simulators
import TestSupport
import Testing

/// What each kind reports as OpenLineage run events, with the datasets named as
/// OpenLineage's conventions name them.
@Suite("Lineage of every kind's actions")
struct LineageTests {
    @Test("a DataBranch merge is a COMPLETE run from the branch at its head to the target at the merge commit; a failed gate a FAIL")
    func dataBranchMerge() async throws {
        try await DataBranchWorld.with { world in
            let repo = DataBranchWorld.repository
            try world.lakeFS.setPreMergeHook(repository: repo, branch: "main", verdict: .pass)
            try await world.startOperator()
            try await world.create(world.dataBranch("dev", merge: DataBranchMerge(into: "main", pollInterval: "10s")))
            try await world.waitFor("dev", "Ready") { $0.has("Ready", .true) }
            try world.lakeFS.write(repository: repo, branch: "dev", path: "t/part-1.parquet", content: "load")
            let head = try world.lakeFS.commit(repository: repo, branch: "dev", message: "load")
            try await world.requestReconcile("dev")
            let merged = try await world.waitFor("dev", "merged") { $0.status?.lastMerge?.sourceCommit == head }
            let job = "databranch/\(world.namespace)/dev.merge"
            #expect(await eventually { world.lineage.events(job: job).contains { $0.eventType == .complete } })
            let event = try #require(world.lineage.events(job: job).last { $0.eventType == .complete })
            #expect(event.job.namespace == "hmco-test")
            #expect(event.job.facets.jobType?.jobType == "DATABRANCH_MERGE")
            let lakeFSNamespace = LineageDatasets.authority(world.lakeFSURL, scheme: "lakefs")
            #expect(event.inputs.map(\.namespace) == [lakeFSNamespace])
            #expect(event.inputs.map(\.name) == ["\(repo)/dev"])
            #expect(event.inputs.first?.facets.version?.datasetVersion == head)
            #expect(event.outputs.map(\.name) == ["\(repo)/main"])
            #expect(event.outputs.first?.facets.version?.datasetVersion == merged.status?.lastMerge?.commit)
            let created = world.lineage.events(job: "databranch/\(world.namespace)/dev.branch")
            #expect(created.first?.outputs.first?.facets.lifecycleStateChange?.change == .create)

            try world.lakeFS.setPreMergeHook(repository: repo, branch: "main", verdict: .fail(hookID: "check_nulls", output: "column id has nulls"))
            try world.lakeFS.write(repository: repo, branch: "dev", path: "t/part-2.parquet", content: "bad")
            _ = try world.lakeFS.commit(repository: repo, branch: "dev", message: "bad load")
            try await world.requestReconcile("dev")
            #expect(await eventually { world.lineage.events(job: job).contains { $0.eventType == .fail } })
            let failed = try #require(world.lineage.events(job: job).last { $0.eventType == .fail })
            #expect(failed.run.facets.errorMessage?.message.contains("check_nulls") == true)
        }
    }

    @Test("a registered schema is a COMPLETE run writing the subject at its version; a refused one a FAIL")
    func schemaRegistration() async throws {
        try await SchemaContractWorld.with { world in
            try await world.startOperator()
            try await world.create(world.contract("orders"))
            try await world.waitFor("orders", "Ready") { $0.has("Ready", .true) && $0.isCurrent }
            let job = "schemacontract/\(world.namespace)/orders.register"
            #expect(await eventually { world.lineage.events(job: job).contains { $0.eventType == .complete } })
            let event = try #require(world.lineage.events(job: job).first { $0.eventType == .complete })
            #expect(event.outputs.map(\.name) == ["orders-value"])
            #expect(event.outputs.first?.namespace == LineageDatasets.authority(world.registryURL))
            #expect(event.outputs.first?.facets.version?.datasetVersion == "1")
            #expect(event.outputs.first?.facets.lifecycleStateChange?.change == .create)
            #expect(event.outputs.first?.facets.schema?.fields.map { "\($0.name):\($0.type ?? "")" } == ["id:string"])

            try await world.updateSpec("orders") { $0.schema = SchemaContractWorld.ordersBroken }
            #expect(await eventually { world.lineage.events(job: job).contains { $0.eventType == .fail } })
            let failed = try #require(world.lineage.events(job: job).last { $0.eventType == .fail })
            #expect(failed.run.facets.errorMessage?.message.contains("orders-value") == true)
        }
    }

    @Test("a CDC source is a streaming run from the tables to the topics, its sink from the topics to the Iceberg tables")
    func cdcStreams() async throws {
        try await CDCConnectorWorld.with { world in
            try await world.startOperator()
            try await world.create(world.cdc("orders") { $0.sinks = CDCConnectorWorld.icebergSink })
            try await world.waitFor("orders", "Ready") { $0.has("Ready", .true) && $0.isCurrent }
            let source = try #require(world.lineage.events(job: "cdcconnector/\(world.namespace)/orders").first)
            #expect(source.eventType == .start)
            #expect(source.job.facets.jobType?.processingType == .streaming)
            #expect(source.inputs.map { "\($0.namespace) \($0.name)" } == ["postgres://orders-db.example.svc:5432 shop.public.orders"])
            #expect(source.outputs.map { "\($0.namespace) \($0.name)" } == ["kafka://kafka:9092 cdc.orders.public.orders"])
            let sink = try #require(world.lineage.events(job: "cdcconnector/\(world.namespace)/orders.iceberg").first)
            #expect(sink.inputs.map(\.name) == ["cdc.orders.public.orders"])
            #expect(sink.outputs.map { "\($0.namespace) \($0.name)" } == ["s3://lake/warehouse cdc.orders"])

            // The same configuration is the same run: a failure for good is that run's FAIL.
            try await world.updateSpec("orders") { $0.autoRestart = AutoRestartPolicy(maxRestarts: 1, initialBackoff: "1s", maxBackoff: "1s") }
            let name = world.sourceName("orders")
            world.connect.failNextTaskStarts(connector: name, count: 100, trace: "java.lang.IllegalStateException: slot is gone")
            try world.connect.failTask(connector: name, task: 0, trace: "java.lang.IllegalStateException: slot is gone")
            try await world.waitFor("orders", "Stalled", timeout: .seconds(30)) { $0.has("Stalled", .true) }
            #expect(await eventually { world.lineage.events(job: "cdcconnector/\(world.namespace)/orders").contains { $0.eventType == .fail } })
            let failed = try #require(world.lineage.events(job: "cdcconnector/\(world.namespace)/orders").last { $0.eventType == .fail })
            #expect(failed.run.runID == source.run.runID)
            #expect(failed.run.facets.errorMessage?.message.contains("slot is gone") == true)
        }
    }
}
