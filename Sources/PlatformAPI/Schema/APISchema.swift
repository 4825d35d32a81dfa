import KubeAPI

/// A node of a custom resource's OpenAPI v3 schema, declared in Swift next to
/// the type it describes.
///
/// The declaration is deliberately narrow: it can only express *structural*
/// schemas (every node has a type; objects have either fixed properties or a
/// value schema, never both), so whatever is declared is accepted by a
/// kube-apiserver. ``jsonValue`` renders the `openAPIV3Schema` form; the CRD,
/// the reference docs and the defaulting applied when decoding all read the
/// same value.
///
/// ```swift
/// let schema = APISchema.object("Where the branch lives.", [
///     "name": .string("Repository name.").pattern("^[a-z0-9][a-z0-9-]{2,62}$").required(),
///     "create": .boolean("Create the repository when missing.").withDefault(false),
/// ])
/// ```
public struct APISchema: Sendable, Hashable {
    /// The JSON shape of a node.
    public indirect enum Shape: Sendable, Hashable {
        case string
        case integer(format: String)
        case number
        case boolean
        /// An object with a fixed, ordered list of properties.
        case object([Property])
        /// An object whose members all share one value schema (`additionalProperties`).
        case map(APISchema)
        /// An object the schema does not look into (only used for `metadata`).
        case opaqueObject
        case array(APISchema)
    }

    /// A named member of an object node.
    public struct Property: Sendable, Hashable {
        /// The property name in JSON.
        public var name: String
        /// The property's schema.
        public var schema: APISchema

        /// A property with the given name and schema.
        public init(name: String, schema: APISchema) {
            self.name = name
            self.schema = schema
        }
    }

    /// A CEL rule (`x-kubernetes-validations`).
    public struct ValidationRule: Sendable, Hashable {
        /// The CEL expression; `self` is the node the rule is declared on.
        public var rule: String
        /// The message the API server returns when the rule fails.
        public var message: String

        /// A rule and the message shown when it fails.
        public init(rule: String, message: String) {
            self.rule = rule
            self.message = message
        }
    }

    /// The JSON type and, for objects, lists and maps, what they hold.
    public var shape: Shape
    /// Shown by `kubectl explain` and in the reference docs.
    public var description: String
    /// Whether the parent object lists this node as required.
    public var isRequired = false
    /// `default`: filled in by the API server when the field is absent.
    public var defaultValue: JSONValue?
    /// `enum`: the only values allowed.
    public var enumValues: [String]?
    /// `pattern`: a regular expression strings must match.
    public var pattern: String?
    /// `format`, e.g. `date-time`.
    public var format: String?
    /// `minimum` of an integer.
    public var minimum: Int64?
    /// `maximum` of an integer.
    public var maximum: Int64?
    /// `minLength` of a string.
    public var minLength: Int?
    /// `maxLength` of a string; CEL cost estimates rely on it.
    public var maxLength: Int?
    /// `minItems` of a list.
    public var minItems: Int?
    /// `maxItems` of a list; CEL cost estimates rely on it.
    public var maxItems: Int?
    /// `maxProperties` of a map.
    public var maxProperties: Int?
    /// `x-kubernetes-list-type`: `atomic`, `set` or `map`.
    public var listType: String?
    /// `x-kubernetes-list-map-keys`, with ``listType`` `map`.
    public var listMapKeys: [String]?
    /// `x-kubernetes-validations`: CEL rules.
    public var validations: [ValidationRule] = []

    /// A node of the given shape; see the static constructors for the usual ones.
    public init(shape: Shape, description: String) {
        self.shape = shape
        self.description = description
    }
}

// MARK: - Constructors

extension APISchema {
    /// A string.
    public static func string(_ description: String) -> APISchema {
        APISchema(shape: .string, description: description)
    }

    /// A string restricted to the given values.
    public static func enumeration(_ description: String, _ values: [String]) -> APISchema {
        var schema = APISchema(shape: .string, description: description)
        schema.enumValues = values
        return schema
    }

    /// A string restricted to the raw values of a `CaseIterable` enum.
    public static func enumeration<E: CaseIterable & RawRepresentable>(
        _ description: String, _ type: E.Type
    ) -> APISchema where E.RawValue == String {
        enumeration(description, type.allCases.map(\.rawValue))
    }

    /// An integer (`int32` or `int64`).
    public static func integer(_ description: String, format: String = "int32") -> APISchema {
        APISchema(shape: .integer(format: format), description: description)
    }

    /// A floating-point number. Prefer decimal strings in spec fields.
    public static func number(_ description: String) -> APISchema {
        APISchema(shape: .number, description: description)
    }

    /// A boolean.
    public static func boolean(_ description: String) -> APISchema {
        APISchema(shape: .boolean, description: description)
    }

