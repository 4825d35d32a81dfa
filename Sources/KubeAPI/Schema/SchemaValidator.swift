import Foundation

/// Prunes, defaults and validates custom resources against a CRD version's structural
/// schema the way kube-apiserver (apiextensions-apiserver with kube-openapi) does, and checks
/// CRD schemas the way kube-apiserver checks them when a CRD is created.
///
/// Guarantees:
/// - Error paths and wording follow kube-apiserver: `spec.replicas: Invalid value: 11:
///   spec.replicas in body should be less than or equal to 10`, `spec.mode: Unsupported
///   value: "X": supported values: "Apply", "Plan"`, `spec.name: Required value`.
/// - Pruning keeps `apiVersion`, `kind` and `metadata` at the root and in embedded
///   resources, honours `x-kubernetes-preserve-unknown-fields`, and reports the pruned
///   paths sorted, as the server needs for `fieldValidation=Strict|Warn`.
///
/// Assumptions:
/// - The schema has passed ``structuralErrors(of:at:)``; a non-structural schema is
///   validated on a best-effort basis.
///
/// Caveats:
/// - Where kube-apiserver iterates Go maps (property order), errors here come in sorted
///   key order; kube-apiserver's own order varies from request to request.
/// - `x-kubernetes-validations` (CEL) rules are not evaluated, ObjectMeta of the root and
///   of embedded resources is not validated beyond `apiVersion`/`kind`, and patterns run
///   on NSRegularExpression rather than Go's RE2.
public struct SchemaValidator: Sendable, Hashable {
    /// The `openAPIV3Schema` of one CRD version.
    public let schema: JSONSchemaProps

    public init(schema: JSONSchemaProps) {
        self.schema = schema
    }

    /// What admitting an object did: the stored form, the fields pruned as unknown and
    /// the validation errors (empty when the object is valid).
    public struct Outcome: Sendable, Hashable {
        public var object: JSONValue
        /// Pruned paths, sorted, e.g. `spec.foo`, `spec.items[0].bar`.
        public var unknownFields: [String]
        public var errors: [FieldError]

        public init(object: JSONValue, unknownFields: [String], errors: [FieldError]) {
            self.object = object
            self.unknownFields = unknownFields
            self.errors = errors
        }
    }

    /// Runs the steps kube-apiserver applies to a create or update body, in its order:
    /// drop non-nullable nulls that have no default, apply defaults, prune unknown fields,
    /// validate.
    public func admit(_ object: JSONValue) -> Outcome {
        var object = object
        pruneNonNullableNulls(&object)
        applyDefaults(&object)
        let unknown = pruneUnknownFields(&object)
        return Outcome(object: object, unknownFields: unknown, errors: validate(object))
    }

    // MARK: Pruning

    /// Removes fields the schema does not specify and returns their paths, sorted.
    /// `apiVersion`, `kind` and `metadata` survive at the root.
    @discardableResult
    public func pruneUnknownFields(_ object: inout JSONValue) -> [String] {
        var pruner = Pruner()
        pruner.prune(&object, schema, isResourceRoot: true)
        return pruner.unknown.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The text of one `fieldValidation=Warn` warning, and of one entry of the
    /// `fieldValidation=Strict` error: `unknown field "spec.foo"`.
    public static func unknownFieldMessage(_ path: String) -> String {
        "unknown field \(GoFormat.quote(path))"
    }

    /// The `fieldValidation=Strict` error text for pruned fields:
    /// `strict decoding error: unknown field "spec.a", unknown field "spec.b"`.
    public static func strictDecodingMessage(unknownFields: [String]) -> String {
        "strict decoding error: " + unknownFields.map(unknownFieldMessage).joined(separator: ", ")
    }

    // MARK: Defaulting

    /// Removes `null` values of fields that are neither nullable nor defaulted
    /// (`PruneNonNullableNullsWithoutDefaults`), which kube-apiserver does before defaulting.
    public func pruneNonNullableNulls(_ object: inout JSONValue) {
        Defaulter.pruneNulls(&object, schema)
    }

    /// Applies `default`s to missing properties, recursively through properties,
    /// `additionalProperties` and array items; a `null` in a non-nullable field with a
    /// default is replaced by the default.
    public func applyDefaults(_ object: inout JSONValue) {
        Defaulter.apply(&object, schema)
    }

    // MARK: Validation

    /// Validates an object (after pruning and defaulting) and returns kube-apiserver's
    /// field errors: OpenAPI schema errors, embedded-resource `apiVersion`/`kind` errors,
    /// then `x-kubernetes-list-type` set/map duplicates.
    public func validate(_ object: JSONValue) -> [FieldError] {
        var errors = OpenAPIValidator.fieldErrors(schema, object, prefix: nil)
        errors += EmbeddedResourceValidator.errors(nil, object, schema)
        if case .object(let members) = object {
            errors += ListTypeValidator.errors(nil, schema, members)
        }
        return errors
    }

    // MARK: Structural schema

    /// The errors kube-apiserver reports for a CRD version's schema on create: API
    /// validation of the schema (unsupported keywords, list and map types, defaults in
    /// metadata…), the structural-schema rules and the validity of defaults.
    ///
    /// `path` is where the schema sits in the CRD, by default
    /// `spec.versions[0].schema.openAPIV3Schema`.
    public static func structuralErrors(
        of schema: JSONSchemaProps,
        at path: FieldPath = FieldPath("spec").child("versions").index(0).child("schema", "openAPIV3Schema")
    ) -> [FieldError] {
        StructuralChecks.errors(schema, path)
    }
}

// MARK: - Schema as kube-openapi sees it

extension JSONSchemaProps {
    /// The OpenAPI `type` list after conversion: int-or-string becomes `integer,string`.
    fileprivate var openAPITypes: [String] {
        if xIntOrString { return ["integer", "string"] }
        if let type, !type.isEmpty { return [type] }
        return []
    }

    /// The format after apiextensions strips the formats CRDs do not support.
    fileprivate var openAPIFormat: String {
        guard let format, !format.isEmpty else { return "" }
        let types = openAPITypes
        switch types.count == 1 ? types[0] : "" {
        case "", "string":
            return Formats.supported.contains(Formats.normalize(format)) ? format : ""
        case "integer":
            return format == "int32" || format == "int64" ? format : ""
        case "number":
            return format == "float" || format == "double" ? format : ""
        default:
            return ""
        }
    }

