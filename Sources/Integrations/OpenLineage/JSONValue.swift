import Foundation
import IntegrationSupport

/// A JSON document: what events are assembled into before they are encoded, and
/// what custom facets and error bodies are read as.
typealias JSONValue = WireJSON

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Builds JSON objects that leave out absent optional members.
struct JSONObject {
    private(set) var members: [String: JSONValue] = [:]

    init() {}

    subscript(key: String) -> JSONValue? {
        get { members[key] }
        set { members[key] = newValue }
    }

    mutating func set(_ key: String, _ value: String?) {
        if let value { members[key] = .string(value) }
    }

    var value: JSONValue { .object(members) }
}
