import Foundation
import KubeAPI

extension ColumnMask {
    /// The cross-field rules of the CRD's CEL rules, plus those across lists
    /// (custom expressions per target engine, roles both masked and exempt).
    public func validate() -> [FieldError] {
        var errors = FieldErrorCollector()
        let spec = self.spec
        for (index, target) in spec.targets.enumerated() {
            let pattern = target.engine == .trino ? Patterns.trinoTable : Patterns.clickHouseTable
            if target.table.range(of: pattern, options: .regularExpression) == nil {
                let form = target.engine == .trino ? "catalog.schema.table" : "database.table"
                errors.add(
                    .invalid(
                        "spec.targets[\(index)].table", value: target.table,
                        "must be \(form) for \(target.engine.rawValue)"))
            }
            errors.unique("spec.targets[\(index)].columns", target.columns)
        }
        errors.unique("spec.targets", spec.targets.map { "\($0.engine.rawValue) \($0.table)" })
        let mask = spec.mask
        let type = mask.type
        if mask.partial != nil && type != .partial {
            errors.add(.forbidden("spec.mask.partial", "only allowed with type Partial"))
        }
        if mask.hash != nil && type != .hash { errors.add(.forbidden("spec.mask.hash", "only allowed with type Hash")) }
        switch (type == .custom, mask.custom) {
        case (true, nil): errors.add(.required("spec.mask.custom", "required with type Custom"))
        case (false, .some): errors.add(.forbidden("spec.mask.custom", "only allowed with type Custom"))
        case (true, .some(let custom)):
            for engine in Set(spec.targets.map(\.engine)).sorted(by: { $0.rawValue < $1.rawValue }) {
                let expression = engine == .trino ? custom.trino : custom.clickHouse
                if expression == nil {
                    let field = engine == .trino ? "trino" : "clickHouse"
                    errors.add(.required("spec.mask.custom.\(field)", "a target uses \(engine.rawValue)"))
                }
            }
        case (false, nil): break
        }
        switch (type == .tokenize, mask.tokenization) {
        case (true, nil): errors.add(.required("spec.mask.tokenization", "required with type Tokenize"))
        case (false, .some): errors.add(.forbidden("spec.mask.tokenization", "only allowed with type Tokenize"))
        case (true, .some(let tokenization)):
            if let vault = tokenization.vault {
                errors.atMostOne(
                    "spec.mask.tokenization.vault",
                    [
                        ("kubernetesAuthRole", vault.kubernetesAuthRole != nil),
                        ("tokenSecretRef", vault.tokenSecretRef != nil),
                    ])
            }
        case (false, nil): break
        }
        errors.unique("spec.roles", spec.roles)
        errors.unique("spec.exemptRoles", spec.exemptRoles ?? [])
        for (index, role) in (spec.exemptRoles ?? []).enumerated() where spec.roles.contains(role) {
            errors.add(.invalid("spec.exemptRoles[\(index)]", value: role, "a role cannot be both masked and exempt"))
        }
        errors.unique("spec.rowPolicies", (spec.rowPolicies ?? []).map(\.name))
        if let clickHouse = spec.clickHouse { errors.endpoint("spec.clickHouse", clickHouse) }
        return errors.errors
    }
}
