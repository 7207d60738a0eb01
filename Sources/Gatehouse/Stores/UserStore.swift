/// Where users are kept (`auth_user`).
///
/// Implementations normalize usernames with ``Username/normalize(_:)`` on every write and look-up,
/// so two usernames that differ only by Unicode composition can never both exist. They report
/// uniqueness violations as ``StoreError/duplicate(_:)`` with field `username`.
///
/// ```swift
/// let alice = try await store.insertUser(NewUser(username: "alice", password: hash, dateJoined: .now))
/// let same = try await store.user(username: "alice")
/// ```
public protocol UserStore: Sendable {
    /// Saves a new user and returns it with its id.
    func insertUser(_ user: NewUser) async throws -> User
    /// The user with `id`, if any.
    func user(id: Int64) async throws -> User?
    /// The user whose normalized username equals the normalized `username`, if any.
    func user(username: String) async throws -> User?
    /// Saves every field of `user`; throws ``StoreError/notFound(_:)`` when it does not exist.
    func updateUser(_ user: User) async throws
    /// Deletes the user and its group memberships and permission grants; `false` when it did not exist.
    @discardableResult
    func deleteUser(id: Int64) async throws -> Bool
    /// Users ordered by id.
    func users(offset: Int, limit: Int) async throws -> [User]
}

extension UserStore {
    /// Every user ordered by id.
    public func allUsers() async throws -> [User] {
        try await users(offset: 0, limit: Int(Int32.max))
    }
}

/// Where groups and their members are kept (`auth_group`, `auth_user_groups`).
///
/// ```swift
/// let editors = try await store.insertGroup(name: "editors")
/// try await store.addUser(alice.id, toGroup: editors.id)
/// ```
public protocol GroupStore: Sendable {
    /// Saves a new group; throws ``StoreError/duplicate(_:)`` with field `name` when the name is taken.
    func insertGroup(name: String) async throws -> Group
    /// The group with `id`, if any.
    func group(id: Int64) async throws -> Group?
    /// The group named `name`, if any.
    func group(name: String) async throws -> Group?
    /// Renames a group.
    func updateGroup(_ group: Group) async throws
    /// Deletes the group, its memberships and its permission grants; `false` when it did not exist.
    @discardableResult
    func deleteGroup(id: Int64) async throws -> Bool
    /// Every group ordered by name.
    func groups() async throws -> [Group]
    /// Makes the user a member; adding an existing member changes nothing.
    func addUser(_ userID: Int64, toGroup groupID: Int64) async throws
    /// Ends a membership; `false` when there was none.
    @discardableResult
    func removeUser(_ userID: Int64, fromGroup groupID: Int64) async throws -> Bool
    /// The groups the user belongs to, ordered by name.
    func groups(ofUser userID: Int64) async throws -> [Group]
    /// The members of the group, ordered by id.
    func users(inGroup groupID: Int64) async throws -> [User]
}

/// Where content types are kept (`django_content_type`).
///
/// ```swift
/// let post = try await store.insertContentType(appLabel: "blog", model: "post")
/// ```
public protocol ContentTypeStore: Sendable {
    /// Saves a new content type; throws ``StoreError/duplicate(_:)`` with field `app_label, model`.
    func insertContentType(appLabel: String, model: String) async throws -> ContentType
    /// The content type with `id`, if any.
    func contentType(id: Int64) async throws -> ContentType?
    /// The content type for `appLabel` and `model`, if any.
    func contentType(appLabel: String, model: String) async throws -> ContentType?
    /// Every content type ordered by app label and model.
    func contentTypes() async throws -> [ContentType]
    /// Deletes the content type and its permissions; `false` when it did not exist.
    @discardableResult
    func deleteContentType(id: Int64) async throws -> Bool
}

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

/// Everything the model needs from storage, in one value.
///
/// ```swift
/// func setUp(store: some AuthStore) async throws { ... }
/// ```
public typealias AuthStore = UserStore & GroupStore & ContentTypeStore & PermissionStore
