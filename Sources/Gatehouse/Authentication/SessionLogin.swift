/// Logging users in and out of a ``Session`` with Django's session keys, so a session either side
/// writes is accepted by the other.
///
/// - `_auth_user_id`: the user's id as a string
/// - `_auth_user_backend`: the identifier of the backend that authenticated it
/// - `_auth_user_hash`: ``SessionAuthHash`` of the password hash, so a password change elsewhere
///   ends the session
///
/// Stricter than Django: the session key changes at every login, even when the same user logs in
/// again on the same session.
///
/// ```swift
/// let login = SessionLogin(authenticator: authenticator, keys: keys, users: store)
/// if let result = try await authenticator.authenticate(credentials, request: facts) {
///     let user = try await login.login(result, session: session, request: facts)
/// }
/// ```
public struct SessionLogin: Sendable {
    /// Django's session key for the user id.
    public static let userIDKey = "_auth_user_id"
    /// Django's session key for the backend identifier.
    public static let backendKey = "_auth_user_backend"
    /// Django's session key for the session auth hash.
    public static let hashKey = "_auth_user_hash"

    /// The backends that restore a session's user.
    public let authenticator: Authenticator
    /// SECRET_KEY and its fallbacks: the session hash is made with the first and accepted with any.
    public let keys: SigningKeys
    /// Where `last_login` is saved.
    public let users: any UserStore
    /// Stamps `last_login`.
    public let clock: any WallClock
    /// Session hashes already made under the current key, by password hash: every request checks
    /// one, and an HMAC per request is measurable (docs/benchmarks.md).
    private let currentHashes = BoundedMemo<String, String>(limit: 10_000)

    /// Creates the login logic.
    public init(authenticator: Authenticator, keys: SigningKeys, users: any UserStore, clock: any WallClock = SystemWallClock()) {
        self.authenticator = authenticator
        self.keys = keys
        self.users = users
        self.clock = clock
    }

    /// The session hash of `passwordHash` under the current key.
    private func currentHash(of passwordHash: String) -> String {
        if let known = currentHashes.value(for: passwordHash) { return known }
        let made = SessionAuthHash.make(passwordHash: passwordHash, secretKey: keys.secretKey)
        currentHashes.store(made, for: passwordHash)
        return made
    }

    /// Attaches the authenticated user to `session`: flushes a session that belonged to another user
    /// (or to this user with a stale password hash), otherwise moves it to a new key; stores Django's
    /// three keys; saves `last_login`; emits ``AuthenticationEvent/loggedIn(_:_:)``. Returns the user
    /// with its new `last_login`.
    @discardableResult
    public func login(_ result: AuthenticationResult, session: Session, request: RequestFacts) async throws -> User {
        var user = result.user
        let hash = SessionAuthHash.make(passwordHash: user.password, secretKey: keys.secretKey)
        let previousUser = session[Self.userIDKey]?.stringValue
        let previousHash = session[Self.hashKey]?.stringValue ?? ""
        if previousUser != nil
            && (previousUser != String(user.id)
                || !SessionAuthHash.verify(previousHash, passwordHash: user.password, secretKeys: keys.all))
        {
            session.flush()
        } else {
            session.cycleKey()
        }
        session[Self.userIDKey] = .string(String(user.id))
        session[Self.backendKey] = .string(result.backend)
        session[Self.hashKey] = .string(hash)
        session.verifiedUserID = user.id
        user.lastLogin = clock.now()
        try await users.updateUser(user)
        await authenticator.events.emit(.loggedIn(user, request))
        return user
    }

    /// After `user`'s password changed: keeps `session` logged in (Django's
    /// `update_session_auth_hash`). The session moves to a new key and, when it belongs to `user`,
    /// stores the session hash of the new password hash. Every other session of the user still holds
    /// the old hash, so each ends on its next request.
    ///
    /// ```swift
    /// user.password = try await hashers.makePassword(newPassword)
    /// try await store.updateUser(user)
    /// login.updateSessionAuthHash(session: session, user: user)
    /// ```
    public func updateSessionAuthHash(session: Session, user: User) {
        session.cycleKey()
        if session[Self.userIDKey]?.stringValue == String(user.id) {
            session[Self.hashKey] = .string(currentHash(of: user.password))
        }
    }

    /// Ends the session: deletes its data and row and emits ``AuthenticationEvent/loggedOut(_:_:)``.
    public func logout(session: Session, user: User?, request: RequestFacts) async {
        session.flush()
        await authenticator.events.emit(.loggedOut(user, request))
    }

    /// The user `session` belongs to and the backend that restored it, as Django's `get_user`:
    /// loaded through the recorded backend and only while the session hash still matches the password
    /// hash. A missing, inactive or unknown user, an unknown backend or a stale hash gives `nil` and
    /// flushes the session. A hash that only a fallback key accepts is replaced by one made with the
    /// current key (and the session moves to a new key), as Django does, so the session outlives the
    /// fallback.
    ///
    /// An error loading the user (a database that is down) is thrown and leaves the session as it
    /// is: a brief outage fails requests, it does not log anybody out.
    public func user(in session: Session) async throws -> AuthenticationResult? {
        guard let idText = session[Self.userIDKey]?.stringValue else { return nil }
        guard let id = Int64(idText), let backend = session[Self.backendKey]?.stringValue,
            let user = try await authenticator.user(id: id, backend: backend),
            let hash = session[Self.hashKey]?.stringValue
        else {
            session.flush()
            return nil
        }
        if ConstantTime.equals(currentHash(of: user.password), hash) {
            session.verifiedUserID = user.id
            return AuthenticationResult(user: user, backend: backend)
        }
        if !keys.fallbacks.isEmpty, SessionAuthHash.verify(hash, passwordHash: user.password, secretKeys: keys.fallbacks) {
            session.cycleKey()
            session[Self.hashKey] = .string(SessionAuthHash.make(passwordHash: user.password, secretKey: keys.secretKey))
            session.verifiedUserID = user.id
            return AuthenticationResult(user: user, backend: backend)
        }
        session.flush()
        return nil
    }
}

extension SigningKeys {
    /// The current key followed by the fallbacks.
    public var all: [String] { [secretKey] + fallbacks }
}
