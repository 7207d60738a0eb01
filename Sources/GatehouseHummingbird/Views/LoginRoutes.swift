public import Gatehouse
import Foundation
public import Hummingbird
import HummingbirdAuth
import NIOCore

/// The account pages at Django's paths: the login form, logout and the profile page.
///
/// - `GET /accounts/login/` shows the form with a hidden `next`.
/// - `POST /accounts/login/` validates as Django's `AuthenticationForm`, logs in and redirects to a
///   safe `next` or to ``LoginConfiguration/loginRedirectURL``. Through ``throttle``: a client
///   address or username with too many failed logins gets the form again with status 429 and
///   `Retry-After`, before any password is hashed (the same page whether the account exists or
///   not, and whether the password is right or not).
/// - `POST /accounts/logout/` logs out; `GET` gets 405.
/// - `GET /accounts/profile/` shows who is logged in (anonymous visitors are sent to log in).
///
/// Install ``GatehouseSessionMiddleware``, ``UserSessionMiddleware`` and ``CSRFMiddleware`` in front.
///
/// ```swift
/// LoginRoutes(authenticator: authenticator, login: sessionLogin).add(to: router)
/// ```
public struct LoginRoutes<Context: GatehouseRequestContextProtocol>: Sendable {
    /// Checks credentials.
    public let authenticator: Authenticator
    /// Attaches users to sessions.
    public let login: SessionLogin
    /// The pages.
    public let templates: GatehouseTemplates
    /// Paths and behaviour.
    public let configuration: LoginConfiguration
    /// Failed-login limits and per-address turns at the hashing pool; `nil` checks every attempt.
    public let throttle: LoginThrottle?
    let redirects: RedirectValidator

    static var invalidLogin: String {
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    }
    static var inactiveAccount: String { "This account is inactive." }
    static var required: String { "This field is required." }
    static var throttled: String { "Too many failed login attempts. Please try again later." }
    static var tooManyAtOnce: String { "Too many login attempts at once. Please try again in a moment." }

    /// Creates the routes.
    public init(
        authenticator: Authenticator,
        login: SessionLogin,
        templates: GatehouseTemplates = GatehouseTemplates(),
        configuration: LoginConfiguration = LoginConfiguration(),
        throttle: LoginThrottle? = LoginThrottle()
    ) {
        self.authenticator = authenticator
        self.login = login
        self.templates = templates
        self.configuration = configuration
        self.throttle = throttle
        self.redirects = RedirectValidator(allowedHosts: configuration.allowedRedirectHosts)
    }

    /// Adds the routes to `router`.
    public func add(to router: Router<Context>) {
        router.get(RouterPath(configuration.loginPath)) { request, context in try await showLogin(request, context) }
        router.post(RouterPath(configuration.loginPath)) { request, context in try await submitLogin(request, context) }
        router.post(RouterPath(configuration.logoutPath)) { request, context in try await logout(request, context) }
        router.get(RouterPath(configuration.logoutPath)) { _, _ -> Response in
            var headers = HTTPFields()
            headers[.allow] = "POST"
            return Response(status: .methodNotAllowed, headers: headers)
        }
        router.get(RouterPath(configuration.profilePath)) { request, context in try await profile(request, context) }
        // HEAD as GET without the body (a router made without `.autoGenerateHeadEndpoints`, or one
        // whose `**` route would otherwise answer HEAD, still serves it).
        router.head(RouterPath(configuration.loginPath)) { request, context in try await showLogin(request, context).createHeadResponse() }
        router.head(RouterPath(configuration.profilePath)) { request, context in try await profile(request, context).createHeadResponse() }
    }

    // MARK: Login

    func showLogin(_ request: Request, _ context: Context) async throws -> Response {
        let next = request.uri.queryParameters.get(configuration.redirectFieldName) ?? ""
        if configuration.redirectAuthenticatedUser, context.identity != nil {
            let target = successURL(next: next, request: request, context: context)
            if target != request.uri.path { return .redirect(to: target, type: .found) }
        }
        return page(loginValues(context: context, next: next, username: "", errors: LoginErrors()))
    }

