import KubeAPI

/// Every file generated from the Swift types, by path relative to the
/// repository root: `crds/<plural>.data.hmco.io.yaml` and
/// `docs/reference/<kind>.md` for each kind, the Helm chart's copy of the CRDs,
/// plus `docs/reference/README.md`.
///
/// The committed copies are checked against this by a test; set
/// `HMCO_UPDATE_GENERATED=1` (or run `hack/generate.sh`) to rewrite them.
public func generatedFiles() -> [String: String] {
    var files: [String: String] = [:]
    for type in PlatformKinds.all {
        let crd =
            "# Generated from Sources/PlatformAPI by hack/generate.sh; do not edit.\n"
            + YAMLRenderer.render(type.customResourceDefinition)
        files["crds/\(type.crdName).yaml"] = crd
        // Helm installs (never upgrades or deletes) what its chart's crds/ holds.
        files["helm/hmco-operator/crds/\(type.crdName).yaml"] = crd
        files["docs/reference/\(type.singular).md"] = ReferenceDocs.page(for: type)
    }
    files["docs/reference/README.md"] = ReferenceDocs.index()
    return files
}
