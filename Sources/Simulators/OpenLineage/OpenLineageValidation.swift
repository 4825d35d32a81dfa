import Foundation

/// The rules of `OpenLineage.json` (2-0-2) that an event must satisfy, checked the
/// way Marquez's bean validation reports them: every problem, as one line each,
/// naming the field by its path (`inputs[0].facets.schema._producer`).
///
/// Checked: the event is an object; `eventTime` (RFC 3339 date-time with a zone),
/// `producer` and `schemaURL` (absolute URIs) are present; a RunEvent has `run`
/// (with a UUID `runId`) and `job`; `eventType` is one of the enum; `job` and every
/// dataset have a non-empty `namespace` and `name`; every facet is an object with
/// `_producer` and `_schemaURL` URIs (and a boolean `_deleted`, if any). A document
/// with `dataset` is a DatasetEvent, one with `job` and no `run` a JobEvent.
/// Not checked: the fields inside facets against their own schemas.
enum OpenLineageValidation {
    typealias JSON = OpenLineageWire.JSON

    static let eventTypes: Set<String> = ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]

    /// Everything wrong with an event; empty when it is valid.
    static func problems(_ event: JSON) -> [String] {
        guard let object = event.object else { return ["the event must be a JSON object, not \(event.kind)"] }
        var problems: [String] = []
        if let time = required(object, "eventTime", at: "", into: &problems), RFC3339.date(time) == nil {
            problems.append("eventTime must be an RFC 3339 date-time with a time zone: '\(time)'")
        }
        for key in ["producer", "schemaURL"] {
            if let text = required(object, key, at: "", into: &problems), !isURI(text) {
                problems.append("\(key) must be an absolute URI: '\(text)'")
            }
        }
        if let dataset = object["dataset"] {
            self.dataset(dataset, at: "dataset", facetKeys: [], into: &problems)
            return problems
        }
        let isJobEvent = object["run"] == nil && object["eventType"] == nil && object["job"] != nil
        if let eventType = object["eventType"] {
            if let text = eventType.string {
                if !eventTypes.contains(text) {
                    problems.append(
                        "eventType must be one of \(eventTypes.sorted().joined(separator: ", ")): '\(text)'")
                }
            } else if eventType != .null {
                problems.append("eventType must be a string, not \(eventType.kind)")
            }
        }
        if !isJobEvent {
            if let run = object["run"], run != .null {
                if let members = run.object {
                    if let id = required(members, "runId", at: "run.", into: &problems), !isUUID(id) {
                        problems.append("run.runId must be a UUID: '\(id)'")
                    }
                    facets(members["facets"], at: "run.facets", into: &problems)
                } else {
                    problems.append("run must be an object, not \(run.kind)")
                }
            } else {
                problems.append("run is required")
            }
        }
        if let job = object["job"], job != .null {
            if let members = job.object {
                nonEmpty(members, "namespace", at: "job.", into: &problems)
                nonEmpty(members, "name", at: "job.", into: &problems)
                facets(members["facets"], at: "job.facets", into: &problems)
            } else {
                problems.append("job must be an object, not \(job.kind)")
            }
        } else {
            problems.append("job is required")
        }
        for (key, extra) in [("inputs", "inputFacets"), ("outputs", "outputFacets")] {
            guard let list = object[key], list != .null else { continue }
            guard let items = list.array else {
                problems.append("\(key) must be an array, not \(list.kind)")
                continue
            }
            for (index, item) in items.enumerated() {
                dataset(item, at: "\(key)[\(index)]", facetKeys: [extra], into: &problems)
            }
        }
        return problems
    }

    private static func dataset(_ value: JSON, at path: String, facetKeys: [String], into problems: inout [String]) {
        guard let members = value.object else {
            problems.append("\(path) must be an object, not \(value.kind)")
            return
        }
        nonEmpty(members, "namespace", at: path + ".", into: &problems)
        nonEmpty(members, "name", at: path + ".", into: &problems)
        for key in ["facets"] + facetKeys { facets(members[key], at: "\(path).\(key)", into: &problems) }
    }

    /// A facet map: each facet an object carrying `_producer` and `_schemaURL`.
    private static func facets(_ value: JSON?, at path: String, into problems: inout [String]) {
        guard let value, value != .null else { return }
        guard let map = value.object else {
            problems.append("\(path) must be an object, not \(value.kind)")
            return
        }
        for (name, facet) in map.sorted(by: { $0.key < $1.key }) {
            let facetPath = "\(path).\(name)"
            guard let members = facet.object else {
                problems.append("\(facetPath) must be an object, not \(facet.kind)")
                continue
            }
            for key in ["_producer", "_schemaURL"] {
                if let text = required(members, key, at: facetPath + ".", into: &problems), !isURI(text) {
                    problems.append("\(facetPath).\(key) must be an absolute URI: '\(text)'")
                }
            }
            if let deleted = members["_deleted"] {
                if case .bool = deleted {
                } else {
                    problems.append("\(facetPath)._deleted must be a boolean, not \(deleted.kind)")
                }
            }
        }
    }

    /// The string at `key`, or nil after recording why there is none.
    private static func required(
        _ object: [String: JSON], _ key: String, at prefix: String, into problems: inout [String]
    ) -> String? {
        guard let value = object[key], value != .null else {
            problems.append("\(prefix)\(key) is required")
            return nil
        }
        guard let text = value.string else {
            problems.append("\(prefix)\(key) must be a string, not \(value.kind)")
            return nil
        }
        return text
    }

    private static func nonEmpty(
        _ object: [String: JSON], _ key: String, at prefix: String, into problems: inout [String]
    ) {
        if let text = required(object, key, at: prefix, into: &problems),
            text.trimmingCharacters(in: .whitespaces).isEmpty
        {
            problems.append("\(prefix)\(key) must not be empty")
        }
    }

    /// An absolute URI (RFC 3986 `scheme ":" …`) without spaces.
    static func isURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")
        return scheme.allSatisfy { allowed.contains($0) } && text.index(after: colon) < text.endIndex
            && !text.contains(where: { $0 == " " || $0.isNewline })
    }

    /// `8-4-4-4-12` hexadecimal digits, any case.
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}

/// RFC 3339 date-times (`2025-03-01T10:15:30.123Z`, `…+02:00`), as JSON Schema's
/// `date-time` format means them.
enum RFC3339 {
    static func date(_ text: String) -> Date? {
        let characters = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= characters.count else { return nil }
            var value = 0
            for index in range {
                let byte = characters[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func byte(_ index: Int) -> UInt8? { index < characters.count ? characters[index] : nil }
        guard let year = number(0..<4), byte(4) == UInt8(ascii: "-"), let month = number(5..<7),
            byte(7) == UInt8(ascii: "-"), let day = number(8..<10),
            let separator = byte(10), [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(separator),
            let hour = number(11..<13), byte(13) == UInt8(ascii: ":"), let minute = number(14..<16),
            byte(16) == UInt8(ascii: ":"), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if byte(index) == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while let digit = byte(index), digit >= 0x30, digit <= 0x39 {
                fraction += Double(digit - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        switch byte(index) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = byte(index) == UInt8(ascii: "+") ? 1 : -1
            guard let hours = number(index + 1..<index + 3), byte(index + 3) == UInt8(ascii: ":"),
                let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
            index += 6
        default:
            return nil
        }
        guard index == characters.count else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (hour, minute, min(second, 59))
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else {
            return nil
        }
        return date.addingTimeInterval(fraction - Double(offset))
    }
}
