/// One rule a new password must follow, as a Django password validator (`validate` and
/// `get_help_text`).
///
/// ```swift
/// struct NoSeasonsValidator: PasswordValidator {
///     func validate(_ password: String, user: PasswordUserAttributes?) throws(ValidationError) {
///         if password.lowercased().contains("summer") {
///             throw ValidationError(code: "password_seasonal", message: "Avoid seasons in passwords.")
///         }
///     }
///     var helpText: String { "Your password can’t contain a season." }
/// }
/// ```
public protocol PasswordValidator: Sendable {
    /// Throws a ``ValidationError`` when `password` breaks the rule. `user` describes the account the
    /// password is for, when known (Django's `user` argument, `None` for anonymous checks).
    func validate(_ password: String, user: PasswordUserAttributes?) throws(ValidationError)

    /// One sentence telling people what the rule asks for.
    var helpText: String { get }
}
