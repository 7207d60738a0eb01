public import Gatehouse
public import HummingbirdBasicAuth

/// Gatehouse's password hashers as hummingbird-auth's `PasswordHashVerifier`, so that
/// `BasicAuthenticator` checks Django-format hashes (`pbkdf2_sha256$...`, `bcrypt_sha256$...`,
/// `scrypt$...`, ...) instead of bare bcrypt strings.
///
/// The check is ``Gatehouse/PasswordHashers/verifyPassword(_:encoded:)``: Django's rules (an
/// unusable or unknown hash costs one hash and never matches), run on the hashers'
/// ``Gatehouse/PasswordHashingPool``, never on the event loop. Outdated hashes are not upgraded here,
/// since the protocol has no way to save one: Gatehouse's `Authenticator` does that at login.
///
/// ```swift
/// let basic = BasicAuthenticator(
///     users: GatehouseUserPasswordRepository(users: store),
///     passwordHashVerifier: GatehousePasswordVerifier(hashers: hashers),
///     context: BasicAuthRequestContext<User>.self
/// )
/// ```
public struct GatehousePasswordVerifier: PasswordHashVerifier {
    /// The hashers that know the stored algorithms.
    public let hashers: PasswordHashers

    /// Creates the verifier.
    ///
    /// ```swift
    /// GatehousePasswordVerifier(hashers: PasswordHashers())
    /// ```
    public init(hashers: PasswordHashers) {
        self.hashers = hashers
    }

    /// Whether `password` matches the Django-format `hash`.
    ///
    /// - Throws: ``Gatehouse/PasswordError`` when the hashing pool is busy or shut down, so the
    ///   request fails instead of counting as a wrong password.
    public func verifyPassword(_ password: String, createsHash hash: String) async throws -> Bool {
        try await hashers.verifyPassword(password, encoded: hash).isCorrect
    }
}
