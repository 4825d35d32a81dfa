import Foundation
import IntegrationSupport
import KafkaConnect
import Simulators
import Testing

/// A worker stand-in that answers a connector's status with what it received:
/// the decoded name as `name`, the `Authorization` header as the connector's `trace`.
struct EchoConnectAPI: SimulatorAPI {
    var basePath: String { "" }

    var routes: RouteTable {
        var routes = RouteTable()
        routes.add("GET", "/connectors/{connector}/status", operation: "getConnectorStatus")
        return routes
    }

    struct State: Encodable {
        var state: String
        var workerID: String
        var trace: String?

        enum CodingKeys: String, CodingKey {
            case state, trace
            case workerID = "worker_id"
        }
    }

    struct Failure: Encodable {
        var errorCode: Int
        var message: String

        enum CodingKeys: String, CodingKey {
            case message
            case errorCode = "error_code"
        }
    }

    struct Status: Encodable {
        var name: String
        var connector: State
        var tasks: [State]
    }

    func handle(_ request: SimulatorRequest, route: RouteMatch) async -> SimulatorResponse {
        .json(
            Status(
                name: route["connector"],
                connector: State(state: "RUNNING", workerID: "echo:8083", trace: request.header("Authorization")),
                tasks: []))
    }

    func errorResponse(status: Int, message: String) -> SimulatorResponse {
        .json(Failure(errorCode: status, message: message), status: status)
    }
}

/// The client over real HTTP on loopback: paths, auth and failures to connect.
@Suite("HTTPKafkaConnectClient over HTTP")
struct HTTPKafkaConnectClientTests {
    /// Runs `body` against a running echo worker.
    func withEcho(_ body: (URL) async throws -> Void) async throws {
        let server = SimulatorServer(api: EchoConnectAPI())
        let url = try await server.start()
        do {
            try await body(url)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("names with dots, spaces, slashes and non-ASCII letters reach the worker intact")
    func namesOverHTTP() async throws {
        try await withEcho { url in
            let client = HTTPKafkaConnectClient(baseURL: url)
            for name in ["trading.cdc", "lake sink", "team/orders", "zürich?x=1&y#z", "100%"] {
                let status = try #require(try await client.connectorStatus(name))
                #expect(status.name == name)
            }
        }
    }

    @Test("a worker without an auth extension gets no Authorization header")
    func noAuth() async throws {
        try await withEcho { url in
            let status = try await HTTPKafkaConnectClient(baseURL: url).connectorStatus("c")
            #expect(status?.connector.trace == nil)
        }
    }

    @Test("basic auth is sent, whether given as auth or in the URL")
    func basicAuth() async throws {
        try await withEcho { url in
            let expected = "Basic " + Data("connect-admin:pa55word".utf8).base64EncodedString()
            let explicit = HTTPKafkaConnectClient(
                baseURL: url, auth: .basic(username: "connect-admin", password: "pa55word"))
            #expect(try await explicit.connectorStatus("c")?.connector.trace == expected)

            var components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
            components.user = "connect-admin"
            components.password = "pa55word"
            let inURL = HTTPKafkaConnectClient(baseURL: try #require(components.url))
            #expect(try await inURL.connectorStatus("c")?.connector.trace == expected)

            let bearer = HTTPKafkaConnectClient(baseURL: try #require(components.url), auth: .bearer(token: "t0ken"))
            #expect(try await bearer.connectorStatus("c")?.connector.trace == "Bearer t0ken")
        }
    }

    @Test("a worker that is not listening is a retryable connection error that hides the URL's password")
    func notListening() async throws {
        // Port 9 (discard) is closed on loopback in test environments.
        let client = HTTPKafkaConnectClient(
            baseURL: try #require(URL(string: "http://connect-admin:pa55word@127.0.0.1:9")), timeout: .seconds(2))
        let error = try #require(await connectError { _ = try await client.listConnectors() })
        #expect(error.kind == .connection || error.kind == .timeout)
        #expect(error.isRetryable)
        #expect(error.operation == "listing connectors")
        #expect(!error.description.contains("pa55word"))
    }
}
