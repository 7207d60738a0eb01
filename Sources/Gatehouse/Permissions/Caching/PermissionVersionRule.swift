/// The one rule that lets a process remember users between requests without ever serving a stale
/// one: **the session is read before the user, from the same database, and that read carries the
/// database's permission version.**
///
/// Every writer (this server, another instance, the `gatehouse` CLI, Django) advances the version
/// counter that the database's triggers keep. A SQL session store reads it in the session query
/// (``PermissionVersionObserving``) and publishes it to the same ``PermissionVersion`` the user
/// store's caches are keyed on (``PermissionChangeTracking``). When both hold the *same* instance,
/// a request's cached user and permissions are current as of its own session read. With any other
/// pairing (signed-cookie sessions, sessions in another database, a store that does not track its
/// changes) nothing proves freshness, so users are loaded from the store on every request.
///
/// ```swift
/// let store = MemoryAuthStore()
/// let version = PermissionVersionRule.sharedVersion(sessions: MemorySessionStore(), users: store)
/// // nil: a memory session store does not read a database version.
/// ```
public enum PermissionVersionRule {
    /// The version both stores share when the rule holds, `nil` when it does not.
    ///
    /// - Parameters:
    ///   - sessions: where each request's session is read, or `nil` when no store is read per
    ///     request (sessions in signed cookies).
    ///   - users: where users and their permissions are loaded from.
    public static func sharedVersion(sessions: (any SessionStore)?, users: any UserStore) -> PermissionVersion? {
        guard let observing = sessions as? any PermissionVersionObserving,
            let tracking = users as? any PermissionChangeTracking,
            ObjectIdentifier(observing.permissionVersion) == ObjectIdentifier(tracking.permissionVersion)
        else { return nil }
        return tracking.permissionVersion
    }

    /// Whether users may be remembered between requests: ``sharedVersion(sessions:users:)`` exists.
    public static func allowsUserCache(sessions: (any SessionStore)?, users: any UserStore) -> Bool {
        sharedVersion(sessions: sessions, users: users) != nil
    }
}
