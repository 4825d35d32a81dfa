import AsyncHTTPClient
import Foundation
import Simulators
import Testing

@Suite("Kafka Connect simulator: rebalances, authentication, faults and drift")
struct KafkaConnectFaultTests {
    private typealias Op = KafkaConnectSimulator.Operation

    @Test("a rebalance answers 409 to writes and status reads, leaves plain reads alone, then passes")
    func rebalance() async throws {
        try await withKafkaConnect { connect, client in
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            connect.beginRebalance(requests: 2)

            let write = try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres))
            #expect(write.status == 409)
            #expect(write.errorCode == 409)
            #expect(write.message?.contains("likely because a rebalance was underway") == true)
            #expect(try await client.get("/connectors/orders-pg/config").status == 200, "reads are served locally")
            #expect(try await client.get("/connectors/orders-pg/status").status == 409)
            #expect(connect.pendingRebalanceRequests == 0)
            #expect(connect.configWriteCount(of: "orders-pg") == 0)

            #expect(try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres)).status == 200)
            #expect(try await client.get("/connectors/orders-pg/status").status == 200)
            #expect(connect.requestCount(Op.putConnectorConfig) == 2)
        }
    }

    @Test("with basic auth configured, missing or wrong credentials answer 401 and the right ones pass")
    func basicAuth() async throws {
        let credentials = KafkaConnectSimulator.Credentials(username: "operator", password: "s3cret")
        try await withKafkaConnect(configuration: .init(credentials: credentials)) { connect, client in
            #expect(try await client.get("/connectors").status == 200)
            var anonymous = client
            anonymous.credentials = nil
            let missing = try await anonymous.get("/connectors")
            #expect(missing.status == 401)
            #expect(missing.errorCode == 401)
            #expect(missing.message == "User cannot access the resource.")
            var wrong = client
            wrong.credentials = ("operator", "guess")
            #expect(try await wrong.put("/connectors/x/config", .json(ConnectFixture.postgres)).status == 401)
            #expect(connect.connectorNames().isEmpty)
        }
    }

    @Test("injected 500 and 429 answer in Connect's error shape and carry nothing out")
    func injectedFailures() async throws {
        try await withKafkaConnect { connect, client in
            connect.faults.failNext(1, with: .kafkaConnectRequestTimeout, operation: Op.putConnectorConfig)
            connect.faults.failNext(
                1, with: InjectedFailure(status: 429, retryAfterSeconds: 2), operation: Op.putConnectorConfig)

            let timedOut = try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres))
            #expect(timedOut.status == 500)
            #expect(timedOut.errorCode == 500)
            #expect(timedOut.message == "Request timed out")
            let throttled = try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres))
            #expect(throttled.status == 429)
            #expect(throttled.header("Retry-After") == "2")
            #expect(connect.connectorNames().isEmpty)

            #expect(try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres)).status == 201)
            #expect(connect.requestCount(Op.putConnectorConfig) == 3)
            #expect(connect.configWriteCount(of: "orders-pg") == 1)
        }
    }

    @Test("a hang outlasts the client's timeout and the write is not carried out")
    func hang() async throws {
        try await withKafkaConnect { connect, client in
            connect.faults.hangNext(1, for: .seconds(3), operation: Op.createConnector)
            await #expect(throws: HTTPClientError.self) {
                _ = try await client.send(
                    "POST", "/connectors", body: .json(["name": "orders-pg", "config": ConnectFixture.postgres]),
                    timeout: .milliseconds(200))
            }
            #expect(connect.connectorNames().isEmpty)
            let retried = try await client.post(
                "/connectors", .json(["name": "orders-pg", "config": ConnectFixture.postgres]))
            #expect(retried.status == 201)
        }
    }

    @Test("latency on one operation delays its answers and no other's")
    func latency() async throws {
        try await withKafkaConnect { connect, client in
            connect.faults.setLatency(.milliseconds(300), operation: Op.getConnectorStatus)
            try connect.setConfigOutOfBand("orders-pg", config: ConnectFixture.postgres)
            let clock = ContinuousClock()
            let slow = try await clock.measure { _ = try await client.get("/connectors/orders-pg/status") }
            #expect(slow >= .milliseconds(300))
        }
    }

    @Test("drift made out of band shows through the API and is not counted as the operator's writes")
    func drift() async throws {
        try await withKafkaConnect { connect, client in
            #expect(try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres)).status == 201)
            try connect.setConfigOutOfBand(
                "orders-pg", config: ConnectFixture.with(ConnectFixture.postgres, ["snapshot.mode": "always"]))
            #expect(try await client.get("/connectors/orders-pg/config").json()["snapshot.mode"]?.string == "always")
            #expect(connect.configWriteCount(of: "orders-pg") == 1)
            #expect(connect.taskRestartsFromConfigWrites(of: "orders-pg") == 0)

            try connect.setTargetStateOutOfBand("orders-pg", .paused)
            #expect(
                try await client.get("/connectors/orders-pg/status").json()["connector"]?["state"]?.string == "PAUSED")

            #expect(connect.deleteOutOfBand("orders-pg"))
            #expect(try await client.get("/connectors/orders-pg").status == 404)
            #expect(!connect.deleteOutOfBand("orders-pg"))
            #expect(throws: KafkaConnectSimulatorError.self) {
                try connect.setConfigOutOfBand("x", config: ["connector.class": "com.example.Nope"])
            }
        }
    }

    @Test("reset forgets connectors, scripts, counters and faults")
    func reset() async throws {
        try await withKafkaConnect { connect, client in
            let created = try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres))
            #expect(created.status == 201)
            connect.failNextTaskStarts(connector: "orders-pg", count: 5)
            connect.beginRebalance(requests: 5)
            connect.faults.failNext(5)
            connect.reset()
            #expect(connect.connectorNames().isEmpty)
            #expect(connect.configWriteCount(of: "orders-pg") == 0)
            #expect(connect.requests.total == 0)
            let again = try await client.put("/connectors/orders-pg/config", .json(ConnectFixture.postgres))
            #expect(again.status == 201)
            #expect(connect.status(of: "orders-pg")?.taskStates == [.running])
        }
    }
}
