import Foundation
import KubeAPI
import Testing

// MARK: - Fixtures

/// The schema of a `Widget` in `example.com`, shaped like what controller-gen emits.
private let widgetSchema = JSONSchemaProps(
    type: "object",
    required: ["spec"],
    properties: [
        "apiVersion": JSONSchemaProps(type: "string"),
        "kind": JSONSchemaProps(type: "string"),
        "metadata": JSONSchemaProps(type: "object"),
        "spec": JSONSchemaProps(
            type: "object",
            required: ["mode", "name"],
            properties: [
                "mode": JSONSchemaProps(type: "string", enum: ["Apply", "Plan"]),
                "name": JSONSchemaProps(type: "string", pattern: "^[a-z]+$", minLength: 3, maxLength: 8),
                "replicas": JSONSchemaProps(type: "integer", default: 1, minimum: 1, maximum: 10),
                "ratio": JSONSchemaProps(type: "number", maximum: 1, exclusiveMaximum: true, multipleOf: 0.25),
                "port": JSONSchemaProps(xIntOrString: true),
                "startAt": JSONSchemaProps(type: "string", format: "date-time"),
                "suspend": JSONSchemaProps(type: "boolean"),
                "note": JSONSchemaProps(type: "string", nullable: true),
                "tags": JSONSchemaProps(
                    type: "array", minItems: 1, maxItems: 3, items: JSONSchemaProps(type: "string"), xListType: "set"),
                "labels": JSONSchemaProps(
                    type: "object", maxProperties: 2, additionalProperties: .schema(JSONSchemaProps(type: "string"))),
                "ports": JSONSchemaProps(
                    type: "array",
                    items: JSONSchemaProps(
                        type: "object",
                        required: ["name"],
                        properties: [
                            "name": JSONSchemaProps(type: "string"),
                            "port": JSONSchemaProps(type: "integer", default: 80),
                        ]),
                    xListType: "map", xListMapKeys: ["name"]),
                "config": JSONSchemaProps(type: "object", xPreserveUnknownFields: true),
                "template": JSONSchemaProps(type: "object", xPreserveUnknownFields: true, xEmbeddedResource: true),
            ]),
    ])

private let validator = SchemaValidator(schema: widgetSchema)

/// A valid Widget whose spec is merged with `spec`.
private func widget(_ spec: JSONObject = [:], removing removed: [String] = []) -> JSONValue {
    var fields: JSONObject = ["mode": "Apply", "name": "alpha"]
    for (key, value) in spec { fields[key] = value }
    for key in removed { fields[key] = nil }
    return [
        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w1"], "spec": .object(fields),
    ]
}

private let crdPath = "spec.versions[0].schema.openAPIV3Schema"

// MARK: - Validation

struct ValidationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var object: JSONValue
    var messages: [String]
    var testDescription: String { name }
}

struct KeywordCase: Sendable, CustomTestStringConvertible {
    var name: String
    var schema: JSONSchemaProps
    var value: JSONValue
    var messages: [String]
    var testDescription: String { name }

    init(_ name: String, _ schema: JSONSchemaProps, _ value: JSONValue, _ messages: [String]) {
        self.name = name
        self.schema = schema
        self.value = value
        self.messages = messages
    }
}

