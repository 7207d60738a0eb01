import Foundation
public import Gatehouse
public import HummingbirdAuth
public import HummingbirdBasicAuth

/// Gatehouse's users for hummingbird-auth's `BasicAuthenticator`: the user is looked up by username
/// (normalized as the store does) and must be active, as Django's `ModelBackend` wants.
///
/// An unknown or inactive username gives a stand-in whose password is unusable, rather than `nil`:
/// `BasicAuthenticator` then still asks the verifier, which spends one hash on it
/// (``GatehousePasswordVerifier``), so a wrong username costs as much as a wrong password.
/// The stand-in never verifies, so it is never authenticated.
///
/// ```swift
/// BasicAuthenticator(users: GatehouseUserPasswordRepository(users: store),
///                    passwordHashVerifier: GatehousePasswordVerifier(hashers: hashers), context: BasicAuthRequestContext<User>.self)
/// ```
public struct GatehouseUserPasswordRepository: UserPasswordRepository {
    /// Where the users are.
    public let users: any UserStore

    /// Creates the repository.
    ///
    /// ```swift
    /// GatehouseUserPasswordRepository(users: SQLAuthStore(provider: provider))
    /// ```
    public init(users: any UserStore) {
        self.users = users
    }

    /// The active user called `username`, or a stand-in with an unusable password.
    public func getUser(named username: String, context: UserRepositoryContext) async throws -> User? {
        if let user = try await users.user(username: username), user.isActive {
            return user
        }
        return User(id: 0, password: PasswordHashers.makeUnusablePassword(), username: "", isActive: false, dateJoined: .distantPast)
    }
}

extension User: PasswordAuthenticatable {
    /// The stored Django-format hash, for hummingbird-auth's `BasicAuthenticator`.
    public var passwordHash: String? { password }
}
