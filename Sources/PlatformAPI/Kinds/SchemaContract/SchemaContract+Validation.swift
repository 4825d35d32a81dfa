import KubeAPI

extension SchemaContract {
    /// The cross-field rules of the CRD's CEL rules.
    public func validate() -> [FieldError] {
        var errors = FieldErrorCollector()
        errors.exactlyOne("spec", [("subject", spec.subject != nil), ("topic", spec.topic != nil)])
        errors.exactlyOne("spec", [("schema", spec.schema != nil), ("schemaFrom", spec.schemaFrom != nil)])
        if let references = spec.references {
            errors.unique("spec.references", references.map(\.name))
            for (index, reference) in references.enumerated() where reference.subject == spec.subjectName {
                errors.add(
                    .invalid(
                        "spec.references[\(index)].subject", value: reference.subject,
                        "a schema cannot reference its own subject"))
            }
        }
        if let registry = spec.registry { errors.endpoint("spec.registry", registry) }
        return errors.errors
    }

    public func validateUpdate(from old: SchemaContract) -> [FieldError] {
        var errors = validate()
        if let oldSubject = old.spec.subjectName, let newSubject = spec.subjectName, newSubject != oldSubject {
            let field = spec.subject != nil ? "spec.subject" : "spec.topic"
            errors.append(.invalid(field, value: newSubject, "the subject is immutable (was \"\(oldSubject)\")"))
        }
        return errors
    }
}
