/// An ``ObjectPermissionStore`` in memory, next to a ``MemoryAuthStore`` that holds the users,
/// groups, memberships, content types and permissions it refers to.
///
/// It keeps the same rules as the SQL store and passes the same conformance suite. Grants whose
/// user, group, permission or content type was deleted from the auth store are dropped: the auth
/// store never reuses ids, so they behave as cascaded deletes.
///
/// ```swift
/// let store = MemoryAuthStore()
/// let objects = MemoryObjectPermissionStore(authStore: store)
/// try await objects.grant(change.id, toUser: alice.id, on: ObjectReference(contentTypeID: post.id, objectID: "42"))
/// ```
public actor MemoryObjectPermissionStore: ObjectPermissionStore, PermissionChangeTracking {
    /// The auth store's version: object grants advance it too.
    public nonisolated var permissionVersion: PermissionVersion { authStore.permissionVersion }
    /// The store the grants refer to.
    public let authStore: MemoryAuthStore

    private struct Row: Hashable {
        var permissionID: Int64
        var holder: ObjectPermissionHolder
        var object: ObjectReference
    }

    private var rows: Set<Row> = []

    /// Creates an empty store beside `authStore`.
    public init(authStore: MemoryAuthStore) {
        self.authStore = authStore
    }

    private func checkedPermission(_ permissionID: Int64, on object: ObjectReference) async throws -> Permission {
        try object.validate()
        guard let permission = await authStore.permission(id: permissionID) else {
            throw StoreError.invalidReference("permission")
        }
        guard await authStore.contentType(id: object.contentTypeID) != nil else {
            throw StoreError.invalidReference("content type")
        }
        guard permission.contentType.id == object.contentTypeID else { throw ObjectPermissionError.contentTypeMismatch }
        return permission
    }

    public func grant(_ permissionID: Int64, toUser userID: Int64, on object: ObjectReference) async throws {
        authStore.permissionVersion.advance()
        _ = try await checkedPermission(permissionID, on: object)
        guard await authStore.user(id: userID) != nil else { throw StoreError.invalidReference("user") }
        rows.insert(Row(permissionID: permissionID, holder: .user(userID), object: object))
    }

    public func revoke(_ permissionID: Int64, fromUser userID: Int64, on object: ObjectReference) async throws -> Bool {
        authStore.permissionVersion.advance()
        let row = Row(permissionID: permissionID, holder: .user(userID), object: object)
        guard rows.contains(row) else { return false }
        let live = try await isLive(row)
        rows.remove(row)
        return live
    }

    public func grant(_ permissionID: Int64, toGroup groupID: Int64, on object: ObjectReference) async throws {
        authStore.permissionVersion.advance()
        _ = try await checkedPermission(permissionID, on: object)
        guard await authStore.group(id: groupID) != nil else { throw StoreError.invalidReference("group") }
        rows.insert(Row(permissionID: permissionID, holder: .group(groupID), object: object))
    }

    public func revoke(_ permissionID: Int64, fromGroup groupID: Int64, on object: ObjectReference) async throws -> Bool {
        authStore.permissionVersion.advance()
        let row = Row(permissionID: permissionID, holder: .group(groupID), object: object)
        guard rows.contains(row) else { return false }
        let live = try await isLive(row)
        rows.remove(row)
        return live
    }

    /// Whether everything the row refers to still exists.
    private func isLive(_ row: Row) async throws -> Bool {
        guard await authStore.contentType(id: row.object.contentTypeID) != nil,
            await authStore.permission(id: row.permissionID) != nil
        else { return false }
        switch row.holder {
        case .user(let id): return await authStore.user(id: id) != nil
        case .group(let id): return await authStore.group(id: id) != nil
        }
    }

    /// The rows still referring to existing rows of the auth store; the others are forgotten.
    private func liveRows(where include: (Row) -> Bool) async throws -> [Row] {
        var live: [Row] = []
        for row in rows where include(row) {
            if try await isLive(row) {
                live.append(row)
            } else {
                rows.remove(row)
            }
        }
        return live
    }

    public func objectPermissionGrants(on object: ObjectReference) async throws -> [ObjectPermissionGrant] {
        var grants: [ObjectPermissionGrant] = []
        for row in try await liveRows(where: { $0.object == object }) {
            guard let permission = await authStore.permission(id: row.permissionID) else { continue }
            grants.append(ObjectPermissionGrant(permission: permission, holder: row.holder, object: row.object))
        }
        return grants.sorted(by: ObjectPermissionGrant.listingOrder)
    }

    private func holders(ofUser userID: Int64) async throws -> Set<ObjectPermissionHolder> {
        guard await authStore.user(id: userID) != nil else { return [] }
        let groups = await authStore.groups(ofUser: userID).map { ObjectPermissionHolder.group($0.id) }
        return Set(groups).union([.user(userID)])
    }

    public func objectPermissions(userID: Int64, on object: ObjectReference) async throws -> [Permission] {
        let holders = try await holders(ofUser: userID)
        let ids = Set(try await liveRows(where: { $0.object == object && holders.contains($0.holder) }).map(\.permissionID))
        var permissions: [Permission] = []
        for id in ids {
            if let permission = await authStore.permission(id: id) { permissions.append(permission) }
        }
        return permissions.sorted(by: Permission.djangoOrder)
    }

    public func objectIDs(userID: Int64, permission permissionID: Int64, contentType contentTypeID: Int64) async throws -> [String] {
        let holders = try await holders(ofUser: userID)
        let live = try await liveRows(where: {
            $0.permissionID == permissionID && $0.object.contentTypeID == contentTypeID && holders.contains($0.holder)
        })
        return Set(live.map(\.object.objectID)).sorted()
    }
}
