public import Gatehouse
public import Hummingbird
public import HummingbirdAuth

/// A Gatehouse ``Gatehouse/AccessRequirement`` as hummingbird-auth's `AuthorizationPolicy`, for apps
/// that already guard routes with `AuthorizationPolicyMiddleware` and want Gatehouse's permissions
/// (Django's model and object permissions, groups, staff and superuser flags) behind it.
///
/// The decision is the requirement's own
/// (``Gatehouse/AccessRequirement/outcome(for:checker:groups:)``, the one the guards, the gateway's
/// policy and forward auth ask): the policy allows when it answers `allow`. hummingbird-auth's
/// middleware answers a request without an identity 401 before asking, and a refusal with its
/// `deniedError` (403 by default).
///
/// ```swift
/// let editors = GatehouseAccessPolicy(.allPermissions(["blog.change_post"]), checker: checker)
/// let posts = Router(context: BasicAuthRequestContext<User>.self)
/// posts.add(middleware: AuthorizationPolicyMiddleware(editors, context: BasicAuthRequestContext<User>.self))
/// ```
public struct GatehouseAccessPolicy: AuthorizationPolicy {
    /// Gatehouse's user, the identity ``GatehouseRequestContextProtocol`` contexts carry.
    public typealias Identity = User

    /// What the routes behind the middleware need.
    public let requirement: AccessRequirement
    /// Permission checks, for permission requirements.
    public let checker: PermissionChecker
    /// Where users' groups are found, for group requirements (none: nobody is in a group).
    public let groups: (any GroupStore)?

    /// Creates the policy.
    ///
    /// ```swift
    /// GatehouseAccessPolicy(.groups(["editors"]), checker: checker, groups: store)
    /// ```
    public init(_ requirement: AccessRequirement, checker: PermissionChecker, groups: (any GroupStore)? = nil) {
        self.requirement = requirement
        self.checker = checker
        self.groups = groups
    }

    /// Whether `identity` meets ``requirement``: its outcome is `allow`.
    ///
    /// ```swift
    /// let staff = GatehouseAccessPolicy(.staff, checker: checker)
    /// let allowed = try await staff.isAuthorized(identity: alice, request: request)   // true when alice may
    /// ```
    public func isAuthorized(identity: User, request: Request) async throws -> Bool {
        let groups = self.groups
        let outcome = try await requirement.outcome(for: identity, checker: checker) {
            guard let groups else { return [] }
            return Set(try await groups.groups(ofUser: identity.id).map(\.name))
        }
        return outcome == .allow
    }
}
