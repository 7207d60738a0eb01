public import Gatehouse
public import Hummingbird
import HummingbirdAuth
public import HTTPTypes

/// Logs in the user a trusted front end names in a header: Django's `RemoteUserMiddleware` with
/// ``RemoteUserBackend``.
///
/// The header is read only on requests that ``TrustedProxyMiddleware`` marked as coming from a
/// trusted proxy; from anyone else it is ignored, since any client can send it. When the header
/// disappears, a session that the remote-user backend logged in is logged out.
///
/// ```swift
/// router.add(middleware: TrustedProxyMiddleware(configuration: proxies))
/// router.add(middleware: GatehouseSessionMiddleware(manager: sessions))
/// router.add(middleware: UserSessionMiddleware(login: login))
/// router.add(middleware: RemoteUserMiddleware(backend: remote, login: login))
/// ```
public struct RemoteUserMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// Finds or creates the named user.
    public let backend: RemoteUserBackend
    /// Attaches it to the session. Its authenticator must include `backend`.
    public let login: SessionLogin
    /// The header the front end sets.
    public let header: HTTPField.Name

    /// Creates the middleware.
    public init(backend: RemoteUserBackend, login: SessionLogin, header: HTTPField.Name = HTTPField.Name("X-Remote-User")!) {
        self.backend = backend
        self.login = login
        self.header = header
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let session = try context.requireSession()
        let named = context.gatehouse.viaTrustedProxy ? request.headers[header] : nil
        guard let named, !named.isEmpty else {
            if context.gatehouse.backend == backend.identifier {
                await login.logout(session: session, user: context.identity, request: context.requestFacts(request))
                context.identity = nil
                context.gatehouse.backend = nil
            }
            return try await next(request, context)
        }
        if let current = context.identity, current.username == Username.normalize(named) {
            return try await next(request, context)
        }
        let facts = context.requestFacts(request)
        if let user = try await backend.authenticate(Credentials(remoteUser: named), request: facts) {
            let saved = try await login.login(AuthenticationResult(user: user, backend: backend.identifier), session: session, request: facts)
            context.identity = saved
            context.gatehouse.backend = backend.identifier
            context.gatehouse.csrf?.rotate()
        } else if context.identity != nil {
            await login.logout(session: session, user: context.identity, request: facts)
            context.identity = nil
        }
        return try await next(request, context)
    }
}
