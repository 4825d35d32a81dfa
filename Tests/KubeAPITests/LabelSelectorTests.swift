import Foundation
import KubeAPI
import Testing

private let nameRegexError =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
private let valueRegexError =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
private let subdomainRegexError =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

@Suite("Label selectors")
struct LabelSelectorTests {
    /// Selector text and the canonical form it parses to.
    static let valid: [(String, String)] = [
        ("", ""),
        ("   ", ""),
        ("x=a", "x=a"),
        ("x==a", "x==a"),
        ("x!=a", "x!=a"),
        (" x = a ", "x=a"),
        ("x=", "x="),
        ("x", "x"),
        ("!x", "!x"),
        ("  ! x  ", "!x"),
        ("x in (a,b)", "x in (a,b)"),
        ("x in(b , a,a)", "x in (a,b)"),
        ("x notin (a)", "x notin (a)"),
        ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
        ("z=1,x,y!=2", "x,y!=2,z=1"),
        ("x=b,x=a", "x=b,x=a"),
        ("in=notin", "in=notin"),
        ("x in (in,notin)", "x in (in,notin)"),
        ("x>1,y<2", "x>1,y<2"),
        ("example.com/app.name=web-1", "example.com/app.name=web-1"),
        ("app\t=\nweb", "app=web"),
    ]

    @Test("a selector parses to its canonical form", arguments: valid)
    func parsesValidSelectors(_ text: String, _ canonical: String) throws {
        let selector = try LabelSelectorQuery(parsing: text)
        #expect(selector.description == canonical)
        #expect(try LabelSelectorQuery(parsing: selector.description) == selector)
    }

