public import Gatehouse
public import Foundation
public import Hummingbird
import HummingbirdAuth
import Logging

/// Everything a server needs to run Gatehouse's account pages, wired into one router: request
/// logging, sessions, the session's user, CSRF, and the login, logout, profile, password change and
/// password reset pages.
///
/// The stores are protocols, so the same wiring serves memory stores in tests and SQL stores in
/// `gatehouse serve`.
///
/// ```swift
/// let builder = GatehouseRouterBuilder(users: store, sessions: sessionStore, keys: keys)
/// let router = builder.makeRouter()
/// router.get("/hello") { _, context in "Hello, \(context.identity?.username ?? "stranger")" }
/// let app = Application(router: router)
/// ```
public struct GatehouseRouterBuilder: Sendable {
    /// Users (and their permissions).
    public var users: any UserStore
    /// Where sessions are kept.
    public var sessions: any SessionStore
    /// SECRET_KEY and its fallbacks.
    public var keys: SigningKeys
    /// Session lifetime and cookie name.
    public var sessionConfiguration: SessionConfiguration
    /// Session cookie flags.
    public var sessionCookie: SessionCookieConfiguration
    /// CSRF checks.
    public var csrf: CSRFConfiguration
    /// The account pages.
    public var login: LoginConfiguration
    /// The templates for the pages.
    public var templates: GatehouseTemplates
    /// Password hashers.
    public var hashers: PasswordHashers
    /// The rules a new password must meet on the password change page (Django's four by default).
    public var passwordValidators: PasswordValidators = .defaults
    /// Login events.
    public var events: AuthenticationEvents
    /// The clock for sessions and `last_login`.
    public var clock: any WallClock
    /// Front ends whose forwarded headers are believed (the client address that failed logins are
    /// counted under comes through them).
    public var proxies: TrustedProxyConfiguration
    /// Failed-login limits and per-address turns at the hashing pool: on by default (5 failures per
    /// username and address, 30 per address, 100 per username, in 15 minutes; 2 checks at once per
    /// address). See ``Gatehouse/LoginThrottleConfiguration``.
    public var throttling: LoginThrottleConfiguration = LoginThrottleConfiguration()
    /// Where failed logins are counted. The default keeps them in this process's memory; give every
    /// server the same store (`GatehouseSQL`'s `SQLLoginFailureStore`, as `gatehouse serve` does) so
    /// that restarts and other instances count the same failures.
    ///
    /// ```swift
    /// builder.loginFailures = SQLLoginFailureStore(provider: provider)
    /// ```
    public var loginFailures: any LoginFailureStore = MemoryLoginFailureStore()
    /// Where sessions are indexed by user for the sessions page. `nil` (the default) uses the one
    /// ``sessions`` comes with (``Gatehouse/UserSessionTracking``: the SQL and memory stores have
    /// one); with signed-cookie sessions there is none. See ``userSessions``.
    public var userSessionStore: (any UserSessionStore)? = nil
    /// How sessions are recorded by user (how stale "last seen" may be).
    public var userSessionsConfiguration = UserSessionsConfiguration()
    /// Where account email (password reset links) goes. The default writes each message to the log
    /// (Django's console backend): right for development, wrong for production, where a link in the
    /// log lets its readers set a user's password.
    public var emailSender: any EmailSender = ConsoleEmailSender()
    /// The sender address of account email (Django's `DEFAULT_FROM_EMAIL`).
    public var fromEmail: String = "webmaster@localhost"
    /// The hosts requests may name (this machine by default: `localhost`, `127.0.0.1`, `[::1]`) and the
    /// origin of links in email. Every other `Host` gets 400. See ``HostConfiguration``.
    public var hosts = HostConfiguration()
    /// How many seconds a password reset link works (Django's `PASSWORD_RESET_TIMEOUT`: 3 days).
    public var passwordResetTimeout: Int = PasswordResetTokenGenerator.defaultTimeout
    /// The Django site's `TIME_ZONE`, which Django's reset tokens count their timestamp in (UTC
    /// unless the Django site sets another); see ``Gatehouse/PasswordResetTokenGenerator/timeZone``.
    public var passwordResetTimeZone: TimeZone = TimeZone(identifier: "UTC")!
    /// The least time between two password reset messages to one user, in seconds (60; 0 for no
    /// limit). Django has none: a script could repeat the form into a flood of mail to a victim's
    /// inbox. Counted per process.
    public var passwordResetMailInterval: TimeInterval = 60
    /// Sends reset links off the request path (shared by copies of the builder).
    package let emailDeliveries = BackgroundEmailDelivery()
    /// The authentication backends, in order; `nil` means the model backend on ``users``.
    public var backends: [any AuthenticationBackend]? = nil
    /// When `true`, sessions live in the cookie itself (Django's `signed_cookies` backend, signed with
    /// ``keys``) instead of ``sessions``: no server-side rows, but a logout cannot revoke a copied
    /// cookie before it expires.
    public var signedCookieSessions: Bool = false
    /// Permission sets remembered across requests for ``permissionChecker``; never stale when
    /// ``users`` tracks its changes (``Gatehouse/PermissionChangeTracking``: the memory and SQL
    /// stores do), unused otherwise.
    public var permissionCache: PermissionCache = PermissionCache()
    /// Users remembered across requests by the default model backend, so that a warm request sends
    /// one query (its session). Used only when it cannot be stale: database sessions (not
    /// ``signedCookieSessions``) whose store reads the permission version on the same database as
    /// ``users`` (``GatehouseSQL``'s stores do). See ``Gatehouse/UserCache``.
    public var userCache: UserCache = UserCache()
    /// The security headers on every response Gatehouse makes (not on an application's behind the
    /// gateway): `X-Frame-Options`, `Content-Security-Policy`, `X-Content-Type-Options`,
    /// `Referrer-Policy`, `Cross-Origin-Opener-Policy`, and HSTS when configured.
    public var securityHeaders = SecurityHeadersConfiguration()
    /// Paths whose unsafe requests need no CSRF token, only a same-origin `Origin` (or, over HTTPS,
    /// `Referer`): see ``CSRFMiddleware/originCheckOnly``. The gateway sets it for the application's
    /// paths.
    ///
    /// ```swift
    /// builder.csrfOriginCheckOnly = { path in !path.hasPrefix("/accounts/") }
    /// ```
    public var csrfOriginCheckOnly: @Sendable (_ path: String) -> Bool = { _ in false }

