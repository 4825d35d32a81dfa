import Foundation

/// A path to a field, rendered the way apimachinery's `field.Path` renders it:
/// names joined by dots, indexes and map keys in brackets
/// (`spec.items[0].name`, `metadata.labels[app]`).
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    private enum Element: Sendable, Hashable {
        case name(String)
        case bracket(String)
    }

    private var elements: [Element]

    /// A root path of one or more names, e.g. `FieldPath("spec", "replicas")`.
    public init(_ name: String, _ moreNames: String...) {
        elements = [.name(name)] + moreNames.map { .name($0) }
    }

    /// The path of a named child; a name may itself contain dots (`spec.replicas`),
    /// as kube-apiserver does for paths coming from kube-openapi.
    public func child(_ name: String, _ moreNames: String...) -> FieldPath {
        var copy = self
        copy.elements.append(.name(name))
        copy.elements.append(contentsOf: moreNames.map { .name($0) })
        return copy
    }

    /// The path of a list element.
    public func index(_ index: Int) -> FieldPath {
        var copy = self
        copy.elements.append(.bracket(String(index)))
        return copy
    }

    /// The path of a map entry.
    public func key(_ key: String) -> FieldPath {
        var copy = self
        copy.elements.append(.bracket(key))
        return copy
    }

    public var description: String {
        var out = ""
        for (offset, element) in elements.enumerated() {
            switch element {
            case .name(let name):
                if offset > 0 && !name.isEmpty { out += "." }
                out += name
            case .bracket(let key):
                out += "[\(key)]"
            }
        }
        return out
    }

    /// How apimachinery prints a nil `*field.Path`.
    public static let nilDescription = "<nil>"
}

extension Optional where Wrapped == FieldPath {
    /// `Child` on a possibly-nil path, as `(*field.Path)(nil).Child(name)` works in Go.
    func child(_ name: String) -> FieldPath {
        switch self {
        case .some(let path): path.child(name)
        case .none: FieldPath(name)
        }
    }

    var rendered: String { self?.description ?? FieldPath.nilDescription }
}

/// A field-level validation error, worded exactly as apimachinery's `field.Error`.
///
/// `message` is what `Error()` returns (`spec.mode: Unsupported value: "X": supported
/// values: "Apply", "Plan"`); `body` is the part after `field: `, which kube-apiserver
/// puts into `status.details.causes[].message`.
public struct FieldError: Sendable, Hashable, Error, CustomStringConvertible {
    /// apimachinery's `field.ErrorType`; the raw value is the metav1 `CauseType`
    /// that appears as `reason` in a Status cause.
    public enum ErrorType: String, Sendable, Hashable, CaseIterable {
        case notFound = "FieldValueNotFound"
        case required = "FieldValueRequired"
        case duplicate = "FieldValueDuplicate"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case `internal` = "InternalError"
        case typeInvalid = "FieldValueTypeInvalid"
        case tooShort = "FieldValueTooShort"

        /// The canonical phrase, `ErrorType.String()` in Go.
        public var phrase: String {
            switch self {
            case .notFound: "Not found"
            case .required: "Required value"
            case .duplicate: "Duplicate value"
            case .invalid: "Invalid value"
            case .notSupported: "Unsupported value"
            case .forbidden: "Forbidden"
            case .tooLong: "Too long"
            case .tooMany: "Too many"
            case .internal: "Internal error"
            case .typeInvalid: "Invalid value"
            case .tooShort: "Too short"
            }
        }

        /// The metav1 `CauseType` string, e.g. `FieldValueRequired`.
        public var causeType: String { rawValue }
    }

    public var type: ErrorType
    /// The rendered field path, e.g. `spec.items[0].name`, or `<nil>`.
    public var field: String
    /// The offending value; `nil` when it is not shown (Go's omitted value).
    /// A JSON `null` bad value is `.null`.
    public var badValue: JSONValue?
    public var detail: String

    public init(type: ErrorType, field: String, badValue: JSONValue? = nil, detail: String = "") {
        self.type = type
        self.field = field
        self.badValue = badValue
        self.detail = detail
    }

