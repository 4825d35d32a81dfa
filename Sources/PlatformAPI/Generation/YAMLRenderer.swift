import KubeAPI

/// Writes JSON values as block-style YAML, deterministically: keys sorted
/// (in an object that has `apiVersion`, with `apiVersion`, `kind`, `metadata`,
/// `spec`, `status` first, as people read Kubernetes objects), sequences not
/// indented under their key
/// (as kubectl writes them), and strings quoted only when a YAML reader could
/// take them for something else.
public enum YAMLRenderer {
    /// Keys written before all others, in this order.
    static let leadingKeys = ["apiVersion", "kind", "metadata", "spec", "status"]

    /// One YAML document, ending in a newline.
    public static func render(_ value: JSONValue) -> String {
        var lines: [String] = []
        switch value {
        case .object(let object) where !object.isEmpty:
            emit(value, indent: 0, into: &lines)
        case .array(let array) where !array.isEmpty:
            emit(value, indent: 0, into: &lines)
        default:
            lines = scalarLines(value, indent: 0, prefix: "")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Several documents separated by `---`.
    public static func renderDocuments(_ values: [JSONValue]) -> String {
        values.map(render).joined(separator: "---\n")
    }

    /// The order keys are written in.
    static func orderedKeys(_ object: JSONObject) -> [String] {
        guard object["apiVersion"] != nil else { return object.keys.sorted() }
        let leading = leadingKeys.filter { object[$0] != nil }
        return leading + object.keys.filter { !leadingKeys.contains($0) }.sorted()
    }

    private static func isCollection(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): !object.isEmpty
        case .array(let array): !array.isEmpty
        default: false
        }
    }

    /// Emits a non-empty object or array whose lines start at `indent`.
    private static func emit(_ value: JSONValue, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object):
            for key in orderedKeys(object) {
                guard let member = object[key] else { continue }
                let keyText = pad + scalarText(key) + ":"
                switch member {
                case .object(let child) where !child.isEmpty:
                    lines.append(keyText)
                    emit(member, indent: indent + 2, into: &lines)
                case .array(let child) where !child.isEmpty:
                    lines.append(keyText)
                    emit(member, indent: indent, into: &lines)
                default:
                    lines += scalarLines(member, indent: indent + 2, prefix: keyText + " ")
                }
            }
        case .array(let array):
            for item in array {
                if isCollection(item) {
                    var itemLines: [String] = []
                    emit(item, indent: indent + 2, into: &itemLines)
                    guard let first = itemLines.first else { continue }
                    itemLines[0] = pad + "- " + first.dropFirst(indent + 2)
                    lines += itemLines
                } else {
                    lines += scalarLines(item, indent: indent + 2, prefix: pad + "- ")
                }
            }
        default:
            lines += scalarLines(value, indent: indent, prefix: pad)
        }
    }

    /// A scalar (or empty collection) after `prefix`; multi-line strings become
    /// literal blocks indented at `indent`.
    private static func scalarLines(_ value: JSONValue, indent: Int, prefix: String) -> [String] {
        if case .string(let text) = value, let block = literalBlock(text, indent: indent) {
            return [prefix + block[0]] + block.dropFirst()
        }
        return [prefix + scalarText(value)]
    }

    private static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number):
            number.isFinite ? "\(number)" : (number.isNaN ? ".nan" : (number > 0 ? ".inf" : "-.inf"))
        case .string(let text): scalarText(text)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// A string as a plain, single-quoted or double-quoted scalar.
    static func scalarText(_ text: String) -> String {
        if isPlainSafe(text) { return text }
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
            return "'" + text.replacingAll("'", with: "''") + "'"
        }
        return doubleQuoted(text)
    }

    /// The lines of a literal block scalar (`|`, `|-`, `|+`), or nil when the
    /// string reads better, or is only correct, quoted.
    private static func literalBlock(_ text: String, indent: Int) -> [String]? {
        guard text.contains("\n"), !text.hasPrefix(" "), !text.hasPrefix("\n"),
            text.unicodeScalars.allSatisfy({ ($0.value >= 0x20 && $0.value != 0x7F) || $0 == "\n" })
        else { return nil }
        var body = Substring(text)
        var trailingNewlines = 0
        while body.hasSuffix("\n") {
            body = body.dropLast()
            trailingNewlines += 1
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        // Trailing spaces would be kept by a literal block but are easy to lose by hand; quote instead.
        guard lines.allSatisfy({ !$0.hasSuffix(" ") }) else { return nil }
        let header = trailingNewlines == 0 ? "|-" : (trailingNewlines == 1 ? "|" : "|+")
        let pad = String(repeating: " ", count: indent)
        var result = [header] + lines.map { $0.isEmpty ? "" : pad + $0 }
        if trailingNewlines > 1 { result += Array(repeating: "", count: trailingNewlines - 1) }
        return result
    }

    private static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Words YAML 1.1 or 1.2 readers turn into booleans or null.
    private static let reservedWords: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "=", "<<",
    ]

    /// Whether the string can be written without quotes and read back as the same string.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if reservedWords.contains(text.lowercased()) { return false }
        if first == " " || last == " " || last == ":" { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        // Anything starting like a number (ints, floats, dates, times, .5, +1, .inf) is quoted.
        if first.properties.numericType != nil { return false }
        if first == "." || first == "+" {
            let second = text.unicodeScalars.dropFirst().first
            if second == nil || second?.properties.numericType != nil || second == "." { return false }
            if [".inf", ".nan", "+.inf"].contains(text.lowercased()) { return false }
        }
        if text.contains(": ") || text.contains(" #") { return false }
        return text.unicodeScalars.allSatisfy {
            $0.value >= 0x20 && $0.value != 0x7F && $0 != "\t" && !($0.value >= 0x80 && $0.value < 0xA0)
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
