import Foundation
import KubeAPI

/// How protobuf fields become JSON members: one table per message type of
/// k8s.io/api's generated.proto (field numbers from there, JSON names and
/// `omitempty` from types.go).
struct ProtobufSchema: Sendable {
    /// The message name, for errors (`PodSpec`).
    var name: String
    var fields: [ProtobufFieldSpec]
    /// Whether `fields` lists every field of the message. A partial schema
    /// refuses an unlisted field unless it holds its zero value, so nothing a
    /// client sent is dropped; a complete one skips unknown fields (fields of
    /// a newer API version), as protobuf decoders do.
    var complete = true
}

/// One field: its number, its JSON name and how its value converts.
struct ProtobufFieldSpec: Sendable {
    enum Shape: Sendable {
        case string, bool, int32, int64
        /// `bytes`, written as base64 as encoding/json writes `[]byte`.
        case bytes
        /// `repeated string`.
        case strings
        /// metav1.Time {seconds = 1, nanos = 2}; an empty message is the zero time, left out.
        case time
        /// metav1.FieldsV1 {Raw = 1}: bytes holding JSON.
        case fieldsV1
        /// intstr.IntOrString {type = 1, intVal = 2, strVal = 3}.
        case intOrString
        /// A nested message, written whenever it is on the wire (gogo writes
        /// non-pointer structs even when empty, and encoding/json writes them as `{}`).
        case message(ProtobufSchema)
        /// A repeated nested message.
        case messages(ProtobufSchema)
        case stringMap
        /// `map<string, bytes>`, values in base64.
        case bytesMap
        /// `map<string, resource.Quantity>`; a Quantity is {string = 1}, written as that string.
        case quantityMap
        /// Known and deliberately not decoded: the server owns the value (a Deployment's status).
        case ignored
    }

    var number: Int
    var name: String
    var shape: Shape
    /// Go's `omitempty` on a non-pointer field: "", 0 and false are left out.
    /// False for pointers (`*bool`: an explicit false is kept) and required fields.
    var omitEmpty: Bool

    init(_ number: Int, _ name: String, _ shape: Shape, omitEmpty: Bool = true) {
        self.number = number
        self.name = name
        self.shape = shape
        self.omitEmpty = omitEmpty
    }
}

/// Turns a protobuf message into JSON by a ``ProtobufSchema``.
enum ProtobufDecoder {
    static func decode(_ message: ProtobufMessage, as schema: ProtobufSchema) throws(ProtobufError) -> JSONObject {
        var object: JSONObject = [:]
        for spec in schema.fields {
            do {
                if let value = try value(of: spec, in: message) { object[spec.name] = value }
            } catch {
                throw error.within(spec.name)
            }
        }
        if !schema.complete {
            let listed = Set(schema.fields.map(\.number))
            for field in message.fields where !listed.contains(field.number) && !isZero(field.value) {
                throw .unsupportedField(field.number, of: schema.name)
            }
        }
        return object
    }

    private static func isZero(_ value: ProtobufMessage.Value) -> Bool {
        switch value {
        case .varint(let raw), .fixed64(let raw): raw == 0
        case .fixed32(let raw): raw == 0
        case .lengthDelimited(let raw): raw.isEmpty
        }
    }

    private static func value(
        of spec: ProtobufFieldSpec, in message: ProtobufMessage
    ) throws(ProtobufError) -> JSONValue? {
        let number = spec.number
        switch spec.shape {
        case .string:
            guard let text = try message.string(number), !(spec.omitEmpty && text.isEmpty) else { return nil }
            return .string(text)
        case .bool:
            guard let flag = try message.bool(number), !(spec.omitEmpty && !flag) else { return nil }
            return .bool(flag)
        case .int32:
            guard let int = try message.int32(number), !(spec.omitEmpty && int == 0) else { return nil }
            return .int(Int64(int))
        case .int64:
            guard let int = try message.int64(number), !(spec.omitEmpty && int == 0) else { return nil }
            return .int(int)
        case .bytes:
            guard let raw = try message.bytes(number), !(spec.omitEmpty && raw.isEmpty) else { return nil }
            return .string(Data(raw).base64EncodedString())
        case .strings:
            let items = try message.strings(number)
            return items.isEmpty ? nil : .array(items.map(JSONValue.string))
        case .time:
            guard let time = try message.message(number), !time.fields.isEmpty else { return nil }
            return .string(try timeString(time))
        case .fieldsV1:
            guard let fields = try message.message(number) else { return nil }
            let raw = try fields.bytes(1) ?? []
            do {
                return try JSONValue(parsing: Data(raw.isEmpty ? Array("{}".utf8) : raw))
            } catch {
                throw .invalidValue("FieldsV1 does not hold JSON")
            }
        case .intOrString:
            guard let value = try message.message(number) else { return nil }
            return try intOrString(value)
        case .message(let schema):
            guard let nested = try message.message(number) else { return nil }
            return .object(try decode(nested, as: schema))
        case .messages(let schema):
            var items: [JSONValue] = []
            for (index, nested) in try message.messages(number).enumerated() {
                do {
                    items.append(.object(try decode(nested, as: schema)))
                } catch {
                    throw error.within("[\(index)]")
                }
            }
            return items.isEmpty ? nil : .array(items)
        case .stringMap:
            let map = try message.stringMap(number)
            return map.isEmpty ? nil : .object(map.mapValues(JSONValue.string))
        case .bytesMap:
            let map = try message.bytesMap(number)
            return map.isEmpty ? nil : .object(map.mapValues { .string(Data($0).base64EncodedString()) })
        case .quantityMap:
            var map: JSONObject = [:]
            for entry in try message.messages(number) {
                map[try entry.string(1) ?? ""] = .string(try entry.message(2)?.string(1) ?? "")
            }
            return map.isEmpty ? nil : .object(map)
        case .ignored:
            return nil
        }
    }

    /// RFC 3339 in whole seconds, as metav1.Time marshals to JSON.
    private static func timeString(_ time: ProtobufMessage) throws(ProtobufError) -> String {
        let seconds = try time.int64(1) ?? 0
        return Time(Date(timeIntervalSince1970: TimeInterval(seconds))).description
    }

    private static func intOrString(_ value: ProtobufMessage) throws(ProtobufError) -> JSONValue {
        switch try value.int64(1) ?? 0 {
        case 0: return .int(Int64(try value.int32(2) ?? 0))
        case 1: return .string(try value.string(3) ?? "")
        case let type: throw .invalidValue("IntOrString type \(type) is neither 0 (int) nor 1 (string)")
        }
    }
}