    /// Creates the builder with Django's defaults and Gatehouse's stricter ones.
    public init(
        users: any UserStore,
        sessions: any SessionStore,
        keys: SigningKeys,
        sessionConfiguration: SessionConfiguration = SessionConfiguration(),
        sessionCookie: SessionCookieConfiguration = SessionCookieConfiguration(),
        csrf: CSRFConfiguration = .default,
        login: LoginConfiguration = LoginConfiguration(),
        templates: GatehouseTemplates = GatehouseTemplates(),
        hashers: PasswordHashers = PasswordHashers(),
        events: AuthenticationEvents = AuthenticationEvents(),
        clock: any WallClock = SystemWallClock(),
        proxies: TrustedProxyConfiguration = TrustedProxyConfiguration()
    ) {
        self.proxies = proxies
        self.users = users
        self.sessions = sessions
        self.keys = keys
        self.sessionConfiguration = sessionConfiguration
        self.sessionCookie = sessionCookie
        self.csrf = csrf
        self.login = login
        self.templates = templates
        self.hashers = hashers
        self.events = events
        self.clock = clock
    }

    /// The authentication chain: ``backends``, or the model backend on ``users`` (with
    /// ``userCache`` when ``cachesUsers``).
    public var authenticator: Authenticator {
        let model = ModelBackend(store: users, hashers: hashers, userCache: cachesUsers ? userCache : nil)
        return Authenticator(backends: backends ?? [model], events: events)
    }

    /// Whether ``userCache`` is used: when ``Gatehouse/PermissionVersionRule`` holds for these
    /// stores (database sessions on the same database as ``users``, never signed cookies).
    public var cachesUsers: Bool {
        PermissionVersionRule.allowsUserCache(sessions: signedCookieSessions ? nil : sessions, users: users)
    }

    /// The session login logic.
    public var sessionLogin: SessionLogin {
        SessionLogin(authenticator: authenticator, keys: keys, users: users, clock: clock)
    }

