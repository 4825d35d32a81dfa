/// Structural checks for a JSON Schema document, beyond being JSON.
enum JSONSchemaValidation {
    static let typeNames: Set<String> = ["null", "boolean", "object", "array", "number", "string", "integer"]

    static func validate(_ schema: JSONValue, path: String = "#") throws(SchemaParseError) {
        switch schema {
        case .bool: return
        case .object(let members):
            for member in members {
                let p = "\(path)/\(member.key)"
                switch member.key {
                case "type":
                    let names: [JSONValue] = member.value.arrayValue ?? [member.value]
                    for name in names {
                        guard let s = name.stringValue, typeNames.contains(s) else {
                            throw SchemaParseError(reason: "unknown type \(name.serialized())", path: p)
                        }
                    }
                case "properties", "definitions", "$defs", "patternProperties":
                    guard let props = member.value.objectMembers else {
                        throw SchemaParseError(reason: "\(member.key) must be an object", path: p)
                    }
                    for prop in props { try validate(prop.value, path: "\(p)/\(prop.key)") }
                case "required":
                    guard let items = member.value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                        throw SchemaParseError(reason: "required must be an array of strings", path: p)
                    }
                case "items":
                    if let tuple = member.value.arrayValue {
                        for (i, item) in tuple.enumerated() { try validate(item, path: "\(p)/\(i)") }
                    } else {
                        try validate(member.value, path: p)
                    }
                case "additionalProperties", "additionalItems", "not":
                    try validate(member.value, path: p)
                case "allOf", "anyOf", "oneOf":
                    guard let subs = member.value.arrayValue, !subs.isEmpty else {
                        throw SchemaParseError(reason: "\(member.key) must be a non-empty array", path: p)
                    }
                    for (i, sub) in subs.enumerated() { try validate(sub, path: "\(p)/\(i)") }
                case "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties":
                    guard case .integer(let n) = member.value, n >= 0 else {
                        throw SchemaParseError(reason: "\(member.key) must be a non-negative integer", path: p)
                    }
                case "maximum", "minimum", "multipleOf":
                    guard member.value.numberValue != nil else { throw SchemaParseError(reason: "\(member.key) must be a number", path: p) }
                case "enum":
                    guard member.value.arrayValue != nil else { throw SchemaParseError(reason: "enum must be an array", path: p) }
                case "$ref":
                    guard member.value.stringValue != nil else { throw SchemaParseError(reason: "$ref must be a string", path: p) }
                default:
                    continue
                }
            }
        default:
            throw SchemaParseError(reason: "a JSON Schema must be an object or a boolean", path: path)
        }
    }
}

/// Differences between two JSON Schemas as Confluent's registry computes them, keeping the
/// incompatible ones. `original` is the writer's schema, `update` the reader's; a change is
/// incompatible when the update accepts less than the original did.
///
/// Covered: type (a list of types is a sum, integer is part of number), string, number,
/// array and object bounds, pattern, multipleOf, uniqueItems, enum, properties under open,
/// partially open (additionalProperties schema or patternProperties) and closed content
/// models, required, dependencies, additionalProperties, items (single and tuple, with
/// additionalItems), oneOf/anyOf/allOf (alternatives paired by a maximum matching of
/// compatible pairs, as the registry does), not, and `$ref`s — local ones, and ones to the
/// documents given as references (`name` or `name#/pointer`), recursion-safe.
///
/// Caveats: `propertyNames`, `if/then/else`, `const`, `contains` and `unevaluated*` are not
/// compared; a `$ref` to a document that was not given is compared as written. Where the
/// registry's object model departs from the specification (patternProperties with an open
/// additionalProperties, schemas without `type`) the specification is followed.
struct JSONSchemaDiff {
    struct Difference {
        var rule: IncompatibilityRule
        var location: String
        var message: String
    }

    /// A subschema with the name of the document its local `$ref`s point into ("" for the
    /// schema itself, else a reference name).
    private struct Node {
        var schema: JSONValue
        var document: String
    }

