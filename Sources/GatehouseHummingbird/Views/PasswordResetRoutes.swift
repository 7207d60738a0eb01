package import Foundation
public import Gatehouse
public import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// The password reset pages at Django's paths, for visitors who forgot their password.
///
/// - `GET/POST /accounts/password_reset/`: the form (`email`, Django's `PasswordResetForm`). Every
///   active user with that email (case-insensitive) and a usable password is sent a link
///   `<origin>/accounts/reset/<uidb64>/<token>/` (``Gatehouse/PasswordResetTokenGenerator``). The
///   answer is the same 302 to `/accounts/password_reset/done/` whether anybody matched or not, and
///   takes the same time: the users are looked up either way and the mail leaves off the request
///   path (a failing or slow sender is logged, without the link, and changes nothing here).
/// - `GET /accounts/reset/<uidb64>/<token>/`: a valid token moves into the session and the browser
///   goes on to `/accounts/reset/<uidb64>/set-password/`, so the token is not in the address of a
///   page whose `Referer` could leak it. There: `new_password1`, `new_password2` with the password
///   validators; success saves the hash made by the preferred hasher, ends every session of the
///   user (the session hash changes), leaves this session logged in as nobody, and answers 302 to
///   `/accounts/reset/done/`. An invalid, used or expired link, or a uid naming nobody, shows Django's
///   "invalid link" page (200).
///
/// CSRF-protected like every form (``CSRFMiddleware`` in front). The pages are the templates
/// `registration/password_reset_form`, `registration/password_reset_done`,
/// `registration/password_reset_confirm` and `registration/password_reset_complete`; the message
/// is `registration/password_reset_subject` and `registration/password_reset_email`.
///
/// ```swift
/// PasswordResetRoutes<GatehouseRequestContext>(
///     login: builder.sessionLogin, hashers: builder.hashers,
///     tokens: PasswordResetTokenGenerator(keys: builder.keys), emailSender: builder.emailSender
/// ).add(to: router)
/// ```
public struct PasswordResetRoutes<Context: GatehouseRequestContextProtocol>: Sendable {
    /// Django's session key for the token between the link and the form (`INTERNAL_RESET_SESSION_TOKEN`).
    public static var sessionTokenKey: String { "_password_reset_token" }
    /// The word that replaces the token in the form's address (Django's `reset_url_token`).
    public static var setPasswordToken: String { "set-password" }

    /// The users (through its store) and logging out of this session.
    public let login: SessionLogin
    /// Hashes the new password.
    public let hashers: PasswordHashers
    /// Makes and checks the tokens.
    public let tokens: PasswordResetTokenGenerator
    /// Delivers the messages.
    public let emailSender: any EmailSender
    /// The sender address (Django's `DEFAULT_FROM_EMAIL`).
    public let fromEmail: String
    /// The scheme and host links start with, such as `https://example.com`, for a request and
    /// whether it came over HTTPS (``GatehouseRequestState/isSecure``).
    public let origin: @Sendable (_ request: Request, _ isSecure: Bool) -> String
    /// The rules a new password must meet.
    public let validators: PasswordValidators
    /// The pages and the message.
    public let templates: GatehouseTemplates
    /// Paths.
    public let configuration: LoginConfiguration
    let delivery: BackgroundEmailDelivery
    /// The least time between two reset messages to one user (seconds); 0 for no limit.
    package var minimumMailInterval: TimeInterval = 60

    /// Creates the routes. `origin` defaults to the request's scheme and `Host`, which is safe only
    /// behind ``AllowedHostsMiddleware`` (a link built on a `Host` the client chose would send the
    /// token to that host); ``GatehouseRouterBuilder`` passes its ``HostConfiguration``'s origin.
    public init(
        login: SessionLogin,
        hashers: PasswordHashers,
        tokens: PasswordResetTokenGenerator,
        emailSender: any EmailSender,
        fromEmail: String = "webmaster@localhost",
        origin: @escaping @Sendable (_ request: Request, _ isSecure: Bool) -> String = {
            ($1 ? "https://" : "http://") + ($0.head.authority ?? "localhost")
        },
        validators: PasswordValidators = .defaults,
        templates: GatehouseTemplates = GatehouseTemplates(),
        configuration: LoginConfiguration = LoginConfiguration()
    ) {
        self.init(
            login: login, hashers: hashers, tokens: tokens, emailSender: emailSender, fromEmail: fromEmail, origin: origin,
            validators: validators, templates: templates, configuration: configuration, delivery: BackgroundEmailDelivery()
        )
    }

