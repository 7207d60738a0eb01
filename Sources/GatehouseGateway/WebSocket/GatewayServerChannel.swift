public import GatehouseHummingbird
public import Hummingbird
public import HummingbirdCore
import HTTPTypes
public import Logging
public import NIOCore
import NIOConcurrencyHelpers
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// Hummingbird's HTTP/1.1 server, with WebSocket upgrades decided by the gateway's router.
///
/// A request asking for a WebSocket goes through the router like any other (hosts, trusted
/// proxies, the session, the policy): when the proxy route has opened the application's socket,
/// the client gets 101 and frames are relayed (``WebSocketRelay``); otherwise the client gets the
/// router's answer (302 or 401 to log in, 403, 502…) and the connection closes. Every other request
/// is served as by `.http1(configuration:)`, with the same additional handlers.
///
/// ```swift
/// let app = Application(router: router, server: .gateway(router: router, http1: .init()))
/// ```
public struct GatewayServerChannel: ServerChildChannel, HTTPChannelHandler {
    /// What a connection became after its first request head.
    enum Outcome: Sendable {
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, refusal: Refusal?)
        case webSocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WebSocketHandoff)
    }

    /// A refused upgrade's answer, written before the connection closes.
    struct Refusal: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer
    }

    /// A connection and what it became.
    public struct Value: ServerChildChannelValue {
        let outcome: EventLoopFuture<Outcome>
        let state: ConnectionState
        /// The connection.
        public let channel: any Channel
    }

    /// Serves plain HTTP requests.
    public let responder: HTTPChannelHandler.Responder
    let decide: @Sendable (Request, GatehouseRequestContext) async throws -> Response
    let http1: HTTP1Channel.Configuration
    let webSockets: GatewayWebSocketConfiguration

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let connection = ConnectionState()
            // Until the first head has come, no HTTP handler times the connection out: this does.
            let headDeadline = channel.eventLoop.scheduleTask(in: webSockets.headerTimeout) { channel.close(promise: nil) }
            let upgrader = NIOTypedWebSocketServerUpgrader<Outcome>(
                maxFrameSize: webSockets.maximumMessageSize,
                enableAutomaticErrorHandling: true,
                shouldUpgrade: { channel, head in
                    headDeadline.cancel()
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask { await decideUpgrade(head, channel: channel, logger: logger, connection: connection) }
                    return promise.futureResult
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard let handoff = connection.handoff else { throw ChannelError.inappropriateOperationForState }
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: webSockets.idleTimeout))
                        try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                        let framed = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: false)
                        )
                        return .webSocket(framed, handoff)
                    }
                }
            )
            let upgrades = NIOTypedHTTPServerUpgradeConfiguration<Outcome>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        headDeadline.cancel()
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try sync.addHandlers(http1.additionalChannelHandlers())
                        try sync.addHandler(HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { .nanoseconds($0.nanoseconds) }, logger: logger))
                        let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        return .http(http, refusal: connection.refusal)
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Outcome>(upgradeConfiguration: upgrades)
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            configuration.decoderConfiguration.maxHeaderFieldSize = http1.httpDecoder.maxHeaderFieldSize
            configuration.decoderConfiguration.maxHeaderListSize = http1.httpDecoder.maxHeaderListSize
            configuration.decoderConfiguration.maxHeaderFieldCount = http1.httpDecoder.maxHeaderFieldCount
            let outcome = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            // A first request that does not parse gets 400, as Hummingbird answers later ones.
            let upgradeHandler = try channel.pipeline.syncOperations.handler(type: NIOTypedHTTPServerUpgradeHandler<Outcome>.self)
            try channel.pipeline.syncOperations.addHandler(FirstRequestErrors(), position: .before(upgradeHandler))
            return Value(outcome: outcome, state: connection, channel: channel)
        }
    }

    public func handle(value: Value, logger: Logger) async {
        let outcome: Outcome
        do {
            outcome = try await value.outcome.get()
        } catch {
            value.state.handoff?.finish()
            value.channel.close(promise: nil)
            return
        }
        switch outcome {
        case .http(let http, let refusal):
            if let refusal {
                await Self.write(refusal, to: http)
            } else {
                await handleHTTP(asyncChannel: http, logger: logger)
            }
        case .webSocket(let client, let handoff):
            defer { handoff.finish() }
            guard let upstream = handoff.take() else {
                client.channel.close(promise: nil)
                return
            }
            await WebSocketRelay.run(client: client, upstream: upstream.channel, maximumMessageSize: webSockets.maximumMessageSize, logger: logger)
        }
    }

    /// The router's answer to an upgrade request: the headers to add to the 101, or `nil` with the
    /// refusal kept for ``handle(value:logger:)``.
    private func decideUpgrade(_ head: HTTPRequestHead, channel: any Channel, logger: Logger, connection: ConnectionState) async -> HTTPHeaders? {
        guard let fields = try? HTTPRequest(head, secure: false, splitCookie: false) else {
            connection.refusal = Refusal(status: .badRequest, headers: [:], body: ByteBuffer())
            return nil
        }
        let request = Request(head: fields, body: .init(buffer: ByteBuffer()))
        let context = GatehouseRequestContext(source: .init(channel: channel, logger: logger))
        let handoff = WebSocketHandoff()
        let response: Response
        do {
            response = try await WebSocketHandoff.$current.withValue(handoff) { try await decide(request, context) }
        } catch let error as any HTTPResponseError {
            response = (try? error.response(from: request, context: context)) ?? Response(status: .badRequest)
        } catch {
            response = GatewayProxy<GatehouseRequestContext>.page(.badGateway, "The application cannot be reached.")
        }
        if response.status == .switchingProtocols, let upstreamHeaders = handoff.responseHeaders {
            connection.handoff = handoff
            var headers = HTTPHeaders()
            if let chosen = upstreamHeaders.first(name: "Sec-WebSocket-Protocol") {
                headers.add(name: "Sec-WebSocket-Protocol", value: chosen)
            }
            return headers
        }
        handoff.finish()
        connection.refusal = await Refusal(response)
        return nil
    }

    /// Writes a refused upgrade's answer and closes the connection.
    private static func write(_ refusal: Refusal, to http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>) async {
        try? await http.executeThenClose { _, outbound in
            var headers = refusal.headers
            headers[.connection] = "close"
            headers[.contentLength] = String(refusal.body.readableBytes)
            try await outbound.write(.head(HTTPResponse(status: refusal.status, headerFields: headers)))
            if refusal.body.readableBytes > 0 { try await outbound.write(.body(refusal.body)) }
            try await outbound.write(.end(nil))
        }
    }
}

