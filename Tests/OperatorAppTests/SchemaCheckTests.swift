import Foundation
import OperatorApp
import Simulators
import SchemaCompatibility
import Testing

/// A temporary directory with a baseline and proposal files.
struct SchemaFixture {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/base/orders", withIntermediateDirectories: true)
    }

    func write(_ path: String, _ text: String) throws -> String {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    static let v1 = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#
    static let v2 = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"qty","type":"double","default":0}]}"#
    static let breaking = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"qty","type":"double","default":0},{"name":"venue","type":"string"}]}"#

    static func contract(_ schema: String, level: String = "BACKWARD") -> String {
        """
        apiVersion: data.hmco.io/v1alpha1
        kind: SchemaContract
        metadata:
          name: orders
        spec:
          subject: orders
          type: AVRO
          compatibility: \(level)
          schema: '\(schema)'
        """
    }
}

@Suite("hmco-operator schema check")
struct SchemaCheckTests {
    @Test("a compatible SchemaContract passes against the versions on disk")
    func compatiblePasses() async throws {
        let fixture = try SchemaFixture()
        defer { fixture.remove() }
        _ = try fixture.write("base/orders/1.avsc", SchemaFixture.v1)
        let file = try fixture.write("orders.yaml", SchemaFixture.contract(SchemaFixture.v2))
        let results = try await SchemaCheck.run(
            SchemaCheck.proposals(files: [file], defaultLevel: nil), baseline: DirectoryBaseline(directory: fixture.root + "/base"),
            levelFromBaseline: false)
        #expect(results.count == 1)
        #expect(results[0].incompatibilities.isEmpty)
        #expect(results[0].comparedVersions == ["1"])
        #expect(SchemaCheck.text(results).contains("ok      orders (BACKWARD, versions 1)"))
    }

    @Test("a new field without a default breaks BACKWARD and the report says what, where and which rule")
    func breakingChangeIsReported() async throws {
        let fixture = try SchemaFixture()
        defer { fixture.remove() }
        _ = try fixture.write("base/orders/1.avsc", SchemaFixture.v1)
        _ = try fixture.write("base/orders/2.avsc", SchemaFixture.v2)
        let file = try fixture.write("orders.yaml", SchemaFixture.contract(SchemaFixture.breaking))
        let results = try await SchemaCheck.run(
            SchemaCheck.proposals(files: [file], defaultLevel: nil), baseline: DirectoryBaseline(directory: fixture.root + "/base"),
            levelFromBaseline: false)
        let found = try #require(results.first?.incompatibilities.first)
        #expect(found.rule.rawValue == "READER_FIELD_MISSING_DEFAULT_VALUE")
        #expect(found.location == "/fields/2")
        let text = SchemaCheck.text(results)
        #expect(text.contains("BREAKS  orders (BACKWARD, versions 1, 2)"))
        #expect(text.contains("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2 (against version 2, new reads old)"))
        let json = try JSONSerialization.jsonObject(with: Data(SchemaCheck.json(results).utf8)) as? [String: Any]
        #expect(json?["compatible"] as? Bool == false)
    }

