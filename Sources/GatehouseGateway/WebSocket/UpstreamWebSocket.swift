import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The application's side of a relayed WebSocket: a connection on which the application answered
/// the handshake with 101, framed by NIO, and the headers of that answer.
struct UpstreamWebSocket: Sendable {
    let channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>
    /// The application's 101 headers (its `Sec-WebSocket-Protocol` choice is passed on).
    let responseHeaders: HTTPHeaders

    /// Why the application's side could not be opened.
    enum Failure: Error {
        /// No connection, or it closed during the handshake.
        case unreachable
        /// The handshake took longer than the timeout.
        case timedOut
        /// The application answered something other than 101.
        case refused
    }

    private enum Handshake: Sendable {
        case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, HTTPHeaders)
        case refused
    }

    private struct Pending: Sendable {
        let channel: any Channel
        let handshake: EventLoopFuture<Handshake>
    }

    /// Connects to `host:port` and sends the handshake for `uri` with `headers` (which must not
    /// carry the `Sec-WebSocket-*` key, version or extensions: the upgrader sets its own key, and no
    /// extension is negotiated), all within `timeout`.
    static func open(
        host: String,
        port: Int,
        uri: String,
        headers: HTTPHeaders,
        maximumFrameSize: Int,
        timeout: TimeAmount,
        group: any EventLoopGroup
    ) async throws(Failure) -> UpstreamWebSocket {
        let start = NIODeadline.now()
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers)
        head.headers.replaceOrAdd(name: "Host", value: port == 80 ? host : "\(host):\(port)")
        let requestHead = head
        let pending: Pending
        do {
            pending = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let upgrader = NIOTypedWebSocketClientUpgrader<Handshake>(
                            maxFrameSize: maximumFrameSize,
                            enableAutomaticErrorHandling: true,
                            upgradePipelineHandler: { channel, response in
                                channel.eventLoop.makeCompletedFuture {
                                    let framed = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                                        wrappingChannelSynchronously: channel,
                                        configuration: .init(isOutboundHalfClosureEnabled: false)
                                    )
                                    return Handshake.upgraded(framed, response.headers)
                                }
                            }
                        )
                        var configuration = NIOUpgradableHTTPClientPipelineConfiguration<Handshake>(
                            upgradeConfiguration: .init(
                                upgradeRequestHead: requestHead,
                                upgraders: [upgrader],
                                notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(.refused) }
                            )
                        )
                        // Frames the application sends right behind its 101 arrive in the same read.
                        configuration.leftOverBytesStrategy = .forwardBytes
                        let handshake = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
                        return Pending(channel: channel, handshake: handshake)
                    }
                }
        } catch {
            throw NIODeadline.now() - start >= timeout ? Failure.timedOut : Failure.unreachable
        }
        // The whole handshake, not only the connection, within the timeout.
        let channel = pending.channel
        let timer = channel.eventLoop.scheduleTask(deadline: start + timeout) { channel.close(promise: nil) }
        defer { timer.cancel() }
        let result: Handshake
        do {
            result = try await pending.handshake.get()
        } catch {
            channel.close(promise: nil)
            throw NIODeadline.now() - start >= timeout ? Failure.timedOut : Failure.unreachable
        }
        switch result {
        case .upgraded(let framed, let headers):
            return UpstreamWebSocket(channel: framed, responseHeaders: headers)
        case .refused:
            channel.close(promise: nil)
            throw .refused
        }
    }

    /// Closes the connection without relaying anything (the client's upgrade did not happen).
    func abandon() {
        channel.channel.close(promise: nil)
    }
}
