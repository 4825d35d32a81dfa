import Foundation
import KubeAPI
import Testing

@testable import ControllerRuntime

@Suite("Finalizer steps")
struct FinalizerStepTests {
    static let finalizer = "data.hmco.io/finalizer"

    @Test(
        "the four cases of (has finalizer, is deleting)",
        arguments: [
            ([String](), false, FinalizerStep.addFinalizer),
            ([finalizer], false, .apply),
            ([finalizer, "other"], true, .cleanup),
            (["other"], true, .done),
        ])
    func step(finalizers: [String], deleting: Bool, expected: FinalizerStep) {
        var metadata = ObjectMeta(name: "a", namespace: "default")
        metadata.finalizers = finalizers
        if deleting { metadata.deletionTimestamp = .now() }
        #expect(FinalizerStep(metadata: metadata, finalizer: Self.finalizer) == expected)
    }

    @Test("patches are guarded by a test of the current list")
    func guardedPatches() {
        let first = Finalizers.addPatch(Self.finalizer, current: nil, resourceVersion: "42")
        #expect(first == [["op": "test", "path": "/metadata/resourceVersion", "value": "42"], ["op": "add", "path": "/metadata/finalizers", "value": ["data.hmco.io/finalizer"]]])
        let applied = try? JSONPatch(parsing: first.serialized()).apply(to: ["metadata": ["resourceVersion": "42"]])
        #expect(applied == ["metadata": ["resourceVersion": "42", "finalizers": ["data.hmco.io/finalizer"]]])
        let add = Finalizers.addPatch(Self.finalizer, current: ["other"], resourceVersion: "42")
        #expect(add == [["op": "test", "path": "/metadata/finalizers", "value": ["other"]], ["op": "add", "path": "/metadata/finalizers/-", "value": "data.hmco.io/finalizer"]])
        let remove = Finalizers.removePatch(Self.finalizer, current: ["other", Self.finalizer])
        #expect(remove == [["op": "test", "path": "/metadata/finalizers", "value": ["other", "data.hmco.io/finalizer"]], ["op": "replace", "path": "/metadata/finalizers", "value": ["other"]]])
        let patched = try? JSONPatch(parsing: remove.serialized()).apply(to: ["metadata": ["finalizers": ["other", "data.hmco.io/finalizer"]]])
        #expect(patched == ["metadata": ["finalizers": ["other"]]])
        let stale = try? JSONPatch(parsing: remove.serialized()).apply(to: ["metadata": ["finalizers": ["x"]]])
        #expect(stale == nil)
    }
}

@Suite("Conditions")
struct ConditionTests {
    @Test("lastTransitionTime changes only when the status flips")
    func transitionTime() {
        let t0 = Time(Date(timeIntervalSince1970: 1_000))
        let t1 = Time(Date(timeIntervalSince1970: 2_000))
        var conditions: [Condition] = []
        let changed1 = conditions.set(Condition(type: "Ready", status: .false, reason: "Progressing", observedGeneration: 1, lastTransitionTime: t0))
        #expect(changed1)
        let changed2 = conditions.set(Condition(type: "Ready", status: .false, reason: "Waiting", message: "m", observedGeneration: 2, lastTransitionTime: t1))
        #expect(changed2)
        #expect(conditions[type: "Ready"]?.lastTransitionTime == t0)
        #expect(conditions[type: "Ready"]?.observedGeneration == 2)
        let changed3 = conditions.set(Condition(type: "Ready", status: .true, reason: "Ready", observedGeneration: 2, lastTransitionTime: t1))
        #expect(changed3)
        #expect(conditions[type: "Ready"]?.lastTransitionTime == t1)
        let changed4 = conditions.set(Condition(type: "Ready", status: .true, reason: "Ready", observedGeneration: 2, lastTransitionTime: Time(Date())))
        #expect(!changed4)
        #expect(conditions.count == 1)
        #expect(conditions.isTrue("Ready"))
    }

