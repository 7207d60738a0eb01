import NIOCore
import Synchronization

/// The change listener's proof that its connection still delivers: its own notification, sent
/// every ``interval``, must come back within three intervals of the last one that did. Silence
/// is found at a beat, so at the first beat more than three intervals after the last echo: up to
/// four intervals after it.
///
/// Time comes from `now` (``SessionChangeListener``'s clock: the monotonic one in `serve`; tests
/// pass one they move), so the rule is tested without waiting for it.
final class ListenerHeartbeat: Sendable {
    /// What the listener does at a beat.
    enum Beat: Equatable {
        /// Send notification number `n`.
        case ping(UInt64)
        /// Nothing came back for more than three intervals: the connection is not to be trusted.
        case silent
    }

    let interval: TimeAmount
    private let now: @Sendable () -> NIODeadline
    private let state: Mutex<(lastEcho: NIODeadline, beats: UInt64)>

    init(interval: TimeAmount, now: @escaping @Sendable () -> NIODeadline) {
        self.interval = interval
        self.now = now
        self.state = Mutex((lastEcho: now(), beats: 0))
    }

    /// One of the listener's own notifications came back.
    func heard() {
        let instant = now()
        state.withLock { $0.lastEcho = instant }
    }

    /// The beat's verdict: the next ping, or silence.
    func beat() -> Beat {
        let instant = now()
        return state.withLock { state in
            if instant - state.lastEcho > interval * 3 { return .silent }
            state.beats += 1
            return .ping(state.beats)
        }
    }
}