extension GatewayServerChannel.Refusal {
    /// The response's status, headers and body (at most 64 kB of it: refusals are small pages).
    init(_ response: Response) async {
        let collector = BodyCollector()
        let body = response.body
        try? await body.write(collector)
        var headers = response.headers
        headers[.transferEncoding] = nil
        self.init(status: response.status, headers: headers, body: collector.buffer)
    }
}

/// What one connection's upgrade decision left for its handling: the socket to relay, or the answer.
final class ConnectionState: Sendable {
    private let values = NIOLockedValueBox<(handoff: WebSocketHandoff?, refusal: GatewayServerChannel.Refusal?)>((nil, nil))

    var handoff: WebSocketHandoff? {
        get { values.withLockedValue { $0.handoff } }
        set { values.withLockedValue { $0.handoff = newValue } }
    }

    var refusal: GatewayServerChannel.Refusal? {
        get { values.withLockedValue { $0.refusal } }
        set { values.withLockedValue { $0.refusal = newValue } }
    }
}

/// Collects a small response body.
private final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        guard buffer.readableBytes + part.readableBytes <= 64 * 1024 else { return }
        var part = part
        buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Answers 400 and closes when the first request head of a connection does not parse (until then
/// no Hummingbird handler is in the pipeline to do so); removes itself once a head has come.
private final class FirstRequestErrors: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let isHead = if case .head = unwrapInboundIn(data) { true } else { false }
        context.fireChannelRead(data)
        if isHead { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Content-Length", value: "0")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// Closes a relayed WebSocket once ``IdleStateHandler`` reports no frame either way for its time:
/// a close frame (1001, going away) to the client, then the connection (the relay then closes the
/// application's side).
private final class CloseWhenIdle: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            var data = ByteBuffer()
            data.write(webSocketErrorCode: .goingAway)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))).whenComplete { _ in
                channel.close(promise: nil)
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with WebSocket upgrades decided by `router` (see ``GatewayServerChannel``), which
    /// should be the application's router; `http1` as for `.http1(configuration:)`.
    ///
    /// ```swift
    /// let app = Application(router: router, server: .gateway(router: router, webSockets: GatewayWebSocketConfiguration()))
    /// ```
    public static func gateway(
        router: Router<GatehouseRequestContext>,
        http1: HTTP1Channel.Configuration = .init(),
        webSockets: GatewayWebSocketConfiguration = GatewayWebSocketConfiguration()
    ) -> HTTPServerBuilder {
        let routes = router.buildResponder()
        return HTTPServerBuilder { responder in
            GatewayServerChannel(
                responder: responder,
                decide: { request, context in try await routes.respond(to: request, context: context) },
                http1: http1,
                webSockets: webSockets
            )
        }
    }
}
