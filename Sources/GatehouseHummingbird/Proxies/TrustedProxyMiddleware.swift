import Foundation
import HTTPTypes
public import Hummingbird

/// Which front ends are believed when they say who the client is and how it connected.
///
/// ```swift
/// let proxies = TrustedProxyConfiguration(addresses: ["127.0.0.1", "10.0.0.2"])
/// ```
public struct TrustedProxyConfiguration: Sendable, Hashable {
    /// Peer addresses (exact IPv4 or IPv6 text) of trusted proxies.
    public var addresses: Set<String>
    /// The header listing client and proxy addresses, nearest last.
    public var forwardedForHeader: String
    /// The header naming the client's scheme (`https` or `http`).
    public var forwardedProtoHeader: String

    /// Creates the configuration; with no addresses, no forwarded header is ever believed.
    public init(
        addresses: Set<String> = [],
        forwardedForHeader: String = "X-Forwarded-For",
        forwardedProtoHeader: String = "X-Forwarded-Proto"
    ) {
        self.addresses = addresses
        self.forwardedForHeader = forwardedForHeader
        self.forwardedProtoHeader = forwardedProtoHeader
    }
}

/// Decides whether a request is HTTPS and who its client is, believing `X-Forwarded-*` headers only
/// from configured trusted proxies (a client can send those headers too).
///
/// Sets ``GatehouseRequestState/isSecure``, ``GatehouseRequestState/remoteAddress`` and
/// ``GatehouseRequestState/viaTrustedProxy``. Install it first.
///
/// ```swift
/// router.add(middleware: TrustedProxyMiddleware(configuration: TrustedProxyConfiguration(addresses: ["127.0.0.1"])))
/// ```
public struct TrustedProxyMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// The trusted proxies.
    public let configuration: TrustedProxyConfiguration

    /// Creates the middleware.
    public init(configuration: TrustedProxyConfiguration = TrustedProxyConfiguration()) {
        self.configuration = configuration
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.gatehouse.isSecure = context.gatehouse.isSecure || request.head.scheme?.lowercased() == "https"
        if let peer = context.gatehouse.remoteAddress, configuration.addresses.contains(peer) {
            context.gatehouse.viaTrustedProxy = true
            if let name = HTTPField.Name(configuration.forwardedProtoHeader), let proto = request.headers[name] {
                let first = proto.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                context.gatehouse.isSecure = first == "https"
            }
            if let name = HTTPField.Name(configuration.forwardedForHeader) {
                // The nearest address that is not itself a trusted proxy is the client.
                let chain = request.headers[values: name]
                    .flatMap { $0.split(separator: ",") }
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                if let client = chain.reversed().first(where: { !configuration.addresses.contains($0) }) {
                    context.gatehouse.remoteAddress = client
                }
            }
        }
        return try await next(request, context)
    }
}
