import Foundation
import IntegrationSupport

/// ``SchemaRegistryClient`` over the Confluent Schema Registry REST API, as
/// served by Confluent, Karapace and Redpanda, with HTTP basic auth or a
/// bearer token (from a Secret).
///
/// Guarantees: requests are exactly those of ``SchemaRegistryRequests``, sent
/// with the `application/vnd.schemaregistry.v1+json` media type; responses are
/// read by ``SchemaRegistryResponses``.
/// Caveats: no retries here — ``SchemaRegistryError/isRetryable`` tells the
/// caller (the reconciler's backoff) whether to try again.
public struct HTTPSchemaRegistryClient: SchemaRegistryClient {
    /// Sends one request and returns the response, whatever its status; throws
    /// `TransportError` when no response arrived.
    public typealias Transport = @Sendable (SchemaRegistryRequest) async throws -> BackendResponse

    private let transport: Transport

    /// A client over a shared transport whose base URL is the registry's root
    /// (e.g. `http://schema-registry:8081`).
    public init(backend: HTTPBackend) {
        self.transport = { request in
            try await backend.send(
                request.method, request.target, headers: [("Accept", SchemaRegistryRequest.accept)],
                body: request.body, contentType: SchemaRegistryRequest.contentType, operation: request.operation)
        }
    }

    /// A client on the process-wide HTTP connection pool (nothing to shut down).
    /// - Parameters:
    ///   - serverURL: the registry's root, e.g. `http://schema-registry:8081`.
    ///   - auth: `.basic` (Confluent Cloud API key and secret, Karapace, Redpanda) or `.bearer`.
    public init(
        serverURL: URL, auth: BackendAuth = .none, timeout: Duration = .seconds(30), maxConcurrentRequests: Int = 8
    ) {
        let endpoint = BackendEndpoint(
            baseURL: serverURL, auth: auth, timeout: timeout, maxConcurrentRequests: maxConcurrentRequests)
        self.init(backend: HTTPBackend(system: "schema registry", endpoint: endpoint))
    }

    /// A client over any transport, e.g. one that counts or records requests.
    public init(transport: @escaping Transport) {
        self.transport = transport
    }

    // MARK: Subjects and versions

    public func listSubjects(prefix: String?, deleted: DeletedFilter) async throws -> [String] {
        let request = SchemaRegistryRequests.listSubjects(prefix: prefix, deleted: deleted)
        return try SchemaRegistryResponses.subjects(from: try await perform(request), of: request)
    }

    public func listVersions(subject: String, deleted: DeletedFilter) async throws -> [Int] {
        let request = SchemaRegistryRequests.listVersions(subject: subject, deleted: deleted)
        return try SchemaRegistryResponses.numbers(from: try await perform(request), of: request)
    }

    public func getVersion(
        subject: String, version: SchemaVersion, includeDeleted: Bool
    ) async throws -> RegisteredSchema {
        let request = SchemaRegistryRequests.getVersion(
            subject: subject, version: version, includeDeleted: includeDeleted)
        return try SchemaRegistryResponses.registeredSchema(from: try await perform(request), of: request)
    }

    public func register(
        subject: String, definition: SchemaDefinition, normalize: Bool
    ) async throws -> SchemaRegistration {
        let request = try SchemaRegistryRequests.register(
            subject: subject, definition: definition, normalize: normalize)
        return try SchemaRegistryResponses.registration(from: try await perform(request), of: request)
    }

    public func lookup(
        subject: String, definition: SchemaDefinition, normalize: Bool, includeDeleted: Bool
    ) async throws -> RegisteredSchema? {
        let request = try SchemaRegistryRequests.lookup(
            subject: subject, definition: definition, normalize: normalize, includeDeleted: includeDeleted)
        return try SchemaRegistryResponses.lookup(from: try await perform(request), of: request)
    }

    // MARK: Compatibility

    public func checkCompatibility(
        subject: String, definition: SchemaDefinition, against target: CompatibilityTarget, normalize: Bool
    ) async throws -> CompatibilityResult {
        let request = try SchemaRegistryRequests.checkCompatibility(
            subject: subject, definition: definition, against: target, normalize: normalize)
        return try SchemaRegistryResponses.compatibility(from: try await perform(request), of: request)
    }

