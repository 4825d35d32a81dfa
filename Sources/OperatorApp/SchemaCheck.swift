import Foundation
import KubeAPI
import PlatformAPI
import SchemaCompatibility

/// `hmco-operator schema check`: the CI gate that stops a breaking schema
/// change before it reaches the cluster. Compares each proposed schema with its
/// subject's earlier versions under the subject's compatibility level.
public enum SchemaCheck {
    /// One proposed schema.
    public struct Proposal: Sendable {
        public var subject: String
        public var type: SchemaCompatibility.SchemaType
        public var text: String
        public var level: SchemaCompatibility.CompatibilityLevel
        /// The file it came from, for messages.
        public var file: String
    }

    /// Where the earlier versions of a subject come from.
    public protocol Baseline: Sendable {
        /// The subject's versions, oldest first, or an empty list for a new subject.
        func versions(of subject: String) async throws -> [(version: String, text: String, type: SchemaCompatibility.SchemaType)]
        /// The subject's compatibility level, when the baseline knows it (a registry does).
        func level(of subject: String) async throws -> SchemaCompatibility.CompatibilityLevel?
    }

    /// Input the checker cannot use: exit code 2.
    public struct UsageError: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The outcome for one proposal.
    public struct Result: Sendable {
        public var proposal: Proposal
        public var level: SchemaCompatibility.CompatibilityLevel
        public var comparedVersions: [String]
        public var incompatibilities: [Incompatibility]
    }

    // MARK: Reading proposals

