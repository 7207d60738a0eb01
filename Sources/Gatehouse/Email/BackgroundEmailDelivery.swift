package import Foundation
package import Logging
import Synchronization

/// Sends account email off the request path: each message goes to its sender in a task of its own,
/// at most ``limit`` at once, each given at most ``timeout``. A request that asked for the message
/// never waits for it and answers the same whether it was sent, refused or failed; a failure is
/// logged with the recipient's user id, never the message (it holds a reset link).
///
/// A message beyond ``limit`` is dropped and logged: a flood of reset requests with a slow email
/// server cannot pile up tasks without bound.
package final class BackgroundEmailDelivery: Sendable {
    /// How many messages may be waiting for their sender at once.
    package let limit: Int
    /// How long one send may take before it is abandoned.
    package let timeout: Duration

    private struct State {
        var running: [Int: Task<Void, Never>] = [:]
        var nextID = 0
        /// When a message was last started for each key that asked for a minimum interval.
        var lastStarted: [String: Date] = [:]
    }

    private let state = Mutex(State())

    /// Creates the delivery.
    package init(limit: Int = 64, timeout: Duration = .seconds(60)) {
        self.limit = limit
        self.timeout = timeout
    }

    /// Starts sending `message` through `sender` and returns at once; `false` when it was dropped
    /// because ``limit`` messages are already on their way. `about` names the message in log lines
    /// (no secret); any text of `redacting` is removed from a logged error.
    ///
    /// With a `key` (such as the recipient's user id), a message is also dropped when another with
    /// the same key was started less than `minimumInterval` seconds before `now`: one request cannot
    /// be repeated into a flood of mail to one inbox.
    @discardableResult
    package func deliver(
        _ message: EmailMessage, via sender: any EmailSender, logger: Logger, about: String, redacting secrets: [String] = [],
        key: String? = nil, now: Date = Date(), minimumInterval: TimeInterval = 0
    ) -> Bool {
        let timeout = self.timeout
        enum Refusal { case tooSoon, tooMany }
        // Decided under the lock; logged after it (a log line may wait on its output, and every
        // delivery and every finished send needs this lock).
        let refusal = state.withLock { state -> Refusal? in
            if let key, minimumInterval > 0 {
                if let last = state.lastStarted[key], now.timeIntervalSince(last) < minimumInterval, now >= last {
                    return .tooSoon
                }
                if state.lastStarted.count >= 10_000 {
                    state.lastStarted = state.lastStarted.filter { now.timeIntervalSince($0.value) < minimumInterval }
                }
            }
            guard state.running.count < limit else { return .tooMany }
            if let key, minimumInterval > 0 { state.lastStarted[key] = now }
            let id = state.nextID
            state.nextID += 1
            state.running[id] = Task { [weak self] in
                await Self.send(message, via: sender, timeout: timeout, logger: logger, about: about, redacting: secrets)
                self?.finished(id)
            }
            return nil
        }
        switch refusal {
        case nil:
            return true
        case .tooSoon:
            logger.notice(
                "email not sent: one went to the same recipient less than \(Int(minimumInterval)) s ago", metadata: ["email": "\(about)"]
            )
            return false
        case .tooMany:
            logger.error("email not sent: too many messages on their way already", metadata: ["email": "\(about)"])
            return false
        }
    }

    private func finished(_ id: Int) {
        _ = state.withLock { $0.running.removeValue(forKey: id) }
    }

    /// Waits until every message started so far has been sent or has failed.
    package func waitUntilIdle() async {
        while true {
            let running = state.withLock { Array($0.running.values) }
            guard !running.isEmpty else { return }
            for task in running { await task.value }
        }
    }

    private static func send(
        _ message: EmailMessage, via sender: any EmailSender, timeout: Duration, logger: Logger, about: String, redacting secrets: [String]
    ) async {
        // The send is abandoned (cancelled, no longer waited for) after `timeout`, even if the sender
        // ignores cancellation.
        let once = ResumeOnce()
        let outcome: String? = await withCheckedContinuation { continuation in
            once.set(continuation)
            let work = Task {
                do {
                    try await sender.send(message)
                    once.resume(nil)
                } catch {
                    once.resume("\(error)")
                }
            }
            once.setTimer(
                Task {
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled else { return }
                    work.cancel()
                    once.resume("no answer within \(timeout)")
                }
            )
        }
        guard var reason = outcome else { return }
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            reason = reason.replacingOccurrences(of: secret, with: "<redacted>")
        }
        logger.error("email could not be sent", metadata: ["email": "\(about)", "error": "\(reason)"])
    }
}

/// A continuation resumed by whichever of the send and its timer ends first.
private final class ResumeOnce: Sendable {
    private struct State {
        var continuation: CheckedContinuation<String?, Never>?
        var timer: Task<Void, Never>?
        var done = false
    }

    private let state = Mutex(State())

    func set(_ continuation: CheckedContinuation<String?, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func setTimer(_ timer: Task<Void, Never>) {
        let cancel = state.withLock { state -> Bool in
            state.timer = timer
            return state.done
        }
        if cancel { timer.cancel() }
    }

    func resume(_ value: String?) {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<String?, Never>?, Task<Void, Never>?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            defer { state.continuation = nil }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume(returning: value)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
