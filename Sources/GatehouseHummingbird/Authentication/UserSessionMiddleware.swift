public import Gatehouse
public import Hummingbird
import HummingbirdAuth
import Logging

/// Finds the session's user on every request (Django's `AuthenticationMiddleware`) and puts it on
/// the context as hummingbird-auth's `identity`.
///
/// A session without `_auth_user_id` costs no query. A user that is gone, inactive (for the default
/// backend), served by a backend no longer configured, or whose password changed since the session
/// was made gives an anonymous request and a flushed session. An error loading the user (the
/// database is down) answers 503 and keeps the session: an outage is not a logout. Install it after
/// ``GatehouseSessionMiddleware``.
///
/// ```swift
/// router.add(middleware: GatehouseSessionMiddleware(manager: sessions))
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
        if let session = context.gatehouse.session {
            let restored: AuthenticationResult?
            do {
                restored = try await login.user(in: session)
            } catch {
                // Not a logout: the session is left as it is, and the next request tries again.
                context.logger.error("the session's user could not be loaded", metadata: ["error_type": "\(type(of: error))"])
                throw HTTPError(.serviceUnavailable, message: "The service is briefly unavailable; try again shortly.")
            }
            if let restored {
                context.identity = restored.user
                context.gatehouse.backend = restored.backend
            }
        }
        return try await next(request, context)
    }
}
