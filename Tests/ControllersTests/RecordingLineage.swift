import Controllers
import OpenLineage
import TestSupport

/// Keeps the lineage events the operator reports, in order, for assertions.
final class RecordingLineage: LineageSink {
    let events = Locked<[LineageEvent]>([])

    func emit(_ event: LineageEvent) async { events.withLock { $0.append(event) } }

    var reporter: LineageReporter { LineageReporter(sink: self, namespace: "hmco-test") }

    /// The events of one job, oldest first.
    func events(job: String) -> [LineageEvent] { events.value.filter { $0.job.name == job } }
}
