import Foundation
import IntegrationSupport
import SchemaRegistry
import Simulators
import Testing

/// The client against the schema registry simulator over real HTTP on an
/// ephemeral loopback port. The two were written apart from the same API notes
/// and share no types, so a misreading on one side shows up here.
@Suite("HTTPSchemaRegistryClient against the schema registry simulator over HTTP")
struct SchemaRegistryClientSimulatorTests {
    /// A running simulator and a client authenticated for it.
    struct Fixture {
        let registry: SchemaRegistrySimulator
        let client: HTTPSchemaRegistryClient

        /// Runs `body` with a fresh simulator and client, and stops the simulator afterwards.
        static func with(
            flavor: SchemaRegistrySimulator.Flavor = .confluent,
            auth: BackendAuth = .basic(username: "ci", password: "s3cret"),
            timeout: Duration = .seconds(10), _ body: (Fixture) async throws -> Void
        ) async throws {
            let registry = SchemaRegistrySimulator(
                configuration: .init(
                    credentials: .init(username: "ci", password: "s3cret"), bearerToken: "t0ken", flavor: flavor))
            let url = try await registry.start()
            let fixture = Fixture(
                registry: registry, client: HTTPSchemaRegistryClient(serverURL: url, auth: auth, timeout: timeout))
            do {
                try await body(fixture)
            } catch {
                await registry.stop()
                throw error
            }
            await registry.stop()
        }
    }

    static let v1 = SchemaDefinition(schema: ordersV1)
    /// Adds a field with a default: backward compatible.
    static let v2 = SchemaDefinition(
        schema:
            #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"string"},{"name":"note","type":"string","default":""}]}"#
    )
    /// Adds a field without a default: a new reader cannot read old data.
    static let breaking = SchemaDefinition(
        schema:
            #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"string"},{"name":"amount","type":"double"}]}"#
    )

