/// A parsed `.proto` file: what compatibility needs (messages, fields, oneofs, enums).
struct ProtoFile: Sendable, Equatable {
    var syntax: String
    var package: String?
    var imports: [String]
    var messages: [ProtoMessage]
    var enums: [ProtoEnum]
}

struct ProtoMessage: Sendable, Equatable {
    var name: String
    var fields: [ProtoField]
    var oneofs: [String]
    var messages: [ProtoMessage]
    var enums: [ProtoEnum]
    var reserved: [String]
}

struct ProtoField: Sendable, Equatable {
    enum Label: String, Sendable { case none = "", optional, required, repeated }
    var name: String
    var number: Int
    var label: Label
    /// The type as written (`int32`, `.foo.Bar`, `Bar`), or `map<K, V>` for map fields.
    var type: String
    var mapKey: String?
    var mapValue: String?
    /// The name of the oneof the field belongs to.
    var oneof: String?
}

struct ProtoEnum: Sendable, Equatable {
    var name: String
    var values: [(name: String, number: Int)]

    static func == (lhs: ProtoEnum, rhs: ProtoEnum) -> Bool {
        lhs.name == rhs.name && lhs.values.map(\.name) == rhs.values.map(\.name) && lhs.values.map(\.number) == rhs.values.map(\.number)
    }
}

/// A recursive-descent parser for proto2 and proto3 files. Options, services and extensions
/// are read and skipped; imports are kept by name only.
struct ProtoParser {
    private struct Token: Equatable {
        enum Kind { case identifier, number, string, symbol }
        var kind: Kind
        var text: String
        var line: Int
        var column: Int
    }

    private var tokens: [Token] = []
    private var position = 0
    private var endLine = 1
    private var endColumn = 1

    static func parse(_ text: String) throws(SchemaParseError) -> ProtoFile {
        var parser = ProtoParser()
        try parser.tokenize(text)
        return try parser.parseFile()
    }

    static let scalarTypes: Set<String> = [
        "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
        "sfixed64", "bool", "string", "bytes",
    ]

