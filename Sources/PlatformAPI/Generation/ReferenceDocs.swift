import KubeAPI

/// Renders a kind's schema as a Markdown reference: one table per object
/// level (field, type, required, default, description), in declaration order.
public enum ReferenceDocs {
    /// The reference page of one kind (`docs/reference/<kind>.md`).
    public static func page(for type: any PlatformResource.Type) -> String {
        var out: [String] = [
            "<!-- Generated from Sources/PlatformAPI by hack/generate.sh; do not edit. -->",
            "# \(type.kind)",
            "",
            "`\(PlatformAPIGroup.apiVersion)` · namespaced · short name"
                + (type.shortNames.count == 1 ? " " : "s ") + type.shortNames.map { "`\($0)`" }.joined(separator: ", ")
                + " · category `\(PlatformAPIGroup.category)`",
            "",
            type.summary,
            "",
            "- **Sample:** [samples/\(type.singular).yaml](../../samples/\(type.singular).yaml)",
            "- **CRD:** [crds/\(type.crdName).yaml](../../crds/\(type.crdName).yaml)",
            "- **Conditions:** " + type.conditionTypes.map { "`\($0)`" }.joined(separator: ", ")
                + " (each with its own `observedGeneration`).",
            "- **Deletion:** `spec.deletionPolicy` defaults to `\(type.defaultDeletionPolicy.rawValue)`;"
                + " the finalizer `\(PlatformAPIGroup.finalizer)` holds the object until the policy is carried out.",
            "- **Forcing a reconcile:** set the annotation `\(PlatformAPIGroup.reconcileRequestedAtAnnotation)` to a new value.",
            "- **`kubectl get` columns:** "
                + type.printerColumns.map { "\($0.name) (`\($0.jsonPath)`)" }.joined(separator: ", ") + ".",
            "",
        ]
        var renderer = Renderer()
        renderer.section("spec", type.specSchema, level: 2)
        renderer.section("status", type.statusSchema, level: 2)
        out += renderer.lines
        return out.joined(separator: "\n") + "\n"
    }

