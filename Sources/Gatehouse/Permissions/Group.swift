/// A named set of users that share permissions (`auth_group`).
///
/// ```swift
/// let editors = try await store.insertGroup(name: "editors")
/// try await store.addUser(alice.id, toGroup: editors.id)
/// ```
public struct Group: Sendable, Hashable, Codable, Identifiable {
    /// Django's `max_length` for group names.
    public static let maximumNameLength = 150

    /// The primary key.
    public var id: Int64
    /// The unique name.
    public var name: String

    /// Creates a group value.
    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
