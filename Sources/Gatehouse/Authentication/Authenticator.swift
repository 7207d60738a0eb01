public import Logging

/// Something that happened to a login, for applications to observe (Django's `user_logged_in`,
/// `user_logged_out` and `user_login_failed` signals, and a password change).
///
/// ```swift
/// let events = AuthenticationEvents { event in
///     if case .loginFailed(let credentials, let request) = event { audit(credentials["username"], request.remoteAddress) }
/// }
/// ```
public enum AuthenticationEvent: Sendable {
    /// A user logged in.
    case loggedIn(User, RequestFacts)
    /// A user (or `nil` for an anonymous session) logged out.
    case loggedOut(User?, RequestFacts)
    /// A login failed; the credentials are scrubbed (``Credentials/scrubbed``).
    case loginFailed(credentials: [String: String], RequestFacts)
    /// Too many failed logins locked a key (a username, an address, or both together) until
    /// ``LoginLock/until``; emitted once per lock by ``LoginThrottle``.
    case loginLocked(LoginLock, RequestFacts)
    /// A user changed their own password (the password change page); the user carries the new hash.
    case passwordChanged(User, RequestFacts)
}

/// The observers of ``AuthenticationEvent``s. Observers run in order and must not throw.
///
/// ```swift
/// var events = AuthenticationEvents()
/// events.observe { event in print(event) }
/// ```
public struct AuthenticationEvents: Sendable {
    private var observers: [@Sendable (AuthenticationEvent) async -> Void]

    /// Creates the list, optionally with a first observer.
    public init(_ observer: (@Sendable (AuthenticationEvent) async -> Void)? = nil) {
        observers = observer.map { [$0] } ?? []
    }

    /// Adds an observer.
    public mutating func observe(_ observer: @escaping @Sendable (AuthenticationEvent) async -> Void) {
        observers.append(observer)
    }

    /// Tells every observer.
    public func emit(_ event: AuthenticationEvent) async {
        for observer in observers { await observer(event) }
    }
}

/// A successful authentication: the user and the backend that vouched for it.
///
/// ```swift
/// if let result = try await authenticator.authenticate(credentials, request: facts) {
///     try await login(result)
/// }
/// ```
public struct AuthenticationResult: Sendable {
    /// The user.
    public var user: User
    /// ``AuthenticationBackend/identifier`` of the backend that accepted the credentials.
    public var backend: String

    /// Creates a result.
    public init(user: User, backend: String) {
        self.user = user
        self.backend = backend
    }
}

/// Asks the configured backends in order: Django's `authenticate()`.
///
/// The first backend that returns a user wins and is recorded; a backend that throws
/// ``AuthenticationDenied`` ends the chain with a failure. Any other error (a busy hashing pool, a
/// database that is down) is passed on to the caller, as Django lets it propagate, so the caller can
/// answer 503 rather than "wrong password". A failure emits
/// ``AuthenticationEvent/loginFailed(credentials:_:)``.
///
/// ```swift
/// let authenticator = Authenticator(backends: [ModelBackend(store: store)])
/// let result = try await authenticator.authenticate(Credentials(username: "alice", password: typed), request: facts)
/// ```
public struct Authenticator: Sendable {
    /// The backends, in the order they are asked.
    public let backends: [any AuthenticationBackend]
    /// Who hears about logins.
    public let events: AuthenticationEvents
    let logger: Logger

    /// Creates the chain.
    public init(
        backends: [any AuthenticationBackend],
        events: AuthenticationEvents = AuthenticationEvents(),
        logger: Logger = Logger(label: "gatehouse.authentication")
    ) {
        self.backends = backends
        self.events = events
        self.logger = logger
    }

    /// The backend with `identifier`, if configured.
    public func backend(identifier: String) -> (any AuthenticationBackend)? {
        backends.first { $0.identifier == identifier }
    }

    /// Checks `credentials` against each backend in turn; `nil` when none accepts them.
    public func authenticate(_ credentials: Credentials, request: RequestFacts) async throws -> AuthenticationResult? {
        for backend in backends {
            do {
                if let user = try await backend.authenticate(credentials, request: request) {
                    return AuthenticationResult(user: user, backend: backend.identifier)
                }
            } catch let denied as AuthenticationDenied {
                logger.info("authentication denied by a backend", metadata: ["backend": "\(backend.identifier)", "reason": "\(denied.reason)"])
                break
            }
        }
        await events.emit(.loginFailed(credentials: credentials.scrubbed, request))
        return nil
    }

    /// The user a session names, through the backend the session recorded; `nil` when that backend
    /// is not configured, the user is gone, or the backend no longer accepts it. A backend's error
    /// (a database that is down) is thrown, never turned into `nil`: the caller answers 503 and the
    /// session stays, as Django's `get_user` lets the error propagate.
    public func user(id: Int64, backend identifier: String) async throws -> User? {
        guard let backend = backend(identifier: identifier) else { return nil }
        return try await backend.user(id: id)
    }
}
