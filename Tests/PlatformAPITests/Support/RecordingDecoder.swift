import KubeAPI

/// A decoder over ``JSONValue`` that remembers every key a `Decodable` type
/// asks for (`contains`, `decode`, `decodeIfPresent`), as paths in the form
/// ``SchemaPaths`` uses. Decoding a fully populated value with it tells which
/// fields the Swift type has, optional ones included.
final class KeyRecorder {
    private(set) var paths: Set<String> = []
    private var mapPaths: Set<String> = []

    func record(_ codingPath: [any CodingKey], _ key: any CodingKey) {
        paths.insert(Self.render(codingPath + [key]))
    }

    /// Marks a container whose keys were listed (a dictionary): its members are `*`.
    func recordMap(_ codingPath: [any CodingKey]) {
        mapPaths.insert(Self.render(codingPath))
    }

    /// The recorded paths, with dictionary members written as `*`.
    var normalizedPaths: Set<String> {
        Set(
            paths.map { path in
                for map in mapPaths where path.hasPrefix(map + ".") {
                    let rest = path.dropFirst(map.count + 1)
                    let member = rest.prefix { $0 != "." && $0 != "[" }
                    return map + ".*" + rest.dropFirst(member.count)
                }
                return path
            })
    }

    static func render(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if key.intValue != nil && key.stringValue.hasPrefix("Index ") {
                text += "[]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }
}

struct RecordingDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let recorder: KeyRecorder
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(
        _ type: T.Type, from value: JSONValue, root: String, recorder: KeyRecorder
    ) throws
        -> T
    {
        try T(from: RecordingDecoder(value: value, codingPath: [AnyKey(root)], recorder: recorder))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch(JSONObject.self) }
        return KeyedDecodingContainer(KeyedContainer(object: object, codingPath: codingPath, recorder: recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else { throw mismatch([JSONValue].self) }
        return UnkeyedContainer(array: array, codingPath: codingPath, recorder: recorder)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(value: value, codingPath: codingPath, recorder: recorder)
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(value.typeName)"))
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]
    let recorder: KeyRecorder

    var allKeys: [Key] {
        recorder.recordMap(codingPath)
        return object.keys.sorted().compactMap { Key(stringValue: $0) }
    }

    func contains(_ key: Key) -> Bool {
        recorder.record(codingPath, key)
        return object[key.stringValue] != nil
    }

    private func member(_ key: Key) throws -> JSONValue {
        recorder.record(codingPath, key)
        guard let value = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return value
    }

    private func decoder(_ key: Key) throws -> RecordingDecoder {
        RecordingDecoder(value: try member(key), codingPath: codingPath + [key], recorder: recorder)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: decoder(key))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        RecordingDecoder(value: .object(object), codingPath: codingPath, recorder: recorder)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let array: [JSONValue]
    let codingPath: [any CodingKey]
    let recorder: KeyRecorder
    var currentIndex = 0

    init(array: [JSONValue], codingPath: [any CodingKey], recorder: KeyRecorder) {
        self.array = array
        self.codingPath = codingPath
        self.recorder = recorder
    }

    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    private mutating func next() throws -> RecordingDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "at end"))
        }
        defer { currentIndex += 1 }
        return RecordingDecoder(
            value: array[currentIndex], codingPath: codingPath + [AnyKey(intValue: currentIndex)], recorder: recorder)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, array[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let recorder: KeyRecorder

    func decodeNil() -> Bool { value.isNull }

    private func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(value.typeName)"))
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard let result = value.boolValue else { throw mismatch(type) }
        return result
    }

    func decode(_ type: String.Type) throws -> String {
        guard let result = value.stringValue else { throw mismatch(type) }
        return result
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let result = value.doubleValue else { throw mismatch(type) }
        return result
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let wide = value.intValue, let result = T(exactly: wide) else { throw mismatch(type) }
        return result
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: RecordingDecoder(value: value, codingPath: codingPath, recorder: recorder))
    }
}
