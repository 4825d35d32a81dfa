/// Differences between two `.proto` files as Confluent's registry computes them, keeping the
/// incompatible ones. `original` is the writer's file, `update` the reader's.
///
/// Rules: a message of the original missing in the update is MESSAGE_REMOVED (its nested
/// messages are not reported again); fields are matched by number; a changed kind
/// (scalar/enum vs message vs map) is FIELD_KIND_CHANGED; a scalar outside its wire-compatible
/// group (int32/int64/uint32/uint64/bool/enum; sint32/sint64; string/bytes; fixed32/sfixed32;
/// fixed64/sfixed64; float; double) is FIELD_SCALAR_KIND_CHANGED; a message type with another
/// name (package removed) is FIELD_NAMED_TYPE_CHANGED, as is one whose own comparison found an
/// incompatibility; repeated vs singular on a numeric field is FIELD_NUMERIC_LABEL_CHANGED;
/// proto2 `required` fields added/removed (or an existing field gaining/losing `required`) are
/// REQUIRED_FIELD_ADDED/REMOVED; a oneof field missing from the whole update is
/// ONEOF_FIELD_REMOVED; a oneof of the update gathering several fields that were outside any
/// oneof is MULTIPLE_FIELDS_MOVED_TO_ONEOF, and one gathering a field from outside with fields
/// that were already in a oneof is FIELD_MOVED_TO_EXISTING_ONEOF. Field renames, added/removed
/// optional fields, package changes, enum value changes and moving a field out of a oneof are
/// compatible.
///
/// Locations are Confluent's paths: `#/Message/Nested/number`, `#/Message/oneof/number` for a
/// field that is in the same oneof on both sides, `#/Message/oneof` for oneof rules.
///
/// Imported files given as references make their types resolvable: an imported message is
/// the same type as one of the same name without package, wherever declared, and is compared
/// by content (paths are then the imported message's, `#/GoogleHome/1`). Only the schema's own
/// messages can be MESSAGE_REMOVED, so moving a message into an import removes it. A type no
/// given file declares is compared by the name as written.
///
/// Caveats, both stricter than the registry and both from the language guide: the numeric
/// label rule also applies when one side has no label (proto3 implicit presence), because a
/// singular field does not read packed repeated data; and a change to or from `required` on an
/// existing field is reported for every field type, where the registry reports only numeric
/// ones (as FIELD_NUMERIC_LABEL_CHANGED).
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

    /// A message or enum by its fully qualified name (package included, no leading dot).
    private struct Entry {
        var declaration: Declaration
        /// The name without the package of the file declaring it (`Order.Line`).
        var localName: String
        /// Declared in the schema itself rather than in a referenced file.
        var isMain: Bool
    }

    let original: ProtoFile
    let update: ProtoFile
    let originalLabel: String
    let updateLabel: String
    private let originalIndex: [String: Entry]
    private let updateIndex: [String: Entry]
    /// Pairs of messages compared so far, with whether the comparison found an
    /// incompatibility; a pair under comparison counts as compatible, which ends recursion
    /// through self-referencing messages.
    private var compared: [String: Bool] = [:]
    private var inProgress: Set<String> = []
    private var differences: [Difference] = []

    /// `originalReferences`/`updateReferences` are the files the schemas import, by import
    /// path; their types resolve like the schema's own but are not compared on their own.
    init(
        original: ProtoFile, update: ProtoFile, originalLabel: String, updateLabel: String,
        originalReferences: [String: ProtoFile] = [:], updateReferences: [String: ProtoFile] = [:]
    ) {
        self.original = original
        self.update = update
        self.originalLabel = originalLabel
        self.updateLabel = updateLabel
        originalIndex = ProtobufDiff.index(original, references: originalReferences)
        updateIndex = ProtobufDiff.index(update, references: updateReferences)
    }

    private static func qualified(_ name: String, in package: String?) -> String {
        guard let package, !package.isEmpty else { return name }
        return "\(package).\(name)"
    }

    private static func index(_ file: ProtoFile, references: [String: ProtoFile]) -> [String: Entry] {
        var result: [String: Entry] = [:]
        func add(_ file: ProtoFile, isMain: Bool) {
            func visit(_ m: ProtoMessage, local: String) {
                result[qualified(local, in: file.package)] = Entry(declaration: .message(m), localName: local, isMain: isMain)
                for n in m.messages { visit(n, local: "\(local).\(n.name)") }
                for e in m.enums {
                    result[qualified("\(local).\(e.name)", in: file.package)] = Entry(declaration: .enumeration, localName: "\(local).\(e.name)", isMain: isMain)
                }
            }
            for m in file.messages { visit(m, local: m.name) }
            for e in file.enums { result[qualified(e.name, in: file.package)] = Entry(declaration: .enumeration, localName: e.name, isMain: isMain) }
        }
        for (_, reference) in references.sorted(by: { $0.key < $1.key }) { add(reference, isMain: false) }
        add(file, isMain: true)
        return result
    }

    /// `#/Outer/Inner` for the message `Outer.Inner`.
    private static func path(of localName: String) -> String {
        "#/" + localName.replacingOccurrences(of: ".", with: "/")
    }

    mutating func run() -> [Difference] {
        differences = []
        compared = [:]
        inProgress = []
        func visit(_ m: ProtoMessage, local: String) {
            let updateName = ProtobufDiff.qualified(local, in: update.package)
            // Only the update's own messages count: one moved into an import is removed.
            guard let entry = updateIndex[updateName], entry.isMain, case .message(let updated) = entry.declaration else {
                // The registry reports the removed message only, not what it contained.
                add(.messageRemoved, ProtobufDiff.path(of: local))
                return
            }
            compareMessage(m, updated, original: ProtobufDiff.qualified(local, in: original.package), update: updateName, local: local)
            for n in m.messages { visit(n, local: "\(local).\(n.name)") }
        }
        for m in original.messages { visit(m, local: m.name) }
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
        case .fieldMovedToExistingOneof:
            message = "A field in the oneof at path '\(location)' in the \(new) schema is outside a oneof in the \(old) schema while the oneof has fields of an existing oneof"
        default:
            message = "Multiple fields in the oneof at path '\(location)' in the \(new) schema are outside a oneof in the \(old) schema"
        }
        differences.append(Difference(rule: rule, location: location, message: message))
    }

    /// Resolves a type name as protoc does, from the innermost scope (a fully qualified
    /// message name) outwards; returns the fully qualified name.
    private static func resolve(_ type: String, scope: String, index: [String: Entry]) -> String? {
        if type.hasPrefix(".") {
            let name = String(type.dropFirst())
            return index[name] != nil ? name : nil
        }
        var parts = scope.split(separator: ".").map(String.init)
        while true {
            let candidate = (parts + [type]).joined(separator: ".")
            if index[candidate] != nil { return candidate }
            if parts.isEmpty { return nil }
            parts.removeLast()
        }
    }

    private enum Kind: Equatable {
        case scalar(String)
        /// A message: its fully qualified name, or for a type no given file defines, the name
        /// as written without a leading dot.
        case message(String, resolved: Bool)
        case map
    }

    private func kind(_ type: String, scope: String, isOriginal: Bool) -> Kind {
        if type.hasPrefix("map<") { return .map }
        if ProtoParser.scalarTypes.contains(type) { return .scalar(type) }
        let index = isOriginal ? originalIndex : updateIndex
        guard let resolved = ProtobufDiff.resolve(type, scope: scope, index: index) else {
            return .message(type.hasPrefix(".") ? String(type.dropFirst()) : type, resolved: false)
        }
        if case .enumeration? = index[resolved]?.declaration { return .scalar("enum") }
        return .message(resolved, resolved: true)
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

    /// Compares two versions of a message; returns whether an incompatibility was found in it
    /// (now or by an earlier comparison of the same message).
    @discardableResult
    private mutating func compareMessage(_ o: ProtoMessage, _ u: ProtoMessage, original: String, update: String, local: String) -> Bool {
        let key = "\(original)\u{0}\(update)"
        if let known = compared[key] { return known }
        guard inProgress.insert(key).inserted else { return false }
        let before = differences.count
        let path = ProtobufDiff.path(of: local)
        let updateNumbers = Set(u.fields.map(\.number))

        // Oneofs of the update gathering fields from outside any oneof.
        for oneof in u.oneofs {
            var moved = 0
            var existing = 0
            for f in u.fields where f.oneof == oneof {
                guard let previous = o.fields.first(where: { $0.number == f.number }) else { continue }
                if previous.oneof == nil { moved += 1 } else { existing += 1 }
            }
            if moved > 1 {
                add(.multipleFieldsMovedToOneof, "\(path)/\(oneof)")
            } else if moved == 1, existing > 0 {
                add(.fieldMovedToExistingOneof, "\(path)/\(oneof)")
            }
        }
        // Oneofs on both sides: a member missing from the whole update is removed; one that
        // only left the oneof relaxes it.
        for oneof in o.oneofs where u.oneofs.contains(oneof) {
            for f in o.fields where f.oneof == oneof && !updateNumbers.contains(f.number) {
                add(.oneofFieldRemoved, "\(path)/\(oneof)/\(f.number)")
            }
        }

        for field in o.fields {
            guard let updated = u.fields.first(where: { $0.number == field.number }) else {
                if field.label == .required { add(.requiredFieldRemoved, "\(path)/\(field.number)") }
                continue
            }
            let location =
                if let oneof = field.oneof, updated.oneof == oneof { "\(path)/\(oneof)/\(field.number)" } else { "\(path)/\(field.number)" }
            if field.label == .required, updated.label != .required { add(.requiredFieldRemoved, location) }
            if field.label != .required, updated.label == .required { add(.requiredFieldAdded, location) }
            compareTypes(field, updated, originalScope: original, updateScope: update, location: location)
        }
        for field in u.fields where field.label == .required && !o.fields.contains(where: { $0.number == field.number }) {
            add(.requiredFieldAdded, "\(path)/\(field.number)")
        }

        inProgress.remove(key)
        let found = differences.count > before
        compared[key] = found
        return found
    }

    private mutating func compareTypes(_ o: ProtoField, _ u: ProtoField, originalScope: String, updateScope: String, location: String) {
        let ok = kind(o.type, scope: originalScope, isOriginal: true)
        let uk = kind(u.type, scope: updateScope, isOriginal: false)
        switch (ok, uk) {
        case (.scalar(let a), .scalar(let b)):
            let group = ProtobufDiff.scalarGroup(a)
            if group != ProtobufDiff.scalarGroup(b) {
                add(.fieldScalarKindChanged, location)
            } else if group != "STRING_OR_BYTES", (o.label == .repeated) != (u.label == .repeated) {
                add(.fieldNumericLabelChanged, location)
            }
        case (.message(let a, true), .message(let b, true)):
            // The same type is the same name without its package, wherever it is declared.
            guard let ea = originalIndex[a], let eb = updateIndex[b], ea.localName == eb.localName else {
                add(.fieldNamedTypeChanged, location)
                return
            }
            guard case .message(let om) = ea.declaration, case .message(let um) = eb.declaration else { return }
            if compareMessage(om, um, original: a, update: b, local: ea.localName) { add(.fieldNamedTypeChanged, location) }
        case (.message, .message):
            // A type from a file that was not given: compare the names as written.
            let written = { (type: String) in type.hasPrefix(".") ? String(type.dropFirst()) : type }
            if written(o.type) != written(u.type) { add(.fieldNamedTypeChanged, location) }
        case (.map, .map):
            let keyO = ProtoField(name: "", number: 1, label: .none, type: o.mapKey ?? "", oneof: nil)
            let keyU = ProtoField(name: "", number: 1, label: .none, type: u.mapKey ?? "", oneof: nil)
            compareTypes(keyO, keyU, originalScope: originalScope, updateScope: updateScope, location: location)
            let valueO = ProtoField(name: "", number: 2, label: .none, type: o.mapValue ?? "", oneof: nil)
            let valueU = ProtoField(name: "", number: 2, label: .none, type: u.mapValue ?? "", oneof: nil)
            compareTypes(valueO, valueU, originalScope: originalScope, updateScope: updateScope, location: location)
        default:
            add(.fieldKindChanged, location)
        }
    }
}
