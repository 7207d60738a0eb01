public import Gatehouse
public import Hummingbird
import HummingbirdAuth
import NIOCore

/// The password change pages at Django's paths, for logged-in users.
///
/// - `GET /accounts/password_change/` shows the form (`old_password`, `new_password1`,
///   `new_password2`); an anonymous browser is sent to log in with `next`.
/// - `POST` checks it as Django's `PasswordChangeForm` (``Gatehouse/PasswordChangeForm``: every
///   error at once, Django's messages). On success the password is hashed with the preferred hasher
///   and saved, this session stays logged in under a new key with the new session hash (Django's
///   `update_session_auth_hash`), every other session of the user ends on its next request, and the
///   answer is a 302 to `/accounts/password_change/done/`.
/// - `GET /accounts/password_change/done/` confirms it.
///
/// CSRF-protected like every form (``CSRFMiddleware`` in front). The pages are the templates
/// `registration/password_change_form` and `registration/password_change_done`.
///
/// ```swift
/// PasswordChangeRoutes<GatehouseRequestContext>(login: builder.sessionLogin, hashers: builder.hashers).add(to: router)
/// ```
public struct PasswordChangeRoutes<Context: GatehouseRequestContextProtocol>: Sendable {
    /// Keeps the session logged in after the change, and saves the user.
    public let login: SessionLogin
    /// Checks the old password and hashes the new one.
    public let hashers: PasswordHashers
    /// The rules a new password must meet.
    public let validators: PasswordValidators
    /// The pages.
    public let templates: GatehouseTemplates
    /// Paths.
    public let configuration: LoginConfiguration

    /// Creates the routes.
    public init(
        login: SessionLogin,
        hashers: PasswordHashers,
        validators: PasswordValidators = .defaults,
        templates: GatehouseTemplates = GatehouseTemplates(),
        configuration: LoginConfiguration = LoginConfiguration()
    ) {
        self.login = login
        self.hashers = hashers
        self.validators = validators
        self.templates = templates
        self.configuration = configuration
    }

    /// Adds the routes to `router`.
    public func add(to router: Router<Context>) {
        router.get(RouterPath(configuration.passwordChangePath)) { request, context -> Response in
            try await showForm(request, context)
        }
        router.post(RouterPath(configuration.passwordChangePath)) { request, context -> Response in
            try await submit(request, context)
        }
        router.get(RouterPath(configuration.passwordChangeDonePath)) { request, context -> Response in
            try await showDone(request, context)
        }
    }

    func showForm(_ request: Request, _ context: Context) async throws -> Response {
        _ = try requireUser(context)
        return formPage(context: context, errors: FormErrors())
    }

    func showDone(_ request: Request, _ context: Context) async throws -> Response {
        _ = try requireUser(context)
        let values: [String: Any] = ["title": "Password change successful", "profileURL": configuration.profilePath]
        return page(values, template: "registration/password_change_done")
    }

    /// The logged-in user; anybody else is answered as a guard answers (302 to log in for a
    /// browser, 401 for an API client).
    func requireUser(_ context: Context) throws -> User {
        guard let user = context.identity else { throw AccessDenied.loginRequired(context.gatehouse.accessPolicy) }
        return user
    }

    func submit(_ request: Request, _ context: Context) async throws -> Response {
        let user = try requireUser(context)
        let fields = FormFields.parse(try await request.body.collect(upTo: configuration.maximumFormBytes))
        let form = PasswordChangeForm(
            oldPassword: fields.last(PasswordChangeForm.oldPasswordField),
            newPassword1: fields.last(SetPasswordForm.newPassword1Field),
            newPassword2: fields.last(SetPasswordForm.newPassword2Field)
        )
        let errors: FormErrors
        do {
            errors = try await form.errors(for: user, hashers: hashers, validators: validators)
        } catch {
            throw Self.unavailable(error)
        }
        guard errors.isEmpty else { return formPage(context: context, errors: errors) }
        var changed = user
        do {
            changed.password = try await hashers.makePassword(form.newPassword.newPassword1)
        } catch {
            throw Self.unavailable(error)
        }
        try await login.users.updateUser(changed)
        login.updateSessionAuthHash(session: try context.requireSession(), user: changed)
        await login.authenticator.events.emit(.passwordChanged(changed, context.requestFacts(request)))
        var audit = ["user_id": String(changed.id), "username": changed.username, "via": "form"]
        audit["client"] = context.gatehouse.remoteAddress
        AuditLog().record(AuditEvent("password.changed", audit))
        return .redirect(to: configuration.passwordChangeDonePath, type: .found)
    }

    /// A hashing pool too busy to check or hash a password: 503, try again.
    static func unavailable(_ error: PasswordError) -> any Error {
        guard error == .busy else { return error }
        return HTTPError(.serviceUnavailable, message: "Too many password checks at once; try again in a moment.")
    }

    func formPage(context: Context, errors: FormErrors) -> Response {
        let nonField: [String] = errors[FormErrors.nonField].map { $0.message }
        let old: [String] = errors[PasswordChangeForm.oldPasswordField].map { $0.message }
        let first: [String] = errors[SetPasswordForm.newPassword1Field].map { $0.message }
        let second: [String] = errors[SetPasswordForm.newPassword2Field].map { $0.message }
        var values: [String: Any] = [:]
        values["title"] = "Password change"
        values["action"] = configuration.passwordChangePath
        values["csrfToken"] = context.gatehouse.csrf?.token() ?? ""
        values["hasNonFieldErrors"] = !nonField.isEmpty
        values["nonFieldErrors"] = nonField
        values["oldPasswordErrors"] = old
        values["newPassword1Errors"] = first
        values["newPassword2Errors"] = second
        values["helpTexts"] = validators.helpTexts
        values["profileURL"] = configuration.profilePath
        return page(values, template: "registration/password_change_form")
    }

    func page(_ values: [String: Any], template: String) -> Response {
        templates.page(template, values)
    }
}
