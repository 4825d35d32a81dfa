import Foundation
import IntegrationSupport
import SchemaCompatibility
import SchemaRegistry

/// The versions a schema registry holds, as the baseline of `schema check`:
/// every live version of the subject, and the subject's level in effect.
public struct RegistryBaseline: SchemaCheck.Baseline {
    let client: any SchemaRegistryClient

    public init(client: any SchemaRegistryClient) { self.client = client }

    /// A baseline on the registry at `url`, with basic auth or a bearer token when given.
    public init(url: URL, username: String?, password: String?, token: String?) {
        let auth: BackendAuth
        if let token {
            auth = .bearer(token: token)
        } else if let username, let password {
            auth = .basic(username: username, password: password)
        } else {
            auth = .none
        }
        self.init(client: HTTPSchemaRegistryClient(serverURL: url, auth: auth))
    }

    public func versions(of subject: String) async throws -> [(version: String, text: String, type: SchemaCompatibility.SchemaType)] {
        let numbers: [Int]
        do {
            numbers = try await client.listVersions(subject: subject, deleted: .exclude)
        } catch let error as SchemaRegistryError where error.kind == .subjectNotFound {
            return []
        } catch {
            throw SchemaCheck.UsageError("cannot read subject \(subject) from the registry: \(error)")
        }
        var result: [(String, String, SchemaCompatibility.SchemaType)] = []
        for number in numbers.sorted() {
            do {
                let registered = try await client.getVersion(subject: subject, version: .number(number), includeDeleted: false)
                let type = SchemaCompatibility.SchemaType(rawValue: registered.definition.type.rawValue) ?? .avro
                result.append((String(number), registered.definition.schema, type))
            } catch {
                throw SchemaCheck.UsageError("cannot read version \(number) of subject \(subject) from the registry: \(error)")
            }
        }
        return result
    }

    public func level(of subject: String) async throws -> SchemaCompatibility.CompatibilityLevel? {
        do {
            guard let level = try await client.getSubjectCompatibility(subject: subject, defaultToGlobal: true) else { return nil }
            return SchemaCompatibility.CompatibilityLevel(rawValue: level.rawValue)
        } catch {
            throw SchemaCheck.UsageError("cannot read the compatibility level of subject \(subject): \(error)")
        }
    }
}
