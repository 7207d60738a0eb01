import NIOCore
import Synchronization

/// The connections to the application, handed out fairly: a request waits for a free one (up to
/// a deadline) instead of failing, and no client address and no path may hold more than its share,
/// so that requests stuck on one slow route, or one client that does not read its downloads,
/// cannot starve the rest.
///
/// A slot is held from the request until its response body has been passed on (or abandoned):
/// a response being streamed keeps its upstream connection busy. Each event loop's HTTP client
/// has `perLoop` connections; a slot names the loop to use, so the client never queues a request
/// itself (AsyncHTTPClient's own queue fails waiting requests after the connect timeout).
///
/// Waiting requests are admitted in arrival order, except that one blocked only by its own
/// address's or path's share lets later ones go first.
final class UpstreamSlots: Sendable {
    /// The limits.
    struct Limits: Sendable, Hashable {
        /// Connections per event loop.
        var perLoop: Int
        /// The most one client address may hold at once.
        var perAddress: Int
        /// The most one path (decoded, without the query) may hold at once.
        var perPath: Int
    }

    /// A held slot: `loop` is the index of the event loop whose client to use. Released once,
    /// explicitly or when the last reference goes.
    final class Lease: Sendable {
        let loop: Int
        private let release: Mutex<(@Sendable () -> Void)?>

        init(loop: Int, release: @escaping @Sendable () -> Void) {
            self.loop = loop
            self.release = Mutex(release)
        }

        /// Gives the slot back (only the first call does anything).
        func end() {
            let action = release.withLock { action in
                defer { action = nil }
                return action
            }
            action?()
        }

        deinit { end() }
    }

    private struct Waiter {
        let id: UInt64
        let address: String
        let path: String
        let continuation: CheckedContinuation<Lease?, Never>
        var timer: WaitTimer.Scheduled?
    }

    private struct State {
        var inUse: [Int]
        var byAddress: [String: Int] = [:]
        var byPath: [String: Int] = [:]
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    let limits: Limits
    private let state: Mutex<State>

    init(loops: Int, limits: Limits) {
        self.limits = limits
        self.state = Mutex(State(inUse: Array(repeating: 0, count: max(1, loops))))
    }

    /// How many slots are held now (for tests and metrics).
    var held: Int { state.withLock { $0.inUse.reduce(0, +) } }
    /// How many requests are waiting now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// A slot for a request from `address` to `path`, or `nil` when none came free within
    /// `timeout` (measured by `timer`: an event loop's in `serve`, one whose time they move in
    /// tests) or the task was cancelled.
    ///
    /// A slot on loop `preferred` (the calling task's own event loop, when tasks run on the event
    /// loops) is taken when that loop has room, so that the upstream exchange stays on the thread the
    /// request is on; otherwise the least busy loop's.
    func acquire(address: String, path: String, timeout: TimeAmount, timer: WaitTimer, preferred: Int? = nil) async -> Lease? {
        if let lease = state.withLock({ Self.take(&$0, address: address, path: path, limits: limits, slots: self, preferred: preferred) }) {
            return lease
        }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Lease?, Never>) in
                let admitted: Lease?? = state.withLock { state in
                    // A slot may have come free since the first try.
                    if let lease = Self.take(&state, address: address, path: path, limits: limits, slots: self) { return .some(lease) }
                    // Cancelled before it could wait: the cancellation handler has run already (and
                    // found no waiter). Checked under the lock that handler takes, so a cancellation
                    // after this point finds the waiter.
                    if Task.isCancelled { return .some(nil) }
                    state.waiters.append(Waiter(id: id, address: address, path: path, continuation: continuation))
                    return nil
                }
                if let admitted { return continuation.resume(returning: admitted) }
                let scheduled = timer.schedule(timeout) { [self] in self.abandon(id) }
                let stillWaiting = state.withLock { state in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
                    state.waiters[index].timer = scheduled
                    return true
                }
                if !stillWaiting { scheduled.cancel() }
            }
        } onCancel: {
            self.abandon(id)
        }
    }

    /// Ends the wait of `id` without a slot (timeout or cancellation).
    private func abandon(_ id: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: nil)
    }

    /// Takes a slot if the limits allow it.
    private static func take(
        _ state: inout State, address: String, path: String, limits: Limits, slots: UpstreamSlots, preferred: Int? = nil
    ) -> Lease? {
        guard state.byAddress[address, default: 0] < limits.perAddress, state.byPath[path, default: 0] < limits.perPath else { return nil }
        let loop: Int
        if let preferred, state.inUse.indices.contains(preferred), state.inUse[preferred] < limits.perLoop {
            loop = preferred
        } else {
            // The least busy loop with room.
            guard let least = state.inUse.indices.min(by: { state.inUse[$0] < state.inUse[$1] }), state.inUse[least] < limits.perLoop else {
                return nil
            }
            loop = least
        }
        state.inUse[loop] += 1
        state.byAddress[address, default: 0] += 1
        state.byPath[path, default: 0] += 1
        return Lease(loop: loop) { [weak slots] in slots?.give(loop: loop, address: address, path: path) }
    }

    private func give(loop: Int, address: String, path: String) {
        var admitted: [(Waiter, Lease)] = []
        state.withLock { state in
            state.inUse[loop] -= 1
            Self.decrement(&state.byAddress, address)
            Self.decrement(&state.byPath, path)
            var index = 0
            while index < state.waiters.count {
                let waiter = state.waiters[index]
                if let lease = Self.take(&state, address: waiter.address, path: waiter.path, limits: limits, slots: self) {
                    state.waiters.remove(at: index)
                    admitted.append((waiter, lease))
                } else if state.inUse.allSatisfy({ $0 >= limits.perLoop }) {
                    break
                } else {
                    index += 1
                }
            }
        }
        for (waiter, lease) in admitted {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: lease)
        }
    }

    private static func decrement(_ counts: inout [String: Int], _ key: String) {
        let left = counts[key, default: 1] - 1
        counts[key] = left > 0 ? left : nil
    }
}
