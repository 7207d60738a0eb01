import Synchronization

/// Permission sets remembered across requests, each valid only at the data version it was computed
/// at, and limited in size.
///
/// One cache serves every request of a process. It never answers from data older than the newest
/// version the process has seen: a grant, revoke, membership or group change made anywhere moves
/// the version (see ``PermissionVersion``), and every entry computed before it is recomputed on
/// its next use. An entry's key includes the user's `is_active` and `is_superuser`, so a change of
/// either is never answered from the cache either.
///
/// ```swift
/// let cache = PermissionCache()
/// let checker = PermissionChecker(backends: [
///     CachedPermissionBackend(ModelPermissionBackend(store: store), cache: cache, versions: store.permissionVersion),
/// ])
/// ```
public final class PermissionCache: Sendable {
    /// What one entry answers for.
    public struct Key: Hashable, Sendable {
        /// The backend's identity, so that two backends sharing a cache keep apart.
        public var backend: String
        /// The user.
        public var userID: Int64
        /// The user's `is_active` when the entry was made.
        public var isActive: Bool
        /// The user's `is_superuser` when the entry was made.
        public var isSuperuser: Bool
        /// The object, or `nil` for global permissions.
        public var target: PermissionTarget?

        /// Creates a key.
        ///
        /// ```swift
        /// let key = PermissionCache.Key(backend: "model", userID: 7, isActive: true, isSuperuser: false, target: nil)
        /// ```
        public init(backend: String, userID: Int64, isActive: Bool, isSuperuser: Bool, target: PermissionTarget?) {
            self.backend = backend
            self.userID = userID
            self.isActive = isActive
            self.isSuperuser = isSuperuser
            self.target = target
        }
    }

    private let state = Mutex(VersionedCacheState<Key, Set<String>>())

    /// The size limit.
    public let configuration: PermissionCacheConfiguration

    /// Creates an empty cache.
    public init(configuration: PermissionCacheConfiguration = PermissionCacheConfiguration()) {
        self.configuration = configuration
    }

    /// The permissions stored for `key` at exactly `version`, or `nil`.
    ///
    /// ```swift
    /// let known = cache.permissions(for: key, at: versions.current)   // nil: compute them
    /// ```
    public func permissions(for key: Key, at version: UInt64) -> Set<String>? {
        let found = state.withLock { $0.value(for: key, at: version) }
        DomainMetrics.shared.countPermissionCache(hit: found != nil)
        return found
    }

    /// Remembers `permissions` for `key`, computed from data at least as new as `version`. When the
    /// cache is full, the least recently used tenth of it is dropped.
    ///
    /// ```swift
    /// let version = versions.current        // read before computing
    /// let fresh = try await backend.permissions(of: user, on: nil)
    /// cache.store(fresh, for: key, at: version)
    /// ```
    public func store(_ permissions: Set<String>, for key: Key, at version: UInt64) {
        let limit = configuration.maximumEntries
        state.withLock { $0.store(permissions, for: key, at: version, limit: limit) }
    }

    /// Forgets everything.
    ///
    /// ```swift
    /// cache.removeAll()
    /// ```
    public func removeAll() {
        state.withLock { $0.removeAll() }
    }

    /// How many entries are kept now.
    public var count: Int { state.withLock { $0.count } }

    /// Lookups answered from the cache and lookups that were not, since the cache was made.
    ///
    /// ```swift
    /// let (hits, misses) = cache.statistics
    /// ```
    public var statistics: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }
}
