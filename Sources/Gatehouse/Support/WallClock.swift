public import Foundation

/// A source of the current wall-clock time.
///
/// Everything in Gatehouse that stamps or expires something asks a `WallClock`, so tests can inject a
/// ``ManualClock`` instead of sleeping.
///
/// ```swift
/// let clock: any WallClock = SystemWallClock()
/// let joined = clock.now()
/// ```
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
///
/// ```swift
/// let manager = UserManager(store: store, hashers: hashers, clock: SystemWallClock())
/// ```
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}

    /// The current system time.
    public func now() -> Date { Date() }
}

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
