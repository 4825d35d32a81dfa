import Foundation

// MARK: - metav1.LabelSelector

/// A label selector as it appears in resource specs (`metav1.LabelSelector`).
///
/// The requirements of `matchLabels` and `matchExpressions` are ANDed. An empty
/// selector (no labels, no expressions) selects everything; a missing selector
/// (`nil` where a `LabelSelector?` is expected) selects nothing. Use
/// ``LabelSelectorQuery/init(_:)`` to turn it into something that can match.
public struct LabelSelector: Codable, Sendable, Hashable {
    /// Exact-match requirements: each key must be present with this value.
    public var matchLabels: [String: String]?
    /// Set-based requirements.
    public var matchExpressions: [LabelSelectorRequirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }
}

/// One set-based requirement of a ``LabelSelector`` (`metav1.LabelSelectorRequirement`).
public struct LabelSelectorRequirement: Codable, Sendable, Hashable {
    /// The label key the requirement applies to.
    public var key: String
    /// How `key` relates to `values`.
    public var `operator`: LabelSelectorOperator
    /// Must be non-empty for `In` and `NotIn`, and empty for `Exists` and `DoesNotExist`.
    public var values: [String]?

    public init(key: String, operator: LabelSelectorOperator, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }
}

/// The operator of a ``LabelSelectorRequirement``.
///
/// A string wrapper rather than a closed enum so that a selector with an unknown
/// operator still decodes, and is rejected when converted to a query, as the API
/// server does.
public struct LabelSelectorOperator: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let `in` = LabelSelectorOperator(rawValue: "In")
    public static let notIn = LabelSelectorOperator(rawValue: "NotIn")
    public static let exists = LabelSelectorOperator(rawValue: "Exists")
    public static let doesNotExist = LabelSelectorOperator(rawValue: "DoesNotExist")

    public var description: String { rawValue }
}

// MARK: - Errors

/// Why a label selector was rejected; the message follows k8s.io/apimachinery's wording.
public struct LabelSelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short, stable reason, suitable for a metric label.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Code: String, Sendable {
            case syntax, invalidKey, invalidValue, invalidOperator
        }
        fileprivate let code: Code

        /// The selector text could not be tokenized or parsed.
        public static let syntax = Reason(code: .syntax)
        /// A label key is not a qualified name.
        public static let invalidKey = Reason(code: .invalidKey)
        /// A value is not a valid label value, or there is the wrong number of values for the operator.
        public static let invalidValue = Reason(code: .invalidValue)
        /// A `matchExpressions` operator is not one of In, NotIn, Exists, DoesNotExist.
        public static let invalidOperator = Reason(code: .invalidOperator)

        public var description: String { code.rawValue }
    }

    /// The short reason.
    public let reason: Reason
    /// The full message, e.g. `unable to parse requirement: <nil>: Invalid value: "a_": name part must …`.
    public let message: String

    public var description: String { message }

    fileprivate init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

// MARK: - Parsed selector

/// A label selector ready to match label sets, with the semantics of
/// `k8s.io/apimachinery/pkg/labels.Selector`.
///
/// Build one by parsing the string syntax of `?labelSelector=` with
/// ``init(parsing:)``, or from a ``LabelSelector`` with ``init(_:)``.
///
/// Guarantees:
/// - Requirements are kept sorted by key, so ``description`` is canonical:
///   parsing `b=1, a in (y,x)` and `a in (x,y),b=1` yields equal values and the
///   same text `a in (x,y),b=1`.
/// - `!=` and `notin` match when the key is absent; `=`, `==`, `in`, `gt` and `lt` do not.
public struct LabelSelectorQuery: Sendable, Hashable, CustomStringConvertible {
    /// How a requirement relates a key to its values (`selection.Operator`).
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
        case `in` = "in"
        case notIn = "notin"
        case exists = "exists"
        case doesNotExist = "!"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    /// One validated requirement of a selector.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The label key.
        public let key: String
        /// The operator.
        public let `operator`: Operator
        /// The values; for `in` and `notin` sorted and without duplicates.
        public let values: [String]

