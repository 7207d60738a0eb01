import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Where the channel initializer leaves the connection's reply handler.
private final class HandlerSlot: Sendable {
    let handler = Mutex<NIOLoopBound<SMTPClientHandler>?>(nil)
}

/// One TCP (or TLS) connection to an SMTP server, and the request-reply steps of a conversation on
/// it. Every wait is bounded: the connect by its timeout, each reply by the reply timeout.
struct SMTPConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<SMTPClientHandler>
    private let replyTimeout: TimeAmount
    /// Whether the connection is encrypted (implicit TLS, or after STARTTLS).
    private(set) var isEncrypted: Bool

    /// Opens a connection; with `implicitTLS` the TLS handshake starts at once.
    static func connect(
        host: String, port: Int, implicitTLS: NIOSSLContext?, group: any EventLoopGroup,
        connectTimeout: TimeAmount, replyTimeout: TimeAmount
    ) async throws(SMTPError) -> SMTPConnection {
        let serverHostname = Self.serverHostname(host)
        // The handler is kept from the moment it is made: a server may fail the connection (and the
        // pipeline drop the handler) before `connect` returns, and its failure must not be lost.
        let slot = HandlerSlot()
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: implicitTLS, serverHostname: serverHostname))
                    }
                    let handler = SMTPClientHandler()
                    try channel.pipeline.syncOperations.addHandler(handler)
                    slot.handler.withLock { $0 = NIOLoopBound(handler, eventLoop: channel.eventLoop) }
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw Self.connectFailure(error, connectTimeout: connectTimeout)
        }
        guard let handler = slot.handler.withLock({ $0 }) else {
            channel.close(promise: nil)
            throw .connectionClosed
        }
        return SMTPConnection(channel: channel, handler: handler, replyTimeout: replyTimeout, isEncrypted: implicitTLS != nil)
    }

    private init(channel: any Channel, handler: NIOLoopBound<SMTPClientHandler>, replyTimeout: TimeAmount, isEncrypted: Bool) {
        self.channel = channel
        self.handler = handler
        self.replyTimeout = replyTimeout
        self.isEncrypted = isEncrypted
    }

    /// The next reply, or the failure of the connection, at `stage`.
    func reply(stage: String) async throws(SMTPError) -> SMTPReply {
        let handler = self.handler
        let timeout = replyTimeout
        let eventLoop = channel.eventLoop
        do {
            return try await eventLoop.flatSubmit { handler.value.nextReply(timeout: timeout, on: eventLoop) }.get()
        } catch {
            throw SMTPClientHandler.classify(error).at(stage)
        }
    }

    /// Sends one command line (CRLF is added) and returns the reply.
    func command(_ line: String, stage: String) async throws(SMTPError) -> SMTPReply {
        var bytes = ByteBuffer(string: line)
        bytes.writeStaticString("\r\n")
        try await write(bytes, stage: stage)
        return try await reply(stage: stage)
    }

    /// Writes raw bytes (the message in DATA), within the reply timeout: a server that stops
    /// reading cannot hold the write forever.
    func write(_ bytes: ByteBuffer, stage: String) async throws(SMTPError) {
        let handler = self.handler
        let timeout = replyTimeout
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            handler.value.timeOut("the server did not take the data within \(SMTPClientHandler.describe(timeout))")
        }
        defer { deadline.cancel() }
        do {
            try await channel.writeAndFlush(bytes)
        } catch {
            // A failed write says little ("closed"); why the connection failed (a TLS handshake
            // refused, garbage) is what the reply handler saw, and the next reply reports it.
            _ = try await reply(stage: stage)
            throw SMTPClientHandler.classify(error).at(stage)
        }
    }

    /// Starts TLS on this connection after the server's 220 to STARTTLS: the TLS handler goes in
    /// front of the reply parser, which must hold no leftover plain-text bytes.
    mutating func startTLS(context: NIOSSLContext, host: String) async throws(SMTPError) {
        let handler = self.handler
        let channel = self.channel
        let serverHostname = Self.serverHostname(host)
        do {
            try await channel.eventLoop.submit {
                try handler.value.checkNothingBuffered()
                try channel.pipeline.syncOperations.addHandler(
                    NIOSSLClientHandler(context: context, serverHostname: serverHostname), position: .first)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw SMTPClientHandler.classify(error).at("STARTTLS")
        }
        isEncrypted = true
    }

    /// Closes the connection (without waiting long for it).
    func close() async {
        try? await channel.close()
    }

    /// SNI takes a name, not an address: for an IP address, none is sent and the certificate is
    /// checked against the address itself.
    private static func serverHostname(_ host: String) -> String? {
        let isIPv4 = host.split(separator: ".", omittingEmptySubsequences: false).count == 4
            && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPv4 || host.contains(":") ? nil : host
    }

    private static func connectFailure(_ error: any Error, connectTimeout: TimeAmount) -> SMTPError {
        if let error = error as? ChannelError, case .connectTimeout = error {
            return .connectionFailed("no connection within \(SMTPClientHandler.describe(connectTimeout))")
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAAAAError != nil || error.dnsAError != nil, error.connectionErrors.isEmpty {
                return .connectionFailed("the host name does not resolve")
            }
            if let first = error.connectionErrors.first {
                return .connectionFailed("\(first.error)")
            }
        }
        return .connectionFailed("\(error)")
    }
}
