/// Delivers email: to the log during development (``ConsoleEmailSender``), to an SMTP server in
/// production.
///
/// A sender either delivers the message or throws; it must not wait without bound (an SMTP server
/// that stops answering is a timeout error, not a hang).
public protocol EmailSender: Sendable {
    /// Delivers `message`, or throws why it could not.
    func send(_ message: EmailMessage) async throws
}
