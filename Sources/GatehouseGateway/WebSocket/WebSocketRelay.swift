import Logging
import NIOCore
import NIOWebSocket

/// Passes frames between the client's socket and the application's, as they come: data,
/// continuation, ping, pong and close frames alike, so the two ends run their own close handshake
/// and keep-alive. Frames from the client are unmasked and masked again with a fresh key toward the
/// application (a client must mask, a server must not). A message larger than the limit, counted
/// over its frames, or a frame with reserved bits (no extension is negotiated) closes both sides
/// with a close frame; when either connection ends, the other is closed.
enum WebSocketRelay {
    static func run(
        client: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>,
        upstream: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>,
        maximumMessageSize: Int,
        logger: Logger
    ) async {
        do {
            try await client.executeThenClose { clientInbound, clientOutbound in
                try await upstream.executeThenClose { upstreamInbound, upstreamOutbound in
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            await pump(
                                from: clientInbound, to: upstreamOutbound, back: clientOutbound, towardServer: true,
                                limit: maximumMessageSize, logger: logger
                            )
                        }
                        group.addTask {
                            await pump(
                                from: upstreamInbound, to: clientOutbound, back: upstreamOutbound, towardServer: false,
                                limit: maximumMessageSize, logger: logger
                            )
                        }
                        // Either side ended: the other is closed with it.
                        _ = await group.next()
                        group.cancelAll()
                    }
                }
            }
        } catch {
            logger.debug("websocket relay ended", metadata: ["error_type": .string("\(type(of: error))")])
        }
    }

    /// Copies frames from `inbound` to `outbound` until `inbound` ends, a close frame has passed, or
    /// a limit is broken (then a close frame goes both ways).
    private static func pump(
        from inbound: NIOAsyncChannelInboundStream<WebSocketFrame>,
        to outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        back: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        towardServer: Bool,
        limit: Int,
        logger: Logger
    ) async {
        var messageSize = 0
        do {
            for try await frame in inbound {
                let data = frame.unmaskedData
                if frame.rsv1 || frame.rsv2 || frame.rsv3 {
                    try? await closeBoth(code: .protocolError, outbound: outbound, back: back, towardServer: towardServer)
                    return
                }
                switch frame.opcode {
                case .text, .binary: messageSize = data.readableBytes
                case .continuation: messageSize += data.readableBytes
                default: break
                }
                if messageSize > limit {
                    logger.notice("websocket message over the size limit: socket closed", metadata: ["limit": .stringConvertible(limit)])
                    try? await closeBoth(code: .messageTooLarge, outbound: outbound, back: back, towardServer: towardServer)
                    return
                }
                try await outbound.write(
                    WebSocketFrame(fin: frame.fin, opcode: frame.opcode, maskKey: towardServer ? .random() : nil, data: data)
                )
            }
        } catch {
            // One connection failed or was cancelled: the relay ends and closes both.
        }
    }

    private static func closeBoth(
        code: WebSocketErrorCode,
        outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        back: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        towardServer: Bool
    ) async throws {
        func frame(masked: Bool) -> WebSocketFrame {
            var data = ByteBuffer()
            data.write(webSocketErrorCode: code)
            return WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: masked ? .random() : nil, data: data)
        }
        try? await outbound.write(frame(masked: towardServer))
        try await back.write(frame(masked: !towardServer))
    }
}
