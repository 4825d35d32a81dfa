import Foundation

/// One protobuf message read from the wire, without a schema: its fields in
/// wire order, each a number and a raw value.
///
/// Guarantees: varint, fixed64, length-delimited and fixed32 values are read
/// as the protobuf encoding defines them; groups (wire types 3 and 4, which
/// Kubernetes never uses) are skipped whole; malformed input (a truncated
/// value, a length past the end, a varint over 64 bits, field number 0, wire
/// types 6 and 7) is an error, never a partial message.
///
/// Assumptions: the schema lives with the caller, who asks for the field
/// numbers it knows; any other field is an unknown field and is ignored, as
/// protobuf decoders do. A length-delimited value stays bytes until a caller
/// reads it as a string, a nested message, a map entry or packed scalars.
struct ProtobufMessage: Sendable {
    /// A field value as the wire carries it.
    enum Value: Sendable, Equatable {
        case varint(UInt64)
        case fixed64(UInt64)
        case lengthDelimited([UInt8])
        case fixed32(UInt32)

        var wireTypeName: String {
            switch self {
            case .varint: "varint"
            case .fixed64: "fixed64"
            case .lengthDelimited: "length-delimited"
            case .fixed32: "fixed32"
            }
        }
    }

    /// One occurrence of a field.
    struct Field: Sendable, Equatable {
        var number: Int
        var value: Value
    }

    /// Every field occurrence, in wire order (repeated fields occur several times).
    let fields: [Field]

    init(fields: [Field]) {
        self.fields = fields
    }

    /// Reads a whole message from `bytes`.
    init(parsing bytes: [UInt8]) throws(ProtobufError) {
        var reader = ProtobufReader(bytes)
        var fields: [Field] = []
        while !reader.isAtEnd {
            if let field = try reader.readField() { fields.append(field) }
        }
        self.fields = fields
    }

    // MARK: Scalars (the last occurrence wins, as protobuf defines)

    /// The last value of field `number`, if present.
    func last(_ number: Int) -> Value? {
        fields.last { $0.number == number }?.value
    }

    /// An unsigned varint field (`uint64`, `uint32`, an enum).
    func uint64(_ number: Int) throws(ProtobufError) -> UInt64? {
        guard let value = last(number) else { return nil }
        guard case .varint(let raw) = value else { throw .wrongWireType(number, found: value, expected: "varint") }
        return raw
    }

    /// An `int64` field (two's complement in a varint).
    func int64(_ number: Int) throws(ProtobufError) -> Int64? {
        try uint64(number).map { Int64(bitPattern: $0) }
    }

    /// An `int32` field: negative values arrive sign-extended to ten bytes.
    func int32(_ number: Int) throws(ProtobufError) -> Int32? {
        try uint64(number).map { Int32(truncatingIfNeeded: Int64(bitPattern: $0)) }
    }

    /// A `bool` field: any non-zero varint is true.
    func bool(_ number: Int) throws(ProtobufError) -> Bool? {
        try uint64(number).map { $0 != 0 }
    }

    /// A `bytes` field.
    func bytes(_ number: Int) throws(ProtobufError) -> [UInt8]? {
        guard let value = last(number) else { return nil }
        return try Self.bytes(value, number: number)
    }

    /// A `string` field; protobuf strings are UTF-8, and anything else is refused.
    func string(_ number: Int) throws(ProtobufError) -> String? {
        guard let raw = try bytes(number) else { return nil }
        return try Self.string(raw, number: number)
    }

    // MARK: Messages, repeated fields and maps

    /// A nested message. Several occurrences of a message field merge, which
    /// on the wire is the same as reading their bytes one after another.
    func message(_ number: Int) throws(ProtobufError) -> ProtobufMessage? {
        var joined: [UInt8] = []
        var found = false
        for field in fields where field.number == number {
            joined += try Self.bytes(field.value, number: number)
            found = true
        }
        return found ? try ProtobufMessage(parsing: joined) : nil
    }

    /// Every occurrence of a repeated message field.
    func messages(_ number: Int) throws(ProtobufError) -> [ProtobufMessage] {
        var result: [ProtobufMessage] = []
        for field in fields where field.number == number {
            result.append(try ProtobufMessage(parsing: Self.bytes(field.value, number: number)))
        }
        return result
    }

