import KubeAPI

extension DataBranch {
    /// The cross-field rules of the CRD's CEL rules, plus the bounds a
    /// pattern cannot state (the poll interval's range).
    public func validate() -> [FieldError] {
        var errors = FieldErrorCollector()
        let spec = self.spec
        if spec.repository.create && spec.repository.storageNamespace == nil {
            errors.add(.required("spec.repository.storageNamespace", "required when create is true"))
        }
        if let sourceRef = spec.sourceRef, sourceRef == spec.branch {
            errors.add(.invalid("spec.sourceRef", value: sourceRef, "must differ from branch"))
        }
        if let merge = spec.merge {
            if merge.into == spec.branch {
                errors.add(.invalid("spec.merge.into", value: merge.into, "must differ from branch"))
            }
            errors.duration("spec.merge.pollInterval", merge.pollInterval, min: 10, max: 3600)
        }
        if let rollback = spec.rollbackRequest {
            errors.exactlyOne(
                "spec.rollbackRequest", [("revert", rollback.revert != nil), ("reset", rollback.reset != nil)])
        }
        if let lakeFS = spec.lakeFS {
            errors.endpoint("spec.lakeFS", lakeFS)
        }
        return errors.errors
    }

    public func validateUpdate(from old: DataBranch) -> [FieldError] {
        var errors = validate()
        if spec.repository.name != old.spec.repository.name {
            errors.append(.invalid("spec.repository.name", value: spec.repository.name, "repository.name is immutable"))
        }
        if spec.branch != old.spec.branch {
            errors.append(.invalid("spec.branch", value: spec.branch, "branch is immutable"))
        }
        return errors
    }
}
