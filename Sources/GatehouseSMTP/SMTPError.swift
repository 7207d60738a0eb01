/// Why an ``SMTPEmailSender`` could not deliver a message, or why an SMTP configuration or an
/// ``EmailURL`` was refused.
///
/// A description names the kind of failure, the step of the conversation it happened at
/// (``stage``: `connect`, `greeting`, `EHLO`, `STARTTLS`, `TLS`, `AUTH`, `MAIL FROM`, `RCPT TO`,
/// `DATA`, `message`) and the server's reply code (``replyCode``), never the text of the server's
/// reply, the message's body or a credential, so errors are safe to log. Two errors are equal when
/// they are of the same kind.
///
/// ```swift
/// func deliver(_ message: EmailMessage, with sender: SMTPEmailSender) async {
///     do {
///         try await sender.send(message)
///     } catch let error as SMTPError where error == .rejected {
///         print("the server refused at \(error.stage ?? "?") with \(error.replyCode ?? 0)")
///     } catch {
///         print("not sent: \(error)")
///     }
/// }
/// ```
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case connectionFailed
        case timedOut
        case connectionClosed
        case rejected
        case unexpectedReply
        case malformedReply
        case tlsFailed
        case tlsUnavailable
        case authenticationUnavailable
        case insecureAuthentication
        case invalidMessage
        case invalidConfiguration
    }

    private let base: Base
    /// What exactly went wrong, for the log (internal: tests read which timeout fired).
    let detail: String
    /// The step of the conversation that failed (`connect`, `greeting`, `EHLO`, `HELO`, `STARTTLS`,
    /// `TLS`, `AUTH`, `MAIL FROM`, `RCPT TO`, `DATA`, `message`), when known.
    public let stage: String?
    /// The server's reply code (for example 550), when the failure is a reply.
    public let replyCode: Int?

    private init(_ base: Base, _ detail: String = "", stage: String? = nil, replyCode: Int? = nil) {
        self.base = base
        self.detail = detail
        self.stage = stage
        self.replyCode = replyCode
    }

    /// The TCP connection to the server could not be made: refused, unreachable, a name that does
    /// not resolve, or the connect timeout passed.
    public static let connectionFailed = SMTPError(.connectionFailed)
    /// The server did not answer within the reply timeout (``SMTPConfiguration/replyTimeout``).
    public static let timedOut = SMTPError(.timedOut)
    /// The server closed the connection before the conversation ended.
    public static let connectionClosed = SMTPError(.connectionClosed)
    /// The server answered with a 4xx (transient) or 5xx (permanent) reply; ``replyCode`` has it.
    public static let rejected = SMTPError(.rejected)
    /// The server answered with a success or intermediate code where SMTP expects another one.
    public static let unexpectedReply = SMTPError(.unexpectedReply)
    /// The server sent something that is not an SMTP reply (garbage, a line too long, too many
    /// lines, data where none was expected).
    public static let malformedReply = SMTPError(.malformedReply)
    /// The TLS handshake failed: an untrusted or expired certificate, a name that does not match,
    /// or no protocol in common.
    public static let tlsFailed = SMTPError(.tlsFailed)
    /// STARTTLS was required (``SMTPSecurity/startTLS``) but the server does not offer it.
    public static let tlsUnavailable = SMTPError(.tlsUnavailable)
    /// Credentials are configured but the server offers neither AUTH PLAIN nor AUTH LOGIN.
    public static let authenticationUnavailable = SMTPError(.authenticationUnavailable)
    /// Credentials would have crossed a connection without TLS, and
    /// ``SMTPConfiguration/allowsInsecureAuthentication`` is off: nothing was sent.
    public static let insecureAuthentication = SMTPError(.insecureAuthentication)
    /// The message cannot be sent as it is: no recipient, or an address or subject with a line
    /// break or another character SMTP cannot carry (header injection is refused, never encoded
    /// around).
    public static let invalidMessage = SMTPError(.invalidMessage)
    /// The configuration or URL cannot work: an empty host, a port out of range, an unknown URL
    /// scheme or parameter.
    public static let invalidConfiguration = SMTPError(.invalidConfiguration)

    static func connectionFailed(_ detail: String) -> SMTPError { SMTPError(.connectionFailed, detail, stage: "connect") }
    static func connectionClosed(_ detail: String) -> SMTPError { SMTPError(.connectionClosed, detail) }
    static func timedOut(_ detail: String) -> SMTPError { SMTPError(.timedOut, detail) }
    static func malformedReply(_ detail: String) -> SMTPError { SMTPError(.malformedReply, detail) }
    static func tlsFailed(_ detail: String) -> SMTPError { SMTPError(.tlsFailed, detail, stage: "TLS") }
    static func invalidMessage(_ detail: String) -> SMTPError { SMTPError(.invalidMessage, detail) }
    static func invalidConfiguration(_ detail: String) -> SMTPError { SMTPError(.invalidConfiguration, detail) }
    static func reply(_ code: Int, stage: String) -> SMTPError {
        SMTPError((400..<600).contains(code) ? .rejected : .unexpectedReply, stage: stage, replyCode: code)
    }
    static func failure(_ kind: SMTPError, at stage: String, _ detail: String = "") -> SMTPError {
        SMTPError(kind.base, detail, stage: stage)
    }

    /// The same error, at `stage` unless it already names one.
    func at(_ stage: String) -> SMTPError {
        self.stage == nil ? SMTPError(base, detail, stage: stage, replyCode: replyCode) : self
    }

    /// Whether a later attempt may succeed: a 4xx reply, a timeout, a refused or closed connection.
    public var isTransient: Bool {
        switch base {
        case .rejected: (400..<500).contains(replyCode ?? 0)
        case .timedOut, .connectionFailed, .connectionClosed: true
        default: false
        }
    }

    /// Equal when the kinds match.
    public static func == (lhs: SMTPError, rhs: SMTPError) -> Bool {
        lhs.base == rhs.base
    }

    /// Hashes the kind only, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(base)
    }

    /// One line: the kind, the stage and the reply code; never a reply's text, the body or a
    /// credential.
    public var description: String {
        var text: String
        switch base {
        case .connectionFailed: text = "could not connect to the SMTP server"
        case .timedOut: text = "the SMTP server did not answer in time"
        case .connectionClosed: text = "the SMTP server closed the connection"
        case .rejected: text = "the SMTP server refused"
        case .unexpectedReply: text = "the SMTP server sent an unexpected reply"
        case .malformedReply: text = "the SMTP server sent a malformed reply"
        case .tlsFailed: text = "the TLS handshake with the SMTP server failed"
        case .tlsUnavailable: text = "the SMTP server does not offer STARTTLS"
        case .authenticationUnavailable: text = "the SMTP server offers no authentication Gatehouse supports (PLAIN, LOGIN)"
        case .insecureAuthentication:
            text = "credentials would be sent without TLS (use STARTTLS or implicit TLS, or allow insecure authentication)"
        case .invalidMessage: text = "the message cannot be sent"
        case .invalidConfiguration: text = "invalid email settings"
        }
        if let stage { text += " at \(stage)" }
        if let replyCode { text += " (\(replyCode))" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
