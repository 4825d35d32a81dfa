import Foundation

/// apiextensions.k8s.io/v1 `JSONSchemaProps`: the OpenAPI v3 schema of a custom resource version.
///
/// Every field of the upstream type is modelled so that a CRD decodes and encodes without
/// loss; fields kube-apiserver rejects in CRDs (`id`, `$schema`, `$ref`, `patternProperties`,
/// `dependencies`, `additionalItems`, `definitions`, `items` as an array) are kept so that
/// ``SchemaValidator/structuralErrors(of:at:)`` can report them.
///
/// Encoding emits only the fields that are set, under their upstream JSON names; like Go's
/// `omitempty`, empty strings, empty lists and `false` flags are left out.
public struct JSONSchemaProps: Sendable, Hashable {
    public var id: String?
    /// `$schema`.
    public var schemaURI: String?
    /// `$ref`.
    public var ref: String?
    public var description: String?
    public var type: String?
    public var format: String?
    public var title: String?
    public var `default`: JSONValue?
    public var maximum: Double?
    public var exclusiveMaximum: Bool
    public var minimum: Double?
    public var exclusiveMinimum: Bool
    public var maxLength: Int64?
    public var minLength: Int64?
    public var pattern: String?
    public var maxItems: Int64?
    public var minItems: Int64?
    public var uniqueItems: Bool
    public var multipleOf: Double?
    public var `enum`: [JSONValue]?
    public var maxProperties: Int64?
    public var minProperties: Int64?
    public var required: [String]?
    /// `items` given as a list of schemas (tuple validation); not allowed in CRDs.
    public var itemsArray: [JSONSchemaProps]?
    public var allOf: [JSONSchemaProps]?
    public var oneOf: [JSONSchemaProps]?
    public var anyOf: [JSONSchemaProps]?
    public var properties: [String: JSONSchemaProps]?
    public var additionalProperties: SchemaOrBool?
    public var patternProperties: [String: JSONSchemaProps]?
    /// `dependencies`, kept verbatim; not allowed in CRDs.
    public var dependencies: [String: JSONValue]?
    public var additionalItems: SchemaOrBool?
    public var definitions: [String: JSONSchemaProps]?
    public var externalDocs: ExternalDocumentation?
    public var example: JSONValue?
    public var nullable: Bool
    /// `x-kubernetes-preserve-unknown-fields`; upstream it is `*bool`, and `false` is an error.
    public var xPreserveUnknownFields: Bool?
    /// `x-kubernetes-embedded-resource`.
    public var xEmbeddedResource: Bool
    /// `x-kubernetes-int-or-string`.
    public var xIntOrString: Bool
    /// `x-kubernetes-list-map-keys`.
    public var xListMapKeys: [String]?
    /// `x-kubernetes-list-type`: `atomic`, `set` or `map`.
    public var xListType: String?
    /// `x-kubernetes-map-type`: `atomic` or `granular`.
    public var xMapType: String?
    /// `x-kubernetes-validations`: CEL rules, stored but not evaluated here.
    public var xValidations: [ValidationRule]?

    // Recursive single schemas live in one-element arrays so the struct has a finite size.
    private var itemsStorage: [JSONSchemaProps]
    private var notStorage: [JSONSchemaProps]

    /// `items` given as a single schema, the only form CRDs allow.
    public var items: JSONSchemaProps? {
        get { itemsStorage.first }
        set { itemsStorage = newValue.map { [$0] } ?? [] }
    }

    public var not: JSONSchemaProps? {
        get { notStorage.first }
        set { notStorage = newValue.map { [$0] } ?? [] }
    }

