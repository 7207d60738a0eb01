public import NIOCore

/// The limits on WebSockets passed through the reverse proxy (docs/gateway.md, "WebSockets").
///
/// ```swift
/// var webSockets = GatewayWebSocketConfiguration()
/// webSockets.maximumMessageSize = 64 * 1024
/// webSockets.idleTimeout = .seconds(60)
/// ```
public struct GatewayWebSocketConfiguration: Sendable {
    /// The largest message relayed either way, in bytes, counting all its frames: a larger one
    /// closes the socket on both sides with 1009 (message too big).
    public var maximumMessageSize: Int
    /// A socket that carries no frame either way for this long is closed on both sides.
    public var idleTimeout: TimeAmount
    /// How long a new connection may take to send its first request head (the HTTP header timeout
    /// starts only once the connection is known not to be a WebSocket).
    public var headerTimeout: TimeAmount
    /// The most WebSockets open at once (further upgrade requests get 503).
    public var maximumSockets: Int
    /// The most WebSockets one client address may hold open at once (then 503).
    public var maximumSocketsPerClient: Int

    /// Creates the configuration: messages up to 1 MiB, closed after 300 s without a frame, at most
    /// 1024 sockets, 64 per client address.
    public init(
        maximumMessageSize: Int = 1024 * 1024,
        idleTimeout: TimeAmount = .seconds(300),
        headerTimeout: TimeAmount = .seconds(60),
        maximumSockets: Int = 1024,
        maximumSocketsPerClient: Int = 64
    ) {
        self.maximumMessageSize = max(1, min(maximumMessageSize, Int(UInt32.max)))
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.maximumSockets = max(1, maximumSockets)
        self.maximumSocketsPerClient = max(1, maximumSocketsPerClient)
    }
}
