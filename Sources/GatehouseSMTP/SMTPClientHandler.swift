import NIOCore
import NIOSSL

/// Frames the server's bytes into ``SMTPReply`` values and hands them to whoever waits for one,
/// each wait bounded by a timeout. Lives on the channel's event loop.
///
/// Hostile servers are bounded: a line longer than ``maximumLineLength``, a reply of more than
/// ``maximumLines`` lines, a line that is not `DDD[ -]text`, or more unrequested replies than
/// ``maximumQueuedReplies`` fail the connection with ``SMTPError/malformedReply``; a close or an
/// error fails every waiter. Once failed, it stays failed and the channel is closed.
final class SMTPClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    static let maximumLineLength = 4096
    static let maximumLines = 256
    static let maximumQueuedReplies = 8

    private struct Waiter {
        let promise: EventLoopPromise<SMTPReply>
        let timeout: Scheduled<Void>
    }

    private var buffer = ByteBuffer()
    private var partialCode: Int?
    private var partialLines: [String] = []
    private var replies = CircularBuffer<SMTPReply>()
    private var waiters = CircularBuffer<Waiter>()
    private var failure: SMTPError?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        fail(.connectionClosed)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        do {
            try parseLines()
        } catch {
            fail(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(Self.classify(error))
    }

    /// The next reply: one already received, or the next to arrive within `timeout`.
    func nextReply(timeout: TimeAmount, on eventLoop: any EventLoop) -> EventLoopFuture<SMTPReply> {
        if let failure { return eventLoop.makeFailedFuture(failure) }
        if let reply = replies.popFirst() { return eventLoop.makeSucceededFuture(reply) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let scheduled = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            fail(.timedOut("no reply within \(Self.describe(timeout))"))
        }
        waiters.append(Waiter(promise: promise, timeout: scheduled))
        return promise.futureResult
    }

    /// Fails the connection as timed out (a write the server did not take in time).
    func timeOut(_ detail: String) {
        fail(.timedOut(detail))
    }

    /// Before TLS starts on this connection: nothing may be left over from the plain-text part
    /// (a server or an attacker could otherwise inject replies that look as if they came through
    /// TLS, as in CVE-2011-0411).
    func checkNothingBuffered() throws(SMTPError) {
        if let failure { throw failure }
        guard buffer.readableBytes == 0, replies.isEmpty, partialCode == nil else {
            throw .malformedReply("data after the reply to STARTTLS")
        }
    }

    private func parseLines() throws(SMTPError) {
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readerIndex
            guard length < Self.maximumLineLength else { throw .malformedReply("a reply line is too long") }
            var line = buffer.readBytes(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            try take(line)
        }
        guard buffer.readableBytes < Self.maximumLineLength else { throw .malformedReply("a reply line is too long") }
        buffer.discardReadBytes()
    }

    private func take(_ line: [UInt8]) throws(SMTPError) {
        guard line.count >= 3, line.prefix(3).allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw .malformedReply("a line that is not an SMTP reply")
        }
        let code = line.prefix(3).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard (200..<600).contains(code) else { throw .malformedReply("a reply code out of range") }
        let separator = line.count > 3 ? line[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw .malformedReply("a line that is not an SMTP reply")
        }
        if let partialCode, partialCode != code { throw .malformedReply("a multi-line reply changes its code") }
        partialCode = code
        partialLines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
        guard partialLines.count <= Self.maximumLines else { throw .malformedReply("a reply has too many lines") }
        if separator == UInt8(ascii: " ") {
            let reply = SMTPReply(code: code, lines: partialLines)
            partialCode = nil
            partialLines = []
            if waiters.isEmpty {
                guard replies.count < Self.maximumQueuedReplies else { throw .malformedReply("replies nobody asked for") }
                replies.append(reply)
            } else {
                let waiter = waiters.removeFirst()
                waiter.timeout.cancel()
                waiter.promise.succeed(reply)
            }
        }
    }

    private func fail(_ error: SMTPError) {
        guard failure == nil else { return }
        failure = error
        replies.removeAll()
        while let waiter = waiters.popFirst() {
            waiter.timeout.cancel()
            waiter.promise.fail(error)
        }
        context?.close(promise: nil)
    }

    static func classify(_ error: any Error) -> SMTPError {
        if let error = error as? SMTPError { return error }
        if let error = error as? NIOSSLError, case .uncleanShutdown = error { return .connectionClosed }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return .tlsFailed("\(error)")
        }
        if let error = error as? ChannelError, error == .ioOnClosedChannel || error == .alreadyClosed || error == .eof {
            return .connectionClosed
        }
        return .connectionClosed("\(error)")
    }

    static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