    package init(
        login: SessionLogin,
        hashers: PasswordHashers,
        tokens: PasswordResetTokenGenerator,
        emailSender: any EmailSender,
        fromEmail: String,
        origin: @escaping @Sendable (_ request: Request, _ isSecure: Bool) -> String,
        validators: PasswordValidators,
        templates: GatehouseTemplates,
        configuration: LoginConfiguration,
        delivery: BackgroundEmailDelivery
    ) {
        self.login = login
        self.hashers = hashers
        self.tokens = tokens
        self.emailSender = emailSender
        self.fromEmail = fromEmail
        self.origin = origin
        self.validators = validators
        self.templates = templates
        self.configuration = configuration
        self.delivery = delivery
    }

    /// Adds the routes to `router`.
    public func add(to router: Router<Context>) {
        router.get(RouterPath(configuration.passwordResetPath)) { _, context -> Response in
            formPage(context: context, email: "", errors: FormErrors())
        }
        router.post(RouterPath(configuration.passwordResetPath)) { request, context -> Response in
            try await requestReset(request, context)
        }
        router.get(RouterPath(configuration.passwordResetDonePath)) { _, _ -> Response in
            page(["title": "Password reset sent", "loginURL": configuration.loginPath], template: "registration/password_reset_done")
        }
        let confirm = RouterPath(configuration.passwordResetConfirmPath + ":uidb64/:token/")
        router.get(confirm) { request, context -> Response in try await confirmPage(request, context) }
        router.post(confirm) { request, context -> Response in try await confirmPage(request, context) }
        router.get(RouterPath(configuration.passwordResetCompletePath)) { _, _ -> Response in
            page(["title": "Password reset complete", "loginURL": configuration.loginPath], template: "registration/password_reset_complete")
        }
    }

    // MARK: Asking for a link

    func requestReset(_ request: Request, _ context: Context) async throws -> Response {
        let fields = FormFields.parse(try await request.body.collect(upTo: configuration.maximumFormBytes))
        let form = PasswordResetForm(email: fields.last(PasswordResetForm.emailField))
        let errors = form.errors()
        guard errors.isEmpty else { return formPage(context: context, email: form.email ?? "", errors: errors) }
        // Looked up whether or not anybody will match, and nothing is awaited after it: the answer
        // takes the same time either way.
        let candidates = try await login.users.users(emailMatching: form.cleanedEmail)
        let origin = self.origin(request, context.gatehouse.isSecure)
        for user in candidates where form.sendsReset(to: user) {
            send(to: user, origin: origin, logger: context.logger)
        }
        return .redirect(to: configuration.passwordResetDonePath, type: .found)
    }

    /// Starts sending `user` a reset link (Django's `PasswordResetForm.save` for one user).
    func send(to user: User, origin: String, logger: Logger) {
        let token = tokens.makeToken(for: user)
        let link = origin + configuration.passwordResetConfirmPath + PasswordResetUID.encode(user.id) + "/" + token + "/"
        // The host (and port) of the origin: the site's name in the message, as Django's `RequestSite`.
        let siteName = HostConfiguration.authority(ofOrigin: origin)
        let values: [String: Any] = [
            "siteName": siteName, "domain": siteName, "protocol": origin.hasPrefix("https:") ? "https" : "http",
            "uid": PasswordResetUID.encode(user.id), "token": token, "resetURL": link, "username": user.username, "email": user.email,
        ]
        // Django removes every line break from the subject.
        let subject = (templates.render("registration/password_reset_subject", values) ?? "")
            .split(whereSeparator: \.isNewline).joined()
        let body = templates.render("registration/password_reset_email", values) ?? ""
        let message = EmailMessage(from: fromEmail, to: [user.email], subject: subject, body: body)
        delivery.deliver(
            message, via: emailSender, logger: logger, about: "password reset for user \(user.id)", redacting: [token, link],
            key: "password-reset:\(user.id)", now: tokens.clock.now(), minimumInterval: minimumMailInterval
        )
    }

