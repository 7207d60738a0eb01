/// Permissions granted on single objects (django-guardian's `ObjectPermissionBackend`): the
/// user's own object grants and its groups' object grants, every permission of the object's
/// content type for an active superuser, nothing for inactive or anonymous users, and nothing for
/// global questions (those are ``ModelPermissionBackend``'s).
///
/// ```swift
/// let checker = PermissionChecker(backends: [
///     ModelPermissionBackend(store: store),
///     ObjectPermissionBackend(store: store),   // a SQLAuthStore is both kinds of store
/// ])
/// let post42 = PermissionTarget(appLabel: "blog", model: "post", objectID: "42")
/// if try await checker.hasPermission(alice, "blog.change_post", on: post42) { ... }
/// ```
public struct ObjectPermissionBackend: PermissionBackend {
    /// Where content types and permissions are kept.
    public let store: any ContentTypeStore & PermissionStore
    /// Where object grants are kept.
    public let objects: any ObjectPermissionStore

    /// Creates the backend on a store that keeps both the model and the object grants.
    ///
    /// ```swift
    /// let backend = ObjectPermissionBackend(store: SQLAuthStore(provider: provider))
    /// ```
    public init(store: any AuthStore & ObjectPermissionStore) {
        self.store = store
        self.objects = store
    }

    /// Creates the backend on separate stores, such as a ``MemoryAuthStore`` and its
    /// ``MemoryObjectPermissionStore``.
    ///
    /// ```swift
    /// let store = MemoryAuthStore()
    /// let backend = ObjectPermissionBackend(store: store, objects: MemoryObjectPermissionStore(authStore: store))
    /// ```
    public init(store: any ContentTypeStore & PermissionStore, objects: any ObjectPermissionStore) {
        self.store = store
        self.objects = objects
    }

    /// The user's permissions on `target`; empty for global questions.
    public func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> {
        guard let target, account.isActive, account.isAuthenticated, let id = account.userID,
            let contentType = try await store.contentType(appLabel: target.appLabel, model: target.model)
        else { return [] }
        if account.isSuperuser {
            return Set(try await store.permissions().filter { $0.contentType.id == contentType.id }.map(\.key))
        }
        let object = ObjectReference(contentTypeID: contentType.id, objectID: target.objectID)
        return Set(try await objects.objectPermissions(userID: id, on: object).map(\.key))
    }

    /// Never: module permissions are global questions.
    public func hasModulePermissions(_ account: any UserAccount, appLabel: String) async throws -> Bool {
        false
    }
}
