/// Where permissions and their grants are kept (`auth_permission`, `auth_user_user_permissions`,
/// `auth_group_permissions`).
///
/// ```swift
/// let perm = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
/// try await store.grant(perm.id, toUser: alice.id)
/// ```
public protocol PermissionStore: Sendable {
    /// Saves a new permission; throws ``StoreError/duplicate(_:)`` with field `content_type, codename`
    /// or ``StoreError/invalidReference(_:)`` when the content type does not exist.
    func insertPermission(name: String, codename: String, contentTypeID: Int64) async throws -> Permission
    /// The permission with `id`, if any.
    func permission(id: Int64) async throws -> Permission?
    /// The permission `appLabel.codename`, if any.
    func permission(appLabel: String, codename: String) async throws -> Permission?
    /// Every permission in Django's order (app label, model, codename).
    func permissions() async throws -> [Permission]
    /// Deletes the permission and its grants; `false` when it did not exist.
    @discardableResult
    func deletePermission(id: Int64) async throws -> Bool
    /// Grants a permission to a user directly; granting twice changes nothing.
    func grant(_ permissionID: Int64, toUser userID: Int64) async throws
    /// Revokes a direct grant; `false` when there was none.
    @discardableResult
    func revoke(_ permissionID: Int64, fromUser userID: Int64) async throws -> Bool
    /// Grants a permission to a group; granting twice changes nothing.
    func grant(_ permissionID: Int64, toGroup groupID: Int64) async throws
    /// Revokes a group grant; `false` when there was none.
    @discardableResult
    func revoke(_ permissionID: Int64, fromGroup groupID: Int64) async throws -> Bool
    /// The permissions granted to the user directly, in Django's order.
    func userPermissions(userID: Int64) async throws -> [Permission]
    /// The permissions granted to the group, in Django's order.
    func groupPermissions(groupID: Int64) async throws -> [Permission]
    /// The permissions the user holds through its groups, in Django's order, without repeats.
    func permissionsThroughGroups(userID: Int64) async throws -> [Permission]
}
