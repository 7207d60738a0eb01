/// How many permission answers a ``PermissionCache`` keeps.
///
/// ```swift
/// let cache = PermissionCache(configuration: PermissionCacheConfiguration(maximumEntries: 50_000))
/// ```
public struct PermissionCacheConfiguration: Sendable, Hashable {
    /// The most answers kept (one per user for global permissions, one per user and object for
    /// object permissions); the least recently used go first. 10,000 by default: a few megabytes.
    public var maximumEntries: Int

    /// Creates the configuration.
    public init(maximumEntries: Int = 10_000) {
        self.maximumEntries = max(1, maximumEntries)
    }
}