    private mutating func tokenize(_ text: String) throws(SchemaParseError) {
        let chars = Array(text.unicodeScalars)
        var i = 0
        var line = 1
        var column = 1
        func advance(_ n: Int = 1) {
            for _ in 0..<n where i < chars.count {
                if chars[i] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                i += 1
            }
        }
        func isIdent(_ c: UnicodeScalar) -> Bool {
            c == "_" || c == "." || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                advance()
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { advance() }
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                let (l, col) = (line, column)
                advance(2)
                while i < chars.count, !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") { advance() }
                guard i < chars.count else { throw SchemaParseError(reason: "unterminated comment", line: l, column: col) }
                advance(2)
            } else if c == "\"" || c == "'" {
                let (l, col) = (line, column)
                advance()
                var s = ""
                while i < chars.count, chars[i] != c {
                    if chars[i] == "\\", i + 1 < chars.count { advance() }
                    if chars[i] == "\n" { throw SchemaParseError(reason: "unterminated string", line: l, column: col) }
                    s.unicodeScalars.append(chars[i])
                    advance()
                }
                guard i < chars.count else { throw SchemaParseError(reason: "unterminated string", line: l, column: col) }
                advance()
                tokens.append(Token(kind: .string, text: s, line: l, column: col))
            } else if ("0"..."9").contains(c) || (c == "-" && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])) {
                let (l, col) = (line, column)
                var s = ""
                repeat {
                    s.unicodeScalars.append(chars[i])
                    advance()
                } while i < chars.count && (isIdent(chars[i]) || chars[i] == "+" || chars[i] == "-")
                tokens.append(Token(kind: .number, text: s, line: l, column: col))
            } else if isIdent(c) {
                let (l, col) = (line, column)
                var s = ""
                while i < chars.count, isIdent(chars[i]) {
                    s.unicodeScalars.append(chars[i])
                    advance()
                }
                tokens.append(Token(kind: .identifier, text: s, line: l, column: col))
            } else if "{}[]()<>;=,:-+".unicodeScalars.contains(c) {
                tokens.append(Token(kind: .symbol, text: String(c), line: line, column: column))
                advance()
            } else {
                throw SchemaParseError(reason: "unexpected character '\(c)'", line: line, column: column)
            }
        }
        endLine = line
        endColumn = column
    }

    private func error(_ reason: String) -> SchemaParseError {
        if position < tokens.count {
            return SchemaParseError(reason: reason, line: tokens[position].line, column: tokens[position].column)
        }
        return SchemaParseError(reason: reason, line: endLine, column: endColumn)
    }

    private var peek: Token? { position < tokens.count ? tokens[position] : nil }

    private mutating func next() throws(SchemaParseError) -> Token {
        guard let t = peek else { throw error("unexpected end of file") }
        position += 1
        return t
    }

    private mutating func expect(_ symbol: String) throws(SchemaParseError) {
        guard peek?.text == symbol, peek?.kind != .string else {
            throw error("expected '\(symbol)' but found \(peek.map { "'\($0.text)'" } ?? "end of file")")
        }
        position += 1
    }

    private mutating func identifier(_ what: String) throws(SchemaParseError) -> String {
        guard let t = peek, t.kind == .identifier else { throw error("expected \(what)") }
        position += 1
        return t.text
    }

    private mutating func integer(_ what: String) throws(SchemaParseError) -> Int {
        guard let t = peek, t.kind == .number else { throw error("expected \(what)") }
        let text = t.text
        let value: Int? =
            text.hasPrefix("0x") || text.hasPrefix("0X") ? Int(text.dropFirst(2), radix: 16)
            : text.hasPrefix("-0x") ? Int(text.dropFirst(3), radix: 16).map { -$0 } : Int(text)
        guard let value else { throw error("expected \(what)") }
        position += 1
        return value
    }

    /// Skips a statement up to its `;` or a balanced `{…}` block.
    private mutating func skipStatement() throws(SchemaParseError) {
        var depth = 0
        while true {
            let t = try next()
            if t.kind == .symbol {
                if t.text == "{" { depth += 1 }
                if t.text == "}" {
                    depth -= 1
                    if depth == 0 { return }
                }
                if t.text == ";", depth == 0 { return }
            }
        }
    }

    /// Skips `[ … ]` field options, if present.
    private mutating func skipFieldOptions() throws(SchemaParseError) {
        guard peek?.text == "[", peek?.kind == .symbol else { return }
        var depth = 0
        while true {
            let t = try next()
            if t.kind == .symbol, t.text == "[" { depth += 1 }
            if t.kind == .symbol, t.text == "]" {
                depth -= 1
                if depth == 0 { return }
            }
        }
    }

    private mutating func parseFile() throws(SchemaParseError) -> ProtoFile {
        var file = ProtoFile(syntax: "proto2", package: nil, imports: [], messages: [], enums: [])
        var sawSyntax = false
        while let t = peek {
            switch (t.kind, t.text) {
            case (.identifier, "syntax"), (.identifier, "edition"):
                position += 1
                try expect("=")
                guard let s = peek, s.kind == .string else { throw error("expected a quoted syntax") }
                position += 1
                guard ["proto2", "proto3"].contains(s.text) || t.text == "edition" else {
                    position -= 1
                    throw error("unsupported syntax \"\(s.text)\"")
                }
                file.syntax = s.text
                sawSyntax = true
                try expect(";")
            case (.identifier, "package"):
                position += 1
                file.package = try identifier("a package name")
                try expect(";")
            case (.identifier, "import"):
                position += 1
                if let m = peek, m.kind == .identifier, ["public", "weak"].contains(m.text) { position += 1 }
                guard let s = peek, s.kind == .string else { throw error("expected a quoted import path") }
                position += 1
                file.imports.append(s.text)
                try expect(";")
            case (.identifier, "message"):
                position += 1
                file.messages.append(try parseMessage(syntax: file.syntax))
            case (.identifier, "enum"):
                position += 1
                file.enums.append(try parseEnum())
            case (.identifier, "option"), (.identifier, "service"), (.identifier, "extend"):
                try skipStatement()
            case (.symbol, ";"):
                position += 1
            default:
                throw error("unexpected '\(t.text)' at top level")
            }
        }
        _ = sawSyntax
        return file
    }

    private mutating func parseEnum() throws(SchemaParseError) -> ProtoEnum {
        var result = ProtoEnum(name: try identifier("an enum name"), values: [])
        try expect("{")
        while true {
            guard let t = peek else { throw error("unterminated enum \(result.name)") }
            if t.kind == .symbol, t.text == "}" {
                position += 1
                return result
            }
            if t.kind == .symbol, t.text == ";" {
                position += 1
                continue
            }
            if t.kind == .identifier, ["option", "reserved"].contains(t.text) {
                try skipStatement()
                continue
            }
            let name = try identifier("an enum value name")
            try expect("=")
            let number = try integer("an enum value number")
            try skipFieldOptions()
            try expect(";")
            result.values.append((name, number))
        }
    }

    private mutating func parseMessage(syntax: String) throws(SchemaParseError) -> ProtoMessage {
        var message = ProtoMessage(name: try identifier("a message name"), fields: [], oneofs: [], messages: [], enums: [], reserved: [])
        try expect("{")
        try parseMessageBody(&message, syntax: syntax, oneof: nil)
        var numbers: Set<Int> = []
        for field in message.fields where !numbers.insert(field.number).inserted {
            throw SchemaParseError(reason: "field number \(field.number) is used twice in message \(message.name)")
        }
        return message
    }

    private mutating func parseMessageBody(_ message: inout ProtoMessage, syntax: String, oneof: String?) throws(SchemaParseError) {
        while true {
            guard let t = peek else { throw error("unterminated message \(message.name)") }
            if t.kind == .symbol, t.text == "}" {
                position += 1
                return
            }
            if t.kind == .symbol, t.text == ";" {
                position += 1
                continue
            }
            guard t.kind == .identifier else { throw error("unexpected '\(t.text)' in message \(message.name)") }
            switch t.text {
            case "message" where oneof == nil:
                position += 1
                message.messages.append(try parseMessage(syntax: syntax))
            case "enum" where oneof == nil:
                position += 1
                message.enums.append(try parseEnum())
            case "oneof" where oneof == nil:
                position += 1
                let name = try identifier("a oneof name")
                message.oneofs.append(name)
                try expect("{")
                try parseMessageBody(&message, syntax: syntax, oneof: name)
            case "reserved":
                position += 1
                while let r = peek, !(r.kind == .symbol && r.text == ";") {
                    position += 1
                    if r.kind != .symbol { message.reserved.append(r.text) }
                }
                try expect(";")
            case "option", "extensions", "extend":
                try skipStatement()
            case "group":
                throw error("groups are not supported")
            default:
                message.fields.append(try parseField(syntax: syntax, oneof: oneof))
            }
        }
    }

    private mutating func parseField(syntax: String, oneof: String?) throws(SchemaParseError) -> ProtoField {
        var label = ProtoField.Label.none
        if let t = peek, t.kind == .identifier, let l = ProtoField.Label(rawValue: t.text), l != .none {
            if oneof != nil { throw error("fields in a oneof may not have a label") }
            if l == .required, syntax == "proto3" { throw error("required fields are not allowed in proto3") }
            label = l
            position += 1
        }
        var type = try identifier("a field type")
        var mapKey: String?
        var mapValue: String?
        if type == "map", peek?.text == "<" {
            try expect("<")
            let key = try identifier("a map key type")
            try expect(",")
            let value = try identifier("a map value type")
            try expect(">")
            mapKey = key
            mapValue = value
            type = "map<\(key), \(value)>"
        }
        let name = try identifier("a field name")
        try expect("=")
        let number = try integer("a field number")
        guard (1...536_870_911).contains(number) else {
            position -= 1
            throw error("field number \(number) is out of range")
        }
        try skipFieldOptions()
        try expect(";")
        return ProtoField(name: name, number: number, label: label, type: type, mapKey: mapKey, mapValue: mapValue, oneof: oneof)
    }
}

