import Foundation
import IntegrationSupport
import OpenLineage
import Simulators
import TestSupport

/// Re-serializes JSON with sorted keys so two documents compare by content.
/// Bodies are checked as generic JSON, never through the client's own types.
func canonicalJSON(_ data: Data?) -> String? {
    guard let data, let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
        let canonical = try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    else { return nil }
    return String(decoding: canonical, as: UTF8.self)
}

func canonicalJSON(_ text: String) -> String? { canonicalJSON(Data(text.utf8)) }

/// A JSON document as nested Foundation values, for reading single fields.
func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}

/// Follows `path` (`run.facets.errorMessage.message`; `inputs.0.name`) into a document.
func value(_ document: Any?, _ path: String) -> Any? {
    var current = document
    for part in path.split(separator: ".") {
        if let index = Int(part), let array = current as? [Any] {
            current = array.indices.contains(index) ? array[index] : nil
        } else {
            current = (current as? [String: Any])?[String(part)]
        }
    }
    return current
}

/// A recorded backend answer.
func response(_ status: Int, _ body: String = "", headers: [(name: String, value: String)] = []) -> BackendResponse {
    let contentType = body.isEmpty ? [] : [(name: "Content-Type", value: "application/json")]
    return BackendResponse(status: status, headers: contentType + headers, body: Data(body.utf8))
}

/// Runs `body` and returns the ``LineageError`` it threw; nil when it threw none or another.
func lineageError(_ body: () async throws -> Void) async -> LineageError? {
    do {
        try await body()
        return nil
    } catch let error as LineageError {
        return error
    } catch {
        return nil
    }
}

/// Events for the tests: a job of the operator with one input and one output.
enum Fixture {
    static let namespace = "hmco"
    static let lakeFS = "lakefs://lakefs.data.svc:8000"

    static func event(
        _ type: LineageEventType = .complete, job: String = "databranch.orders-dev.merge", run: UUID = UUIDv7.next(),
        at time: Date = Date()
    ) -> LineageEvent {
        LineageEvent(
            eventType: type, eventTime: time, run: LineageRun(runID: run),
            job: LineageJob(
                namespace: namespace, name: job,
                facets: LineageJobFacets(jobType: .init(processingType: .batch, jobType: "DATABRANCH_MERGE"))),
            inputs: [LineageDataset(namespace: lakeFS, name: "orders/dev")],
            outputs: [LineageDataset(namespace: lakeFS, name: "orders/main")])
    }

    /// An event Marquez refuses: the job has no name.
    static func invalidEvent() -> LineageEvent {
        var event = event()
        event.job.name = ""
        return event
    }
}

/// Runs `body` with a fresh simulator and stops it afterwards.
func withSimulator(
    _ configuration: OpenLineageSimulator.Configuration = .init(),
    _ body: (OpenLineageSimulator, URL) async throws -> Void
) async throws {
    let simulator = OpenLineageSimulator(configuration: configuration)
    let url = try await simulator.start()
    do {
        try await body(simulator, url)
    } catch {
        await simulator.stop()
        throw error
    }
    await simulator.stop()
}

/// A client that records the events it gets and answers from a script, for the
/// emitter's tests that need no HTTP.
final class ScriptedClient: LineageClient {
    private let state = Locked<(answers: [(any Error & Sendable)?], received: [LineageEvent])>(([], []))

    /// Answers for the next calls, in order: nil accepts, an error is thrown.
    init(_ answers: [(any Error & Sendable)?] = []) {
        state.withLock { $0.answers = answers }
    }

    func send(_ event: LineageEvent) async throws {
        let answer = state.withLock { state -> (any Error & Sendable)? in
            state.received.append(event)
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
        if let answer { throw answer }
    }

    var received: [LineageEvent] { state.withLock { $0.received } }
}
