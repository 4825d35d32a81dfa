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
/// Covered: type (narrowed/changed; integer is part of number), string, number, array and
/// object bounds, pattern, multipleOf, uniqueItems, enum, properties under open, partially
/// open and closed content models, required, additionalProperties, items (single and tuple),
/// oneOf/anyOf/allOf by position, and local `$ref`s (recursion-safe).
/// Caveats: combined subschemas are paired by position, not by best match as Confluent does;
/// `dependencies`, `propertyNames`, `if/then/else` and remote `$ref`s are not compared.
struct JSONSchemaDiff {
    struct Difference {
        var rule: IncompatibilityRule
        var location: String
        var message: String
    }

    let originalRoot: JSONValue
    let updateRoot: JSONValue
    let originalLabel: String
    let updateLabel: String
    private var visitedRefs: Set<String> = []
    private var differences: [Difference] = []

    init(original: JSONValue, update: JSONValue, originalLabel: String, updateLabel: String) {
        originalRoot = original
        updateRoot = update
        self.originalLabel = originalLabel
        self.updateLabel = updateLabel
    }

    mutating func run() -> [Difference] {
        differences = []
        compare(originalRoot, updateRoot, path: "#")
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
        case let n where n.hasSuffix("_INCREASED"):
            message = "The value at path '\(location)' in the \(a) schema is more than its value in the \(b) schema"
        case let n where n.hasSuffix("_DECREASED"):
            message = "The value at path '\(location)' in the \(a) schema is less than its value in the \(b) schema"
        case let n where n.hasSuffix("_CHANGED") && n != "TYPE_CHANGED":
            message = "The value at path '\(location)' is different between the \(a) and \(b) schema"
        case let n where n.hasSuffix("_NARROWED") && n != "TYPE_NARROWED":
            message = "An array or combined type at path '\(location)' has fewer elements in the \(a) schema than the \(b) schema"
        case let n where n.hasSuffix("_EXTENDED"):
            message = "An array or combined type at path '\(location)' has more elements in the \(a) schema than the \(b) schema"
        case "TYPE_CHANGED", "TYPE_NARROWED":
            message = "A type at path '\(location)' is different between the \(a) schema and the \(b) schema"
        case "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_ADDED_TO_OPEN_CONTENT_MODEL":
            message = "The \(b) schema has an open content model and the \(a) schema has a property or item at path '\(location)' which is missing in the \(b) schema"
        case "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL":
            message = "The \(b) schema has an unopen content model and the \(a) schema has a required property at path '\(location)' which is missing in the \(b) schema"
        case "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL":
            message = "The \(a) schema has a closed content model and is missing a property or item present at path '\(location)' in the \(b) schema"
        case "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
            message = "A property at path '\(location)' is in one schema only and is not covered by the partially open content model of the other"
        case "REQUIRED_ATTRIBUTE_ADDED":
            message = "The \(a) schema requires the property at path '\(location)' which is not required in the \(b) schema"
        case "ADDITIONAL_PROPERTIES_REMOVED", "ADDITIONAL_ITEMS_REMOVED":
            message = "The \(a) schema does not allow additional properties or items at path '\(location)' which the \(b) schema allows"
        default:
            message = "\(name) at path '\(location)'"
        }
        differences.append(Difference(rule: rule(name), location: location, message: message))
    }

    /// Follows local `$ref`s (`#/definitions/X`, `#/$defs/X`, any local pointer).
    private func resolve(_ schema: JSONValue, root: JSONValue) -> (JSONValue, String?) {
        var current = schema
        var ref: String?
        var hops = 0
        while let r = current["$ref"]?.stringValue, r.hasPrefix("#"), hops < 32 {
            ref = r
            var target: JSONValue? = root
            for token in r.dropFirst().split(separator: "/") {
                let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                if let index = Int(key), let array = target?.arrayValue, array.indices.contains(index) {
                    target = array[index]
                } else {
                    target = target?[key]
                }
            }
            guard let target else { break }
            current = target
            hops += 1
        }
        return (current, ref)
    }

    private static func normalizedBool(_ schema: JSONValue) -> JSONValue {
        if case .bool(true) = schema { return .object([]) }
        return schema
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

    private mutating func compare(_ originalIn: JSONValue, _ updateIn: JSONValue, path: String) {
        let (originalResolved, originalRef) = resolve(originalIn, root: originalRoot)
        let (updateResolved, updateRef) = resolve(updateIn, root: updateRoot)
        if originalRef != nil || updateRef != nil {
            let key = "\(originalRef ?? path)\u{0}\(updateRef ?? path)"
            guard visitedRefs.insert(key).inserted else { return }
        }
        let original = JSONSchemaDiff.normalizedBool(originalResolved)
        let update = JSONSchemaDiff.normalizedBool(updateResolved)
        if original == update { return }
        if case .bool(false) = original { return }
        if case .bool(false) = update {
            add("TYPE_NARROWED", path)
            return
        }

        compareTypes(original, update, path: path)
        compareBound("maxLength", "MAX_LENGTH", isMax: true, original, update, path)
        compareBound("minLength", "MIN_LENGTH", isMax: false, original, update, path)
        compareBound("maximum", "MAXIMUM", isMax: true, original, update, path)
        compareBound("minimum", "MINIMUM", isMax: false, original, update, path)
        compareBound("exclusiveMaximum", "EXCLUSIVE_MAXIMUM", isMax: true, original, update, path)
        compareBound("exclusiveMinimum", "EXCLUSIVE_MINIMUM", isMax: false, original, update, path)
        compareBound("maxItems", "MAX_ITEMS", isMax: true, original, update, path)
        compareBound("minItems", "MIN_ITEMS", isMax: false, original, update, path)
        compareBound("maxProperties", "MAX_PROPERTIES", isMax: true, original, update, path)
        compareBound("minProperties", "MIN_PROPERTIES", isMax: false, original, update, path)
        comparePattern(original, update, path)
        compareMultipleOf(original, update, path)
        compareEnum(original, update, path)
        if original["uniqueItems"] != .bool(true), update["uniqueItems"] == .bool(true) {
            add("UNIQUE_ITEMS_ADDED", "\(path)/uniqueItems")
        }
        if isObjectSchema(original) || isObjectSchema(update) {
            compareObject(original, update, path)
        }
        compareItems(original, update, path)
        compareCombined(original, update, path)
    }

    private func isObjectSchema(_ s: JSONValue) -> Bool {
        JSONSchemaDiff.types(s)?.contains("object") == true || s["properties"] != nil || s["additionalProperties"] != nil
            || s["required"] != nil
    }

    private mutating func compareTypes(_ original: JSONValue, _ update: JSONValue, path: String) {
        let o = JSONSchemaDiff.types(original)
        let u = JSONSchemaDiff.types(update)
        guard o != u else { return }
        let allOriginalCovered = (o ?? JSONSchemaValidation.typeNames).allSatisfy { JSONSchemaDiff.covers(u, $0) }
        if allOriginalCovered { return }  // TYPE_EXTENDED
        let allUpdateCovered = (u ?? JSONSchemaValidation.typeNames).allSatisfy { JSONSchemaDiff.covers(o, $0) }
        add(allUpdateCovered ? "TYPE_NARROWED" : "TYPE_CHANGED", path)
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

    private static func isEmptySchema(_ s: JSONValue) -> Bool {
        normalizedBool(s) == .object([])
    }

    private mutating func compareObject(_ original: JSONValue, _ update: JSONValue, _ path: String) {
        let originalProps = original["properties"]?.objectMembers ?? []
        let updateProps = update["properties"]?.objectMembers ?? []
        let originalRequired = Set((original["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let updateRequired = Set((update["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let originalAdditional = original["additionalProperties"] ?? .bool(true)
        let updateAdditional = update["additionalProperties"] ?? .bool(true)

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
                compare(prop.value, updated.value, path: p)
                continue
            }
            // Removed in the update: only the update's content model matters.
            switch contentModel(update, additional: updateAdditional) {
            case .open: break
            case .partiallyOpen(let schema):
                if !isCovered(prop.value, by: schema, path: p) { add("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p) }
            case .closed:
                if prop.value != .bool(false) { add("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", p) }
            }
        }
        for prop in updateProps where !originalProps.contains(where: { $0.key == prop.key }) {
            let p = "\(path)/properties/\(prop.key)"
            // Added in the update: only the original's content model matters.
            switch contentModel(original, additional: originalAdditional) {
            case .open:
                if !JSONSchemaDiff.isEmptySchema(prop.value) { add("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", p) }
            case .partiallyOpen(let schema):
                if !isCovered(schema, by: prop.value, path: p) { add("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p) }
            case .closed:
                if updateRequired.contains(prop.key), prop.value["default"] == nil {
                    add("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", p)
                }
            }
        }

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
                compare(originalAdditional, updateAdditional, path: ap)
            }
        }
    }

    private enum ContentModel {
        case open
        case partiallyOpen(JSONValue)
        case closed
    }

    private func contentModel(_ schema: JSONValue, additional: JSONValue) -> ContentModel {
        if let patterns = schema["patternProperties"]?.objectMembers, !patterns.isEmpty { return .open }
        if additional == .bool(false) { return .closed }
        if additional.objectMembers != nil, !JSONSchemaDiff.isEmptySchema(additional) { return .partiallyOpen(additional) }
        return .open
    }

    /// Whether everything `writer` accepts is accepted by `reader`, judged with the same rules.
    private func isCovered(_ writer: JSONValue, by reader: JSONValue, path: String) -> Bool {
        var probe = self
        probe.differences = []
        probe.compare(writer, reader, path: path)
        return probe.differences.isEmpty
    }

    private mutating func compareItems(_ original: JSONValue, _ update: JSONValue, _ path: String) {
        let o = original["items"]
        let u = update["items"]
        if let oTuple = o?.arrayValue, let uTuple = u?.arrayValue {
            let originalOpen = (original["additionalItems"] ?? .bool(true)) != .bool(false)
            let updateOpen = (update["additionalItems"] ?? .bool(true)) != .bool(false)
            for i in 0..<max(oTuple.count, uTuple.count) {
                let p = "\(path)/items/\(i)"
                if i < oTuple.count, i < uTuple.count {
                    compare(oTuple[i], uTuple[i], path: p)
                } else if i < oTuple.count {
                    if !updateOpen { add("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", p) }
                } else if originalOpen, !JSONSchemaDiff.isEmptySchema(uTuple[i]) {
                    add("ITEM_ADDED_TO_OPEN_CONTENT_MODEL", p)
                }
            }
            if (original["additionalItems"] ?? .bool(true)) != .bool(false), update["additionalItems"] == .bool(false) {
                add("ADDITIONAL_ITEMS_REMOVED", "\(path)/additionalItems")
            }
            return
        }
        switch (o, u) {
        case (nil, .some(let uv)):
            compare(.object([]), uv, path: "\(path)/items")
        case (.some(let ov), .some(let uv)):
            compare(ov, uv, path: "\(path)/items")
        default:
            break
        }
    }

    private mutating func compareCombined(_ original: JSONValue, _ update: JSONValue, _ path: String) {
        let keywords = ["oneOf", "anyOf", "allOf"]
        let o = keywords.first { original[$0] != nil }
        let u = keywords.first { update[$0] != nil }
        guard let u else { return }
        guard let o else {
            add("COMBINED_TYPE_CHANGED", path)
            return
        }
        if o != u {
            // A sum type becoming another sum type still accepts the same alternatives.
            if !(o != "allOf" && u != "allOf") { add("COMBINED_TYPE_CHANGED", path) }
        }
        let os = original[o]?.arrayValue ?? []
        let us = update[u]?.arrayValue ?? []
        let isProduct = u == "allOf"
        if us.count > os.count, isProduct {
            add("PRODUCT_TYPE_EXTENDED", "\(path)/\(u)")
        } else if us.count < os.count, !isProduct {
            add("SUM_TYPE_NARROWED", "\(path)/\(u)")
        }
        for i in 0..<min(os.count, us.count) where !isCovered(os[i], by: us[i], path: "\(path)/\(u)/\(i)") {
            add("COMBINED_TYPE_SUBSCHEMAS_CHANGED", "\(path)/\(u)/\(i)")
        }
    }
}
