import Foundation

// MARK: - JSON Pointer

/// A JSON Pointer (RFC 6901): a path of reference tokens into a JSON document.
///
/// The text form is "" for the whole document, otherwise `/` before every token,
/// with `~` written `~0` and `/` written `~1`. Build one from unescaped tokens
/// with ``init(components:)``, e.g. `["metadata", "labels", "app.kubernetes.io/name"]`
/// gives `/metadata/labels/app.kubernetes.io~1name`.
public struct JSONPointer: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public let components: [String]

    /// The pointer to the whole document.
    public static let root = JSONPointer(components: [])

    /// A pointer from unescaped tokens; array indexes are given as decimal text (or `-`).
    public init(components: [String]) {
        self.components = components
    }

    /// Parses the text form.
    ///
    /// - Throws: ``JSONPointerError`` when the text is neither empty nor starts with
    ///   `/`, or has a `~` not followed by `0` or `1`.
    public init(parsing text: String) throws(JSONPointerError) {
        guard !text.isEmpty else {
            self = .root
            return
        }
        guard text.hasPrefix("/") else {
            throw JSONPointerError(pointer: text, message: "a JSON pointer must be empty or start with '/'")
        }
        var components: [String] = []
        for escaped in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var afterTilde = false
            for character in escaped {
                if afterTilde {
                    switch character {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default:
                        throw JSONPointerError(pointer: text, message: "'~' must be followed by '0' or '1'")
                    }
                    afterTilde = false
                } else if character == "~" {
                    afterTilde = true
                } else {
                    token.append(character)
                }
            }
            if afterTilde {
                throw JSONPointerError(pointer: text, message: "'~' must be followed by '0' or '1'")
            }
            components.append(token)
        }
        self.components = components
    }

    /// The text form, escaped.
    public var description: String {
        components.map { "/" + Self.escape($0) }.joined()
    }

    /// Escapes one token: `~` → `~0`, then `/` → `~1`.
    public static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The pointer one token deeper.
    public func appending(_ component: String) -> JSONPointer {
        JSONPointer(components: components + [component])
    }

    /// The pointer to an array element one level deeper.
    public func appending(index: Int) -> JSONPointer {
        appending(String(index))
    }

    /// The pointer to the containing value, or nil for the root.
    public var parent: JSONPointer? {
        components.isEmpty ? nil : JSONPointer(components: Array(components.dropLast()))
    }

    /// True when this pointer is `other` or lies inside it.
    public func hasPrefix(_ other: JSONPointer) -> Bool {
        components.starts(with: other.components)
    }

    /// The value this pointer refers to in `document`, or nil when there is none.
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in components {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Self.arrayIndex(token, count: elements.count), index < elements.count else {
                    return nil
                }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// An array index token: `0`, or digits without a leading zero. Returns nil
    /// for anything else, including `-`, and for numbers beyond `count`.
    static func arrayIndex(_ token: String, count: Int) -> Int? {
        let digits = token.utf8
        guard let first = digits.first, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            first != UInt8(ascii: "0") || digits.count == 1,
            let index = Int(token), index <= count
        else { return nil }
        return index
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try JSONPointer(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A JSON pointer whose text is malformed.
public struct JSONPointerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that was parsed.
    public let pointer: String
    /// What is wrong with it.
    public let message: String

    public var description: String { "invalid JSON pointer \"\(pointer)\": \(message)" }
}

// MARK: - Operations

/// One operation of a JSON Patch (RFC 6902 section 4).
///
/// Decoding ignores members an operation does not use (RFC 6902 section 4),
/// and requires the ones it does; `"value": null` is a value, not a missing one.
public enum JSONPatchOperation: Sendable, Hashable, Codable, CustomStringConvertible {
    case add(path: JSONPointer, value: JSONValue)
    case remove(path: JSONPointer)
    case replace(path: JSONPointer, value: JSONValue)
    case move(from: JSONPointer, path: JSONPointer)
    case copy(from: JSONPointer, path: JSONPointer)
    case test(path: JSONPointer, value: JSONValue)

    /// The `op` member: `add`, `remove`, `replace`, `move`, `copy` or `test`.
    public var op: String {
        switch self {
        case .add: "add"
        case .remove: "remove"
        case .replace: "replace"
        case .move: "move"
        case .copy: "copy"
        case .test: "test"
        }
    }

    /// The `path` member, the location the operation acts on.
    public var path: JSONPointer {
        switch self {
        case .add(let path, _), .remove(let path), .replace(let path, _), .test(let path, _): path
        case .move(_, let path), .copy(_, let path): path
        }
    }

    /// The `from` member of `move` and `copy`.
    public var from: JSONPointer? {
        switch self {
        case .move(let from, _), .copy(let from, _): from
        default: nil
        }
    }

    /// The `value` member of `add`, `replace` and `test`.
    public var value: JSONValue? {
        switch self {
        case .add(_, let value), .replace(_, let value), .test(_, let value): value
        default: nil
        }
    }

    /// E.g. `move /a/b → /c`.
    public var description: String {
        if let from { return "\(op) \(from) → \(path)" }
        return "\(op) \(path)"
    }

    private enum CodingKeys: String, CodingKey {
        case op, path, from, value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let op = try container.decode(String.self, forKey: .op)
        let path = try container.decode(JSONPointer.self, forKey: .path)
        // decodeIfPresent would read `"value": null` as absent, so presence is checked first.
        func value() throws -> JSONValue {
            guard container.contains(.value) else {
                throw DecodingError.keyNotFound(
                    CodingKeys.value,
                    .init(
                        codingPath: container.codingPath,
                        debugDescription: "'\(op)' operation requires a 'value' member"))
            }
            return try container.decode(JSONValue.self, forKey: .value)
        }
        switch op {
        case "add": self = .add(path: path, value: try value())
        case "remove": self = .remove(path: path)
        case "replace": self = .replace(path: path, value: try value())
        case "move": self = .move(from: try container.decode(JSONPointer.self, forKey: .from), path: path)
        case "copy": self = .copy(from: try container.decode(JSONPointer.self, forKey: .from), path: path)
        case "test": self = .test(path: path, value: try value())
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: container, debugDescription: "unknown JSON patch operation '\(op)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(op, forKey: .op)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(from, forKey: .from)
        if let value { try container.encode(value, forKey: .value) }
    }
}

// MARK: - Patch

/// A JSON Patch (RFC 6902), the `application/json-patch+json` patch type: a
/// sequence of operations applied in order.
///
/// Guarantees: ``apply(to:)`` is atomic — it returns the fully patched document
/// or throws, and the input is a value, so nothing is half-applied. Errors name
/// the index of the failing operation and its path.
public struct JSONPatch: Sendable, Hashable, Codable, ExpressibleByArrayLiteral {
    /// The operations, applied in order.
    public var operations: [JSONPatchOperation]

    public init(_ operations: [JSONPatchOperation]) {
        self.operations = operations
    }

    public init(arrayLiteral elements: JSONPatchOperation...) {
        self.operations = elements
    }

    /// Decodes a patch document, reporting a malformed one as ``JSONPatchError``
    /// with reason ``JSONPatchError/Reason/invalidPatch``.
    ///
    /// Unlike decoding through `Codable`, this also rejects objects with a
    /// repeated member name (RFC 6902 appendix A.13), which Foundation's decoder
    /// would silently resolve to the first occurrence.
    public init(parsing data: Data) throws(JSONPatchError) {
        do {
            self = try JSONCoding.decode(JSONPatch.self, from: data)
        } catch {
            throw JSONPatchError(.invalidPatch, index: nil, operation: nil, path: nil, detail: Self.describe(error))
        }
        if let duplicate = Self.duplicateMemberName(in: data) {
            throw JSONPatchError(
                .invalidPatch, index: nil, operation: nil, path: nil,
                detail: "an object repeats the member \"\(duplicate)\"")
        }
    }

    /// The first member name that appears twice in one object of well-formed JSON text.
    private static func duplicateMemberName(in data: Data) -> String? {
        enum Container {
            case object(names: Set<String>, expectingName: Bool)
            case array
        }
        let bytes = Array(data)
        var stack: [Container] = []
        var position = 0
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(.object(names: [], expectingName: true))
            case UInt8(ascii: "["):
                stack.append(.array)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                if case .object(let names, _) = stack.last {
                    stack[stack.count - 1] = .object(names: names, expectingName: byte == UInt8(ascii: ","))
                }
            case UInt8(ascii: "\""):
                let start = position
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                    position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
                }
                if case .object(var names, true) = stack.last {
                    let literal = Data(bytes[start...min(position, bytes.count - 1)])
                    let name =
                        (try? JSONCoding.decode(String.self, from: literal)) ?? String(decoding: literal, as: UTF8.self)
                    if !names.insert(name).inserted { return name }
                    stack[stack.count - 1] = .object(names: names, expectingName: false)
                }
            default:
                break
            }
            position += 1
        }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        operations = try decoder.singleValueContainer().decode([JSONPatchOperation].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(operations)
    }

    /// Applies every operation to `document` and returns the result.
    ///
    /// - Throws: ``JSONPatchError`` naming the first operation that failed.
    public func apply(to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        var result = document
        for (index, operation) in operations.enumerated() {
            do {
                try Self.apply(operation, to: &result)
            } catch {
                throw JSONPatchError(
                    error.reason, index: index, operation: operation.op, path: operation.path.description,
                    detail: error.detail)
            }
        }
        return result
    }

    /// A patch that turns `original` into `modified`.
    ///
    /// Correct, not minimal: objects are compared member by member (removals, then
    /// additions and changes, in key order), arrays element by element at equal
    /// indexes with the tail added or removed, and anything else is replaced.
    public static func create(from original: JSONValue, to modified: JSONValue) -> JSONPatch {
        var operations: [JSONPatchOperation] = []
        diff(original, modified, at: .root, into: &operations)
        return JSONPatch(operations)
    }

    // MARK: Applying

    /// A failure inside one operation, before the operation index is known.
    private struct Failure: Error {
        var reason: JSONPatchError.Reason
        var detail: String
    }

    private static func apply(_ operation: JSONPatchOperation, to document: inout JSONValue) throws(Failure) {
        switch operation {
        case .add(let path, let value):
            try add(value, at: path, in: &document)
        case .remove(let path):
            _ = try remove(at: path, in: &document)
        case .replace(let path, let value):
            guard path.resolve(in: document) != nil else {
                throw Failure(reason: .pathNotFound, detail: "no value at \(describe(path)) to replace")
            }
            try update(&document, at: path.components[...]) { _ throws(Failure) in value }
        case .move(let from, let path):
            if from == path { return }
            if path.hasPrefix(from) {
                throw Failure(
                    reason: .invalidMove, detail: "cannot move \(describe(from)) into its own child \(describe(path))")
            }
            let value = try remove(at: from, in: &document, role: "from")
            try add(value, at: path, in: &document)
        case .copy(let from, let path):
            guard let value = from.resolve(in: document) else {
                throw Failure(reason: .pathNotFound, detail: "no value at from \(describe(from)) to copy")
            }
            try add(value, at: path, in: &document)
        case .test(let path, let expected):
            guard let actual = path.resolve(in: document) else {
                throw Failure(reason: .pathNotFound, detail: "no value at \(describe(path)) to test")
            }
            guard jsonEqual(actual, expected) else {
                throw Failure(
                    reason: .testFailed, detail: "value at \(describe(path)) is not equal to the expected value")
            }
        }
    }

    private static func add(_ value: JSONValue, at path: JSONPointer, in document: inout JSONValue) throws(Failure) {
        guard let parent = path.parent, let token = path.components.last else {
            document = value
            return
        }
        try update(&document, at: parent.components[...]) { container throws(Failure) in
            switch container {
            case .object(var members):
                members[token] = value
                return .object(members)
            case .array(var elements):
                if token == "-" {
                    elements.append(value)
                } else if let index = JSONPointer.arrayIndex(token, count: elements.count) {
                    elements.insert(value, at: index)
                } else {
                    throw Failure(
                        reason: .invalidIndex,
                        detail:
                            "'\(token)' is not an index from 0 to \(elements.count) or '-' in the array at \(describe(parent))"
                    )
                }
                return .array(elements)
            default:
                throw Failure(
                    reason: .pathNotFound,
                    detail: "the parent \(describe(parent)) is a \(container.typeName), not an object or array")
            }
        }
    }

    /// Removes and returns the value at `path`; `role` names the member in messages.
    private static func remove(at path: JSONPointer, in document: inout JSONValue, role: String = "path")
        throws(Failure) -> JSONValue
    {
        guard let parent = path.parent, let token = path.components.last else {
            throw Failure(reason: .pathNotFound, detail: "cannot remove the whole document")
        }
        guard let removed = path.resolve(in: document) else {
            throw Failure(reason: .pathNotFound, detail: "no value at \(role) \(describe(path)) to remove")
        }
        try update(&document, at: parent.components[...]) { container throws(Failure) in
            switch container {
            case .object(var members):
                members.removeValue(forKey: token)
                return .object(members)
            case .array(var elements):
                // resolve succeeded, so the token is a valid index below count.
                guard let index = JSONPointer.arrayIndex(token, count: elements.count), index < elements.count else {
                    throw Failure(
                        reason: .invalidIndex, detail: "'\(token)' is not an index of the array at \(describe(parent))")
                }
                elements.remove(at: index)
                return .array(elements)
            default:
                throw Failure(reason: .pathNotFound, detail: "no value at \(role) \(describe(path)) to remove")
            }
        }
        return removed
    }

    /// Replaces the value at `components` (which must exist) with `transform` of it.
    private static func update(
        _ value: inout JSONValue, at components: ArraySlice<String>,
        _ transform: (JSONValue) throws(Failure) -> JSONValue
    ) throws(Failure) {
        guard let token = components.first else {
            value = try transform(value)
            return
        }
        let rest = components.dropFirst()
        switch value {
        case .object(var members):
            guard var child = members[token] else {
                throw Failure(reason: .pathNotFound, detail: "member '\(token)' does not exist")
            }
            members[token] = nil  // keeps the child uniquely referenced while it is changed
            try update(&child, at: rest, transform)
            members[token] = child
            value = .object(members)
        case .array(var elements):
            guard let index = JSONPointer.arrayIndex(token, count: elements.count), index < elements.count else {
                throw Failure(reason: .pathNotFound, detail: "array index '\(token)' does not exist")
            }
            var child = elements[index]
            try update(&child, at: rest, transform)
            elements[index] = child
            value = .array(elements)
        default:
            throw Failure(reason: .pathNotFound, detail: "cannot descend into a \(value.typeName) with '\(token)'")
        }
    }

    private static func describe(_ pointer: JSONPointer) -> String {
        "\"\(pointer)\""
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context):
            return context.debugDescription + locationSuffix(context.codingPath)
        case DecodingError.keyNotFound(let key, let context):
            return "missing member '\(key.stringValue)'" + locationSuffix(context.codingPath)
        default:
            return "\(error)"
        }
    }

    private static func locationSuffix(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "" }
        return " at " + path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    // MARK: Creating

    private static func diff(
        _ old: JSONValue, _ new: JSONValue, at path: JSONPointer, into operations: inout [JSONPatchOperation]
    ) {
        if old == new { return }
        switch (old, new) {
        case (.object(let oldMembers), .object(let newMembers)):
            for key in oldMembers.keys.sorted() where newMembers[key] == nil {
                operations.append(.remove(path: path.appending(key)))
            }
            for key in newMembers.keys.sorted() {
                guard let newValue = newMembers[key] else { continue }
                if let oldValue = oldMembers[key] {
                    diff(oldValue, newValue, at: path.appending(key), into: &operations)
                } else {
                    operations.append(.add(path: path.appending(key), value: newValue))
                }
            }
        case (.array(let oldElements), .array(let newElements)):
            let common = min(oldElements.count, newElements.count)
            for index in 0..<common {
                diff(oldElements[index], newElements[index], at: path.appending(index: index), into: &operations)
            }
            for index in common..<max(common, newElements.count) {
                operations.append(.add(path: path.appending(index: index), value: newElements[index]))
            }
            // From the end, so earlier indexes stay valid.
            for index in (common..<max(common, oldElements.count)).reversed() {
                operations.append(.remove(path: path.appending(index: index)))
            }
        default:
            operations.append(.replace(path: path, value: new))
        }
    }
}