    fileprivate var preservesUnknownFields: Bool { xPreserveUnknownFields == true }
}

private let metaFields: Set<String> = ["apiVersion", "kind", "metadata"]

private func goSorted(_ keys: some Sequence<String>) -> [String] {
    keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

/// Dictionary entries in bytewise key order, so results do not depend on hashing.
private func sortedEntries<Value>(_ dictionary: [String: Value]?) -> [(key: String, value: Value)] {
    (dictionary ?? [:]).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
}

// MARK: - Pruning (apiextensions pruning.Prune)

private struct Pruner {
    var unknown: [String] = []

    mutating func prune(_ value: inout JSONValue, _ schema: JSONSchemaProps?, isResourceRoot: Bool) {
        prune(&value, schema, embedded: isResourceRoot || schema?.xEmbeddedResource == true, parent: "")
    }

    private mutating func record(_ parent: String, _ key: String) {
        unknown.append(parent.isEmpty ? key : parent + "." + key)
    }

    private func keyPath(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    private mutating func prune(_ value: inout JSONValue, _ schema: JSONSchemaProps?, embedded: Bool, parent: String) {
        if let schema, schema.preservesUnknownFields {
            skipPrune(&value, schema, embedded: embedded, parent: parent)
            return
        }
        switch value {
        case .object(var members):
            guard let schema else {
                for key in goSorted(members.keys) { record(parent, key) }
                value = .object([:])
                return
            }
            for (key, child) in sortedEntries(members) {
                if embedded && metaFields.contains(key) { continue }
                var child = child
                if let property = schema.properties?[key] {
                    prune(&child, property, embedded: property.xEmbeddedResource, parent: keyPath(parent, key))
                    members[key] = child
                } else if let additional = schema.additionalProperties {
                    let sub = additional.schema
                    prune(&child, sub, embedded: sub?.xEmbeddedResource == true, parent: keyPath(parent, key))
                    members[key] = child
                } else {
                    if !metaFields.contains(key) || !parent.isEmpty { record(parent, key) }
                    members[key] = nil
                }
            }
            value = .object(members)
        case .array(var items):
            let itemSchema = schema?.items
            for index in items.indices {
                prune(
                    &items[index], itemSchema, embedded: itemSchema?.xEmbeddedResource == true,
                    parent: parent + "[\(index)]")
            }
            value = .array(items)
        default:
            break
        }
    }

    private mutating func skipPrune(
        _ value: inout JSONValue, _ schema: JSONSchemaProps?, embedded: Bool, parent: String
    ) {
        guard let schema else { return }
        switch value {
        case .object(var members):
            for (key, child) in sortedEntries(members) {
                if embedded && metaFields.contains(key) { continue }
                var child = child
                if let property = schema.properties?[key] {
                    prune(&child, property, embedded: property.xEmbeddedResource, parent: keyPath(parent, key))
                } else if let additional = schema.additionalProperties {
                    let sub = additional.schema
                    prune(&child, sub, embedded: sub?.xEmbeddedResource == true, parent: keyPath(parent, key))
                }
                members[key] = child
            }
            value = .object(members)
        case .array(var items):
            let itemSchema = schema.items
            for index in items.indices {
                skipPrune(
                    &items[index], itemSchema, embedded: itemSchema?.xEmbeddedResource == true,
                    parent: parent + "[\(index)]")
            }
            value = .array(items)
        default:
            break
        }
    }
}

// MARK: - Defaulting (apiextensions defaulting.Default and PruneNonNullableNullsWithoutDefaults)

private enum Defaulter {
    static func pruneNulls(_ value: inout JSONValue, _ schema: JSONSchemaProps?) {
        switch value {
        case .object(var members):
            for (key, child) in sortedEntries(members) {
                let fieldSchema = schema.flatMap { $0.properties?[key] ?? $0.additionalProperties?.schema }
                if child == .null, let fieldSchema, !fieldSchema.nullable, fieldSchema.default == nil {
                    members[key] = nil
                } else {
                    var child = child
                    pruneNulls(&child, fieldSchema)
                    members[key] = child
                }
            }
            value = .object(members)
        case .array(var items):
            for index in items.indices { pruneNulls(&items[index], schema?.items) }
            value = .array(items)
        default:
            break
        }
    }

    static func apply(_ value: inout JSONValue, _ schema: JSONSchemaProps?) {
        guard let schema else { return }
        switch value {
        case .object(var members):
            for (key, property) in schema.properties ?? [:] {
                guard let fallback = property.default else { continue }
                if members[key] == nil || (members[key] == .null && !property.nullable) {
                    members[key] = fallback
                }
            }
            for (key, child) in sortedEntries(members) {
                var child = child
                if let property = schema.properties?[key] {
                    apply(&child, property)
                } else if let additional = schema.additionalProperties {
                    let sub = additional.schema
                    if child == .null, let sub, !sub.nullable {
                        child = sub.default ?? .null
                    }
                    apply(&child, sub)
                }
                members[key] = child
            }
            value = .object(members)
        case .array(var items):
            for index in items.indices {
                if items[index] == .null, let itemSchema = schema.items, !itemSchema.nullable {
                    items[index] = itemSchema.default ?? .null
                }
                apply(&items[index], schema.items)
            }
            value = .array(items)
        default:
            break
        }
    }
}

// MARK: - OpenAPI validation (kube-openapi validate.SchemaValidator)

/// One kube-openapi error before apiextensions turns it into a field error.
private struct OpenAPIProblem {
    enum Code {
        case invalidType, required, tooLong, tooShort, pattern, enumFail, multipleOf, maximum, minimum
        case unique, maxItems, minItems, tooFewProperties, tooManyProperties, unallowedProperty
        case multipleOfMustBePositive
        /// A plain `errors.New` error (anyOf/oneOf/allOf/not), reported on the root path.
        case composite
    }

    var code: Code
    /// kube-openapi's dotted path, e.g. `spec.items[0].name` (may start with a dot).
    var name: String
    /// Go's `Value`; nil is Go nil (also a JSON null).
    var value: JSONValue?
    /// Go's `Valid`: the limit for length and count errors.
    var limit: Int64?
    var enumValues: [JSONValue] = []
    var message: String

    init(_ code: Code, _ name: String, value: JSONValue? = nil, limit: Int64? = nil, _ message: String) {
        self.code = code
        self.name = name
        self.value = value == .null ? nil : value
        self.limit = limit
        self.message = message
    }

    /// apiextensions `kubeOpenAPIResultToFieldErrors`.
    func fieldError(prefix: FieldPath?) -> FieldError {
        if code == .composite {
            return .invalid(prefix, .string(""), message)
        }
        var path = prefix
        if !name.isEmpty && name != "." {
            path = prefix.child(name.hasPrefix(".") ? String(name.dropFirst()) : name)
        }
        switch code {
        case .required:
            return .required(path)
        case .enumFail:
            let allowed = enumValues.map { value -> String in
                if case .string(let s) = value { return s }
                return GoFormat.json(value)
            }
            return .notSupported(path, value ?? .null, supported: allowed)
        case .tooLong:
            return .tooLong(path, maxLength: Int(limit ?? -1))
        case .maxItems, .tooManyProperties:
            var actual = -1
            if case .int(let count)? = value { actual = Int(count) }
            return .tooMany(path, actual: actual, max: Int(limit ?? -1))
        case .invalidType:
            return .typeInvalid(path, value ?? .string(""), message)
        default:
            return .invalid(path, value ?? .string(""), message)
        }
    }
}

/// kube-openapi's `Result`: errors kept unique by message, plus the match count that
/// picks the most relevant failing branch of anyOf/oneOf.
private struct OpenAPIResult {
    var problems: [OpenAPIProblem] = []
    var matchCount = 0

    var isValid: Bool { problems.isEmpty }

    static func failure(_ problem: OpenAPIProblem) -> OpenAPIResult {
        var result = OpenAPIResult()
        result.problems = [problem]
        return result
    }

    mutating func add(_ problem: OpenAPIProblem) {
        if !problems.contains(where: { $0.message == problem.message }) { problems.append(problem) }
    }

    mutating func merge(_ other: OpenAPIResult?) {
        guard let other else { return }
        for problem in other.problems { add(problem) }
        matchCount += other.matchCount
    }
}

private enum OpenAPIValidator {
    static func fieldErrors(_ schema: JSONSchemaProps, _ data: JSONValue, prefix: FieldPath?) -> [FieldError] {
        validate(schema, data, path: "").problems.map { $0.fieldError(prefix: prefix) }
    }

    private static func body(_ name: String, _ text: String) -> String { "\(name) in body \(text)" }

    static func validate(_ schema: JSONSchemaProps, _ data: JSONValue, path: String) -> OpenAPIResult {
        var result = OpenAPIResult()
        let types = schema.openAPITypes
        let format = schema.openAPIFormat
        let typeApplies = !types.isEmpty || !format.isEmpty

        if data == .null {
            if typeApplies { result.merge(checkType(schema, types, format, data, path)) }
            result.merge(checkEnum(schema, data, path))
            return result
        }

        if typeApplies {
            result.merge(checkType(schema, types, format, data, path))
            result.matchCount += 1
        }
        result.merge(checkCombinators(schema, data, path))
        result.matchCount += 1
        if case .string(let text) = data {
            result.merge(checkString(schema, text, path))
            result.matchCount += 1
            if !format.isEmpty, Formats.supported.contains(Formats.normalize(format)) {
                if !Formats.isValid(format, text) {
                    result.merge(
                        .failure(
                            OpenAPIProblem(
                                .invalidType, path, value: data,
                                body(path, "must be of type \(format): \(GoFormat.quote(text))"))))
                }
                result.matchCount += 1
            }
        }
        switch data {
        case .int, .double:
            result.merge(checkNumber(schema, data, path))
            result.matchCount += 1
        case .array(let items):
            result.merge(checkArray(schema, items, path))
            result.matchCount += 1
        default:
            break
        }
        result.merge(checkEnum(schema, data, path))
        result.matchCount += 1
        if case .object(let members) = data {
            result.merge(checkObject(schema, members, path))
            result.matchCount += 1
        }
        result.matchCount += 1
        return result
    }

    // kube-openapi typeValidator.
    private static func checkType(
        _ schema: JSONSchemaProps, _ types: [String], _ format: String, _ data: JSONValue, _ path: String
    ) -> OpenAPIResult {
        func failure(_ expected: String, _ actual: String) -> OpenAPIResult {
            .failure(
                OpenAPIProblem(
                    .invalidType, path, value: .string(actual),
                    body(path, "must be of type \(expected): \(GoFormat.quote(actual))")))
        }
        var ok = OpenAPIResult()
        ok.matchCount = 1
        let (actualType, actualFormat): (String, String) =
            switch data {
            case .null: ("null", "")
            case .bool: ("boolean", "")
            case .string: ("string", "")
            case .int: ("integer", "int64")
            case .double: ("number", "float64")
            case .array: ("array", "")
            case .object: ("object", "")
            }
        if data == .null {
            if !types.isEmpty && !types.contains("null") && !schema.nullable {
                return failure(types.joined(separator: ","), "null")
            }
            return ok
        }
        var isFloatInt = false
        if case .double(let d) = data { isFloatInt = isJSONInteger(d) && types.contains("integer") }
        let isIntFloat = actualType == "integer" && types.contains("number")
        let isStringOrArray: Bool
        switch data {
        case .string, .array: isStringOrArray = true
        default: isStringOrArray = false
        }
        if !isStringOrArray && !format.isEmpty
            && !(types.contains(actualType) || actualFormat == format || isFloatInt || isIntFloat)
        {
            return failure(format, actualFormat)
        }
        if !(types.contains("number") || types.contains("integer")) && !format.isEmpty && isStringOrArray {
            return ok
        }
        if !(types.contains(actualType) || isFloatInt || isIntFloat) {
            return failure(types.joined(separator: ","), actualType)
        }
        return ok
    }

    // kube-openapi schemaPropsValidator: allOf, oneOf, anyOf, not.
    private static func checkCombinators(_ schema: JSONSchemaProps, _ data: JSONValue, _ path: String) -> OpenAPIResult
    {
        var main = OpenAPIResult()
        func composite(_ message: String) -> OpenAPIProblem { OpenAPIProblem(.composite, path, message) }

        if let anyOf = schema.anyOf, !anyOf.isEmpty {
            var best: OpenAPIResult?
            var firstSuccess: OpenAPIResult?
            var succeeded = false
            for branch in anyOf {
                let result = validate(branch, data, path: path)
                if result.isValid {
                    best = nil
                    succeeded = true
                    firstSuccess = firstSuccess ?? result
                    break
                }
                if result.matchCount > best?.matchCount ?? Int.min { best = result }
            }
            if !succeeded {
                main.add(composite("\(GoFormat.quote(path)) must validate at least one schema (anyOf)"))
            }
            if let best { main.merge(best) } else if let firstSuccess { main.merge(firstSuccess) }
        }

        if let oneOf = schema.oneOf, !oneOf.isEmpty {
            var best: OpenAPIResult?
            var firstSuccess: OpenAPIResult?
            var validated = 0
            for branch in oneOf {
                let result = validate(branch, data, path: path)
                if result.isValid {
                    validated += 1
                    best = nil
                    firstSuccess = firstSuccess ?? result
                    continue
                }
                if validated == 0 && result.matchCount > best?.matchCount ?? Int.min { best = result }
            }
            if validated != 1 {
                let detail = validated == 0 ? "Found none valid" : "Found \(validated) valid alternatives"
                main.add(composite("\(GoFormat.quote(path)) must validate one and only one schema (oneOf). \(detail)"))
                if let best { main.merge(best) }
            } else if let firstSuccess {
                main.merge(firstSuccess)
            }
        }

        if let allOf = schema.allOf, !allOf.isEmpty {
            var validated = 0
            for branch in allOf {
                let result = validate(branch, data, path: path)
                if result.isValid { validated += 1 }
                main.merge(result)
            }
            if validated != allOf.count {
                let detail = validated == 0 ? ". None validated" : ""
                main.add(composite("\(GoFormat.quote(path)) must validate all the schemas (allOf)\(detail)"))
            }
        }

        if let not = schema.not, validate(not, data, path: path).isValid {
            main.add(composite("\(GoFormat.quote(path)) must not validate the schema (not)"))
        }

        main.matchCount += 1
        return main
    }

    // kube-openapi stringValidator: the first failing of maxLength, minLength, pattern.
    private static func checkString(_ schema: JSONSchemaProps, _ text: String, _ path: String) -> OpenAPIResult? {
        let length = Int64(text.unicodeScalars.count)
        if let maxLength = schema.maxLength, length > maxLength {
            return .failure(
                OpenAPIProblem(
                    .tooLong, path, value: .string(text), limit: maxLength,
                    body(path, "should be at most \(maxLength) chars long")))
        }
        if let minLength = schema.minLength, length < minLength {
            return .failure(
                OpenAPIProblem(
                    .tooShort, path, value: .string(text), limit: minLength,
                    body(path, "should be at least \(minLength) chars long")))
        }
        if let pattern = schema.pattern, !pattern.isEmpty {
            switch Patterns.matches(pattern, text) {
            case .success(true):
                break
            case .success(false):
                return .failure(
                    OpenAPIProblem(.pattern, path, value: .string(text), body(path, "should match '\(pattern)'")))
            case .failure(let error):
                return .failure(
                    OpenAPIProblem(
                        .pattern, path, value: .string(text),
                        body(path, "should match '\(pattern), but pattern is invalid: \(error.message)'")))
            }
        }
        return nil
    }

    // kube-openapi numberValidator, which compares integers natively (bounds truncated to int64).
    private static func checkNumber(_ schema: JSONSchemaProps, _ data: JSONValue, _ path: String) -> OpenAPIResult {
        var multiple = OpenAPIResult()
        var minimum = OpenAPIResult()
        var maximum = OpenAPIResult()
        let asDouble = data.doubleValue ?? 0
        var asInt: Int64?
        if case .int(let i) = data { asInt = i }

        if let factor = schema.multipleOf {
            if let value = asInt, truncated(factor) != 0 {
                let intFactor = truncated(factor)
                if intFactor < 0 {
                    multiple.add(
                        OpenAPIProblem(
                            .multipleOfMustBePositive, path, value: .int(intFactor),
                            "factor MultipleOf declared for \(path) must be positive: \(intFactor)"))
                } else if (value / intFactor) &* intFactor != value {
                    multiple.add(
                        OpenAPIProblem(
                            .multipleOf, path, value: data, body(path, "should be a multiple of \(intFactor)")))
                }
            } else if factor < 0 {
                multiple.add(
                    OpenAPIProblem(
                        .multipleOfMustBePositive, path, value: .double(factor),
                        "factor MultipleOf declared for \(path) must be positive: \(GoFormat.float(factor))"))
            } else {
                let quotient = factor < 1 ? 1 / factor * asDouble : asDouble / factor
                if !isJSONInteger(quotient) {
                    multiple.add(
                        OpenAPIProblem(
                            .multipleOf, path, value: .double(asDouble),
                            body(path, "should be a multiple of \(GoFormat.float(factor))")))
                }
            }
        }

        if let bound = schema.minimum {
            let exclusive = schema.exclusiveMinimum
            let relation = exclusive ? "should be greater than" : "should be greater than or equal to"
            if let value = asInt {
                let limit = truncated(bound)
                if exclusive ? value <= limit : value < limit {
                    minimum.add(OpenAPIProblem(.minimum, path, value: data, body(path, "\(relation) \(limit)")))
                }
            } else if exclusive ? asDouble <= bound : asDouble < bound {
                minimum.add(
                    OpenAPIProblem(.minimum, path, value: data, body(path, "\(relation) \(GoFormat.float(bound))")))
            }
        }

        if let bound = schema.maximum {
            let exclusive = schema.exclusiveMaximum
            let relation = exclusive ? "should be less than" : "should be less than or equal to"
            if let value = asInt {
                let limit = truncated(bound)
                if exclusive ? value >= limit : value > limit {
                    maximum.add(OpenAPIProblem(.maximum, path, value: data, body(path, "\(relation) \(limit)")))
                }
            } else if exclusive ? asDouble >= bound : asDouble > bound {
                maximum.add(
                    OpenAPIProblem(.maximum, path, value: data, body(path, "\(relation) \(GoFormat.float(bound))")))
            }
        }

        var result = OpenAPIResult()
        result.merge(multiple)
        result.merge(minimum)
        result.merge(maximum)
        result.matchCount += 1
        return result
    }

    // kube-openapi schemaSliceValidator.
    private static func checkArray(_ schema: JSONSchemaProps, _ items: [JSONValue], _ path: String) -> OpenAPIResult {
        var result = OpenAPIResult()
        if let itemSchema = schema.items {
            for (index, item) in items.enumerated() {
                result.merge(validate(itemSchema, item, path: "\(path)[\(index)]"))
            }
        } else if let tuple = schema.itemsArray {
            for (index, itemSchema) in tuple.enumerated() where index < items.count {
                result.merge(validate(itemSchema, items[index], path: "\(path)[\(index)]"))
            }
        }
        let size = Int64(items.count)
        if let minItems = schema.minItems, size < minItems {
            result.add(
                OpenAPIProblem(
                    .minItems, path, value: .int(size), limit: minItems,
                    body(path, "should have at least \(minItems) items")))
        }
        if let maxItems = schema.maxItems, size > maxItems {
            result.add(
                OpenAPIProblem(
                    .maxItems, path, value: .int(size), limit: maxItems,
                    body(path, "should have at most \(maxItems) items")))
        }
        if schema.uniqueItems {
            var seen: [JSONValue] = []
            for item in items {
                if seen.contains(item) {
                    result.add(OpenAPIProblem(.unique, path, body(path, "shouldn't contain duplicates")))
                    break
                }
                seen.append(item)
            }
        }
        result.matchCount += 1
        return result
    }

    // kube-openapi basicCommonValidator: enum membership with Go's type conversions.
    private static func checkEnum(_ schema: JSONSchemaProps, _ data: JSONValue, _ path: String) -> OpenAPIResult? {
        guard let values = schema.enum, !values.isEmpty else { return nil }
        if values.contains(where: { enumMatches(data, $0) }) { return nil }
        var problem = OpenAPIProblem(
            .enumFail, path, value: data, body(path, "should be one of \(GoFormat.json(.array(values)))"))
        problem.enumValues = values
        return .failure(problem)
    }

    /// `reflect.DeepEqual(reflect.ValueOf(data).Convert(typeOf(enumValue)), enumValue)`.
    private static func enumMatches(_ data: JSONValue, _ allowed: JSONValue) -> Bool {
        switch (data, allowed) {
        case (.null, _), (_, .null): return false
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .string(let b)):
            let scalar = UInt32(exactly: a).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
            return String(scalar) == b
        case (.int(let a), .int(let b)): return a == b
        case (.int(let a), .double(let b)): return Double(a) == b
        case (.double(let a), .int(let b)): return truncated(a) == b
        case (.double(let a), .double(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.array, .array), (.object, .object): return data == allowed
        default: return false
        }
    }

    // kube-openapi objectValidator.
    private static func checkObject(
        _ schema: JSONSchemaProps, _ members: [String: JSONValue], _ path: String
    ) -> OpenAPIResult {
        let count = Int64(members.count)
        if let minProperties = schema.minProperties, count < minProperties {
            return .failure(
                OpenAPIProblem(
                    .tooFewProperties, path, value: .int(count), limit: minProperties,
                    body(path, "should have at least \(minProperties) properties")))
        }
        if let maxProperties = schema.maxProperties, count > maxProperties {
            return .failure(
                OpenAPIProblem(
                    .tooManyProperties, path, value: .int(count), limit: maxProperties,
                    body(path, "should have at most \(maxProperties) properties")))
        }
        var result = OpenAPIResult()
        let properties = schema.properties ?? [:]
        if let additional = schema.additionalProperties, !additional.allows {
            for key in goSorted(members.keys) where properties[key] == nil {
                result.add(
                    OpenAPIProblem(
                        .unallowedProperty, path, value: .string(key), "\(path).\(key) in body is a forbidden property")
                )
            }
        } else if let additionalSchema = schema.additionalProperties?.schema {
            for (key, value) in sortedEntries(members) where properties[key] == nil {
                result.merge(validate(additionalSchema, value, path: path + "." + key))
            }
        }
        for name in goSorted(properties.keys) {
            guard let value = members[name], let property = properties[name] else { continue }
            result.merge(validate(property, value, path: path.isEmpty ? name : path + "." + name))
        }
        for key in schema.required ?? [] where members[key] == nil {
            result.add(OpenAPIProblem(.required, path + "." + key, body(path + "." + key, "is required")))
        }
        return result
    }

    /// go-openapi `swag.IsFloat64AJSONInteger` (as it behaves on amd64).
    static func isJSONInteger(_ f: Double) -> Bool {
        let limit = 9_007_199_254_740_991.0
        guard f.isFinite, f >= -limit, f <= limit else { return false }
        let whole = f.rounded(.towardZero)
        if f == whole { return true }
        if f < 0 || whole == 0 { return false }
        return (f - whole) / (f + whole) < 1e-9
    }
}

/// Go's `int64(f)` conversion, clamped instead of undefined out of range.
private func truncated(_ f: Double) -> Int64 {
    if f.isNaN { return 0 }
    if f >= 9.223372036854775807e18 { return .max }
    if f <= -9.223372036854775808e18 { return .min }
    return Int64(f.rounded(.towardZero))
}

// MARK: - Regular expressions

private enum Patterns {
    struct CompileError: Error {
        var message: String
    }

    static func matches(_ pattern: String, _ text: String) -> Result<Bool, CompileError> {
        if let message = goSyntaxError(pattern) { return .failure(CompileError(message: message)) }
        guard let regex = try? NSRegularExpression(pattern: pattern) else {
            return .failure(CompileError(message: "error parsing regexp: invalid pattern: `\(pattern)`"))
        }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return .success(regex.firstMatch(in: text, range: range) != nil)
    }

    /// The error Go's regexp.Compile gives for the common mistakes and for the ECMA
    /// features RE2 lacks, worded as Go words them; nil when the pattern looks fine.
    static func goSyntaxError(_ pattern: String) -> String? {
        let chars = Array(pattern)
        var depth = 0
        var index = 0
        while index < chars.count {
            let c = chars[index]
            switch c {
            case "\\":
                if index + 1 < chars.count, chars[index + 1].isNumber, chars[index + 1] != "0" {
                    return "error parsing regexp: invalid escape sequence: `\\\(chars[index + 1])`"
                }
                index += 2
                continue
            case "[":
                var end = index + 1
                if end < chars.count && chars[end] == "^" { end += 1 }
                if end < chars.count && chars[end] == "]" { end += 1 }
                while end < chars.count && chars[end] != "]" {
                    if chars[end] == "\\" { end += 1 }
                    end += 1
                }
                if end >= chars.count {
                    return "error parsing regexp: missing closing ]: `\(String(chars[index...]))`"
                }
                index = end + 1
                continue
            case "(":
                if index + 2 < chars.count, chars[index + 1] == "?" {
                    let next = chars[index + 2]
                    if next == "=" || next == "!"
                        || (next == "<" && index + 3 < chars.count
                            && (chars[index + 3] == "=" || chars[index + 3] == "!"))
                    {
                        let end = min(chars.count, index + (next == "<" ? 4 : 3))
                        return
                            "error parsing regexp: invalid or unsupported Perl syntax: `\(String(chars[index..<end]))`"
                    }
                    // A group with flags or `?:`: the `?` is not a repetition operator.
                    depth += 1
                    index += 2
                    continue
                }
                depth += 1
            case ")":
                if depth == 0 { return "error parsing regexp: unexpected ): `\(pattern)`" }
                depth -= 1
            case "*", "+", "?":
                let previous = index > 0 ? chars[index - 1] : nil
                if previous == nil || previous == "(" || previous == "|" {
                    return "error parsing regexp: missing argument to repetition operator: `\(c)`"
                }
            default:
                break
            }
            index += 1
        }
        if depth > 0 { return "error parsing regexp: missing closing ): `\(pattern)`" }
        return nil
    }
}

// MARK: - Formats (kube-openapi strfmt, as far as CRDs support them)

private enum Formats {
    /// The formats apiextensions keeps (`StripUnsupportedFormatsPostProcess`), normalized.
    static let supported: Set<String> = [
        "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4",
        "uuid5", "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "byte", "password",
        "date", "duration", "datetime", "quantity",
    ]

    /// go-openapi's registry name normalization: dashes are dropped (`date-time` is `datetime`).
    static func normalize(_ name: String) -> String { name.replacingOccurrences(of: "-", with: "") }

    /// Whether `text` has the format; formats not checked here are accepted.
    static func isValid(_ format: String, _ text: String) -> Bool {
        switch normalize(format) {
        case "datetime": return isDateTime(text)
        case "date": return isDate(text)
        case "byte":
            return matches(#"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$"#, text)
        case "uuid": return matches(#"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$"#, text)
        case "uuid3": return matches(#"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$"#, text)
        case "uuid4":
            return matches(#"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$"#, text)
        case "uuid5":
            return matches(#"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$"#, text)
        case "ipv4": return isIPv4(text)
        case "ipv6": return text.contains(":") && isIPv6(text)
        case "cidr": return isCIDR(text)
        case "hostname": return isHostname(text)
        case "mac": return isMAC(text)
        case "hexcolor": return matches(#"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"#, text)
        default: return true
        }
    }

    private static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
    }

    /// Go `time.Parse("2006-01-02", s)`.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// strfmt `IsDateTime`: a date, a `t`, and `hh:mm:ss[.frac](z|±hh:mm)`.
    static func isDateTime(_ text: String) -> Bool {
        guard text.count >= 4 else { return false }
        let parts = text.lowercased().split(separator: "t", omittingEmptySubsequences: false)
        guard parts.count >= 2, isDate(String(parts[0])) else { return false }
        let time = String(parts[1])
        guard
            let regex = try? NSRegularExpression(
                pattern: #"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$"#),
            let match = regex.firstMatch(in: time, range: NSRange(time.startIndex..<time.endIndex, in: time)),
            let hour = Range(match.range(at: 1), in: time), let minute = Range(match.range(at: 2), in: time),
            let second = Range(match.range(at: 3), in: time)
        else { return false }
        return time[hour] <= "23" && time[minute] <= "59" && time[second] <= "59"
    }

    /// Go `net.ParseIP` for dotted quads: four decimal fields up to 255, no leading zeros.
    static func isIPv4(_ text: String) -> Bool {
        let fields = text.split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 4 else { return false }
        return fields.allSatisfy { field in
            guard !field.isEmpty, field.count <= 3, field.allSatisfy({ $0.isASCII && $0.isNumber }),
                !(field.count > 1 && field.first == "0"), let value = Int(field)
            else { return false }
            return value <= 255
        }
    }

    /// Go `net.ParseIP` for IPv6 text, including `::` and a trailing dotted quad.
    static func isIPv6(_ text: String) -> Bool {
        var body = Substring(text)
        var groups = 0
        var sawDoubleColon = false
        if body.hasPrefix("::") {
            sawDoubleColon = true
            body = body.dropFirst(2)
            if body.isEmpty { return true }
        } else if body.hasPrefix(":") {
            return false
        }
        let pieces = body.split(separator: ":", omittingEmptySubsequences: false)
        for (offset, piece) in pieces.enumerated() {
            if piece.isEmpty {
                // An empty piece is the second colon of "::"; only one is allowed, and not at the end.
                if sawDoubleColon || offset == 0 || offset == pieces.count - 1 { return false }
                sawDoubleColon = true
                continue
            }
            if offset == pieces.count - 1, piece.contains(".") {
                guard isIPv4(String(piece)) else { return false }
                groups += 2
                continue
            }
            guard piece.count <= 4, piece.allSatisfy(\.isHexDigit) else { return false }
            groups += 1
        }
        if body.hasSuffix(":") && !body.hasSuffix("::") { return false }
        return sawDoubleColon ? groups < 8 : groups == 8
    }

    /// Go `net.ParseCIDR`.
    static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            !(parts[1].count > 1 && parts[1].first == "0"), let bits = Int(parts[1])
        else { return false }
        let address = String(parts[0])
        if isIPv4(address) { return bits <= 32 }
        if address.contains(":") && isIPv6(address) { return bits <= 128 }
        return false
    }

    /// strfmt `IsHostname`.
    static func isHostname(_ text: String) -> Bool {
        let pattern =
            #"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z0-9\p{S}\p{L}])(-?[a-zA-Z0-9\p{S}\p{L}]){1,62})$"#
        guard matches(pattern, text), text.utf8.count <= 255 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 63 }
    }

    /// Go `net.ParseMAC`: 6, 8 or 20 octets separated by `:` or `-`, or dotted groups of four.
    static func isMAC(_ text: String) -> Bool {
        for separator in [":", "-"] {
            let octets = text.components(separatedBy: separator)
            if [6, 8, 20].contains(octets.count),
                octets.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) })
            {
                return true
            }
        }
        let groups = text.components(separatedBy: ".")
        return [3, 4, 10].contains(groups.count) && groups.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }
    }
}

// MARK: - x-kubernetes-list-type (apiextensions listtype.ValidateListSetsAndMaps)

private enum ListTypeValidator {
    static func errors(_ path: FieldPath?, _ schema: JSONSchemaProps, _ members: [String: JSONValue]) -> [FieldError] {
        var errors: [FieldError] = []
        if let additional = schema.additionalProperties?.schema {
            for (key, value) in sortedEntries(members) {
                errors += check(path.key(key), additional, value)
            }
        }
        if let properties = schema.properties {
            for (key, value) in sortedEntries(members) {
                if let property = properties[key] { errors += check(path.child(key), property, value) }
            }
        }
        return errors
    }

    private static func check(_ path: FieldPath, _ schema: JSONSchemaProps, _ value: JSONValue) -> [FieldError] {
        switch value {
        case .array(let items): return checkArray(path, schema, items)
        case .object(let members): return errors(path, schema, members)
        default: return []
        }
    }

    private static func checkArray(_ path: FieldPath, _ schema: JSONSchemaProps, _ items: [JSONValue]) -> [FieldError] {
        var errors: [FieldError] = []
        switch schema.xListType {
        case "set":
            for index in duplicateIndices(items) { errors.append(.duplicate(path.index(index), items[index])) }
        case "map":
            errors += checkMap(path, schema, items)
        default:
            break
        }
        if let itemSchema = schema.items {
            for (index, item) in items.enumerated() { errors += check(path.index(index), itemSchema, item) }
        }
        return errors
    }

    /// The index of the second appearance of every value that appears more than once.
    private static func duplicateIndices<T: Hashable>(_ items: [T]) -> [Int] {
        guard items.count > 1 else { return [] }
        var seen: [T: Int] = [:]
        var indices: [Int] = []
        for (index, item) in items.enumerated() {
            let times = seen[item, default: 0]
            seen[item] = times + 1
            if times == 1 { indices.append(index) }
        }
        return indices
    }

    private enum MapKey: Hashable {
        case unspecified
        case value(JSONValue)
    }

    private static func checkMap(_ path: FieldPath, _ schema: JSONSchemaProps, _ items: [JSONValue]) -> [FieldError] {
        for (index, item) in items.enumerated() {
            switch item {
            case .null, .object: continue
            default: return [.invalid(path.index(index), item, "must be an object for an array of list-type map")]
            }
        }
        guard items.count > 1 else { return [] }
        let keyFields = schema.xListMapKeys ?? []
        if keyFields.count == 1 {
            let keyField = keyFields[0]
            let keys: [MapKey] = items.map { item in
                guard case .object(let members) = item, let key = members[keyField] else { return .unspecified }
                return .value(key)
            }
            return duplicateIndices(keys).map { index in
                switch keys[index] {
                case .unspecified: .duplicate(path.index(index), .object([:]))
                case .value(let key): .duplicate(path.index(index), .object([keyField: key]))
                }
            }
        }
        let keys: [JSONValue] = items.map { item in
            guard case .object(let members) = item else { return .object([:]) }
            var key: JSONObject = [:]
            for field in keyFields { if let value = members[field] { key[field] = value } }
            return .object(key)
        }
        return duplicateIndices(keys).map { .duplicate(path.index($0), keys[$0]) }
    }
}

extension Optional where Wrapped == FieldPath {
    fileprivate func key(_ key: String) -> FieldPath {
        switch self {
        case .some(let path): path.key(key)
        // A subscript on a nil Go path renders as just `[key]`.
        case .none: FieldPath("").key(key)
        }
    }
}

// MARK: - Embedded resources (apiextensions objectmeta.Validate, TypeMeta part)

private enum EmbeddedResourceValidator {
    static func errors(_ path: FieldPath?, _ value: JSONValue, _ schema: JSONSchemaProps?) -> [FieldError] {
        guard let schema else { return [] }
        var errors: [FieldError] = []
        switch value {
        case .object(let members):
            if schema.xEmbeddedResource { errors += typeMetaErrors(path, members) }
            for (key, value) in sortedEntries(members) {
                if let property = schema.properties?[key] {
                    errors += self.errors(path.child(key), value, property)
                } else if let additional = schema.additionalProperties {
                    errors += self.errors(path.key(key), value, additional.schema)
                }
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                errors += self.errors(path.map { $0.index(index) } ?? FieldPath("").index(index), item, schema.items)
            }
        default:
            break
        }
        return errors
    }

    private static func typeMetaErrors(_ path: FieldPath?, _ members: [String: JSONValue]) -> [FieldError] {
        var errors: [FieldError] = []
        if members["apiVersion"] == nil { errors.append(.required(path.child("apiVersion"))) }
        if members["kind"] == nil { errors.append(.required(path.child("kind"))) }
        for (key, value) in sortedEntries(members) {
            switch key {
            case "apiVersion":
                guard case .string(let apiVersion) = value else {
                    errors.append(.invalid(path.child("apiVersion"), value, "must be a string"))
                    continue
                }
                if apiVersion.isEmpty {
                    errors.append(.required(path.child("apiVersion")))
                } else if apiVersion.split(separator: "/", omittingEmptySubsequences: false).count > 2 {
                    errors.append(
                        .invalid(path.child("apiVersion"), value, "unexpected GroupVersion string: \(apiVersion)"))
                }
            case "kind":
                guard case .string(let kind) = value else {
                    errors.append(.invalid(path.child("kind"), value, "must be a string"))
                    continue
                }
                if kind.isEmpty {
                    errors.append(.required(path.child("kind")))
                } else if let problem = dns1035LabelError(kind.lowercased()) {
                    errors.append(
                        .invalid(
                            path.child("kind"), value, "may have mixed case, but should otherwise match: " + problem))
                }
            default:
                break
            }
        }
        return errors
    }

    /// apimachinery `IsDNS1035Label` messages, joined with commas.
    private static func dns1035LabelError(_ value: String) -> String? {
        var problems: [String] = []
        if value.count > 63 { problems.append("must be no more than 63 characters") }
        let valid = value.range(of: "^[a-z]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil
        if !valid {
            problems.append(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            )
        }
        return problems.isEmpty ? nil : problems.joined(separator: ",")
    }
}

// MARK: - CRD schema checks (apiextensions validation + structural schema + defaults)

private enum StructuralChecks {
    static func errors(_ schema: JSONSchemaProps, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if schema.nullable {
            errors.append(.forbidden(path.child("nullable"), "nullable cannot be true at the root"))
        }
        let conversionError = conversionError(schema)
        if conversionError == nil {
            var structural = invariants(schema, .root, path) + completeness(schema, path)
            structural.sort { $0.message.utf8.lexicographicallyPrecedes($1.message.utf8) }
            if !structural.isEmpty {
                errors += structural
            } else {
                var root = schema
                root.xEmbeddedResource = true
                errors += defaultErrors(path, root, insideMeta: false)
            }
        }
        errors += APISchemaChecks(isRoot: true).errors(schema, path)
        if errors.isEmpty, let conversionError {
            errors.append(.invalid(path, .string(""), conversionError))
        }
        return errors
    }

    // MARK: NewStructural

    /// The error `NewStructural` returns for keywords a structural schema cannot hold.
    private static func conversionError(_ s: JSONSchemaProps) -> String? {
        if s.id != nil { return "OpenAPIV3Schema 'id' is not supported" }
        if s.schemaURI != nil { return "OpenAPIV3Schema 'schema' is not supported" }
        if let ref = s.ref, !ref.isEmpty { return "OpenAPIV3Schema '$ref' is not supported" }
        if !(s.patternProperties ?? [:]).isEmpty { return "OpenAPIV3Schema 'patternProperties' is not supported" }
        if !(s.dependencies ?? [:]).isEmpty { return "OpenAPIV3Schema 'dependencies' is not supported" }
        if s.additionalItems != nil { return "OpenAPIV3Schema 'additionalItems' is not supported" }
        if !(s.definitions ?? [:]).isEmpty { return "OpenAPIV3Schema 'definitions' is not supported" }
        if s.xPreserveUnknownFields == false {
            return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined"
        }
        if let tuple = s.itemsArray, !tuple.isEmpty {
            return "OpenAPIV3Schema 'items' must be a schema, but is an array"
        }
        var children: [JSONSchemaProps] = []
        if let items = s.items { children.append(items) }
        if let not = s.not { children.append(not) }
        if let schema = s.additionalProperties?.schema { children.append(schema) }
        children += (s.allOf ?? []) + (s.anyOf ?? []) + (s.oneOf ?? [])
        children += sortedEntries(s.properties).map(\.value)
        for child in children {
            if let error = conversionError(child) { return error }
        }
        return nil
    }

    // MARK: ValidateStructural

    private enum Level { case root, item, field }

    private static func invariants(_ s: JSONSchemaProps, _ level: Level, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let type = s.type ?? ""
        if type == "array" && s.items == nil {
            errors.append(.required(path.child("items"), "must be specified"))
        }
        if let items = s.items { errors += invariants(items, .item, path.child("items")) }
        for (key, property) in sortedEntries(s.properties) {
            errors += invariants(property, .field, path.child("properties").key(key))
        }
        if let additional = s.additionalProperties {
            if level == .root {
                errors.append(.forbidden(path.child("additionalProperties"), "must not be used at the root"))
            }
            if let schema = additional.schema {
                errors += invariants(schema, .field, path.child("additionalProperties"))
            }
        }
        if s.xIntOrString && s.preservesUnknownFields {
            errors.append(
                .invalid(
                    path.child("x-kubernetes-preserve-unknown-fields"), .bool(true),
                    "must be false if x-kubernetes-int-or-string is true"))
        }
        if s.xIntOrString && s.xEmbeddedResource {
            errors.append(
                .invalid(
                    path.child("x-kubernetes-embedded-resource"), .bool(true),
                    "must be false if x-kubernetes-int-or-string is true"))
        }
        errors += valueValidation(
            s, skipAnyOf: isIntOrStringAnyOf(s.anyOf), skipFirstAllOfAnyOf: isIntOrStringAllOf(s), level, path)

        let checkMetadata = level == .root || s.xEmbeddedResource
        if s.xEmbeddedResource && type != "object" {
            if type.isEmpty {
                errors.append(.required(path.child("type"), "must be object if x-kubernetes-embedded-resource is true"))
            } else {
                errors.append(
                    .invalid(
                        path.child("type"), .string(type), "must be object if x-kubernetes-embedded-resource is true"))
            }
        } else if type.isEmpty && !s.xIntOrString && !s.preservesUnknownFields {
            let detail =
                switch level {
                case .root: "must not be empty at the root"
                case .item: "must not be empty for specified array items"
                case .field: "must not be empty for specified object fields"
                }
            errors.append(.required(path.child("type"), detail))
        }
        if s.xEmbeddedResource && s.additionalProperties != nil {
            errors.append(
                .forbidden(
                    path.child("additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"))
        }
        if level == .root && !type.isEmpty && type != "object" {
            errors.append(.invalid(path.child("type"), .string(type), "must be object at the root"))
        }
        for name in ["kind", "apiVersion"] where checkMetadata {
            if let property = s.properties?[name], property.type != "string" {
                errors.append(
                    .invalid(
                        path.child("properties").key(name).child("type"), .string(property.type ?? ""), "must be string"
                    ))
            }
        }
        if let metadata = s.properties?["metadata"] {
            errors += metadataInvariants(metadata, checkMetadata, level, path.child("properties").key("metadata"))
        }
        if s.xEmbeddedResource && !s.preservesUnknownFields && (s.properties ?? [:]).isEmpty {
            errors.append(
                .required(
                    path.child("properties"),
                    "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"
                ))
        }
        return errors
    }

    private static func metadataInvariants(
        _ s: JSONSchemaProps, _ checkMetadata: Bool, _ level: Level, _ path: FieldPath
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if checkMetadata && s.type != "object" {
            errors.append(.invalid(path.child("type"), .string(s.type ?? ""), "must be object"))
        }
        if level == .root {
            var rest = s
            let keys = Set((s.properties ?? [:]).keys)
            if keys == ["name"] || keys == ["generateName"] || keys == ["name", "generateName"] {
                rest.properties = nil
            }
            rest.type = nil
            rest.default = nil
            rest.example = nil
            if rest != JSONSchemaProps() {
                errors.append(
                    .forbidden(
                        path,
                        "must not specify anything other than name and generateName, but metadata is implicitly specified"
                    ))
            }
        }
        return errors
    }

    /// `anyOf: [{type: integer}, {type: string}]`, the int-or-string pattern allowed to carry types.
    private static func isIntOrStringAnyOf(_ anyOf: [JSONSchemaProps]?) -> Bool {
        guard let anyOf, anyOf.count == 2 else { return false }
        return isBare(anyOf[0], type: "integer") && isBare(anyOf[1], type: "string")
    }

    private static func isIntOrStringAllOf(_ s: JSONSchemaProps) -> Bool {
        guard let first = s.allOf?.first else { return false }
        return isIntOrStringAnyOf(first.anyOf)
    }

    private static func isBare(_ s: JSONSchemaProps, type: String) -> Bool {
        var copy = s
        copy.example = nil
        return copy == JSONSchemaProps(type: type)
    }

    private static func valueValidation(
        _ v: JSONSchemaProps, skipAnyOf: Bool, skipFirstAllOfAnyOf: Bool, _ level: Level, _ path: FieldPath
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if !skipAnyOf {
            for (index, branch) in (v.anyOf ?? []).enumerated() {
                errors += nested(branch, skipAnyOf: false, level, path.child("anyOf").index(index))
            }
        }
        for (index, branch) in (v.allOf ?? []).enumerated() {
            errors += nested(
                branch, skipAnyOf: skipFirstAllOfAnyOf && index == 0, level, path.child("allOf").index(index))
        }
        for (index, branch) in (v.oneOf ?? []).enumerated() {
            errors += nested(branch, skipAnyOf: false, level, path.child("oneOf").index(index))
        }
        if let not = v.not { errors += nested(not, skipAnyOf: false, level, path.child("not")) }
        if let pattern = v.pattern, !pattern.isEmpty, let problem = Patterns.goSyntaxError(pattern) {
            errors.append(
                .invalid(
                    path.child("pattern"), .string(pattern), "must be a valid regular expression, but isn't: \(problem)"
                ))
        } else if let pattern = v.pattern, !pattern.isEmpty, (try? NSRegularExpression(pattern: pattern)) == nil {
            errors.append(
                .invalid(
                    path.child("pattern"), .string(pattern),
                    "must be a valid regular expression, but isn't: error parsing regexp: invalid pattern: `\(pattern)`"
                ))
        }
        return errors
    }

    /// A schema under allOf/anyOf/oneOf/not may only restrict values, never describe structure.
    private static func nested(_ v: JSONSchemaProps, skipAnyOf: Bool, _ level: Level, _ path: FieldPath) -> [FieldError]
    {
        var errors = valueValidation(v, skipAnyOf: skipAnyOf, skipFirstAllOfAnyOf: false, level, path)
        if let items = v.items { errors += nested(items, skipAnyOf: false, level, path.child("items")) }
        for (key, property) in sortedEntries(v.properties) {
            errors += nested(property, skipAnyOf: false, .field, path.child("properties").key(key))
        }
        if let type = v.type, !type.isEmpty {
            errors.append(.forbidden(path.child("type"), "must be empty to be structural"))
        }
        if v.additionalProperties != nil {
            errors.append(.forbidden(path.child("additionalProperties"), "must be undefined to be structural"))
        }
        if v.default != nil { errors.append(.forbidden(path.child("default"), "must be undefined to be structural")) }
        if v.title != nil { errors.append(.forbidden(path.child("title"), "must be empty to be structural")) }
        if v.description != nil {
            errors.append(.forbidden(path.child("description"), "must be empty to be structural"))
        }
        if v.nullable { errors.append(.forbidden(path.child("nullable"), "must be false to be structural")) }
        if v.externalDocs != nil {
            errors.append(.forbidden(path.child("externalDocs"), "must be undefined to be structural"))
        }
        if v.preservesUnknownFields {
            errors.append(
                .forbidden(path.child("x-kubernetes-preserve-unknown-fields"), "must be false to be structural"))
        }
        if v.xEmbeddedResource {
            errors.append(.forbidden(path.child("x-kubernetes-embedded-resource"), "must be false to be structural"))
        }
        if v.xIntOrString {
            errors.append(.forbidden(path.child("x-kubernetes-int-or-string"), "must be false to be structural"))
        }
        if !(v.xListMapKeys ?? []).isEmpty {
            errors.append(.forbidden(path.child("x-kubernetes-list-map-keys"), "must be empty to be structural"))
        }
        if v.xListType != nil {
            errors.append(.forbidden(path.child("x-kubernetes-list-type"), "must be undefined to be structural"))
        }
        if v.xMapType != nil {
            errors.append(.forbidden(path.child("x-kubernetes-map-type"), "must be undefined to be structural"))
        }
        if !(v.xValidations ?? []).isEmpty {
            errors.append(.forbidden(path.child("x-kubernetes-validations"), "must be empty to be structural"))
        }
        if v.properties?["metadata"] != nil {
            errors.append(
                .forbidden(path.child("properties").key("metadata"), "must not be specified in a nested context"))
        }
        return errors
    }

    /// Every property or items named inside the root's allOf/anyOf/oneOf/not must also be
    /// specified structurally (upstream checks the root node only).
    private static func completeness(_ s: JSONSchemaProps, _ path: FieldPath) -> [FieldError] {
        junctorCompleteness(s, s, path, path)
    }

    private static func junctorCompleteness(
        _ v: JSONSchemaProps, _ s: JSONSchemaProps?, _ sPath: FieldPath, _ vPath: FieldPath
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if let not = v.not { errors += nestedCompleteness(not, s, sPath, vPath.child("not")) }
        for (index, branch) in (v.allOf ?? []).enumerated() {
            errors += nestedCompleteness(branch, s, sPath, vPath.child("allOf").index(index))
        }
        for (index, branch) in (v.anyOf ?? []).enumerated() {
            errors += nestedCompleteness(branch, s, sPath, vPath.child("anyOf").index(index))
        }
        for (index, branch) in (v.oneOf ?? []).enumerated() {
            errors += nestedCompleteness(branch, s, sPath, vPath.child("oneOf").index(index))
        }
        return errors
    }

    private static func nestedCompleteness(
        _ v: JSONSchemaProps, _ s: JSONSchemaProps?, _ sPath: FieldPath, _ vPath: FieldPath
    ) -> [FieldError] {
        guard let s else { return [.required(sPath, "because it is defined in \(vPath)")] }
        var errors = junctorCompleteness(v, s, sPath, vPath)
        if let items = v.items {
            errors += nestedCompleteness(items, s.items, sPath.child("items"), vPath.child("items"))
        }
        for (key, vProperty) in sortedEntries(v.properties) {
            if let sProperty = s.properties?[key] {
                errors += nestedCompleteness(
                    vProperty, sProperty, sPath.child("properties").key(key), vPath.child("properties").key(key))
            } else {
                errors.append(
                    .required(
                        sPath.child("properties").key(key),
                        "because it is defined in \(vPath.child("properties").key(key))"))
            }
        }
        return errors
    }

    // MARK: ValidateDefaults

    private static func defaultErrors(_ path: FieldPath, _ s: JSONSchemaProps, insideMeta: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let insideMeta = s.xEmbeddedResource ? false : insideMeta
        if let fallback = s.default {
            if !insideMeta {
                var pruned = fallback
                var pruner = Pruner()
                pruner.prune(&pruned, s, isResourceRoot: s.xEmbeddedResource)
                if pruned != fallback {
                    errors.append(.invalid(path.child("default"), fallback, "must not have unknown fields"))
                }
            }
            errors += OpenAPIValidator.fieldErrors(s, fallback, prefix: path.child("default"))
        }
        if let items = s.items { errors += defaultErrors(path.child("items"), items, insideMeta: insideMeta) }
        for (key, property) in sortedEntries(s.properties) {
            let subInsideMeta = insideMeta || (s.xEmbeddedResource && metaFields.contains(key))
            errors += defaultErrors(path.child("properties").key(key), property, insideMeta: subInsideMeta)
        }
        return errors
    }
}

// MARK: - CRD API validation of the schema (ValidateCustomResourceDefinitionOpenAPISchema)

private struct APISchemaChecks {
    var isRoot: Bool
    var allowDefaults = true
    var disallowDefaultsReason = ""
    var insideResourceMeta = false

    private static let openAPIV3Types = ["array", "boolean", "integer", "number", "object", "string"]
    private static let supportedReasons = [
        "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired",
    ]

    private func forbiddingDefaults(_ reason: String) -> APISchemaChecks {
        var copy = self
        copy.allowDefaults = false
        copy.disallowDefaultsReason = reason
        return copy
    }

    private func child() -> APISchemaChecks {
        var copy = self
        copy.isRoot = false
        return copy
    }

    // specStandardValidatorV3.validate
    private func standardErrors(_ s: JSONSchemaProps, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if let type = s.type, !type.isEmpty, !Self.openAPIV3Types.contains(type) {
            errors.append(.notSupported(path.child("type"), .string(type), supported: Self.openAPIV3Types))
        }
        if s.default != nil && !allowDefaults {
            let detail =
                disallowDefaultsReason.isEmpty ? "must not be set" : "must not be set " + disallowDefaultsReason
            errors.append(.forbidden(path.child("default"), detail))
        }
        if s.id != nil { errors.append(.forbidden(path.child("id"), "id is not supported")) }
        if s.additionalItems != nil {
            errors.append(.forbidden(path.child("additionalItems"), "additionalItems is not supported"))
        }
        if !(s.patternProperties ?? [:]).isEmpty {
            errors.append(.forbidden(path.child("patternProperties"), "patternProperties is not supported"))
        }
        if !(s.definitions ?? [:]).isEmpty {
            errors.append(.forbidden(path.child("definitions"), "definitions is not supported"))
        }
        if s.dependencies != nil {
            errors.append(.forbidden(path.child("dependencies"), "dependencies is not supported"))
        }
        if s.ref != nil { errors.append(.forbidden(path.child("$ref"), "$ref is not supported")) }
        if s.type == "null" {
            errors.append(.forbidden(path.child("type"), "type cannot be set to null, use nullable as an alternative"))
        }
        if !(s.itemsArray ?? []).isEmpty {
            errors.append(.forbidden(path.child("items"), "items must be a schema object and not an array"))
        }
        if insideResourceMeta && s.xEmbeddedResource {
            errors.append(
                .forbidden(path.child("x-kubernetes-embedded-resource"), "must not be used inside of resource meta"))
        }
        return errors
    }

    func errors(_ s: JSONSchemaProps, _ path: FieldPath) -> [FieldError] {
        var errors = standardErrors(s, path)
        if s.uniqueItems {
            errors.append(
                .forbidden(
                    path.child("uniqueItems"),
                    "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        if let additional = s.additionalProperties {
            if !(s.properties ?? [:]).isEmpty && (!additional.allows || additional.schema != nil) {
                errors.append(
                    .forbidden(
                        path.child("additionalProperties"), "additionalProperties and properties are mutual exclusive"))
            }
            if let schema = additional.schema {
                let sub =
                    insideResourceMeta
                    ? child().forbiddingDefaults("inside additionalProperties applying to object metadata") : child()
                errors += sub.errors(schema, path.child("additionalProperties"))
            }
        }
        for (key, property) in sortedEntries(s.properties) {
            var sub = child()
            if (isRoot || s.xEmbeddedResource) && metaFields.contains(key) {
                sub.insideResourceMeta = true
                if isRoot { sub = sub.forbiddingDefaults("in top-level \(key)") }
            }
            errors += sub.errors(property, path.child("properties").key(key))
        }
        if let not = s.not { errors += child().errors(not, path.child("not")) }
        for (index, branch) in (s.allOf ?? []).enumerated() {
            errors += child().errors(branch, path.child("allOf").index(index))
        }
        for (index, branch) in (s.oneOf ?? []).enumerated() {
            errors += child().errors(branch, path.child("oneOf").index(index))
        }
        for (index, branch) in (s.anyOf ?? []).enumerated() {
            errors += child().errors(branch, path.child("anyOf").index(index))
        }
        for (key, definition) in sortedEntries(s.definitions) {
            errors += child().errors(definition, path.child("definitions").key(key))
        }
        if let items = s.items { errors += child().errors(items, path.child("items")) }
        for (index, item) in (s.itemsArray ?? []).enumerated() {
            errors += child().errors(item, path.child("items").index(index))
        }
        if s.xPreserveUnknownFields == false {
            errors.append(
                .invalid(path.child("x-kubernetes-preserve-unknown-fields"), .bool(false), "must be true or undefined"))
        }
        errors += listAndMapTypeErrors(s, path)
        errors += validationRuleErrors(s, path)
        return errors
    }

    private func listAndMapTypeErrors(_ s: JSONSchemaProps, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let type = s.type ?? ""
        if let mapType = s.xMapType {
            if type != "object" {
                if type.isEmpty {
                    errors.append(.required(path.child("type"), "must be object if x-kubernetes-map-type is specified"))
                } else {
                    errors.append(
                        .invalid(
                            path.child("type"), .string(type), "must be object if x-kubernetes-map-type is specified"))
                }
            }
            if mapType != "atomic" && mapType != "granular" {
                errors.append(
                    .notSupported(
                        path.child("x-kubernetes-map-type"), .string(mapType), supported: ["atomic", "granular"]))
            }
        }
        if s.xListType != nil && type != "array" {
            if type.isEmpty {
                errors.append(.required(path.child("type"), "must be array if x-kubernetes-list-type is specified"))
            } else {
                errors.append(
                    .invalid(path.child("type"), .string(type), "must be array if x-kubernetes-list-type is specified"))
            }
        } else if s.xListType == "set", let items = s.items {
            switch items.type {
            case "array":
                if let itemListType = items.xListType, itemListType != "atomic" {
                    errors.append(
                        .invalid(
                            path.child("items").child("x-kubernetes-list-type"), .string(itemListType),
                            "must be atomic as item of a list with x-kubernetes-list-type=set"))
                }
            case "object":
                if items.xMapType != "atomic" {
                    // Upstream reports the items' list type here, not the map type.
                    errors.append(
                        .invalid(
                            path.child("items").child("x-kubernetes-map-type"),
                            items.xListType.map(JSONValue.string) ?? .null,
                            "must be atomic as item of a list with x-kubernetes-list-type=set"))
                }
            default:
                break
            }
        }
        if let listType = s.xListType, !["atomic", "set", "map"].contains(listType) {
            errors.append(
                .notSupported(
                    path.child("x-kubernetes-list-type"), .string(listType), supported: ["atomic", "set", "map"]))
        }
        let mapKeys = s.xListMapKeys ?? []
        if !mapKeys.isEmpty {
            if s.xListType == nil {
                errors.append(
                    .required(
                        path.child("x-kubernetes-list-type"), "must be map if x-kubernetes-list-map-keys is non-empty"))
            } else if let listType = s.xListType, listType != "map" {
                errors.append(
                    .invalid(
                        path.child("x-kubernetes-list-type"), .string(listType),
                        "must be map if x-kubernetes-list-map-keys is non-empty"))
            }
        }
        if s.xListType == "map" {
            if mapKeys.isEmpty {
                errors.append(
                    .required(
                        path.child("x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map"))
            }
            if s.items == nil && s.itemsArray == nil {
                errors.append(.required(path.child("items"), "must have a schema if x-kubernetes-list-type is map"))
            }
            if s.items == nil, let tuple = s.itemsArray {
                errors.append(
                    .invalid(
                        path.child("items"), .array(tuple.compactMap { try? JSONCoding.toJSON($0) }),
                        "must only have a single schema if x-kubernetes-list-type is map"))
            }
            if let items = s.items, items.type != "object" {
                errors.append(
                    .invalid(
                        path.child("items").child("type"), .string(items.type ?? ""),
                        "must be object if parent array's x-kubernetes-list-type is map"))
            }
            if let items = s.items, items.type == "object" {
                var seen = Set<String>()
                let keysValue = JSONValue.array(mapKeys.map(JSONValue.string))
                for key in mapKeys {
                    if let property = items.properties?[key] {
                        if property.type == "array" || property.type == "object" {
                            // Upstream reports the items' type as the bad value.
                            errors.append(
                                .invalid(
                                    path.child("items").child("properties").key(key).child("type"),
                                    .string(items.type ?? ""),
                                    "must be a scalar type if parent array's x-kubernetes-list-type is map"))
                        }
                    } else {
                        errors.append(
                            .invalid(
                                path.child("x-kubernetes-list-map-keys"), keysValue,
                                "entries must all be names of item properties"))
                    }
                    if !seen.insert(key).inserted {
                        errors.append(
                            .invalid(
                                path.child("x-kubernetes-list-map-keys"), keysValue,
                                "must not contain duplicate entries"))
                    }
                }
            }
        }
        // requireMapListKeysMapSetValidation
        if let items = s.items, let listType = s.xListType, listType == "set" || listType == "map" {
            if items.nullable {
                errors.append(
                    .forbidden(
                        path.child("items").child("nullable"),
                        "cannot be nullable when x-kubernetes-list-type is \(listType)"))
            }
            if listType == "map" {
                let required = Set(items.required ?? [])
                for key in mapKeys {
                    guard let property = items.properties?[key] else { continue }
                    if !required.contains(key) && property.default == nil {
                        errors.append(
                            .required(
                                path.child("items").child("properties").key(key).child("default"),
                                "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"
                            ))
                    }
                    if property.nullable {
                        errors.append(
                            .forbidden(
                                path.child("items").child("properties").key(key).child("nullable"),
                                "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"))
                    }
                }
            }
        }
        return errors
    }

    private func validationRuleErrors(_ s: JSONSchemaProps, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, rule) in (s.xValidations ?? []).enumerated() {
            let rulePath = path.child("x-kubernetes-validations").index(index)
            let trimmedRule = rule.rule.trimmingCharacters(in: .whitespacesAndNewlines)
            let message = rule.message ?? ""
            let trimmedMessage = message.trimmingCharacters(in: .whitespacesAndNewlines)
            let messageExpression = rule.messageExpression ?? ""
            if trimmedRule.isEmpty {
                errors.append(.required(rulePath.child("rule"), "rule is not specified"))
            } else if !message.isEmpty && trimmedMessage.isEmpty {
                errors.append(
                    .invalid(rulePath.child("message"), .string(message), "message must be non-empty if specified"))
            } else if hasNewlines(trimmedMessage) {
                errors.append(
                    .invalid(rulePath.child("message"), .string(message), "message must not contain line breaks"))
            } else if hasNewlines(trimmedRule) && trimmedMessage.isEmpty {
                errors.append(
                    .required(rulePath.child("message"), "message must be specified if rule contains line breaks"))
            }
            if !messageExpression.isEmpty && messageExpression.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.append(
                    .required(rulePath.child("messageExpression"), "messageExpression must be non-empty if specified"))
            }
            if let reason = rule.reason, !Self.supportedReasons.contains(reason) {
                errors.append(
                    .notSupported(rulePath.child("reason"), .string(reason), supported: Self.supportedReasons))
            }
            let fieldPath = rule.fieldPath ?? ""
            if !fieldPath.isEmpty && fieldPath.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.append(
                    .invalid(
                        rulePath.child("fieldPath"), .string(fieldPath), "fieldPath must be non-empty if specified"))
            }
            if hasNewlines(fieldPath) {
                errors.append(
                    .invalid(rulePath.child("fieldPath"), .string(fieldPath), "fieldPath must not contain line breaks"))
            }
        }
        return errors
    }

    private func hasNewlines(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }
    }
}
