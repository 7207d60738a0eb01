/// Django's `PasswordChangeForm` without HTTP: the current password, then a new one typed twice.
///
/// The current password is checked with the user's own hash (on the hashing pool); a wrong one is
/// `password_incorrect` on `old_password`, and the new passwords are still checked (Django shows
/// every error at once). See ``SetPasswordForm`` for the rules of the new password.
///
/// ```swift
/// let form = PasswordChangeForm(oldPassword: "old one", newPassword1: "a new staple battery", newPassword2: "a new staple battery")
/// let errors = try await form.errors(for: alice, hashers: hashers, validators: PasswordValidators.defaults)
/// ```
public struct PasswordChangeForm: Sendable, Hashable {
    /// Field name of the current password.
    public static let oldPasswordField = "old_password"

    /// The current password as submitted (`nil` when the field was left out).
    public var oldPassword: String?
    /// The new password, twice.
    public var newPassword: SetPasswordForm

    /// Creates the form from submitted values.
    public init(oldPassword: String?, newPassword1: String?, newPassword2: String?) {
        self.oldPassword = oldPassword
        self.newPassword = SetPasswordForm(newPassword1: newPassword1, newPassword2: newPassword2)
    }

    /// The form's errors for `user`. Throws only when the current password could not be checked at
    /// all (``PasswordError/busy``: the hashing pool is full), so that the caller answers "try again"
    /// instead of "wrong password".
    public func errors(for user: User, hashers: PasswordHashers, validators: PasswordValidators) async throws(PasswordError) -> FormErrors {
        var errors = FormErrors()
        let old = oldPassword ?? ""
        if old.isEmpty {
            errors.add(FormMessages.required, to: Self.oldPasswordField)
        } else if try await !hashers.verifyPassword(old, encoded: user.password).isCorrect {
            errors.add(FormMessages.passwordIncorrect, to: Self.oldPasswordField)
        }
        newPassword.validate(for: user, validators: validators, into: &errors)
        return errors
    }
}