        /// Validates and builds a requirement, like `labels.NewRequirement`.
        ///
        /// - Throws: ``LabelSelectorError`` when the key is not a qualified name, a
        ///   value is not a label value, or the number of values does not suit the operator.
        public init(key: String, operator: Operator, values: [String]) throws(LabelSelectorError) {
            var problems: [(LabelSelectorError.Reason, String)] = []
            func invalid(_ reason: LabelSelectorError.Reason, _ path: String, _ value: String, _ detail: String) {
                problems.append((reason, fieldInvalid(path, value, detail)))
            }
            if let detail = LabelValidation.qualifiedNameProblem(key) {
                invalid(.invalidKey, "key", quoted(key), detail)
            }
            let valueSet = goStringSlice(values)
            switch `operator` {
            case .in, .notIn:
                if values.isEmpty {
                    invalid(.invalidValue, "values", valueSet, "for 'in', 'notin' operators, values set can't be empty")
                }
            case .equals, .doubleEquals, .notEquals:
                if values.count != 1 {
                    invalid(.invalidValue, "values", valueSet, "exact-match compatibility requires one single value")
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    invalid(.invalidValue, "values", valueSet, "values set must be empty for exists and does not exist")
                }
            case .greaterThan, .lessThan:
                if values.count != 1 {
                    invalid(
                        .invalidValue, "values", valueSet, "for 'Gt', 'Lt' operators, exactly one value is required")
                }
                for (index, value) in values.enumerated() where Int64(value) == nil {
                    invalid(
                        .invalidValue, "values[\(index)]", quoted(value),
                        "for 'Gt', 'Lt' operators, the value must be an integer")
                }
            }
            for (index, value) in values.enumerated() {
                if let detail = LabelValidation.labelValueProblem(value) {
                    invalid(.invalidValue, "values[\(index)][\(key)]", quoted(value), detail)
                }
            }
            if let first = problems.first {
                let message =
                    problems.count == 1 ? first.1 : "[" + problems.map(\.1).joined(separator: ", ") + "]"
                throw LabelSelectorError(first.0, message)
            }
            self.key = key
            self.operator = `operator`
            // Set-based values are a set: a canonical order makes equal requirements compare equal.
            self.values = `operator` == .in || `operator` == .notIn ? Array(Set(values)).sorted() : values
        }

