extension PermissionStore {
    /// The permission names (`app_label.codename`) a user holds, as Django's `get_all_permissions`:
    /// none for an inactive user, every permission for an active superuser, otherwise the user's own
    /// grants and its groups' grants. Sorted.
    ///
    /// ```swift
    /// let names = try await store.effectivePermissionNames(of: alice)   // ["blog.change_post", ...]
    /// ```
    public func effectivePermissionNames(of user: User) async throws -> [String] {
        guard user.isActive else { return [] }
        if user.isSuperuser {
            return try await permissions().map(\.key).sorted()
        }
        let own = try await userPermissions(userID: user.id)
        let throughGroups = try await permissionsThroughGroups(userID: user.id)
        return Set((own + throughGroups).map(\.key)).sorted()
    }
}