    private var originalDocuments: [String: JSONValue]
    private var updateDocuments: [String: JSONValue]
    let originalLabel: String
    let updateLabel: String
    private var visitedRefs: Set<String> = []
    private var differences: [Difference] = []

    private static let annotationKeys: Set<String> = [
        "title", "description", "default", "examples", "$comment", "$id", "id", "$schema", "definitions", "$defs", "readOnly",
        "writeOnly", "deprecated",
    ]
    private static let combinedKeywords = ["oneOf", "anyOf", "allOf"]

    init(
        original: JSONValue, update: JSONValue, originalLabel: String, updateLabel: String,
        originalReferences: [String: JSONValue] = [:], updateReferences: [String: JSONValue] = [:]
    ) {
        originalDocuments = originalReferences.merging(["": original]) { $1 }
        updateDocuments = updateReferences.merging(["": update]) { $1 }
        self.originalLabel = originalLabel
        self.updateLabel = updateLabel
    }

    mutating func run() -> [Difference] {
        differences = []
        visitedRefs = []
        compare(Node(schema: originalDocuments[""] ?? .object([]), document: ""), Node(schema: updateDocuments[""] ?? .object([]), document: ""), path: "#")
        return differences
    }

    private func rule(_ name: String) -> IncompatibilityRule { IncompatibilityRule(rawValue: name) }

    private mutating func add(_ name: String, _ path: String) {
        let location = path == "#" ? "#/" : path
        let message: String
        let (a, b) = (updateLabel, originalLabel)
        switch name {
        case let n where n.hasSuffix("_ADDED") && !n.contains("CONTENT_MODEL") && n != "REQUIRED_ATTRIBUTE_ADDED":
            message = "The keyword at path '\(location)' in the \(a) schema is not present in the \(b) schema"
        case let n where n.hasSuffix("_INCREASED") || n == "MULTIPLE_OF_EXPANDED":
            message = "The value at path '\(location)' in the \(a) schema is more than its value in the \(b) schema"
        case let n where n.hasSuffix("_DECREASED"):
            message = "The value at path '\(location)' in the \(a) schema is less than its value in the \(b) schema"
        case "PATTERN_CHANGED", "MULTIPLE_OF_CHANGED", "DEPENDENCY_ARRAY_CHANGED":
            message = "The value at path '\(location)' is different between the \(a) and \(b) schema"
        case "TYPE_CHANGED", "TYPE_NARROWED", "COMBINED_TYPE_CHANGED", "COMBINED_TYPE_SUBSCHEMAS_CHANGED", "ENUM_ARRAY_CHANGED":
            message = "A type at path '\(location)' is different between the \(a) schema and the \(b) schema"
        case let n where n.hasSuffix("_NARROWED"):
            message = "An array or combined type at path '\(location)' has fewer elements in the \(a) schema than the \(b) schema"
        case let n where n.hasSuffix("_EXTENDED"):
            message = "An array or combined type at path '\(location)' has more elements in the \(a) schema than the \(b) schema"
        case "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_ADDED_TO_OPEN_CONTENT_MODEL":
            message = "The \(b) schema has an open content model and the \(a) schema has a property or item at path '\(location)' which is missing in the \(b) schema"
        case "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL":
            message = "The \(b) schema has an unopen content model and the \(a) schema has a required property at path '\(location)' which is missing in the \(b) schema"
        case "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL":
            message = "The \(a) schema has a closed content model and is missing a property or item present at path '\(location)' in the \(b) schema"
        case "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            message = "A property or item is missing in the \(a) schema but present at path '\(location)' in the \(b) schema and is not covered by its partially open content model"
        case "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            message = "The \(a) schema has a property or item at path '\(location)' which is missing in the \(b) schema and is not covered by its partially open content model"
        case "REQUIRED_ATTRIBUTE_ADDED":
            message = "The \(a) schema requires the property at path '\(location)' which is not required in the \(b) schema"
        case "ADDITIONAL_PROPERTIES_REMOVED", "ADDITIONAL_ITEMS_REMOVED":
            message = "The \(a) schema does not allow additional properties or items at path '\(location)' which the \(b) schema allows"
        default:
            message = "\(name) at path '\(location)'"
        }
        differences.append(Difference(rule: rule(name), location: location, message: message))
    }

