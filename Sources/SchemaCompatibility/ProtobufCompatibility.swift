/// Differences between two `.proto` files as Confluent's registry computes them, keeping the
/// incompatible ones. `original` is the writer's file, `update` the reader's.
///
/// Rules: a message of the original missing in the update is MESSAGE_REMOVED; fields are
/// matched by number; a changed kind (scalar/enum vs message vs map) is FIELD_KIND_CHANGED; a
/// scalar outside its wire-compatible group (int32/int64/uint32/uint64/bool/enum;
/// sint32/sint64; string/bytes; fixed32/sfixed32; fixed64/sfixed64; float; double) is
/// FIELD_SCALAR_KIND_CHANGED; another message type is FIELD_NAMED_TYPE_CHANGED; repeated vs
/// singular on a numeric field is FIELD_NUMERIC_LABEL_CHANGED; proto2 `required` fields
/// added/removed are REQUIRED_FIELD_ADDED/REMOVED; a field leaving a oneof is
/// ONEOF_FIELD_REMOVED; a oneof gathering several existing fields is
/// MULTIPLE_FIELDS_MOVED_TO_ONEOF. Field renames, added/removed optional fields, package
/// changes and enum value changes are compatible. Locations are `#/Message/number`.
struct ProtobufDiff {
    struct Difference {
        var rule: IncompatibilityRule
        var location: String
        var message: String
    }

    private enum Declaration {
        case message(ProtoMessage)
        case enumeration
    }

    let original: ProtoFile
    let update: ProtoFile
    let originalLabel: String
    let updateLabel: String
    private let originalIndex: [String: Declaration]
    private let updateIndex: [String: Declaration]
    private var compared: Set<String> = []
    private var differences: [Difference] = []

    init(original: ProtoFile, update: ProtoFile, originalLabel: String, updateLabel: String) {
        self.original = original
        self.update = update
        self.originalLabel = originalLabel
        self.updateLabel = updateLabel
        originalIndex = ProtobufDiff.index(original)
        updateIndex = ProtobufDiff.index(update)
    }

    private static func index(_ file: ProtoFile) -> [String: Declaration] {
        var result: [String: Declaration] = [:]
        func visit(_ m: ProtoMessage, prefix: String) {
            let name = prefix.isEmpty ? m.name : "\(prefix).\(m.name)"
            result[name] = .message(m)
            for n in m.messages { visit(n, prefix: name) }
            for e in m.enums { result["\(name).\(e.name)"] = .enumeration }
        }
        for m in file.messages { visit(m, prefix: "") }
        for e in file.enums { result[e.name] = .enumeration }
        return result
    }

    mutating func run() -> [Difference] {
        differences = []
        compared = []
        func visit(_ m: ProtoMessage, prefix: String) {
            let name = prefix.isEmpty ? m.name : "\(prefix).\(m.name)"
            if case .message(let updated)? = updateIndex[name] {
                compareMessage(m, updated, name: name)
            } else {
                add(.messageRemoved, "#/\(name)")
            }
            for n in m.messages { visit(n, prefix: name) }
        }
        for m in original.messages { visit(m, prefix: "") }
        return differences
    }

    private mutating func add(_ rule: IncompatibilityRule, _ location: String) {
        guard !differences.contains(where: { $0.rule == rule && $0.location == location }) else { return }
        let (new, old) = (updateLabel, originalLabel)
        let message: String
        switch rule {
        case .messageRemoved: message = "The \(new) schema is missing a field of type MESSAGE at path '\(location)' in the \(old) schema"
        case .fieldKindChanged: message = "The type of a field at path '\(location)' in the \(new) schema does not match the \(old) schema"
        case .fieldScalarKindChanged:
            message = "The kind of a SCALAR field at path '\(location)' in the \(new) schema does not match its kind in the \(old) schema"
        case .fieldNamedTypeChanged:
            message = "The type of a MESSAGE field at path '\(location)' in the \(new) schema does not match its type in the \(old) schema"
        case .fieldNumericLabelChanged:
            message = "The label of a numeric field at path '\(location)' in the \(new) schema does not match its label in the \(old) schema"
        case .requiredFieldAdded: message = "A required field at path '\(location)' in the \(new) schema is missing in the \(old) schema"
        case .requiredFieldRemoved: message = "The \(new) schema is missing a required field at path: '\(location)' in the \(old) schema"
        case .oneofFieldRemoved: message = "The \(new) schema is missing a oneof field at path '\(location)' in the \(old) schema"
        default:
            message = "Multiple fields in the oneof at path '\(location)' in the \(new) schema are outside a oneof in the \(old) schema"
        }
        differences.append(Difference(rule: rule, location: location, message: message))
    }

