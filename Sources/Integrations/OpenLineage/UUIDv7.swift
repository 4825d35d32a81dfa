import Foundation
import Synchronization

/// Time-ordered UUIDs (RFC 9562 §5.7), for OpenLineage run ids: the first 48 bits
/// are the Unix time in milliseconds, so runs sort by creation time as text and as bytes.
///
/// Guarantees: version 7 and variant `10`; within this process every id is greater
/// than the one before, even within one millisecond (a 12-bit counter in `rand_a`,
/// RFC 9562 method 1, seeded randomly each millisecond) and even when the wall clock
/// steps back (the last timestamp is kept until the clock passes it).
/// Caveats: ids from different generators (or processes) are ordered only by their
/// millisecond. The order holds per generator: ``next(now:)`` uses ``shared``.
public final class UUIDv7: Sendable {
    private struct State {
        var lastMilliseconds: UInt64 = 0
        var counter: UInt16 = 0
    }

    /// The process-wide generator behind ``next(now:)``.
    public static let shared = UUIDv7()

    private let state = Mutex(State())

    /// A generator with its own ordering (tests use one to feed it arbitrary clocks).
    public init() {}

    /// A new id for `now` from the ``shared`` generator.
    public static func next(now: Date = Date()) -> UUID { shared.make(now: now) }

    /// A new id for `now`, greater than every id this generator made before.
    public func make(now: Date = Date()) -> UUID {
        let wall = UInt64(max(0, (now.timeIntervalSince1970 * 1000).rounded(.down)))
        let (milliseconds, counter) = state.withLock { state -> (UInt64, UInt16) in
            if wall > state.lastMilliseconds {
                state.lastMilliseconds = wall
                // Seeded in the lower half so that many ids fit in the same millisecond.
                state.counter = UInt16.random(in: 0..<0x800)
            } else if state.counter < 0xFFF {
                state.counter += 1
            } else {
                // Counter exhausted: borrow the next millisecond.
                state.lastMilliseconds += 1
                state.counter = 0
            }
            return (state.lastMilliseconds & 0xFFFF_FFFF_FFFF, state.counter)
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> UInt64(40 - 8 * index)) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        var random = SystemRandomNumberGenerator()
        for index in 8..<16 { bytes[index] = random.next() }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// The creation time of a version 7 id, to the millisecond; nil for other versions.
    public static func timestamp(of id: UUID) -> Date? {
        let bytes = id.uuid
        guard bytes.6 >> 4 == 7 else { return nil }
        let milliseconds = [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5].reduce(UInt64(0)) {
            $0 << 8 | UInt64($1)
        }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
