/// Django's `NumericPasswordValidator`: a password may not consist of digits only (Python's
/// `str.isdigit`, which counts digits of every script and superscripts such as `²`).
///
/// ```swift
/// try NumericPasswordValidator().validate("20240101", user: nil)
/// // ValidationError(code: "password_entirely_numeric", message: "This password is entirely numeric.")
/// ```
public struct NumericPasswordValidator: PasswordValidator {
    /// Creates the validator.
    ///
    /// ```swift
    /// let validator = NumericPasswordValidator()
    /// ```
    public init() {}

    /// Throws `password_entirely_numeric` when every character of a non-empty `password` is a digit.
    ///
    /// ```swift
    /// try NumericPasswordValidator().validate("١٢٣٤٥٦٧٨٩", user: nil)   // throws: Arabic-Indic digits
    /// ```
    public func validate(_ password: String, user: PasswordUserAttributes?) throws(ValidationError) {
        if PythonText.isDigit(password) {
            throw ValidationError(code: "password_entirely_numeric", message: "This password is entirely numeric.")
        }
    }

    /// "Your password can’t be entirely numeric."
    public var helpText: String { "Your password can\u{2019}t be entirely numeric." }
}
