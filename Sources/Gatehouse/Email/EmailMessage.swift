/// One plain-text email: what Gatehouse sends (a password reset link) and what an
/// ``EmailSender`` delivers.
public struct EmailMessage: Sendable, Equatable {
    /// The sender's address (Django's `DEFAULT_FROM_EMAIL`; `webmaster@localhost` unless configured).
    public var from: String
    /// The recipients' addresses.
    public var to: [String]
    /// The subject line: one line, no line breaks.
    public var subject: String
    /// The plain-text body.
    public var body: String

    /// Creates a message.
    public init(from: String, to: [String], subject: String, body: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
    }
}
