extension AvroSchema {
    /// The Parsing Canonical Form of the Avro specification: full names, only the attributes
    /// that matter for reading (`type`, `name`, `fields`, `symbols`, `items`, `values`, `size`),
    /// in that order, no whitespace, each named type spelled out at its first occurrence.
    var parsingCanonicalForm: String {
        var out = ""
        var written: Set<String> = []
        writeCanonical(root, to: &out, written: &written)
        return out
    }

    private func writeCanonical(_ type: AvroType, to out: inout String, written: inout Set<String>) {
        switch type {
        case .primitive(let p, _):
            JSONValue.writeString(p.rawValue, to: &out)
        case .array(let items):
            out += "{\"type\":\"array\",\"items\":"
            writeCanonical(items, to: &out, written: &written)
            out += "}"
        case .map(let values):
            out += "{\"type\":\"map\",\"values\":"
            writeCanonical(values, to: &out, written: &written)
            out += "}"
        case .union(let branches):
            out += "["
            for (i, branch) in branches.enumerated() {
                if i > 0 { out += "," }
                writeCanonical(branch, to: &out, written: &written)
            }
            out += "]"
        case .named(let name):
            guard let namedType = named[name], written.insert(name).inserted else {
                JSONValue.writeString(name, to: &out)
                return
            }
            out += "{\"name\":"
            JSONValue.writeString(name, to: &out)
            switch namedType.kind {
            case .record(let fields):
                out += ",\"type\":\"record\",\"fields\":["
                for (i, field) in fields.enumerated() {
                    if i > 0 { out += "," }
                    out += "{\"name\":"
                    JSONValue.writeString(field.name, to: &out)
                    out += ",\"type\":"
                    writeCanonical(field.type, to: &out, written: &written)
                    out += "}"
                }
                out += "]}"
            case .enumeration(let symbols, _):
                out += ",\"type\":\"enum\",\"symbols\":"
                JSONValue.array(symbols.map(JSONValue.string)).write(to: &out, sortKeys: false)
                out += "}"
            case .fixed(let size, _):
                out += ",\"type\":\"fixed\",\"size\":\(size)}"
            }
        }
    }

    /// The registry-identity form used for `normalize=true`: like the canonical form it uses
    /// full names and a fixed attribute order, but it keeps what changes behaviour — field
    /// defaults, aliases (sorted), non-ascending `order`, the enum default and logical types —
    /// and drops documentation and unknown properties.
    var normalizedForm: String {
        var written: Set<String> = []
        return normalizedJSON(root, written: &written).serialized()
    }

    private func normalizedJSON(_ type: AvroType, written: inout Set<String>) -> JSONValue {
        func logical(_ lt: AvroLogicalType?) -> [JSONMember] {
            guard let lt else { return [] }
            var members = [JSONMember(key: "logicalType", value: .string(lt.name))]
            if let p = lt.precision { members.append(JSONMember(key: "precision", value: .integer(p))) }
            if let s = lt.scale { members.append(JSONMember(key: "scale", value: .integer(s))) }
            return members
        }
        switch type {
        case .primitive(let p, let lt):
            guard lt != nil else { return .string(p.rawValue) }
            return .object([JSONMember(key: "type", value: .string(p.rawValue))] + logical(lt))
        case .array(let items):
            return .object([JSONMember(key: "type", value: .string("array")), JSONMember(key: "items", value: normalizedJSON(items, written: &written))])
        case .map(let values):
            return .object([JSONMember(key: "type", value: .string("map")), JSONMember(key: "values", value: normalizedJSON(values, written: &written))])
        case .union(let branches):
            return .array(branches.map { normalizedJSON($0, written: &written) })
        case .named(let name):
            guard let namedType = named[name], written.insert(name).inserted else { return .string(name) }
            var members = [JSONMember(key: "name", value: .string(name))]
            switch namedType.kind {
            case .record(let fields):
                members.append(JSONMember(key: "type", value: .string("record")))
                let fieldValues: [JSONValue] = fields.map { field in
                    var f = [JSONMember(key: "name", value: .string(field.name)), JSONMember(key: "type", value: normalizedJSON(field.type, written: &written))]
                    if let d = field.defaultValue { f.append(JSONMember(key: "default", value: d)) }
                    if !field.aliases.isEmpty { f.append(JSONMember(key: "aliases", value: .array(field.aliases.sorted().map(JSONValue.string)))) }
                    if let order = field.order, order != "ascending" { f.append(JSONMember(key: "order", value: .string(order))) }
                    return .object(f)
                }
                members.append(JSONMember(key: "fields", value: .array(fieldValues)))
            case .enumeration(let symbols, let defaultSymbol):
                members.append(JSONMember(key: "type", value: .string("enum")))
                members.append(JSONMember(key: "symbols", value: .array(symbols.map(JSONValue.string))))
                if let defaultSymbol { members.append(JSONMember(key: "default", value: .string(defaultSymbol))) }
            case .fixed(let size, let lt):
                members.append(JSONMember(key: "type", value: .string("fixed")))
                members.append(JSONMember(key: "size", value: .integer(size)))
                members += logical(lt)
            }
            if !namedType.aliases.isEmpty {
                members.append(JSONMember(key: "aliases", value: .array(namedType.aliases.sorted().map(JSONValue.string))))
            }
            return .object(members)
        }
    }
}

/// The CRC-64-AVRO (Rabin) fingerprint of the Avro specification.
///
/// Used for every format: for Avro over the Parsing Canonical Form (so values match
/// `SchemaNormalization.parsingFingerprint64`), for JSON Schema and Protobuf over the
/// canonical text. A 64-bit fingerprint identifies a schema for reports and caches; schema
/// identity (same id for the same schema) still compares the canonical text itself, so a
/// collision cannot merge two schemas. Chosen over SHA-256 because the spec defines it and
/// Foundation on Linux has no SHA-256.
enum RabinFingerprint {
    private static let empty: UInt64 = 0xc15d_213a_a4d7_a795

    private static let table: [UInt64] = (0..<256).map { i in
        var fp = UInt64(i)
        for _ in 0..<8 {
            fp = (fp >> 1) ^ (empty & (0 &- (fp & 1)))
        }
        return fp
    }

    static func fingerprint(_ text: String) -> UInt64 {
        var fp = empty
        for byte in text.utf8 {
            fp = (fp >> 8) ^ table[Int((fp ^ UInt64(byte)) & 0xff)]
        }
        return fp
    }
}
