import Foundation
import Testing

@testable import Simulators

/// The pure parts of the lakeFS model, without HTTP.
@Suite("lakeFS simulator: model")
struct LakeFSModelTests {
    private static func tree(_ contents: [String: String]) -> Tree {
        contents.mapValues { ObjectEntry(content: Array($0.utf8), mtime: 0) }
    }

    private static func contents(_ tree: Tree) -> [String: String] {
        tree.mapValues { String(decoding: $0.content, as: UTF8.self) }
    }

    @Test(
        "a three-way merge takes each side's changes and reports paths changed on both",
        arguments: [
            // (base, source, destination) of one path → merged value or conflict; nil = absent
            (nil, "s", nil, "s", false),  // added on source
            ("b", nil, "b", nil, false),  // removed on source
            ("b", "b", "d", "d", false),  // changed on destination only
            ("b", "x", "x", "x", false),  // same change on both sides
            ("b", "s", "d", "d", true),  // changed differently: conflict
            (nil, "s", "d", "d", true),  // added differently: conflict
            ("b", nil, "d", "d", true),  // removed on one side, changed on the other
        ] as [(String?, String?, String?, String?, Bool)])
    func threeWay(base: String?, source: String?, destination: String?, merged: String?, conflict: Bool) {
        func side(_ value: String?) -> Tree { Self.tree(value.map { ["p": $0] } ?? [:]) }
        let outcome = RepositoryRecord.threeWayMerge(
            base: side(base), source: side(source), destination: side(destination), strategy: .none)
        #expect(outcome.conflicts == (conflict ? ["p"] : []))
        #expect(Self.contents(outcome.tree)["p"] == merged)
    }

    @Test("strategies settle conflicts for the named side")
    func strategies() {
        let base = Self.tree(["p": "b"])
        let source = Self.tree(["p": "s"])
        let destination = Self.tree(["p": "d"])
        let destWins = RepositoryRecord.threeWayMerge(
            base: base, source: source, destination: destination, strategy: .destinationWins)
        let sourceWins = RepositoryRecord.threeWayMerge(
            base: base, source: source, destination: destination, strategy: .sourceWins)
        #expect(Self.contents(destWins.tree) == ["p": "d"])
        #expect(Self.contents(sourceWins.tree) == ["p": "s"])
        #expect(destWins.conflicts.isEmpty && sourceWins.conflicts.isEmpty)
    }

    @Test(
        "protection patterns match like fnmatch with * and ?",
        arguments: [
            ("main", "main", true), ("main", "main2", false), ("release-*", "release-1.2", true),
            ("release-*", "release", false), ("v?", "v1", true), ("v?", "v10", false), ("*", "anything", true),
            ("*-prod", "eu-prod", true), ("*-prod", "eu-prod-2", false), ("a*b*c", "axxbyyc", true),
        ])
    func glob(pattern: String, name: String, matches: Bool) {
        #expect(RepositoryRecord.glob(pattern, matches: name) == matches)
    }

    @Test("SHA-256 matches the FIPS 180-2 test vectors")
    func sha256() {
        #expect(SHA256Digest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256Digest.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("names are validated with lakeFS's patterns")
    func names() {
        #expect(RepositoryRecord.isValidRepositoryName("analytics-2"))
        #expect(!RepositoryRecord.isValidRepositoryName("-analytics"))
        #expect(!RepositoryRecord.isValidRepositoryName("an"))
        #expect(!RepositoryRecord.isValidRepositoryName(String(repeating: "a", count: 64)))
        #expect(RepositoryRecord.isValidBranchName("feature_1-x"))
        #expect(!RepositoryRecord.isValidBranchName("-feature"))
        #expect(!RepositoryRecord.isValidBranchName("a/b"))
        #expect(RepositoryRecord.isValidStorageNamespace("local://data"))
        #expect(!RepositoryRecord.isValidStorageNamespace("file:///data"))
    }

    @Test("commit ids are 64 hex digits and unique even for identical commits")
    func commitIDs() throws {
        let authorship = Authorship(committer: "tester", now: Date(timeIntervalSince1970: 1_700_000_000))
        var repository = RepositoryRecord(
            id: "r", storageNamespace: "mem://r", defaultBranch: "main", readOnly: false, bare: false,
            authorship: authorship)
        let first = try repository.commit(
            branch: "main", message: "same", metadata: [:], allowEmpty: true, enforce: true, authorship: authorship)
        try repository.hardReset(branch: "main", to: "main~1", enforce: true)
        let second = try repository.commit(
            branch: "main", message: "same", metadata: [:], allowEmpty: true, enforce: true, authorship: authorship)
        #expect(first.id.count == 64 && first.id.allSatisfy(\.isHexDigit))
        #expect(first.id != second.id)
        #expect(first.metaRangeID == second.metaRangeID)
    }

    @Test("refs resolve through branches, ids, prefixes and ~ / ^ modifiers")
    func refs() throws {
        let authorship = Authorship(committer: "tester", now: Date())
        var repository = RepositoryRecord(
            id: "r", storageNamespace: "mem://r", defaultBranch: "main", readOnly: false, bare: false,
            authorship: authorship)
        let root = try repository.resolve("main")
        _ = try repository.createBranch("side", from: "main")
        try repository.stage(.put(ObjectEntry(content: [1], mtime: 0)), at: "a", on: "side", enforce: true)
        let sideCommit = try repository.commit(
            branch: "side", message: "a", metadata: [:], enforce: true, authorship: authorship)
        try repository.stage(.put(ObjectEntry(content: [2], mtime: 0)), at: "b", on: "main", enforce: true)
        let mainCommit = try repository.commit(
            branch: "main", message: "b", metadata: [:], enforce: true, authorship: authorship)
        let merge = try repository.merge(
            source: "side", into: "main", options: MergeOptions(), enforce: true, authorship: authorship)

        #expect(try repository.resolve("main").id == merge.id)
        #expect(try repository.resolve("main@").id == merge.id)
        #expect(try repository.resolve(String(merge.id.prefix(8))).id == merge.id)
        #expect(try repository.resolve("main~1").id == mainCommit.id)
        #expect(try repository.resolve("main^2").id == sideCommit.id)
        #expect(try repository.resolve("main~2").id == root.id)
        #expect(throws: LakeFSSimulatorError.self) { try repository.resolve("main^3") }
        #expect(throws: LakeFSSimulatorError.self) { try repository.resolve("main$") }
        #expect(repository.mergeBase(sideCommit.id, mainCommit.id)?.id == root.id)
        #expect(merge.generation == 3)
    }

    @Test("the hook abort message follows lakeFS's wording")
    func hookMessage() {
        let message = RepositoryRecord.hookAbortMessage(
            runID: "abc", action: "quality gate", hookID: "nulls", output: "\n  \n3 nulls\nmore")
        #expect(
            message
                == "pre-merge hook aborted, run id 'abc': 1 error occurred:\n\t* hook run id '0000_0000' failed on action 'quality gate' hook 'nulls': 3 nulls\n\n"
        )
    }
}