@Suite("Custom resource validation")
struct CustomResourceValidationTests {
    static let cases: [ValidationCase] = [
        ValidationCase(name: "a valid widget", object: widget(), messages: []),
        ValidationCase(
            name: "enum", object: widget(["mode": "X"]),
            messages: [#"spec.mode: Unsupported value: "X": supported values: "Apply", "Plan""#]),
        ValidationCase(
            name: "maximum", object: widget(["replicas": 11]),
            messages: ["spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10"]),
        ValidationCase(
            name: "minimum", object: widget(["replicas": 0]),
            messages: ["spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"]),
        ValidationCase(
            name: "exclusive maximum", object: widget(["ratio": 1]),
            messages: ["spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1"]),
        ValidationCase(
            name: "multipleOf", object: widget(["ratio": 0.3]),
            messages: ["spec.ratio: Invalid value: 0.3: spec.ratio in body should be a multiple of 0.25"]),
        ValidationCase(
            name: "a string where an integer belongs", object: widget(["replicas": "three"]),
            messages: [
                #"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#
            ]),
        ValidationCase(
            name: "a fraction where an integer belongs", object: widget(["replicas": 2.5]),
            messages: [
                #"spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number""#
            ]),
        ValidationCase(
            name: "a string where a boolean belongs", object: widget(["suspend": "yes"]),
            messages: [
                #"spec.suspend: Invalid value: "string": spec.suspend in body must be of type boolean: "string""#
            ]),
        ValidationCase(
            name: "int-or-string", object: widget(["port": true]),
            messages: [
                #"spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean""#
            ]),
        ValidationCase(name: "int-or-string accepts both", object: widget(["port": 8080]), messages: []),
        ValidationCase(
            name: "minLength", object: widget(["name": "ab"]),
            messages: [#"spec.name: Invalid value: "ab": spec.name in body should be at least 3 chars long"#]),
        ValidationCase(
            name: "maxLength", object: widget(["name": "abcdefghij"]),
            messages: ["spec.name: Too long: may not be more than 8 bytes"]),
        ValidationCase(
            name: "pattern", object: widget(["name": "ABC"]),
            messages: [#"spec.name: Invalid value: "ABC": spec.name in body should match '^[a-z]+$'"#]),
        ValidationCase(name: "required", object: widget(removing: ["name"]), messages: ["spec.name: Required value"]),
        ValidationCase(
            name: "required at the root",
            object: ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w1"]],
            messages: ["spec: Required value"]),
        ValidationCase(
            name: "date-time format", object: widget(["startAt": "yesterday"]),
            messages: [
                #"spec.startAt: Invalid value: "yesterday": spec.startAt in body must be of type date-time: "yesterday""#
            ]),
        ValidationCase(name: "a valid date-time", object: widget(["startAt": "2024-02-29T10:00:00Z"]), messages: []),
        ValidationCase(
            name: "maxItems", object: widget(["tags": ["a", "b", "c", "d"]]),
            messages: ["spec.tags: Too many: 4: must have at most 3 items"]),
        ValidationCase(
            name: "minItems", object: widget(["tags": []]),
            messages: ["spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items"]),
        ValidationCase(
            name: "list-type set", object: widget(["tags": ["a", "b", "a"]]),
            messages: [#"spec.tags[2]: Duplicate value: "a""#]),
        ValidationCase(
            name: "list-type map",
            object: widget(["ports": [["name": "http", "port": 80], ["name": "http", "port": 81]]]),
            messages: [#"spec.ports[1]: Duplicate value: {"name":"http"}"#]),
        ValidationCase(
            name: "required inside array items", object: widget(["ports": [["port": 80]]]),
            messages: ["spec.ports[0].name: Required value"]),
        ValidationCase(
            name: "maxProperties", object: widget(["labels": ["a": "1", "b": "2", "c": "3"]]),
            messages: ["spec.labels: Too many: 3: must have at most 2 items"]),
        ValidationCase(
            name: "additionalProperties schema", object: widget(["labels": ["a": 1]]),
            messages: [
                #"spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer""#
            ]),
        ValidationCase(name: "null in a nullable field", object: widget(["note": nil]), messages: []),
        ValidationCase(
            name: "null in a non-nullable field", object: widget(["suspend": nil]),
            messages: [#"spec.suspend: Invalid value: "null": spec.suspend in body must be of type boolean: "null""#]),
        ValidationCase(
            name: "several errors keep kube-apiserver's order",
            object: widget(["mode": "X", "replicas": 11], removing: ["name"]),
            messages: [
                #"spec.mode: Unsupported value: "X": supported values: "Apply", "Plan""#,
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
                "spec.name: Required value",
            ]),
        ValidationCase(
            name: "embedded resources need apiVersion and kind",
            object: widget(["template": ["metadata": ["name": "x"]]]),
            messages: ["spec.template.apiVersion: Required value", "spec.template.kind: Required value"]),
    ]

    @Test("validation reports kube-apiserver's paths and wording", arguments: cases)
    func validation(_ testCase: ValidationCase) {
        #expect(validator.validate(testCase.object).map(\.message) == testCase.messages)
    }

    static let keywordCases: [KeywordCase] = [
        KeywordCase(
            "minProperties", JSONSchemaProps(type: "object", minProperties: 2), ["a": 1],
            ["x: Invalid value: 1: x in body should have at least 2 properties"]),
        KeywordCase(
            "uniqueItems", JSONSchemaProps(type: "array", uniqueItems: true, items: JSONSchemaProps(type: "integer")),
            [1, 2, 1],
            [#"x: Invalid value: "": x in body shouldn't contain duplicates"#]),
        KeywordCase(
            "exclusiveMinimum", JSONSchemaProps(type: "number", minimum: 0.5, exclusiveMinimum: true), 0.5,
            ["x: Invalid value: 0.5: x in body should be greater than 0.5"]),
        KeywordCase(
            "multipleOf on integers", JSONSchemaProps(type: "integer", multipleOf: 5), 12,
            ["x: Invalid value: 12: x in body should be a multiple of 5"]),
        KeywordCase(
            "integer enums", JSONSchemaProps(type: "integer", enum: [1, 2]), 3,
            [#"x: Unsupported value: 3: supported values: "1", "2""#]),
        KeywordCase(
            "an integral number matches an integer enum", JSONSchemaProps(type: "integer", enum: [1, 2]), 2.0, []),
        KeywordCase(
            "not", JSONSchemaProps(type: "string", not: JSONSchemaProps(enum: ["root"])), "root",
            [#"<nil>: Invalid value: "": "x" must not validate the schema (not)"#]),
        KeywordCase(
            "allOf",
            JSONSchemaProps(type: "string", allOf: [JSONSchemaProps(minLength: 2), JSONSchemaProps(maxLength: 1)]),
            "abc",
            [
                "x: Too long: may not be more than 1 byte",
                #"<nil>: Invalid value: "": "x" must validate all the schemas (allOf)"#,
            ]),
        KeywordCase("a case-insensitive pattern", JSONSchemaProps(type: "string", pattern: "(?i)^ab$"), "AB", []),
        KeywordCase(
            "uuid", JSONSchemaProps(type: "string", format: "uuid"), "nope",
            [#"x: Invalid value: "nope": x in body must be of type uuid: "nope""#]),
        KeywordCase(
            "ipv4", JSONSchemaProps(type: "string", format: "ipv4"), "10.0.0.256",
            [#"x: Invalid value: "10.0.0.256": x in body must be of type ipv4: "10.0.0.256""#]),
        KeywordCase("ipv6", JSONSchemaProps(type: "string", format: "ipv6"), "fe80::1:2", []),
        KeywordCase(
            "byte", JSONSchemaProps(type: "string", format: "byte"), "not base64!",
            [#"x: Invalid value: "not base64!": x in body must be of type byte: "not base64!""#]),
        KeywordCase(
            "date", JSONSchemaProps(type: "string", format: "date"), "2023-02-29",
            [#"x: Invalid value: "2023-02-29": x in body must be of type date: "2023-02-29""#]),
        KeywordCase(
            "formats CRDs do not support are ignored", JSONSchemaProps(type: "string", format: "color"), "red", []),
        KeywordCase(
            "int32 only checks the type", JSONSchemaProps(type: "integer", format: "int32"), true,
            [#"x: Invalid value: "": x in body must be of type int32: """#]),
    ]

    @Test("each keyword fails with kube-openapi's message", arguments: keywordCases)
    func keyword(_ testCase: KeywordCase) {
        let schema = JSONSchemaProps(type: "object", properties: ["x": testCase.schema])
        #expect(SchemaValidator(schema: schema).validate(["x": testCase.value]).map(\.message) == testCase.messages)
    }

    @Test("string length counts Unicode scalars, as Go counts runes")
    func lengthCountsRunes() {
        let schema = JSONSchemaProps(type: "object", properties: ["s": JSONSchemaProps(type: "string", maxLength: 3)])
        let checker = SchemaValidator(schema: schema)
        #expect(checker.validate(["s": "äöü"]).isEmpty)
        #expect(checker.validate(["s": "äöüß"]).map(\.message) == ["s: Too long: may not be more than 3 bytes"])
    }

    @Test("anyOf failures name the branch with the most matches after the composite error")
    func anyOf() {
        let schema = JSONSchemaProps(
            type: "object",
            properties: [
                "size": JSONSchemaProps(
                    type: "integer",
                    anyOf: [JSONSchemaProps(maximum: 5), JSONSchemaProps(minimum: 100)])
            ])
        let errors = SchemaValidator(schema: schema).validate(["size": 50]).map(\.message)
        #expect(
            errors == [
                #"<nil>: Invalid value: "": "size" must validate at least one schema (anyOf)"#,
                "size: Invalid value: 50: size in body should be less than or equal to 5",
            ])
    }

    @Test("oneOf reports how many alternatives matched")
    func oneOf() {
        let schema = JSONSchemaProps(
            type: "object",
            properties: [
                "size": JSONSchemaProps(
                    type: "integer", oneOf: [JSONSchemaProps(minimum: 1), JSONSchemaProps(minimum: 2)])
            ])
        #expect(
            SchemaValidator(schema: schema).validate(["size": 3]).map(\.message) == [
                #"<nil>: Invalid value: "": "size" must validate one and only one schema (oneOf). Found 2 valid alternatives"#
            ])
    }

    @Test("additionalProperties false forbids unknown keys")
    func additionalPropertiesFalse() {
        let schema = JSONSchemaProps(
            type: "object", properties: ["spec": JSONSchemaProps(type: "object", additionalProperties: .bool(false))])
        #expect(
            SchemaValidator(schema: schema).validate(["spec": ["x": 1]]).map(\.message) == [
                #"spec: Invalid value: "x": spec.x in body is a forbidden property"#
            ])
    }

    @Test("list-type map rejects items that are not objects")
    func listMapItemsMustBeObjects() {
        #expect(
            validator.validate(widget(["ports": [["name": "a"], "b"]])).map(\.message).contains(
                #"spec.ports[1]: Invalid value: "b": must be an object for an array of list-type map"#))
    }
}

// MARK: - Pruning

@Suite("Pruning of unknown fields")
struct PruningTests {
    @Test("unknown fields are pruned and reported sorted; apiVersion, kind and metadata survive")
    func pruning() {
        var object = widget([
            "foo": 1,
            "ports": [["name": "http", "extra": true]],
            "config": ["anything": ["goes": 1]],
            "template": ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"], "spec": ["x": 1]],
        ])
        object["status"] = ["ready": true]
        object["metadata"] = ["name": "w1", "labels": ["a": "b"]]

        let unknown = validator.pruneUnknownFields(&object)

        #expect(unknown == ["spec.foo", "spec.ports[0].extra", "status"])
        #expect(object["status"] == nil)
        #expect(object["metadata"] == ["name": "w1", "labels": ["a": "b"]])
        #expect(object.value(at: ["spec", "config"]) == ["anything": ["goes": 1]])
        #expect(object.value(at: ["spec", "template", "spec"]) == ["x": 1])
        #expect(object.value(at: ["spec", "ports"]) == [["name": "http"]])
    }

    @Test("fieldValidation messages read like kube-apiserver's")
    func fieldValidationMessages() {
        #expect(SchemaValidator.unknownFieldMessage("spec.foo") == #"unknown field "spec.foo""#)
        #expect(
            SchemaValidator.strictDecodingMessage(unknownFields: ["spec.a", "spec.b"])
                == #"strict decoding error: unknown field "spec.a", unknown field "spec.b""#)
    }
}

// MARK: - Defaulting

@Suite("Defaulting")
struct DefaultingTests {
    @Test("admission drops non-nullable nulls, fills defaults recursively, prunes and validates")
    func admission() {
        let outcome = validator.admit(
            widget(["ports": [["name": "http"], ["name": "https", "port": nil]], "suspend": nil, "bogus": 1]))

        #expect(outcome.errors.isEmpty)
        #expect(outcome.unknownFields == ["spec.bogus"])
        #expect(outcome.object.value(at: ["spec", "replicas"]) == 1)
        #expect(outcome.object.value(at: ["spec", "suspend"]) == nil)
        #expect(
            outcome.object.value(at: ["spec", "ports"]) == [
                ["name": "http", "port": 80], ["name": "https", "port": 80],
            ])
    }

    @Test("defaults apply inside defaults and to additionalProperties values")
    func nestedDefaults() {
        let schema = JSONSchemaProps(
            type: "object",
            properties: [
                "spec": JSONSchemaProps(
                    type: "object", default: [:],
                    properties: ["level": JSONSchemaProps(type: "string", default: "info")]),
                "limits": JSONSchemaProps(
                    type: "object",
                    additionalProperties: .schema(
                        JSONSchemaProps(
                            type: "object", properties: ["max": JSONSchemaProps(type: "integer", default: 5)]))),
            ])
        var object: JSONValue = ["limits": ["cpu": [:], "mem": ["max": 1]]]
        SchemaValidator(schema: schema).applyDefaults(&object)
        #expect(object == ["spec": ["level": "info"], "limits": ["cpu": ["max": 5], "mem": ["max": 1]]])
    }

    @Test("a null in a non-nullable field with a default becomes the default; a nullable null stays")
    func nullHandling() {
        var object = widget(["replicas": nil, "note": nil])
        validator.pruneNonNullableNulls(&object)
        validator.applyDefaults(&object)
        #expect(object.value(at: ["spec", "replicas"]) == 1)
        #expect(object.value(at: ["spec", "note"]) == .null)
    }
}

// MARK: - Structural schema

struct StructuralCase: Sendable, CustomTestStringConvertible {
    var name: String
    var spec: JSONSchemaProps
    var messages: [String]
    var testDescription: String { name }
}

/// A CRD schema whose `spec` is `spec`.
private func crdSchema(
    spec: JSONSchemaProps, metadata: JSONSchemaProps = JSONSchemaProps(type: "object")
) -> JSONSchemaProps {
    JSONSchemaProps(type: "object", properties: ["metadata": metadata, "spec": spec])
}

@Suite("Structural schema checks on CRD create")
struct StructuralSchemaTests {
    static let cases: [StructuralCase] = [
        StructuralCase(
            name: "a structural schema", spec: widgetSchema.properties?["spec"] ?? JSONSchemaProps(), messages: []),
        StructuralCase(
            name: "a property without a type",
            spec: JSONSchemaProps(type: "object", properties: ["foo": JSONSchemaProps(description: "untyped")]),
            messages: [
                "\(crdPath).properties[spec].properties[foo].type: Required value: must not be empty for specified object fields"
            ]),
        StructuralCase(
            name: "array items without a type",
            spec: JSONSchemaProps(
                type: "object", properties: ["list": JSONSchemaProps(type: "array", items: JSONSchemaProps())]),
            messages: [
                "\(crdPath).properties[spec].properties[list].items.type: Required value: must not be empty for specified array items"
            ]),
        StructuralCase(
            name: "an array without items",
            spec: JSONSchemaProps(type: "object", properties: ["list": JSONSchemaProps(type: "array")]),
            messages: ["\(crdPath).properties[spec].properties[list].items: Required value: must be specified"]),
        StructuralCase(
            name: "properties together with additionalProperties",
            spec: JSONSchemaProps(
                type: "object", properties: ["a": JSONSchemaProps(type: "string")],
                additionalProperties: .schema(JSONSchemaProps(type: "string"))),
            messages: [
                "\(crdPath).properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive"
            ]),
        StructuralCase(
            name: "a type inside anyOf",
            spec: JSONSchemaProps(type: "object", anyOf: [JSONSchemaProps(type: "object")]),
            messages: ["\(crdPath).properties[spec].anyOf[0].type: Forbidden: must be empty to be structural"]),
        StructuralCase(
            name: "the int-or-string anyOf pattern",
            spec: JSONSchemaProps(
                type: "object",
                properties: [
                    "port": JSONSchemaProps(
                        anyOf: [JSONSchemaProps(type: "integer"), JSONSchemaProps(type: "string")], xIntOrString: true)
                ]),
            messages: []),
        StructuralCase(
            name: "an unsupported type",
            spec: JSONSchemaProps(type: "object", properties: ["a": JSONSchemaProps(type: "strnig")]),
            messages: [
                #"\#(crdPath).properties[spec].properties[a].type: Unsupported value: "strnig": supported values: "array", "boolean", "integer", "number", "object", "string""#
            ]),
        StructuralCase(
            name: "uniqueItems",
            spec: JSONSchemaProps(
                type: "object",
                properties: [
                    "a": JSONSchemaProps(type: "array", uniqueItems: true, items: JSONSchemaProps(type: "string"))
                ]),
            messages: [
                "\(crdPath).properties[spec].properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"
            ]),
        StructuralCase(
            name: "a list-type map without keys",
            spec: JSONSchemaProps(
                type: "object",
                properties: [
                    "a": JSONSchemaProps(type: "array", items: JSONSchemaProps(type: "object"), xListType: "map")
                ]),
            messages: [
                "\(crdPath).properties[spec].properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map"
            ]),
        StructuralCase(
            name: "a default that does not validate",
            spec: JSONSchemaProps(
                type: "object", properties: ["replicas": JSONSchemaProps(type: "integer", default: 20, maximum: 10)]),
            messages: [
                "\(crdPath).properties[spec].properties[replicas].default: Invalid value: 20:  in body should be less than or equal to 10"
            ]),
        StructuralCase(
            name: "a default with unknown fields",
            spec: JSONSchemaProps(
                type: "object", default: ["a": "x", "b": "y"], properties: ["a": JSONSchemaProps(type: "string")]),
            messages: [
                #"\#(crdPath).properties[spec].default: Invalid value: {"a":"x","b":"y"}: must not have unknown fields"#
            ]),
        StructuralCase(
            name: "an invalid pattern",
            spec: JSONSchemaProps(type: "object", properties: ["a": JSONSchemaProps(type: "string", pattern: "[a-z")]),
            messages: [
                #"\#(crdPath).properties[spec].properties[a].pattern: Invalid value: "[a-z": must be a valid regular expression, but isn't: error parsing regexp: missing closing ]: `[a-z`"#
            ]),
    ]

    @Test("CRD schemas get kube-apiserver's structural errors", arguments: cases)
    func structural(_ testCase: StructuralCase) {
        #expect(
            SchemaValidator.structuralErrors(of: crdSchema(spec: testCase.spec)).map(\.message) == testCase.messages)
    }

    @Test("metadata at the root may only restrict name and generateName")
    func metadataRestrictions() {
        let allowed = JSONSchemaProps(
            type: "object", properties: ["name": JSONSchemaProps(type: "string", maxLength: 20)])
        #expect(
            SchemaValidator.structuralErrors(of: crdSchema(spec: JSONSchemaProps(type: "object"), metadata: allowed))
                .isEmpty)

        let labels = JSONSchemaProps(type: "object", properties: ["labels": JSONSchemaProps(type: "object")])
        #expect(
            SchemaValidator.structuralErrors(of: crdSchema(spec: JSONSchemaProps(type: "object"), metadata: labels))
                .map(\.message) == [
                    "\(crdPath).properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"
                ])
    }

    @Test("a property named only inside the root's anyOf must also be specified structurally")
    func completeness() {
        var schema = crdSchema(spec: JSONSchemaProps(type: "object"))
        schema.anyOf = [
            JSONSchemaProps(required: ["status"], properties: ["status": JSONSchemaProps(maxProperties: 3)])
        ]
        #expect(
            SchemaValidator.structuralErrors(of: schema).map(\.message) == [
                "\(crdPath).properties[status]: Required value: because it is defined in \(crdPath).anyOf[0].properties[status]"
            ])
    }

    @Test("$ref, a missing root type and a nullable root are each reported")
    func rootProblems() {
        var schema = JSONSchemaProps(properties: ["spec": JSONSchemaProps(type: "object")], nullable: true)
        schema.properties?["spec"]?.ref = "#/definitions/Spec"
        #expect(
            SchemaValidator.structuralErrors(of: schema, at: FieldPath("spec", "validation", "openAPIV3Schema")).map(
                \.message) == [
                    "spec.validation.openAPIV3Schema.nullable: Forbidden: nullable cannot be true at the root",
                    "spec.validation.openAPIV3Schema.properties[spec].$ref: Forbidden: $ref is not supported",
                ])
    }
}

// MARK: - Field errors

struct RenderCase: Sendable, CustomTestStringConvertible {
    var error: FieldError
    var message: String
    var testDescription: String { message }
}

@Suite("Field error wording")
struct FieldErrorTests {
    static let cases: [RenderCase] = [
        RenderCase(error: .required(FieldPath("spec", "name")), message: "spec.name: Required value"),
        RenderCase(
            error: .required(FieldPath("spec").child("items").index(0).child("name"), "must be set"),
            message: "spec.items[0].name: Required value: must be set"),
        RenderCase(
            error: .invalid(FieldPath("metadata").child("labels").key("app"), "a b", "must be a label value"),
            message: #"metadata.labels[app]: Invalid value: "a b": must be a label value"#),
        RenderCase(
            error: .notSupported(FieldPath("spec", "mode"), "X", supported: ["Apply", "Plan"]),
            message: #"spec.mode: Unsupported value: "X": supported values: "Apply", "Plan""#),
        RenderCase(
            error: .duplicate(FieldPath("spec", "tags").index(1), 7), message: "spec.tags[1]: Duplicate value: 7"),
        RenderCase(error: .forbidden(FieldPath("spec", "x"), "disabled"), message: "spec.x: Forbidden: disabled"),
        RenderCase(error: .tooLong(FieldPath("a"), maxLength: 1), message: "a: Too long: may not be more than 1 byte"),
        RenderCase(error: .tooShort(FieldPath("a"), minLength: 2), message: "a: Too short: must be at least 2 bytes"),
        RenderCase(
            error: .tooMany(FieldPath("a"), actual: 4, max: 3), message: "a: Too many: 4: must have at most 3 items"),
        RenderCase(error: .tooMany(FieldPath("a"), actual: -1, max: -1), message: "a: Too many: too many items"),
        RenderCase(error: .invalid(nil, "", "boom"), message: #"<nil>: Invalid value: "": boom"#),
        RenderCase(error: .invalid(FieldPath("f"), 1e6, "x"), message: "f: Invalid value: 1e+06: x"),
        RenderCase(error: .invalid(FieldPath("f"), 123456.5, "x"), message: "f: Invalid value: 123456.5: x"),
        RenderCase(error: .invalid(FieldPath("f"), 0.00001, "x"), message: "f: Invalid value: 1e-05: x"),
        RenderCase(error: .invalid(FieldPath("f"), nil, "x"), message: "f: Invalid value: null: x"),
        RenderCase(
            error: .invalid(FieldPath("f"), ["b": [1, 2.5], "a": "<&>"], "x"),
            message: #"f: Invalid value: {"a":"\u003c\u0026\u003e","b":[1,2.5]}: x"#),
        RenderCase(
            error: .invalid(FieldPath("f"), "tab\there \"q\"", "x"), message: #"f: Invalid value: "tab\there \"q\"": x"#
        ),
    ]

    @Test("errors render as apimachinery's Error()", arguments: cases)
    func rendering(_ testCase: RenderCase) {
        #expect(testCase.error.message == testCase.message)
    }

    @Test("the status cause carries the reason, the body and the field")
    func statusCause() {
        let cause = FieldError.notSupported(FieldPath("spec", "mode"), "X", supported: ["Apply"]).statusCause
        #expect(
            cause
                == StatusCause(
                    reason: "FieldValueNotSupported", message: #"Unsupported value: "X": supported values: "Apply""#,
                    field: "spec.mode"))
    }

    @Test("the 422 message is plain for one error and bracketed for several")
    func invalidMessage() {
        let one = [FieldError.required(FieldPath("spec", "name"))]
        #expect(
            FieldError.invalidObjectMessage(kind: "Widget", group: "example.com", name: "w1", errors: one)
                == #"Widget.example.com "w1" is invalid: spec.name: Required value"#)
        let two = one + [.forbidden(FieldPath("spec", "x"), "nope"), .required(FieldPath("spec", "name"))]
        #expect(
            FieldError.invalidObjectMessage(kind: "ConfigMap", group: "", name: "c", errors: two)
                == #"ConfigMap "c" is invalid: [spec.name: Required value, spec.x: Forbidden: nope]"#)
    }

    @Test("every error type maps to its metav1 cause type")
    func causeTypes() {
        #expect(
            FieldError.ErrorType.allCases.map(\.causeType) == [
                "FieldValueNotFound", "FieldValueRequired", "FieldValueDuplicate", "FieldValueInvalid",
                "FieldValueNotSupported", "FieldValueForbidden", "FieldValueTooLong", "FieldValueTooMany",
                "InternalError",
                "FieldValueTypeInvalid", "FieldValueTooShort",
            ])
    }
}

// MARK: - Codable

@Suite("JSONSchemaProps coding")
struct JSONSchemaPropsCodingTests {
    @Test("a CRD schema round-trips with upstream field names and nothing added")
    func roundTrip() throws {
        let json = #"""
            {"type":"object","required":["spec"],"properties":{"spec":{"type":"object","description":"d",
            "x-kubernetes-validations":[{"rule":"self.a > 0","message":"positive","reason":"FieldValueForbidden"}],
            "properties":{"a":{"type":"integer","format":"int32","minimum":0,"exclusiveMinimum":true,"default":3},
            "b":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
            "c":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"set","maxItems":4},
            "d":{"type":"object","additionalProperties":{"type":"string"},"x-kubernetes-map-type":"granular"},
            "e":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"x-kubernetes-embedded-resource":true},
            "f":{"type":"string","enum":["x","y"],"pattern":"^[xy]$","nullable":true,"externalDocs":{"url":"https://e"}},
            "g":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}},
            "x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k"]},
            "h":{"type":"object","additionalProperties":false,"not":{"required":["z"]}}}}}}
            """#
        let original = try JSONValue(parsing: Data(json.utf8))
        let schema = try JSONCoding.fromJSON(JSONSchemaProps.self, original)
        #expect(try JSONCoding.toJSON(schema) == original)
        #expect(schema.properties?["spec"]?.properties?["c"]?.items?.type == "string")
        #expect(schema.properties?["spec"]?.properties?["h"]?.additionalProperties == .bool(false))
    }

    @Test("only set fields are encoded")
    func sparseEncoding() throws {
        #expect(try JSONCoding.toJSON(JSONSchemaProps(type: "string")) == ["type": "string"])
        #expect(
            try JSONCoding.toJSON(JSONSchemaProps(xPreserveUnknownFields: true)) == [
                "x-kubernetes-preserve-unknown-fields": true
            ])
    }
}
