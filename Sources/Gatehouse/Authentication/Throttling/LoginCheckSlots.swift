import Synchronization

/// Per-client-address turns at the password hashing pool: at most ``concurrent`` checks of one
/// address run at once and at most ``waiting`` more wait, in arrival order; the rest are refused at
/// once. Other addresses are not held up by a busy one: a flood from one address occupies
/// ``concurrent`` of the pool's threads and queue places, never all of them.
///
/// ```swift
/// let slots = LoginCheckSlots(concurrent: 2, waiting: 16)
/// let result = try await slots.withSlot(address: "203.0.113.9") { try await authenticator.authenticate(credentials, request: facts) }
/// ```
package final class LoginCheckSlots: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, any Error>
    }

    private struct Entry {
        var running = 0
        var waiters: [Waiter] = []
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextID: UInt64 = 0
    }

    /// Checks one address may run at once; `0` means no limit.
    package let concurrent: Int
    /// Checks of one address that may wait for a turn.
    package let waiting: Int
    private let state = Mutex(State())

    /// Creates the slots.
    ///
    /// ```swift
    /// let slots = LoginCheckSlots(concurrent: 2, waiting: 16)
    /// ```
    package init(concurrent: Int, waiting: Int) {
        self.concurrent = max(0, concurrent)
        self.waiting = max(0, waiting)
    }

    /// Addresses with checks running or waiting (for tests and metrics).
    ///
    /// ```swift
    /// LoginCheckSlots(concurrent: 2, waiting: 16).busyAddresses   // 0 when idle
    /// ```
    package var busyAddresses: Int {
        state.withLock { $0.entries.count }
    }

    /// Checks of `address` running and waiting.
    func load(address: String) -> (running: Int, waiting: Int) {
        state.withLock { state in (state.entries[address]?.running ?? 0, state.entries[address]?.waiters.count ?? 0) }
    }

    /// Runs `body` once `address` has a free turn and returns its result; `nil` without running it
    /// when the address already has ``concurrent`` checks running and ``waiting`` waiting.
    ///
    /// - Throws: ``LoginThrottleError/cancelled`` when the task is cancelled while waiting, and
    ///   whatever `body` throws.
    package func withSlot<T>(address: String, _ body: () async throws -> T) async throws -> T? {
        guard concurrent > 0 else { return try await body() }
        let (admitted, id) = state.withLock { state -> (Bool, UInt64) in
            state.nextID += 1
            if state.entries[address, default: Entry()].running < concurrent {
                state.entries[address, default: Entry()].running += 1
                return (true, state.nextID)
            }
            return (false, state.nextID)
        }
        if !admitted {
            guard try await waitForTurn(address: address, id: id) else { return nil }
        }
        defer { release(address: address) }
        return try await body()
    }

    /// Waits until ``release(address:)`` hands this waiter the turn of a finished check (or a turn
    /// is free by the time it queues); `false` at once when ``waiting`` checks already wait.
    private func waitForTurn(address: String, id: UInt64) async throws -> Bool {
        enum Action { case run, refuse, cancel, wait }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
                    let action = state.withLock { state -> Action in
                        // The cancellation flag is set before the handler below runs, so one of the two sees it.
                        if Task.isCancelled { return .cancel }
                        var entry = state.entries[address] ?? Entry()
                        defer { state.entries[address] = entry }
                        if entry.running < concurrent {
                            entry.running += 1
                            return .run
                        }
                        guard entry.waiters.count < waiting else { return .refuse }
                        entry.waiters.append(Waiter(id: id, continuation: continuation))
                        return .wait
                    }
                    switch action {
                    case .run: continuation.resume(returning: true)
                    case .refuse: continuation.resume(returning: false)
                    case .cancel: continuation.resume(throwing: CancellationError())
                    case .wait: break
                    }
                }
            } onCancel: {
                let waiter = state.withLock { state -> Waiter? in
                    guard let index = state.entries[address]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.entries[address]?.waiters.remove(at: index)
                }
                waiter?.continuation.resume(throwing: CancellationError())
            }
        } catch {
            throw LoginThrottleError.cancelled
        }
    }

    /// Hands the turn to the first waiter of `address`, or frees it.
    private func release(address: String) {
        let next = state.withLock { state -> Waiter? in
            guard var entry = state.entries[address] else { return nil }
            if !entry.waiters.isEmpty {
                let waiter = entry.waiters.removeFirst()
                state.entries[address] = entry
                return waiter
            }
            entry.running -= 1
            state.entries[address] = entry.running > 0 ? entry : nil
            return nil
        }
        next?.continuation.resume(returning: true)
    }
}
