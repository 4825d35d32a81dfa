import Foundation

/// The standard facets the operator writes, and ``Custom`` for any other.
///
/// Each is written with `_producer` (the event's ``LineageEvent/producer``) and
/// `_schemaURL` pointing at its facet schema, with the versions of the spec's
/// `facets/*.json` files (`$id`), e.g.
/// `https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet`.
public enum LineageFacet {
    /// `JobTypeJobFacet` (2-0-4), key `jobType`: how the job runs and who runs it.
    public struct JobType: Sendable, Hashable {
        /// `processingType`.
        public enum ProcessingType: String, Sendable, Hashable, CaseIterable {
            /// Finite: START, then COMPLETE, FAIL or ABORT.
            case batch = "BATCH"
            /// Continuous, processing a stream.
            case streaming = "STREAMING"
            /// Continuous, long-running service.
            case service = "SERVICE"
        }

        public static let schemaURL =
            "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet"

        public var processingType: ProcessingType
        /// `integration`, e.g. `HMCO_OPERATOR`.
        public var integration: String
        /// `jobType`, e.g. `DATABRANCH_MERGE`.
        public var jobType: String?

        public init(
            processingType: ProcessingType, integration: String = OpenLineageSpec.integration, jobType: String? = nil
        ) {
            self.processingType = processingType
            self.integration = integration
            self.jobType = jobType
        }
    }

    /// `DocumentationJobFacet` (1-1-0), key `documentation`.
    public struct Documentation: Sendable, Hashable {
        public static let schemaURL =
            "https://openlineage.io/spec/facets/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet"

        public var description: String
        /// MIME type of ``description``, e.g. `text/markdown`.
        public var contentType: String?

        public init(description: String, contentType: String? = nil) {
            self.description = description
            self.contentType = contentType
        }
    }

    /// `ErrorMessageRunFacet` (1-0-1), key `errorMessage`: why a run failed.
    public struct ErrorMessage: Sendable, Hashable {
        public static let schemaURL =
            "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet"

        public var message: String
        /// The language of the system that failed, `Swift` for the operator itself.
        public var programmingLanguage: String
        public var stackTrace: String?

        public init(message: String, programmingLanguage: String = "Swift", stackTrace: String? = nil) {
            self.message = message
            self.programmingLanguage = programmingLanguage
            self.stackTrace = stackTrace
        }
    }

    /// `ParentRunFacet` (1-2-0), key `parent`: the run (and job) this run belongs to,
    /// and optionally the root of that hierarchy.
    public struct Parent: Sendable, Hashable {
        /// A run of a job, named by ids.
        public struct RunReference: Sendable, Hashable {
            public var runID: UUID
            public var jobNamespace: String
            public var jobName: String

            public init(runID: UUID, jobNamespace: String, jobName: String) {
                self.runID = runID
                self.jobNamespace = jobNamespace
                self.jobName = jobName
            }
        }

        public static let schemaURL =
            "https://openlineage.io/spec/facets/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet"

        public var parent: RunReference
        public var root: RunReference?

        public init(runID: UUID, jobNamespace: String, jobName: String, root: RunReference? = nil) {
            self.parent = RunReference(runID: runID, jobNamespace: jobNamespace, jobName: jobName)
            self.root = root
        }
    }

    /// `SchemaDatasetFacet` (1-2-0), key `schema`: the dataset's fields.
    public struct Schema: Sendable, Hashable {
        /// One field; ``fields`` nests the fields of a struct.
        public struct Field: Sendable, Hashable {
            public var name: String
            /// e.g. `VARCHAR`, `INT`, `string`.
            public var type: String?
            public var description: String?
            /// 1-based position (`ordinal_position`).
            public var ordinalPosition: Int?
            public var fields: [Field]

            public init(
                name: String, type: String? = nil, description: String? = nil, ordinalPosition: Int? = nil,
                fields: [Field] = []
            ) {
                self.name = name
                self.type = type
                self.description = description
                self.ordinalPosition = ordinalPosition
                self.fields = fields
            }
        }

