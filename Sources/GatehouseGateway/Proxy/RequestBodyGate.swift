import Synchronization

/// Keeps the client's request body read by one reader at a time.
///
/// The body is read from the connection's one iterator: first by AsyncHTTPClient, streaming it to
/// the application, then, once the response is written, by Hummingbird, which drains what is left
/// before the next request. When the exchange ends early (504, 502, an application that answers
/// before reading the body), AsyncHTTPClient's writer may still be waiting for the client's next
/// bytes, and Hummingbird's drain would be a second concurrent reader: a fatal error in SwiftNIO,
/// which took the process down (a client only had to stall its upload on a public path). So the
/// proxy closes the gate and waits for a read in progress to finish before it hands the
/// connection back; once closed, the body ends for AsyncHTTPClient.
final class RequestBodyGate: Sendable {
    private struct State {
        var reading = false
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Starts a read; `false` once the gate is closed (the body then ends).
    func beginRead() -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.reading = true
            return true
        }
    }

    /// Ends a read, waking a ``closeAndWait()`` that waits for it.
    func endRead() {
        let waiters = state.withLock { state in
            state.reading = false
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Closes the gate and returns once no read is in progress. A stalled client holds this until
    /// it sends more, closes, or the connection's body timeout closes it.
    func closeAndWait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                state.closed = true
                if state.reading {
                    state.waiters.append(continuation)
                    return false
                }
                return true
            }
            if now { continuation.resume() }
        }
    }
}