    /// Selector text, the reason and apimachinery's message for rejecting it.
    static let invalid: [(String, LabelSelectorError.Reason, String)] = [
        ("x=a,", .syntax, "found '', expected: identifier after ','"),
        (",x", .syntax, "found ',', expected: !, identifier, or 'end of string'"),
        ("x=a b", .syntax, "found 'b', expected: ',' or 'end of string'"),
        ("!x=a", .syntax, "found '=', expected: ',' or 'end of string'"),
        ("x y", .syntax, "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"),
        ("x in a", .syntax, "unable to parse requirement: found 'a' expected: '('"),
        ("x in (a", .syntax, "unable to parse requirement: found '', expected: ',' or ')'"),
        ("x in (", .syntax, "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("x in (a b)", .syntax, "unable to parse requirement: found 'b', expected: ',' or ')'"),
        ("x=(a)", .syntax, "unable to parse requirement: found '(', expected: identifier"),
        ("!", .syntax, "unable to parse requirement: found '', expected: identifier"),
        ("a_=b", .invalidKey, #"unable to parse requirement: <nil>: Invalid value: "a_": name part "# + nameRegexError),
        (
            "a/b/c", .invalidKey,
            #"unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name "# + nameRegexError
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ),
        (
            "Example.com/a", .invalidKey,
            #"unable to parse requirement: <nil>: Invalid value: "Example.com/a": prefix part "# + subdomainRegexError
        ),
        ("/a", .invalidKey, #"unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty"#),
        (
            "a/", .invalidKey,
            #"unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; name part "#
                + nameRegexError
        ),
        (
            String(repeating: "k", count: 64), .invalidKey,
            #"unable to parse requirement: <nil>: Invalid value: ""# + String(repeating: "k", count: 64)
                + #"": name part must be no more than 63 characters"#
        ),
        ("x=-a", .invalidValue, #"unable to parse requirement: values[0][x]: Invalid value: "-a": "# + valueRegexError),
        (
            "x in (ok,b@d)", .invalidValue,
            #"unable to parse requirement: values[0][x]: Invalid value: "b@d": "# + valueRegexError
        ),
        (
            "x=" + String(repeating: "v", count: 64), .invalidValue,
            #"unable to parse requirement: values[0][x]: Invalid value: ""# + String(repeating: "v", count: 64)
                + #"": must be no more than 63 characters"#
        ),
        (
            "x>a", .invalidValue,
            #"unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer"#
        ),
    ]

    @Test("an invalid selector is rejected with apimachinery's message", arguments: invalid)
    func rejectsInvalidSelectors(_ text: String, _ reason: LabelSelectorError.Reason, _ message: String) {
        let error = #expect(throws: LabelSelectorError.self) { try LabelSelectorQuery(parsing: text) }
        #expect(error?.reason == reason)
        #expect(error?.message == message)
    }

    /// A selector, a label set, and whether the selector matches it.
    static let matching: [(String, [String: String], Bool)] = [
        ("", [:], true),
        ("", ["a": "b"], true),
        ("x=a", ["x": "a"], true),
        ("x==a", ["x": "a"], true),
        ("x=a", ["x": "b"], false),
        ("x=a", [:], false),
        ("x!=a", [:], true),
        ("x!=a", ["x": "a"], false),
        ("x!=a", ["x": "b"], true),
        ("x in (a,b)", ["x": "b"], true),
        ("x in (a,b)", ["x": "c"], false),
        ("x in (a,b)", [:], false),
        ("x notin (a,b)", [:], true),
        ("x notin (a,b)", ["x": "a"], false),
        ("x notin (a,b)", ["x": "c"], true),
        ("x", ["x": ""], true),
        ("x", ["y": "x"], false),
        ("!x", [:], true),
        ("!x", ["x": "a"], false),
        ("x=", ["x": ""], true),
        ("x=", [:], false),
        ("x in (,a)", ["x": ""], true),
        ("x>1", ["x": "2"], true),
        ("x>1", ["x": "1"], false),
        ("x>1", ["x": "a"], false),
        ("x>1", [:], false),
        ("x<1", ["x": "-3"], true),
        ("x=a,y", ["x": "a", "y": "b"], true),
        ("x=a,y", ["x": "a"], false),
        ("app=web,tier notin (db),!canary", ["app": "web", "tier": "cache"], true),
        ("app=web,tier notin (db),!canary", ["app": "web", "canary": "true"], false),
    ]

    @Test("a selector matches labels as apimachinery does", arguments: matching)
    func matchesLabels(_ text: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try LabelSelectorQuery(parsing: text).matches(labels) == expected)
    }

    @Test("a missing metav1 selector selects nothing and an empty one selects everything")
    func convertsNilAndEmpty() throws {
        let nothing = try LabelSelectorQuery(nil)
        #expect(!nothing.matches([:]))
        #expect(!nothing.isEmpty)
        let everything = try LabelSelectorQuery(LabelSelector())
        #expect(everything.matches(["a": "b"]))
        #expect(everything.isEmpty)
        #expect(everything == .everything)
    }

    @Test("a metav1 selector converts to the equivalent query")
    func convertsMetav1Selector() throws {
        let selector = LabelSelector(
            matchLabels: ["app": "web", "app.kubernetes.io/part-of": "hmco"],
            matchExpressions: [
                LabelSelectorRequirement(key: "tier", operator: .in, values: ["cache", "backend"]),
                LabelSelectorRequirement(key: "canary", operator: .doesNotExist),
                LabelSelectorRequirement(key: "zone", operator: .notIn, values: ["a"]),
                LabelSelectorRequirement(key: "owner", operator: .exists),
            ])
        let query = try selector.query()
        #expect(
            query.description
                == "app=web,app.kubernetes.io/part-of=hmco,!canary,owner,tier in (backend,cache),zone notin (a)")
        #expect(query.matches(["app": "web", "app.kubernetes.io/part-of": "hmco", "tier": "cache", "owner": "me"]))
        #expect(!query.matches(["app": "web", "app.kubernetes.io/part-of": "hmco", "tier": "cache"]))
        #expect(query.requiredValue(for: "app") == "web")
        #expect(query.requiredValue(for: "tier") == nil)
        #expect(query == (try LabelSelectorQuery(parsing: query.description)))
    }

    /// metav1 selectors the API server rejects, with the message.
    static let invalidMetav1: [(LabelSelector, LabelSelectorError.Reason, String)] = [
        (
            LabelSelector(matchExpressions: [.init(key: "a", operator: .init(rawValue: "Foo"))]), .invalidOperator,
            #""Foo" is not a valid label selector operator"#
        ),
        (
            LabelSelector(matchExpressions: [.init(key: "a", operator: .in)]), .invalidValue,
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
        ),
        (
            LabelSelector(matchExpressions: [.init(key: "a", operator: .exists, values: ["x"])]), .invalidValue,
            #"values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist"#
        ),
        (
            LabelSelector(matchLabels: ["a_": "b"]), .invalidKey,
            #"key: Invalid value: "a_": name part "# + nameRegexError
        ),
        (
            LabelSelector(matchLabels: ["a": "b c"]), .invalidValue,
            #"values[0][a]: Invalid value: "b c": "# + valueRegexError
        ),
    ]

    @Test("an invalid metav1 selector is rejected with apimachinery's message", arguments: invalidMetav1)
    func rejectsInvalidMetav1Selectors(
        _ selector: LabelSelector, _ reason: LabelSelectorError.Reason, _ message: String
    ) {
        let error = #expect(throws: LabelSelectorError.self) { try LabelSelectorQuery(selector) }
        #expect(error?.reason == reason)
        #expect(error?.message == message)
    }

    @Test("a metav1 selector reads and writes the Kubernetes JSON form")
    func metav1SelectorCoding() throws {
        let text =
            #"{"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db"]},{"key":"x","operator":"Exists"}],"matchLabels":{"app":"web"}}"#
        let selector = try JSONCoding.decode(LabelSelector.self, from: Data(text.utf8))
        #expect(selector.matchLabels == ["app": "web"])
        #expect(selector.matchExpressions?.first?.operator == .notIn)
        #expect(selector.matchExpressions?.last?.values == nil)
        #expect(String(decoding: try JSONCoding.encode(selector), as: UTF8.self) == text)
        #expect(String(decoding: try JSONCoding.encode(LabelSelector()), as: UTF8.self) == "{}")
    }

    @Test("a label set selector requires each pair exactly")
    func setSelector() {
        let query = LabelSelectorQuery(matching: ["b": "2", "a": "1"])
        #expect(query.description == "a=1,b=2")
        #expect(query.matches(["a": "1", "b": "2", "c": "3"]))
        #expect(!query.matches(["a": "1"]))
    }
}

@Suite("Field selectors")
struct FieldSelectorTests {
    static let object: JSONValue = [
        "metadata": ["name": "web-1", "namespace": "prod", "labels": ["app": "web"]],
        "spec": ["replicas": 3, "suspend": false],
        "status": ["phase": "Running"],
    ]

    /// Selector text, its canonical form, and whether it matches ``object``.
    static let cases: [(String, String, Bool)] = [
        ("", "", true),
        ("metadata.name=web-1", "metadata.name=web-1", true),
        ("metadata.name==web-1", "metadata.name=web-1", true),
        ("metadata.name!=web-1", "metadata.name!=web-1", false),
        ("metadata.namespace!=dev,metadata.name=web-1", "metadata.name=web-1,metadata.namespace!=dev", true),
        ("metadata.name=web-1,metadata.namespace=dev", "metadata.name=web-1,metadata.namespace=dev", false),
        ("status.phase=Running", "status.phase=Running", true),
        ("spec.replicas=3", "spec.replicas=3", true),
        ("spec.suspend=false", "spec.suspend=false", true),
        ("spec.nodeName=", "spec.nodeName=", true),
        ("spec.nodeName!=", "spec.nodeName!=", false),
        ("spec.nodeName!=node-1", "spec.nodeName!=node-1", true),
        ("metadata.labels=", "metadata.labels=", true),
        (#"metadata.name=a\,b\=c\\d"#, #"metadata.name=a\,b\=c\\d"#, false),
        ("metadata.name=web-1,", "metadata.name=web-1", true),
    ]

    @Test("a field selector parses, prints canonically and matches by dotted path", arguments: cases)
    func parsesAndMatches(_ text: String, _ canonical: String, _ expected: Bool) throws {
        let selector = try FieldSelector(parsing: text)
        #expect(selector.description == canonical)
        #expect(selector.matches(Self.object) == expected)
        #expect(try FieldSelector(parsing: canonical) == selector)
    }

    @Test("an escaped value is unescaped")
    func unescapesValues() throws {
        let selector = try FieldSelector(parsing: #"metadata.name=a\,b\=c\\d"#)
        #expect(selector.requirements == [.init(field: "metadata.name", operator: .equals, value: #"a,b=c\d"#)])
        #expect(selector.matches(["metadata": ["name": #"a,b=c\d"#]]))
    }

    @Test("the requirements let a server reject unsupported fields")
    func exposesFields() throws {
        let selector = try FieldSelector(parsing: "spec.nodeName=n1,metadata.name!=x,metadata.name!=y")
        #expect(selector.fields == ["spec.nodeName", "metadata.name"])
        #expect(selector.requirements.map(\.operator) == [.notEquals, .notEquals, .equals])
        #expect(selector.requiredValue(for: "spec.nodeName") == "n1")
        #expect(selector.requiredValue(for: "metadata.name") == nil)
    }

    /// Invalid selector text and apimachinery's message.
    static let invalid: [(String, String)] = [
        ("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("a=b=c", "invalid field selector: unescaped character in value: ="),
        (#"a=b\x"#, #"invalid field selector: invalid escape sequence: \x"#),
        (#"a=b\"#, #"invalid field selector: invalid escape sequence: \"#),
    ]

    @Test("an invalid field selector is rejected with apimachinery's message", arguments: invalid)
    func rejectsInvalidSelectors(_ text: String, _ message: String) {
        let error = #expect(throws: FieldSelectorError.self) { try FieldSelector(parsing: text) }
        #expect(error?.message == message)
    }
}
