import NIOCore
import NIOPosix
import Synchronization

/// A fake SMTP server on 127.0.0.1 that answers from a script, for what a real server does not do:
/// never answer, close mid-conversation, send garbage or lines without end, inject replies after
/// STARTTLS. It records every line it received.
final class ScriptedSMTPServer: Sendable {
    /// What the server does after a line.
    enum Action: Sendable {
        /// Sends these bytes (write CRLFs yourself).
        case send(String)
        /// Closes the connection.
        case close
        /// Says nothing.
        case nothing
        /// Sends these bytes, then reads nothing more (the client's writes back up).
        case sendAndStopReading(String)
    }

    private let channel: any Channel
    private final class Recorder: Sendable {
        let lines = Mutex<[String]>([])
        let connections = Mutex(0)
    }

    private let recorder: Recorder
    let port: Int

    /// Starts a server that sends `greeting` (if any) on each connection and answers every line
    /// with `respond(line)`. Lines inside DATA are passed to `respond` too.
    init(greeting: String?, respond: @escaping @Sendable (String) -> Action) async throws {
        let recorder = Recorder()
        self.recorder = recorder
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                recorder.connections.withLock { $0 += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptHandler(greeting: greeting, respond: respond, record: { line in recorder.lines.withLock { $0.append(line) } }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
    }

    /// How many clients have connected.
    var connections: Int { recorder.connections.withLock { $0 } }

    /// Every line received so far (without CRLF).
    var lines: [String] { recorder.lines.withLock { $0 } }

    func stop() async {
        try? await channel.close()
    }

    /// The standard answers of a well-behaved server, for scripts that change one step.
    static func standard(_ line: String, ehlo: String = "250-fake.test\r\n250-8BITMIME\r\n250 HELP\r\n") -> Action {
        let upper = line.uppercased()
        if upper.hasPrefix("EHLO") { return .send(ehlo) }
        if upper.hasPrefix("HELO") { return .send("250 fake.test\r\n") }
        if upper.hasPrefix("MAIL FROM") || upper.hasPrefix("RCPT TO") { return .send("250 OK\r\n") }
        if upper == "DATA" { return .send("354 go ahead\r\n") }
        if line == "." { return .send("250 queued\r\n") }
        if upper == "QUIT" { return .send("221 bye\r\n") }
        return .nothing
    }
}

private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let greeting: String?
    let respond: @Sendable (String) -> ScriptedSMTPServer.Action
    let record: @Sendable (String) -> Void
    var buffer = ByteBuffer()

    init(greeting: String?, respond: @escaping @Sendable (String) -> ScriptedSMTPServer.Action, record: @escaping @Sendable (String) -> Void) {
        self.greeting = greeting
        self.respond = respond
        self.record = record
    }

    func channelActive(context: ChannelHandlerContext) {
        if let greeting { context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: greeting)), promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer.readString(length: newline - buffer.readerIndex)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            record(line)
            switch respond(line) {
            case .send(let text): context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
            case .close: context.close(promise: nil); return
            case .nothing: break
            case .sendAndStopReading(let text):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
                context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
                buffer.clear()
                return
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
