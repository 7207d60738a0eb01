import Synchronization

/// The race between a connection arriving and the deadline for waiting on it: whichever claims
/// the state first wins, so the deadline never interrupts work that has started.
final class ConnectionWaitDeadline: Sendable {
    private enum State {
        case waiting, started, expired
    }

    private let state = Mutex(State.waiting)

    init() {}

    /// Called with the connection in hand: true when the work may run (the deadline has not fired).
    func start() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return state == .started }
            state = .started
            return true
        }
    }

    /// Whether the work got its connection in time.
    var hasStarted: Bool { state.withLock { $0 == .started } }

    /// Whether the deadline passed before a connection came.
    var hasExpired: Bool { state.withLock { $0 == .expired } }

    /// Called when the deadline passes: true when the wait is over (no connection came in time).
    func expire() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return state == .expired }
            state = .expired
            return true
        }
    }
}