    @Test("a schema is registered after its level is set, idempotently, and read back every way")
    func registerAndRead() async throws {
        try await Fixture.with { f in
            let subject = "team/orders-value"
            try await f.client.setSubjectCompatibility(subject: subject, level: .backward)
            let first = try await f.client.register(subject: subject, definition: Self.v1)
            let again = try await f.client.register(subject: subject, definition: Self.v1)
            #expect(first.id == again.id)
            #expect(try await f.client.listVersions(subject: subject) == [1])
            #expect(try await f.client.listSubjects() == [subject])
            #expect(try await f.client.listSubjects(prefix: "team/", deleted: .exclude) == [subject])
            #expect(try await f.client.listSubjects(prefix: "other", deleted: .exclude).isEmpty)

            let latest = try await f.client.getVersion(subject: subject, version: .latest)
            #expect(latest.subject == subject && latest.version == 1 && latest.id == first.id)
            #expect(latest.definition.type == .avro)
            #expect(f.registry.version(subject: subject)?.id == first.id)

            let found = try await f.client.lookup(subject: subject, definition: Self.v1)
            #expect(found?.version == 1 && found?.id == first.id)
            #expect(try await f.client.lookup(subject: subject, definition: Self.v2) == nil)
            #expect(try await f.client.lookup(subject: "nobody", definition: Self.v1) == nil)

            let other = try await f.client.register(subject: "copy-value", definition: Self.v1)
            #expect(other.id == first.id, "identical schemas share one id across subjects")
            #expect(try await f.client.getSchema(id: first.id, subject: nil).type == .avro)
            #expect(
                Set(try await f.client.getSubjectVersions(id: first.id))
                    == [
                        SubjectVersion(subject: subject, version: 1), SubjectVersion(subject: "copy-value", version: 1),
                    ])
        }
    }

    @Test(
        "a compatible evolution is accepted and a breaking one is reported with messages, then refused",
        arguments: [
            SchemaRegistrySimulator.Flavor.confluent, .karapace,
        ])
    func compatibility(flavor: SchemaRegistrySimulator.Flavor) async throws {
        try await Fixture.with(flavor: flavor) { f in
            let subject = "orders-value"
            _ = try await f.client.register(subject: subject, definition: Self.v1)
            let good = try await f.client.checkCompatibility(
                subject: subject, definition: Self.v2, against: .version(.latest))
            #expect(good.isCompatible)
            let bad = try await f.client.checkCompatibility(
                subject: subject, definition: Self.breaking, against: .allVersions)
            #expect(!bad.isCompatible)
            #expect(!bad.messages.isEmpty)

            let error = await registryError {
                _ = try await f.client.register(subject: subject, definition: Self.breaking)
            }
            #expect(error?.kind == .incompatibleSchema)
            #expect(error?.isRetryable == false)
            #expect(error?.errorCode == (flavor == .confluent ? 40901 : 409))
            #expect(try await f.client.listVersions(subject: subject) == [1])

            let next = try await f.client.register(subject: subject, definition: Self.v2)
            #expect(next.id != 0)
            #expect(try await f.client.listVersions(subject: subject) == [1, 2])
        }
    }

    @Test("checking a subject with no versions is compatible on Confluent and not found on Karapace")
    func checkMissingSubject() async throws {
        try await Fixture.with(flavor: .confluent) { f in
            let result = try await f.client.checkCompatibility(
                subject: "new-value", definition: Self.v1, against: .version(.latest))
            #expect(result.isCompatible)
        }
        try await Fixture.with(flavor: .karapace) { f in
            let error = await registryError {
                _ = try await f.client.checkCompatibility(
                    subject: "new-value", definition: Self.v1, against: .version(.latest))
            }
            #expect(error?.kind == .versionNotFound || error?.kind == .subjectNotFound)
        }
    }

    @Test("compatibility levels are set per subject before it exists, fall back to the global one, and are removed")
    func levels() async throws {
        try await Fixture.with { f in
            #expect(try await f.client.getGlobalCompatibility() == .backward)
            #expect(try await f.client.getSubjectCompatibility(subject: "orders-value") == nil)
            #expect(
                try await f.client.getSubjectCompatibility(subject: "orders-value", defaultToGlobal: true) == .backward)
            try await f.client.setSubjectCompatibility(subject: "orders-value", level: .fullTransitive)
            #expect(f.registry.compatibility(subject: "orders-value") == .fullTransitive)
            #expect(try await f.client.getSubjectCompatibility(subject: "orders-value") == .fullTransitive)
            #expect(try await f.client.deleteSubjectCompatibility(subject: "orders-value") == .fullTransitive)
            #expect(try await f.client.getSubjectCompatibility(subject: "orders-value") == nil)
            try await f.client.setGlobalCompatibility(.none)
            #expect(try await f.client.getGlobalCompatibility() == .none)
        }
    }

    @Test("a READONLY registry refuses registration with operationNotPermitted")
    func readOnly() async throws {
        try await Fixture.with { f in
            #expect(try await f.client.getGlobalMode() == .readWrite)
            try await f.client.setGlobalMode(.readOnly)
            #expect(try await f.client.getGlobalMode() == .readOnly)
            let error = await registryError {
                _ = try await f.client.register(subject: "orders-value", definition: Self.v1)
            }
            #expect(error?.kind == .operationNotPermitted)
            #expect(try await f.client.getMode(subject: "orders-value", defaultToGlobal: false) == nil)
            try await f.client.setMode(.readWrite, subject: "orders-value", force: false)
            #expect(try await f.client.getMode(subject: "orders-value", defaultToGlobal: false) == .readWrite)
            #expect(try await f.client.deleteMode(subject: "orders-value") == .readWrite)
        }
    }

    @Test("soft delete comes before permanent delete, for versions and for subjects")
    func deletes() async throws {
        try await Fixture.with { f in
            let subject = "orders-value"
            _ = try await f.client.register(subject: subject, definition: Self.v1)
            let second = try await f.client.register(subject: subject, definition: Self.v2)

            let early = await registryError {
                _ = try await f.client.deleteVersion(subject: subject, version: 2, permanent: true)
            }
            #expect(early?.kind == .versionNotSoftDeleted)
            #expect(try await f.client.deleteVersion(subject: subject, version: 2, permanent: false) == 2)
            #expect(try await f.client.listVersions(subject: subject) == [1])
            #expect(try await f.client.listVersions(subject: subject, deleted: .include) == [1, 2])
            #expect(try await f.client.getVersion(subject: subject, version: 2, includeDeleted: true).id == second.id)
            let hidden = await registryError { _ = try await f.client.getVersion(subject: subject, version: 2) }
            #expect(hidden?.kind == .versionNotFound)
            #expect(try await f.client.getSchema(id: second.id, subject: nil).schema.contains("note"))
            #expect(try await f.client.deleteVersion(subject: subject, version: 2, permanent: true) == 2)

            let notSoft = await registryError {
                _ = try await f.client.deleteSubject(subject: subject, permanent: true)
            }
            #expect(notSoft?.kind == .subjectNotSoftDeleted)
            #expect(try await f.client.deleteSubject(subject: subject, permanent: false) == [1])
            let twice = await registryError { _ = try await f.client.deleteSubject(subject: subject, permanent: false) }
            #expect(twice?.kind == .subjectSoftDeleted)
            #expect(try await f.client.deleteSubject(subject: subject, permanent: true) == [1])
            let gone = await registryError { _ = try await f.client.listVersions(subject: subject) }
            #expect(gone?.kind == .subjectNotFound)
        }
    }

    @Test("a referenced version lists who refers to it and cannot be deleted")
    func references() async throws {
        try await Fixture.with { f in
            let money = SchemaDefinition(
                schema:
                    #"{"type":"record","name":"Money","namespace":"io.hmco","fields":[{"name":"cents","type":"long"}]}"#
            )
            _ = try await f.client.register(subject: "money", definition: money)
            let order = SchemaDefinition(
                schema:
                    #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"total","type":"io.hmco.Money"}]}"#,
                references: [SchemaReference(name: "io.hmco.Money", subject: "money", version: 1)])
            let registered = try await f.client.register(subject: "orders-value", definition: order)
            #expect(try await f.client.referencedBy(subject: "money", version: 1) == [registered.id])
            let read = try await f.client.getVersion(subject: "orders-value", version: .latest)
            #expect(read.definition.references == order.references)
            let error = await registryError {
                _ = try await f.client.deleteVersion(subject: "money", version: 1, permanent: false)
            }
            #expect(error?.kind == .referenceExists)

            let dangling = SchemaDefinition(
                schema: order.schema, references: [SchemaReference(name: "io.hmco.Money", subject: "money", version: 9)]
            )
            let invalid = await registryError {
                _ = try await f.client.register(subject: "other-value", definition: dangling)
            }
            #expect(invalid?.kind == .invalidSchema)
        }
    }

    @Test("missing subjects, versions and ids are told apart")
    func missing() async throws {
        try await Fixture.with { f in
            let noSubject = await registryError {
                _ = try await f.client.getVersion(subject: "nobody", version: .latest)
            }
            #expect(noSubject?.kind == .subjectNotFound)
            _ = try await f.client.register(subject: "orders-value", definition: Self.v1)
            let noVersion = await registryError {
                _ = try await f.client.getVersion(subject: "orders-value", version: 7)
            }
            #expect(noVersion?.kind == .versionNotFound)
            let noID = await registryError { _ = try await f.client.getSchema(id: 4242, subject: nil) }
            #expect(noID?.kind == .schemaNotFound)
            #expect(noID?.description.hasPrefix("while reading schema 4242: ") == true)
        }
    }

    @Test("wrong credentials are unauthorized and a bearer token is accepted")
    func auth() async throws {
        try await Fixture.with(auth: .basic(username: "ci", password: "wrong")) { f in
            let error = await registryError { _ = try await f.client.listSubjects() }
            #expect(error?.kind == .unauthorized)
            #expect(error?.isRetryable == false)
        }
        try await Fixture.with(auth: .bearer(token: "t0ken")) { f in
            let subjects = try await f.client.listSubjects()
            #expect(subjects.isEmpty)
        }
    }

    @Test("store errors, timeouts and rate limits are retryable, and the next call succeeds")
    func faults() async throws {
        try await Fixture.with { f in
            typealias Op = SchemaRegistrySimulator.Operation
            f.registry.faults.failNext(1, with: .schemaRegistryStoreError, operation: Op.register)
            let store = await registryError {
                _ = try await f.client.register(subject: "orders-value", definition: Self.v1)
            }
            #expect(store?.kind == .storeError)
            #expect(store?.isRetryable == true)

            f.registry.faults.failNext(1, with: .tooManyRequests, operation: Op.register)
            let limited = await registryError {
                _ = try await f.client.register(subject: "orders-value", definition: Self.v1)
            }
            #expect(limited?.isRetryable == true)

            // Only the hung call gets a short deadline, so a loaded machine does not time out the others.
            let impatient = HTTPSchemaRegistryClient(
                serverURL: try #require(f.registry.baseURL), auth: .basic(username: "ci", password: "s3cret"), timeout: .milliseconds(300))
            f.registry.faults.hangNext(1, for: .seconds(2), operation: Op.listSubjects)
            let slow = await registryError { _ = try await impatient.listSubjects() }
            #expect(slow?.kind == .timeout)
            #expect(slow?.isRetryable == true)

            _ = try await f.client.register(subject: "orders-value", definition: Self.v1)
            #expect(f.registry.versions(subject: "orders-value").count == 1)
        }
    }
}

/// The ``SchemaRegistryError`` `body` throws, or nil when it succeeds or throws something else.
func registryError(_ body: () async throws -> Void) async -> SchemaRegistryError? {
    do {
        try await body()
        return nil
    } catch let error as SchemaRegistryError {
        return error
    } catch {
        return nil
    }
}
