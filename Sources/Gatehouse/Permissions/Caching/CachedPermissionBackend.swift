/// A permission backend whose answers are remembered in a ``PermissionCache`` until the store's
/// permission data changes.
///
/// Wrap only backends whose answers come from the store's versioned data (the model and object
/// backends): a backend that decides by time of day or by request must not be cached. Every
/// question is answered from the wrapped backend's ``PermissionBackend/permissions(of:on:)``;
/// anonymous users (no id) are never cached.
///
/// ```swift
/// let cache = PermissionCache()
/// let checker = PermissionChecker(backends: [
///     CachedPermissionBackend(ModelPermissionBackend(store: store), cache: cache, versions: store.permissionVersion),
///     CachedPermissionBackend(ObjectPermissionBackend(store: store), cache: cache, versions: store.permissionVersion),
/// ])
/// ```
public struct CachedPermissionBackend: PermissionBackend {
    /// The backend asked on a miss.
    public let base: any PermissionBackend
    /// Where answers are kept.
    public let cache: PermissionCache
    /// The version of the data the answers come from.
    public let versions: PermissionVersion
    /// Keeps this backend's entries apart from other backends' in a shared cache.
    public let identifier: String

    /// Wraps `base`. `identifier` defaults to the base's type name.
    public init(_ base: any PermissionBackend, cache: PermissionCache, versions: PermissionVersion, identifier: String? = nil) {
        self.base = base
        self.cache = cache
        self.versions = versions
        self.identifier = identifier ?? String(reflecting: type(of: base))
    }

    /// The wrapped backend's answer, from the cache when it is current.
    public func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> {
        guard account.isAuthenticated, let id = account.userID else {
            return try await base.permissions(of: account, on: target)
        }
        let key = PermissionCache.Key(
            backend: identifier, userID: id, isActive: account.isActive, isSuperuser: account.isSuperuser, target: target
        )
        // Read the version before computing: a change made while computing leaves the entry older
        // than the data, so it is recomputed next time rather than kept too long.
        let version = versions.current
        if let known = cache.permissions(for: key, at: version) { return known }
        let fresh = try await base.permissions(of: account, on: target)
        cache.store(fresh, for: key, at: version)
        return fresh
    }
}
