import Foundation
import OpenLineage
import Testing

@Suite("UUIDv7 run ids are time-ordered")
struct UUIDv7Tests {
    @Test("version 7 and variant 10, with the creation millisecond in the first 48 bits")
    func layout() throws {
        let now = Date(timeIntervalSince1970: 1_740_824_130.123)
        let id = UUIDv7().make(now: now)
        let bytes = id.uuid
        #expect(bytes.6 >> 4 == 7)
        #expect(bytes.8 >> 6 == 0b10)
        let text = id.uuidString.lowercased()
        #expect(Array(text)[14] == "7")
        #expect(["8", "9", "a", "b"].contains(Array(text)[19]))
        // 1740824130123 ms = 0x019550…; the first 12 hex digits are the timestamp.
        #expect(
            text.replacingOccurrences(of: "-", with: "").prefix(12)
                == String(1_740_824_130_123, radix: 16).leftPadded(12))
        let stamp = try #require(UUIDv7.timestamp(of: id))
        #expect(abs(stamp.timeIntervalSince(now)) < 0.002)
        #expect(UUIDv7.timestamp(of: UUID()) == nil)
    }

    @Test("ids made one after another sort in creation order, as text and as bytes, even within a millisecond")
    func ordering() {
        let generator = UUIDv7()
        let ids = (0..<5_000).map { _ in generator.make() }
        let texts = ids.map { $0.uuidString.lowercased() }
        #expect(texts == texts.sorted())
        #expect(Set(texts).count == ids.count)
    }

    @Test("a clock that steps back does not break the order")
    func clockStepsBack() {
        let generator = UUIDv7()
        let later = generator.make(now: Date(timeIntervalSince1970: 4_000_000_000))
        let earlier = generator.make(now: Date(timeIntervalSince1970: 3_999_999_999))
        #expect(earlier.uuidString.lowercased() > later.uuidString.lowercased())
    }

    @Test("ids made later in time sort after earlier ones")
    func timeOrder() {
        let generator = UUIDv7()
        let first = generator.make(now: Date(timeIntervalSince1970: 5_000_000_000))
        let second = generator.make(now: Date(timeIntervalSince1970: 5_000_000_001))
        #expect(first.uuidString.lowercased() < second.uuidString.lowercased())
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
