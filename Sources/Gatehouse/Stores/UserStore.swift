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
    /// The active users whose email may match `email` case-insensitively: the candidates for a
    /// password reset (Django's `email__iexact` with `is_active`), ordered by id. A store may return
    /// more (the SQL stores compare with the database's `UPPER`, as Django does); the caller decides
    /// with ``PasswordResetForm/sendsReset(to:)``. The default reads every user.
    func users(emailMatching email: String) async throws -> [User]
}

extension UserStore {
    /// Reads every user and keeps the active ones whose email matches (``PasswordResetForm/emailsMatch(_:_:)``).
    public func users(emailMatching email: String) async throws -> [User] {
        try await allUsers().filter { $0.isActive && PasswordResetForm.emailsMatch(email, $0.email) }
    }

    /// Every user ordered by id.
    public func allUsers() async throws -> [User] {
        try await users(offset: 0, limit: Int(Int32.max))
    }
}