    // MARK: References

    /// Follows `$ref`s: local pointers (`#/definitions/X`, `#/$defs/X`, any pointer) into the
    /// node's document, and `name` or `name#pointer` into a document given as a reference
    /// (matched by reference name or by the document's `$id`).
    private static func resolve(_ node: Node, in documents: [String: JSONValue]) -> (Node, ref: String?) {
        var current = node
        var ref: String?
        var hops = 0
        while let r = current.schema["$ref"]?.stringValue, hops < 32 {
            let hash = r.firstIndex(of: "#") ?? r.endIndex
            let documentName = String(r[..<hash])
            let pointer = hash < r.endIndex ? String(r[r.index(after: hash)...]) : ""
            let target: String
            if documentName.isEmpty {
                target = current.document
            } else if documents[documentName] != nil {
                target = documentName
            } else if let byID = documents.first(where: { $0.value["$id"]?.stringValue == documentName || $0.value["id"]?.stringValue == documentName }) {
                target = byID.key
            } else {
                break
            }
            guard var value = documents[target] else { break }
            var found = true
            for token in pointer.split(separator: "/") {
                let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                if let index = Int(key), let array = value.arrayValue, array.indices.contains(index) {
                    value = array[index]
                } else if let member = value[key] {
                    value = member
                } else {
                    found = false
                    break
                }
            }
            guard found else { break }
            ref = "\(target)#\(pointer)"
            current = Node(schema: value, document: target)
            hops += 1
        }
        return (current, ref)
    }

