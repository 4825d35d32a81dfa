import Foundation
import KubeAPI

/// The subset of Kubernetes JSONPath used by printer columns:
/// `.a.b`, `['a']`, `[0]`, `[*]` and filters `[?(@.type=="Ready")]` (`==`, `!=`).
struct SimpleJSONPath: Sendable {
    private enum Step: Sendable {
        case field(String)
        case index(Int)
        case wildcard
        case filter(path: [String], equals: Bool, value: String)
    }

    private let steps: [Step]

    init(_ text: String) {
        var expression = text.trimmingCharacters(in: .whitespaces)
        if expression.hasPrefix("{"), expression.hasSuffix("}") { expression = String(expression.dropFirst().dropLast()) }
        if expression.hasPrefix("$") { expression.removeFirst() }
        var steps: [Step] = []
        var rest = Substring(expression)
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                if !name.isEmpty { steps.append(name == "*" ? .wildcard : .field(String(name))) }
                rest = rest.dropFirst(name.count)
            } else if first == "[" {
                guard let close = Self.closingBracket(rest) else { break }
                let inner = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                rest = rest[rest.index(after: close)...]
                if inner == "*" {
                    steps.append(.wildcard)
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else if inner.hasPrefix("'") || inner.hasPrefix("\"") {
                    steps.append(.field(String(inner.dropFirst().dropLast())))
                } else if inner.hasPrefix("?(") && inner.hasSuffix(")") {
                    let condition = inner.dropFirst(2).dropLast()
                    let equals = !condition.contains("!=")
                    let parts = condition.components(separatedBy: equals ? "==" : "!=")
                    guard parts.count == 2 else { continue }
                    let lhs = parts[0].trimmingCharacters(in: .whitespaces)
                    var rhs = parts[1].trimmingCharacters(in: .whitespaces)
                    if (rhs.hasPrefix("\"") && rhs.hasSuffix("\"")) || (rhs.hasPrefix("'") && rhs.hasSuffix("'")) {
                        rhs = String(rhs.dropFirst().dropLast())
                    }
                    let path = lhs.hasPrefix("@") ? lhs.dropFirst().split(separator: ".").map(String.init) : []
                    steps.append(.filter(path: path, equals: equals, value: rhs))
                }
            } else {
                let name = rest.prefix { $0 != "." && $0 != "[" }
                steps.append(.field(String(name)))
                rest = rest.dropFirst(name.count)
            }
        }
        self.steps = steps
    }

    private static func closingBracket(_ text: Substring) -> Substring.Index? {
        var quote: Character?
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let c = text[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "]" {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// Every value the path selects, in document order.
    func evaluate(_ value: JSONValue) -> [JSONValue] {
        var current = [value]
        for step in steps {
            var next: [JSONValue] = []
            for item in current {
                switch step {
                case .field(let name):
                    if let child = item[name] { next.append(child) }
                case .index(let index):
                    if let array = item.arrayValue {
                        let i = index < 0 ? array.count + index : index
                        if array.indices.contains(i) { next.append(array[i]) }
                    }
                case .wildcard:
                    if let array = item.arrayValue { next += array } else if let object = item.objectValue {
                        next += object.keys.sorted().compactMap { object[$0] }
                    }
                case .filter(let path, let equals, let expected):
                    for element in item.arrayValue ?? [] {
                        let actual = element.value(at: path)
                        let text = actual.map(Self.text) ?? nil
                        if (text == expected) == equals { next.append(element) }
                    }
                }
            }
            current = next
        }
        return current
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}