    /// `docs/reference/README.md`: the index of the kinds.
    public static func index() -> String {
        var out = [
            "<!-- Generated from Sources/PlatformAPI by hack/generate.sh; do not edit. -->",
            "# `\(PlatformAPIGroup.apiVersion)` reference",
            "",
            "All kinds are namespaced, have the status subresource, and are listed by `kubectl get \(PlatformAPIGroup.category)`.",
            "",
            "| Kind | Short names | Default deletionPolicy | What it is |",
            "|---|---|---|---|",
        ]
        for type in PlatformKinds.all {
            out.append(
                "| [\(type.kind)](\(type.singular).md) | " + type.shortNames.map { "`\($0)`" }.joined(separator: ", ")
                    + " | `\(type.defaultDeletionPolicy.rawValue)` | " + cell(type.summary) + " |")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Walks the schema, writing a table per object and remembering which
    /// structures were written so repeated ones link to the first.
    private struct Renderer {
        var lines: [String] = []
        var written: [APISchema: String] = [:]

        mutating func section(_ path: String, _ schema: APISchema, level: Int) {
            lines.append(String(repeating: "#", count: level) + " " + path)
            lines.append("")
            if !schema.description.isEmpty {
                lines.append(prose(schema.description))
                lines.append("")
            }
            table(path, schema)
        }

        mutating func table(_ path: String, _ schema: APISchema) {
            written[identity(schema)] = anchor(path)
            lines.append("| Field | Type | Required | Default | Description |")
            lines.append("|---|---|---|---|---|")
            var children: [(String, APISchema)] = []
            for property in schema.properties {
                let childPath = "\(path).\(property.name)"
                let (typeText, nested) = typeDescription(childPath, property.schema)
                if let nested { children.append(nested) }
                let defaultText = property.schema.defaultValue.map { "`" + compact($0) + "`" } ?? ""
                lines.append(
                    "| `\(property.name)` | \(typeText) | \(property.schema.isRequired ? "yes" : "") | "
                        + cell(defaultText) + " | " + cell(describe(property.schema)) + " |")
            }
            lines.append("")
            let rules = schema.validations.filter { $0.rule != "self == oldSelf" }
            if !rules.isEmpty {
                lines.append("Rules checked by the API server (CEL) and by the operator:")
                lines.append("")
                for rule in rules { lines.append("- \(rule.message) (`\(rule.rule.replacingAll("`", with: "'"))`)") }
                lines.append("")
            }
            for (childPath, child) in children where written[identity(child)] == nil {
                lines.append("### \(childPath)")
                lines.append("")
                if !child.description.isEmpty {
                    lines.append(prose(child.description))
                    lines.append("")
                }
                table(childPath, child)
            }
        }

        /// The type cell, and the object node that needs its own table, if any.
        func typeDescription(_ path: String, _ schema: APISchema) -> (String, (String, APISchema)?) {
            switch schema.shape {
            case .object(let properties) where !properties.isEmpty:
                let target = written[identity(schema)] ?? anchor(path)
                return ("[object](#\(target))", (path, schema))
            case .array(let items):
                let (inner, nested) = typeDescription(path + "[]", items)
                return (
                    inner.hasPrefix("[object]") ? "[[]object]" + inner.dropFirst("[object]".count) : "[]" + inner,
                    nested
                )
            case .map(let values):
                let (inner, nested) = typeDescription(path + ".*", values)
                return ("map[string]" + inner, nested)
            default:
                if let format = schema.format { return ("\(schema.typeName) (\(format))", nil) }
                return (schema.typeName, nil)
            }
        }

        /// The description with the constraints a reader needs.
        func describe(_ schema: APISchema) -> String {
            var parts = schema.description.isEmpty ? [] : [prose(schema.description)]
            if let values = schema.enumValues {
                parts.append("One of " + values.map { "`\($0)`" }.joined(separator: ", ") + ".")
            }
            var element = schema
            if case .array(let items) = schema.shape {
                if let values = items.enumValues {
                    parts.append("Each one of " + values.map { "`\($0)`" }.joined(separator: ", ") + ".")
                }
                element = items
            }
            if let pattern = element.pattern { parts.append("Pattern `\(pattern)`.") }
            if let bounds = bounds("Value", min: element.minimum.map(Int.init), max: element.maximum.map(Int.init)) {
                parts.append(bounds)
            }
            if let bounds = bounds("Length", min: element.minLength, max: element.maxLength) { parts.append(bounds) }
            if let bounds = bounds("Items", min: schema.minItems, max: schema.maxItems) { parts.append(bounds) }
            if let maxProperties = schema.maxProperties { parts.append("At most \(maxProperties) entries.") }
            if schema.listType == "set" { parts.append("Items are unique.") }
            if let keys = schema.listMapKeys {
                parts.append("Keyed by " + keys.map { "`\($0)`" }.joined(separator: " and ") + ".")
            }
            if schema.validations.contains(where: { $0.rule == "self == oldSelf" })
                && !schema.description.contains("Immutable")
            {
                parts.append("Immutable.")
            }
            if case .object = schema.shape {
            } else {
                for rule in schema.validations where rule.rule != "self == oldSelf" {
                    parts.append("Rule: \(rule.message).")
                }
            }
            return parts.joined(separator: " ")
        }

        func bounds(_ name: String, min: Int?, max: Int?) -> String? {
            switch (min, max) {
            case (let min?, let max?): "\(name) \(min)–\(max)."
            case (let min?, nil): "\(name) at least \(min)."
            case (nil, let max?): "\(name) at most \(max)."
            case (nil, nil): nil
            }
        }

        /// A node's structure, without what differs between uses of the same building block.
        func identity(_ schema: APISchema) -> APISchema {
            var copy = schema
            copy.description = ""
            copy.isRequired = false
            copy.defaultValue = nil
            copy.validations = copy.validations.filter { $0.rule != "self == oldSelf" }
            return copy
        }
    }

    /// GitHub's heading anchor.
    static func anchor(_ heading: String) -> String {
        String(
            heading.lowercased().unicodeScalars.compactMap { scalar -> Character? in
                if scalar == " " { return "-" }
                if scalar == "-" || scalar == "_" || scalar.properties.isAlphabetic
                    || scalar.properties.numericType != nil
                {
                    return Character(scalar)
                }
                return nil
            })
    }

    /// A value in compact JSON.
    static func compact(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .object(let object) where object.isEmpty: "{}"
        case .array(let array) where array.isEmpty: "[]"
        default: (try? value.serialized()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    /// Plain text made safe for Markdown: `<name>` would read as an HTML tag.
    static func prose(_ text: String) -> String {
        text.replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
    }

    /// Text made safe for a table cell.
    static func cell(_ text: String) -> String {
        text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
}
