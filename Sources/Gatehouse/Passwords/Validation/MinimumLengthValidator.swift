/// Django's `MinimumLengthValidator`: at least ``minimumLength`` characters (code points, as Python's
/// `len`), 8 by default.
///
/// ```swift
/// try MinimumLengthValidator(minimumLength: 12).validate("short", user: nil)
/// // ValidationError(code: "password_too_short",
/// //                 message: "This password is too short. It must contain at least 12 characters.")
/// ```
public struct MinimumLengthValidator: PasswordValidator {
    /// Django's default minimum: 8.
    ///
    /// ```swift
    /// MinimumLengthValidator(minimumLength: MinimumLengthValidator.defaultMinimumLength + 4)
    /// ```
    public static let defaultMinimumLength = 8

    /// The fewest characters allowed.
    public let minimumLength: Int

    /// Creates the validator.
    ///
    /// ```swift
    /// let validator = MinimumLengthValidator(minimumLength: 12)
    /// ```
    public init(minimumLength: Int = MinimumLengthValidator.defaultMinimumLength) {
        self.minimumLength = minimumLength
    }

    /// Throws `password_too_short` when `password` has fewer than ``minimumLength`` code points.
    ///
    /// ```swift
    /// try MinimumLengthValidator().validate("🔐🔐🔐🔐🔐🔐🔐🔐", user: nil)   // passes: 8 code points
    /// ```
    public func validate(_ password: String, user: PasswordUserAttributes?) throws(ValidationError) {
        if PythonText.length(password) < minimumLength {
            throw ValidationError(code: "password_too_short", message: errorMessage)
        }
    }

    /// Django's message, singular for a minimum of 1.
    public var errorMessage: String {
        "This password is too short. It must contain at least \(minimumLength) \(characters)."
    }

    /// "Your password must contain at least 8 characters."
    public var helpText: String {
        "Your password must contain at least \(minimumLength) \(characters)."
    }

    private var characters: String { minimumLength == 1 ? "character" : "characters" }
}
