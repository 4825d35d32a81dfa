import KubeAPI

extension WorkloadScaler {
    /// The cross-field rules of the CRD's CEL rules, plus the ones about the
    /// resource-group tree (selectors naming leaf groups, nesting depth).
    public func validate() -> [FieldError] {
        var errors = FieldErrorCollector()
        let spec = self.spec
        if spec.minReplicas > spec.maxReplicas {
            errors.add(.invalid("spec.minReplicas", number: spec.minReplicas, "must not exceed maxReplicas"))
        }
        let triggers = spec.triggers
        if triggers.queuedQueries == nil && triggers.cpu == nil && triggers.schedules == nil {
            errors.add(.required("spec.triggers", "at least one trigger is required"))
        }
        if spec.minReplicas == 0 && triggers.queuedQueries == nil && triggers.schedules == nil {
            errors.add(
                .invalid("spec.minReplicas", number: 0, "minReplicas 0 needs a queuedQueries or schedules trigger"))
        }
        for (index, schedule) in (triggers.schedules ?? []).enumerated() where schedule.replicas > spec.maxReplicas {
            errors.add(
                .invalid(
                    "spec.triggers.schedules[\(index)].replicas", number: schedule.replicas,
                    "must not exceed maxReplicas"))
        }
        errors.unique("spec.triggers.schedules", (triggers.schedules ?? []).map(\.name))
        if let fallback = spec.fallback, fallback.replicas > spec.maxReplicas {
            errors.add(.invalid("spec.fallback.replicas", number: fallback.replicas, "must not exceed maxReplicas"))
        }
        if let queued = triggers.queuedQueries {
            if DecimalString.value(queued.threshold).map({ $0 <= 0 }) ?? false {
                errors.add(
                    .invalid("spec.triggers.queuedQueries.threshold", value: queued.threshold, "must be greater than 0")
                )
            }
            if let prometheus = queued.prometheus {
                errors.endpoint("spec.triggers.queuedQueries.prometheus", prometheus)
            }
        }
        errors.duration("spec.pollingInterval", spec.pollingInterval, min: 1)
        errors.duration("spec.cooldown", spec.cooldown)
        if let groups = spec.resourceGroups {
            var leaves: Set<String> = []
            var interior: Set<String> = []
            check(
                &errors, groups.rootGroups, path: "spec.resourceGroups.rootGroups", prefix: "", depth: 1,
                leaves: &leaves, interior: &interior)
            for (index, selector) in groups.selectors.enumerated() {
                let path = "spec.resourceGroups.selectors[\(index)].group"
                if interior.contains(selector.group) {
                    errors.add(
                        .invalid(
                            path, value: selector.group,
                            "names a group with sub-groups; selectors must name a leaf group"))
                } else if !leaves.contains(selector.group) {
                    errors.add(.invalid(path, value: selector.group, "no such group"))
                }
            }
            if groups.rootGroups.contains(where: \.setsCPULimit) && groups.cpuQuotaPeriod == nil {
                errors.add(.required("spec.resourceGroups.cpuQuotaPeriod", "required when a group sets a CPU limit"))
            }
        }
        return errors.errors
    }

    private func check(
        _ errors: inout FieldErrorCollector, _ groups: [ResourceGroup], path: String, prefix: String, depth: Int,
        leaves: inout Set<String>, interior: inout Set<String>
    ) {
        errors.unique(path, groups.map(\.name))
        for (index, group) in groups.enumerated() {
            let groupPath = "\(path)[\(index)]"
            let fullName = prefix.isEmpty ? group.name : "\(prefix).\(group.name)"
            if let soft = group.softConcurrencyLimit, soft > group.hardConcurrencyLimit {
                errors.add(
                    .invalid("\(groupPath).softConcurrencyLimit", number: soft, "must not exceed hardConcurrencyLimit"))
            }
            if group.softMemoryLimit.hasSuffix("%"),
                let percent = DecimalString.value(String(group.softMemoryLimit.dropLast())), percent > 100
            {
                errors.add(
                    .invalid("\(groupPath).softMemoryLimit", value: group.softMemoryLimit, "must not exceed 100%"))
            }
            errors.duration("\(groupPath).softCpuLimit", group.softCpuLimit)
            errors.duration("\(groupPath).hardCpuLimit", group.hardCpuLimit)
            if group.softCpuLimit != nil && group.hardCpuLimit == nil {
                errors.add(.required("\(groupPath).hardCpuLimit", "required when softCpuLimit is set"))
            }
            guard let subGroups = group.subGroups, !subGroups.isEmpty else {
                leaves.insert(fullName)
                continue
            }
            interior.insert(fullName)
            if depth >= WorkloadScaler.maxResourceGroupDepth {
                errors.add(
                    .forbidden(
                        "\(groupPath).subGroups", "groups nest at most \(WorkloadScaler.maxResourceGroupDepth) levels"))
                continue
            }
            check(
                &errors, subGroups, path: "\(groupPath).subGroups", prefix: fullName, depth: depth + 1, leaves: &leaves,
                interior: &interior)
        }
    }
}

extension ResourceGroup {
    /// Whether this group or one below it sets a CPU limit.
    var setsCPULimit: Bool {
        softCpuLimit != nil || hardCpuLimit != nil || (subGroups ?? []).contains(where: \.setsCPULimit)
    }
}
