public import Gatehouse
public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
import Synchronization

/// Delivers email to an SMTP server (RFC 5321), over SwiftNIO: the ``Gatehouse/EmailSender`` for
/// production.
///
/// Each message opens its own connection and closes it after QUIT: EHLO (HELO for an old server),
/// STARTTLS when configured, AUTH PLAIN (or LOGIN) when credentials are configured, `MAIL FROM`,
/// `RCPT TO` for every recipient, DATA, QUIT. Any refusal (a 4xx or 5xx reply) is an
/// ``SMTPError`` that names the step and the code; a server that does not answer fails after
/// ``SMTPConfiguration/replyTimeout``, a server that does not accept the connection after
/// ``SMTPConfiguration/connectTimeout``. Nothing is retried: a caller that wants retries (a queue)
/// makes them, ``SMTPError/isTransient`` tells when they may help.
///
/// What it logs: one `info` line per message sent (server, Message-ID, number of recipients),
/// `debug` lines for the steps (the command names only). Never the body (it carries password reset
/// links), the subject, the credentials, or the server's reply text.
///
/// ```swift
/// var configuration = SMTPConfiguration(host: "smtp.example.com", security: .startTLS)
/// configuration.credentials = SMTPCredentials(username: "gatehouse", password: "app password")
/// let sender = SMTPEmailSender(configuration: configuration)
/// try await sender.send(EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "Hello", body: "Hi Alice"))
/// ```
public struct SMTPEmailSender: EmailSender {
    /// The server and how to reach it.
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let clock: any WallClock
    private let logger: Logger
    private let tlsContext: TLSContextCache

