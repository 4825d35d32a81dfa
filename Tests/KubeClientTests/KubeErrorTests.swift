import Foundation
import KubeAPI
import Testing

@testable import KubeClient

@Suite("Errors decoded from kube-apiserver Status bodies")
struct KubeErrorTests {
    @Test("a NotFound body becomes an error that says not found and is not retryable")
    func notFound() throws {
        let body = Data(
            #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"settings\" not found","reason":"NotFound","details":{"name":"settings","kind":"configmaps"},"code":404}"#
                .utf8)
        let error = KubeError.fromResponse(operation: "get configmaps default/settings", code: 404, body: body, retryAfter: nil)
        #expect(error.isNotFound)
        #expect(!error.isRetryable)
        #expect(error.status?.details?.name == "settings")
        #expect(error.description == #"while trying to get configmaps default/settings: configmaps "settings" not found (HTTP 404)"#)
    }

    @Test("a stale resourceVersion is a retryable conflict, AlreadyExists is not")
    func conflictAndAlreadyExists() {
        let conflict = KubeError.fromResponse(
            operation: "update", code: 409,
            body: Data(
                #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"a","kind":"configmaps"},"code":409}"#
                    .utf8), retryAfter: nil)
        #expect(conflict.isConflict)
        #expect(conflict.isRetryable)
        let exists = KubeError.fromResponse(
            operation: "create", code: 409,
            body: Data(
                #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"a\" already exists","reason":"AlreadyExists","details":{"name":"a","kind":"configmaps"},"code":409}"#
                    .utf8), retryAfter: nil)
        #expect(exists.isAlreadyExists)
        #expect(!exists.isConflict)
        #expect(!exists.isRetryable)
    }

    @Test("an Invalid body keeps its field causes")
    func invalidCauses() {
        let body = Data(
            #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"DataBranch.data.hmco.io \"dev\" is invalid: spec.mode: Unsupported value: \"X\": supported values: \"Apply\", \"Plan\"","reason":"Invalid","details":{"name":"dev","group":"data.hmco.io","kind":"DataBranch","causes":[{"reason":"FieldValueNotSupported","message":"Unsupported value: \"X\": supported values: \"Apply\", \"Plan\"","field":"spec.mode"}]},"code":422}"#
                .utf8)
        let error = KubeError.fromResponse(operation: "create", code: 422, body: body, retryAfter: nil)
        #expect(error.isInvalid)
        #expect(error.causes.map(\.field) == ["spec.mode"])
        #expect(error.causes.first?.reason == "FieldValueNotSupported")
    }

    @Test("429 with Retry-After is retryable and carries the delay")
    func tooManyRequests() {
        let body = Data(
            #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":1},"code":429}"#
                .utf8)
        let error = KubeError.fromResponse(operation: "list", code: 429, body: body, retryAfter: "3")
        #expect(error.isTooManyRequests)
        #expect(error.isRetryable)
        #expect(error.retryAfterSeconds == 3)
    }

    @Test("a body that is not a Status still yields an error with the text and a reason from the code")
    func nonStatusBody() {
        let error = KubeError.fromResponse(operation: "get", code: 503, body: Data("upstream connect error\n".utf8), retryAfter: nil)
        #expect(error.reason == "ServiceUnavailable")
        #expect(error.isRetryable)
        #expect(error.status?.message == "upstream connect error")
    }

    @Test("Forbidden and Unauthorized are recognised and not retryable")
    func forbidden() {
        let forbidden = KubeError.fromResponse(
            operation: "list", code: 403,
            body: Data(
                #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets is forbidden: User \"system:serviceaccount:hmco:op\" cannot list resource \"secrets\" in API group \"\" at the cluster scope","reason":"Forbidden","details":{"kind":"secrets"},"code":403}"#
                    .utf8), retryAfter: nil)
        #expect(forbidden.isForbidden)
        #expect(!forbidden.isRetryable)
        let unauthorized = KubeError.fromResponse(
            operation: "list", code: 401,
            body: Data(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#.utf8),
            retryAfter: nil)
        #expect(unauthorized.isUnauthorized)
    }
}

@Suite("Watch stream decoding")
struct WatchDecodingTests {
    @Test("events split across chunks are reassembled into lines")
    func lineSplitting() {
        var splitter = LineSplitter()
        #expect(splitter.append(Array(#"{"type":"ADD"#.utf8)).isEmpty)
        let lines = splitter.append(Array("ED\"}\n{\"a\":1}\n{\"b\"".utf8))
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == [#"{"type":"ADDED"}"#, #"{"a":1}"#])
        #expect(splitter.finish().map { String(decoding: $0, as: UTF8.self) } == #"{"b""#)
    }

    @Test("an ADDED event decodes into the typed object")
    func added() throws {
        let line = Data(
            #"{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"default","resourceVersion":"12"},"data":{"k":"v"}}}"#
                .utf8)
        let event = try WatchEventDecoder.decode(ConfigMap.self, line: line, operation: "watch configmaps")
        guard case .added(let object) = event else {
            Issue.record("expected ADDED, got \(event)")
            return
        }
        #expect(object.metadata.resourceVersion == "12")
        #expect(object.data == ["k": "v"])
    }

    @Test("an ERROR event with 410 becomes a Gone error so the informer relists")
    func goneError() {
        let line = Data(
            #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (2045)","reason":"Expired","code":410}}"#
                .utf8)
        #expect {
            try WatchEventDecoder.decode(ConfigMap.self, line: line, operation: "watch configmaps")
        } throws: { error in
            (error as? KubeError)?.isGone == true
        }
    }

