import KubeAPI

extension PlatformResource {
    /// The kubectl printer columns: Ready, Reason, the kind's own, Age.
    public static var printerColumns: [PrinterColumn] {
        [
            PrinterColumn(
                name: "Ready", type: "string", jsonPath: ".status.conditions[?(@.type==\"Ready\")].status",
                description: "Whether the backend matches the current generation."),
            PrinterColumn(
                name: "Reason", type: "string", jsonPath: ".status.conditions[?(@.type==\"Ready\")].reason",
                description: "Why the object is or is not ready."),
            printerColumn,
            PrinterColumn(
                name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp",
                description: "When the object was created."),
        ]
    }

    /// The kind's `apiextensions.k8s.io/v1` CustomResourceDefinition:
    /// namespaced, one version (`v1alpha1`, served and stored), the status
    /// subresource, short names, category `hmco` and the printer columns.
    public static var customResourceDefinition: JSONValue {
        let columns: [JSONValue] = printerColumns.map { column in
            var object: JSONObject = [
                "name": .string(column.name), "type": .string(column.type), "jsonPath": .string(column.jsonPath),
            ]
            if let description = column.description { object["description"] = .string(description) }
            if let priority = column.priority, priority != 0 { object["priority"] = .int(Int64(priority)) }
            if let format = column.format { object["format"] = .string(format) }
            return .object(object)
        }
        return [
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": [
                "name": .string(crdName),
                "labels": ["app.kubernetes.io/part-of": "hmco-operator"],
            ],
            "spec": [
                "group": .string(PlatformAPIGroup.group),
                "names": [
                    "kind": .string(kind),
                    "listKind": .string(kind + "List"),
                    "plural": .string(plural),
                    "singular": .string(singular),
                    "shortNames": .array(shortNames.map(JSONValue.string)),
                    "categories": [.string(PlatformAPIGroup.category)],
                ],
                "scope": "Namespaced",
                "versions": [
                    [
                        "name": .string(PlatformAPIGroup.version),
                        "served": true,
                        "storage": true,
                        "subresources": ["status": [:]],
                        "additionalPrinterColumns": .array(columns),
                        "schema": ["openAPIV3Schema": openAPISchema.jsonValue],
                    ]
                ],
            ],
        ]
    }
}

extension PlatformResource {
    /// ``customResourceDefinition`` in KubeAPI's typed form, e.g. to create it
    /// through a client or install it into the local control plane.
    public static func typedCustomResourceDefinition() throws -> CustomResourceDefinition {
        try JSONCoding.fromJSON(CustomResourceDefinition.self, customResourceDefinition)
    }
}

/// The seven kinds of `data.hmco.io/v1alpha1`.
public enum PlatformKinds {
    /// Every kind, in the order the docs list them.
    public static let all: [any PlatformResource.Type] = [
        DataBranch.self, SchemaContract.self, CDCConnector.self, PartnerEntitlement.self, ColumnMask.self,
        WorkloadScaler.self, CostBudget.self,
    ]

    /// The kind with the given name, e.g. `DataBranch`.
    public static func kind(named name: String) -> (any PlatformResource.Type)? {
        all.first { $0.kind == name }
    }

    /// All seven CRDs.
    public static var customResourceDefinitions: [JSONValue] { all.map { $0.customResourceDefinition } }

    /// All seven CRDs as one multi-document YAML stream (what `hmco-operator crds` prints).
    public static var customResourceDefinitionsYAML: String {
        YAMLRenderer.renderDocuments(customResourceDefinitions)
    }
}
