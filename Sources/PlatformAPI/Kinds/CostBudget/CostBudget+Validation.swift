import KubeAPI

extension CostBudget {
    /// The cross-field rules of the CRD's CEL rules, plus the decimal values' range.
    public func validate() -> [FieldError] {
        var errors = FieldErrorCollector()
        let spec = self.spec
        let scope = spec.scope
        if scope.team == nil && scope.users == nil && scope.datasets == nil {
            errors.add(.required("spec.scope", "scope needs a team, users or datasets"))
        }
        if let limit = DecimalString.value(spec.limit), limit <= 0 {
            errors.add(.invalid("spec.limit", value: spec.limit, "must be greater than 0"))
        }
        let rates = spec.rates
        if [rates.perTBScanned, rates.perCPUHour, rates.perGBMonthStored, rates.perSparkExecutorHour].allSatisfy({
            $0 == nil
        }) {
            errors.add(.required("spec.rates", "at least one rate is required"))
        }
        let sources = spec.sources
        if sources.prometheus == nil && sources.clickHouseQueryLog == nil && sources.trino == nil {
            errors.add(.required("spec.sources", "at least one source is required"))
        }
        if let endpoint = sources.prometheus?.endpoint { errors.endpoint("spec.sources.prometheus.endpoint", endpoint) }
        if let endpoint = sources.clickHouseQueryLog?.endpoint {
            errors.endpoint("spec.sources.clickHouseQueryLog.endpoint", endpoint)
        }
        if let endpoint = sources.trino?.endpoint { errors.endpoint("spec.sources.trino.endpoint", endpoint) }
        let thresholds = spec.thresholds ?? []
        errors.unique("spec.thresholds", thresholds.map { "\($0.percent)% \($0.basis.rawValue)" })
        for (index, threshold) in thresholds.enumerated() {
            let path = "spec.thresholds[\(index)]"
            switch (threshold.action, threshold.enforce) {
            case (.enforce, nil):
                errors.add(.required("\(path).enforce", "required with action Enforce"))
            case (.notify, .some):
                errors.add(.forbidden("\(path).enforce", "only allowed with action Enforce"))
            case (.enforce, .some(let enforce)):
                if enforce.trinoResourceGroup == nil && enforce.suspendPartnerEntitlements == nil {
                    errors.add(
                        .required("\(path).enforce", "enforce needs trinoResourceGroup or suspendPartnerEntitlements"))
                }
                errors.unique("\(path).enforce.suspendPartnerEntitlements", enforce.suspendPartnerEntitlements ?? [])
            case (.notify, nil):
                break
            }
        }
        return errors.errors
    }
}