    func submitLogin(_ request: Request, _ context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: configuration.maximumFormBytes)
        let form = FormFields.parse(body)
        let username = form.last("username") ?? ""
        let password = form.last("password") ?? ""
        let next = form.last(configuration.redirectFieldName) ?? request.uri.queryParameters.get(configuration.redirectFieldName) ?? ""
        var errors = LoginErrors()
        if username.isEmpty { errors.username.append(Self.required) }
        if password.isEmpty { errors.password.append(Self.required) }
        if username.unicodeScalars.count > Username.maximumLength {
            errors.username.append("Ensure this value has at most \(Username.maximumLength) characters (it has \(username.unicodeScalars.count)).")
        }
        if errors.isEmpty {
            let facts = context.requestFacts(request)
            let result: AuthenticationResult?
            do {
                let credentials = Credentials(username: username, password: password)
                switch try await attempt(credentials, facts: facts) {
                case .authenticated(let authenticated):
                    result = authenticated
                case .failed:
                    result = nil
                case .locked(let lock):
                    record(.throttled, username: username, reason: "locked", context: context)
                    errors.nonField.append(Self.throttled)
                    let retryAfter = lock.retryAfterSeconds(now: throttle?.clock.now() ?? Date())
                    return refused(loginValues(context: context, next: next, username: username, errors: errors), retryAfter: retryAfter)
                case .tooManyConcurrent:
                    record(.throttled, username: username, reason: "too_many_at_once", context: context)
                    errors.nonField.append(Self.tooManyAtOnce)
                    return refused(loginValues(context: context, next: next, username: username, errors: errors), retryAfter: 1)
                }
            } catch let error as PasswordError where error == .busy {
                throw HTTPError(.serviceUnavailable, message: "Too many logins at once; try again in a moment.")
            } catch let error as LoginThrottleError where error == .storeUnavailable {
                throw HTTPError(.serviceUnavailable, message: "Logins are unavailable; try again shortly.")
            }
            if let result {
                if !result.user.isActive {
                    record(.failed, username: username, reason: "inactive", context: context)
                    errors.nonField.append(Self.inactiveAccount)
                } else {
                    let session = try context.requireSession()
                    try await login.login(result, session: session, request: facts)
                    context.gatehouse.csrf?.rotate()
                    record(.succeeded, username: result.user.username, userID: result.user.id, context: context)
                    return .redirect(to: successURL(next: next, request: request, context: context), type: .found)
                }
            } else {
                record(.failed, username: username, reason: "invalid_credentials", context: context)
                errors.nonField.append(Self.invalidLogin)
            }
        }
        return page(loginValues(context: context, next: next, username: username, errors: errors))
    }

    /// Checks `credentials` through ``throttle``, or directly when there is none.
    func attempt(_ credentials: Credentials, facts: RequestFacts) async throws -> LoginAttemptOutcome {
        guard let throttle else {
            return try await authenticator.authenticate(credentials, request: facts).map { .authenticated($0) } ?? .failed
        }
        return try await throttle.authenticate(credentials, request: facts, using: authenticator)
    }

    enum LoginOutcome: String {
        case succeeded, failed, throttled
    }

    /// Counts a login attempt (`gatehouse_logins_total`) and writes its audit event
    /// (`login.succeeded`, `login.failed`, `login.throttled`): the username as typed, never the password.
    func record(_ outcome: LoginOutcome, username: String, userID: Int64? = nil, reason: String? = nil, context: Context) {
        DomainMetrics.shared.countLogin(outcome.rawValue)
        var fields = ["username": username, "path": configuration.loginPath]
        fields["user_id"] = userID.map { String($0) }
        fields["reason"] = reason
        fields["client"] = context.gatehouse.remoteAddress
        AuditLog().record(AuditEvent("login.\(outcome.rawValue)", fields))
    }

    /// The login form with status 429 and `Retry-After`.
    func refused(_ values: [String: Any], retryAfter: Int) -> Response {
        var response = page(values, status: .tooManyRequests)
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }

    /// `next` when it is safe by Django's rules, otherwise the configured landing page.
    func successURL(next: String, request: Request, context: Context) -> String {
        let host = request.head.authority
        if !next.isEmpty, redirects.isSafe(next, requestHost: host, requireHTTPS: context.gatehouse.isSecure) {
            return next
        }
        return configuration.loginRedirectURL
    }

    func loginValues(context: Context, next: String, username: String, errors: LoginErrors) -> [String: Any] {
        [
            "title": "Log in",
            "action": configuration.loginPath,
            "csrfToken": context.gatehouse.csrf?.token() ?? "",
            "next": next,
            "passwordResetURL": configuration.passwordResetPath,
            "username": username,
            "hasNonFieldErrors": !errors.nonField.isEmpty,
            "nonFieldErrors": errors.nonField,
            "usernameErrors": errors.username,
            "passwordErrors": errors.password,
        ]
    }

    // MARK: Logout and profile

    func logout(_ request: Request, _ context: Context) async throws -> Response {
        let session = try context.requireSession()
        let user = context.identity
        await login.logout(session: session, user: user, request: context.requestFacts(request))
        if let user, let id = user.userID {
            var fields = ["user_id": String(id), "username": user.username]
            fields["client"] = context.gatehouse.remoteAddress
            AuditLog().record(AuditEvent("logout", fields))
        }
        context.gatehouse.csrf?.rotate()
        if let target = configuration.logoutRedirectURL {
            return .redirect(to: target, type: .found)
        }
        return page(["title": "Logged out", "loginURL": configuration.loginPath], template: "registration/logged_out")
    }

    func profile(_ request: Request, _ context: Context) async throws -> Response {
        guard let user = context.identity else {
            return .redirect(to: LoginRedirect.url(loginPath: configuration.loginPath, next: request.uri.description,
                                                   field: configuration.redirectFieldName), type: .found)
        }
        var values: [String: Any] = [
            "title": "Your account", "username": user.username, "staff": user.isStaff ? "yes" : "no", "superuser": user.isSuperuser ? "yes" : "no",
            "logoutURL": configuration.logoutPath, "csrfToken": context.gatehouse.csrf?.token() ?? "",
        ]
        values["passwordChangeURL"] = configuration.passwordChangePath
        values["sessionsURL"] = configuration.sessionsPath
        // Mustache shows a section for any non-nil value, empty strings included: leave empty ones out.
        if !user.fullName.isEmpty { values["fullName"] = user.fullName }
        if !user.email.isEmpty { values["email"] = user.email }
        return page(values, template: "registration/profile")
    }

    func page(_ values: [String: Any], template: String = "registration/login", status: HTTPResponse.Status = .ok) -> Response {
        templates.page(template, values, status: status)
    }
}

/// The errors of a login form, per field.
struct LoginErrors {
    var nonField: [String] = []
    var username: [String] = []
    var password: [String] = []
    var isEmpty: Bool { nonField.isEmpty && username.isEmpty && password.isEmpty }
}

/// The login URL with `next` set, as Django's `redirect_to_login`.
enum LoginRedirect {
    static func url(loginPath: String, next: String, field: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let encoded = next.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
        let separator = loginPath.contains("?") ? "&" : "?"
        return "\(loginPath)\(separator)\(field)=\(encoded)"
    }
}
