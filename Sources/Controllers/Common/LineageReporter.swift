import Crypto
import Foundation
import OpenLineage
import PlatformAPI

/// Where lineage events go: in production a queue in front of the lineage
/// backend that never blocks a reconcile; in tests a recorder.
public protocol LineageSink: Sendable {
    /// Hands the event over; returns at once and never fails the caller.
    func emit(_ event: LineageEvent) async
}

/// Reports what the operator did as OpenLineage run events: one job per object
/// and action, `<kind>/<namespace>/<name>[.<action>]` in the configured job
/// namespace, with the datasets the action read and wrote.
///
/// Guarantees: reporting never throws and never waits for the lineage backend;
/// without a sink (no lineage backend configured) it does nothing.
public struct LineageReporter: Sendable {
    let sink: (any LineageSink)?
    /// The OpenLineage job namespace, e.g. `hmco`.
    public let namespace: String
    /// `producer` of every event: this operator's source.
    public let producer: String

    public init(sink: (any LineageSink)?, namespace: String = "hmco", producer: String = LineageReporter.defaultProducer) {
        self.sink = sink
        self.namespace = namespace
        self.producer = producer
    }

    /// A reporter that reports nothing.
    public static let disabled = LineageReporter(sink: nil)
    public static let defaultProducer = "https://github.com/hmco/hmco-operator"

    /// The job name of an object's action, e.g. `databranch/data/curated-dev.merge`.
    public static func jobName(_ object: some PlatformResource, action: String?) -> String {
        let base = "\(type(of: object).kind.lowercased())/\(object.namespace ?? "default")/\(object.name)"
        return action.map { "\(base).\($0)" } ?? base
    }

    /// A run id that is the same for the same object and key (e.g. a configuration
    /// hash), so a streaming job's START, RUNNING and FAIL share one run.
    public static func stableRunID(_ object: some PlatformResource, key: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("\(object.metadata.uid ?? object.key)/\(key)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8: custom (RFC 9562)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// Reports one run event of `object`'s `action`.
    public func report(
        _ type: LineageEventType, object: some PlatformResource, action: String?, jobType: String,
        processing: LineageFacet.JobType.ProcessingType = .batch, inputs: [LineageDataset] = [],
        outputs: [LineageDataset] = [], error: String? = nil, runID: UUID? = nil
    ) async {
        guard let sink else { return }
        let event = LineageEvent(
            eventType: type,
            run: LineageRun(
                runID: runID ?? UUIDv7.next(),
                facets: LineageRunFacets(errorMessage: error.map { LineageFacet.ErrorMessage(message: $0) })),
            job: LineageJob(
                namespace: namespace, name: Self.jobName(object, action: action),
                facets: LineageJobFacets(jobType: LineageFacet.JobType(processingType: processing, jobType: jobType))),
            inputs: inputs, outputs: outputs, producer: producer)
        await sink.emit(event)
    }
}

/// Dataset names as OpenLineage's naming conventions spell them.
public enum LineageDatasets {
    /// `scheme://host:port` of a URL, without credentials, path or query.
    public static func authority(_ url: String, scheme: String? = nil, defaultPort: Int? = nil) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        let port = components.port ?? defaultPort
        return "\(scheme ?? components.scheme ?? "http")://\(host)\(port.map { ":\($0)" } ?? "")"
    }

    /// A lakeFS branch at a commit: namespace `lakefs://host:port`, name `<repository>/<branch>`.
    public static func lakeFS(
        url: String, repository: String, branch: String, commit: String? = nil,
        change: LineageFacet.LifecycleStateChange.Change? = nil
    ) -> LineageDataset {
        LineageDataset(
            namespace: authority(url, scheme: "lakefs"), name: "\(repository)/\(branch)",
            facets: LineageDatasetFacets(
                lifecycleStateChange: change.map { LineageFacet.LifecycleStateChange($0) },
                version: commit.map { LineageFacet.DatasetVersion($0) }))
    }
}

extension LineageEmitter: LineageSink {}
