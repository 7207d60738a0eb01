import Dispatch
import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// `gatehouse serve --policy`: the account pages, the forward-auth endpoint, the policy on every
/// other path, and (without an upstream) a small page naming the path and the user, so a newcomer
/// can try a policy out.
enum GatewayRoutes {
    static func makeRouter(
        builder: GatehouseRouterBuilder,
        policy: PolicyHolder,
        groups: any GroupStore,
        proxy: GatewayProxy<GatehouseRequestContext>? = nil,
        identityHeaders: IdentityHeaderNames = IdentityHeaderNames()
    ) -> Router<GatehouseRequestContext> {
        let router = Router(context: GatehouseRequestContext.self)
        var builder = builder
        let gatehousePaths = GatewayMiddleware<GatehouseRequestContext>.defaultExemptPrefixes
        if proxy != nil {
            // The application's forms cannot carry Gatehouse's CSRF token: its paths get the Origin check only.
            builder.csrfOriginCheckOnly = { path in !gatehousePaths.contains { path.hasPrefix($0) } }
        }
        builder.install(on: router)
        let checker = builder.permissionChecker
        var forwardAuth = ForwardAuthRoute<GatehouseRequestContext>(policy: policy, checker: checker, groups: groups)
        forwardAuth.identityHeaders = identityHeaders
        forwardAuth.add(to: router)
        router.add(middleware: GatewayMiddleware(policy: policy, checker: checker, groups: groups))
        if let proxy {
            proxy.add(to: router)
            return router
        }
        let page: @Sendable (Request, GatehouseRequestContext) async throws -> Response = { request, context in
            let who = context.identity.map { "'\(HTMLEscaping.escape($0.username))'" } ?? "an anonymous visitor"
            let html = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse</title></head><body>
                <p>The policy lets \(who) reach <code>\(HTMLEscaping.escape(request.uri.path))</code>.</p>
                <p>With <code>--upstream</code> this request would go to your application.</p></body></html>
                """
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete] {
            router.on("/", method: method, use: page)
            router.on("**", method: method, use: page)
        }
        return router
    }

    /// SIGHUP reads the policy file again (a broken file keeps the old policy, and the log says why).
    static func reloadOnHangUp(_ holder: PolicyHolder, logger: Logger) -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { holder.reload(logger: logger) }
        source.resume()
        return source
    }
}
