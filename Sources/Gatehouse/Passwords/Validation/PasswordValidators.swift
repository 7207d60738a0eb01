/// A list of password validators run together, Django's `AUTH_PASSWORD_VALIDATORS` and
/// `validate_password`: every validator runs and all their errors are reported, in order.
///
/// ```swift
/// do {
///     try PasswordValidators.defaults.validate(newPassword, user: PasswordUserAttributes(user))
/// } catch {
///     for problem in error.errors { print(problem.code, problem.message) }
/// }
/// let hints = PasswordValidators.defaults.helpTexts
/// ```
public struct PasswordValidators: Sendable {
    /// The validators, in the order they run.
    public var validators: [any PasswordValidator]

    /// Runs `validators` in order.
    ///
    /// ```swift
    /// let validators = PasswordValidators([MinimumLengthValidator(minimumLength: 12), NumericPasswordValidator()])
    /// ```
    public init(_ validators: [any PasswordValidator]) {
        self.validators = validators
    }

    /// The four validators `django-admin startproject` configures, with their defaults: user attribute
    /// similarity, minimum length 8, common passwords, entirely numeric. (Django's own setting
    /// default is an empty list; that is ``none``.)
    ///
    /// ```swift
    /// let manager = UserManager(store: store, validators: .defaults)
    /// ```
    public static let defaults = PasswordValidators([
        UserAttributeSimilarityValidator(),
        MinimumLengthValidator(),
        CommonPasswordValidator(),
        NumericPasswordValidator(),
    ])

    /// No validators: every password passes.
    ///
    /// ```swift
    /// let manager = UserManager(store: store, validators: .none)
    /// ```
    public static let none = PasswordValidators([])

    /// Every error the validators report for `password`, in validator order; empty when it passes.
    ///
    /// ```swift
    /// let problems = validators.errors(for: "123", user: nil)   // too short, too common, numeric
    /// ```
    public func errors(for password: String, user: PasswordUserAttributes? = nil) -> [ValidationError] {
        var errors: [ValidationError] = []
        for validator in validators {
            do {
                try validator.validate(password, user: user)
            } catch {
                errors.append(error)
            }
        }
        return errors
    }

    /// Throws all errors at once when any validator rejects `password`.
    ///
    /// ```swift
    /// try validators.validate(password, user: PasswordUserAttributes(draft))
    /// ```
    public func validate(_ password: String, user: PasswordUserAttributes? = nil) throws(ValidationErrors) {
        let errors = errors(for: password, user: user)
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    /// Each validator's help text, in order (Django's `password_validators_help_texts`).
    public var helpTexts: [String] {
        validators.map(\.helpText)
    }
}
