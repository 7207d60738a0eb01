import Foundation
public import Gatehouse
import HTTPTypes
public import Hummingbird

/// Which front ends are believed when they say who the client is and how it connected.
///
/// ```swift
/// let proxies = try TrustedProxyConfiguration(addresses: ["127.0.0.1", "10.0.0.0/8", "fd00::/8"])
/// ```
public struct TrustedProxyConfiguration: Sendable, Hashable {
    /// The addresses and ranges of trusted proxies.
    public var networks: [IPNetwork]
    /// The header listing client and proxy addresses, nearest last.
    public var forwardedForHeader: String
    /// The header naming the client's scheme (`https` or `http`).
    public var forwardedProtoHeader: String

    /// Creates the configuration; with no networks, no forwarded header is ever believed.
    public init(
        networks: [IPNetwork] = [],
        forwardedForHeader: String = "X-Forwarded-For",
        forwardedProtoHeader: String = "X-Forwarded-Proto"
    ) {
        self.networks = networks
        self.forwardedForHeader = forwardedForHeader
        self.forwardedProtoHeader = forwardedProtoHeader
    }

    /// Creates the configuration from addresses (`10.0.0.2`, `::1`) and CIDR ranges (`10.0.0.0/8`,
    /// `fd00::/8`); throws ``Gatehouse/IPNetworkError`` for anything else.
    public init(
        addresses: [String],
        forwardedForHeader: String = "X-Forwarded-For",
        forwardedProtoHeader: String = "X-Forwarded-Proto"
    ) throws(IPNetworkError) {
        var networks: [IPNetwork] = []
        for text in addresses { networks.append(try IPNetwork(text)) }
        self.init(networks: networks, forwardedForHeader: forwardedForHeader, forwardedProtoHeader: forwardedProtoHeader)
    }

    /// Whether `address` (a peer's or a forwarded-for entry's text) is a trusted proxy's. Text that
    /// is not an address never is.
    public func trusts(_ address: some StringProtocol) -> Bool {
        guard !networks.isEmpty, let parsed = IPAddress(address) else { return false }
        return networks.contains { $0.contains(parsed) }
    }
}

/// Decides whether a request is HTTPS and who its client is, believing `X-Forwarded-*` headers only
/// from configured trusted proxies (a client can send those headers too).
///
/// Sets ``GatehouseRequestState/isSecure``, ``GatehouseRequestState/remoteAddress`` and
/// ``GatehouseRequestState/viaTrustedProxy``. Install it first.
///
/// ```swift
/// router.add(middleware: TrustedProxyMiddleware(configuration: try TrustedProxyConfiguration(addresses: ["127.0.0.1"])))
/// ```
public struct TrustedProxyMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// The trusted proxies.
    public let configuration: TrustedProxyConfiguration

    /// The configured header names, parsed once.
    private let forwardedProto: HTTPField.Name?
    private let forwardedFor: HTTPField.Name?

    /// Creates the middleware.
    public init(configuration: TrustedProxyConfiguration = TrustedProxyConfiguration()) {
        self.configuration = configuration
        self.forwardedProto = HTTPField.Name(configuration.forwardedProtoHeader)
        self.forwardedFor = HTTPField.Name(configuration.forwardedForHeader)
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.gatehouse.isSecure = context.gatehouse.isSecure || request.head.scheme?.lowercased() == "https"
        if let peer = context.gatehouse.remoteAddress, configuration.trusts(peer) {
            context.gatehouse.viaTrustedProxy = true
            if let name = forwardedProto, let proto = request.headers[name] {
                let first = proto.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                context.gatehouse.isSecure = first == "https"
            }
            if let name = forwardedFor {
                // The nearest address that is not itself a trusted proxy is the client.
                let chain = request.headers[values: name]
                    .flatMap { $0.split(separator: ",") }
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                if let client = chain.reversed().first(where: { !configuration.trusts($0) }) {
                    context.gatehouse.remoteAddress = client
                }
            }
        }
        return try await next(request, context)
    }
}
