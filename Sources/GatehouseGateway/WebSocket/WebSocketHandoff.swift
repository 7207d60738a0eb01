import NIOConcurrencyHelpers
import NIOHTTP1

/// Hands the application's socket from the proxy route to the connection that asked for the
/// upgrade: ``GatewayServerChannel`` sets ``current`` while the router decides an upgrade request,
/// and ``GatewayProxy`` leaves the socket it opened here instead of proxying the request. Whoever
/// ends up with it calls ``finish()`` once the socket is relayed or dropped.
final class WebSocketHandoff: Sendable {
    /// Set only while the router decides a WebSocket upgrade request.
    @TaskLocal static var current: WebSocketHandoff?

    private struct State {
        var socket: UpstreamWebSocket?
        var release: (@Sendable () -> Void)?
    }

    private let state = NIOLockedValueBox(State())

    /// Leaves `socket` here; `release` gives its share of the socket limits back.
    func put(_ socket: UpstreamWebSocket, release: @escaping @Sendable () -> Void) {
        state.withLockedValue { state in
            state.socket = socket
            state.release = release
        }
    }

    /// The application's 101 headers, while a socket is here.
    var responseHeaders: HTTPHeaders? { state.withLockedValue { $0.socket?.responseHeaders } }

    /// The socket, once (later calls get `nil`).
    func take() -> UpstreamWebSocket? {
        state.withLockedValue { value in
            defer { value.socket = nil }
            return value.socket
        }
    }

    /// Closes a socket nobody took and gives the share back (once).
    func finish() {
        let taken = state.withLockedValue { value in
            defer { value = State() }
            return value
        }
        taken.socket?.abandon()
        taken.release?()
    }
}
