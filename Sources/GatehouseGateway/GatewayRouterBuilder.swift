public import Gatehouse
public import GatehouseHummingbird
public import Hummingbird
import HummingbirdAuth
import NIOCore

/// Gatehouse in front of an application, wired into one router: the account pages (from a
/// ``GatehouseHummingbird/GatehouseRouterBuilder``), the forward-auth endpoint, the policy on every
/// other path, and either the reverse proxy or, without one, a small page naming the path and the
/// user (so a policy can be tried out). `gatehouse serve --policy` is this builder.
///
/// The account pages and `/_gatehouse/` are Gatehouse's own: the policy never applies to them and
/// the application never receives them. Their paths come from the login configuration, so moving
/// the login page moves the exemption with it.
///
/// ```swift
/// let gateway = GatewayRouterBuilder(gatehouse: builder, policy: PolicyHolder(policy), groups: store, proxy: proxy)
/// let app = Application(router: try gateway.makeRouter())
/// ```
public struct GatewayRouterBuilder: Sendable {
    /// The account pages, sessions and CSRF.
    public var gatehouse: GatehouseRouterBuilder
    /// The policy in force (replaceable while running, see ``PolicyHolder/reload(logger:)``).
    public var policy: PolicyHolder
    /// Where users' groups are found.
    public var groups: any GroupStore
    /// The application behind the gateway; `nil` serves the built-in page instead.
    public var proxy: GatewayProxy<GatehouseRequestContext>?
    /// The identity headers forward auth answers with.
    public var identityHeaders: IdentityHeaderNames

    /// Creates the builder.
    public init(
        gatehouse: GatehouseRouterBuilder,
        policy: PolicyHolder,
        groups: any GroupStore,
        proxy: GatewayProxy<GatehouseRequestContext>? = nil,
        identityHeaders: IdentityHeaderNames = IdentityHeaderNames()
    ) {
        self.gatehouse = gatehouse
        self.policy = policy
        self.groups = groups
        self.proxy = proxy
        self.identityHeaders = identityHeaders
    }

    /// The paths Gatehouse answers itself: the account pages and `/_gatehouse/`.
    public var exemptPrefixes: [String] { GatewayMiddleware<GatehouseRequestContext>.exemptPrefixes(for: gatehouse.login) }

    /// Makes the router.
    ///
    /// Throws ``GatehouseHummingbird/GatehouseConfigurationError`` when the user store keeps no
    /// permissions, so a policy with permission rules could never be met.
    public func makeRouter(logRequests: Bool = true) throws -> Router<GatehouseRequestContext> {
        let router = Router(context: GatehouseRequestContext.self)
        var builder = gatehouse
        let exempt = exemptPrefixes
        if proxy != nil {
            // The application's forms cannot carry Gatehouse's CSRF token: its paths get the Origin check only.
            builder.csrfOriginCheckOnly = { path in !exempt.contains { path.hasPrefix($0) } }
        }
        builder.install(on: router, logRequests: logRequests)
        let checker = try builder.permissionChecker
        var forwardAuth = ForwardAuthRoute<GatehouseRequestContext>(policy: policy, checker: checker, groups: groups)
        forwardAuth.identityHeaders = identityHeaders
        forwardAuth.add(to: router)
        let gateway = GatewayMiddleware<GatehouseRequestContext>(policy: policy, checker: checker, groups: groups, exemptPrefixes: exempt)
        // Called from this non-generic function, the middleware is compiled for this context.
        router.add(middleware: ConcreteMiddlewareStack { request, context, next in try await gateway.handle(request, context: context, next: next) })
        if var proxy {
            proxy.policy = policy
            proxy.add(to: router, exemptPrefixes: exempt)
            return router
        }
        let page: @Sendable (Request, GatehouseRequestContext) async throws -> Response = { request, context in
            let who = context.identity.map { "'\(HTMLEscaping.escape($0.username))'" } ?? "an anonymous visitor"
            let html = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse</title></head><body>
                <p>The policy lets \(who) reach <code>\(HTMLEscaping.escape(request.uri.path))</code>.</p>
                <p>With <code>--upstream</code> this request would go to your application.</p></body></html>
                """
            return HTMLPage.response(ByteBuffer(string: html))
        }
        for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete] {
            router.on("/", method: method, use: page)
            router.on("**", method: method, use: page)
        }
        return router
    }
}