        fileprivate init(unchecked key: String, operator: Operator, values: [String]) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }

        /// Whether a set of labels satisfies this requirement.
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch `operator` {
            case .in, .equals, .doubleEquals:
                guard let value else { return false }
                return values.contains(value)
            case .notIn, .notEquals:
                guard let value else { return true }
                return !values.contains(value)
            case .exists:
                return value != nil
            case .doesNotExist:
                return value == nil
            case .greaterThan, .lessThan:
                guard let value, let actual = Int64(value), values.count == 1,
                    let bound = values.first.flatMap({ Int64($0) })
                else { return false }
                return `operator` == .greaterThan ? actual > bound : actual < bound
            }
        }

        /// The requirement in selector syntax, e.g. `tier in (backend,cache)` or `!canary`.
        public var description: String {
            let shownValues = values.count == 1 ? values[0] : values.sorted().joined(separator: ",")
            switch `operator` {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .equals: return key + "=" + shownValues
            case .doubleEquals: return key + "==" + shownValues
            case .notEquals: return key + "!=" + shownValues
            case .in: return key + " in (" + shownValues + ")"
            case .notIn: return key + " notin (" + shownValues + ")"
            case .greaterThan: return key + ">" + shownValues
            case .lessThan: return key + "<" + shownValues
            }
        }
    }

    /// The requirements, ANDed, sorted by key.
    public let requirements: [Requirement]
    /// True for the selector that matches nothing (a missing `LabelSelector`).
    private let selectsNothing: Bool

    /// The selector that matches every label set (the empty string).
    public static let everything = LabelSelectorQuery(sorted: [], selectsNothing: false)
    /// The selector that matches no label set; what a `nil` ``LabelSelector`` means.
    public static let nothing = LabelSelectorQuery(sorted: [], selectsNothing: true)

    private init(sorted requirements: [Requirement], selectsNothing: Bool) {
        self.requirements = requirements
        self.selectsNothing = selectsNothing
    }

    /// A selector from requirements, which are sorted by key (stably).
    public init(requirements: [Requirement]) {
        self.init(sorted: Self.sortedByKey(requirements), selectsNothing: false)
    }

    /// A selector requiring each key to have exactly the given value
    /// (`labels.SelectorFromValidatedSet`). The pairs are not validated.
    public init(matching labels: [String: String]) {
        self.init(
            sorted: labels.keys.sorted().map {
                Requirement(unchecked: $0, operator: .equals, values: [labels[$0] ?? ""])
            },
            selectsNothing: false)
    }

    /// Parses the string syntax of `?labelSelector=` exactly as `labels.Parse` does.
    ///
    /// ```
    /// <selector>    ::= <requirement> | <requirement> "," <selector>
    /// <requirement> ::= [!] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
    /// ```
    /// Whitespace between tokens is ignored. The empty string selects everything.
    ///
    /// - Throws: ``LabelSelectorError`` with apimachinery's message.
    public init(parsing text: String) throws(LabelSelectorError) {
        var parser = LabelSelectorParser(text)
        self.init(requirements: try parser.parse())
    }

    /// Converts a `metav1.LabelSelector`, as `metav1.LabelSelectorAsSelector` does:
    /// `nil` selects nothing, an empty selector selects everything.
    ///
    /// - Throws: ``LabelSelectorError`` for an invalid key, value or operator.
    public init(_ selector: LabelSelector?) throws(LabelSelectorError) {
        guard let selector else {
            self = .nothing
            return
        }
        let labels = selector.matchLabels ?? [:]
        let expressions = selector.matchExpressions ?? []
        var requirements: [Requirement] = []
        // Go iterates the map in random order; sorting makes the reported error deterministic.
        for key in labels.keys.sorted() {
            requirements.append(try Requirement(key: key, operator: .equals, values: [labels[key] ?? ""]))
        }
        for expression in expressions {
            let op: Operator
            switch expression.operator {
            case .in: op = .in
            case .notIn: op = .notIn
            case .exists: op = .exists
            case .doesNotExist: op = .doesNotExist
            default:
                throw LabelSelectorError(
                    .invalidOperator, "\(quoted(expression.operator.rawValue)) is not a valid label selector operator")
            }
            requirements.append(try Requirement(key: expression.key, operator: op, values: expression.values ?? []))
        }
        self.init(requirements: requirements)
    }

    /// True when the selector does not restrict anything (matches every label set).
    public var isEmpty: Bool { requirements.isEmpty && !selectsNothing }

    /// Whether a set of labels satisfies every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        if selectsNothing { return false }
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// The value `label` must have for the selector to match, if the selector pins
    /// it to exactly one value (`=`, `==`, or `in` with one value); lets a server
    /// narrow a list by an index.
    public func requiredValue(for label: String) -> String? {
        guard let requirement = requirements.first(where: { $0.key == label }) else { return nil }
        switch requirement.operator {
        case .equals, .doubleEquals, .in:
            return requirement.values.count == 1 ? requirement.values[0] : nil
        default:
            return nil
        }
    }

    /// The canonical selector text (`labels.Selector.String()`): requirements
    /// sorted by key, joined with commas, no spaces except around `in`/`notin`.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    private static func sortedByKey(_ requirements: [Requirement]) -> [Requirement] {
        requirements.enumerated()
            .sorted { lhs, rhs in
                lhs.element.key != rhs.element.key ? lhs.element.key < rhs.element.key : lhs.offset < rhs.offset
            }
            .map(\.element)
    }
}

extension LabelSelector {
    /// This selector as a ``LabelSelectorQuery``.
    public func query() throws(LabelSelectorError) -> LabelSelectorQuery {
        try LabelSelectorQuery(self)
    }
}

