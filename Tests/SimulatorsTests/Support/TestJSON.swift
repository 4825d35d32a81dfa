import Foundation

/// A JSON value as the tests read responses: independent of the simulator's own types,
/// and strict about kinds (a number is never a boolean).
enum TestJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([TestJSON])
    case object([String: TestJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([TestJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: TestJSON].self))
        }
    }

    static func parse(_ bytes: [UInt8]) throws -> TestJSON {
        try JSONDecoder().decode(TestJSON.self, from: Data(bytes))
    }

    subscript(_ key: String) -> TestJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    subscript(_ index: Int) -> TestJSON? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int64? { if case .int(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var array: [TestJSON]? { if case .array(let value) = self { value } else { nil } }
    var object: [String: TestJSON]? { if case .object(let value) = self { value } else { nil } }

    /// The kind, for messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