    /// A throttle on ``loginFailures`` with ``throttling``, ``clock`` and ``events``. Each call
    /// makes a new one with its own per-address turns; ``install(on:logRequests:)`` makes the one
    /// its login page uses.
    public var loginThrottle: LoginThrottle {
        LoginThrottle(configuration: throttling, store: loginFailures, clock: clock, events: events)
    }

    /// How denied requests are answered: the login page and templates of this builder.
    public var accessPolicy: AccessDeniedPolicy {
        AccessDeniedPolicy(loginPath: login.loginPath, redirectFieldName: login.redirectFieldName, templates: templates)
    }

    /// Django's model permissions on ``users``, then object permissions (when the store also keeps
    /// object grants, as ``GatehouseSQL``'s store does), both through ``permissionCache`` when the
    /// store tracks its changes.
    ///
    /// Throws ``GatehouseConfigurationError`` when ``users`` keeps no permissions (it is not a
    /// ``Gatehouse/PermissionStore``): a checker on such a store could only deny everything, so
    /// this is reported when the server is wired, not discovered as a 403 on every request.
    ///
    /// ```swift
    /// let checker = try builder.permissionChecker
    /// router.group("/reports").add(middleware: PermissionRequired(["reports.view_report"], checker: checker))
    /// ```
    public var permissionChecker: PermissionChecker {
        get throws {
            guard let permissions = users as? any PermissionStore else {
                throw GatehouseConfigurationError.storeKeepsNoPermissions(type(of: users))
            }
            return permissionChecker(permissions: permissions)
        }
    }

    private func permissionChecker(permissions: any PermissionStore) -> PermissionChecker {
        var backends: [any PermissionBackend] = [ModelPermissionBackend(store: permissions)]
        if let objects = users as? any AuthStore & ObjectPermissionStore {
            backends.append(ObjectPermissionBackend(store: objects))
        }
        guard let tracking = users as? any PermissionChangeTracking else { return PermissionChecker(backends: backends) }
        return PermissionChecker(backends: backends.map {
            CachedPermissionBackend($0, cache: permissionCache, versions: tracking.permissionVersion)
        })
    }

    /// Password reset tokens with ``keys``, ``passwordResetTimeout``, ``passwordResetTimeZone`` and ``clock``.
    public var passwordResetTokens: PasswordResetTokenGenerator {
        PasswordResetTokenGenerator(keys: keys, timeout: passwordResetTimeout, timeZone: passwordResetTimeZone, clock: clock)
    }

    /// The session manager.
    public var sessionManager: SessionManager {
        if signedCookieSessions {
            return SessionManager(signedCookies: SignedCookieSessionCodec(keys: keys), configuration: sessionConfiguration, clock: clock)
        }
        return SessionManager(store: sessions, configuration: sessionConfiguration, clock: clock)
    }

    /// The sessions of each user on ``userSessionStore`` (or the one ``sessions`` comes with); `nil`
    /// with ``signedCookieSessions`` (a signed-cookie session has no row to delete, so it cannot be
    /// ended from the server) or a session store without an index.
    public var userSessions: UserSessions? {
        guard !signedCookieSessions, let store = userSessionStore ?? (sessions as? any UserSessionTracking)?.userSessions else {
            return nil
        }
        return UserSessions(store: store, sessions: sessions, configuration: userSessionsConfiguration, clock: clock)
    }

    /// Adds Gatehouse's middleware and account pages to `router`.
    ///
    /// The middleware is one statically typed stack (Hummingbird's `addMiddleware` builder) rather
    /// than a dozen `add(middleware:)` calls, each of which is a separate existential responder
    /// that copies the request context on every request.
    public func install<Context: GatehouseRequestContextProtocol>(on router: Router<Context>, logRequests: Bool = true) {
        let userSessions = self.userSessions  // one, for the middleware and the pages: it remembers what it wrote
        router.add(middleware: middlewareStack(Context.self, userSessions: userSessions, logRequests: logRequests))
        addPages(to: router, userSessions: userSessions)
    }

