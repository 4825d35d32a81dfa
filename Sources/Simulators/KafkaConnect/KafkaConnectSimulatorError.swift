/// An error the Kafka Connect simulator answers with: the HTTP status and the `message`
/// of Connect's `{"error_code", "message"}` body (`error_code` is the status). The Swift
/// test API throws the same errors.
public struct KafkaConnectSimulatorError: Error, Hashable, CustomStringConvertible {
    /// The HTTP status, also the body's `error_code`.
    public var status: Int
    /// The `message` of the error body.
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }

    /// What a worker says while it has no leader to forward to.
    static let rebalanceMessage =
        "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway."

    static func badRequest(_ message: String) -> Self { Self(status: 400, message: message) }
    static func notFound(_ message: String) -> Self { Self(status: 404, message: message) }

    static func connectorNotFound(_ name: String) -> Self { notFound("Connector \(name) not found") }
    static func unknownConnector(_ name: String) -> Self { notFound("Unknown connector: \(name)") }
    static func alreadyExists(_ name: String) -> Self { Self(status: 409, message: "Connector \(name) already exists") }
    static func noStatus(connector name: String) -> Self { notFound("No status found for connector \(name)") }
    static func noStatus(task name: String, _ task: Int) -> Self {
        notFound("No status found for task \(name)-\(task)")
    }
    static func unknownTask(_ name: String, _ task: Int) -> Self { notFound("Unknown task: \(name)-\(task)") }
    static let rebalance = Self(status: 409, message: rebalanceMessage)
    static let unauthorized = Self(status: 401, message: "User cannot access the resource.")

    static func notStopped(_ name: String) -> Self {
        badRequest(
            "Connectors must be in the STOPPED state before their offsets can be modified. This can be done "
                + "for the specified connector by issuing a 'PUT' request to the '/connectors/\(name)/stop' endpoint")
    }

    static func nameMismatch(config: String, url: String) -> Self {
        badRequest("Connector name configuration (\(config)) doesn't match connector name in the URL (\(url))")
    }

    /// Connect's refusal of an invalid config on create or update, one line per error.
    static func invalidConfig(_ messages: [String], count: Int) -> Self {
        badRequest(
            "Connector configuration is invalid and contains the following \(count) error(s):"
                + messages.map { "\n" + $0 }.joined()
                + "\nYou can also find the above list of errors at the endpoint "
                + "`/connector-plugins/{connectorType}/config/validate`")
    }
}
