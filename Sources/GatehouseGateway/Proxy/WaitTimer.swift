import NIOCore

/// What ends a wait for an upstream connection (``UpstreamSlots``): an event loop's timer in
/// `serve`; in tests, a clock that moves only when told to.
///
/// Tests do not use NIO's `NIOAsyncTestingEventLoop` for this: a cancel made off that loop fails
/// the task's promise through the loop, and one that lands after the loop's shutdown has begun is
/// dropped, which NIO's debug checks report as a leaked promise and stop the process for (a crash
/// after the tests had passed, in most runs of the suite alone).
struct WaitTimer: Sendable {
    /// A scheduled expiry; `cancel()` stops it if it has not fired yet.
    struct Scheduled: Sendable {
        let cancel: @Sendable () -> Void
    }

    private let scheduleBody: @Sendable (TimeAmount, @escaping @Sendable () -> Void) -> Scheduled

    /// Calls `expire` on `loop` once `timeout` has passed.
    init(_ loop: any EventLoop) {
        scheduleBody = { timeout, expire in
            let task = loop.scheduleTask(in: timeout, expire)
            return Scheduled { task.cancel() }
        }
    }

    /// A timer that `schedule` is handed to: for tests.
    init(_ schedule: @escaping @Sendable (TimeAmount, @escaping @Sendable () -> Void) -> Scheduled) {
        scheduleBody = schedule
    }

    /// Calls `expire` once `timeout` has passed, unless cancelled first.
    func schedule(_ timeout: TimeAmount, _ expire: @escaping @Sendable () -> Void) -> Scheduled {
        scheduleBody(timeout, expire)
    }
}
