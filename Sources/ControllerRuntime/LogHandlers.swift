import Foundation
import KubeAPI
import Logging
import Synchronization

/// Writes one JSON object per line to standard error: `ts`, `level`, `logger`,
/// `msg` and the metadata (controller, namespace, name, reconcileID, …).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [:]
        for (key, value) in metadata { object[key] = "\(value)" }
        for (key, value) in event.metadata ?? [:] { object[key] = "\(value)" }
        object["ts"] = RFC3339.format(Date(), fractionalDigits: 3)
        object["level"] = event.level.rawValue
        object["logger"] = label
        object["msg"] = event.message.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(object) else { return }
        line.append(10)
        LogOutput.write(line)
    }
}

/// `ts level [label] message key=value …` lines on standard error.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        for (key, value) in event.metadata ?? [:] { merged[key] = value }
        let pairs = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(RFC3339.format(Date(), fractionalDigits: 3)) \(event.level.rawValue.uppercased()) [\(label)] \(event.message)\(pairs.isEmpty ? "" : " " + pairs)\n"
        LogOutput.write(Data(line.utf8))
    }
}

/// Output format of the operator's logs.
public enum LogFormat: String, Sendable, CaseIterable {
    case json, text
}

/// Installs the process-wide log handler. Call once, at start.
public func bootstrapLogging(format: LogFormat, level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        switch format {
        case .json:
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        case .text:
            var handler = TextLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

enum LogOutput {
    private static let lock = Mutex(())

    static func write(_ data: Data) {
        lock.withLock { _ in FileHandle.standardError.write(data) }
    }
}