    /// `field.Required`.
    public static func required(_ path: FieldPath?, _ detail: String = "") -> FieldError {
        FieldError(type: .required, field: path.rendered, badValue: nil, detail: detail)
    }

    /// `field.Invalid`.
    public static func invalid(_ path: FieldPath?, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(type: .invalid, field: path.rendered, badValue: value, detail: detail)
    }

    /// `field.TypeInvalid`.
    public static func typeInvalid(_ path: FieldPath?, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(type: .typeInvalid, field: path.rendered, badValue: value, detail: detail)
    }

    /// `field.NotSupported`: `supported values: "a", "b"`.
    public static func notSupported(_ path: FieldPath?, _ value: JSONValue, supported: [String]) -> FieldError {
        let detail =
            supported.isEmpty ? "" : "supported values: " + supported.map(GoFormat.quote).joined(separator: ", ")
        return FieldError(type: .notSupported, field: path.rendered, badValue: value, detail: detail)
    }

    /// `field.Duplicate`.
    public static func duplicate(_ path: FieldPath?, _ value: JSONValue) -> FieldError {
        FieldError(type: .duplicate, field: path.rendered, badValue: value)
    }

    /// `field.NotFound`.
    public static func notFound(_ path: FieldPath?, _ value: JSONValue) -> FieldError {
        FieldError(type: .notFound, field: path.rendered, badValue: value)
    }

    /// `field.Forbidden`.
    public static func forbidden(_ path: FieldPath?, _ detail: String) -> FieldError {
        FieldError(type: .forbidden, field: path.rendered, badValue: nil, detail: detail)
    }

    /// `field.TooLong`: `may not be more than 5 bytes` (a negative maximum gives `value is too long`).
    public static func tooLong(_ path: FieldPath?, maxLength: Int) -> FieldError {
        let detail =
            maxLength >= 0
            ? "may not be more than \(maxLength) \(maxLength == 1 ? "byte" : "bytes")" : "value is too long"
        return FieldError(type: .tooLong, field: path.rendered, badValue: nil, detail: detail)
    }

    /// `field.TooShort`: `must be at least 3 bytes`.
    public static func tooShort(_ path: FieldPath?, minLength: Int) -> FieldError {
        let detail =
            minLength >= 0 ? "must be at least \(minLength) \(minLength == 1 ? "byte" : "bytes")" : "value is too short"
        return FieldError(type: .tooShort, field: path.rendered, badValue: nil, detail: detail)
    }

    /// `field.TooMany`: `Too many: 4: must have at most 3 items`; negative numbers are left out.
    public static func tooMany(_ path: FieldPath?, actual: Int, max: Int) -> FieldError {
        let detail = max >= 0 ? "must have at most \(max) \(max == 1 ? "item" : "items")" : "too many items"
        return FieldError(
            type: .tooMany, field: path.rendered, badValue: actual >= 0 ? .int(Int64(actual)) : nil, detail: detail)
    }

    /// `field.InternalError`.
    public static func internalError(_ path: FieldPath?, _ detail: String) -> FieldError {
        FieldError(type: .internal, field: path.rendered, badValue: nil, detail: detail)
    }

    /// The message without the field, Go's `ErrorBody()`; the `message` of a Status cause.
    public var body: String {
        var text: String
        switch type {
        case .required, .forbidden, .tooLong, .tooShort, .internal:
            text = type.phrase
        case .invalid, .typeInvalid, .notSupported, .notFound, .duplicate, .tooMany:
            if let badValue {
                text = "\(type.phrase): \(GoFormat.badValue(badValue))"
            } else {
                text = type.phrase
            }
        }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    /// Go's `Error()`: `<field>: <body>`.
    public var message: String { "\(field): \(body)" }

    public var description: String { message }

    /// The entry kube-apiserver puts into `status.details.causes`.
    public var statusCause: StatusCause {
        StatusCause(reason: type.causeType, message: body, field: field)
    }
}

extension FieldError {
    /// The messages of a list of errors as `ErrorList.ToAggregate().Error()` prints them:
    /// duplicates dropped, one error plain, several as `[e1, e2]`; `<nil>` for none.
    public static func aggregateMessage(_ errors: [FieldError]) -> String {
        var seen = Set<String>()
        var messages: [String] = []
        for error in errors where seen.insert(error.message).inserted {
            messages.append(error.message)
        }
        switch messages.count {
        case 0: return "<nil>"
        case 1: return messages[0]
        default: return "[" + messages.joined(separator: ", ") + "]"
        }
    }