// MARK: - Lexer and parser

/// A port of apimachinery's lexer and recursive-descent parser, kept token for
/// token so that accepted inputs and error messages agree with the API server.
private struct LabelSelectorParser {
    enum Token: Equatable {
        case error, endOfString, closedPar, comma, doesNotExist, doubleEquals, equals, greaterThan
        case identifier, `in`, lessThan, notEquals, notIn, openPar
    }

    /// In a value position, `in` and `notin` are plain identifiers.
    enum Context { case keyAndOperator, values }

    struct Item {
        var token: Token
        var literal: String
    }

    private static let literals: [String: Token] = [
        ")": .closedPar, ",": .comma, "!": .doesNotExist, "==": .doubleEquals, "=": .equals, ">": .greaterThan,
        "in": .in, "<": .lessThan, "!=": .notEquals, "notin": .notIn, "(": .openPar,
    ]

    private let bytes: [UInt8]
    private var position = 0
    private var items: [Item] = []
    private var cursor = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    // MARK: Lexer

    private mutating func read() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func unread() { position -= 1 }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n")
    }

    private static func isSpecialSymbol(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","),
            UInt8(ascii: ">"), UInt8(ascii: "<"):
            true
        default: false
        }
    }

    private mutating func scanIdentifierOrKeyword() -> Item {
        var buffer: [UInt8] = []
        while true {
            let byte = read()
            if byte == 0 { break }
            if Self.isSpecialSymbol(byte) || Self.isWhitespace(byte) {
                unread()
                break
            }
            buffer.append(byte)
        }
        let text = String(decoding: buffer, as: UTF8.self)
        return Item(token: Self.literals[text] ?? .identifier, literal: text)
    }

    private mutating func scanSpecialSymbol() -> Item {
        var buffer: [UInt8] = []
        var last: Item?
        while true {
            let byte = read()
            if byte == 0 { break }
            guard Self.isSpecialSymbol(byte) else {
                unread()
                break
            }
            buffer.append(byte)
            let text = String(decoding: buffer, as: UTF8.self)
            if let token = Self.literals[text] {
                last = Item(token: token, literal: text)
            } else if last != nil {
                unread()
                break
            }
        }
        return last
            ?? Item(
                token: .error, literal: "error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'")
    }

    private mutating func lex() -> Item {
        var byte = read()
        while Self.isWhitespace(byte) { byte = read() }
        if byte == 0 { return Item(token: .endOfString, literal: "") }
        unread()
        return Self.isSpecialSymbol(byte) ? scanSpecialSymbol() : scanIdentifierOrKeyword()
    }

    // MARK: Parser

    private func lookahead(_ context: Context) -> (Token, String) {
        // The scan always ends with endOfString; reading past it keeps returning it.
        let item = items[min(cursor, items.count - 1)]
        return (Self.adjust(item.token, context), item.literal)
    }

    private mutating func consume(_ context: Context) -> (Token, String) {
        let result = lookahead(context)
        cursor += 1
        return result
    }

    private static func adjust(_ token: Token, _ context: Context) -> Token {
        if context == .values, token == .in || token == .notIn { return .identifier }
        return token
    }

    private static func syntax(_ message: String) -> LabelSelectorError {
        LabelSelectorError(.syntax, message)
    }

    mutating func parse() throws(LabelSelectorError) -> [LabelSelectorQuery.Requirement] {
        while true {
            let item = lex()
            items.append(item)
            if item.token == .endOfString { break }
        }
        var requirements: [LabelSelectorQuery.Requirement] = []
        while true {
            let (token, literal) = lookahead(.values)
            switch token {
            case .identifier, .doesNotExist:
                do {
                    requirements.append(try parseRequirement())
                } catch {
                    throw LabelSelectorError(error.reason, "unable to parse requirement: " + error.message)
                }
                let (next, nextLiteral) = consume(.values)
                switch next {
                case .endOfString:
                    return requirements
                case .comma:
                    let (after, afterLiteral) = lookahead(.values)
                    if after != .identifier && after != .doesNotExist {
                        throw Self.syntax("found '\(afterLiteral)', expected: identifier after ','")
                    }
                default:
                    throw Self.syntax("found '\(nextLiteral)', expected: ',' or 'end of string'")
                }
            case .endOfString:
                return requirements
            default:
                throw Self.syntax("found '\(literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(LabelSelectorError) -> LabelSelectorQuery.Requirement {
        let (key, inferred) = try parseKeyAndInferOperator()
        if let inferred {
            return try LabelSelectorQuery.Requirement(key: key, operator: inferred, values: [])
        }
        let op = try parseOperator()
        let values: [String]
        switch op {
        case .in, .notIn: values = try parseValues()
        default: values = try parseExactValue()
        }
        // apimachinery collects parsed values in a sorted set before validating them,
        // which decides the index named in an error.
        return try LabelSelectorQuery.Requirement(key: key, operator: op, values: Array(Set(values)).sorted())
    }

    /// Reads `[!] KEY`; returns `exists`/`doesNotExist` when no binary operator follows.
    private mutating func parseKeyAndInferOperator() throws(LabelSelectorError) -> (
        String, LabelSelectorQuery.Operator?
    ) {
        var op: LabelSelectorQuery.Operator?
        var (token, literal) = consume(.values)
        if token == .doesNotExist {
            op = .doesNotExist
            (token, literal) = consume(.values)
        }
        guard token == .identifier else {
            throw Self.syntax("found '\(literal)', expected: identifier")
        }
        if let detail = LabelValidation.qualifiedNameProblem(literal) {
            throw LabelSelectorError(.invalidKey, fieldInvalid("<nil>", quoted(literal), detail))
        }
        let (next, _) = lookahead(.values)
        if (next == .endOfString || next == .comma) && op == nil {
            op = .exists
        }
        return (literal, op)
    }

    private mutating func parseOperator() throws(LabelSelectorError) -> LabelSelectorQuery.Operator {
        let (token, literal) = consume(.keyAndOperator)
        switch token {
        case .in: return .in
        case .equals: return .equals
        case .doubleEquals: return .doubleEquals
        case .greaterThan: return .greaterThan
        case .lessThan: return .lessThan
        case .notIn: return .notIn
        case .notEquals: return .notEquals
        default:
            throw Self.syntax("found '\(literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
    }

    /// Reads `( VALUE, … )`; empty entries such as in `(a,,b)` or `()` are the empty value.
    private mutating func parseValues() throws(LabelSelectorError) -> [String] {
        let (token, literal) = consume(.values)
        guard token == .openPar else {
            throw Self.syntax("found '\(literal)' expected: '('")
        }
        let (next, nextLiteral) = lookahead(.values)
        switch next {
        case .identifier, .comma:
            let values = try parseIdentifierList()
            _ = consume(.values)  // the ')' the list stopped at
            return values
        case .closedPar:
            _ = consume(.values)
            return [""]
        default:
            throw Self.syntax("found '\(nextLiteral)', expected: ',', ')' or identifier")
        }
    }

    private mutating func parseIdentifierList() throws(LabelSelectorError) -> [String] {
        var values: [String] = []
        while true {
            let (token, literal) = consume(.values)
            switch token {
            case .identifier:
                values.append(literal)
                let (next, nextLiteral) = lookahead(.values)
                switch next {
                case .comma: continue
                case .closedPar: return values
                default: throw Self.syntax("found '\(nextLiteral)', expected: ',' or ')'")
                }
            case .comma:
                if values.isEmpty { values.append("") }
                let (next, _) = lookahead(.values)
                if next == .closedPar {
                    values.append("")
                    return values
                }
                if next == .comma {
                    _ = consume(.values)
                    values.append("")
                }
            default:
                throw Self.syntax("found '\(literal)', expected: ',', or identifier")
            }
        }
    }

    private mutating func parseExactValue() throws(LabelSelectorError) -> [String] {
        let (next, _) = lookahead(.values)
        if next == .endOfString || next == .comma { return [""] }
        let (token, literal) = consume(.values)
        guard token == .identifier else {
            throw Self.syntax("found '\(literal)', expected: identifier")
        }
        return [literal]
    }
}

// MARK: - Validation

/// The checks of `k8s.io/apimachinery/pkg/util/validation` that selectors need,
/// with the same messages.
private enum LabelValidation {
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let subdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
    static let subdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    static let labelValueFormat = "(" + qualifiedNameFormat + ")?"
    static let labelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    /// Problems with a label key (`IsQualifiedName`) joined by "; ", or nil when valid.
    static func qualifiedNameProblem(_ value: String) -> String? {
        var problems: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                problems.append("prefix part must be non-empty")
            } else {
                problems += subdomainProblems(prefix).map { "prefix part " + $0 }
            }
        default:
            return "a qualified name "
                + regexError(qualifiedNameMessage, qualifiedNameFormat, ["MyName", "my.name", "123-abc"])
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if name.isEmpty {
            problems.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            problems.append("name part must be no more than 63 characters")
        }
        if !isQualifiedNamePart(name) {
            problems.append(
                "name part " + regexError(qualifiedNameMessage, qualifiedNameFormat, ["MyName", "my.name", "123-abc"]))
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// Problems with a label value (`IsValidLabelValue`) joined by "; ", or nil when valid.
    static func labelValueProblem(_ value: String) -> String? {
        var problems: [String] = []
        if value.utf8.count > 63 {
            problems.append("must be no more than 63 characters")
        }
        if !value.isEmpty && !isQualifiedNamePart(Substring(value)) {
            problems.append(labelValueRegexError)
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    static let labelValueRegexError = regexError(labelValueMessage, labelValueFormat, ["MyValue", "my_value", "12345"])

    private static func subdomainProblems(_ value: Substring) -> [String] {
        var problems: [String] = []
        if value.utf8.count > 253 {
            problems.append("must be no more than 253 characters")
        }
        let labelsValid = value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last else { return false }
            return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
                && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
        if !labelsValid {
            problems.append(regexError(subdomainMessage, subdomainFormat, ["example.com"]))
        }
        return problems
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    private static func isQualifiedNamePart(_ value: Substring) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy {
                isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        let shown = examples.map { "'\($0)', " }.joined(separator: "or ")
        return message + " (e.g. " + shown + "regex used for validation is '" + format + "')"
    }
}

/// `field.Invalid(path, value, detail).Error()`.
private func fieldInvalid(_ path: String, _ renderedValue: String, _ detail: String) -> String {
    "\(path): Invalid value: \(renderedValue): \(detail)"
}

/// Go's `%q` for the ASCII strings that reach these messages.
private func quoted(_ value: String) -> String {
    "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// Go's `%#v` of a `[]string`.
private func goStringSlice(_ values: [String]) -> String {
    values.isEmpty ? "[]string(nil)" : "[]string{" + values.map(quoted).joined(separator: ", ") + "}"
}

// MARK: - Field selector

/// A field selector (`?fieldSelector=`), parsed as `k8s.io/apimachinery/pkg/fields.ParseSelector` does.
///
/// Terms are `field=value`, `field==value` or `field!=value`, separated by commas
/// and ANDed. In a value, `\,`, `\=` and `\\` stand for the character itself.
/// The syntax has no whitespace handling: spaces belong to the field or value.
///
/// Which fields may be selected on is the server's business: inspect
/// ``requirements`` (or ``fields``) and reject the unsupported ones.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// How a field is compared with a value.
    public enum Operator: String, Sendable, Hashable {
        /// `=` or `==`.
        case equals = "="
        /// `!=`.
        case notEquals = "!="
    }

    /// One term of a field selector.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The dotted field path, e.g. `metadata.name`.
        public let field: String
        /// The comparison.
        public let `operator`: Operator
        /// The value, unescaped.
        public let value: String

        public init(field: String, operator: Operator, value: String) {
            self.field = field
            self.operator = `operator`
            self.value = value
        }

        /// Compares the field of `object` at the dotted path; a missing field reads as "".
        public func matches(_ object: JSONValue) -> Bool {
            let actual = FieldSelector.fieldText(
                object.value(at: field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)))
            return (actual == value) == (`operator` == .equals)
        }

        /// The term in selector syntax, with its value escaped.
        public var description: String {
            field + `operator`.rawValue + FieldSelector.escape(value)
        }
    }

    /// The terms, sorted as apimachinery sorts them (by their text).
    public let requirements: [Requirement]

    /// The selector that matches everything (the empty string).
    public static let everything = FieldSelector(requirements: [])

    /// A selector from terms, kept in the given order.
    public init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses `?fieldSelector=` text; the empty string selects everything.
    ///
    /// - Throws: ``FieldSelectorError`` for a term without an operator or a bad escape.
    public init(parsing text: String) throws(FieldSelectorError) {
        var requirements: [Requirement] = []
        for term in Self.splitTerms(text).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !term.isEmpty
        {
            guard let (field, op, rawValue) = Self.splitTerm(term) else {
                throw FieldSelectorError("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            requirements.append(Requirement(field: field, operator: op, value: try Self.unescape(rawValue)))
        }
        self.requirements = requirements
    }

    /// True when the selector does not restrict anything.
    public var isEmpty: Bool { requirements.isEmpty }

    /// The distinct fields the selector refers to.
    public var fields: Set<String> { Set(requirements.map(\.field)) }

    /// Whether `object` satisfies every term.
    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { $0.matches(object) }
    }

    /// The value `field` must equal for the selector to match, if a `=` term pins it.
    public func requiredValue(for field: String) -> String? {
        requirements.first { $0.field == field && $0.operator == .equals }?.value
    }

    /// The canonical text: terms joined by commas, `==` written as `=`.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    /// Escapes `\`, `,` and `=` in a value (`fields.EscapeValue`).
    public static func escape(_ value: String) -> String {
        var result = ""
        for character in value {
            if character == "\\" || character == "," || character == "=" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// A scalar's text as a field selector sees it; missing fields, null,
    /// objects and arrays read as "".
    static func fieldText(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number):
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null, .object, .array, nil: ""
        }
    }

    /// Splits on commas not preceded by a backslash, keeping escapes in place.
    private static func splitTerms(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var terms: [String] = []
        var current = ""
        var afterBackslash = false
        for character in text {
            if afterBackslash {
                afterBackslash = false
            } else if character == "\\" {
                afterBackslash = true
            } else if character == "," {
                terms.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        terms.append(current)
        return terms
    }

    /// Splits at the first operator, trying `!=`, then `==`, then `=` at each position.
    private static func splitTerm(_ term: String) -> (String, Operator, String)? {
        var index = term.startIndex
        while index < term.endIndex {
            let remaining = term[index...]
            for (token, op) in [("!=", Operator.notEquals), ("==", .equals), ("=", .equals)]
            where remaining.hasPrefix(token) {
                return (String(term[..<index]), op, String(remaining.dropFirst(token.count)))
            }
            index = term.index(after: index)
        }
        return nil
    }

    private static func unescape(_ text: String) throws(FieldSelectorError) -> String {
        var result = ""
        var afterBackslash = false
        for character in text {
            if afterBackslash {
                guard character == "\\" || character == "," || character == "=" else {
                    throw FieldSelectorError("invalid field selector: invalid escape sequence: \\\(character)")
                }
                result.append(character)
                afterBackslash = false
            } else if character == "\\" {
                afterBackslash = true
            } else if character == "," || character == "=" {
                throw FieldSelectorError("invalid field selector: unescaped character in value: \(character)")
            } else {
                result.append(character)
            }
        }
        if afterBackslash {
            throw FieldSelectorError("invalid field selector: invalid escape sequence: \\")
        }
        return result
    }
}

/// Why a field selector was rejected; the message follows apimachinery's wording.
public struct FieldSelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The full message, e.g. `invalid selector: 'a'; can't understand 'a'`.
    public let message: String
    public var description: String { message }

    init(_ message: String) { self.message = message }
}
