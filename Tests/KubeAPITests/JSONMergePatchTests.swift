import Foundation
import KubeAPI
import Testing

private func parse(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

@Suite("JSON merge patch (RFC 7386)")
struct JSONMergePatchTests {
    /// One row of RFC 7386 Appendix A: original, patch, result.
    struct Example: Sendable, CustomTestStringConvertible {
        var original: String
        var patch: String
        var result: String
        var testDescription: String { "\(original) + \(patch) = \(result)" }
    }

    /// A pair of documents for round-trip checks.
    struct Pair: Sendable, CustomTestStringConvertible {
        var original: String
        var modified: String
        var testDescription: String { "\(original) → \(modified)" }
    }

    static let appendixA: [Example] = [
        .init(original: #"{"a":"b"}"#, patch: #"{"a":"c"}"#, result: #"{"a":"c"}"#),
        .init(original: #"{"a":"b"}"#, patch: #"{"b":"c"}"#, result: #"{"a":"b","b":"c"}"#),
        .init(original: #"{"a":"b"}"#, patch: #"{"a":null}"#, result: #"{}"#),
        .init(original: #"{"a":"b","b":"c"}"#, patch: #"{"a":null}"#, result: #"{"b":"c"}"#),
        .init(original: #"{"a":["b"]}"#, patch: #"{"a":"c"}"#, result: #"{"a":"c"}"#),
        .init(original: #"{"a":"c"}"#, patch: #"{"a":["b"]}"#, result: #"{"a":["b"]}"#),
        .init(original: #"{"a":{"b":"c"}}"#, patch: #"{"a":{"b":"d","c":null}}"#, result: #"{"a":{"b":"d"}}"#),
        .init(original: #"{"a":[{"b":"c"}]}"#, patch: #"{"a":[1]}"#, result: #"{"a":[1]}"#),
        .init(original: #"["a","b"]"#, patch: #"["c","d"]"#, result: #"["c","d"]"#),
        .init(original: #"{"a":"b"}"#, patch: #"["c"]"#, result: #"["c"]"#),
        .init(original: #"{"a":"foo"}"#, patch: #"null"#, result: #"null"#),
        .init(original: #"{"a":"foo"}"#, patch: #""bar""#, result: #""bar""#),
        .init(original: #"{"e":null}"#, patch: #"{"a":1}"#, result: #"{"e":null,"a":1}"#),
        .init(original: #"[1,2]"#, patch: #"{"a":"b","c":null}"#, result: #"{"a":"b"}"#),
        .init(original: #"{}"#, patch: #"{"a":{"bb":{"ccc":null}}}"#, result: #"{"a":{"bb":{}}}"#),
        // The worked example of RFC 7386 section 3.
        .init(
            original:
                #"{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}"#,
            patch:
                #"{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}"#,
            result:
                #"{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}"#
        ),
    ]

    @Test("applying a merge patch gives the result of RFC 7386 appendix A", arguments: appendixA)
    func appliesAppendixExamples(_ example: Example) throws {
        let result = JSONMergePatch.apply(try parse(example.patch), to: try parse(example.original))
        #expect(result == (try parse(example.result)))
    }

    static let pairs: [Pair] = [
        .init(original: #"{}"#, modified: #"{}"#),
        .init(original: #"{"a":1}"#, modified: #"{"a":2}"#),
        .init(original: #"{"a":1,"b":2}"#, modified: #"{"b":2}"#),
        .init(original: #"{"a":{"b":{"c":1,"d":2}}}"#, modified: #"{"a":{"b":{"c":1,"e":[1,2]}}}"#),
        .init(original: #"{"a":[1,2,3]}"#, modified: #"{"a":[3,2,1]}"#),
        .init(original: #"{"a":[1,null]}"#, modified: #"{"a":[null]}"#),
        .init(original: #"{"a":"x"}"#, modified: #"{"a":{"b":"c"}}"#),
        .init(original: #"{"a":{"b":"c"}}"#, modified: #"{"a":"x"}"#),
        .init(original: #"{"a":null}"#, modified: #"{}"#),
        .init(original: #"[1,2]"#, modified: #"{"a":1}"#),
        .init(original: #"{"a":1}"#, modified: #"[1]"#),
        .init(original: #""x""#, modified: #"7"#),
        .init(
            original:
                #"{"metadata":{"name":"n","labels":{"app":"web","tier":"db"},"resourceVersion":"5"},"spec":{"replicas":1}}"#,
            modified:
                #"{"metadata":{"name":"n","labels":{"app":"web","team":"data"},"resourceVersion":"6"},"spec":{"replicas":3,"paused":true}}"#
        ),
    ]

    @Test("applying the created merge patch to the original gives the modified document", arguments: pairs)
    func roundTrips(_ pair: Pair) throws {
        let original = try parse(pair.original)
        let modified = try parse(pair.modified)
        let patch = JSONMergePatch.create(from: original, to: modified)
        #expect(JSONMergePatch.apply(patch, to: original) == modified)
    }

    @Test("the created merge patch holds only what changed, with null for removed members")
    func createsMinimalPatch() throws {
        let original = try parse(#"{"a":{"b":1,"c":2},"d":[1],"e":"same","f":"gone"}"#)
        let modified = try parse(#"{"a":{"b":1,"c":3},"d":[1,2],"e":"same","g":true}"#)
        let patch = JSONMergePatch.create(from: original, to: modified)
        #expect(patch == (try parse(#"{"a":{"c":3},"d":[1,2],"f":null,"g":true}"#)))
    }

    @Test("equal objects give an empty merge patch")
    func equalObjectsGiveEmptyPatch() throws {
        let document = try parse(#"{"a":{"b":[1,2]}}"#)
        #expect(JSONMergePatch.create(from: document, to: document) == .object([:]))
    }
}