    @Test("NONE accepts any change; transitive levels compare every earlier version")
    func levels() async throws {
        let fixture = try SchemaFixture()
        defer { fixture.remove() }
        _ = try fixture.write("base/orders/1.avsc", SchemaFixture.v1)
        let breaking = try fixture.write("none.yaml", SchemaFixture.contract(SchemaFixture.breaking, level: "NONE"))
        let baseline = DirectoryBaseline(directory: fixture.root + "/base")
        let none = try await SchemaCheck.run(SchemaCheck.proposals(files: [breaking], defaultLevel: nil), baseline: baseline, levelFromBaseline: false)
        #expect(none[0].incompatibilities.isEmpty)
        // FORWARD_TRANSITIVE: old v1 must read the proposal; dropping "id" breaks it.
        _ = try fixture.write("base/orders/2.avsc", SchemaFixture.v2)
        let dropped = try fixture.write("fwd.yaml", SchemaFixture.contract(#"{"type":"record","name":"Order","fields":[{"name":"qty","type":"double","default":0}]}"#, level: "FORWARD_TRANSITIVE"))
        let forward = try await SchemaCheck.run(SchemaCheck.proposals(files: [dropped], defaultLevel: nil), baseline: baseline, levelFromBaseline: false)
        #expect(Set(forward[0].incompatibilities.map(\.existingIndex)) == [0, 1])
    }

    @Test("plain schema files are named by subject, and unusable input is a usage error, not a verdict")
    func schemaFilesAndUsageErrors() async throws {
        let fixture = try SchemaFixture()
        defer { fixture.remove() }
        let plain = try fixture.write("orders.avsc", SchemaFixture.v2)
        let proposals = try SchemaCheck.proposals(files: [plain], defaultLevel: .full)
        #expect(proposals.map(\.subject) == ["orders"])
        #expect(proposals.map(\.level) == [.full])
        let broken = try fixture.write("broken.avsc", #"{"type":"record""#)
        await #expect(throws: SchemaCheck.UsageError.self) {
            try await SchemaCheck.run(
                SchemaCheck.proposals(files: [broken], defaultLevel: nil), baseline: DirectoryBaseline(directory: fixture.root + "/base"),
                levelFromBaseline: false)
        }
        let unknown = try fixture.write("notes.txt", "hello")
        #expect(throws: SchemaCheck.UsageError.self) { try SchemaCheck.proposals(files: [unknown], defaultLevel: nil) }
    }
}

@Suite("Operator configuration and manifests")
struct ConfigurationTests {
    @Test("an unknown key in the backend configuration is rejected by name")
    func unknownKey() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "lakefs:\n  url: http://lakefs:8000\nlakeFs:\n  url: x\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try BackendConfiguration.load(path: path)
        } throws: { error in
            "\(error)".contains(#"unknown key "lakeFs""#)
        }
        try "lakefs:\n  url: http://lakefs:8000\n  credentialsSecret: hmco/lakefs\n".write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try BackendConfiguration.load(path: path)
        #expect(loaded.lakefs?.url == "http://lakefs:8000")
        #expect(loaded.lakefs?.credentialsSecret == "hmco/lakefs")
    }

    @Test("manifests read YAML 1.2 scalars: on and yes stay strings, numbers and booleans are typed")
    func yamlScalars() throws {
        let documents = try Manifests.parse(yaml: "a: on\nb: yes\nc: 10\nd: 1.5\ne: true\nf: null\ng: '10'\n---\nx: 1\n")
        #expect(documents.count == 2)
        #expect(documents[0] == ["a": "on", "b": "yes", "c": 10, "d": 1.5, "e": true, "f": nil, "g": "10"])
    }
}

@Suite("hmco-operator schema check against a registry")
struct RegistryBaselineTests {
    @Test("the registry's versions are the baseline and its subject level wins over the file's")
    func registryBaseline() async throws {
        let registry = SchemaRegistrySimulator()
        let url = try await registry.start()
        _ = try registry.register(subject: "orders", schema: SchemaFixture.v1)
        _ = try registry.register(subject: "orders", schema: SchemaFixture.v2)
        registry.setCompatibility(.forward, subject: "orders")
        let fixture = try SchemaFixture()
        defer { fixture.remove() }
        // Adding a field without a default breaks BACKWARD (the file's level) but not FORWARD (the registry's).
        let file = try fixture.write("orders.yaml", SchemaFixture.contract(SchemaFixture.breaking, level: "BACKWARD"))
        let baseline = RegistryBaseline(url: url, username: nil, password: nil, token: nil)
        let results = try await SchemaCheck.run(
            SchemaCheck.proposals(files: [file], defaultLevel: nil), baseline: baseline, levelFromBaseline: true)
        #expect(results[0].comparedVersions == ["1", "2"])
        #expect(results[0].level == .forward)
        #expect(results[0].incompatibilities.isEmpty)
        let unknown = try await baseline.versions(of: "not-there")
        #expect(unknown.isEmpty)
        await registry.stop()
    }
}