extension ProtoFile {
    /// The file in a fixed layout. Normalized: imports sorted, nested declarations sorted by
    /// name, fields by number — the registry's `normalize=true` makes such files equal.
    func printed(normalized: Bool) -> String {
        var out = "syntax = \"\(syntax)\";\n"
        if let package { out += "package \(package);\n" }
        for i in (normalized ? imports.sorted() : imports) { out += "import \"\(i)\";\n" }
        let ms = normalized ? messages.sorted { $0.name < $1.name } : messages
        let es = normalized ? enums.sorted { $0.name < $1.name } : enums
        for m in ms { ProtoFile.print(m, indent: "", normalized: normalized, to: &out) }
        for e in es { ProtoFile.print(e, indent: "", to: &out) }
        return out
    }

    private static func print(_ e: ProtoEnum, indent: String, to out: inout String) {
        out += "\(indent)enum \(e.name) {\n"
        for v in e.values { out += "\(indent)  \(v.name) = \(v.number);\n" }
        out += "\(indent)}\n"
    }

    private static func print(_ m: ProtoMessage, indent: String, normalized: Bool, to out: inout String) {
        out += "\(indent)message \(m.name) {\n"
        let inner = indent + "  "
        if !m.reserved.isEmpty { out += "\(inner)reserved \(m.reserved.joined(separator: ", "));\n" }
        let fields = normalized ? m.fields.sorted { $0.number < $1.number } : m.fields
        func line(_ f: ProtoField, _ ind: String) -> String {
            let label = f.label == .none ? "" : "\(f.label.rawValue) "
            return "\(ind)\(label)\(f.type) \(f.name) = \(f.number);\n"
        }
        for f in fields where f.oneof == nil { out += line(f, inner) }
        for o in (normalized ? m.oneofs.sorted() : m.oneofs) {
            out += "\(inner)oneof \(o) {\n"
            for f in fields where f.oneof == o { out += line(f, inner + "  ") }
            out += "\(inner)}\n"
        }
        for n in (normalized ? m.messages.sorted { $0.name < $1.name } : m.messages) {
            print(n, indent: inner, normalized: normalized, to: &out)
        }
        for e in (normalized ? m.enums.sorted { $0.name < $1.name } : m.enums) { print(e, indent: inner, to: &out) }
        out += "\(indent)}\n"
    }
}