    @Test("a BOOKMARK of a kind with required fields still yields its resourceVersion")
    func bookmark() throws {
        struct Strict: Codable, Sendable { var metadata: ObjectMeta; var spec: [String: String] }
        let line = Data(#"{"type":"BOOKMARK","object":{"kind":"DataBranch","apiVersion":"data.hmco.io/v1alpha1","metadata":{"resourceVersion":"99","annotations":{"k8s.io/initial-events-end":"true"}}}}"#.utf8)
        let event = try WatchEventDecoder.decode(Strict.self, line: line, operation: "watch")
        guard case .bookmark(let version, let object) = event else {
            Issue.record("expected BOOKMARK, got \(event)")
            return
        }
        #expect(version == "99")
        #expect(object == nil)
    }
}

@Suite("Request URLs")
struct RequestURLTests {
    @Test("selectors are percent-encoded, plus signs included, so the server reads them unchanged")
    func queryEncoding() async throws {
        let config = ClusterConfig(server: try #require(URL(string: "https://127.0.0.1:6443/")), namespace: "default", credentials: .none)
        let client = try KubernetesClient(config: config)
        let url = client.url(
            path: "/api/v1/configmaps", query: ListOptions(labelSelector: "app in (a,b),v=1+2", limit: 500).queryItems)
        #expect(url == "https://127.0.0.1:6443/api/v1/configmaps?labelSelector=app%20in%20(a,b),v%3D1%2B2&limit=500")
        try await client.shutdown()
    }

    @Test("object paths name the group, version, namespace, plural and subresource")
    func objectPath() {
        let path = ResourceDescriptor(group: "data.hmco.io", version: "v1alpha1", kind: "DataBranch", plural: "databranches", namespaced: true)
            .objectPath(name: "dev", namespace: "team-a", subresource: "status")
        #expect(path == "/apis/data.hmco.io/v1alpha1/namespaces/team-a/databranches/dev/status")
        #expect(ConfigMap.resource.collectionPath(namespace: nil) == "/api/v1/configmaps")
        #expect(Namespace.resource.objectPath(name: "x", namespace: "ignored") == "/api/v1/namespaces/x")
    }
}

@Suite("proxy-url")
struct ProxyURLTests {
    @Test("http, https and socks5 proxy URLs map to the transport's proxies, with default ports and credentials", arguments: [
        ("http://proxy.corp:3128", "proxy.corp", 3128, false),
        ("http://proxy.corp", "proxy.corp", 80, false),
        ("https://proxy.corp", "proxy.corp", 443, false),
        ("http://user:pa55@proxy.corp:8080", "proxy.corp", 8080, true),
        ("socks5://127.0.0.1", "127.0.0.1", 1080, false),
    ])
    func mapping(url: String, host: String, port: Int, authorized: Bool) throws {
        let parsed = try #require(URL(string: url))
        let proxy = try #require(KubernetesClient.proxy(for: parsed))
        #expect(proxy.host == host)
        #expect(proxy.port == port)
        #expect((proxy.authorization != nil) == authorized)
    }

    @Test("other schemes are refused when the client is made")
    func refused() throws {
        let ftp = try #require(URL(string: "ftp://proxy.corp"))
        #expect(KubernetesClient.proxy(for: ftp) == nil)
        let config = ClusterConfig(server: try #require(URL(string: "https://127.0.0.1:6443")), proxyURL: URL(string: "ftp://proxy.corp"))
        #expect(throws: KubeConfigError.self) { _ = try KubernetesClient(config: config) }
    }
}
