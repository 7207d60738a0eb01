extension PermissionStore {
    /// The permission names (`app_label.codename`) a user holds, as Django's `get_all_permissions`:
    /// none for an inactive user, every permission for an active superuser, otherwise the user's own
    /// grants and its groups' grants. Sorted.
    ///
    /// ```swift
    /// let names = try await store.effectivePermissionNames(of: alice)   // ["blog.change_post", ...]
    /// ```
    public func effectivePermissionNames(of user: User) async throws -> [String] {
        try await ModelPermissionBackend(store: self).permissions(of: user, on: nil).sorted()
    }
}
