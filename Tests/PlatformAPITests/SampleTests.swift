import Foundation
import KubeAPI
import PlatformAPI
import Testing

let kindNames = PlatformKinds.all.map { $0.kind }

@Suite("Samples")
struct SampleTests {
    @Test("every sample is admitted by its CRD's schema with no errors and no unknown fields", arguments: kindNames)
    func sampleValidatesAgainstCRD(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        try checkAdmission(type)
    }

    @Test("every sample decodes into its Swift type and passes the cross-field rules", arguments: kindNames)
    func sampleDecodes(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        try checkDecoding(type)
    }

    @Test("samples use no namespace, so they apply to the current one", arguments: kindNames)
    func sampleHasNoNamespace(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let json = try YAMLLoader.loadFile(type.samplePath)
        #expect(json.value(at: ["metadata", "namespace"]) == nil)
        #expect(json["apiVersion"] == .string(PlatformAPIGroup.apiVersion))
        #expect(json["kind"] == .string(type.kind))
    }

    @Test("samples/README.md lists every Secret the samples reference, with its keys")
    func readmeListsSecrets() throws {
        let readme = try Repo.read("samples/README.md")
        var count = 0
        for type in PlatformKinds.all {
            let json = try YAMLLoader.loadFile(type.samplePath)
            for reference in secretReferences(in: json) {
                count += 1
                #expect(
                    readme.contains("`\(reference.name)`") && readme.contains("`\(reference.key)`"),
                    "\(type.samplePath) references Secret \(reference.name) key \(reference.key)")
            }
        }
        #expect(count >= 10)
    }

    @Test(
        "the CRD schema rejects what the API server would: unknown enum values, bad patterns, missing fields, unknown fields"
    )
    func schemaRejectsBadObjects() throws {
        let sample = try YAMLLoader.loadFile(DataBranch.samplePath)
        let validator = SchemaValidator(schema: try DataBranch.schemaProps())
        var badMode = sample
        badMode.setValue("Sometimes", at: ["spec", "mode"])
        #expect(
            validator.admit(badMode).errors.map(\.message) == [
                "spec.mode: Unsupported value: \"Sometimes\": supported values: \"Apply\", \"Plan\""
            ])
        var badBranch = sample
        badBranch.setValue("dev/feature", at: ["spec", "branch"])
        #expect(validator.admit(badBranch).errors.map(\.field) == ["spec.branch"])
        var noRepository = sample
        noRepository.setValue(nil, at: ["spec", "repository"])
        #expect(validator.admit(noRepository).errors.map(\.message) == ["spec.repository: Required value"])
        var unknown = sample
        unknown.setValue("yes", at: ["spec", "autoMerge"])
        #expect(validator.admit(unknown).unknownFields == ["spec.autoMerge"])
    }

    private func checkAdmission<R: PlatformResource>(_ type: R.Type) throws {
        let json = try YAMLLoader.loadFile(R.samplePath)
        let outcome = SchemaValidator(schema: try R.schemaProps()).admit(json)
        #expect(outcome.errors.isEmpty, "\(R.samplePath): \(FieldError.aggregateMessage(outcome.errors))")
        #expect(outcome.unknownFields.isEmpty, "\(R.samplePath): unknown fields \(outcome.unknownFields)")
    }

    private func checkDecoding<R: PlatformResource>(_ type: R.Type) throws {
        let json = try YAMLLoader.loadFile(R.samplePath)
        let decoded = try JSONCoding.fromJSON(R.self, json)
        #expect(decoded.validate().isEmpty, "\(R.samplePath): \(FieldError.aggregateMessage(decoded.validate()))")
        #expect(decoded.validateUpdate(from: decoded).isEmpty)
        // The object as the API server stores it (defaults applied) decodes to
        // the same value, and encoding gives that stored form back.
        let stored = SchemaValidator(schema: try R.schemaProps()).admit(json).object
        #expect(try JSONCoding.fromJSON(R.self, stored) == decoded)
        #expect(try JSONCoding.toJSON(decoded) == stored)
    }

    /// Every `{name, key}` under a field whose name ends in `SecretRef`, or in `secretProperties`.
    private func secretReferences(in value: JSONValue, parentKey: String = "") -> [SecretKeySelector] {
        switch value {
        case .object(let object):
            if parentKey.hasSuffix("SecretRef") || parentKey == "secretPropertiesMember",
                let name = object["name"]?.stringValue, let key = object["key"]?.stringValue
            {
                return [SecretKeySelector(name: name, key: key)]
            }
            return object.flatMap { member in
                secretReferences(
                    in: member.value, parentKey: parentKey == "secretProperties" ? "secretPropertiesMember" : member.key
                )
            }
        case .array(let array):
            return array.flatMap { secretReferences(in: $0, parentKey: parentKey) }
        default:
            return []
        }
    }
}
