import Foundation

/// Marquez's and OpenLineage's JSON bodies as the simulator reads and writes them;
/// the simulator's own types, never the client's.
enum OpenLineageWire {
    /// Any JSON document. Events are stored as they came, in this form, so the read
    /// side returns what was sent.
    indirect enum JSON: Codable, Hashable, Sendable {
        case null
        case bool(Bool)
        case integer(Int64)
        case number(Double)
        case string(String)
        case array([JSON])
        case object([String: JSON])

        init(from decoder: any Decoder) throws {
            if let container = try? decoder.container(keyedBy: Key.self) {
                var members: [String: JSON] = [:]
                for key in container.allKeys { members[key.stringValue] = try container.decode(JSON.self, forKey: key) }
                self = .object(members)
            } else if var container = try? decoder.unkeyedContainer() {
                var items: [JSON] = []
                while !container.isAtEnd { items.append(try container.decode(JSON.self)) }
                self = .array(items)
            } else {
                let container = try decoder.singleValueContainer()
                if container.decodeNil() {
                    self = .null
                } else if let bool = try? container.decode(Bool.self) {
                    self = .bool(bool)
                } else if let integer = try? container.decode(Int64.self) {
                    self = .integer(integer)
                } else if let number = try? container.decode(Double.self) {
                    self = .number(number)
                } else {
                    self = .string(try container.decode(String.self))
                }
            }
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .object(let members):
                var container = encoder.container(keyedBy: Key.self)
                for (key, value) in members { try container.encode(value, forKey: Key(stringValue: key)) }
            case .array(let items):
                var container = encoder.unkeyedContainer()
                for item in items { try container.encode(item) }
            case .null:
                var container = encoder.singleValueContainer()
                try container.encodeNil()
            case .bool(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .integer(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .number(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            case .string(let value):
                var container = encoder.singleValueContainer()
                try container.encode(value)
            }
        }

        subscript(_ key: String) -> JSON? {
            if case .object(let members) = self { return members[key] }
            return nil
        }

        var string: String? { if case .string(let value) = self { value } else { nil } }
        var object: [String: JSON]? { if case .object(let value) = self { value } else { nil } }
        var array: [JSON]? { if case .array(let value) = self { value } else { nil } }

        /// What the value is, for error messages.
        var kind: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .integer, .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }

        /// Compact JSON with sorted keys.
        var text: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: (try? encoder.encode(self)) ?? Data("null".utf8), as: UTF8.self)
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    /// Dropwizard's error body, `{"code": 500, "message": "…"}`.
    struct ErrorBody: Encodable {
        var code: Int
        var message: String
    }

    /// Dropwizard's answer to a bean validation failure (422), `{"errors": ["…"]}`.
    struct ValidationErrors: Encodable {
        var errors: [String]
    }

    /// `LineageEventList` of `GET /api/v1/events/lineage`.
    struct LineageEventList: Encodable {
        var events: [JSON]
        var totalCount: Int
    }
}
