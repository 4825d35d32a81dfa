import Simulators
import Testing

@Suite("Fault injector")
struct FaultInjectorTests {
    @Test("with no rules every request goes through without delay")
    func quiet() {
        let faults = FaultInjector()
        #expect(faults.decide(operation: "any") == .init(latency: .zero, action: nil))
    }

    @Test("a next-N rule fires exactly N times for its operation only")
    func nextN() {
        let faults = FaultInjector()
        faults.failNext(2, with: .serviceUnavailable, operation: "merge")
        #expect(faults.decide(operation: "get").action == nil)
        #expect(faults.decide(operation: "merge").action == .fail(.serviceUnavailable))
        #expect(faults.decide(operation: "merge").action == .fail(.serviceUnavailable))
        #expect(faults.decide(operation: "merge").action == nil)
    }

    @Test("rules for an operation come before global rules and do not consume them")
    func precedence() {
        let faults = FaultInjector()
        faults.failNext(1, with: .internalServerError)
        faults.failNext(1, with: .tooManyRequests, operation: "merge")
        #expect(faults.decide(operation: "merge").action == .fail(.tooManyRequests))
        #expect(faults.decide(operation: "merge").action == .fail(.internalServerError))
        #expect(faults.decide(operation: "merge").action == nil)
    }

    @Test("a fraction fails about that share of requests, reproducibly for a seed")
    func fraction() {
        func failures(seed: UInt64) -> Int {
            let faults = FaultInjector(seed: seed)
            faults.fail(fraction: 0.3)
            return (0..<1000).filter { _ in faults.decide(operation: "x").action != nil }.count
        }
        let count = failures(seed: 7)
        #expect((220...380).contains(count))
        #expect(failures(seed: 7) == count)
    }

    @Test("exempt operations skip global latency and rules but keep their own")
    func exemption() {
        let faults = FaultInjector()
        faults.setLatency(.seconds(1))
        faults.fail(fraction: 1)
        faults.exempt("healthCheck")
        #expect(faults.decide(operation: "healthCheck") == .init(latency: .zero, action: nil))
        faults.hangNext(1, for: .seconds(5), operation: "healthCheck")
        #expect(faults.decide(operation: "healthCheck").action == .hang(.seconds(5)))
        #expect(faults.decide(operation: "other").latency == .seconds(1))
    }

    @Test("clearing one operation keeps the global rules")
    func clearOne() {
        let faults = FaultInjector()
        faults.failNext(5, operation: "a")
        faults.failNext(5)
        faults.clear(operation: "a")
        #expect(faults.decide(operation: "a").action == .fail(.internalServerError))
        faults.clear()
        #expect(faults.decide(operation: "a").action == nil)
    }
}
