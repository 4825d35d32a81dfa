import KubeAPI
import PlatformAPI
import Testing

/// The Swift types and the schemas are declared side by side; these tests
/// keep them from drifting. A fully populated value is generated from the
/// schema, decoded with a decoder that records every key the Swift type asks
/// for, and encoded again.
@Suite("Swift types and schemas agree")
struct SchemaCoverageTests {
    @Test(
        "every spec field in the schema has a Swift property, and every Swift property is in the schema",
        arguments: kindNames)
    func specCoverage(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        try check(type, part: "spec")
    }

    @Test(
        "every status field in the schema has a Swift property, and every Swift property is in the schema",
        arguments: kindNames)
    func statusCoverage(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        try check(type, part: "status")
    }

    @Test("the top level of every kind is apiVersion, kind, metadata, spec and status", arguments: kindNames)
    func topLevel(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        #expect(type.openAPISchema.properties.map(\.name) == ["apiVersion", "kind", "metadata", "spec", "status"])
        #expect(type.openAPISchema.requiredProperties == ["spec"])
    }

    /// A schema cannot be recursive, so resource groups are unrolled to a fixed
    /// depth; the Swift type (recursive) asks for one level more.
    static let recursionCutoffs: Set<String> = [
        "spec.resourceGroups.rootGroups[].subGroups[].subGroups[].subGroups[].subGroups"
    ]

    private func check<R: PlatformResource>(_ type: R.Type, part: String) throws {
        let schema = part == "spec" ? R.specSchema : R.statusSchema
        let full = SchemaPaths.fullyPopulated(schema)
        let recorder = KeyRecorder()
        let encoded: JSONValue
        if part == "spec" {
            encoded = try JSONCoding.toJSON(
                RecordingDecoder.decode(R.Spec.self, from: full, root: part, recorder: recorder))
        } else {
            encoded = try JSONCoding.toJSON(
                RecordingDecoder.decode(R.Status.self, from: full, root: part, recorder: recorder))
        }
        let schemaPaths = SchemaPaths.all(schema, prefix: part)
        let swiftPaths = recorder.normalizedPaths
        let missingInSwift = schemaPaths.subtracting(swiftPaths).sorted()
        let missingInSchema = swiftPaths.subtracting(schemaPaths).subtracting(Self.recursionCutoffs).sorted()
        #expect(missingInSwift.isEmpty, "\(R.kind): in the schema but not read by Swift: \(missingInSwift)")
        #expect(missingInSchema.isEmpty, "\(R.kind): read by Swift but not in the schema: \(missingInSchema)")
        #expect(encoded == full, "\(R.kind).\(part): encoding the decoded value does not give the same JSON back")
    }
}
