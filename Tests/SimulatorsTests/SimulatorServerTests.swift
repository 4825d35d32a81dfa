import AsyncHTTPClient
import Foundation
import Simulators
import Synchronization
import Testing

/// A minimal API to exercise the server support on its own.
private final class ThingsAPI: SimulatorAPI {
    let handled = Mutex(0)

    var basePath: String { "/api" }

    var routes: RouteTable {
        var table = RouteTable()
        table.add("GET", "/things/{id}", operation: "getThing")
        table.add("POST", "/things", operation: "createThing")
        return table
    }

    func handle(_ request: SimulatorRequest, route: RouteMatch) async -> SimulatorResponse {
        handled.withLock { $0 += 1 }
        return .json(["id": route.parameters["id"] ?? "new", "method": request.method])
    }

    func errorResponse(status: Int, message: String) -> SimulatorResponse {
        .json(["error": message], status: status)
    }

    var handledCount: Int { handled.withLock { $0 } }
}

@Suite("Simulator server")
struct SimulatorServerTests {
    private func client(_ server: SimulatorServer) throws -> HTTPTestClient {
        HTTPTestClient(baseURL: try #require(server.baseURL), credentials: nil)
    }

    @Test("a server on port 0 binds a free port and reports its base URL")
    func ephemeralPort() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        #expect(server.port == nil)
        let url = try await server.start()
        let port = try #require(server.port)
        #expect(port > 0)
        #expect(url.absoluteString == "http://127.0.0.1:\(port)/api")
        let response = try await client(server).get("/things/42")
        #expect(response.status == 200)
        #expect(try response.json()["id"]?.string == "42")
        await server.stop()
        #expect(server.port == nil)
    }