    /// The message of kube-apiserver's 422 Invalid status (`apierrors.NewInvalid`):
    /// `Widget.example.com "w1" is invalid: spec.replicas: Invalid value: …`.
    /// An empty group gives the bare kind (`ConfigMap "x" is invalid: …`).
    public static func invalidObjectMessage(kind: String, group: String, name: String, errors: [FieldError]) -> String {
        let groupKind = group.isEmpty ? kind : "\(kind).\(group)"
        return "\(groupKind) \(GoFormat.quote(name)) is invalid: \(aggregateMessage(errors))"
    }
}

/// Renders values the way Go's fmt and encoding/json do, so messages match kube-apiserver byte for byte.
enum GoFormat {
    /// How `ErrorBody` prints a bad value: numbers and booleans with `%v`, strings with `%q`,
    /// everything else as JSON.
    static func badValue(_ value: JSONValue) -> String {
        switch value {
        case .int(let i): String(i)
        case .double(let d): float(d)
        case .bool(let b): b ? "true" : "false"
        case .string(let s): quote(s)
        case .null, .array, .object: json(value)
        }
    }

    /// `fmt.Sprintf("%v", float64)`, i.e. `%g` with the shortest digits: exponent form when the
    /// decimal exponent is below -4 or at least 6 (`1e+06`, `1e-05`), fixed form otherwise.
    static func float(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let (negative, digits, point) = shortestDigits(d)
        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0" }
        let exponent = point - 1
        if exponent < -4 || exponent >= 6 {
            return sign + exponentForm(digits, exponent)
        }
        return sign + fixedForm(digits, point)
    }

    /// encoding/json's float formatting: fixed notation, exponent form below 1e-6 and from 1e21 up.
    static func jsonFloat(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        let (negative, digits, point) = shortestDigits(d)
        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0" }
        let magnitude = abs(d)
        if magnitude < 1e-6 || magnitude >= 1e21 {
            var text = exponentForm(digits, point - 1)
            // encoding/json cleans up e-09 to e-9.
            if let range = text.range(of: "e-0") { text.replaceSubrange(range, with: "e-") }
            return sign + text
        }
        return sign + fixedForm(digits, point)
    }

    /// The shortest round-tripping decimal digits of `d` (no leading or trailing zeros) and the
    /// position of the decimal point: value = 0.digits × 10^point.
    private static func shortestDigits(_ d: Double) -> (negative: Bool, digits: [Character], point: Int) {
        let negative = d.sign == .minus
        var text = abs(d).description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array(integer + fraction)
        var point = integer.count + exponent
        while let first = digits.first, first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == "0" { digits.removeLast() }
        return (negative, digits, point)
    }

    private static func exponentForm(_ digits: [Character], _ exponent: Int) -> String {
        var text = String(digits[0])
        if digits.count > 1 { text += "." + String(digits[1...]) }
        let magnitude = abs(exponent)
        text += exponent < 0 ? "e-" : "e+"
        text += magnitude < 10 ? "0\(magnitude)" : String(magnitude)
        return text
    }

    private static func fixedForm(_ digits: [Character], _ point: Int) -> String {
        if point <= 0 {
            return "0." + String(repeating: "0", count: -point) + String(digits)
        }
        if point >= digits.count {
            return String(digits) + String(repeating: "0", count: point - digits.count)
        }
        return String(digits[..<point]) + "." + String(digits[point...])
    }

    /// `strconv.Quote`: double quotes, Go escapes, printable Unicode kept as is.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if isPrint(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `json.Marshal` of a decoded JSON value: compact, map keys sorted bytewise, HTML-safe escapes.
    static func json(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return jsonFloat(d)
        case .string(let s): return jsonString(s)
        case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .object(let members):
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return "{" + keys.map { jsonString($0) + ":" + json(members[$0] ?? .null) }.joined(separator: ",") + "}"
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex(scalar.value, width: 4)
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