    private static func containsRef(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): return members.contains { $0.key == "$ref" || containsRef($0.value) }
        case .array(let items): return items.contains(where: containsRef)
        default: return false
        }
    }

    // MARK: Helpers

    private static func normalizedBool(_ schema: JSONValue) -> JSONValue {
        if case .bool(true) = schema { return .object([]) }
        return schema
    }

    private static func isEmptySchema(_ s: JSONValue) -> Bool {
        guard let members = normalizedBool(s).objectMembers else { return false }
        return members.allSatisfy { annotationKeys.contains($0.key) }
    }

    private static func types(_ schema: JSONValue) -> Set<String>? {
        guard let t = schema["type"] else { return nil }
        if let s = t.stringValue { return [s] }
        return Set((t.arrayValue ?? []).compactMap(\.stringValue))
    }

    private static func covers(_ set: Set<String>?, _ type: String) -> Bool {
        guard let set else { return true }
        return set.contains(type) || (type == "integer" && set.contains("number"))
    }

    private static func combinedKeyword(_ schema: JSONValue) -> String? {
        combinedKeywords.first { schema[$0]?.arrayValue != nil }
    }

    /// The combination of a schema that is nothing but a oneOf/anyOf/allOf (and annotations).
    private static func pureCombination(_ schema: JSONValue) -> (keyword: String, subschemas: [JSONValue])? {
        guard let keyword = combinedKeyword(schema), let members = schema.objectMembers, let subschemas = schema[keyword]?.arrayValue else {
            return nil
        }
        guard members.allSatisfy({ $0.key == keyword || annotationKeys.contains($0.key) }) else { return nil }
        return (keyword, subschemas)
    }

    /// Whether everything `writer` accepts is accepted by `reader`, judged with the same rules.
    private func isCovered(_ writer: Node, by reader: Node, path: String) -> Bool {
        var probe = self
        probe.differences = []
        probe.compare(writer, reader, path: path)
        return probe.differences.isEmpty
    }

    /// `isCovered` for a writer taken from the update and a reader taken from the original
    /// (the subschemas of `not` are compared the other way round).
    private func isCoveredReversed(_ writer: Node, by reader: Node, path: String) -> Bool {
        var probe = self
        probe.differences = []
        swap(&probe.originalDocuments, &probe.updateDocuments)
        probe.compare(writer, reader, path: path)
        return probe.differences.isEmpty
    }

    // MARK: Comparison

    private mutating func compare(_ originalNode: Node, _ updateNode: Node, path: String) {
        let (o, originalRef) = JSONSchemaDiff.resolve(originalNode, in: originalDocuments)
        let (u, updateRef) = JSONSchemaDiff.resolve(updateNode, in: updateDocuments)
        if originalRef != nil || updateRef != nil {
            let key = "\(originalRef ?? path)\u{0}\(updateRef ?? path)"
            guard visitedRefs.insert(key).inserted else { return }
        }
        let original = JSONSchemaDiff.normalizedBool(o.schema)
        let update = JSONSchemaDiff.normalizedBool(u.schema)
        // Equal text means equal schemas unless a reference inside resolves differently.
        if original == update, !JSONSchemaDiff.containsRef(original) { return }
        if case .bool(false) = original { return }
        if JSONSchemaDiff.isEmptySchema(update) { return }
        if case .bool(false) = update {
            add("TYPE_NARROWED", path)
            return
        }
        let (on, un) = (Node(schema: original, document: o.document), Node(schema: update, document: u.document))

        if compareCombinationWithPlainSchema(on, un, path: path) { return }
        if compareTypes(original, update, path: path) { return }

        compareBound("maxLength", "MAX_LENGTH", isMax: true, original, update, path)
        compareBound("minLength", "MIN_LENGTH", isMax: false, original, update, path)
        comparePattern(original, update, path)
        compareBound("maximum", "MAXIMUM", isMax: true, original, update, path)
        compareBound("minimum", "MINIMUM", isMax: false, original, update, path)
        compareBound("exclusiveMaximum", "EXCLUSIVE_MAXIMUM", isMax: true, original, update, path)
        compareBound("exclusiveMinimum", "EXCLUSIVE_MINIMUM", isMax: false, original, update, path)
        compareMultipleOf(original, update, path)
        compareEnum(original, update, path)
        if isObjectSchema(original) || isObjectSchema(update) {
            compareObject(on, un, path)
        }
        compareItems(on, un, path)
        compareBound("maxItems", "MAX_ITEMS", isMax: true, original, update, path)
        compareBound("minItems", "MIN_ITEMS", isMax: false, original, update, path)
        if original["uniqueItems"] != .bool(true), update["uniqueItems"] == .bool(true) {
            add("UNIQUE_ITEMS_ADDED", "\(path)/uniqueItems")
        }
        compareCombined(on, un, path)
        compareNot(on, un, path)
    }

    /// A plain schema against a pure oneOf/anyOf/allOf, either way round. Returns true when
    /// the comparison is settled. A sum reads a plain schema when one alternative covers it;
    /// a plain schema reads a sum when it covers every alternative; otherwise the type changed.
    private mutating func compareCombinationWithPlainSchema(_ original: Node, _ update: Node, path: String) -> Bool {
        let originalCombined = JSONSchemaDiff.combinedKeyword(original.schema) != nil
        let updateCombined = JSONSchemaDiff.combinedKeyword(update.schema) != nil
        if !originalCombined, let (keyword, subschemas) = JSONSchemaDiff.pureCombination(update.schema) {
            let readers = subschemas.map { Node(schema: $0, document: update.document) }
            let covered =
                keyword == "allOf"
                ? readers.allSatisfy { isCovered(original, by: $0, path: path) }
                : readers.contains { isCovered(original, by: $0, path: path) }
            if !covered { add("TYPE_CHANGED", path) }
            return true
        }
        if !updateCombined, let (keyword, subschemas) = JSONSchemaDiff.pureCombination(original.schema) {
            let writers = subschemas.map { Node(schema: $0, document: original.document) }
            let covered =
                keyword == "allOf"
                ? writers.contains { isCovered($0, by: update, path: path) }
                : writers.allSatisfy { isCovered($0, by: update, path: path) }
            if !covered { add("TYPE_CHANGED", path) }
            return true
        }
        return false
    }

    private func isObjectSchema(_ s: JSONValue) -> Bool {
        if JSONSchemaDiff.types(s)?.contains("object") == true { return true }
        let keywords = ["properties", "additionalProperties", "required", "patternProperties", "dependencies", "maxProperties", "minProperties"]
        return keywords.contains { s[$0] != nil }
    }

    /// Compares `type`; returns true when the types have nothing in common, which ends the
    /// comparison of this schema as it does in the registry.
    private mutating func compareTypes(_ original: JSONValue, _ update: JSONValue, path: String) -> Bool {
        let o = JSONSchemaDiff.types(original)
        let u = JSONSchemaDiff.types(update)
        guard o != u, let u else { return false }
        guard let o else {
            // No type before: every type was accepted.
            if !JSONSchemaValidation.typeNames.allSatisfy({ JSONSchemaDiff.covers(u, $0) }) { add("TYPE_NARROWED", path) }
            return false
        }
        if o.allSatisfy({ JSONSchemaDiff.covers(u, $0) }) { return false }  // TYPE_EXTENDED / SUM_TYPE_EXTENDED
        switch (o.count, u.count) {
        case (1, 1) where o == ["number"] && u == ["integer"]:
            add("TYPE_NARROWED", path)
            return false
        case (1, _), (_, 1):
            // A list of types is a sum: a single type that is not one of its members, or a
            // sum read as a single type, is another type.
            add("TYPE_CHANGED", path)
            return true
        default:
            add(u.count < o.count ? "SUM_TYPE_NARROWED" : "COMBINED_TYPE_SUBSCHEMAS_CHANGED", path)
            return false
        }
    }

    private mutating func compareBound(
        _ keyword: String, _ prefix: String, isMax: Bool, _ original: JSONValue, _ update: JSONValue, _ path: String
    ) {
        let o = original[keyword]?.numberValue
        let u = update[keyword]?.numberValue
        let p = "\(path)/\(keyword)"
        switch (o, u) {
        case (nil, .some): add("\(prefix)_ADDED", p)
        case (.some(let ov), .some(let uv)) where isMax && uv < ov: add("\(prefix)_DECREASED", p)
        case (.some(let ov), .some(let uv)) where !isMax && uv > ov: add("\(prefix)_INCREASED", p)
        default: break
        }
    }

    private mutating func comparePattern(_ original: JSONValue, _ update: JSONValue, _ path: String) {
        let o = original["pattern"]?.stringValue
        let u = update["pattern"]?.stringValue
        if o == nil, u != nil { add("PATTERN_ADDED", "\(path)/pattern") }
        if let o, let u, o != u { add("PATTERN_CHANGED", "\(path)/pattern") }
    }

    private mutating func compareMultipleOf(_ original: JSONValue, _ update: JSONValue, _ path: String) {
        let o = original["multipleOf"]?.numberValue
        let u = update["multipleOf"]?.numberValue
        let p = "\(path)/multipleOf"
        if o == nil, u != nil { add("MULTIPLE_OF_ADDED", p) }
        guard let o, let u, o != u, o != 0, u != 0 else { return }
        if (u / o).rounded() == u / o {
            add("MULTIPLE_OF_EXPANDED", p)
        } else if (o / u).rounded() != o / u {
            add("MULTIPLE_OF_CHANGED", p)
        }
    }

    private mutating func compareEnum(_ original: JSONValue, _ update: JSONValue, _ path: String) {
        let o = original["enum"]?.arrayValue
        let u = update["enum"]?.arrayValue
        let p = "\(path)/enum"
        switch (o, u) {
        case (nil, .some): add("ENUM_ARRAY_NARROWED", p)
        case (.some(let ov), .some(let uv)):
            if ov.allSatisfy({ uv.contains($0) }) { return }
            add(uv.allSatisfy({ ov.contains($0) }) ? "ENUM_ARRAY_NARROWED" : "ENUM_ARRAY_CHANGED", p)
        default: break
        }
    }

    // MARK: Objects

    private enum ContentModel {
        case open
        case partiallyOpen(JSONValue)
        case closed
    }

    /// What `schema` says about a property it does not list: the first patternProperties
    /// entry whose pattern matches the name, else additionalProperties.
    private static func contentModel(of schema: JSONValue, for property: String) -> ContentModel {
        for pattern in schema["patternProperties"]?.objectMembers ?? [] where matches(pattern.key, property) {
            return isEmptySchema(pattern.value) ? .open : .partiallyOpen(pattern.value)
        }
        let additional = schema["additionalProperties"] ?? .bool(true)
        if additional == .bool(false) { return .closed }
        if additional.objectMembers != nil, !isEmptySchema(additional) { return .partiallyOpen(additional) }
        return .open
    }

    /// ECMA 262 patterns are unanchored; one Swift Regex cannot compile is taken not to match.
    private static func matches(_ pattern: String, _ name: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return name.contains(regex)
    }

    private mutating func compareObject(_ originalNode: Node, _ updateNode: Node, _ path: String) {
        let (original, update) = (originalNode.schema, updateNode.schema)
        let originalProps = original["properties"]?.objectMembers ?? []
        let updateProps = update["properties"]?.objectMembers ?? []
        let originalRequired = Set((original["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let updateRequired = Set((update["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let originalAdditional = original["additionalProperties"] ?? .bool(true)
        let updateAdditional = update["additionalProperties"] ?? .bool(true)
        func inOriginal(_ v: JSONValue) -> Node { Node(schema: v, document: originalNode.document) }
        func inUpdate(_ v: JSONValue) -> Node { Node(schema: v, document: updateNode.document) }

        // required, for properties present on both sides
        for prop in originalProps where updateProps.contains(where: { $0.key == prop.key }) {
            if !originalRequired.contains(prop.key), updateRequired.contains(prop.key),
                updateProps.first(where: { $0.key == prop.key })?.value["default"] == nil
            {
                add("REQUIRED_ATTRIBUTE_ADDED", "\(path)/required/\(prop.key)")
            }
        }

        // properties
        for prop in originalProps {
            let p = "\(path)/properties/\(prop.key)"
            if let updated = updateProps.first(where: { $0.key == prop.key }) {
                compare(inOriginal(prop.value), inUpdate(updated.value), path: p)
                continue
            }
            // Removed in the update: only the update's content model matters.
            switch JSONSchemaDiff.contentModel(of: update, for: prop.key) {
            case .open: break
            case .partiallyOpen(let schema):
                if !isCovered(inOriginal(prop.value), by: inUpdate(schema), path: p) {
                    add("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p)
                }
            case .closed:
                if prop.value != .bool(false) { add("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", p) }
            }
        }
        for prop in updateProps where !originalProps.contains(where: { $0.key == prop.key }) {
            let p = "\(path)/properties/\(prop.key)"
            // Added in the update: only the original's content model matters.
            let model = JSONSchemaDiff.contentModel(of: original, for: prop.key)
            switch model {
            case .open:
                if !JSONSchemaDiff.isEmptySchema(prop.value) { add("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", p) }
            case .partiallyOpen(let schema):
                if !isCovered(inOriginal(schema), by: inUpdate(prop.value), path: p) {
                    add("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p)
                }
            case .closed:
                break
            }
            if case .open = model { continue }
            if updateRequired.contains(prop.key), prop.value["default"] == nil {
                add("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", p)
            }
        }

        compareDependencies(originalNode, updateNode, path)

        // additionalProperties
        let ap = "\(path)/additionalProperties"
        let originalPermits = originalAdditional != .bool(false)
        let updatePermits = updateAdditional != .bool(false)
        if originalPermits, !updatePermits {
            add("ADDITIONAL_PROPERTIES_REMOVED", ap)
        } else if originalPermits, updatePermits {
            let originalSchema = originalAdditional.objectMembers != nil && !JSONSchemaDiff.isEmptySchema(originalAdditional)
            let updateSchema = updateAdditional.objectMembers != nil && !JSONSchemaDiff.isEmptySchema(updateAdditional)
            if !originalSchema, updateSchema {
                add("ADDITIONAL_PROPERTIES_NARROWED", ap)
            } else if originalSchema, updateSchema {
                compare(inOriginal(originalAdditional), inUpdate(updateAdditional), path: ap)
            }
        }

        compareBound("maxProperties", "MAX_PROPERTIES", isMax: true, original, update, path)
        compareBound("minProperties", "MIN_PROPERTIES", isMax: false, original, update, path)
    }

    private mutating func compareDependencies(_ originalNode: Node, _ updateNode: Node, _ path: String) {
        let originalDependencies = originalNode.schema["dependencies"]?.objectMembers ?? []
        let updateDependencies = updateNode.schema["dependencies"]?.objectMembers ?? []
        var keys = originalDependencies.map(\.key)
        keys += updateDependencies.map(\.key).filter { !keys.contains($0) }
        for key in keys {
            let p = "\(path)/dependencies/\(key)"
            let o = originalDependencies.first { $0.key == key }?.value
            let u = updateDependencies.first { $0.key == key }?.value
            switch (o?.arrayValue, u?.arrayValue) {
            case (let oa?, let ua?):
                let (os, us) = (Set(oa.compactMap(\.stringValue)), Set(ua.compactMap(\.stringValue)))
                if os == us || os.isSuperset(of: us) { continue }  // DEPENDENCY_ARRAY_NARROWED
                add(us.isSuperset(of: os) ? "DEPENDENCY_ARRAY_EXTENDED" : "DEPENDENCY_ARRAY_CHANGED", p)
            case (nil, .some):
                add("DEPENDENCY_ARRAY_ADDED", p)
            case (.some, nil):
                if u != nil { add("DEPENDENCY_ARRAY_CHANGED", p) }  // an array replaced by a schema
            case (nil, nil):
                switch (o, u) {
                case (nil, .some): add("DEPENDENCY_SCHEMA_ADDED", p)
                case (let os?, let us?):
                    compare(Node(schema: os, document: originalNode.document), Node(schema: us, document: updateNode.document), path: p)
                default: break
                }
            }
        }
    }

    // MARK: Arrays

    private mutating func compareItems(_ originalNode: Node, _ updateNode: Node, _ path: String) {
        let (original, update) = (originalNode.schema, updateNode.schema)
        func inOriginal(_ v: JSONValue) -> Node { Node(schema: v, document: originalNode.document) }
        func inUpdate(_ v: JSONValue) -> Node { Node(schema: v, document: updateNode.document) }
        let o = original["items"]
        let u = update["items"]
        if let oTuple = o?.arrayValue, let uTuple = u?.arrayValue {
            let originalAdditional = original["additionalItems"] ?? .bool(true)
            let updateAdditional = update["additionalItems"] ?? .bool(true)
            for i in 0..<max(oTuple.count, uTuple.count) {
                let p = "\(path)/items/\(i)"
                if i < oTuple.count, i < uTuple.count {
                    compare(inOriginal(oTuple[i]), inUpdate(uTuple[i]), path: p)
                } else if i < oTuple.count {
                    // Removed in the update: its additionalItems must take the item.
                    if updateAdditional == .bool(false) {
                        if oTuple[i] != .bool(false) { add("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", p) }
                    } else if !JSONSchemaDiff.isEmptySchema(updateAdditional),
                        !isCovered(inOriginal(oTuple[i]), by: inUpdate(updateAdditional), path: p)
                    {
                        add("ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p)
                    }
                } else if originalAdditional != .bool(false) {
                    // Added in the update: the original's additionalItems accepted anything there.
                    if JSONSchemaDiff.isEmptySchema(originalAdditional) {
                        if !JSONSchemaDiff.isEmptySchema(uTuple[i]) { add("ITEM_ADDED_TO_OPEN_CONTENT_MODEL", p) }
                    } else if !isCovered(inOriginal(originalAdditional), by: inUpdate(uTuple[i]), path: p) {
                        add("ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p)
                    }
                }
            }
            let ap = "\(path)/additionalItems"
            if originalAdditional != .bool(false), updateAdditional == .bool(false) {
                add("ADDITIONAL_ITEMS_REMOVED", ap)
            } else if originalAdditional != .bool(false) {
                let originalSchema = !JSONSchemaDiff.isEmptySchema(originalAdditional)
                let updateSchema = !JSONSchemaDiff.isEmptySchema(updateAdditional)
                if !originalSchema, updateSchema {
                    add("ADDITIONAL_ITEMS_NARROWED", ap)
                } else if originalSchema, updateSchema {
                    compare(inOriginal(originalAdditional), inUpdate(updateAdditional), path: ap)
                }
            }
            return
        }
        switch (o, u) {
        case (nil, .some(let uv)):
            if !JSONSchemaDiff.isEmptySchema(uv) { add("SCHEMA_ADDED", "\(path)/items") }
        case (.some(let ov), .some(let uv)):
            compare(inOriginal(ov), inUpdate(uv), path: "\(path)/items")
        default:
            break
        }
    }

    // MARK: Combined and negated schemas

    private mutating func compareCombined(_ originalNode: Node, _ updateNode: Node, _ path: String) {
        let (original, update) = (originalNode.schema, updateNode.schema)
        guard let u = JSONSchemaDiff.combinedKeyword(update) else { return }
        guard let o = JSONSchemaDiff.combinedKeyword(original) else {
            add("COMBINED_TYPE_CHANGED", path)
            return
        }
        let originalAll = original[o]?.arrayValue ?? []
        let updateAll = update[u]?.arrayValue ?? []
        if o != u {
            // Confluent's CombinedSchemaDiff.compareCriteria: anything may become anyOf; a
            // singleton may become oneOf; only a singleton may become a singleton allOf.
            let allowed = u == "anyOf" || (u == "oneOf" && originalAll.count == 1) || (u == "allOf" && originalAll.count == 1 && updateAll.count == 1)
            if !allowed {
                add("COMBINED_TYPE_CHANGED", path)
                return
            }
        }
        var originalSubschemas: [JSONValue] = []
        for s in originalAll where !originalSubschemas.contains(s) { originalSubschemas.append(s) }
        var updateSubschemas: [JSONValue] = []
        for s in updateAll where !updateSubschemas.contains(s) { updateSubschemas.append(s) }
        let isProduct = u == "allOf"
        if updateSubschemas.count > originalSubschemas.count, isProduct {
            add("PRODUCT_TYPE_EXTENDED", path)
        } else if updateSubschemas.count < originalSubschemas.count, !isProduct {
            add("SUM_TYPE_NARROWED", path)
        }
        // Pair the subschemas by a maximum matching of compatible pairs (Kuhn's algorithm).
        var compatible: [[Bool]] = []
        for (i, os) in originalSubschemas.enumerated() {
            compatible.append(
                updateSubschemas.map {
                    isCovered(
                        Node(schema: os, document: originalNode.document), by: Node(schema: $0, document: updateNode.document), path: "\(path)/\(o)/\(i)")
                })
        }
        var matchOfUpdate = [Int?](repeating: nil, count: updateSubschemas.count)
        func augment(_ i: Int, _ seen: inout [Bool]) -> Bool {
            for j in updateSubschemas.indices where compatible[i][j] && !seen[j] {
                seen[j] = true
                let taken = matchOfUpdate[j]
                if taken == nil || augment(taken ?? i, &seen) {
                    matchOfUpdate[j] = i
                    return true
                }
            }
            return false
        }
        var matched = 0
        for i in originalSubschemas.indices {
            var seen = [Bool](repeating: false, count: updateSubschemas.count)
            if augment(i, &seen) { matched += 1 }
        }
        if matched < min(originalSubschemas.count, updateSubschemas.count) {
            add("COMBINED_TYPE_SUBSCHEMAS_CHANGED", path)
        }
    }

    /// `not`: the update may exclude less than the original did, never more.
    private mutating func compareNot(_ originalNode: Node, _ updateNode: Node, _ path: String) {
        guard let updateNot = updateNode.schema["not"] else { return }
        let p = "\(path)/not"
        guard let originalNot = originalNode.schema["not"] else {
            add("NOT_TYPE_EXTENDED", p)
            return
        }
        let writer = Node(schema: updateNot, document: updateNode.document)
        let reader = Node(schema: originalNot, document: originalNode.document)
        if !isCoveredReversed(writer, by: reader, path: p) { add("NOT_TYPE_EXTENDED", p) }
    }
}
