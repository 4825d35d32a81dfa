import Foundation

extension RepositoryRecord {
    // MARK: Hooks and action runs

    /// Records the action run of a scripted pre-merge hook; newest runs come first.
    mutating func recordPreMergeRun(
        _ script: PreMergeHookScript, destination: String, sourceRef: String, authorship: Authorship
    ) -> ActionRunRecord {
        let hookID: String
        let output: String
        let passed: Bool
        switch script.verdict {
        case .pass:
            (hookID, output, passed) = (PreMergeHookVerdict.passingHookID, "", true)
        case .fail(let failingHook, let failingOutput):
            (hookID, output, passed) = (failingHook, failingOutput, false)
        }
        let runID = nextRunID(now: authorship.now)
        let hook = HookRunRecord(
            hookRunID: "0000_0000", action: script.actionName, hookID: hookID, passed: passed, start: authorship.now,
            end: authorship.now, output: output)
        let run = ActionRunRecord(
            runID: runID, branch: destination, commitID: "", eventType: "pre-merge", sourceRef: sourceRef,
            passed: passed, start: authorship.now, end: authorship.now, hooks: [hook])
        runs.insert(run, at: 0)
        return run
    }

    /// A run id shaped like lakeFS's (20 base32hex characters) that sorts newest first.
    private mutating func nextRunID(now: Date) -> String {
        let micros = UInt64(max(0, now.timeIntervalSince1970 * 1_000_000))
        let sequence = UInt64(runs.count)
        var bytes: [UInt8] = []
        for value in [UInt64.max - micros, UInt64(UInt32.max) - sequence] {
            bytes.append(contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - UInt64($0) * 8)) })
        }
        return Self.base32hex(Array(bytes[0..<8] + bytes[12..<16]))
    }

    private static func base32hex(_ bytes: [UInt8]) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuv")
        var output = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return output
    }

    /// lakeFS's 412 message for an aborted merge, in its multi-error wording.
    static func hookAbortMessage(runID: String, action: String, hookID: String, output: String) -> String {
        let reason =
            output.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map(String.init) ?? "hook failed"
        return "pre-merge hook aborted, run id '\(runID)': 1 error occurred:\n"
            + "\t* hook run id '0000_0000' failed on action '\(action)' hook '\(hookID)': \(reason)\n\n"
    }

    // MARK: Branch protection

    func isProtected(_ branchName: String) -> Bool {
        protectionRules.contains { Self.glob($0, matches: branchName) }
    }

    /// The ETag of the current rules: a digest of their content, so equal rule sets
    /// have equal tags.
    var protectionETag: String {
        "\"" + SHA256Digest.hex(protectionRules.joined(separator: "\n")) + "\""
    }

    /// Replaces the rules when `ifMatch` is absent or names the current ETag.
    mutating func setProtectionRules(_ patterns: [String], ifMatch: String?) throws {
        if let ifMatch, Self.normalizedETag(ifMatch) != Self.normalizedETag(protectionETag) {
            throw LakeFSSimulatorError.preconditionFailed("Precondition failed")
        }
        guard patterns.allSatisfy({ !$0.isEmpty }) else {
            throw LakeFSSimulatorError.badRequest("pattern: required value: validation error")
        }
        protectionRules = patterns
    }

    private static func normalizedETag(_ tag: String) -> String {
        var text = tag.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        return text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// fnmatch-style matching with `*` (any run) and `?` (one character).
    static func glob(_ pattern: String, matches name: String) -> Bool {
        let p = Array(pattern)
        let n = Array(name)
        var (pi, ni) = (0, 0)
        var star: (pattern: Int, name: Int)?
        while ni < n.count {
            if pi < p.count, p[pi] == "*" {
                star = (pi, ni)
                pi += 1
            } else if pi < p.count, p[pi] == "?" || p[pi] == n[ni] {
                pi += 1
                ni += 1
            } else if let backtrack = star {
                pi = backtrack.pattern + 1
                ni = backtrack.name + 1
                star = (backtrack.pattern, backtrack.name + 1)
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
