public import Gatehouse
public import GatehouseHummingbird
public import Hummingbird
import HTTPTypes
import HummingbirdAuth

/// The forward-auth endpoint for nginx `auth_request`, Traefik `ForwardAuth` and Caddy
/// `forward_auth`: answers from the session cookie and the original request's URI and method
/// (`X-Original-URI` / `X-Original-Method` from nginx, `X-Forwarded-Uri` / `X-Forwarded-Method`
/// from Traefik and Caddy) with 200 and the identity headers when the policy allows it, 401 when a
/// login is needed, 403 when the user may not, 400 for a path the policy refuses to interpret.
///
/// The 401 carries the login page's address (with `next` set to the original URI) in `Location`,
/// for nginx to redirect to (`auth_request_set $login $upstream_http_location`). Traefik and Caddy
/// pass a refusal on to the client as it is: ask `/_gatehouse/auth?redirect=1` and a browser that
/// needs to log in gets that 302 itself (an API client, which prefers JSON or sends
/// `Authorization`, still gets 401).
///
/// Install it after ``GatehouseRouterBuilder/install(on:logRequests:)`` so the session's user is
/// known.
///
/// ```swift
/// ForwardAuthRoute<GatehouseRequestContext>(policy: policy, checker: try builder.permissionChecker, groups: store)
///     .add(to: router)
/// ```
public struct ForwardAuthRoute<Context: GatehouseRequestContextProtocol>: Sendable {
    /// The policy that decides (replaceable while running).
    public let policies: PolicyHolder
    /// Permission checks for permission requirements.
    public var checker: PermissionChecker
    /// Where users' groups are found.
    public var groups: any GroupStore
    /// The endpoint's path.
    public var path: String
    /// The names of the identity headers it answers with.
    public var identityHeaders = IdentityHeaderNames()

    /// Creates the endpoint at `path` (default `/_gatehouse/auth`).
    public init(policy: GatewayPolicy, checker: PermissionChecker, groups: any GroupStore, path: String = "/_gatehouse/auth") {
        self.init(policy: PolicyHolder(policy), checker: checker, groups: groups, path: path)
    }

    /// Creates the endpoint on a policy that may be reloaded.
    public init(policy: PolicyHolder, checker: PermissionChecker, groups: any GroupStore, path: String = "/_gatehouse/auth") {
        self.policies = policy
        self.checker = checker
        self.groups = groups
        self.path = path
    }

    /// Adds `GET` (and `HEAD`) of ``path`` to `router`.
    public func add(to router: Router<Context>) {
        let endpoint = self
        router.get(RouterPath(path)) { request, context in try await endpoint.answer(request, context: context) }
        router.head(RouterPath(path)) { request, context in try await endpoint.answer(request, context: context) }
    }

    func answer(_ request: Request, context: Context) async throws -> Response {
        let headers = request.headers
        // Front servers pass the client's own headers on too: nginx sets X-Original-*, so a client
        // could add X-Forwarded-Uri; Traefik and Caddy set X-Forwarded-*, so a client could add
        // X-Original-URI. Two that disagree are refused rather than one of them believed.
        let nginxURI = headers[values: HTTPField.Name("X-Original-URI")!]
        let forwardedURI = headers[values: HTTPField.Name("X-Forwarded-Uri")!]
        let nginxMethod = headers[values: HTTPField.Name("X-Original-Method")!]
        let forwardedMethod = headers[values: HTTPField.Name("X-Forwarded-Method")!]
        let uris = Set(nginxURI + forwardedURI)
        let methods = Set((nginxMethod + forwardedMethod).map { $0.uppercased() })
        guard uris.count <= 1, methods.count <= 1 else {
            GatewayMetrics.shared.count(.refusedPath, via: .forwardAuth)
            return Response(status: .badRequest)
        }
        let uri = uris.first ?? "/"
        let method = methods.first ?? "GET"
        // Up to the query; a `#` stays in the path, where it is refused (clients never send one).
        let rawPath = String(uri.prefix { $0 != "?" })
        guard let path = PathPattern.normalize(rawPath) else {
            GatewayMetrics.shared.count(.refusedPath, via: .forwardAuth)
            return Response(status: .badRequest)
        }
        let account = context.account
        let access = GatewayAccess(policy: policies, checker: checker, groups: groups)
        let (decision, fetched) = try await access.decide(
            path: path, method: method, host: request.head.authority, client: context.gatehouse.remoteAddress, account: account
        )
        GatewayMetrics.shared.count(.init(decision.outcome), via: .forwardAuth)
        switch decision.outcome {
        case .allow:
            // The user's groups, for the groups header (fetched once: the decision may have needed them).
            var names = fetched ?? []
            if fetched == nil { names = try await access.groupNames(of: account) }
            var fields = HTTPFields()
            IdentityHeaders.apply(user: account, groups: names, to: &fields, names: identityHeaders)
            if !account.isAuthenticated {
                // Present and empty: front servers that copy a missing header as placeholder text
                // (Caddy 2.6) clear it instead; nginx and newer Caddy send nothing for an empty one.
                for name in identityHeaders.all { fields[name] = "" }
            }
            return Response(status: .ok, headers: fields)
        case .loginRequired:
            let denied = context.gatehouse.accessPolicy
            var fields = HTTPFields()
            fields[.location] = denied.loginURL(next: uri.hasPrefix("/") ? uri : "/")
            let redirect = request.uri.queryParameters["redirect"].map { $0 == "1" || $0 == "true" } ?? false
            if redirect, !denied.raiseException, !AccessDenied.isAPIRequest(request) {
                return Response(status: .found, headers: fields)
            }
            fields[.wwwAuthenticate] = denied.wwwAuthenticate
            return Response(status: .unauthorized, headers: fields)
        case .forbidden:
            GatewayMetrics.auditForbidden(account: account, path: path, method: method, via: .forwardAuth, client: context.gatehouse.remoteAddress)
            return Response(status: .forbidden)
        }
    }
}
