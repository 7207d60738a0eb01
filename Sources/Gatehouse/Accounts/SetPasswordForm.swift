/// Django's `SetPasswordForm` without HTTP: a new password typed twice, checked against the password
/// validators for the user it is for. The password change and password reset pages use it.
///
/// Django's rules, checked against Django 6.1 (Tests/Fixtures/django/password-change-vectors.json):
/// each empty field is required; two different passwords are a mismatch on `new_password2`, and then
/// the validators do not run; otherwise the validators' errors go on `new_password2`. Passwords are
/// not stripped of spaces.
///
/// ```swift
/// let form = SetPasswordForm(newPassword1: "a new staple battery", newPassword2: "a new staple battery")
/// let errors = form.errors(for: alice, validators: PasswordValidators.defaults)
/// if errors.isEmpty { /* hash form.newPassword1 and save */ }
/// ```
public struct SetPasswordForm: Sendable, Hashable {
    /// Field name of the new password.
    public static let newPassword1Field = "new_password1"
    /// Field name of its confirmation.
    public static let newPassword2Field = "new_password2"

    /// The new password as submitted (`nil` when the field was left out).
    public var newPassword1: String?
    /// The confirmation as submitted.
    public var newPassword2: String?

    /// Creates the form from submitted values.
    public init(newPassword1: String?, newPassword2: String?) {
        self.newPassword1 = newPassword1
        self.newPassword2 = newPassword2
    }

    /// The form's errors for `user`, added to `errors` (a form that embeds this one passes its own).
    public func validate(for user: User, validators: PasswordValidators, into errors: inout FormErrors) {
        let first = newPassword1 ?? ""
        let second = newPassword2 ?? ""
        if first.isEmpty { errors.add(FormMessages.required, to: Self.newPassword1Field) }
        if second.isEmpty { errors.add(FormMessages.required, to: Self.newPassword2Field) }
        if !first.isEmpty, !second.isEmpty, first != second {
            errors.add(FormMessages.passwordMismatch, to: Self.newPassword2Field)
        }
        // Django validates the confirmation only while it is still a clean value.
        guard !second.isEmpty, !errors.contains(Self.newPassword2Field) else { return }
        let attributes = PasswordUserAttributes(username: user.username, firstName: user.firstName, lastName: user.lastName, email: user.email)
        for error in validators.errors(for: second, user: attributes) {
            errors.add(error, to: Self.newPassword2Field)
        }
    }

    /// The form's errors for `user`.
    public func errors(for user: User, validators: PasswordValidators) -> FormErrors {
        var errors = FormErrors()
        validate(for: user, validators: validators, into: &errors)
        return errors
    }
}