    /// Creates a sender; connections run on `eventLoopGroup` (NIO's shared group by default).
    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "gatehouse.email.smtp")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.clock = clock
        self.logger = logger
        self.tlsContext = TLSContextCache(configuration: configuration.tlsConfiguration)
    }

    /// Sends `message` in a conversation of its own, or throws ``SMTPError`` (or `CancellationError`
    /// when the task is cancelled).
    public func send(_ message: EmailMessage) async throws {
        try configuration.validate()
        let configuration = self.configuration
        if configuration.credentials != nil, configuration.security == .plain, !configuration.allowsInsecureAuthentication {
            throw SMTPError.insecureAuthentication
        }
        // Refuse a message that cannot be sent before connecting; 8BITMIME is decided later.
        _ = try SMTPMessageFormatter().render(message, eightBitMIME: true)
        let tls = configuration.security == .plain ? nil : try tlsContext.context()
        var logger = self.logger
        logger[metadataKey: "smtp.server"] = "\(configuration.host):\(configuration.port)"

        let connection = try await SMTPConnection.connect(
            host: configuration.host, port: configuration.port,
            implicitTLS: configuration.security == .tls ? tls : nil,
            group: eventLoopGroup,
            connectTimeout: TimeAmount(configuration.connectTimeout),
            replyTimeout: TimeAmount(configuration.replyTimeout)
        )
        let channel = connection.channel
        do {
            try await withTaskCancellationHandler {
                try await converse(connection, message: message, tls: tls, logger: logger)
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            await connection.close()
            try Task.checkCancellation()
            logger.debug("not sent", metadata: ["error": "\(error)"])
            throw error
        }
        await connection.close()
    }

    private func converse(_ connection: SMTPConnection, message: EmailMessage, tls: NIOSSLContext?, logger: Logger) async throws {
        var connection = connection
        try expect(try await connection.reply(stage: "greeting"), 220, stage: "greeting")
        logger.debug("connected", metadata: ["smtp.security": "\(configuration.security)"])
        var extensions = try await hello(connection, allowHELO: configuration.security != .startTLS)

        if configuration.security == .startTLS, let tls {
            guard extensions["STARTTLS"] != nil else { throw SMTPError.failure(.tlsUnavailable, at: "EHLO") }
            try expect(try await connection.command("STARTTLS", stage: "STARTTLS"), 220, stage: "STARTTLS")
            try await connection.startTLS(context: tls, host: configuration.host)
            // RFC 3207: forget what was learnt before TLS and ask again.
            extensions = try await hello(connection, allowHELO: false)
            logger.debug("STARTTLS done")
        }

        if let credentials = configuration.credentials {
            guard connection.isEncrypted || configuration.allowsInsecureAuthentication else { throw SMTPError.insecureAuthentication }
            try await authenticate(connection, credentials: credentials, mechanisms: extensions["AUTH"])
            logger.debug("authenticated")
        }

        let rendered = try SMTPMessageFormatter().render(
            message, eightBitMIME: extensions["8BITMIME"] != nil, date: clock.now())
        let body = rendered.eightBit ? " BODY=8BITMIME" : ""
        try expect(try await connection.command("MAIL FROM:<\(rendered.sender)>\(body)", stage: "MAIL FROM"), 250, stage: "MAIL FROM")
        for recipient in rendered.recipients {
            let reply = try await connection.command("RCPT TO:<\(recipient)>", stage: "RCPT TO")
            guard reply.code == 250 || reply.code == 251 else { throw SMTPError.reply(reply.code, stage: "RCPT TO") }
        }
        try expect(try await connection.command("DATA", stage: "DATA"), 354, stage: "DATA")
        try await connection.write(ByteBuffer(bytes: rendered.data), stage: "message")
        try expect(try await connection.reply(stage: "message"), 250, stage: "message")
        logger.info(
            "email sent",
            metadata: ["smtp.message_id": "\(rendered.messageID)", "smtp.recipients": "\(rendered.recipients.count)"]
        )
        // The message is accepted: a failed QUIT changes nothing.
        _ = try? await connection.command("QUIT", stage: "QUIT")
    }

    /// EHLO, or HELO when the server does not know EHLO (and that is allowed); the extensions.
    private func hello(_ connection: SMTPConnection, allowHELO: Bool) async throws -> [String: [String]] {
        let reply = try await connection.command("EHLO \(configuration.ehloName)", stage: "EHLO")
        if reply.isPositive { return reply.extensions }
        guard allowHELO, reply.code >= 500, configuration.credentials == nil else {
            throw SMTPError.reply(reply.code, stage: "EHLO")
        }
        try expect(try await connection.command("HELO \(configuration.ehloName)", stage: "HELO"), 250, stage: "HELO")
        return [:]
    }

    /// AUTH PLAIN (RFC 4616) when offered, else AUTH LOGIN. The credentials go base64-encoded on
    /// the wire and nowhere else.
    private func authenticate(_ connection: SMTPConnection, credentials: SMTPCredentials, mechanisms: [String]?) async throws {
        let offered = Set(mechanisms ?? [])
        if offered.contains("PLAIN") {
            let token = Base64.encode([0] + Array(credentials.username.utf8) + [0] + Array(credentials.password.utf8))
            try expect(try await connection.command("AUTH PLAIN \(token)", stage: "AUTH"), 235, stage: "AUTH")
        } else if offered.contains("LOGIN") {
            try expect(try await connection.command("AUTH LOGIN", stage: "AUTH"), 334, stage: "AUTH")
            try expect(try await connection.command(Base64.encode(Array(credentials.username.utf8)), stage: "AUTH"), 334, stage: "AUTH")
            try expect(try await connection.command(Base64.encode(Array(credentials.password.utf8)), stage: "AUTH"), 235, stage: "AUTH")
        } else {
            throw SMTPError.authenticationUnavailable
        }
    }

    private func expect(_ reply: SMTPReply, _ code: Int, stage: String) throws(SMTPError) {
        guard reply.code == code else { throw SMTPError.reply(reply.code, stage: stage) }
    }
}

/// The NIOSSLContext of a sender, made once (loading the trust roots is not free) on first use.
private final class TLSContextCache: Sendable {
    private let configuration: TLSConfiguration
    private let cached = Mutex<NIOSSLContext?>(nil)

    init(configuration: TLSConfiguration) {
        self.configuration = configuration
    }

    func context() throws -> NIOSSLContext {
        try cached.withLock { cached in
            if let cached { return cached }
            do {
                let context = try NIOSSLContext(configuration: configuration)
                cached = context
                return context
            } catch {
                throw SMTPError.invalidConfiguration("the TLS configuration cannot be used: \(error)")
            }
        }
    }
}