    public init(
        type: String? = nil,
        format: String? = nil,
        description: String? = nil,
        title: String? = nil,
        default: JSONValue? = nil,
        enum: [JSONValue]? = nil,
        pattern: String? = nil,
        minimum: Double? = nil,
        exclusiveMinimum: Bool = false,
        maximum: Double? = nil,
        exclusiveMaximum: Bool = false,
        multipleOf: Double? = nil,
        minLength: Int64? = nil,
        maxLength: Int64? = nil,
        minItems: Int64? = nil,
        maxItems: Int64? = nil,
        uniqueItems: Bool = false,
        minProperties: Int64? = nil,
        maxProperties: Int64? = nil,
        required: [String]? = nil,
        properties: [String: JSONSchemaProps]? = nil,
        items: JSONSchemaProps? = nil,
        additionalProperties: SchemaOrBool? = nil,
        allOf: [JSONSchemaProps]? = nil,
        oneOf: [JSONSchemaProps]? = nil,
        anyOf: [JSONSchemaProps]? = nil,
        not: JSONSchemaProps? = nil,
        nullable: Bool = false,
        example: JSONValue? = nil,
        externalDocs: ExternalDocumentation? = nil,
        xPreserveUnknownFields: Bool? = nil,
        xEmbeddedResource: Bool = false,
        xIntOrString: Bool = false,
        xListType: String? = nil,
        xListMapKeys: [String]? = nil,
        xMapType: String? = nil,
        xValidations: [ValidationRule]? = nil
    ) {
        self.type = type
        self.format = format
        self.description = description
        self.title = title
        self.default = `default`
        self.enum = `enum`
        self.pattern = pattern
        self.minimum = minimum
        self.exclusiveMinimum = exclusiveMinimum
        self.maximum = maximum
        self.exclusiveMaximum = exclusiveMaximum
        self.multipleOf = multipleOf
        self.minLength = minLength
        self.maxLength = maxLength
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
        self.minProperties = minProperties
        self.maxProperties = maxProperties
        self.required = required
        self.properties = properties
        self.itemsStorage = items.map { [$0] } ?? []
        self.additionalProperties = additionalProperties
        self.allOf = allOf
        self.oneOf = oneOf
        self.anyOf = anyOf
        self.notStorage = not.map { [$0] } ?? []
        self.nullable = nullable
        self.example = example
        self.externalDocs = externalDocs
        self.xPreserveUnknownFields = xPreserveUnknownFields
        self.xEmbeddedResource = xEmbeddedResource
        self.xIntOrString = xIntOrString
        self.xListType = xListType
        self.xListMapKeys = xListMapKeys
        self.xMapType = xMapType
        self.xValidations = xValidations
    }
}

