public import Gatehouse
public import GatehouseHummingbird
public import Hummingbird
import HummingbirdAuth

/// Applies the gateway policy to every request except the account pages and Gatehouse's own
/// endpoints: allowed requests go on, the others get the access-denied response (302 to log in or
/// 401 for API clients, 403), and paths the policy refuses to interpret get 400.
///
/// ```swift
/// router.add(middleware: GatewayMiddleware(policy: holder, checker: try builder.permissionChecker, groups: store, login: builder.login))
/// ```
public struct GatewayMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// The policy in force.
    public let policy: PolicyHolder
    /// Permission checks.
    public let checker: PermissionChecker
    /// Where users' groups are found.
    public let groups: any GroupStore
    /// Paths Gatehouse answers itself, never subject to the policy.
    public let exemptPrefixes: [String]

    /// The paths Gatehouse answers itself when its pages are where `login` puts them: those pages
    /// and `/_gatehouse/`. Moving the login page moves its exemption with it.
    ///
    /// ```swift
    /// GatewayMiddleware<GatehouseRequestContext>.exemptPrefixes(for: LoginConfiguration(loginPath: "/auth/login/"))
    ///     .contains("/auth/login/")   // true
    /// ```
    public static func exemptPrefixes(for login: LoginConfiguration) -> [String] {
        login.pagePaths + ["/_gatehouse/"]
    }

    /// Creates the middleware, exempting the account pages where `login` puts them
    /// (``exemptPrefixes(for:)``): pass the same configuration as the router builder's `login`.
    public init(policy: PolicyHolder, checker: PermissionChecker, groups: any GroupStore, login: LoginConfiguration) {
        self.init(policy: policy, checker: checker, groups: groups, exemptPrefixes: Self.exemptPrefixes(for: login))
    }

    /// Creates the middleware with the exempt paths given.
    package init(policy: PolicyHolder, checker: PermissionChecker, groups: any GroupStore, exemptPrefixes: [String]) {
        self.policy = policy
        self.checker = checker
        self.groups = groups
        self.exemptPrefixes = exemptPrefixes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path: String
        switch PathPattern.decoded(request.uri.path) {
        case .success(let decoded): path = decoded
        case .failure(let refusal):
            GatewayMetrics.shared.count(.refusedPath, via: .proxy)
            throw HTTPError(.badRequest, message: "This path is refused: it would mean different things to different servers (\(refusal)).")
        }
        // Exempt by the path it resolves to, which is the one routes see after the router: a raw
        // `/accounts/../admin/` is `/admin/` and gets the policy. (A resolved `/accounts/...` path
        // that no account route serves is refused by the proxy, never forwarded.)
        if exemptPrefixes.contains(where: { path.hasPrefix($0) }) { return try await next(request, context) }
        let access = GatewayAccess(policy: policy, checker: checker, groups: groups)
        let (decision, _) = try await access.decide(
            path: path, method: request.method.rawValue, host: request.head.authority, client: context.gatehouse.remoteAddress,
            account: context.account
        )
        GatewayMetrics.shared.count(.init(decision.outcome), via: .proxy)
        if decision.outcome == .forbidden {
            GatewayMetrics.auditForbidden(
                account: context.account, path: path, method: request.method.rawValue, via: .proxy, client: context.gatehouse.remoteAddress
            )
        }
        if let denied = AccessDenied(decision.outcome, policy: context.gatehouse.accessPolicy) { throw denied }
        return try await next(request, context)
    }
}
