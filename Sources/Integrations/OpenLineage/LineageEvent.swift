import Foundation

/// An OpenLineage RunEvent: something happened to a run of a job, reading some
/// datasets and writing others (`OpenLineage.json#/$defs/RunEvent`, spec 2-0-2).
///
/// `schemaURL` is fixed to the 2-0-2 RunEvent; `producer` defaults to the operator's
/// repository and also becomes every facet's `_producer`. ``encoded()`` gives the JSON.
///
/// ```swift
/// let event = LineageEvent(
///     eventType: .complete,
///     run: LineageRun(runID: runID),
///     job: LineageJob(
///         namespace: "hmco", name: "databranch.orders-dev.merge",
///         facets: LineageJobFacets(jobType: .init(processingType: .batch, jobType: "DATABRANCH_MERGE"))),
///     inputs: [LineageDataset(namespace: "lakefs://lakefs:8000", name: "orders/dev")],
///     outputs: [LineageDataset(namespace: "lakefs://lakefs:8000", name: "orders/main")])
/// ```
public struct LineageEvent: Sendable, Hashable {
    /// The transition of the run; nil leaves `eventType` out (the spec allows it).
    public var eventType: LineageEventType?
    /// When it happened; written ISO-8601 in UTC with milliseconds (`2025-03-01T10:15:30.123Z`).
    public var eventTime: Date
    public var run: LineageRun
    public var job: LineageJob
    public var inputs: [LineageDataset]
    public var outputs: [LineageDataset]
    /// URI of the emitting code, also each facet's `_producer`.
    public var producer: String

    /// The JSON Schema of this event: ``OpenLineageSpec/runEventSchemaURL``.
    public var schemaURL: String { OpenLineageSpec.runEventSchemaURL }

    public init(
        eventType: LineageEventType?, eventTime: Date = Date(), run: LineageRun = LineageRun(), job: LineageJob,
        inputs: [LineageDataset] = [], outputs: [LineageDataset] = [],
        producer: String = OpenLineageSpec.defaultProducer
    ) {
        self.eventType = eventType
        self.eventTime = eventTime
        self.run = run
        self.job = job
        self.inputs = inputs
        self.outputs = outputs
        self.producer = producer
    }

    /// Says which event this is without its contents (which may name internal
    /// hosts): `COMPLETE event of job hmco/databranch.merge (run 0190…)`.
    public var summary: String {
        "\(eventType?.rawValue ?? "untyped") event of job \(job.namespace)/\(job.name) (run \(run.runID.uuidString.lowercased()))"
    }
}

/// `eventType` of a RunEvent. A run has one START and one of COMPLETE, ABORT or
/// FAIL; RUNNING and OTHER add information in between or afterwards.
public enum LineageEventType: String, Sendable, Hashable, CaseIterable {
    case start = "START"
    case running = "RUNNING"
    case complete = "COMPLETE"
    case abort = "ABORT"
    case fail = "FAIL"
    case other = "OTHER"
}

/// `run`: one execution of a job.
public struct LineageRun: Sendable, Hashable {
    /// `runId`; every event of one run carries the same id. Written lower-case.
    public var runID: UUID
    public var facets: LineageRunFacets

    /// - Parameter runID: a new time-ordered ``UUIDv7`` unless given.
    public init(runID: UUID = UUIDv7.next(), facets: LineageRunFacets = LineageRunFacets()) {
        self.runID = runID
        self.facets = facets
    }
}

/// `job`: what runs, named within a namespace (for the operator: its own namespace,
/// and the kind, object and action, e.g. `databranch.orders-dev.merge`).
public struct LineageJob: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var facets: LineageJobFacets

    public init(namespace: String, name: String, facets: LineageJobFacets = LineageJobFacets()) {
        self.namespace = namespace
        self.name = name
        self.facets = facets
    }
}

/// An input or output dataset. `namespace` names the data source
/// (`postgres://host:5432`, `s3://bucket`, `kafka://broker:9092`), `name` the object
/// within it (`db.schema.table`, a path, a topic).
public struct LineageDataset: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var facets: LineageDatasetFacets

    public init(namespace: String, name: String, facets: LineageDatasetFacets = LineageDatasetFacets()) {
        self.namespace = namespace
        self.name = name
        self.facets = facets
    }
}

/// The facets of a run, written under `run.facets`.
public struct LineageRunFacets: Sendable, Hashable {
    /// `errorMessage`, on FAIL events.
    public var errorMessage: LineageFacet.ErrorMessage?
    /// `parent`: the run that caused this one.
    public var parent: LineageFacet.Parent?
    /// Other facets by key; a typed facet above wins over a custom one of the same key.
    public var custom: [String: LineageFacet.Custom]

    public init(
        errorMessage: LineageFacet.ErrorMessage? = nil, parent: LineageFacet.Parent? = nil,
        custom: [String: LineageFacet.Custom] = [:]
    ) {
        self.errorMessage = errorMessage
        self.parent = parent
        self.custom = custom
    }
}

/// The facets of a job, written under `job.facets`.
public struct LineageJobFacets: Sendable, Hashable {
    /// `jobType`.
    public var jobType: LineageFacet.JobType?
    /// `documentation`.
    public var documentation: LineageFacet.Documentation?
    /// Other facets by key; a typed facet above wins over a custom one of the same key.
    public var custom: [String: LineageFacet.Custom]

    public init(
        jobType: LineageFacet.JobType? = nil, documentation: LineageFacet.Documentation? = nil,
        custom: [String: LineageFacet.Custom] = [:]
    ) {
        self.jobType = jobType
        self.documentation = documentation
        self.custom = custom
    }
}

/// The facets of a dataset, written under `facets` of an input or output.
public struct LineageDatasetFacets: Sendable, Hashable {
    /// `schema`: the fields.
    public var schema: LineageFacet.Schema?
    /// `dataSource`: where the dataset lives.
    public var dataSource: LineageFacet.DataSource?
    /// `symlinks`: other names of the same dataset.
    public var symlinks: LineageFacet.Symlinks?
    /// `lifecycleStateChange`: created, dropped, overwritten, …
    public var lifecycleStateChange: LineageFacet.LifecycleStateChange?
    /// `version`: e.g. a lakeFS commit id or a schema registry version.
    public var version: LineageFacet.DatasetVersion?
    /// Other facets by key; a typed facet above wins over a custom one of the same key.
    public var custom: [String: LineageFacet.Custom]

    public init(
        schema: LineageFacet.Schema? = nil, dataSource: LineageFacet.DataSource? = nil,
        symlinks: LineageFacet.Symlinks? = nil, lifecycleStateChange: LineageFacet.LifecycleStateChange? = nil,
        version: LineageFacet.DatasetVersion? = nil, custom: [String: LineageFacet.Custom] = [:]
    ) {
        self.schema = schema
        self.dataSource = dataSource
        self.symlinks = symlinks
        self.lifecycleStateChange = lifecycleStateChange
        self.version = version
        self.custom = custom
    }
}
