public import Gatehouse
public import Hummingbird
public import HummingbirdAuth
import NIOCore

/// What Gatehouse's middleware keeps about a request: its session and CSRF state.
///
/// ```swift
/// let session = context.gatehouse.session
/// ```
public struct GatehouseRequestState: Sendable {
    /// The request's session, set by ``GatehouseSessionMiddleware``.
    public var session: Session?
    /// The backend that authenticated ``AuthRequestContext/identity`` (from the session).
    public var backend: String?
    /// Whether the request arrived over HTTPS (directly, or through a trusted proxy that says so).
    public var isSecure: Bool
    /// The client's address, when known.
    public var remoteAddress: String?
    /// The request's CSRF state, set by ``CSRFMiddleware``.
    public var csrf: CSRFState?
    /// How denied requests are answered (login page, `next` field, raise mode, templates).
    public var accessPolicy: AccessDeniedPolicy = .standard
    /// Whether the request came from a configured trusted proxy (see ``TrustedProxyMiddleware``);
    /// only then are forwarded headers and remote-user headers believed.
    public var viaTrustedProxy: Bool = false
    /// Where ``AccessLogMiddleware``'s line collects what later middleware learns.
    package var accessLog: AccessLogFacts?

    /// An empty state.
    public init(
        session: Session? = nil,
        backend: String? = nil,
        isSecure: Bool = false,
        remoteAddress: String? = nil,
        csrf: CSRFState? = nil
    ) {
        self.session = session
        self.backend = backend
        self.isSecure = isSecure
        self.remoteAddress = remoteAddress
        self.csrf = csrf
    }
}

/// A request context that Gatehouse's middleware can work with: hummingbird-auth's
/// `AuthRequestContext` with a ``User`` identity, plus ``GatehouseRequestState``.
///
/// Adopt it in your own context to add fields, or use ``GatehouseRequestContext``.
///
/// ```swift
/// struct AppContext: GatehouseRequestContextProtocol {
///     var coreContext: CoreRequestContextStorage
///     var identity: User?
///     var gatehouse = GatehouseRequestState()
///     init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
/// }
/// ```
public protocol GatehouseRequestContextProtocol: AuthRequestContext where Identity == User {
    /// Gatehouse's per-request state.
    var gatehouse: GatehouseRequestState { get set }
}

extension GatehouseRequestContextProtocol {
    /// The session; throws 500 when ``GatehouseSessionMiddleware`` is not installed in front of the route.
    public func requireSession() throws -> Session {
        guard let session = gatehouse.session else {
            throw HTTPError(.internalServerError, message: "GatehouseSessionMiddleware is not installed")
        }
        return session
    }

    /// The logged-in user or the anonymous user.
    public var account: any UserAccount { identity.map { $0 as any UserAccount } ?? AnonymousUser() }

    /// Facts about the request for authentication backends and events.
    public func requestFacts(_ request: Request) -> RequestFacts {
        RequestFacts(
            remoteAddress: gatehouse.remoteAddress,
            isSecure: gatehouse.isSecure,
            path: request.uri.path,
            userAgent: request.headers[.userAgent]
        )
    }
}

/// The ready-made context for applications that need nothing else per request.
///
/// ```swift
/// let router = Router(context: GatehouseRequestContext.self)
/// ```
public struct GatehouseRequestContext: GatehouseRequestContextProtocol, RequestContext {
    /// Hummingbird's own storage.
    public var coreContext: CoreRequestContextStorage
    /// The logged-in user, `nil` for anonymous requests.
    public var identity: User?
    /// Gatehouse's state.
    public var gatehouse: GatehouseRequestState

    /// Creates the context for a request from a running application.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.gatehouse = GatehouseRequestState(remoteAddress: source.channel.remoteAddress?.ipAddress)
    }
}