    /// Adds Gatehouse's middleware and account pages to a router on ``GatehouseRequestContext``:
    /// the same as the generic ``install(on:logRequests:)``, with the middleware compiled for this
    /// context (no generic dispatch or type-metadata lookups on each request).
    public func install(on router: Router<GatehouseRequestContext>, logRequests: Bool = true) {
        let userSessions = self.userSessions
        let stack = middlewareStack(GatehouseRequestContext.self, userSessions: userSessions, logRequests: logRequests)
        router.add(middleware: ConcreteMiddlewareStack { request, context, next in try await stack.handle(request, context: context, next: next) })
        addPages(to: router, userSessions: userSessions)
    }

    /// Gatehouse's middleware, outermost first.
    private func middlewareStack<Context: GatehouseRequestContextProtocol>(
        _ context: Context.Type, userSessions: UserSessions?, logRequests: Bool
    ) -> some MiddlewareProtocol<Request, Response, Context> {
        let accessLog: AccessLogMiddleware<Context>? = logRequests ? AccessLogMiddleware(tokenPathPrefixes: [login.passwordResetConfirmPath]) : nil
        let accessLogFacts: AccessLogFactsMiddleware<Context>? = logRequests ? AccessLogFactsMiddleware() : nil
        return Self.stack(Context.self) {
            if let accessLog { accessLog }
            RequestMetricsMiddleware<Context>(loginPath: login.loginPath, logoutPath: login.logoutPath)
            SecurityHeadersMiddleware<Context>(configuration: securityHeaders)
            StoreOutageMiddleware<Context>()
            SingleHostMiddleware<Context>()
            AllowedHostsMiddleware<Context>(configuration: hosts)
            TrustedProxyMiddleware<Context>(configuration: proxies)
            AccessPolicyMiddleware<Context>(accessPolicy)
            GatehouseSessionMiddleware<Context>(manager: sessionManager, cookie: sessionCookie, userSessions: userSessions)
            UserSessionMiddleware<Context>(login: sessionLogin)
            if let accessLogFacts { accessLogFacts }
            CSRFMiddleware<Context>(configuration: csrf, originCheckOnly: csrfOriginCheckOnly)
        }
    }

    private static func stack<Context: RequestContext, Stack: MiddlewareProtocol<Request, Response, Context>>(
        _ context: Context.Type, @MiddlewareFixedTypeBuilder<Request, Response, Context> _ build: () -> Stack
    ) -> Stack {
        build()
    }

    /// The account pages (login, logout, password change and reset, sessions).
    private func addPages<Context: GatehouseRequestContextProtocol>(to router: Router<Context>, userSessions: UserSessions?) {
        LoginRoutes<Context>(
            authenticator: authenticator, login: sessionLogin, templates: templates, configuration: login, throttle: loginThrottle
        ).add(to: router)
        PasswordChangeRoutes<Context>(
            login: sessionLogin, hashers: hashers, validators: passwordValidators, templates: templates, configuration: login
        ).add(to: router)
        UserSessionsRoutes<Context>(userSessions: userSessions, templates: templates, configuration: login).add(to: router)
        var resetRoutes = PasswordResetRoutes<Context>(
            login: sessionLogin, hashers: hashers, tokens: passwordResetTokens, emailSender: emailSender, fromEmail: fromEmail,
            origin: { [hosts] request, isSecure in hosts.origin(of: request, isSecure: isSecure) }, validators: passwordValidators, templates: templates, configuration: login, delivery: emailDeliveries
        )
        resetRoutes.minimumMailInterval = passwordResetMailInterval
        resetRoutes.add(to: router)
    }

    /// A new router with Gatehouse installed and `/` sending visitors to their profile (or to log in).
    public func makeRouter(logRequests: Bool = true) -> Router<GatehouseRequestContext> {
        let router = Router(context: GatehouseRequestContext.self)
        install(on: router, logRequests: logRequests)
        let profile = login.profilePath
        router.get("/") { _, _ in Response.redirect(to: profile, type: .found) }
        return router
    }
}

/// A middleware stack built for ``GatehouseRequestContext`` in a non-generic function, so the
/// compiler specializes every middleware in it; Hummingbird calls it through one existential.
package struct ConcreteMiddlewareStack: RouterMiddleware {
    package typealias Context = GatehouseRequestContext
    let body: @Sendable (Request, Context, (Request, Context) async throws -> Response) async throws -> Response

    package init(_ body: @escaping @Sendable (Request, Context, (Request, Context) async throws -> Response) async throws -> Response) {
        self.body = body
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await body(request, context, next)
    }
}
