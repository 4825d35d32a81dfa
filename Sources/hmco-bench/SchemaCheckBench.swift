import ArgumentParser
import Foundation
import SchemaCompatibility

/// Throughput of the compatibility checker (target `SchemaCompatibility`, the
/// rules `hmco-operator schema check` and the registry simulator apply) on
/// large schemas: a new version checked against a history of earlier ones.
struct SchemaCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema-check",
        abstract: "Checker throughput in schema pairs/s per format, at BACKWARD and FULL_TRANSITIVE, on large schemas.")

    @Option(help: "Fields (Avro, Protobuf) or properties (JSON Schema) of the new schema.") var fields = 200
    @Option(help: "Earlier versions in the subject's history.") var versions = 10
    @Option(help: "Seconds to measure each format and level.") var duration = 2.0

    func run() async throws {
        guard versions >= 1, fields > versions else { throw ValidationError("need --fields > --versions >= 1") }
        report("schemas", "new schema of \(fields) fields against \(versions) versions of \(fields - versions)…\(fields - 1) fields; each version adds one optional field")
        for (type, label) in [(SchemaCompatibility.SchemaType.avro, "avro"), (.json, "json"), (.protobuf, "proto")] {
            let texts = (0...versions).map { SchemaCheckCorpus.text(type, fields: fields - versions + $0, stable: fields - versions) }
            let parsed = try texts.map { try ParsedSchema($0, type: type) }
            let new = parsed[versions]
            let history = Array(parsed[..<versions])
            let budget = Duration.milliseconds(Int(duration * 1000))
            var parses = 0
            let parseStart = ContinuousClock.now
            repeat {
                parses += try ParsedSchema(texts[versions], type: type).canonicalForm.isEmpty ? 0 : 1
            } while parseStart.duration(to: .now) < budget
            report(
                "\(label) parse",
                String(
                    format: "%.0f schemas/s (%d KB of text each)", Double(parses) / seconds(parseStart.duration(to: .now)),
                    texts[versions].utf8.count / 1024))
            for level in [CompatibilityLevel.backward, .fullTransitive] {
                let found = SchemaCompatibility.check(new, against: history, level: level)
                guard found.isEmpty else {
                    throw ValidationError("\(type.rawValue) \(level.rawValue): the generated history is not compatible: \(found.prefix(3))")
                }
                // Pairs: (new, earlier version) compared; FULL compares each pair in both directions.
                let pairsPerCheck = level.isTransitive ? history.count : 1
                var checks = 0
                var incompatibilities = 0
                let start = ContinuousClock.now
                repeat {
                    incompatibilities += SchemaCompatibility.check(new, against: history, level: level).count
                    checks += 1
                } while start.duration(to: .now) < budget
                let elapsed = seconds(start.duration(to: .now))
                let directions = (level.checksBackward ? 1 : 0) + (level.checksForward ? 1 : 0)
                report(
                    "\(label) \(level.rawValue)",
                    String(
                        format: "%.0f pairs/s (%.0f checks/s; %d pair(s) per check, %d direction(s) each; %.2f ms per check)",
                        Double(checks * pairsPerCheck) / elapsed, Double(checks) / elapsed, pairsPerCheck, directions,
                        elapsed * 1000 / Double(checks)))
                if incompatibilities != 0 { throw ValidationError("found \(incompatibilities) incompatibilities while measuring") }
            }
        }
    }
}

/// Generated schemas with `count` fields of mixed types (scalars, optional
/// unions, arrays, maps, enums, nested records). Field `i` is the same in every
/// version, and every field from the 10th on is optional, so a version with
/// more fields is compatible both ways with one with fewer. JSON Schema objects
/// are partially open (`additionalProperties` a string schema) and the
/// properties from `stable` on, which differ between versions, are strings it
/// covers: Confluent's rules count adding or removing any other property as
/// breaking in one direction.
enum SchemaCheckCorpus {
    static func text(_ type: SchemaCompatibility.SchemaType, fields count: Int, stable: Int) -> String {
        switch type {
        case .avro: avro(count)
        case .json: json(count, stable: stable)
        case .protobuf: protobuf(count)
        }
    }

    static func avro(_ count: Int) -> String {
        let fields = (0..<count).map { index -> String in
            let name = "\"name\":\"f\(index)\""
            guard index >= 10 else {
                return "{\(name),\"type\":\"\(["string", "long", "int", "double", "boolean"][index % 5])\"}"
            }
            let type: String
            switch index % 6 {
            case 0: type = #"["null","string"]"#
            case 1: type = #"["null","long"]"#
            case 2: type = #"["null",{"type":"array","items":"string"}]"#
            case 3: type = #"["null",{"type":"map","values":"double"}]"#
            case 4: type = "[\"null\",{\"type\":\"enum\",\"name\":\"E\(index)\",\"symbols\":[\"A\",\"B\",\"C\"]}]"
            default:
                type = "[\"null\",{\"type\":\"record\",\"name\":\"R\(index)\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"long\",\"default\":0}]}]"
            }
            return "{\(name),\"type\":\(type),\"default\":null}"
        }
        return #"{"type":"record","name":"Wide","namespace":"io.hmco.bench","fields":["# + fields.joined(separator: ",") + "]}"
    }

    static func json(_ count: Int, stable: Int) -> String {
        let properties = (0..<count).map { index -> String in
            let schema: String
            switch index >= stable ? -1 : index % 6 {
            case -1: schema = #"{"type":"string"}"#
            case 0: schema = #"{"type":"string","maxLength":64}"#
            case 1: schema = #"{"type":"integer","minimum":0}"#
            case 2: schema = #"{"type":"array","items":{"type":"string"}}"#
            case 3: schema = #"{"type":"number"}"#
            case 4: schema = #"{"type":"string","enum":["A","B","C"]}"#
            default: schema = #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"additionalProperties":false}"#
            }
            return "\"p\(index)\":\(schema)"
        }
        let required = (0..<min(count, 10)).map { "\"p\($0)\"" }.joined(separator: ",")
        return #"{"$schema":"http://json-schema.org/draft-07/schema#","title":"Wide","type":"object","additionalProperties":{"type":"string"},"properties":{"#
            + properties.joined(separator: ",") + #"},"required":["# + required + "]}"
    }

    static func protobuf(_ count: Int) -> String {
        var lines = ["syntax = \"proto3\";", "package io.hmco.bench;", "", "enum Side {", "  SIDE_UNSPECIFIED = 0;", "  BUY = 1;", "  SELL = 2;", "}", ""]
        lines += ["message Leg {", "  string venue = 1;", "  int64 quantity = 2;", "}", "", "message Wide {"]
        for index in 0..<count {
            let type: String
            switch index % 7 {
            case 0: type = "string"
            case 1: type = "int64"
            case 2: type = "double"
            case 3: type = "repeated string"
            case 4: type = "Side"
            case 5: type = "Leg"
            default: type = "map<string, int32>"
            }
            lines.append("  \(type) f\(index) = \(index + 1);")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
