public import Foundation

/// A source of the current wall-clock time.
///
/// Everything in Gatehouse that stamps or expires something asks a `WallClock`, so tests can inject a
/// clock that only moves when told to (`GatehouseTesting`'s `ManualClock`) instead of sleeping.
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