    @Test("a condition round-trips through JSON exactly as the API server writes it")
    func wireFormat() throws {
        let json = #"{"lastTransitionTime":"2026-11-30T05:05:40Z","message":"","observedGeneration":3,"reason":"Ready","status":"True","type":"Ready"}"#
        let condition = try JSONCoding.decode(Condition.self, from: Data(json.utf8))
        #expect(String(decoding: try JSONCoding.encode(condition), as: UTF8.self) == json)
    }
}

@Suite("Metrics exposition")
struct MetricsTests {
    @Test("counters, gauges and histograms are written in Prometheus text format")
    func exposition() {
        let registry = MetricsRegistry()
        let total = registry.counter("controller_runtime_reconcile_total", help: "Total number of reconciliations per controller", labels: ["controller", "result"])
        total.labels("databranch", "success").increment()
        total.labels("databranch", "success").increment()
        total.labels("databranch", "error").initialise()
        registry.gauge("workqueue_depth", help: "Current depth of workqueue", labels: ["name"]).labels("databranch").set(3)
        let histogram = registry.histogram("work_seconds", help: "Work", buckets: [0.1, 1]).labels()
        histogram.observe(0.05)
        histogram.observe(0.5)
        let text = registry.exposition()
        #expect(text.contains("# TYPE controller_runtime_reconcile_total counter\n"))
        #expect(text.contains(#"controller_runtime_reconcile_total{controller="databranch",result="success"} 2"#))
        #expect(text.contains(#"controller_runtime_reconcile_total{controller="databranch",result="error"} 0"#))
        #expect(text.contains(#"workqueue_depth{name="databranch"} 3"#))
        #expect(text.contains(#"work_seconds_bucket{le="0.1"} 1"#))
        #expect(text.contains(#"work_seconds_bucket{le="1"} 2"#))
        #expect(text.contains(#"work_seconds_bucket{le="+Inf"} 2"#))
        #expect(text.contains("work_seconds_count 2"))
    }

    @Test("label values are escaped")
    func escaping() {
        let registry = MetricsRegistry()
        registry.counter("c", help: "h", labels: ["l"]).labels("a\"b\\c\nd").increment()
        #expect(registry.exposition().contains(#"c{l="a\"b\\c\nd"} 1"#))
    }
}

@Suite("Event notes")
struct EventNoteTests {
    @Test("notes longer than the API's 1 kB limit are cut at a character boundary")
    func truncation() {
        let long = String(repeating: "é", count: 800)
        let cut = EventRecorder.truncate(long, to: 1000)
        #expect(cut.utf8.count <= 1000)
        #expect(cut.hasSuffix("..."))
        #expect(EventRecorder.truncate("short", to: 1000) == "short")
    }
}

@Suite("Primary watch filter")
struct PrimaryWatchFilterTests {
    typealias Filter = Controller<ScriptedReconciler>

    func meta(_ version: String, generation: Int64? = 1, labels: [String: String]? = nil, finalizers: [String]? = nil) -> ObjectMeta {
        var meta = ObjectMeta(name: "a", namespace: "default", labels: labels)
        meta.resourceVersion = version
        meta.generation = generation
        meta.finalizers = finalizers
        return meta
    }

    @Test("a status-only change does not queue the object; spec, labels and finalizers do")
    func statusOnlyChangesAreSkipped() {
        #expect(!Filter.isRelevantChange(meta("1"), meta("2")))
        #expect(!Filter.isRelevantChange(meta("1"), meta("1")))
        #expect(Filter.isRelevantChange(meta("1"), meta("2", generation: 2)))
        #expect(Filter.isRelevantChange(meta("1"), meta("2", labels: ["a": "b"])))
        #expect(Filter.isRelevantChange(meta("1"), meta("2", finalizers: ["data.hmco.io/finalizer"])))
        #expect(Filter.isRelevantChange(meta("1", generation: nil), meta("2", generation: nil)))
    }
}
