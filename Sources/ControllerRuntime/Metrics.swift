import Foundation
import Synchronization

/// A Prometheus registry: counters, gauges and histograms with labels, written
/// in the text exposition format. Series are created on first use and can be
/// initialised at start (as controller-runtime does) so dashboards see zeros.
public final class MetricsRegistry: Sendable {
    fileprivate enum Kind: String { case counter, gauge, histogram }

    fileprivate struct Family {
        var name: String
        var help: String
        var kind: Kind
        var labelNames: [String]
        var buckets: [Double]
        var series: [[String]: SeriesValue] = [:]
    }

    fileprivate struct SeriesValue {
        var value: Double = 0
        var bucketCounts: [UInt64] = []
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private let families = Mutex<[String: Family]>([:])

    public init() {}

    /// Registers (or returns) a counter family.
    public func counter(_ name: String, help: String, labels: [String] = []) -> CounterFamily {
        register(name, help: help, kind: .counter, labels: labels, buckets: [])
        return CounterFamily(registry: self, name: name)
    }

    /// Registers (or returns) a gauge family.
    public func gauge(_ name: String, help: String, labels: [String] = []) -> GaugeFamily {
        register(name, help: help, kind: .gauge, labels: labels, buckets: [])
        return GaugeFamily(registry: self, name: name)
    }

    /// Registers (or returns) a histogram family.
    public func histogram(_ name: String, help: String, labels: [String] = [], buckets: [Double]) -> HistogramFamily {
        register(name, help: help, kind: .histogram, labels: labels, buckets: buckets.sorted())
        return HistogramFamily(registry: self, name: name)
    }

    private func register(_ name: String, help: String, kind: Kind, labels: [String], buckets: [Double]) {
        families.withLock { families in
            if families[name] == nil {
                families[name] = Family(name: name, help: help, kind: kind, labelNames: labels, buckets: buckets)
            }
        }
    }

    fileprivate func update(_ name: String, labels: [String], _ body: (inout SeriesValue, [Double]) -> Void) {
        families.withLock { families in
            guard var family = families[name] else { return }
            var value = family.series[labels] ?? SeriesValue(bucketCounts: Array(repeating: 0, count: family.buckets.count))
            body(&value, family.buckets)
            family.series[labels] = value
            families[name] = family
        }
    }

    fileprivate func read(_ name: String, labels: [String]) -> SeriesValue? {
        families.withLock { $0[name]?.series[labels] }
    }

    /// The registry in Prometheus text format 0.0.4.
    public func exposition() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for family in snapshot.values.sorted(by: { $0.name < $1.name }) {
            out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.kind.rawValue)\n"
            for (labels, value) in family.series.sorted(by: { $0.key.joined(separator: "\u{0}") < $1.key.joined(separator: "\u{0}") }) {
                let pairs = zip(family.labelNames, labels).map { "\($0)=\"\(escape($1))\"" }
                switch family.kind {
                case .counter, .gauge:
                    out += "\(family.name)\(render(pairs)) \(format(value.value))\n"
                case .histogram:
                    for (index, bound) in family.buckets.enumerated() {
                        out += "\(family.name)_bucket\(render(pairs + ["le=\"\(format(bound))\""])) \(value.bucketCounts[index])\n"
                    }
                    out += "\(family.name)_bucket\(render(pairs + ["le=\"+Inf\""])) \(value.count)\n"
                    out += "\(family.name)_sum\(render(pairs)) \(format(value.sum))\n"
                    out += "\(family.name)_count\(render(pairs)) \(value.count)\n"
                }
            }
        }
        return out
    }

    private func render(_ pairs: [String]) -> String { pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}" }

    private func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// A counter family; `labels(...)` picks one series.
public struct CounterFamily: Sendable {
    let registry: MetricsRegistry
    let name: String

    public func labels(_ values: String...) -> Counter { Counter(registry: registry, name: name, labels: values) }
}

/// One counter series.
public struct Counter: Sendable {
    let registry: MetricsRegistry
    let name: String
    let labels: [String]

    public func increment(by amount: Double = 1) { registry.update(name, labels: labels) { value, _ in value.value += amount } }
    /// Creates the series at zero without counting.
    public func initialise() { registry.update(name, labels: labels) { _, _ in } }
    public var value: Double { registry.read(name, labels: labels)?.value ?? 0 }
}

/// A gauge family.
public struct GaugeFamily: Sendable {
    let registry: MetricsRegistry
    let name: String

    public func labels(_ values: String...) -> Gauge { Gauge(registry: registry, name: name, labels: values) }
}

/// One gauge series.
public struct Gauge: Sendable {
    let registry: MetricsRegistry
    let name: String
    let labels: [String]

    public func set(_ newValue: Double) { registry.update(name, labels: labels) { value, _ in value.value = newValue } }
    public func add(_ amount: Double) { registry.update(name, labels: labels) { value, _ in value.value += amount } }
    public var value: Double { registry.read(name, labels: labels)?.value ?? 0 }
}

/// A histogram family.
public struct HistogramFamily: Sendable {
    let registry: MetricsRegistry
    let name: String

    public func labels(_ values: String...) -> Histogram { Histogram(registry: registry, name: name, labels: values) }
}

/// One histogram series.
public struct Histogram: Sendable {
    let registry: MetricsRegistry
    let name: String
    let labels: [String]

    public func observe(_ sample: Double) {
        registry.update(name, labels: labels) { value, buckets in
            for (index, bound) in buckets.enumerated() where sample <= bound { value.bucketCounts[index] += 1 }
            value.sum += sample
            value.count += 1
        }
    }

    public func observe(_ duration: Duration) {
        observe(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    public func initialise() { registry.update(name, labels: labels) { _, _ in } }
    public var count: UInt64 { registry.read(name, labels: labels)?.count ?? 0 }
}

/// The metrics of one work queue, named as client-go names them.
public struct WorkQueueMetrics: Sendable {
    public let depth: Gauge
    public let adds: Counter
    public let retries: Counter
    public let queueDuration: Histogram
    public let workDuration: Histogram

    public init(registry: MetricsRegistry, name: String) {
        let buckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10]
        depth = registry.gauge("workqueue_depth", help: "Current depth of workqueue", labels: ["name", "controller"])
            .labels(name, name)
        adds = registry.counter("workqueue_adds_total", help: "Total number of adds handled by workqueue", labels: ["name", "controller"])
            .labels(name, name)
        retries = registry.counter(
            "workqueue_retries_total", help: "Total number of retries handled by workqueue", labels: ["name", "controller"]
        ).labels(name, name)
        queueDuration = registry.histogram(
            "workqueue_queue_duration_seconds", help: "How long in seconds an item stays in workqueue before being requested",
            labels: ["name", "controller"], buckets: buckets
        ).labels(name, name)
        workDuration = registry.histogram(
            "workqueue_work_duration_seconds", help: "How long in seconds processing an item from workqueue takes",
            labels: ["name", "controller"], buckets: buckets
        ).labels(name, name)
        depth.set(0)
        adds.initialise()
        retries.initialise()
        queueDuration.initialise()
        workDuration.initialise()
    }
}
