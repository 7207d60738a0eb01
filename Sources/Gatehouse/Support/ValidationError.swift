/// A value that breaks a rule, with a machine-readable code and a message for people.
///
/// Codes and messages follow Django's, so clients written against Django see the same text.
///
/// ```swift
/// do { try Username.validate(input) } catch let error as ValidationError { print(error.code, error.message) }
/// ```
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Django's error code, such as `password_too_short`.
    public var code: String
    /// The message shown to people.
    public var message: String

    /// Creates a validation error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Several validation errors at once, as Django's `ValidationError` with a list.
///
/// ```swift
/// do { try validators.validate(password, user: PasswordUserAttributes(user)) } catch let errors as ValidationErrors {
///     for error in errors.errors { print(error.message) }
/// }
/// ```
public struct ValidationErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errors, in the order the rules ran.
    public var errors: [ValidationError]

    /// Creates the list.
    public init(_ errors: [ValidationError]) {
        self.errors = errors
    }

    /// The messages joined by spaces.
    public var description: String { errors.map(\.message).joined(separator: " ") }
}
