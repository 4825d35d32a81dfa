import Foundation
import KubeAPI
import PlatformAPI
import Testing

private let conditionsSpec = Repo.sharedSpec("kubernetes/metav1-conditions.openapi-schema.json")

@Suite("Generated CRDs")
struct CRDTests {
    @Test("every CRD schema passes kube-apiserver's structural-schema checks", arguments: kindNames)
    func structural(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let errors = SchemaValidator.structuralErrors(of: try schemaProps(type))
        #expect(errors.isEmpty, "\(kind): \(FieldError.aggregateMessage(errors))")
    }

    @Test("every schema node has a type, and every field a description for kubectl explain", arguments: kindNames)
    func typedAndDescribed(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let schema = try #require(
            type.customResourceDefinition.value(at: ["spec", "versions"])?.arrayValue?.first?
                .value(at: ["schema", "openAPIV3Schema"]))
        var problems: [String] = []
        walk(schema, path: "", isField: true, problems: &problems)
        #expect(problems.isEmpty, "\(kind): \(problems)")
    }

    @Test("list-map keys are required scalar fields of the items", arguments: kindNames)
    func listMapKeys(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        var problems: [String] = []
        checkListMaps(type.openAPISchema, path: "", problems: &problems)
        #expect(problems.isEmpty, "\(kind): \(problems)")
    }

    @Test(
        "conditions use exactly metav1.Condition's schema from the shared spec",
        .enabled(
            if: FileManager.default.fileExists(atPath: conditionsSpec.path),
            "needs ../shared/specs beside the repository"))
    func conditionsSchema() throws {
        let expected = try #require(try JSONValue(parsing: Data(contentsOf: conditionsSpec))["conditions"])
        #expect(withoutDescriptions(CommonSchema.conditions.jsonValue) == expected)
        for type in PlatformKinds.all {
            #expect(type.statusSchema.property("conditions") == CommonSchema.conditions, "\(type.kind)")
        }
    }

    @Test("every spec has suspend, mode and deletionPolicy with their defaults", arguments: kindNames)
    func commonSpecFields(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let spec = type.specSchema
        #expect(spec.property("suspend")?.defaultValue == false)
        #expect(spec.property("mode")?.defaultValue == "Apply")
        #expect(spec.property("mode")?.enumValues == ["Apply", "Plan"])
        #expect(spec.property("deletionPolicy")?.defaultValue == .string(type.defaultDeletionPolicy.rawValue))
        #expect(spec.property("deletionPolicy")?.enumValues == ["Delete", "Retain"])
    }

    @Test(
        "every status starts with observedGeneration, conditions, plan, lastAppliedPlan, lastReconcileTime",
        arguments: kindNames)
    func commonStatusFields(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let names = type.statusSchema.properties.map(\.name)
        #expect(
            Array(names.prefix(5)) == [
                "observedGeneration", "conditions", "plan", "lastAppliedPlan", "lastReconcileTime",
            ])
    }

    @Test(
        "the CRD is namespaced in data.hmco.io, serves and stores v1alpha1, has the status subresource and category hmco",
        arguments: kindNames)
    func definition(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let crd = type.customResourceDefinition
        #expect(crd["apiVersion"] == "apiextensions.k8s.io/v1")
        #expect(crd["kind"] == "CustomResourceDefinition")
        #expect(crd.value(at: ["metadata", "name"]) == .string("\(type.plural).data.hmco.io"))
        #expect(crd.value(at: ["spec", "group"]) == "data.hmco.io")
        #expect(crd.value(at: ["spec", "scope"]) == "Namespaced")
        #expect(crd.value(at: ["spec", "names", "categories"]) == ["hmco"])
        #expect(crd.value(at: ["spec", "names", "kind"]) == .string(type.kind))
        #expect(crd.value(at: ["spec", "names", "listKind"]) == .string(type.kind + "List"))
        #expect(crd.value(at: ["spec", "names", "shortNames"]) == .array(type.shortNames.map(JSONValue.string)))
        let versions = try #require(crd.value(at: ["spec", "versions"])?.arrayValue)
        #expect(versions.count == 1)
        let version = try #require(versions.first)
        #expect(version["name"] == "v1alpha1")
        #expect(version["served"] == true)
        #expect(version["storage"] == true)
        #expect(version.value(at: ["subresources", "status"]) == .object([:]))
    }

    @Test(
        "printer columns are Ready, Reason, the kind's own and Age, and the kind's own points at a schema field",
        arguments: kindNames)
    func printerColumns(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let columns = type.printerColumns
        #expect(columns.map(\.name) == ["Ready", "Reason", type.printerColumn.name, "Age"])
        #expect(columns[0].jsonPath == ".status.conditions[?(@.type==\"Ready\")].status")
        #expect(columns[1].jsonPath == ".status.conditions[?(@.type==\"Ready\")].reason")
        #expect(columns[3].jsonPath == ".metadata.creationTimestamp")
        #expect(columns[3].type == "date")
        let path = type.printerColumn.jsonPath.split(separator: ".").map(String.init)
        let node = try #require(
            type.openAPISchema.node(at: path), "\(type.printerColumn.jsonPath) is not in the schema")
        let expectedType = node.format == "date-time" ? "date" : node.typeName
        #expect(type.printerColumn.type == expectedType)
    }

    @Test("the typed CRD and the REST resource say the same as the generated JSON", arguments: kindNames)
    func typedDefinition(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        let crd = try type.typedCustomResourceDefinition()
        #expect(try JSONCoding.toJSON(crd) == type.customResourceDefinition)
        #expect(type.resource.groupResource == type.crdName)
        #expect(type.resource.apiVersion == PlatformAPIGroup.apiVersion)
        #expect(
            type.resource.collectionPath(namespace: "team-a")
                == "/apis/data.hmco.io/v1alpha1/namespaces/team-a/\(type.plural)")
    }

    @Test("short names are unique across the kinds")
    func uniqueShortNames() {
        let names = PlatformKinds.all.flatMap { $0.shortNames }
        #expect(Set(names).count == names.count)
    }

    @Test("condition type lists start with Ready, Reconciling, Stalled and are CamelCase", arguments: kindNames)
    func conditionTypes(kind: String) throws {
        let type = try #require(PlatformKinds.kind(named: kind))
        #expect(Array(type.conditionTypes.prefix(3)) == ["Ready", "Reconciling", "Stalled"])
        for condition in type.conditionTypes {
            #expect(condition.range(of: "^[A-Z][A-Za-z]*$", options: .regularExpression) != nil, "\(condition)")
        }
    }

    // MARK: Helpers

    private func schemaProps<R: PlatformResource>(_ type: R.Type) throws -> JSONSchemaProps { try R.schemaProps() }

    /// Checks a node in the JSON form: it has a type, and (when it is a field) a description.
    private func walk(_ node: JSONValue, path: String, isField: Bool, problems: inout [String]) {
        guard case .object(let object) = node else {
            problems.append("\(path): not a schema object")
            return
        }
        if object["type"]?.stringValue == nil { problems.append("\(path): no type") }
        let isRootMetadata = path == ".metadata"
        if isField && !isRootMetadata && (object["description"]?.stringValue ?? "").isEmpty {
            problems.append("\(path): no description")
        }
        for key in object.keys where !Self.allowedKeywords.contains(key) {
            problems.append("\(path): unexpected keyword \(key)")
        }
        if let properties = object["properties"]?.objectValue {
            for (name, child) in properties { walk(child, path: "\(path).\(name)", isField: true, problems: &problems) }
        }
        if let items = object["items"] { walk(items, path: "\(path)[]", isField: false, problems: &problems) }
        if let values = object["additionalProperties"] {
            walk(values, path: "\(path).*", isField: false, problems: &problems)
        }
    }

    private static let allowedKeywords: Set<String> = [
        "type", "description", "properties", "required", "items", "additionalProperties", "enum", "pattern", "format",
        "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "maxProperties", "default",
        "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-validations",
    ]

    private func checkListMaps(_ schema: APISchema, path: String, problems: inout [String]) {
        switch schema.shape {
        case .object(let properties):
            for property in properties {
                checkListMaps(property.schema, path: "\(path).\(property.name)", problems: &problems)
            }
        case .map(let values):
            checkListMaps(values, path: "\(path).*", problems: &problems)
        case .array(let items):
            if schema.listType == "map" {
                for key in schema.listMapKeys ?? [] {
                    guard let keySchema = items.property(key) else {
                        problems.append("\(path): map key \(key) is not a property of the items")
                        continue
                    }
                    if !keySchema.isRequired && keySchema.defaultValue == nil {
                        problems.append("\(path): map key \(key) is neither required nor defaulted")
                    }
                    if case .object = keySchema.shape { problems.append("\(path): map key \(key) is not a scalar") }
                }
            }
            if schema.listType == "set", case .object = items.shape { problems.append("\(path): a set of objects") }
            checkListMaps(items, path: "\(path)[]", problems: &problems)
        default:
            break
        }
    }

    private func withoutDescriptions(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var result: JSONObject = [:]
            for (key, member) in object where key != "description" {
                result[key] =
                    key == "properties"
                    ? .object((member.objectValue ?? [:]).mapValues(withoutDescriptions)) : withoutDescriptions(member)
            }
            return .object(result)
        case .array(let array):
            return .array(array.map(withoutDescriptions))
        default:
            return value
        }
    }
}
