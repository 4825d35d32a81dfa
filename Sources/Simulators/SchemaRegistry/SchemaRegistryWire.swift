/// The registry's JSON bodies, written from the API summary; the simulator's own types.
enum SchemaRegistryWire {
    struct ErrorBody: Codable {
        var errorCode: Int
        var message: String

        enum CodingKeys: String, CodingKey {
            case errorCode = "error_code"
            case message
        }
    }

    struct Reference: Codable {
        var name: String
        var subject: String
        var version: Int
    }

    /// The body of register, lookup and compatibility checks.
    struct SchemaRequest: Decodable {
        var schema: String?
        var schemaType: String?
        var references: [Reference]?
    }

    struct RegisterResponse: Encodable {
        var id: Int
    }

    /// A subject version: lookup and `GET /subjects/{subject}/versions/{version}`.
    struct SubjectVersion: Encodable {
        var subject: String
        var version: Int
        var id: Int
        var schema: String
        /// Omitted for Avro, as the registry does.
        var schemaType: String?
        /// Omitted when empty.
        var references: [Reference]?
    }

    struct SchemaByID: Encodable {
        var schema: String
        var schemaType: String?
        var references: [Reference]?
    }

    struct SubjectAndVersion: Encodable {
        var subject: String
        var version: Int
    }

    struct CompatibilityResult: Encodable {
        var isCompatible: Bool
        var messages: [String]?

        enum CodingKeys: String, CodingKey {
            case isCompatible = "is_compatible"
            case messages
        }
    }

    /// `PUT /config` body and echo.
    struct ConfigUpdate: Codable {
        var compatibility: String?
    }

    /// `GET /config` answer.
    struct Config: Encodable {
        var compatibilityLevel: String
    }

    struct ModeBody: Codable {
        var mode: String?
    }

    struct Empty: Encodable {}
}