    // MARK: Compatibility levels

    public func getGlobalCompatibility() async throws -> CompatibilityLevel {
        let request = SchemaRegistryRequests.getGlobalCompatibility()
        return try SchemaRegistryResponses.compatibilityLevel(from: try await perform(request), of: request)
    }

    public func setGlobalCompatibility(_ level: CompatibilityLevel) async throws {
        let request = try SchemaRegistryRequests.setGlobalCompatibility(level)
        try SchemaRegistryResponses.checked(try await perform(request), of: request)
    }

    public func getSubjectCompatibility(subject: String, defaultToGlobal: Bool) async throws -> CompatibilityLevel? {
        let request = SchemaRegistryRequests.getSubjectCompatibility(subject: subject, defaultToGlobal: defaultToGlobal)
        return try SchemaRegistryResponses.subjectCompatibilityLevel(from: try await perform(request), of: request)
    }

    public func setSubjectCompatibility(subject: String, level: CompatibilityLevel) async throws {
        let request = try SchemaRegistryRequests.setSubjectCompatibility(subject: subject, level: level)
        try SchemaRegistryResponses.checked(try await perform(request), of: request)
    }

    public func deleteSubjectCompatibility(subject: String) async throws -> CompatibilityLevel {
        let request = SchemaRegistryRequests.deleteSubjectCompatibility(subject: subject)
        return try SchemaRegistryResponses.compatibilityLevel(from: try await perform(request), of: request)
    }

    // MARK: Mode

    public func getMode(subject: String?, defaultToGlobal: Bool) async throws -> RegistryMode? {
        let request = SchemaRegistryRequests.getMode(subject: subject, defaultToGlobal: defaultToGlobal)
        let response = try await perform(request)
        if subject == nil { return try SchemaRegistryResponses.mode(from: response, of: request) }
        return try SchemaRegistryResponses.subjectMode(from: response, of: request)
    }

    public func setMode(_ mode: RegistryMode, subject: String?, force: Bool) async throws {
        let request = try SchemaRegistryRequests.setMode(mode, subject: subject, force: force)
        try SchemaRegistryResponses.checked(try await perform(request), of: request)
    }

    public func deleteMode(subject: String) async throws -> RegistryMode {
        let request = SchemaRegistryRequests.deleteMode(subject: subject)
        return try SchemaRegistryResponses.mode(from: try await perform(request), of: request)
    }

    // MARK: Deletion

    public func deleteVersion(subject: String, version: SchemaVersion, permanent: Bool) async throws -> Int {
        let request = SchemaRegistryRequests.deleteVersion(subject: subject, version: version, permanent: permanent)
        return try SchemaRegistryResponses.number(from: try await perform(request), of: request)
    }

    public func deleteSubject(subject: String, permanent: Bool) async throws -> [Int] {
        let request = SchemaRegistryRequests.deleteSubject(subject: subject, permanent: permanent)
        return try SchemaRegistryResponses.numbers(from: try await perform(request), of: request)
    }

    // MARK: Schemas by id

    public func getSchema(id: Int, subject: String?) async throws -> SchemaDefinition {
        let request = SchemaRegistryRequests.getSchema(id: id, subject: subject)
        return try SchemaRegistryResponses.schema(from: try await perform(request), of: request)
    }

    public func getSubjectVersions(id: Int) async throws -> [SubjectVersion] {
        let request = SchemaRegistryRequests.getSubjectVersions(id: id)
        return try SchemaRegistryResponses.subjectVersions(from: try await perform(request), of: request)
    }

    public func referencedBy(subject: String, version: SchemaVersion) async throws -> [Int] {
        let request = SchemaRegistryRequests.referencedBy(subject: subject, version: version)
        return try SchemaRegistryResponses.numbers(from: try await perform(request), of: request)
    }

    // MARK: Plumbing

    private func perform(_ request: SchemaRegistryRequest) async throws -> BackendResponse {
        do {
            return try await transport(request)
        } catch let error as TransportError {
            throw SchemaRegistryResponses.error(for: error, of: request)
        }
    }
}
