import Foundation
import KubeAPI
import Testing

private func parse(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

private func patch(_ text: String) throws -> JSONPatch {
    try JSONPatch(parsing: Data(text.utf8))
}

@Suite("JSON patch (RFC 6902)")
struct JSONPatchTests {
    /// An example of RFC 6902 appendix A; `result == nil` means the patch must fail.
    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var document: String
        var patch: String
        var result: String?
        var failingIndex: Int? = nil
        var reason: JSONPatchError.Reason? = nil
        var testDescription: String { name }
    }

    static let appendixA: [Example] = [
        .init(
            name: "A.1 adding an object member", document: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz","value":"qux"}]"#, result: #"{"baz":"qux","foo":"bar"}"#),
        .init(
            name: "A.2 adding an array element", document: #"{"foo":["bar","baz"]}"#,
            patch: #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, result: #"{"foo":["bar","qux","baz"]}"#),
        .init(
            name: "A.3 removing an object member", document: #"{"baz":"qux","foo":"bar"}"#,
            patch: #"[{"op":"remove","path":"/baz"}]"#, result: #"{"foo":"bar"}"#),
        .init(
            name: "A.4 removing an array element", document: #"{"foo":["bar","qux","baz"]}"#,
            patch: #"[{"op":"remove","path":"/foo/1"}]"#, result: #"{"foo":["bar","baz"]}"#),
        .init(
            name: "A.5 replacing a value", document: #"{"baz":"qux","foo":"bar"}"#,
            patch: #"[{"op":"replace","path":"/baz","value":"boo"}]"#, result: #"{"baz":"boo","foo":"bar"}"#),
        .init(
            name: "A.6 moving a value", document: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
            patch: #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
            result: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        .init(
            name: "A.7 moving an array element", document: #"{"foo":["all","grass","cows","eat"]}"#,
            patch: #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, result: #"{"foo":["all","cows","eat","grass"]}"#
        ),
        .init(
            name: "A.8 testing a value: success", document: #"{"baz":"qux","foo":["a",2,"c"]}"#,
            patch: #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
            result: #"{"baz":"qux","foo":["a",2,"c"]}"#),
        .init(
            name: "A.9 testing a value: error", document: #"{"baz":"qux"}"#,
            patch: #"[{"op":"test","path":"/baz","value":"bar"}]"#, result: nil, failingIndex: 0, reason: .testFailed),
        .init(
            name: "A.10 adding a nested member object", document: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
            result: #"{"foo":"bar","child":{"grandchild":{}}}"#),
        .init(
            name: "A.11 ignoring unrecognized elements", document: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, result: #"{"foo":"bar","baz":"qux"}"#),
        .init(
            name: "A.12 adding to a nonexistent target", document: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, result: nil, failingIndex: 0,
            reason: .pathNotFound),
        .init(
            name: "A.14 ~ escape ordering", document: #"{"/":9,"~1":10}"#,
            patch: #"[{"op":"test","path":"/~01","value":10}]"#, result: #"{"/":9,"~1":10}"#),
        .init(
            name: "A.15 comparing strings and numbers", document: #"{"/":9,"~1":10}"#,
            patch: #"[{"op":"test","path":"/~01","value":"10"}]"#, result: nil, failingIndex: 0, reason: .testFailed),
        .init(
            name: "A.16 adding an array value", document: #"{"foo":["bar"]}"#,
            patch: #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, result: #"{"foo":["bar",["abc","def"]]}"#),
    ]

    @Test(
        "a JSON patch gives the result of RFC 6902 appendix A, or fails where the RFC says it fails",
        arguments: appendixA)
    func appliesAppendixExamples(_ example: Example) throws {
        let document = try parse(example.document)
        let operations = try patch(example.patch)
        if let expected = example.result {
            #expect(try operations.apply(to: document) == (try parse(expected)))
        } else {
            let error = #expect(throws: JSONPatchError.self) { try operations.apply(to: document) }
            #expect(error?.operationIndex == example.failingIndex)
            #expect(error?.reason == example.reason)
        }
    }

    /// More failures, each at a given operation of the patch.
    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var document: String
        var patch: String
        var index: Int
        var path: String
        var reason: JSONPatchError.Reason
        var testDescription: String { name }
    }

    static let failures: [Failure] = [
        .init(
            name: "removing a missing member", document: #"{"a":1}"#, patch: #"[{"op":"remove","path":"/b"}]"#,
            index: 0, path: "/b", reason: .pathNotFound),
        .init(
            name: "replacing a missing member", document: #"{"a":1}"#,
            patch: #"[{"op":"test","path":"/a","value":1},{"op":"replace","path":"/b","value":2}]"#,
            index: 1, path: "/b", reason: .pathNotFound),
        .init(
            name: "an index with a leading zero", document: #"{"a":[1,2]}"#,
            patch: #"[{"op":"add","path":"/a/01","value":0}]"#, index: 0, path: "/a/01", reason: .invalidIndex),
        .init(
            name: "adding past the end of an array", document: #"{"a":[1,2]}"#,
            patch: #"[{"op":"add","path":"/a/3","value":0}]"#, index: 0, path: "/a/3", reason: .invalidIndex),
        .init(
            name: "removing the '-' element", document: #"{"a":[1]}"#, patch: #"[{"op":"remove","path":"/a/-"}]"#,
            index: 0, path: "/a/-", reason: .pathNotFound),
        .init(
            name: "a negative index", document: #"{"a":[1]}"#, patch: #"[{"op":"replace","path":"/a/-1","value":0}]"#,
            index: 0, path: "/a/-1", reason: .pathNotFound),
        .init(
            name: "moving a value into its own child", document: #"{"a":{"b":{}}}"#,
            patch: #"[{"op":"move","from":"/a","path":"/a/b/c"}]"#, index: 0, path: "/a/b/c", reason: .invalidMove),
        .init(
            name: "copying from a missing location", document: #"{"a":1}"#,
            patch: #"[{"op":"copy","from":"/x","path":"/y"}]"#, index: 0, path: "/y", reason: .pathNotFound),
        .init(
            name: "adding below a scalar", document: #"{"a":1}"#, patch: #"[{"op":"add","path":"/a/b","value":1}]"#,
            index: 0, path: "/a/b", reason: .pathNotFound),
        .init(
            name: "testing a missing member", document: #"{}"#, patch: #"[{"op":"test","path":"/a","value":null}]"#,
            index: 0, path: "/a", reason: .pathNotFound),
    ]

    @Test("a failing operation is reported by index, path and reason", arguments: failures)
    func reportsFailures(_ failure: Failure) throws {
        let document = try parse(failure.document)
        let operations = try patch(failure.patch)
        let error = #expect(throws: JSONPatchError.self) { try operations.apply(to: document) }
        #expect(error?.operationIndex == failure.index)
        #expect(error?.path == failure.path)
        #expect(error?.reason == failure.reason)
    }

    @Test("a patch is all or nothing: a late failure leaves no earlier change behind")
    func isAtomic() throws {
        let document = try parse(#"{"a":1}"#)
        let operations = try patch(
            #"[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/a"},{"op":"test","path":"/b","value":3}]"#)
        var current = document
        #expect(throws: JSONPatchError.self) { current = try operations.apply(to: current) }
        #expect(current == document)
    }

    @Test("the error message names the operation and what went wrong")
    func describesFailure() throws {
        let operations = try patch(#"[{"op":"add","path":"/baz/bat","value":"qux"}]"#)
        let error = #expect(throws: JSONPatchError.self) { try operations.apply(to: try parse(#"{"foo":"bar"}"#)) }
        #expect(error?.description == #"JSON patch operation 0 (add "/baz/bat") failed: member 'baz' does not exist"#)
    }

    /// Malformed patch documents, including RFC 6902 A.13.
    static let invalidDocuments: [String] = [
        #"{"op":"add","path":"/a","value":1}"#,
        #"[{"op":"add","path":"/a"}]"#,
        #"[{"op":"move","path":"/a"}]"#,
        #"[{"op":"frobnicate","path":"/a"}]"#,
        #"[{"path":"/a"}]"#,
        #"[{"op":"remove","path":"a"}]"#,
        #"[{"op":"remove","path":"/a~2"}]"#,
        // A.13: "op" appears twice, so this cannot be read as an add.
        #"[{ "op": "add", "path": "/baz", "value": "qux", "op": "remove" }]"#,
        #"[{"op":"add","path":"/a","value":{"x":1,"\u0078":2}}]"#,
    ]

    @Test("a malformed patch document is rejected as invalidPatch", arguments: invalidDocuments)
    func rejectsMalformedDocuments(_ text: String) {
        let error = #expect(throws: JSONPatchError.self) { try patch(text) }
        #expect(error?.reason == .invalidPatch)
        #expect(error?.operationIndex == nil)
    }

    @Test("repeated names in different objects are not duplicates")
    func acceptsSameNameInDifferentObjects() throws {
        let operations = try patch(
            #"[{"op":"add","path":"/a","value":{"op":"x","path":{"op":1}}},{"op":"remove","path":"/a"}]"#)
        #expect(operations.operations.count == 2)
    }

    @Test("a null value is a value: adding null sets the member to null")
    func nullIsAValue() throws {
        let result = try patch(#"[{"op":"add","path":"/a","value":null}]"#).apply(to: try parse("{}"))
        #expect(result == .object(["a": .null]))
    }

    @Test("test compares numbers by value and objects without regard to member order")
    func testComparesByValue() throws {
        let document = try parse(#"{"n":1,"o":{"x":1,"y":[1.5,2]}}"#)
        let operations: JSONPatch = [
            .test(path: JSONPointer(components: ["n"]), value: .double(1.0)),
            .test(path: JSONPointer(components: ["o"]), value: ["y": [1.5, 2.0], "x": 1]),
        ]
        #expect(try operations.apply(to: document) == document)
    }

    @Test("an operation round-trips through its JSON form")
    func operationsRoundTrip() throws {
        let operations: JSONPatch = [
            .add(path: JSONPointer(components: ["metadata", "labels", "app.kubernetes.io/name"]), value: "web"),
            .remove(path: JSONPointer(components: ["a~b"])),
            .replace(path: .root, value: .null),
            .move(from: JSONPointer(components: ["a"]), path: JSONPointer(components: ["b"])),
            .copy(from: JSONPointer(components: ["a", "0"]), path: JSONPointer(components: ["a", "-"])),
            .test(path: JSONPointer(components: [""]), value: [1, 2]),
        ]
        let data = try JSONCoding.encode(operations)
        #expect(try JSONPatch(parsing: data) == operations)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""path":"/metadata/labels/app.kubernetes.io~1name""#))
        #expect(text.contains(#""path":"/a~0b""#))
        #expect(text.contains(#""op":"replace","path":"","value":null"#))
    }

    /// Pointer text and its unescaped tokens (RFC 6901 section 5).
    static let pointers: [(String, [String])] = [
        ("", []),
        ("/foo", ["foo"]),
        ("/foo/0", ["foo", "0"]),
        ("/", [""]),
        ("/a~1b", ["a/b"]),
        ("/c%d", ["c%d"]),
        ("/m~0n", ["m~n"]),
        ("/~01", ["~1"]),
        ("/a//b", ["a", "", "b"]),
    ]

    @Test("a JSON pointer parses to its unescaped tokens and prints back the same", arguments: pointers)
    func parsesPointers(_ text: String, _ components: [String]) throws {
        let pointer = try JSONPointer(parsing: text)
        #expect(pointer.components == components)
        #expect(pointer.description == text)
        #expect(JSONPointer(components: components) == pointer)
    }

    @Test("a JSON pointer resolves as in RFC 6901 section 5")
    func resolvesPointers() throws {
        let document = try parse(
            #"{"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8}"#)
        let expectations: [(String, JSONValue?)] = [
            ("", document), ("/foo", ["bar", "baz"]), ("/foo/0", "bar"), ("/", 0), ("/a~1b", 1), ("/c%d", 2),
            ("/e^f", 3), ("/g|h", 4), ("/i\\j", 5), ("/k\"l", 6), ("/ ", 7), ("/m~0n", 8),
            ("/foo/2", nil), ("/foo/01", nil), ("/foo/-", nil), ("/nope", nil), ("/foo/0/x", nil),
        ]
        for (text, expected) in expectations {
            #expect(try JSONPointer(parsing: text).resolve(in: document) == expected, "\(text)")
        }
    }

    @Test("a malformed JSON pointer is rejected", arguments: ["a", "/a~", "/~2", "foo/bar"])
    func rejectsMalformedPointers(_ text: String) {
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: text) }
    }

    /// Pairs of documents for the round trip of ``JSONPatch/create(from:to:)``.
    static let pairs: [(String, String)] = [
        (#"{}"#, #"{}"#),
        (#"{"a":1}"#, #"{"a":2}"#),
        (#"{"a":1,"b":2}"#, #"{"c":3}"#),
        (#"{"a":{"b":{"c":1}}}"#, #"{"a":{"b":{"c":1,"d":null}}}"#),
        (#"{"a":[1,2,3]}"#, #"{"a":[1]}"#),
        (#"{"a":[1]}"#, #"{"a":[0,1,2,3]}"#),
        (#"{"a":[[1,2],{"x":1}]}"#, #"{"a":[[2],{"x":2,"y":null}]}"#),
        (#"[1,2,3]"#, #"[3,2,1,0]"#),
        (#"{"a":"x"}"#, #"{"a":{"b":"c"}}"#),
        (#"{"a":null}"#, #"{"a":false}"#),
        (#""x""#, #"[1]"#),
        (#"{"a/b":{"~":1}}"#, #"{"a/b":{"~":2,"/":3}}"#),
        (
            #"{"metadata":{"name":"n","labels":{"app":"web","tier":"db"},"finalizers":["a","b"]},"spec":{"replicas":1}}"#,
            #"{"metadata":{"name":"n","labels":{"app":"web","team":"data"},"finalizers":["b"]},"spec":{"replicas":3,"paused":true}}"#
        ),
    ]

    @Test("applying the created patch to the original gives the modified document", arguments: pairs)
    func roundTrips(_ original: String, _ modified: String) throws {
        let from = try parse(original)
        let to = try parse(modified)
        let created = JSONPatch.create(from: from, to: to)
        #expect(try created.apply(to: from) == to)
        let reencoded = try JSONPatch(parsing: try JSONCoding.encode(created))
        #expect(try reencoded.apply(to: from) == to)
    }

    @Test("equal documents give an empty patch")
    func equalDocumentsGiveEmptyPatch() throws {
        let document = try parse(#"{"a":[1,{"b":2}]}"#)
        #expect(JSONPatch.create(from: document, to: document).operations.isEmpty)
    }
}
