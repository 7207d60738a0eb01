/// What kind of page a request asked for, the `route` label of the request metrics: a few fixed
/// values, never the raw path, so that a client inventing paths cannot add time series.
package enum RouteClass: String, Sendable, CaseIterable {
    /// The login page.
    case login
    /// The logout page.
    case logout
    /// The other account pages (`/accounts/...`: profile, password change and reset, sessions).
    case accounts
    /// The forward-auth endpoint (`/_gatehouse/auth`).
    case forwardAuth = "forward_auth"
    /// Gatehouse's other endpoints (`/_gatehouse/...`: health, readiness).
    case `internal`
    /// Everything else: the application's routes, or what the gateway passes to the upstream.
    case application

    /// The class of `path`, given the login and logout paths in use.
    package static func of(path: String, loginPath: String, logoutPath: String, accountsPrefix: String = "/accounts/") -> RouteClass {
        if path == loginPath { return .login }
        if path == logoutPath { return .logout }
        if path.hasPrefix(accountsPrefix) { return .accounts }
        if path.hasPrefix("/_gatehouse/") {
            return path == "/_gatehouse/auth" || path.hasPrefix("/_gatehouse/auth/") ? .forwardAuth : .internal
        }
        return .application
    }
}
