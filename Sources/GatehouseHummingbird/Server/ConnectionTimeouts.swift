public import NIOCore

/// How long a client connection may stay silent at each stage before Gatehouse closes it, so that
/// connections that send nothing, half a request, or read nothing cannot pile up until the process
/// runs out of file descriptors. The defaults are nginx's (`client_header_timeout`,
/// `keepalive_timeout`, `client_body_timeout`, `send_timeout`).
///
/// ```swift
/// let timeouts = ConnectionTimeouts(header: .seconds(10), idle: .seconds(30))
/// ```
public struct ConnectionTimeouts: Sendable, Hashable {
    /// From the connection's start until its first request head has arrived (60 s).
    public var header: TimeAmount
    /// From the end of a response until the next request head has arrived (75 s).
    public var idle: TimeAmount
    /// Between two reads of a request body (60 s).
    public var body: TimeAmount
    /// While a response cannot be written because the client does not read it (60 s).
    public var send: TimeAmount

    /// Creates the timeouts; the defaults are nginx's.
    public init(header: TimeAmount = .seconds(60), idle: TimeAmount = .seconds(75), body: TimeAmount = .seconds(60), send: TimeAmount = .seconds(60)) {
        self.header = header
        self.idle = idle
        self.body = body
        self.send = send
    }
}
