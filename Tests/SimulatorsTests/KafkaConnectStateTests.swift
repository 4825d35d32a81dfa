import Foundation
import Simulators
import Testing

@Suite("Kafka Connect simulator: pause, resume, stop, restarts, failures, offsets and topics")
struct KafkaConnectStateTests {
    @Test("pause answers 202 and pauses connector and tasks; resume answers 202 and runs them again")
    func pauseAndResume() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand(
                "sink", config: ConnectFixture.with(ConnectFixture.iceberg, ["tasks.max": "2"]))
            let pause = try await client.put("/connectors/sink/pause")
            #expect(pause.status == 202)
            #expect(pause.body.isEmpty)
            let paused = try await client.get("/connectors/sink/status").json()
            #expect(paused["connector"]?["state"]?.string == "PAUSED")
            #expect(paused["tasks"]?.array?.map { $0["state"]?.string } == ["PAUSED", "PAUSED"])
            #expect(try await client.put("/connectors/sink/pause").status == 202, "pause is idempotent")

            #expect(try await client.put("/connectors/sink/resume").status == 202)
            #expect(connect.status(of: "sink")?.state == .running)
            #expect(connect.status(of: "sink")?.taskStates == [.running, .running])
            #expect(try await client.put("/connectors/sink/resume").status == 202, "resume is idempotent")
            let unknown = try await client.put("/connectors/nope/pause")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == 404)
        }
    }

    @Test("stop answers 204 and releases the tasks; resume from STOPPED starts them again")
    func stopAndResume() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            let stop = try await client.put("/connectors/orders-pg/stop")
            #expect(stop.status == 204)
            let stopped = try await client.get("/connectors/orders-pg/status").json()
            #expect(stopped["connector"]?["state"]?.string == "STOPPED")
            #expect(stopped["tasks"] == .array([]))
            #expect(try await client.get("/connectors/orders-pg").json()["tasks"] == .array([]))
            #expect(connect.config(of: "orders-pg") != nil, "a stopped connector stays defined")

            #expect(try await client.put("/connectors/orders-pg/resume").status == 202)
            #expect(connect.status(of: "orders-pg")?.state == .running)
            #expect(connect.status(of: "orders-pg")?.taskStates == [.running])
            #expect(try await client.put("/connectors/nope/stop").status == 404)
        }
    }

    @Test("a failed task shows FAILED with a trace under a RUNNING connector; onlyFailed restarts it alone")
    func restartOnlyFailed() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand(
                "sink", config: ConnectFixture.with(ConnectFixture.clickHouse, ["tasks.max": "2"]))
            let trace = KafkaConnectSimulator.javaTrace("Connection refused", exception: "java.net.ConnectException")
            try connect.failTask(connector: "sink", task: 1, trace: trace)

            let status = try await client.get("/connectors/sink/status").json()
            #expect(status["connector"]?["state"]?.string == "RUNNING")
            #expect(status["tasks"]?[1]?["state"]?.string == "FAILED")
            #expect(
                status["tasks"]?[1]?["trace"]?.string?.hasPrefix("java.net.ConnectException: Connection refused\n\tat ")
                    == true)
            #expect(status["tasks"]?[0]?["trace"] == nil)
            let task = try await client.get("/connectors/sink/tasks/1/status").json()
            #expect(task["state"]?.string == "FAILED")
            #expect(task["id"]?.int == 1)

            let restart = try await client.post(
                "/connectors/sink/restart", query: [("includeTasks", "true"), ("onlyFailed", "true")])
            #expect(restart.status == 202)
            let plan = try restart.json()
            #expect(plan["connector"]?["state"]?.string == "RUNNING", "a running connector is not restarted")
            #expect(plan["tasks"]?.array?.map { $0["state"]?.string } == ["RUNNING", "RESTARTING"])
            #expect(connect.status(of: "sink")?.taskStates == [.running, .running])
            #expect(connect.status(of: "sink")?.tasks[1].trace == nil)
            #expect(connect.restartCount(of: "sink") == 1)
        }
    }

    @Test("failNextTaskStarts makes restarts keep failing until the count is used up")
    func scriptedStartFailures() async throws {
        try await withKafkaConnect { connect, client in
            connect.failNextTaskStarts(connector: "orders-pg", count: 3, trace: "boom")
            let created = try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres))
            #expect(created.status == 201)
            #expect(connect.status(of: "orders-pg")?.taskStates == [.failed])
            #expect(connect.status(of: "orders-pg")?.tasks.first?.trace == "boom")

            let query = [("includeTasks", "true"), ("onlyFailed", "true")]
            for _ in 0..<2 {
                #expect(try await client.post("/connectors/orders-pg/restart", query: query).status == 202)
                #expect(connect.status(of: "orders-pg")?.taskStates == [.failed])
            }
            #expect(try await client.post("/connectors/orders-pg/tasks/0/restart").status == 204)
            #expect(connect.status(of: "orders-pg")?.taskStates == [.running])
            #expect(connect.restartCount(of: "orders-pg") == 3)
        }
    }

    @Test("restart without parameters answers 204 and restarts only the connector instance")
    func restartConnectorOnly() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            try connect.failConnector("orders-pg")
            try connect.failTask(connector: "orders-pg", task: 0)
            let failed = try await client.get("/connectors/orders-pg/status").json()
            #expect(failed["connector"]?["state"]?.string == "FAILED")
            #expect(failed["connector"]?["trace"]?.string?.contains("\tat org.apache.kafka.connect") == true)

            let restart = try await client.post("/connectors/orders-pg/restart")
            #expect(restart.status == 204)
            #expect(restart.body.isEmpty)
            #expect(connect.status(of: "orders-pg")?.state == .running)
            #expect(connect.status(of: "orders-pg")?.taskStates == [.failed])

            let all = try await client.post("/connectors/orders-pg/restart", query: [("includeTasks", "true")])
            #expect(all.status == 202)
            #expect(try all.json()["connector"]?["state"]?.string == "RESTARTING")
            #expect(connect.status(of: "orders-pg")?.taskStates == [.running])
            #expect(try await client.post("/connectors/nope/restart").status == 404)
        }
    }

    @Test("restarting an unknown task is 404 with Connect's message")
    func restartUnknownTask() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            let response = try await client.post("/connectors/orders-pg/tasks/3/restart")
            #expect(response.status == 404)
            #expect(response.message == "Unknown task: orders-pg-3")
            let status = try await client.get("/connectors/orders-pg/tasks/3/status")
            #expect(status.status == 404)
            #expect(status.message == "No status found for task orders-pg-3")
            let missing = try await client.get("/connectors/nope/status")
            #expect(missing.status == 404)
            #expect(missing.message == "No status found for connector nope")
        }
    }

    @Test("when creates settle after N status reads, the connector shows UNASSIGNED and no tasks until then")
    func lazySettling() async throws {
        try await withKafkaConnect(configuration: .init(settling: .afterStatusReads(2))) { connect, client in
            let created = try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres))
            #expect(try created.json()["tasks"] == .array([]))
            for _ in 0..<2 {
                let status = try await client.get("/connectors/orders-pg/status").json()
                #expect(status["connector"]?["state"]?.string == "UNASSIGNED")
                #expect(status["tasks"] == .array([]))
            }
            let settled = try await client.get("/connectors/orders-pg/status").json()
            #expect(settled["connector"]?["state"]?.string == "RUNNING")
            #expect(settled["tasks"]?[0]?["state"]?.string == "RUNNING")

            try connect.failTask(connector: "orders-pg", task: 0)
            let restart = try await client.post(
                "/connectors/orders-pg/restart", query: [("includeTasks", "true"), ("onlyFailed", "true")])
            #expect(restart.status == 202)
            #expect(connect.status(of: "orders-pg")?.taskStates == [.restarting], "the Swift view counts no read")
            #expect(
                try await client.get("/connectors/orders-pg/tasks/0/status").json()["state"]?.string == "RESTARTING")
            _ = try await client.get("/connectors/orders-pg/status")
            #expect(try await client.get("/connectors/orders-pg/tasks/0/status").json()["state"]?.string == "RUNNING")

            #expect(try await client.put("/connectors/orders-pg/pause").status == 202)
            #expect(try await client.put("/connectors/orders-pg/resume").status == 202)
            let resumed = try await client.get("/connectors/orders-pg/status").json()
            #expect(resumed["connector"]?["state"]?.string == "UNASSIGNED")
            #expect(resumed["tasks"]?[0]?["state"]?.string == "UNASSIGNED")
        }
    }

    @Test("offsets can be altered and reset only while STOPPED, with Connect's message otherwise")
    func offsets() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            try connect.setOffsets(
                [.init(partition: ["server": .string("shop")], offset: ["lsn": .int(24_023_128), "txId": .int(501)])],
                of: "orders-pg")
            let read = try await client.get("/connectors/orders-pg/offsets").json()
            #expect(read["offsets"]?[0]?["partition"]?["server"]?.string == "shop")
            #expect(read["offsets"]?[0]?["offset"]?["lsn"]?.int == 24_023_128)

            let change: [String: Any] = [
                "offsets": [["partition": ["server": "shop"], "offset": ["lsn": 1]]]
            ]
            let running = try await client.send("PATCH", "/connectors/orders-pg/offsets", body: .json(change))
            #expect(running.status == 400)
            #expect(
                running.message
                    == "Connectors must be in the STOPPED state before their offsets can be modified. This can be done "
                    + "for the specified connector by issuing a 'PUT' request to the "
                    + "'/connectors/orders-pg/stop' endpoint"
            )
            #expect(try await client.delete("/connectors/orders-pg/offsets").status == 400)
            #expect(try await client.put("/connectors/orders-pg/pause").status == 202)
            #expect(try await client.delete("/connectors/orders-pg/offsets").status == 400, "paused is not stopped")

            #expect(try await client.put("/connectors/orders-pg/stop").status == 204)
            let altered = try await client.send("PATCH", "/connectors/orders-pg/offsets", body: .json(change))
            #expect(altered.status == 200)
            #expect(try altered.json()["message"]?.string?.contains("altered successfully") == true)
            #expect(
                connect.offsets(of: "orders-pg") == [
                    .init(partition: ["server": .string("shop")], offset: ["lsn": .int(1)])
                ])

            let empty = try await client.send("PATCH", "/connectors/orders-pg/offsets", body: .json(["offsets": []]))
            #expect(empty.status == 400)
            let reset = try await client.delete("/connectors/orders-pg/offsets")
            #expect(reset.status == 200)
            #expect(try reset.json()["message"]?.string?.contains("reset successfully") == true)
            #expect(try await client.get("/connectors/orders-pg/offsets").json()["offsets"] == .array([]))
            #expect(try await client.get("/connectors/nope/offsets").status == 404)
        }
    }

    @Test("offsets outlive a deleted connector and come back with one of the same name")
    func offsetsSurviveDeletion() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            let offset = KafkaConnectSimulator.Offset(partition: ["server": .string("shop")], offset: ["lsn": .int(7)])
            try connect.setOffsets([offset], of: "orders-pg")
            #expect(try await client.delete("/connectors/orders-pg").status == 204)
            #expect(try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres)).status == 201)
            #expect(connect.offsets(of: "orders-pg") == [offset])
        }
    }

    @Test("active topics follow running tasks and reset clears them; disabled tracking answers 403")
    func topics() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            let topics = try await client.get("/connectors/orders-pg/topics").json()
            #expect(
                topics["orders-pg"]?["topics"]
                    == .array([.string("shop.public.order_lines"), .string("shop.public.orders")]))
            #expect(try await client.put("/connectors/orders-pg/topics/reset").status == 202)
            #expect(connect.activeTopics(of: "orders-pg").isEmpty)
            #expect(try await client.get("/connectors/other/topics").json()["other"]?["topics"] == .array([]))
        }
        try await withKafkaConnect(configuration: .init(topicTracking: false)) { _, client in
            let response = try await client.get("/connectors/x/topics")
            #expect(response.status == 403)
            #expect(response.message == "Topic tracking is disabled.")
            #expect(try await client.put("/connectors/x/topics/reset").status == 403)
        }
    }
}
