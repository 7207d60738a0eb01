public import Logging

/// Username and password against the user store: Django's `ModelBackend`.
///
/// - An unknown username still costs one hash with the preferred hasher, so response time does not
///   tell whether an account exists.
/// - Inactive users are refused (see ``AllowAllUsersModelBackend`` for the variant that accepts them).
/// - A correct password whose hash is outdated is re-hashed with the preferred hasher and saved.
///
/// ```swift
/// let backend = ModelBackend(store: store)
/// let user = try await backend.authenticate(Credentials(username: "alice", password: typed), request: RequestFacts())
/// ```
public struct ModelBackend: AuthenticationBackend {
    /// Django's dotted path, so sessions are interchangeable.
    public static let djangoIdentifier = "django.contrib.auth.backends.ModelBackend"

    /// The name recorded in sessions.
    public let identifier: String
    /// Where users live.
    public let store: any UserStore
    /// How passwords are checked.
    public let hashers: PasswordHashers
    /// Users remembered across requests by ``user(id:)``; used only when ``store`` tracks its
    /// changes (``PermissionChangeTracking``). See ``UserCache`` for when that is safe.
    public let userCache: UserCache?
    let allowsInactiveUsers: Bool
    let logger: Logger
    /// The permission version of ``store`` when it tracks its changes, found once.
    private let versions: PermissionVersion?

    /// Creates the backend.
    public init(
        store: any UserStore,
        hashers: PasswordHashers = PasswordHashers(),
        identifier: String = ModelBackend.djangoIdentifier,
        userCache: UserCache? = nil,
        logger: Logger = Logger(label: "gatehouse.authentication")
    ) {
        self.init(
            store: store, hashers: hashers, identifier: identifier, allowsInactiveUsers: false, userCache: userCache, logger: logger
        )
    }

    init(
        store: any UserStore, hashers: PasswordHashers, identifier: String, allowsInactiveUsers: Bool, userCache: UserCache?,
        logger: Logger
    ) {
        self.store = store
        self.hashers = hashers
        self.identifier = identifier
        self.allowsInactiveUsers = allowsInactiveUsers
        self.userCache = userCache
        self.logger = logger
        self.versions = (store as? any PermissionChangeTracking)?.permissionVersion
    }

    /// Whether `user` may log in through this backend: Django's `user_can_authenticate`.
    public func userCanAuthenticate(_ user: User) -> Bool {
        allowsInactiveUsers || user.isActive
    }

    /// Checks a username and password; `nil` when either is missing or wrong, or the user is inactive.
    ///
    /// - Throws: ``PasswordError/busy`` (and the pool's other errors) when the hashing pool cannot
    ///   take the check now, so the caller can answer "try again" instead of "wrong password".
    public func authenticate(_ credentials: Credentials, request: RequestFacts) async throws -> User? {
        guard let username = credentials.username, let password = credentials.password else { return nil }
        guard var user = try await store.user(username: username) else {
            // Spend the same time as a real check of a wrong password: one hash.
            _ = try await hashers.verifyPassword(password, encoded: PasswordHashers.unusablePasswordPrefix)
            return nil
        }
        let result = try await hashers.verifyPassword(password, encoded: user.password)
        guard result.isCorrect else { return nil }
        if result.mustUpdate {
            do {
                user.password = try await hashers.makePassword(password)
                try await store.updateUser(user)
            } catch {
                // The password was right; the upgrade is tried again at the next login.
                logger.warning("password hash upgrade failed", metadata: ["error_type": "\(type(of: error))"])
                if let saved = try await store.user(id: user.id) { user = saved }
            }
        }
        return userCanAuthenticate(user) ? user : nil
    }

    /// The user with `id` when it may still log in (from ``userCache`` when it is current).
    public func user(id: Int64) async throws -> User? {
        guard let user = try await load(id: id), userCanAuthenticate(user) else { return nil }
        return user
    }

    private func load(id: Int64) async throws -> User? {
        guard let userCache, let versions else {
            return try await store.user(id: id)
        }
        let version = versions.current
        if let known = userCache.user(id: id, at: version) { return known }
        guard let user = try await store.user(id: id) else { return nil }
        userCache.store(user, at: version)
        return user
    }
}

/// ``ModelBackend`` that also accepts inactive users: Django's `AllowAllUsersModelBackend`.
///
/// ```swift
/// let authenticator = Authenticator(backends: [AllowAllUsersModelBackend(store: store)])
/// ```
public struct AllowAllUsersModelBackend: AuthenticationBackend {
    /// Django's dotted path.
    public static let djangoIdentifier = "django.contrib.auth.backends.AllowAllUsersModelBackend"

    let base: ModelBackend

    /// Creates the backend.
    public init(
        store: any UserStore,
        hashers: PasswordHashers = PasswordHashers(),
        identifier: String = AllowAllUsersModelBackend.djangoIdentifier,
        userCache: UserCache? = nil,
        logger: Logger = Logger(label: "gatehouse.authentication")
    ) {
        base = ModelBackend(
            store: store, hashers: hashers, identifier: identifier, allowsInactiveUsers: true, userCache: userCache, logger: logger
        )
    }

    /// The name recorded in sessions.
    public var identifier: String { base.identifier }

    /// Checks a username and password, active or not.
    public func authenticate(_ credentials: Credentials, request: RequestFacts) async throws -> User? {
        try await base.authenticate(credentials, request: request)
    }

    /// The user with `id`, active or not.
    public func user(id: Int64) async throws -> User? {
        try await base.user(id: id)
    }
}
