import Foundation
import KubeAPI
import PlatformAPI
import Testing

/// `crds/` and `docs/reference/` are generated from the Swift types. This
/// suite fails when a committed file differs from what the types generate;
/// with `HMCO_UPDATE_GENERATED=1` it rewrites them instead (`hack/generate.sh`).
@Suite("Generated files")
struct GeneratedFilesTests {
    static let updating = ProcessInfo.processInfo.environment["HMCO_UPDATE_GENERATED"] == "1"
    static let howToRegenerate =
        "run hack/generate.sh (HMCO_UPDATE_GENERATED=1 swift test --filter GeneratedFilesTests) and commit the result"

    @Test("crds/ and docs/reference/ match what the Swift types generate")
    func upToDate() throws {
        let files = generatedFiles()
        #expect(files.count == PlatformKinds.all.count * 3 + 1)
        var stale: [String] = []
        for (path, content) in files.sorted(by: { $0.key < $1.key }) {
            let url = Repo.url(path)
            let current = try? String(contentsOf: url, encoding: .utf8)
            guard current != content else { continue }
            if Self.updating {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try content.write(to: url, atomically: true, encoding: .utf8)
            } else {
                stale.append(path)
            }
        }
        #expect(stale.isEmpty, "stale generated files \(stale): \(Self.howToRegenerate)")
    }

    @Test("no file in crds/ or docs/reference/ is left over from a kind or name that no longer exists")
    func noLeftovers() throws {
        let generated = Set(generatedFiles().keys)
        var leftovers: [String] = []
        for directory in ["crds", "docs/reference", "helm/hmco-operator/crds"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: Repo.url(directory).path)) ?? []
            for name in names where !name.hasPrefix(".") && !generated.contains("\(directory)/\(name)") {
                if Self.updating {
                    try FileManager.default.removeItem(at: Repo.url("\(directory)/\(name)"))
                } else {
                    leftovers.append("\(directory)/\(name)")
                }
            }
        }
        #expect(leftovers.isEmpty, "files not generated any more \(leftovers): \(Self.howToRegenerate)")
    }

    @Test("every generated CRD reads back from its YAML as the same JSON", arguments: kindNames)
    func yamlRoundTrip(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let yaml = YAMLRenderer.render(type.customResourceDefinition)
        #expect(try YAMLLoader.load(yaml) == type.customResourceDefinition)
    }

    @Test("the multi-document CRD stream holds the seven CRDs in order")
    func crdStream() throws {
        let documents = PlatformKinds.customResourceDefinitionsYAML.components(separatedBy: "---\n")
        #expect(documents.count == 7)
        for (document, type) in zip(documents, PlatformKinds.all) {
            #expect(try YAMLLoader.load(document) == type.customResourceDefinition)
        }
    }

    @Test(
        "the reference page of each kind has a table for spec and for status and names the sample", arguments: kindNames
    )
    func referencePage(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let page = ReferenceDocs.page(for: type)
        #expect(page.contains("## spec\n"))
        #expect(page.contains("## status\n"))
        #expect(page.contains("| `suspend` | boolean |  | `false` |"))
        #expect(page.contains("samples/\(type.singular).yaml"))
        #expect(page.contains("| Field | Type | Required | Default | Description |"))
    }
}
