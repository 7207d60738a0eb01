public import Gatehouse
public import Hummingbird
import HummingbirdAuth

/// Sets the ``AccessDeniedPolicy`` for the routes behind it (guards and logged-in contexts read it),
/// and gives a bare 404 (no route, or `HTTPError(.notFound)` without a message) a body: the
/// `gatehouse/404` page with a way back for browsers, JSON for API clients.
///
/// ```swift
/// router.add(middleware: AccessPolicyMiddleware(AccessDeniedPolicy(raiseException: true)))
/// ```
public struct AccessPolicyMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// The policy.
    public let policy: AccessDeniedPolicy

    /// Creates the middleware.
    public init(_ policy: AccessDeniedPolicy) {
        self.policy = policy
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.gatehouse.accessPolicy = policy
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            return AccessDenied.notFoundResponse(request, policy: policy)
        }
    }
}

/// Lets only logged-in users through (Django's `login_required`).
///
/// With `publicPaths`/`publicPrefixes` it is the deny-by-default mode of Django 5.1's
/// `LoginRequiredMiddleware`: put it on the whole router and mark public routes explicitly. The
/// login page is always public.
///
/// ```swift
/// router.add(middleware: LoginRequired(publicPrefixes: ["/static/"], publicPaths: ["/"]))
/// ```
public struct LoginRequired<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// Exact paths anyone may request.
    public let publicPaths: Set<String>
    /// Path prefixes anyone may request.
    public let publicPrefixes: [String]

    /// Creates the guard.
    public init(publicPrefixes: [String] = [], publicPaths: Set<String> = []) {
        self.publicPaths = publicPaths
        self.publicPrefixes = publicPrefixes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let isPublic = path == context.gatehouse.accessPolicy.loginPath || publicPaths.contains(path)
            || publicPrefixes.contains { path.hasPrefix($0) }
        if isPublic { return try await next(request, context) }
        return try await AccessRequired<Context>.enforce(.authenticated, checker: PermissionChecker(backends: []), request, context, next)
    }
}

/// Lets through users holding permissions (Django's `permission_required`, with
/// `PermissionRequiredMixin`'s rule that a logged-in user is answered 403, never sent to log in).
///
/// ```swift
/// group.add(middleware: PermissionRequired(["reports.view", "reports.admin"], mode: .any, checker: checker))
/// ```
public struct PermissionRequired<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// Whether all or any of the permissions are needed.
    public enum Mode: Sendable {
        /// Every permission.
        case all
        /// At least one.
        case any
    }

    /// The permissions (`app_label.codename`).
    public let permissions: [String]
    /// All or any.
    public let mode: Mode
    /// Who answers.
    public let checker: PermissionChecker

    /// Creates the guard.
    public init(_ permissions: [String], mode: Mode = .all, checker: PermissionChecker) {
        self.permissions = permissions
        self.mode = mode
        self.checker = checker
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requirement: AccessRequirement = mode == .all ? .allPermissions(permissions) : .anyPermissions(permissions)
        return try await AccessRequired<Context>.enforce(requirement, checker: checker, request, context, next)
    }
}

/// Lets through users for whom a test passes (Django's `user_passes_test`).
///
/// ```swift
/// group.add(middleware: UserPassesTest { account in account.isStaff })
/// ```
public struct UserPassesTest<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// The test.
    public let test: @Sendable (any UserAccount) async throws -> Bool

    /// Creates the guard.
    public init(_ test: @escaping @Sendable (any UserAccount) async throws -> Bool) {
        self.test = test
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requirement = AccessRequirement.custom(name: "user passes test", test: test)
        return try await AccessRequired<Context>.enforce(requirement, checker: PermissionChecker(backends: []), request, context, next)
    }
}

/// Lets through users holding a permission on the object a request is about. The loader finds the
/// object from the request; `nil` (no such object) answers 404.
///
/// ```swift
/// group.add(middleware: ObjectPermissionRequired("blog.change_post", checker: checker) { request, context in
///     context.parameters.get("id").map { PermissionTarget(appLabel: "blog", model: "post", objectID: $0) }
/// })
/// ```
public struct ObjectPermissionRequired<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// The permission.
    public let permission: String
    /// Who answers.
    public let checker: PermissionChecker
    /// Finds the object.
    public let loader: @Sendable (Request, Context) async throws -> PermissionTarget?

    /// Creates the guard.
    public init(
        _ permission: String,
        checker: PermissionChecker,
        loader: @escaping @Sendable (Request, Context) async throws -> PermissionTarget?
    ) {
        self.permission = permission
        self.checker = checker
        self.loader = loader
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let target = try await loader(request, context) else { throw HTTPError(.notFound) }
        return try await AccessRequired<Context>.enforce(.objectPermission(permission, on: target), checker: checker, request, context, next)
    }
}

/// The guard over one ``Gatehouse/AccessRequirement``: the requirement decides
/// (``Gatehouse/AccessRequirement/outcome(for:checker:groups:)``, the same function the gateway's
/// policy and forward auth ask) and ``AccessDenied`` answers (302 to log in or 401, 403).
/// ``LoginRequired``, ``PermissionRequired``, ``UserPassesTest`` and ``ObjectPermissionRequired``
/// are this guard with a requirement made for you.
///
/// ```swift
/// group.add(middleware: AccessRequired(.staff, checker: try builder.permissionChecker))
/// group.add(middleware: AccessRequired(.groups(["editors"]), checker: checker, groups: store))
/// ```
public struct AccessRequired<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// What the routes behind it need.
    public let requirement: AccessRequirement
    /// Permission checks, for permission requirements.
    public let checker: PermissionChecker
    /// Where users' groups are found, for group requirements (none: nobody is in a group).
    public let groups: (any GroupStore)?

    /// Creates the guard.
    public init(_ requirement: AccessRequirement, checker: PermissionChecker, groups: (any GroupStore)? = nil) {
        self.requirement = requirement
        self.checker = checker
        self.groups = groups
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await Self.enforce(requirement, checker: checker, groups: groups, request, context, next)
    }

    /// Decides `requirement` for the request's account, then goes on or throws the access-denied
    /// response.
    static func enforce(
        _ requirement: AccessRequirement,
        checker: PermissionChecker,
        groups: (any GroupStore)? = nil,
        _ request: Request,
        _ context: Context,
        _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let account = context.account
        let outcome = try await requirement.outcome(for: account, checker: checker) {
            guard let groups, let id = account.userID else { return [] }
            return Set(try await groups.groups(ofUser: id).map(\.name))
        }
        if let denied = AccessDenied(outcome, policy: context.gatehouse.accessPolicy) { throw denied }
        return try await next(request, context)
    }
}

/// The context of routes that need a logged-in user: ``user`` is not optional. A group with this
/// context answers anonymous requests as ``AccessDenied/loginRequired(_:)``.
///
/// ```swift
/// let account = router.group("/account", context: LoggedInRequestContext<GatehouseRequestContext>.self)
/// account.get("/") { _, context in "Hello, \(context.user.username)" }
/// ```
public struct LoggedInRequestContext<Parent: GatehouseRequestContextProtocol>: ChildRequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The logged-in user.
    public let user: User
    /// The parent context (session, CSRF state).
    public let parent: Parent

    /// Admits the request only when a user is logged in.
    public init(context: Parent) throws {
        guard let user = context.identity else { throw AccessDenied.loginRequired(context.gatehouse.accessPolicy) }
        self.coreContext = context.coreContext
        self.user = user
        self.parent = context
    }
}
