import Synchronization

/// The newest version of the permission data (grants, memberships, object grants, permissions and
/// content types) that this process has seen.
///
/// Stores advance it: a ``MemoryAuthStore`` on every change it makes; a SQL store from the version
/// counter its database triggers keep, read in the same query that loads a user, so any writer
/// (another server, the CLI, Django) is noticed on the next request without a query of its own.
/// A ``PermissionCache`` keeps an answer only while the version it was computed at is current.
///
/// ```swift
/// let versions = PermissionVersion()
/// versions.observe(41)
/// versions.advance()       // 42
/// versions.current         // 42
/// ```
public final class PermissionVersion: Sendable {
    private let value: Atomic<UInt64>

    /// Starts at `initial`.
    public init(_ initial: UInt64 = 0) {
        value = Atomic(initial)
    }

    /// The newest version seen.
    public var current: UInt64 { value.load(ordering: .acquiring) }

    /// Records a version read from the database; older ones (from a slower concurrent read) are
    /// ignored, so the value never goes back.
    ///
    /// ```swift
    /// versions.observe(rowVersion)
    /// ```
    public func observe(_ version: UInt64) {
        var seen = value.load(ordering: .relaxed)
        while version > seen {
            let (exchanged, original) = value.compareExchange(
                expected: seen, desired: version, successOrdering: .acquiringAndReleasing, failureOrdering: .relaxed
            )
            if exchanged { return }
            seen = original
        }
    }

    /// Moves to a new version: for stores whose changes happen in this process.
    ///
    /// ```swift
    /// versions.advance()
    /// ```
    public func advance() {
        value.wrappingAdd(1, ordering: .acquiringAndReleasing)
    }
}

/// A store that tells permission caches when its permission data changes.
///
/// ```swift
/// let cache = PermissionCache()
/// let backend = CachedPermissionBackend(ModelPermissionBackend(store: store), cache: cache, versions: store.permissionVersion)
/// ```
public protocol PermissionChangeTracking: Sendable {
    /// The version of the store's permission data this process has seen.
    var permissionVersion: PermissionVersion { get }
}

/// A store that brings the database's permission version into this process with every load (the
/// SQL session store reads it in the session query), so that the users and permissions a request
/// takes from the caches afterwards are current as of that load.
///
/// ``PermissionVersionRule`` decides from it whether users may be remembered between requests.
public protocol PermissionVersionObserving: Sendable {
    /// The version each load advances.
    var permissionVersion: PermissionVersion { get }
}