    /// Every occurrence of a repeated `string` field.
    func strings(_ number: Int) throws(ProtobufError) -> [String] {
        var result: [String] = []
        for field in fields where field.number == number {
            result.append(try Self.string(Self.bytes(field.value, number: number), number: number))
        }
        return result
    }

    /// A repeated varint field, packed (one length-delimited run) or not.
    func varints(_ number: Int) throws(ProtobufError) -> [UInt64] {
        var result: [UInt64] = []
        for field in fields where field.number == number {
            switch field.value {
            case .varint(let raw):
                result.append(raw)
            case .lengthDelimited(let packed):
                var reader = ProtobufReader(packed)
                while !reader.isAtEnd { result.append(try reader.readVarint()) }
            default:
                throw .wrongWireType(number, found: field.value, expected: "varint")
            }
        }
        return result
    }

    /// A `map<string, string>` field: each entry is a message {key = 1, value = 2};
    /// a missing key or value is the empty string, and a repeated key keeps its last value.
    func stringMap(_ number: Int) throws(ProtobufError) -> [String: String] {
        var result: [String: String] = [:]
        for entry in try messages(number) {
            result[try entry.string(1) ?? ""] = try entry.string(2) ?? ""
        }
        return result
    }

    /// A `map<string, bytes>` field.
    func bytesMap(_ number: Int) throws(ProtobufError) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for entry in try messages(number) {
            result[try entry.string(1) ?? ""] = try entry.bytes(2) ?? []
        }
        return result
    }

    private static func bytes(_ value: Value, number: Int) throws(ProtobufError) -> [UInt8] {
        guard case .lengthDelimited(let raw) = value else {
            throw .wrongWireType(number, found: value, expected: "length-delimited")
        }
        return raw
    }

    private static func string(_ raw: [UInt8], number: Int) throws(ProtobufError) -> String {
        guard let text = String(bytes: raw, encoding: .utf8) else { throw .invalidUTF8(number) }
        return text
    }
}

