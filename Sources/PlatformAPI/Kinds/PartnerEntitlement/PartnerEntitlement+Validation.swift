import KubeAPI

extension PartnerEntitlement {
    /// The cross-field rules of the CRD's CEL rules, plus column rules CEL
    /// would need a nested loop for.
    public func validate() -> [FieldError] {
        var errors = FieldErrorCollector()
        let spec = self.spec
        errors.exactlyOne("spec", [("expiresAt", spec.expiresAt != nil), ("validFor", spec.validFor != nil)])
        errors.duration("spec.validFor", spec.validFor, min: 60)
        errors.duration("spec.token.lifetime", spec.token.lifetime, min: 60, max: 30 * 86_400)
        errors.duration("spec.token.renewBefore", spec.token.renewBefore)
        if let lifetime = GoDuration.seconds(spec.token.lifetime),
            let renewBefore = GoDuration.seconds(spec.token.renewBefore), renewBefore >= lifetime
        {
            errors.add(
                .invalid(
                    "spec.token.renewBefore", value: spec.token.renewBefore, "renewBefore must be shorter than lifetime"
                ))
        }
        errors.unique("spec.datasets", spec.datasets.map(\.table))
        for (index, dataset) in spec.datasets.enumerated() {
            let path = "spec.datasets[\(index)]"
            errors.unique("\(path).columns", dataset.columns ?? [])
            errors.unique("\(path).columnMasks", (dataset.columnMasks ?? []).map(\.column))
            guard let columns = dataset.columns else { continue }
            for (maskIndex, mask) in (dataset.columnMasks ?? []).enumerated() where !columns.contains(mask.column) {
                errors.add(
                    .invalid(
                        "\(path).columnMasks[\(maskIndex)].column", value: mask.column,
                        "not one of the dataset's columns"))
            }
        }
        return errors.errors
    }

    public func validateUpdate(from old: PartnerEntitlement) -> [FieldError] {
        var errors = validate()
        if spec.partner.id != old.spec.partner.id {
            errors.append(.invalid("spec.partner.id", value: spec.partner.id, "partner.id is immutable"))
        }
        return errors
    }
}
