/// What a requirement decided for an account: the one answer every caller turns into a response
/// (302 to log in or 401, 403, or the resource).
public enum AccessOutcome: String, Sendable, Hashable {
    /// Serve it.
    case allow
    /// Log in first (302 for a browser, 401 for an API client).
    case loginRequired = "login required"
    /// Logged in, but not allowed (403). Logging in again would not help.
    case forbidden
}

extension AccessRequirement {
    /// Decides whether `account` (an ``AnonymousUser`` when nobody is logged in) meets the
    /// requirement. This is the only place access is decided: the guards, the gateway's policy and
    /// forward auth all ask it.
    ///
    /// - `public` allows everyone and `deny` forbids everyone.
    /// - A custom test is asked for anonymous visitors too; when it fails, anonymous visitors are
    ///   sent to log in and logged-in users are forbidden.
    /// - Every other requirement sends anonymous visitors to log in; a logged-in user who does not
    ///   meet it is forbidden. Staff, superuser and group requirements need an active user;
    ///   permission checks follow Django (an inactive user has none, a superuser all).
    ///
    /// `groups` is asked only for group requirements.
    ///
    /// ```swift
    /// let outcome = try await AccessRequirement.staff.outcome(for: user, checker: checker) { [] }
    /// ```
    public func outcome(
        for account: any UserAccount,
        checker: PermissionChecker,
        groups: () async throws -> Set<String> = { [] }
    ) async throws -> AccessOutcome {
        switch self {
        case .public:
            return .allow
        case .deny:
            return .forbidden
        case .custom(_, let test):
            if try await test(account) { return .allow }
            return account.isAuthenticated ? .forbidden : .loginRequired
        default:
            break
        }
        guard account.isAuthenticated else { return .loginRequired }
        let allowed: Bool
        switch self {
        case .public, .deny, .custom, .authenticated: allowed = true
        case .staff: allowed = account.isActive && account.isStaff
        case .superuser: allowed = account.isActive && account.isSuperuser
        case .allPermissions(let names): allowed = try await checker.hasPermissions(account, names)
        case .anyPermissions(let names): allowed = try await checker.hasAnyPermission(account, names)
        case .groups(let names):
            if account.isActive {
                allowed = !Set(names).isDisjoint(with: try await groups())
            } else {
                allowed = false
            }
        case .objectPermission(let name, let target): allowed = try await checker.hasPermission(account, name, on: target)
        }
        return allowed ? .allow : .forbidden
    }
}