extension JSONPatch {
    /// Equality as RFC 6902 `test` defines it: numbers compare by value (so `1`
    /// equals `1.0`), objects ignore member order, arrays compare element-wise.
    fileprivate static func jsonEqual(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            // Compare exactly: a double equals an int only if it is that integer.
            guard b.rounded() == b, b >= -9_223_372_036_854_775_808, b < 9_223_372_036_854_775_808 else { return false }
            return Int64(b) == a
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { jsonEqual($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { jsonEqual(value, $0) } ?? false }
        default:
            return lhs == rhs
        }
    }
}

// MARK: - Errors

/// Why a JSON patch could not be decoded or applied.
public struct JSONPatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short, stable reason, suitable for a metric label.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Code: String, Sendable {
            case invalidPatch, pathNotFound, invalidIndex, invalidMove, testFailed
        }
        fileprivate let code: Code

        /// The patch document is not a valid array of operations.
        public static let invalidPatch = Reason(code: .invalidPatch)
        /// A `path` or `from` refers to a location that does not exist (or whose parent does not).
        public static let pathNotFound = Reason(code: .pathNotFound)
        /// An array index token is malformed or out of range.
        public static let invalidIndex = Reason(code: .invalidIndex)
        /// A `move` whose `from` is a proper prefix of its `path`.
        public static let invalidMove = Reason(code: .invalidMove)
        /// A `test` operation found a different value.
        public static let testFailed = Reason(code: .testFailed)

        public var description: String { code.rawValue }
    }

    /// The short reason.
    public let reason: Reason
    /// The zero-based index of the failing operation; nil when the document itself is invalid.
    public let operationIndex: Int?
    /// The `op` of the failing operation.
    public let operation: String?
    /// The `path` of the failing operation, in pointer text form.
    public let path: String?
    /// What went wrong.
    public let detail: String

    init(_ reason: Reason, index: Int?, operation: String?, path: String?, detail: String) {
        self.reason = reason
        self.operationIndex = index
        self.operation = operation
        self.path = path
        self.detail = detail
    }

    /// E.g. `JSON patch operation 1 (add "/baz/bat") failed: member 'baz' does not exist`.
    public var description: String {
        guard let operationIndex, let operation, let path else {
            return "invalid JSON patch: \(detail)"
        }
        return "JSON patch operation \(operationIndex) (\(operation) \"\(path)\") failed: \(detail)"
    }
}
