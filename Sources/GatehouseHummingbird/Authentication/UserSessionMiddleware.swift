public import Gatehouse
public import Hummingbird
import HummingbirdAuth

/// Finds the session's user on every request (Django's `AuthenticationMiddleware`) and puts it on
/// the context as hummingbird-auth's `identity`.
///
/// A session without `_auth_user_id` costs no query. A user that is gone, inactive (for the default
/// backend), served by a backend no longer configured, or whose password changed since the session
/// was made gives an anonymous request and a flushed session. Install it after
/// ``SessionMiddleware``.
///
/// ```swift
/// router.add(middleware: SessionMiddleware(manager: sessions))
/// router.add(middleware: UserSessionMiddleware(login: sessionLogin))
/// ```
public struct UserSessionMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// The login logic that restores users.
    public let login: SessionLogin

    /// Creates the middleware.
    public init(login: SessionLogin) {
        self.login = login
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let session = context.gatehouse.session, let user = await login.user(in: session) {
            context.identity = user
            context.gatehouse.backend = session[SessionLogin.backendKey]?.stringValue
        }
        return try await next(request, context)
    }
}