    /// An RFC 3339 timestamp (`format: date-time`).
    public static func dateTime(_ description: String) -> APISchema {
        APISchema.string(description).format("date-time")
    }

    /// An object with the given properties, in display order.
    public static func object(_ description: String, _ properties: KeyValuePairs<String, APISchema>) -> APISchema {
        APISchema(shape: .object(properties.map { Property(name: $0.key, schema: $0.value) }), description: description)
    }

    /// An object with a property list built elsewhere (used to share common parts).
    public static func object(_ description: String, properties: [Property]) -> APISchema {
        APISchema(shape: .object(properties), description: description)
    }

    /// A map from string keys to values of one schema.
    public static func map(_ description: String, of values: APISchema) -> APISchema {
        APISchema(shape: .map(values), description: description)
    }

    /// A map from strings to strings.
    public static func stringMap(_ description: String) -> APISchema {
        map(description, of: .string(""))
    }

    /// A list of values of one schema.
    public static func array(_ description: String, of items: APISchema) -> APISchema {
        APISchema(shape: .array(items), description: description)
    }

    /// A list of unique strings (`x-kubernetes-list-type: set`).
    public static func stringSet(_ description: String, item: APISchema = .string("")) -> APISchema {
        array(description, of: item).listType("set")
    }

    /// An object whose content is not described (only valid for `metadata`).
    public static func opaqueObject(_ description: String) -> APISchema {
        APISchema(shape: .opaqueObject, description: description)
    }
}

// MARK: - Modifiers

extension APISchema {
    /// Marks the node as required in its parent object.
    public func required() -> APISchema { with { $0.isRequired = true } }

    /// The value the API server fills in when the field is absent.
    public func withDefault(_ value: JSONValue) -> APISchema { with { $0.defaultValue = value } }

    /// A regular expression (ECMA 262 subset, as the API server uses) the string must match.
    public func pattern(_ pattern: String) -> APISchema { with { $0.pattern = pattern } }

    /// An OpenAPI format such as `date-time`.
    public func format(_ format: String) -> APISchema { with { $0.format = format } }

    /// Bounds of an integer.
    public func range(min: Int64? = nil, max: Int64? = nil) -> APISchema {
        with {
            $0.minimum = min
            $0.maximum = max
        }
    }

    /// Bounds of a string's length.
    public func length(min: Int? = nil, max: Int? = nil) -> APISchema {
        with {
            $0.minLength = min
            $0.maxLength = max
        }
    }

    /// Bounds of a list's length.
    public func items(min: Int? = nil, max: Int? = nil) -> APISchema {
        with {
            $0.minItems = min
            $0.maxItems = max
        }
    }

    /// The largest number of members of a map.
    public func maxProperties(_ count: Int) -> APISchema { with { $0.maxProperties = count } }

    /// `x-kubernetes-list-type`.
    public func listType(_ type: String) -> APISchema { with { $0.listType = type } }

    /// A list treated as a map keyed by the given item fields.
    public func listMap(keys: [String]) -> APISchema {
        with {
            $0.listType = "map"
            $0.listMapKeys = keys
        }
    }

    /// A CEL rule checked by the API server. The operator checks the same rule
    /// in Swift (see each kind's `validate()`), so clusters without CEL are safe too.
    public func rule(_ rule: String, message: String) -> APISchema {
        with { $0.validations.append(ValidationRule(rule: rule, message: message)) }
    }

    /// Forbids changing the value once set (a CEL transition rule).
    public func immutable(_ message: String) -> APISchema {
        rule("self == oldSelf", message: message)
    }

    /// Replaces the description.
    public func describe(_ description: String) -> APISchema { with { $0.description = description } }

    private func with(_ change: (inout APISchema) -> Void) -> APISchema {
        var copy = self
        change(&copy)
        return copy
    }
}

// MARK: - Navigation

extension APISchema {
    /// The properties of an object node, or empty.
    public var properties: [Property] {
        if case .object(let properties) = shape { return properties }
        return []
    }

    /// The property with the given name of an object node.
    public func property(_ name: String) -> APISchema? {
        properties.first { $0.name == name }?.schema
    }

    /// The node at a path of property names, e.g. `["spec", "merge", "into"]`.
    /// An array is stepped through transparently to its item schema.
    public func node(at path: [String]) -> APISchema? {
        var current: APISchema? = self
        for name in path {
            while case .array(let items)? = current?.shape { current = items }
            current = current?.property(name)
        }
        return current
    }

    /// The names of the required properties of an object node, in declaration order.
    public var requiredProperties: [String] {
        properties.filter(\.schema.isRequired).map(\.name)
    }

    /// The JSON type name (`object`, `array`, `string`, …).
    public var typeName: String {
        switch shape {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .object, .map, .opaqueObject: "object"
        case .array: "array"
        }
    }
}
