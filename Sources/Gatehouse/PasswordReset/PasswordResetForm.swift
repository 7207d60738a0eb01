import Foundation

/// Django's `PasswordResetForm` without HTTP: the `email` field, and who gets a reset link for it.
///
/// The field is Django's `EmailField(max_length=254)`: white space around it is stripped; an empty
/// field is required; otherwise every rule that fails adds its error (an invalid address, more than
/// 254 characters, a NUL character). A valid address that matches nobody is not an error: the
/// page answers the same either way.
///
/// ```swift
/// let form = PasswordResetForm(email: " alice@example.com ")
/// if form.errors().isEmpty {
///     let recipients = try await store.users(emailMatching: form.cleanedEmail).filter { form.sendsReset(to: $0) }
/// }
/// ```
public struct PasswordResetForm: Sendable, Hashable {
    /// The field name.
    public static let emailField = "email"
    /// The longest address accepted (Django's `max_length`).
    public static let maximumEmailLength = 254

    /// The address as submitted (`nil` when the field was left out).
    public var email: String?

    /// Creates the form from the submitted value.
    public init(email: String?) {
        self.email = email
    }

    /// The address with white space around it stripped (as Python's `str.strip`).
    public var cleanedEmail: String { PythonText.strip(email ?? "") }

    /// The form's errors, under ``emailField``.
    public func errors() -> FormErrors {
        var errors = FormErrors()
        let value = cleanedEmail
        guard !value.isEmpty else {
            errors.add(FormMessages.required, to: Self.emailField)
            return errors
        }
        if !EmailAddressValidator.isValid(value) {
            errors.add(EmailAddressValidator.invalid, to: Self.emailField)
        }
        let length = value.unicodeScalars.count
        if length > Self.maximumEmailLength {
            errors.add(
                ValidationError(
                    code: "max_length",
                    message: "Ensure this value has at most \(Self.maximumEmailLength) characters (it has \(length))."
                ),
                to: Self.emailField
            )
        }
        if value.unicodeScalars.contains("\u{0}") {
            errors.add(ValidationError(code: "null_characters_not_allowed", message: "Null characters are not allowed."), to: Self.emailField)
        }
        return errors
    }

    /// Whether `user` gets a reset link for this form's address, as Django's `get_users` decides: an
    /// active user with a usable password whose email matches the address case-insensitively
    /// (``emailsMatch(_:_:)``). Stores find the candidates (``UserStore/users(emailMatching:)``);
    /// this is the final word.
    public func sendsReset(to user: User) -> Bool {
        user.isActive && user.hasUsablePassword && Self.emailsMatch(cleanedEmail, user.email)
    }

    /// Django's `_unicode_ci_compare`: equal after NFKC normalization and case folding.
    public static func emailsMatch(_ lhs: String, _ rhs: String) -> Bool {
        caseFold(lhs.precomposedStringWithCompatibilityMapping) == caseFold(rhs.precomposedStringWithCompatibilityMapping)
    }

    /// Python's `str.casefold()` on scalars: the full lowercase mapping, with `ß` and `ẞ` folded to
    /// `ss` and final sigma to `σ`.
    static func caseFold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00DF, 0x1E9E: out.append(contentsOf: "ss".unicodeScalars)
            case 0x03C2: out.append("\u{03C3}")
            default: out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }
}