    /// Reads SchemaContract manifests (`.yaml`/`.yml`) and plain schema files
    /// (`.avsc` Avro, `.proto` Protobuf, `.json` JSON Schema — the subject is the
    /// file name without its extension).
    public static func proposals(files: [String], defaultLevel: SchemaCompatibility.CompatibilityLevel?) throws -> [Proposal] {
        var result: [Proposal] = []
        for file in files {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw UsageError("\(file): cannot read: \(error.localizedDescription)")
            }
            let name = (file as NSString).lastPathComponent
            let ext = (name as NSString).pathExtension.lowercased()
            switch ext {
            case "yaml", "yml":
                let documents: [JSONValue]
                do { documents = try Manifests.parse(yaml: text) } catch { throw UsageError("\(file): not valid YAML: \(error)") }
                for document in documents where document["kind"]?.stringValue == SchemaContract.kind {
                    result.append(try proposal(from: document, file: file, defaultLevel: defaultLevel))
                }
            case "avsc", "proto", "json":
                let type: SchemaCompatibility.SchemaType = ext == "avsc" ? .avro : ext == "proto" ? .protobuf : .json
                result.append(
                    Proposal(
                        subject: (name as NSString).deletingPathExtension, type: type, text: text,
                        level: defaultLevel ?? .backward, file: file))
            default:
                throw UsageError("\(file): unknown file type (expected .yaml, .yml, .avsc, .proto or .json)")
            }
        }
        if result.isEmpty { throw UsageError("no SchemaContract or schema file among the inputs") }
        return result
    }

    private static func proposal(from document: JSONValue, file: String, defaultLevel: SchemaCompatibility.CompatibilityLevel?) throws -> Proposal {
        let contract: SchemaContract
        do {
            contract = try JSONCoding.fromJSON(SchemaContract.self, document)
        } catch {
            throw UsageError("\(file): not a valid SchemaContract: \(error)")
        }
        let name = contract.metadata.name ?? "?"
        let errors = contract.validate()
        if !errors.isEmpty {
            throw UsageError("\(file): SchemaContract \(name): \(errors.map(\.message).joined(separator: "; "))")
        }
        guard let subject = contract.spec.subjectName else { throw UsageError("\(file): SchemaContract \(name) names no subject") }
        guard let text = contract.spec.schema else {
            throw UsageError("\(file): SchemaContract \(name) takes its schema from a ConfigMap (spec.schemaFrom); pass the schema file itself")
        }
        guard let type = SchemaCompatibility.SchemaType(rawValue: contract.spec.type.rawValue),
            let level = contract.spec.compatibility.map({ SchemaCompatibility.CompatibilityLevel(rawValue: $0.rawValue) }) ?? defaultLevel ?? .backward
        else { throw UsageError("\(file): SchemaContract \(name) has an unknown type or level") }
        return Proposal(subject: subject, type: type, text: text, level: level, file: file)
    }

    // MARK: Checking

    /// Checks every proposal against its baseline. Throws ``UsageError`` for a
    /// schema that does not parse (the registry would answer 42201).
    public static func run(_ proposals: [Proposal], baseline: any Baseline, levelFromBaseline: Bool) async throws -> [Result] {
        var results: [Result] = []
        for proposal in proposals {
            let new: ParsedSchema
            do {
                new = try ParsedSchema(proposal.text, type: proposal.type)
            } catch {
                throw UsageError("\(proposal.file): subject \(proposal.subject): \(error.description)")
            }
            let versions = try await baseline.versions(of: proposal.subject)
            var existing: [ParsedSchema] = []
            for version in versions {
                do {
                    existing.append(try ParsedSchema(version.text, type: version.type))
                } catch {
                    throw UsageError("baseline of subject \(proposal.subject), version \(version.version): \(error.description)")
                }
            }
            var level = proposal.level
            if levelFromBaseline, let known = try await baseline.level(of: proposal.subject) { level = known }
            results.append(
                Result(
                    proposal: proposal, level: level, comparedVersions: versions.map(\.version),
                    incompatibilities: check(new, against: existing, level: level)))
        }
        return results
    }

    // MARK: Reporting

    /// Human-readable report: one block per subject, one line per incompatibility.
    public static func text(_ results: [Result]) -> String {
        var lines: [String] = []
        for result in results {
            let versions = result.comparedVersions.isEmpty ? "no earlier versions" : "versions \(result.comparedVersions.joined(separator: ", "))"
            if result.incompatibilities.isEmpty {
                lines.append("ok      \(result.proposal.subject) (\(result.level.rawValue), \(versions)) — \(result.proposal.file)")
            } else {
                lines.append("BREAKS  \(result.proposal.subject) (\(result.level.rawValue), \(versions)) — \(result.proposal.file)")
                for item in result.incompatibilities {
                    let version = result.comparedVersions.indices.contains(item.existingIndex) ? result.comparedVersions[item.existingIndex] : "?"
                    lines.append("        \(item.rule.rawValue) at \(item.location) (against version \(version), \(item.direction == .newReadsOld ? "new reads old" : "old reads new")): \(item.message)")
                }
            }
        }
        let broken = results.filter { !$0.incompatibilities.isEmpty }.count
        lines.append(broken == 0 ? "\(results.count) schema(s) compatible" : "\(broken) of \(results.count) schema(s) break compatibility")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Machine-readable report.
    public static func json(_ results: [Result]) throws -> String {
        let value: JSONValue = .object([
            "compatible": .bool(results.allSatisfy { $0.incompatibilities.isEmpty }),
            "results": .array(results.map { result in
                .object([
                    "subject": .string(result.proposal.subject),
                    "file": .string(result.proposal.file),
                    "type": .string(result.proposal.type.rawValue),
                    "level": .string(result.level.rawValue),
                    "comparedVersions": .array(result.comparedVersions.map(JSONValue.string)),
                    "compatible": .bool(result.incompatibilities.isEmpty),
                    "incompatibilities": .array(result.incompatibilities.map { item in
                        .object([
                            "rule": .string(item.rule.rawValue),
                            "location": .string(item.location),
                            "message": .string(item.message),
                            "direction": .string(item.direction == .newReadsOld ? "newReadsOld" : "oldReadsNew"),
                            "againstVersion": .string(result.comparedVersions.indices.contains(item.existingIndex) ? result.comparedVersions[item.existingIndex] : ""),
                        ])
                    }),
                ])
            }),
        ])
        return String(decoding: try value.serialized(), as: UTF8.self) + "\n"
    }
}

/// Earlier versions kept in a directory: `<dir>/<subject>/<version>.<avsc|proto|json>`,
/// ordered by the number in the file name (`1.avsc`, `2.avsc`, … or `v3.avsc`).
public struct DirectoryBaseline: SchemaCheck.Baseline {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public func versions(of subject: String) async throws -> [(version: String, text: String, type: SchemaCompatibility.SchemaType)] {
        let folder = (directory as NSString).appendingPathComponent(subject)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        let files = names.compactMap { name -> (Int, String, SchemaCompatibility.SchemaType)? in
            let ext = (name as NSString).pathExtension.lowercased()
            let type: SchemaCompatibility.SchemaType
            switch ext {
            case "avsc": type = .avro
            case "proto": type = .protobuf
            case "json": type = .json
            default: return nil
            }
            let digits = (name as NSString).deletingPathExtension.filter(\.isNumber)
            guard let number = Int(digits) else { return nil }
            return (number, name, type)
        }.sorted { $0.0 < $1.0 }
        return try files.map { number, name, type in
            let path = (folder as NSString).appendingPathComponent(name)
            do {
                return (String(number), try String(contentsOfFile: path, encoding: .utf8), type)
            } catch {
                throw SchemaCheck.UsageError("\(path): cannot read: \(error.localizedDescription)")
            }
        }
    }

    public func level(of subject: String) async throws -> SchemaCompatibility.CompatibilityLevel? { nil }
}