/// A cursor over protobuf bytes that reads one value at a time.
struct ProtobufReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset >= bytes.count }

    /// A base-128 varint, least significant group first, at most ten bytes.
    mutating func readVarint() throws(ProtobufError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw .truncated("varint", at: start) }
            let byte = bytes[offset]
            offset += 1
            // The tenth byte holds bit 63 only; more would not fit in 64 bits.
            if shift == 63, byte > 1 { throw .varintOverflow(at: start) }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A little-endian fixed32 value.
    mutating func readFixed32() throws(ProtobufError) -> UInt32 {
        let raw = try readRaw(4, what: "fixed32")
        return raw.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// A little-endian fixed64 value.
    mutating func readFixed64() throws(ProtobufError) -> UInt64 {
        let raw = try readRaw(8, what: "fixed64")
        return raw.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// A varint length and that many bytes.
    mutating func readLengthDelimited() throws(ProtobufError) -> [UInt8] {
        let start = offset
        let length = try readVarint()
        guard length <= UInt64(bytes.count - offset) else {
            throw .lengthOverrun(length, at: start, available: bytes.count - offset)
        }
        return try readRaw(Int(length), what: "length-delimited value")
    }

    /// The next field, or nil for a group, which is skipped.
    mutating func readField() throws(ProtobufError) -> ProtobufMessage.Field? {
        let start = offset
        let (number, wireType) = try readKey()
        switch wireType {
        case 0: return ProtobufMessage.Field(number: number, value: .varint(try readVarint()))
        case 1: return ProtobufMessage.Field(number: number, value: .fixed64(try readFixed64()))
        case 2: return ProtobufMessage.Field(number: number, value: .lengthDelimited(try readLengthDelimited()))
        case 3:
            try skipGroup(number, start: start)
            return nil
        case 4: throw .unmatchedEndGroup(number, at: start)
        case 5: return ProtobufMessage.Field(number: number, value: .fixed32(try readFixed32()))
        default: throw .invalidWireType(wireType, at: start)
        }
    }

    private mutating func readKey() throws(ProtobufError) -> (number: Int, wireType: UInt64) {
        let start = offset
        let key = try readVarint()
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else { throw .invalidFieldNumber(number, at: start) }
        return (Int(number), key & 7)
    }

    /// Skips a (deprecated) group up to its matching end-group key. Nested
    /// groups are tracked in a list, not by recursion, so deep nesting cannot
    /// exhaust the stack.
    private mutating func skipGroup(_ number: Int, start: Int) throws(ProtobufError) {
        var open = [number]
        while let innermost = open.last {
            guard !isAtEnd else { throw .truncated("group", at: start) }
            let keyStart = offset
            let (inner, wireType) = try readKey()
            switch wireType {
            case 0: _ = try readVarint()
            case 1: _ = try readFixed64()
            case 2: _ = try readLengthDelimited()
            case 3: open.append(inner)
            case 4:
                guard inner == innermost else { throw .unmatchedEndGroup(inner, at: keyStart) }
                open.removeLast()
            case 5: _ = try readFixed32()
            default: throw .invalidWireType(wireType, at: keyStart)
            }
        }
    }

    private mutating func readRaw(_ count: Int, what: String) throws(ProtobufError) -> [UInt8] {
        guard count <= bytes.count - offset else { throw .truncated(what, at: offset) }
        let raw = Array(bytes[offset..<(offset + count)])
        offset += count
        return raw
    }
}

/// Why protobuf bytes could not be read, with the byte offset or field number at
/// fault and, once a schema is involved, the JSON path of the field (`spec.template`).
struct ProtobufError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case truncated, varintOverflow, lengthOverrun, invalidWireType, invalidFieldNumber
        case unmatchedEndGroup, wrongWireType, invalidUTF8, invalidValue, unsupportedField
    }

    private let code: Code
    private let detail: String
    /// Where in the object the error is, outermost first (`["spec", "template"]`).
    private(set) var path: [String] = []

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// What went wrong, prefixed with where (`spec.template.spec: field 14 of PodSpec …`).
    var description: String { path.isEmpty ? detail : "\(path.joined(separator: ".")): \(detail)" }

    /// A short form for logs and tests (`truncated`, `wrongWireType`, …).
    var shortForm: String { code.rawValue }

    /// Whether the bytes were well formed but hold a field this server does not decode.
    var isUnsupportedField: Bool { code == .unsupportedField }

    static func truncated(_ what: String, at offset: Int) -> ProtobufError {
        ProtobufError(.truncated, "unexpected end of data in \(what) at byte \(offset)")
    }

    static func varintOverflow(at offset: Int) -> ProtobufError {
        ProtobufError(.varintOverflow, "varint at byte \(offset) does not fit in 64 bits")
    }

    static func lengthOverrun(_ length: UInt64, at offset: Int, available: Int) -> ProtobufError {
        ProtobufError(.lengthOverrun, "length \(length) at byte \(offset) exceeds the \(available) bytes that remain")
    }

    static func invalidWireType(_ wireType: UInt64, at offset: Int) -> ProtobufError {
        ProtobufError(.invalidWireType, "invalid wire type \(wireType) at byte \(offset)")
    }

    static func invalidFieldNumber(_ number: UInt64, at offset: Int) -> ProtobufError {
        ProtobufError(.invalidFieldNumber, "invalid field number \(number) at byte \(offset)")
    }

    static func unmatchedEndGroup(_ number: Int, at offset: Int) -> ProtobufError {
        ProtobufError(.unmatchedEndGroup, "end of group \(number) at byte \(offset) without its start")
    }

    static func wrongWireType(_ number: Int, found: ProtobufMessage.Value, expected: String) -> ProtobufError {
        ProtobufError(.wrongWireType, "field \(number) is \(found.wireTypeName), expected \(expected)")
    }

    static func invalidUTF8(_ number: Int) -> ProtobufError {
        ProtobufError(.invalidUTF8, "field \(number) is a string that is not valid UTF-8")
    }

    /// Well-formed protobuf whose content is wrong (say, FieldsV1 that is not JSON).
    static func invalidValue(_ detail: String) -> ProtobufError {
        ProtobufError(.invalidValue, detail)
    }

    /// A field the schema knows of but does not decode, holding more than its zero value.
    static func unsupportedField(_ number: Int, of message: String) -> ProtobufError {
        ProtobufError(.unsupportedField, "field \(number) of \(message) is not decoded by this server")
    }

    /// The same error inside `component` (a JSON member name such as `metadata` or `containers[0]`).
    func within(_ component: String) -> ProtobufError {
        var copy = self
        copy.path.insert(component, at: 0)
        return copy
    }
}
