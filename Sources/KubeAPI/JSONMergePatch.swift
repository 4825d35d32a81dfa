/// JSON Merge Patch (RFC 7386), the `application/merge-patch+json` patch type.
///
/// A merge patch is a partial document: object members replace members of the
/// target recursively, `null` removes a member, and anything that is not an
/// object (arrays included) replaces the target whole.
///
/// Caveats: a merge patch cannot set a member to `null`, so a document whose
/// objects hold `null` members cannot be reached exactly by ``create(from:to:)``
/// (the member is removed instead). Arrays are never merged element-wise.
public enum JSONMergePatch {
    /// Applies `patch` to `target` (RFC 7386 section 2, `MergePatch`).
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    /// The smallest merge patch that turns `original` into `modified`: changed and
    /// added members, `null` for removed ones, recursion into objects present on
    /// both sides, and whole replacement for everything else.
    ///
    /// Equal documents give the empty patch `{}` when both are objects, and
    /// `modified` itself otherwise (a non-object patch always replaces).
    public static func create(from original: JSONValue, to modified: JSONValue) -> JSONValue {
        guard case .object(let old) = original, case .object(let new) = modified else { return modified }
        var patch: JSONObject = [:]
        for key in old.keys where new[key] == nil {
            patch[key] = .null
        }
        for (key, newValue) in new {
            guard let oldValue = old[key] else {
                patch[key] = newValue
                continue
            }
            if oldValue == newValue { continue }
            if case .object = oldValue, case .object = newValue {
                patch[key] = create(from: oldValue, to: newValue)
            } else {
                patch[key] = newValue
            }
        }
        return .object(patch)
    }
}
