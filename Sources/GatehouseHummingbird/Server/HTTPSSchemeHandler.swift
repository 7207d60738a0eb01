import HTTPTypes
public import NIOCore
public import NIOHTTPTypes

/// Marks every request of a connection as `https`: Hummingbird's HTTP/1.1 decoder calls every
/// request's scheme `http`, also behind TLS, so without it a request that came over the server's
/// own TLS would look like plain HTTP (cookies without `Secure`, CSRF comparing `Origin` with an
/// `http://` origin). Add it first among the `additionalChannelHandlers` of a TLS server only.
public final class HTTPSSchemeHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart

    /// Creates the handler (one per connection).
    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        head.scheme = "https"
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