    func formPage(context: Context, email: String, errors: FormErrors) -> Response {
        var values: [String: Any] = [:]
        values["title"] = "Password reset"
        values["action"] = configuration.passwordResetPath
        values["csrfToken"] = context.gatehouse.csrf?.token() ?? ""
        values["email"] = email
        values["emailErrors"] = errors[PasswordResetForm.emailField].map { $0.message }
        values["loginURL"] = configuration.loginPath
        return page(values, template: "registration/password_reset_form")
    }

    // MARK: Following a link

    func confirmPage(_ request: Request, _ context: Context) async throws -> Response {
        let session = try context.requireSession()
        guard let uidb64 = context.parameters.get("uidb64"), let token = context.parameters.get("token"),
            let id = PasswordResetUID.decode(uidb64), let user = try await login.users.user(id: id)
        else { return invalidLinkPage() }
        guard token == Self.setPasswordToken else {
            // The link itself: its token moves into the session, and the browser on to the form.
            guard tokens.checkToken(token, for: user) else { return invalidLinkPage() }
            session[Self.sessionTokenKey] = .string(token)
            return .redirect(to: setPasswordPath(uidb64), type: .found)
        }
        guard let sessionToken = session[Self.sessionTokenKey]?.stringValue, tokens.checkToken(sessionToken, for: user) else {
            return invalidLinkPage()
        }
        guard request.method == .post else { return confirmForm(context: context, uidb64: uidb64, user: user, errors: FormErrors()) }
        return try await setPassword(request, context, session: session, uidb64: uidb64, user: user)
    }

    func setPasswordPath(_ uidb64: String) -> String {
        configuration.passwordResetConfirmPath + uidb64 + "/" + Self.setPasswordToken + "/"
    }

    func setPassword(_ request: Request, _ context: Context, session: Session, uidb64: String, user: User) async throws -> Response {
        let fields = FormFields.parse(try await request.body.collect(upTo: configuration.maximumFormBytes))
        let form = SetPasswordForm(
            newPassword1: fields.last(SetPasswordForm.newPassword1Field), newPassword2: fields.last(SetPasswordForm.newPassword2Field)
        )
        let errors = form.errors(for: user, validators: validators)
        guard errors.isEmpty else { return confirmForm(context: context, uidb64: uidb64, user: user, errors: errors) }
        var changed = user
        do {
            changed.password = try await hashers.makePassword(form.newPassword1 ?? "")
        } catch {
            throw PasswordChangeRoutes<Context>.unavailable(error)
        }
        try await login.users.updateUser(changed)
        let facts = context.requestFacts(request)
        // The token is spent (the hash it was made from is gone); this browser is left logged in as
        // nobody: whoever it was logged in as, it is not proof of knowing the new password.
        session.removeValue(forKey: Self.sessionTokenKey)
        if session.contains(SessionLogin.userIDKey) {
            await login.logout(session: session, user: context.identity, request: facts)
        } else {
            session.cycleKey()
        }
        await login.authenticator.events.emit(.passwordChanged(changed, facts))
        var audit = ["user_id": String(changed.id), "username": changed.username]
        audit["client"] = context.gatehouse.remoteAddress
        AuditLog().record(AuditEvent("password.reset", audit))
        return .redirect(to: configuration.passwordResetCompletePath, type: .found)
    }

    func confirmForm(context: Context, uidb64: String, user: User, errors: FormErrors) -> Response {
        var values: [String: Any] = [:]
        values["title"] = "Enter new password"
        values["validlink"] = true
        values["action"] = setPasswordPath(uidb64)
        values["csrfToken"] = context.gatehouse.csrf?.token() ?? ""
        values["username"] = user.username
        values["newPassword1Errors"] = errors[SetPasswordForm.newPassword1Field].map { $0.message }
        values["newPassword2Errors"] = errors[SetPasswordForm.newPassword2Field].map { $0.message }
        values["helpTexts"] = validators.helpTexts
        return page(values, template: "registration/password_reset_confirm")
    }

    func invalidLinkPage() -> Response {
        page(
            ["title": "Password reset unsuccessful", "validlink": false, "passwordResetURL": configuration.passwordResetPath],
            template: "registration/password_reset_confirm"
        )
    }

    func page(_ values: [String: Any], template: String) -> Response {
        templates.page(template, values)
    }
}
