/// The outcome of checking a password against a stored hash, as Django's `verify_password` returns it.
///
/// ```swift
/// let result = try await hashers.verifyPassword(given, encoded: user.password)
/// if result.isCorrect && result.mustUpdate {
///     user.password = try await hashers.makePassword(given)
/// }
/// ```
public struct PasswordVerification: Sendable, Hashable {
    /// Whether the password matched.
    public var isCorrect: Bool
    /// Whether the stored hash is not in the preferred algorithm with its current parameters, so a
    /// correct password should be re-hashed. Reported whether or not the password matched.
    public var mustUpdate: Bool

    /// Creates a result.
    ///
    /// ```swift
    /// let accepted = PasswordVerification(isCorrect: true, mustUpdate: false)
    /// ```
    public init(isCorrect: Bool, mustUpdate: Bool) {
        self.isCorrect = isCorrect
        self.mustUpdate = mustUpdate
    }

    /// A wrong password against a hash that needs nothing: both `false`.
    ///
    /// ```swift
    /// if result == .rejected { throw AuthenticationDenied(reason: "wrong password") }
    /// ```
    public static let rejected = PasswordVerification(isCorrect: false, mustUpdate: false)
}
