/// The schema formats the registry knows, spelled as the registry's `schemaType` field.
public enum SchemaType: String, Sendable, Hashable, CaseIterable {
    case avro = "AVRO"
    case protobuf = "PROTOBUF"
    case json = "JSON"

    /// Reads the registry's `schemaType`, where an absent value means Avro.
    public init?(registryName: String?) {
        guard let registryName else {
            self = .avro
            return
        }
        self.init(rawValue: registryName.uppercased())
    }
}

/// A subject's compatibility level, spelled as the registry's `compatibility` field.
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable {
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
    case none = "NONE"

    /// Whether the new schema must be able to read data written with the older ones.
    public var checksBackward: Bool { [.backward, .backwardTransitive, .full, .fullTransitive].contains(self) }

    /// Whether the older schemas must be able to read data written with the new one.
    public var checksForward: Bool { [.forward, .forwardTransitive, .full, .fullTransitive].contains(self) }

    /// Whether every earlier version is checked, not only the latest.
    public var isTransitive: Bool { [.backwardTransitive, .forwardTransitive, .fullTransitive].contains(self) }
}
