import KubeAPI

extension APISchema {
    /// The node as an OpenAPI v3 schema, in the form a CRD's
    /// `openAPIV3Schema` carries it.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["type": .string(typeName)]
        if !description.isEmpty { object["description"] = .string(description) }
        switch shape {
        case .integer(let format):
            object["format"] = .string(format)
        case .object(let properties):
            object["properties"] = .object(
                Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.schema.jsonValue) }))
            let required = requiredProperties
            if !required.isEmpty { object["required"] = .array(required.map(JSONValue.string)) }
        case .map(let values):
            object["additionalProperties"] = values.jsonValue
        case .array(let items):
            object["items"] = items.jsonValue
        case .string, .number, .boolean, .opaqueObject:
            break
        }
        if let format { object["format"] = .string(format) }
        if let enumValues { object["enum"] = .array(enumValues.map(JSONValue.string)) }
        if let pattern { object["pattern"] = .string(pattern) }
        if let minimum { object["minimum"] = .int(minimum) }
        if let maximum { object["maximum"] = .int(maximum) }
        if let minLength { object["minLength"] = .int(Int64(minLength)) }
        if let maxLength { object["maxLength"] = .int(Int64(maxLength)) }
        if let minItems { object["minItems"] = .int(Int64(minItems)) }
        if let maxItems { object["maxItems"] = .int(Int64(maxItems)) }
        if let maxProperties { object["maxProperties"] = .int(Int64(maxProperties)) }
        if let defaultValue { object["default"] = defaultValue }
        if let listType { object["x-kubernetes-list-type"] = .string(listType) }
        if let listMapKeys { object["x-kubernetes-list-map-keys"] = .array(listMapKeys.map(JSONValue.string)) }
        if !validations.isEmpty {
            object["x-kubernetes-validations"] = .array(
                validations.map { ["rule": .string($0.rule), "message": .string($0.message)] })
        }
        return .object(object)
    }
}

extension APISchema {
    /// Fills in the declared defaults of absent fields, the way the API server
    /// does for custom resources: a default is applied where a field is missing
    /// (or null), then the walk continues into the result, so the members of a
    /// defaulted object are defaulted too. Members the schema does not declare
    /// are left as they are.
    public func applyingDefaults(to value: JSONValue) -> JSONValue {
        switch (shape, value) {
        case (.object(let properties), .object(var object)):
            for property in properties {
                let member = object[property.name]
                if member == nil || member == .null {
                    guard let defaultValue = property.schema.defaultValue else { continue }
                    object[property.name] = property.schema.applyingDefaults(to: defaultValue)
                } else if let member {
                    object[property.name] = property.schema.applyingDefaults(to: member)
                }
            }
            return .object(object)
        case (.map(let values), .object(let object)):
            return .object(object.mapValues { values.applyingDefaults(to: $0) })
        case (.array(let items), .array(let elements)):
            return .array(elements.map { items.applyingDefaults(to: $0) })
        default:
            return value
        }
    }
}
