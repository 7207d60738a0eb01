public import Logging

/// Writes each message to the log instead of sending it, as Django's console email backend does:
/// the default, so that a development server shows its password reset links without an SMTP server.
///
/// The message (and the link in it) is logged at `info`: do not use it in production, where the
/// link is a secret that lets anyone who reads the log set the user's password.
public struct ConsoleEmailSender: EmailSender {
    private let logger: Logger

    /// Creates a sender that logs to `logger`.
    public init(logger: Logger = Logger(label: "gatehouse.email")) {
        self.logger = logger
    }

    /// Logs the message: its headers as metadata and its body in the message text.
    public func send(_ message: EmailMessage) async throws {
        logger.info(
            "email (console: not sent)\n\(message.body)",
            metadata: [
                "from": "\(message.from)",
                "to": "\(message.to.joined(separator: ", "))",
                "subject": "\(message.subject)",
            ]
        )
    }
}
