import KubeAPI
import PlatformAPI
import Testing

@Suite("YAML renderer")
struct YAMLRendererTests {
    @Test(
        "strings a YAML reader would take for something else are quoted",
        arguments: [
            ("plain words", "plain words"),
            ("true", "'true'"),
            ("No", "'No'"),
            ("off", "'off'"),
            ("null", "'null'"),
            ("y", "'y'"),
            ("~", "'~'"),
            ("", "''"),
            ("1m", "'1m'"),
            ("10", "'10'"),
            ("0.023", "'0.023'"),
            ("2026-11-30", "'2026-11-30'"),
            ("-x", "'-x'"),
            ("a: b", "'a: b'"),
            ("a #b", "'a #b'"),
            ("ends:", "'ends:'"),
            ("{table}", "'{table}'"),
            ("*", "'*'"),
            (".5", "'.5'"),
            (".inf", "'.inf'"),
            ("+1", "'+1'"),
            (".status.version", ".status.version"),
            ("it's", "it's"),
            ("'quoted'", "'''quoted'''"),
            ("40%", "'40%'"),
            ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
            ("tab\there", "\"tab\\there\""),
        ])
    func quoting(text: String, expected: String) {
        #expect(YAMLRenderer.render(.string(text)) == expected + "\n")
    }

    @Test("objects are written with sorted keys, Kubernetes' leading keys first, and sequences under their key")
    func layout() {
        let value: JSONValue = [
            "spec": ["b": 1, "a": [["name": "x", "list": ["p", "q"]], "z"], "empty": [:], "none": []],
            "kind": "K",
            "apiVersion": "v1",
            "metadata": ["name": "web"],
        ]
        let expected = """
            apiVersion: v1
            kind: K
            metadata:
              name: web
            spec:
              a:
              - list:
                - p
                - q
                name: x
              - z
              b: 1
              empty: {}
              none: []

            """
        #expect(YAMLRenderer.render(value) == expected)
    }

    @Test("multi-line strings become literal blocks with the right chomping, and read back the same")
    func literalBlocks() throws {
        for text in ["line one\nline two\n", "no trailing newline\nsecond", "two trailing\n\n", "indented\n  inner\n"] {
            let value: JSONValue = ["schema": .string(text), "list": [.string(text)]]
            let yaml = YAMLRenderer.render(value)
            #expect(yaml.contains("|"), "\(yaml)")
            #expect(try YAMLLoader.load(yaml) == value, "\(yaml)")
        }
    }

    @Test("strings that need escapes, numbers and booleans read back the same")
    func scalarsRoundTrip() throws {
        let value: JSONValue = [
            "control": "bell\u{07}", "quote": "say \"hi\"", "int": 42, "negative": -3, "double": 1.5, "flag": true,
            "nothing": nil, "unicode": "µs and ü", "colon": "a:b", "hash": "a#b", "leading space": " x",
        ]
        #expect(try YAMLLoader.load(YAMLRenderer.render(value)) == value)
    }
}