extension JSONSchemaProps {
    /// `JSONSchemaPropsOrBool`: `additionalProperties` (and `additionalItems`) is either a flag or a schema.
    public indirect enum SchemaOrBool: Sendable, Hashable, Codable {
        case bool(Bool)
        case schema(JSONSchemaProps)

        /// Go's `Allows`: a schema allows additional entries, so does `true`.
        public var allows: Bool {
            switch self {
            case .bool(let allows): allows
            case .schema: true
            }
        }

        public var schema: JSONSchemaProps? {
            if case .schema(let schema) = self { schema } else { nil }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else {
                self = .schema(try container.decode(JSONSchemaProps.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .bool(let flag): try container.encode(flag)
            case .schema(let schema): try container.encode(schema)
            }
        }
    }

    /// `ExternalDocumentation`.
    public struct ExternalDocumentation: Sendable, Hashable, Codable {
        public var description: String?
        public var url: String?

        public init(description: String? = nil, url: String? = nil) {
            self.description = description
            self.url = url
        }
    }

    /// One `x-kubernetes-validations` rule (`ValidationRule`).
    public struct ValidationRule: Sendable, Hashable, Codable {
        public var rule: String
        public var message: String?
        public var messageExpression: String?
        /// `FieldValueInvalid`, `FieldValueForbidden`, `FieldValueRequired` or `FieldValueDuplicate`.
        public var reason: String?
        public var fieldPath: String?
        public var optionalOldSelf: Bool?

        public init(
            rule: String, message: String? = nil, messageExpression: String? = nil, reason: String? = nil,
            fieldPath: String? = nil, optionalOldSelf: Bool? = nil
        ) {
            self.rule = rule
            self.message = message
            self.messageExpression = messageExpression
            self.reason = reason
            self.fieldPath = fieldPath
            self.optionalOldSelf = optionalOldSelf
        }

        private enum CodingKeys: String, CodingKey {
            case rule, message, messageExpression, reason, fieldPath, optionalOldSelf
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            rule = try c.decodeIfPresent(String.self, forKey: .rule) ?? ""
            message = try c.decodeIfPresent(String.self, forKey: .message)
            messageExpression = try c.decodeIfPresent(String.self, forKey: .messageExpression)
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
            fieldPath = try c.decodeIfPresent(String.self, forKey: .fieldPath)
            optionalOldSelf = try c.decodeIfPresent(Bool.self, forKey: .optionalOldSelf)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encodeNonEmpty(message, forKey: .message)
            try c.encodeNonEmpty(messageExpression, forKey: .messageExpression)
            try c.encodeNonEmpty(reason, forKey: .reason)
            try c.encodeNonEmpty(fieldPath, forKey: .fieldPath)
            try c.encodeIfPresent(optionalOldSelf, forKey: .optionalOldSelf)
        }
    }
}

extension JSONSchemaProps: Codable {
    private enum CodingKeys: String, CodingKey {
        case id
        case schemaURI = "$schema"
        case ref = "$ref"
        case description, type, format, title, `default`, maximum, exclusiveMaximum, minimum, exclusiveMinimum
        case maxLength, minLength, pattern, maxItems, minItems, uniqueItems, multipleOf, `enum`
        case maxProperties, minProperties, required, items, allOf, oneOf, anyOf, not, properties
        case additionalProperties, patternProperties, dependencies, additionalItems, definitions
        case externalDocs, example, nullable
        case xPreserveUnknownFields = "x-kubernetes-preserve-unknown-fields"
        case xEmbeddedResource = "x-kubernetes-embedded-resource"
        case xIntOrString = "x-kubernetes-int-or-string"
        case xListMapKeys = "x-kubernetes-list-map-keys"
        case xListType = "x-kubernetes-list-type"
        case xMapType = "x-kubernetes-map-type"
        case xValidations = "x-kubernetes-validations"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        id = try c.decodeNonEmpty(forKey: .id)
        schemaURI = try c.decodeNonEmpty(forKey: .schemaURI)
        ref = try c.decodeIfPresent(String.self, forKey: .ref)
        description = try c.decodeNonEmpty(forKey: .description)
        type = try c.decodeNonEmpty(forKey: .type)
        format = try c.decodeNonEmpty(forKey: .format)
        title = try c.decodeNonEmpty(forKey: .title)
        self.default = try c.decodeIfPresent(JSONValue.self, forKey: .default)
        maximum = try c.decodeIfPresent(Double.self, forKey: .maximum)
        exclusiveMaximum = try c.decodeIfPresent(Bool.self, forKey: .exclusiveMaximum) ?? false
        minimum = try c.decodeIfPresent(Double.self, forKey: .minimum)
        exclusiveMinimum = try c.decodeIfPresent(Bool.self, forKey: .exclusiveMinimum) ?? false
        maxLength = try c.decodeIfPresent(Int64.self, forKey: .maxLength)
        minLength = try c.decodeIfPresent(Int64.self, forKey: .minLength)
        pattern = try c.decodeNonEmpty(forKey: .pattern)
        maxItems = try c.decodeIfPresent(Int64.self, forKey: .maxItems)
        minItems = try c.decodeIfPresent(Int64.self, forKey: .minItems)
        uniqueItems = try c.decodeIfPresent(Bool.self, forKey: .uniqueItems) ?? false
        multipleOf = try c.decodeIfPresent(Double.self, forKey: .multipleOf)
        self.enum = try c.decodeIfPresent([JSONValue].self, forKey: .enum)
        maxProperties = try c.decodeIfPresent(Int64.self, forKey: .maxProperties)
        minProperties = try c.decodeIfPresent(Int64.self, forKey: .minProperties)
        required = try c.decodeIfPresent([String].self, forKey: .required)
        if c.contains(.items), try !c.decodeNil(forKey: .items) {
            if var list = try? c.nestedUnkeyedContainer(forKey: .items) {
                var schemas: [JSONSchemaProps] = []
                while !list.isAtEnd { schemas.append(try list.decode(JSONSchemaProps.self)) }
                itemsArray = schemas
            } else {
                items = try c.decode(JSONSchemaProps.self, forKey: .items)
            }
        }
        allOf = try c.decodeIfPresent([JSONSchemaProps].self, forKey: .allOf)
        oneOf = try c.decodeIfPresent([JSONSchemaProps].self, forKey: .oneOf)
        anyOf = try c.decodeIfPresent([JSONSchemaProps].self, forKey: .anyOf)
        not = try c.decodeIfPresent(JSONSchemaProps.self, forKey: .not)
        properties = try c.decodeIfPresent([String: JSONSchemaProps].self, forKey: .properties)
        additionalProperties = try c.decodeIfPresent(SchemaOrBool.self, forKey: .additionalProperties)
        patternProperties = try c.decodeIfPresent([String: JSONSchemaProps].self, forKey: .patternProperties)
        dependencies = try c.decodeIfPresent([String: JSONValue].self, forKey: .dependencies)
        additionalItems = try c.decodeIfPresent(SchemaOrBool.self, forKey: .additionalItems)
        definitions = try c.decodeIfPresent([String: JSONSchemaProps].self, forKey: .definitions)
        externalDocs = try c.decodeIfPresent(ExternalDocumentation.self, forKey: .externalDocs)
        example = try c.decodeIfPresent(JSONValue.self, forKey: .example)
        nullable = try c.decodeIfPresent(Bool.self, forKey: .nullable) ?? false
        xPreserveUnknownFields = try c.decodeIfPresent(Bool.self, forKey: .xPreserveUnknownFields)
        xEmbeddedResource = try c.decodeIfPresent(Bool.self, forKey: .xEmbeddedResource) ?? false
        xIntOrString = try c.decodeIfPresent(Bool.self, forKey: .xIntOrString) ?? false
        xListMapKeys = try c.decodeIfPresent([String].self, forKey: .xListMapKeys)
        xListType = try c.decodeIfPresent(String.self, forKey: .xListType)
        xMapType = try c.decodeIfPresent(String.self, forKey: .xMapType)
        xValidations = try c.decodeIfPresent([ValidationRule].self, forKey: .xValidations)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNonEmpty(id, forKey: .id)
        try c.encodeNonEmpty(schemaURI, forKey: .schemaURI)
        try c.encodeIfPresent(ref, forKey: .ref)
        try c.encodeNonEmpty(description, forKey: .description)
        try c.encodeNonEmpty(type, forKey: .type)
        try c.encodeNonEmpty(format, forKey: .format)
        try c.encodeNonEmpty(title, forKey: .title)
        try c.encodeIfPresent(self.default, forKey: .default)
        try c.encodeIfPresent(maximum, forKey: .maximum)
        try c.encodeTrue(exclusiveMaximum, forKey: .exclusiveMaximum)
        try c.encodeIfPresent(minimum, forKey: .minimum)
        try c.encodeTrue(exclusiveMinimum, forKey: .exclusiveMinimum)
        try c.encodeIfPresent(maxLength, forKey: .maxLength)
        try c.encodeIfPresent(minLength, forKey: .minLength)
        try c.encodeNonEmpty(pattern, forKey: .pattern)
        try c.encodeIfPresent(maxItems, forKey: .maxItems)
        try c.encodeIfPresent(minItems, forKey: .minItems)
        try c.encodeTrue(uniqueItems, forKey: .uniqueItems)
        try c.encodeIfPresent(multipleOf, forKey: .multipleOf)
        try c.encodeNonEmpty(self.enum, forKey: .enum)
        try c.encodeIfPresent(maxProperties, forKey: .maxProperties)
        try c.encodeIfPresent(minProperties, forKey: .minProperties)
        try c.encodeNonEmpty(required, forKey: .required)
        if let items {
            try c.encode(items, forKey: .items)
        } else if let itemsArray {
            try c.encode(itemsArray, forKey: .items)
        }
        try c.encodeNonEmpty(allOf, forKey: .allOf)
        try c.encodeNonEmpty(oneOf, forKey: .oneOf)
        try c.encodeNonEmpty(anyOf, forKey: .anyOf)
        try c.encodeIfPresent(not, forKey: .not)
        try c.encodeNonEmpty(properties, forKey: .properties)
        try c.encodeIfPresent(additionalProperties, forKey: .additionalProperties)
        try c.encodeNonEmpty(patternProperties, forKey: .patternProperties)
        try c.encodeNonEmpty(dependencies, forKey: .dependencies)
        try c.encodeIfPresent(additionalItems, forKey: .additionalItems)
        try c.encodeNonEmpty(definitions, forKey: .definitions)
        try c.encodeIfPresent(externalDocs, forKey: .externalDocs)
        try c.encodeIfPresent(example, forKey: .example)
        try c.encodeTrue(nullable, forKey: .nullable)
        try c.encodeIfPresent(xPreserveUnknownFields, forKey: .xPreserveUnknownFields)
        try c.encodeTrue(xEmbeddedResource, forKey: .xEmbeddedResource)
        try c.encodeTrue(xIntOrString, forKey: .xIntOrString)
        try c.encodeNonEmpty(xListMapKeys, forKey: .xListMapKeys)
        try c.encodeIfPresent(xListType, forKey: .xListType)
        try c.encodeIfPresent(xMapType, forKey: .xMapType)
        try c.encodeNonEmpty(xValidations, forKey: .xValidations)
    }
}

extension KeyedDecodingContainer {
    /// Go decodes `""` into a string field that `omitempty` then drops; treat it as absent.
    fileprivate func decodeNonEmpty(forKey key: Key) throws -> String? {
        guard let value = try decodeIfPresent(String.self, forKey: key), !value.isEmpty else { return nil }
        return value
    }
}

extension KeyedEncodingContainer {
    fileprivate mutating func encodeNonEmpty(_ value: String?, forKey key: Key) throws {
        if let value, !value.isEmpty { try encode(value, forKey: key) }
    }

    fileprivate mutating func encodeNonEmpty<T: Encodable>(_ value: [T]?, forKey key: Key) throws {
        if let value, !value.isEmpty { try encode(value, forKey: key) }
    }

    fileprivate mutating func encodeNonEmpty<T: Encodable>(_ value: [String: T]?, forKey key: Key) throws {
        if let value, !value.isEmpty { try encode(value, forKey: key) }
    }

    fileprivate mutating func encodeTrue(_ value: Bool, forKey key: Key) throws {
        if value { try encode(true, forKey: key) }
    }
}