        public static let schemaURL =
            "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet"

        public var fields: [Field]

        public init(fields: [Field]) { self.fields = fields }
    }

    /// `DatasourceDatasetFacet` (1-0-1), key `dataSource`.
    public struct DataSource: Sendable, Hashable {
        public static let schemaURL =
            "https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet"

        public var name: String?
        /// A URI, e.g. `postgres://pg.trading.svc:5432`; never with credentials in it.
        public var uri: String?

        public init(name: String? = nil, uri: String? = nil) {
            self.name = name
            self.uri = uri
        }
    }

    /// `SymlinksDatasetFacet` (1-0-1), key `symlinks`: other identifiers of the dataset.
    public struct Symlinks: Sendable, Hashable {
        public struct Identifier: Sendable, Hashable {
            public var namespace: String
            public var name: String
            /// e.g. `TABLE`.
            public var type: String

            public init(namespace: String, name: String, type: String) {
                self.namespace = namespace
                self.name = name
                self.type = type
            }
        }

        public static let schemaURL =
            "https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json#/$defs/SymlinksDatasetFacet"

        public var identifiers: [Identifier]

        public init(identifiers: [Identifier]) { self.identifiers = identifiers }
    }

    /// `LifecycleStateChangeDatasetFacet` (1-0-1), key `lifecycleStateChange`.
    public struct LifecycleStateChange: Sendable, Hashable {
        public enum Change: String, Sendable, Hashable, CaseIterable {
            case alter = "ALTER"
            case create = "CREATE"
            case drop = "DROP"
            case overwrite = "OVERWRITE"
            case rename = "RENAME"
            case truncate = "TRUNCATE"
        }

        public static let schemaURL =
            "https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json#/$defs/LifecycleStateChangeDatasetFacet"

        public var change: Change
        /// The name before a ``Change/rename``.
        public var previousIdentifier: (namespace: String, name: String)?

        public init(_ change: Change, previousIdentifier: (namespace: String, name: String)? = nil) {
            self.change = change
            self.previousIdentifier = previousIdentifier
        }

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.change == rhs.change && lhs.previousIdentifier?.namespace == rhs.previousIdentifier?.namespace
                && lhs.previousIdentifier?.name == rhs.previousIdentifier?.name
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(change)
            hasher.combine(previousIdentifier?.namespace)
            hasher.combine(previousIdentifier?.name)
        }
    }

    /// `DatasetVersionDatasetFacet` (1-0-1), key `version`.
    public struct DatasetVersion: Sendable, Hashable {
        public static let schemaURL =
            "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet"

        /// e.g. a lakeFS commit id or a schema registry version.
        public var datasetVersion: String

        public init(_ datasetVersion: String) { self.datasetVersion = datasetVersion }
    }

    /// Any other facet: its schema URL and its fields as raw JSON. `_producer` and
    /// `_schemaURL` are added when the event is encoded (fields of those names are replaced).
    public struct Custom: Sendable, Hashable {
        public let schemaURL: String
        let fields: [String: JSONValue]

        /// - Parameter fieldsJSON: a JSON object, e.g. `{"contract": "orders-v3", "mode": "BACKWARD"}`.
        /// - Throws: ``LineageError/Kind/invalidEvent`` when `fieldsJSON` is not a JSON object.
        public init(schemaURL: String, fieldsJSON: String) throws(LineageError) {
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(fieldsJSON.utf8)),
                case .object(let fields) = value
            else {
                throw LineageError(
                    kind: .invalidEvent, operation: "building a custom facet for \(schemaURL)",
                    message: "the facet's fields are not a JSON object")
            }
            self.schemaURL = schemaURL
            self.fields = fields
        }

        /// The fields as compact JSON with sorted keys.
        public var fieldsJSON: String {
            String(decoding: (try? JSONValue.object(fields).encoded()) ?? Data("{}".utf8), as: UTF8.self)
        }
    }
}
