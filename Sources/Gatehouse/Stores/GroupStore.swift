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
