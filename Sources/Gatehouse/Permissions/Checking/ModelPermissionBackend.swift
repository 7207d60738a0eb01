/// Permissions from the permission tables: the user's own grants and its groups' grants, every
/// permission for an active superuser, nothing for inactive or anonymous users, and nothing for
/// object-level questions (Django's `ModelBackend`).
///
/// ```swift
/// let checker = PermissionChecker(backends: [ModelPermissionBackend(store: store)])
/// ```
public struct ModelPermissionBackend: PermissionBackend {
    /// Where grants are kept.
    public let store: any PermissionStore

    /// Creates the backend.
    public init(store: any PermissionStore) {
        self.store = store
    }

    /// The user's global permissions; empty for object-level questions.
    public func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> {
        guard target == nil, account.isActive, account.isAuthenticated, let id = account.userID else { return [] }
        if account.isSuperuser {
            return Set(try await store.permissions().map(\.key))
        }
        let own = try await store.userPermissions(userID: id)
        let throughGroups = try await store.permissionsThroughGroups(userID: id)
        return Set((own + throughGroups).map(\.key))
    }

    /// The permissions granted directly to the user (Django's `get_user_permissions`).
    public func userPermissions(of account: any UserAccount) async throws -> Set<String> {
        guard account.isActive, account.isAuthenticated, let id = account.userID else { return [] }
        if account.isSuperuser { return Set(try await store.permissions().map(\.key)) }
        return Set(try await store.userPermissions(userID: id).map(\.key))
    }

    /// The permissions the user holds through its groups (Django's `get_group_permissions`).
    public func groupPermissions(of account: any UserAccount) async throws -> Set<String> {
        guard account.isActive, account.isAuthenticated, let id = account.userID else { return [] }
        if account.isSuperuser { return Set(try await store.permissions().map(\.key)) }
        return Set(try await store.permissionsThroughGroups(userID: id).map(\.key))
    }
}
