import AsyncHTTPClient
import Foundation
import Simulators
import Testing

/// A response as a test sees it.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> TestJSON { try TestJSON.parse(body) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The `message` of a lakeFS error body.
    var message: String? { (try? json())?["message"]?.string }
}

/// A request body: JSON built from literals, or raw bytes.
struct TestBody: Sendable {
    var bytes: [UInt8]
    var contentType: String

    static func json(_ object: Any) -> TestBody {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return TestBody(bytes: Array(data), contentType: "application/json")
    }

    static func raw(_ text: String, contentType: String = "application/octet-stream") -> TestBody {
        TestBody(bytes: Array(text.utf8), contentType: contentType)
    }
}

/// Talks to a simulator over real HTTP with AsyncHTTPClient, with basic auth.
struct HTTPTestClient: Sendable {
    var baseURL: URL
    var credentials: (user: String, password: String)?

    init(baseURL: URL, credentials: (user: String, password: String)?) {
        self.baseURL = baseURL
        self.credentials = credentials
    }

    /// A client for a running lakeFS simulator with its configured keys.
    init(lakeFS: LakeFSSimulator) throws {
        let url = try #require(lakeFS.baseURL)
        self.init(
            baseURL: url,
            credentials: (lakeFS.configuration.accessKeyID, lakeFS.configuration.secretAccessKey))
    }

    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: TestBody? = nil,
        headers: [(String, String)] = [], timeout: Duration = .seconds(10)
    ) async throws -> TestResponse {
        var components = URLComponents(string: baseURL.absoluteString + path)
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        let url = try #require(components?.url)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .init(rawValue: method)
        if let credentials {
            let token = Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(token)")
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: body.contentType)
            request.body = .bytes(body.bytes)
        }
        let milliseconds = Int64(
            timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(milliseconds))
        let collected = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return TestResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Array(collected.readableBytesView))
    }

    func get(_ path: String, query: [(String, String)] = []) async throws -> TestResponse {
        try await send("GET", path, query: query)
    }

    func post(_ path: String, query: [(String, String)] = [], _ body: TestBody? = nil) async throws -> TestResponse {
        try await send("POST", path, query: query, body: body)
    }

    func put(
        _ path: String, query: [(String, String)] = [], _ body: TestBody? = nil, headers: [(String, String)] = []
    )
        async throws -> TestResponse
    {
        try await send("PUT", path, query: query, body: body, headers: headers)
    }

    func delete(_ path: String, query: [(String, String)] = []) async throws -> TestResponse {
        try await send("DELETE", path, query: query)
    }
}

/// Runs `body` against a fresh lakeFS simulator on an ephemeral port, stopping it afterwards.
func withLakeFS(
    configuration: LakeFSSimulator.Configuration = .init(),
    _ body: (LakeFSSimulator, HTTPTestClient) async throws -> Void
) async throws {
    let lakeFS = LakeFSSimulator(configuration: configuration)
    try await lakeFS.start()
    do {
        try await body(lakeFS, try HTTPTestClient(lakeFS: lakeFS))
    } catch {
        await lakeFS.stop()
        throw error
    }
    await lakeFS.stop()
}