    @Test("stopping closes the port and starting again binds the same one")
    func restartKeepsPort() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await server.start()
        let port = try #require(server.port)
        let client = try client(server)
        await server.stop()
        // AsyncHTTPClient retries refused connections until the deadline, so keep it short.
        await #expect(throws: (any Error).self) { try await client.send("GET", "/things/1", timeout: .seconds(1)) }
        try await server.start()
        #expect(server.port == port)
        #expect(try await client.get("/things/1").status == 200)
        await server.stop()
    }

    @Test("run serves until its task is cancelled")
    func runUntilCancelled() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.waitUntilRunning()
            #expect(server.port == port)
            #expect(try await client(server).get("/things/7").status == 200)
            group.cancelAll()
        }
        #expect(server.port == nil)
    }

    @Test("withRunning scopes a run to a closure")
    func scopedRun() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        let status = try await server.withRunning { server in
            try await HTTPTestClient(baseURL: try #require(server.baseURL), credentials: nil).get("/things/1").status
        }
        #expect(status == 200)
        #expect(server.port == nil)
    }

    @Test("a second start while running is refused")
    func doubleStart() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await server.start()
        await #expect(throws: SimulatorServerError.alreadyRunning) { try await server.start() }
        await server.stop()
    }

    @Test("a given port is bound as asked")
    func fixedPort() async throws {
        let probe = SimulatorServer(api: ThingsAPI())
        try await probe.start()
        let free = try #require(probe.port)
        await probe.stop()
        let server = SimulatorServer(api: ThingsAPI(), port: free)
        try await server.start()
        #expect(server.port == free)
        await server.stop()
    }

    @Test("requests are counted per operation, failed and unrouted ones included")
    func counting() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await server.start()
        let client = try client(server)
        server.faults.failNext(1, operation: "getThing")
        _ = try await client.get("/things/1")
        _ = try await client.get("/things/2")
        _ = try await client.post("/things")
        _ = try await client.get("/nowhere")
        #expect(server.requests.count("getThing") == 2)
        #expect(server.requests.count("createThing") == 1)
        #expect(server.requests.total == 4)
        #expect(server.requests.recent.map(\.operation) == ["getThing", "getThing", "createThing", nil])
        server.requests.reset()
        #expect(server.requests.total == 0)
        await server.stop()
    }

    @Test("unknown paths answer 404 and known paths with another method 405, in the API's error shape")
    func routingErrors() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await server.start()
        let client = try client(server)
        let missing = try await client.get("/elsewhere")
        #expect(missing.status == 404)
        #expect(try missing.json()["error"]?.string == "path not found")
        #expect(try await client.send("DELETE", "/things/1").status == 405)
        await server.stop()
    }

    @Test("the next N requests fail with the injected status, then requests succeed")
    func failNext() async throws {
        let api = ThingsAPI()
        let server = SimulatorServer(api: api)
        try await server.start()
        let client = try client(server)
        server.faults.failNext(2, with: .serviceUnavailable)
        let first = try await client.get("/things/1")
        let second = try await client.get("/things/1")
        let third = try await client.get("/things/1")
        #expect([first.status, second.status, third.status] == [503, 503, 200] as [Int])
        #expect(try first.json()["error"]?.string == "service unavailable")
        #expect(api.handledCount == 1)
        await server.stop()
    }

    @Test("an injected 429 carries Retry-After when asked")
    func retryAfter() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await server.start()
        server.faults.failNext(1, with: InjectedFailure(status: 429, message: "slow down", retryAfterSeconds: 3))
        let response = try await client(server).get("/things/1")
        #expect(response.status == 429)
        #expect(response.header("Retry-After") == "3")
        #expect(try response.json()["error"]?.string == "slow down")
        await server.stop()
    }

    @Test("latency delays requests; a per-operation latency overrides the global one")
    func latency() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await server.start()
        let client = try client(server)
        // A latency far above scheduling noise, so a loaded machine cannot blur the two.
        server.faults.setLatency(.seconds(5))
        server.faults.setLatency(.zero, operation: "createThing")
        let clock = ContinuousClock()
        let slow = try await clock.measure { _ = try await client.send("GET", "/things/1", timeout: .seconds(60)) }
        let fast = try await clock.measure { _ = try await client.send("POST", "/things", timeout: .seconds(60)) }
        #expect(slow >= .seconds(5))
        #expect(fast < .seconds(5))
        await server.stop()
    }

    @Test("a hang outlasts the client's timeout and the request is never carried out")
    func hang() async throws {
        let api = ThingsAPI()
        let server = SimulatorServer(api: api)
        try await server.start()
        let client = try client(server)
        server.faults.hangNext(1, for: .seconds(3), operation: "createThing")
        await #expect(throws: HTTPClientError.self) {
            _ = try await client.send("POST", "/things", timeout: .milliseconds(200))
        }
        #expect(api.handledCount == 0)
        #expect(try await client.post("/things").status == 200)
        await server.stop()
    }

    @Test("a delayed response is carried out although the client gave up")
    func delayedResponse() async throws {
        let api = ThingsAPI()
        let server = SimulatorServer(api: api)
        try await server.start()
        server.faults.inject(.delayResponse(.seconds(3)), next: 1, operation: "createThing")
        await #expect(throws: HTTPClientError.self) {
            _ = try await client(server).send("POST", "/things", timeout: .milliseconds(200))
        }
        // The server carries the request out while the answer is held back; poll until it has.
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while api.handledCount == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(api.handledCount == 1)
        await server.stop()
    }

    @Test("per-operation faults leave other operations alone; exempt operations skip global faults")
    func perOperationFaults() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await server.start()
        let client = try client(server)
        server.faults.fail(fraction: 1, with: .internalServerError, operation: "createThing")
        #expect(try await client.post("/things").status == 500)
        #expect(try await client.get("/things/1").status == 200)
        server.faults.clear()
        server.faults.fail(fraction: 1, with: .tooManyRequests)
        server.faults.exempt("getThing")
        #expect(try await client.post("/things").status == 429)
        #expect(try await client.get("/things/1").status == 200)
        server.faults.clear()
        #expect(try await client.post("/things").status == 200)
        await server.stop()
    }

    @Test("stopping does not wait for a hung request")
    func stopDuringHang() async throws {
        let server = SimulatorServer(api: ThingsAPI())
        try await server.start()
        let client = try client(server)
        server.faults.hangNext(1, for: .seconds(30))
        let hung = Task { try? await client.send("GET", "/things/1", timeout: .seconds(60)) }
        // Wait until the server holds the request, polling with a deadline.
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while server.requests.total == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let elapsed = await ContinuousClock().measure { await server.stop() }
        hung.cancel()
        _ = await hung.value
        #expect(elapsed < .seconds(10))
    }
}
