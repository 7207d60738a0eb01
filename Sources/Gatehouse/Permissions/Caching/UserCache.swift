import Synchronization

/// Users remembered across requests by ``ModelBackend/user(id:)``, each valid only at the data
/// version it was read at, so that a warm request loads its session and nothing else.
///
/// The version covers the user rows too: the SQL triggers advance it when a user's password,
/// flags, names, email or username change or the user is deleted (not for `last_login` alone, so
/// logins do not empty every cache), and ``SQLSessionStore`` reads it in the same query as the
/// session. A password change, a deactivation or a deletion made anywhere therefore reaches the
/// next request. Only worth it, and only safe, when every request reads the version before it
/// asks for its user: ``GatehouseRouterBuilder`` turns it on for database sessions on the same
/// database as the users, never for signed-cookie sessions. The `last_login` of a cached user may
/// be older than the row's.
///
/// ```swift
/// let backend = ModelBackend(store: store, userCache: UserCache())
/// ```
public final class UserCache: Sendable {
    /// The size limit.
    public let configuration: PermissionCacheConfiguration
    private let state = Mutex(VersionedCacheState<Int64, User>())

    /// Creates an empty cache.
    public init(configuration: PermissionCacheConfiguration = PermissionCacheConfiguration()) {
        self.configuration = configuration
    }

    /// The user stored for `id` at exactly `version`, or `nil`.
    ///
    /// ```swift
    /// let cached = cache.user(id: 7, at: versions.current)   // nil: not cached, or cached at another version
    /// ```
    public func user(id: Int64, at version: UInt64) -> User? {
        state.withLock { $0.value(for: id, at: version) }
    }

    /// Remembers `user`, read from data at least as new as `version`.
    ///
    /// ```swift
    /// let version = versions.current    // read before loading
    /// if let user = try await store.user(id: 7) { cache.store(user, at: version) }
    /// ```
    public func store(_ user: User, at version: UInt64) {
        let limit = configuration.maximumEntries
        state.withLock { $0.store(user, for: user.id, at: version, limit: limit) }
    }

    /// How many users are kept now.
    public var count: Int { state.withLock { $0.count } }

    /// Lookups answered from the cache and lookups that were not.
    ///
    /// ```swift
    /// let (hits, misses) = cache.statistics
    /// ```
    public var statistics: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }
}
