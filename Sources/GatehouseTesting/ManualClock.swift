public import Foundation
public import Gatehouse

/// A clock that only moves when told to: for tests of expiry and timeouts.
///
/// ```swift
/// let clock = ManualClock(Date(timeIntervalSince1970: 1_700_000_000))
/// clock.advance(by: 3600)
/// ```
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// Creates a clock that reads `start` until it is moved.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        self.current = start
    }

    /// The clock's current time.
    public func now() -> Date {
        lock.withLock { current }
    }

    /// Moves the clock forward (or backward, with a negative interval).
    public func advance(by interval: TimeInterval) {
        lock.withLock { current += interval }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        lock.withLock { current = date }
    }
}