    /// Resolves a type name as protoc does: innermost scope outwards, package prefix removed.
    private func resolve(_ type: String, scope: String, package: String?, index: [String: Declaration]) -> String? {
        var name = type
        if name.hasPrefix(".") {
            name.removeFirst()
            if let package, name.hasPrefix(package + ".") { name.removeFirst(package.count + 1) }
            return index[name] != nil ? name : nil
        }
        if let package, name.hasPrefix(package + "."), index[String(name.dropFirst(package.count + 1))] != nil {
            return String(name.dropFirst(package.count + 1))
        }
        var parts = scope.split(separator: ".").map(String.init)
        while true {
            let candidate = (parts + [name]).joined(separator: ".")
            if index[candidate] != nil { return candidate }
            if parts.isEmpty { return nil }
            parts.removeLast()
        }
    }

    private enum Kind: Equatable {
        case scalar(String)
        case message(String)
        case map
    }

    private func kind(_ type: String, scope: String, isOriginal: Bool) -> Kind {
        if type.hasPrefix("map<") { return .map }
        if ProtoParser.scalarTypes.contains(type) { return .scalar(type) }
        let file = isOriginal ? original : update
        let index = isOriginal ? originalIndex : updateIndex
        guard let resolved = resolve(type, scope: scope, package: file.package, index: index) else {
            // An imported type: compare by its name as written.
            return .message(type.hasPrefix(".") ? String(type.dropFirst()) : type)
        }
        if case .enumeration? = index[resolved] { return .scalar("enum") }
        return .message(resolved)
    }

    private static func scalarGroup(_ type: String) -> String {
        switch type {
        case "int32", "int64", "uint32", "uint64", "bool", "enum": return "GENERAL_NUMBER"
        case "sint32", "sint64": return "SIGNED_NUMBER"
        case "string", "bytes": return "STRING_OR_BYTES"
        case "fixed32", "sfixed32": return "FIXED32"
        case "fixed64", "sfixed64": return "FIXED64"
        default: return type.uppercased()
        }
    }

    private mutating func compareMessage(_ o: ProtoMessage, _ u: ProtoMessage, name: String) {
        guard compared.insert(name).inserted else { return }
        let path = "#/\(name)"
        for field in o.fields {
            let location = "\(path)/\(field.number)"
            guard let updated = u.fields.first(where: { $0.number == field.number }) else {
                if field.label == .required { add(.requiredFieldRemoved, location) }
                continue
            }
            if field.label == .required, updated.label != .required { add(.requiredFieldRemoved, location) }
            if field.label != .required, updated.label == .required { add(.requiredFieldAdded, location) }
            compareTypes(field, updated, scope: name, location: location)
        }
        for field in u.fields where field.label == .required && !o.fields.contains(where: { $0.number == field.number }) {
            add(.requiredFieldAdded, "\(path)/\(field.number)")
        }
        for oneof in o.oneofs {
            let originalNumbers = o.fields.filter { $0.oneof == oneof }.map(\.number)
            guard u.oneofs.contains(oneof) else { continue }
            let updateNumbers = Set(u.fields.filter { $0.oneof == oneof }.map(\.number))
            if originalNumbers.contains(where: { !updateNumbers.contains($0) }) { add(.oneofFieldRemoved, "\(path)/\(oneof)") }
        }
        for oneof in u.oneofs {
            let moved = u.fields.filter { f in
                f.oneof == oneof && o.fields.contains { $0.number == f.number && $0.oneof == nil }
            }
            if moved.count > 1 { add(.multipleFieldsMovedToOneof, "\(path)/\(oneof)") }
        }
    }

    private mutating func compareTypes(_ o: ProtoField, _ u: ProtoField, scope: String, location: String) {
        let ok = kind(o.type, scope: scope, isOriginal: true)
        let uk = kind(u.type, scope: scope, isOriginal: false)
        switch (ok, uk) {
        case (.scalar(let a), .scalar(let b)):
            let group = ProtobufDiff.scalarGroup(a)
            if group != ProtobufDiff.scalarGroup(b) {
                add(.fieldScalarKindChanged, location)
            } else if group != "STRING_OR_BYTES", (o.label == .repeated) != (u.label == .repeated) {
                add(.fieldNumericLabelChanged, location)
            }
        case (.message(let a), .message(let b)):
            let localA = a.split(separator: ".").last.map(String.init) ?? a
            let localB = b.split(separator: ".").last.map(String.init) ?? b
            if a != b && localA != localB {
                add(.fieldNamedTypeChanged, location)
            } else if case .message(let om)? = originalIndex[a], case .message(let um)? = updateIndex[b] {
                let before = differences.count
                compareMessage(om, um, name: a)
                if differences.count > before { add(.fieldNamedTypeChanged, location) }
            }
        case (.map, .map):
            let keyO = ProtoField(name: "", number: 1, label: .none, type: o.mapKey ?? "", oneof: nil)
            let keyU = ProtoField(name: "", number: 1, label: .none, type: u.mapKey ?? "", oneof: nil)
            compareTypes(keyO, keyU, scope: scope, location: location)
            let valueO = ProtoField(name: "", number: 2, label: .none, type: o.mapValue ?? "", oneof: nil)
            let valueU = ProtoField(name: "", number: 2, label: .none, type: u.mapValue ?? "", oneof: nil)
            compareTypes(valueO, valueU, scope: scope, location: location)
        default:
            add(.fieldKindChanged, location)
        }
    }
}
