import Synchronization

/// A ``GroupStore`` that answers ``groups(ofUser:)`` from memory while the permission version is
/// the one the answer was read at, and passes everything else to `store`.
///
/// The gateway asks for a user's groups on every request it forwards (for the groups header) and
/// for every group rule. Memberships and group names are permission data: a change to either
/// advances the version (docs/authorization.md), and each request reads the version with its
/// session, so an answer from memory is never older than the request's own session read. Use it
/// only where that holds: with database sessions (``PermissionVersionRule/allowsUserCache(sessions:users:)``).
///
/// ```swift
/// let groups = GroupMembershipCache(store, versions: store.permissionVersion)
/// ```
public final class GroupMembershipCache: GroupStore {
    /// Where groups are kept.
    public let store: any GroupStore
    /// The version answers are checked against.
    public let versions: PermissionVersion
    /// The most users kept.
    public let maximumEntries: Int
    private let state = Mutex(VersionedCacheState<Int64, [Group]>())

    /// Creates the cache in front of `store`.
    public init(_ store: any GroupStore, versions: PermissionVersion, maximumEntries: Int = 10_000) {
        self.store = store
        self.versions = versions
        self.maximumEntries = maximumEntries
    }

    /// The groups of `userID`, from memory when read at the current version.
    public func groups(ofUser userID: Int64) async throws -> [Group] {
        let version = versions.current
        if let cached = state.withLock({ $0.value(for: userID, at: version) }) { return cached }
        let groups = try await store.groups(ofUser: userID)
        let limit = maximumEntries
        state.withLock { $0.store(groups, for: userID, at: version, limit: limit) }
        return groups
    }

    /// Hits and misses so far.
    public var statistics: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    public func insertGroup(name: String) async throws -> Group { try await store.insertGroup(name: name) }
    public func group(id: Int64) async throws -> Group? { try await store.group(id: id) }
    public func group(name: String) async throws -> Group? { try await store.group(name: name) }
    public func updateGroup(_ group: Group) async throws { try await store.updateGroup(group) }
    public func deleteGroup(id: Int64) async throws -> Bool { try await store.deleteGroup(id: id) }
    public func groups() async throws -> [Group] { try await store.groups() }
    public func addUser(_ userID: Int64, toGroup groupID: Int64) async throws { try await store.addUser(userID, toGroup: groupID) }
    public func removeUser(_ userID: Int64, fromGroup groupID: Int64) async throws -> Bool {
        try await store.removeUser(userID, fromGroup: groupID)
    }
    public func users(inGroup groupID: Int64) async throws -> [User] { try await store.users(inGroup: groupID) }
}
