import Foundation
import HTTPTypes
public import NIOCore
public import NIOHTTPTypes

/// Closes a client connection that stays silent past one of its ``ConnectionTimeouts``: before a
/// request head, between two parts of a request body, between requests, or while the client does
/// not read the response. Added to each connection's pipeline after HTTP decoding (Hummingbird's
/// `additionalChannelHandlers`), so a head counts once it is complete: a client that trickles a
/// header a byte at a time is closed when the header deadline passes.
public final class ConnectionTimeoutsHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    private let timeouts: ConnectionTimeouts
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var deadline: NIODeadline?
    /// Requests whose head arrived and whose response has not ended.
    private var inProgress = 0
    private var readingBody = false
    /// The request asked for the connection to close (`Connection: …, close`); Hummingbird closes
    /// only on a header that is exactly `close`.
    private var closeAfterResponse = false
    /// The response ended before its upload did: the rest is read and discarded for a while (so
    /// the client, which may still be sending, sees the answer rather than a reset), then the
    /// connection closes, as nginx's lingering close does.
    private var lingering = false
    private var lingeredBytes = 0
    /// The most bytes discarded after an early response, and the longest silence while doing so.
    static let lingerBytes = 4 * 1024 * 1024
    static let lingerTimeout = TimeAmount.seconds(2)

    /// Creates the handler (one per connection).
    public init(timeouts: ConnectionTimeouts) {
        self.timeouts = timeouts
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, timeouts.header) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        arm(context, timeouts.header)
        context.fireChannelActive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if HeaderList.contains(head.headerFields[values: .connection], token: "close") { closeAfterResponse = true }
            inProgress += 1
            readingBody = true
            lingering = false
            arm(context, timeouts.body)
        case .body(let part):
            if lingering {
                lingeredBytes += part.readableBytes
                if lingeredBytes > Self.lingerBytes {
                    context.close(promise: nil)
                    return
                }
                arm(context, Self.lingerTimeout)
            } else {
                arm(context, timeouts.body)
            }
        case .end:
            readingBody = false
            disarm()
            if lingering {
                lingering = false
                if inProgress == 0 { arm(context, timeouts.idle) }
            } else if !context.channel.isWritable {
                arm(context, timeouts.send)
            }
        }
        context.fireChannelRead(data)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inProgress = max(0, inProgress - 1)
            // A response that ends before its request body did (a 302, 403 or 413 that did not read
            // the upload) lingers: at most ``lingerBytes`` more are read and discarded, with at
            // most ``lingerTimeout`` of silence, then the connection closes, instead of reading an
            // upload of any size.
            if inProgress == 0, readingBody, !closeAfterResponse {
                lingering = true
                lingeredBytes = 0
                arm(context, Self.lingerTimeout)
                context.write(data, promise: promise)
                return
            }
            // `Connection: close` closes once the response is written.
            if inProgress == 0, closeAfterResponse {
                let channel = context.channel
                let written = promise ?? context.eventLoop.makePromise()
                written.futureResult.whenComplete { _ in channel.close(promise: nil) }
                context.writeAndFlush(data, promise: written)
                return
            }
            if inProgress == 0, !readingBody { arm(context, timeouts.idle) }
        }
        context.write(data, promise: promise)
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            if !readingBody, inProgress > 0 { disarm() }
        } else if !readingBody {
            arm(context, timeouts.send)
        }
        context.fireChannelWritabilityChanged()
    }

    /// Sets the one deadline in force. The timer is rescheduled only when the new deadline is
    /// earlier than the one it is set for; a later one is found when the timer fires, which then
    /// waits for the rest. So the requests of a keep-alive connection arm and disarm it without
    /// scheduling anything on the event loop.
    private func arm(_ context: ChannelHandlerContext, _ timeout: TimeAmount) {
        let at = context.eventLoop.now + timeout
        deadline = at
        if let timerDeadline, timerDeadline <= at { return }
        schedule(context, at: at)
    }

    private func schedule(_ context: ChannelHandlerContext, at: NIODeadline) {
        timer?.cancel()
        timerDeadline = at
        let loop = context.eventLoop.assumeIsolatedUnsafeUnchecked()
        timer = loop.scheduleTask(deadline: at) { [self] in
            self.fire(context)
        }
    }

    private func fire(_ context: ChannelHandlerContext) {
        timer = nil
        timerDeadline = nil
        guard let deadline else { return }  // disarmed since
        if deadline <= context.eventLoop.now {
            self.deadline = nil
            context.channel.close(promise: nil)
        } else {
            schedule(context, at: deadline)
        }
    }

    /// No deadline until the next `arm` (the timer, if any, finds none and stops).
    private func disarm() {
        deadline = nil
    }

    private func cancelTimer() {
        deadline = nil
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}

@available(*, unavailable)
extension ConnectionTimeoutsHandler: Sendable {}
