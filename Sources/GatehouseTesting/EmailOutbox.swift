public import Gatehouse
import Synchronization

/// An ``Gatehouse/EmailSender`` that keeps every message instead of sending it, as Django's test
/// runner's `mail.outbox` does: tests read what would have been delivered.
///
/// ```swift
/// let outbox = EmailOutbox()
/// try await outbox.send(EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "Hi", body: "Hello"))
/// assert(outbox.messages.count == 1)
/// ```
public final class EmailOutbox: EmailSender {
    private let stored = Mutex<[EmailMessage]>([])

    /// Creates an empty outbox.
    public init() {}

    /// The messages sent so far, oldest first.
    public var messages: [EmailMessage] {
        stored.withLock { $0 }
    }

    /// Keeps `message`.
    public func send(_ message: EmailMessage) async throws {
        stored.withLock { $0.append(message) }
    }

    /// Forgets every message.
    public func removeAll() {
        stored.withLock { $0.removeAll() }
    }
}
