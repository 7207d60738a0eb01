/// Django's `UserAttributeSimilarityValidator`: the password must not be too similar to the user's
/// username, names or email address, or to any word-separated part of them (so `alice.smith@example.com`
/// is compared as a whole and as `alice`, `smith`, `example` and `com`).
///
/// Similarity is Python's `SequenceMatcher(a=password, b=value).quick_ratio()` on the lowercased
/// strings, compared with ``maximumSimilarity`` (0.7 by default); values much shorter than the password
/// are skipped as in Django. No `user` means nothing is checked.
///
/// ```swift
/// let validator = UserAttributeSimilarityValidator()
/// try validator.validate("alice1", user: PasswordUserAttributes(username: "alice"))
/// // ValidationError(code: "password_too_similar", message: "The password is too similar to the username.")
/// ```
public struct UserAttributeSimilarityValidator: PasswordValidator {
    /// Django's default attributes: `username`, `first_name`, `last_name`, `email`.
    ///
    /// ```swift
    /// try UserAttributeSimilarityValidator(userAttributes: UserAttributeSimilarityValidator.defaultUserAttributes + ["nickname"])
    /// ```
    public static let defaultUserAttributes = ["username", "first_name", "last_name", "email"]
    /// Django's default maximum similarity: 0.7.
    ///
    /// ```swift
    /// try UserAttributeSimilarityValidator(maximumSimilarity: UserAttributeSimilarityValidator.defaultMaximumSimilarity - 0.2)
    /// ```
    public static let defaultMaximumSimilarity = 0.7
    /// The smallest maximum similarity Django accepts: 0.1.
    ///
    /// ```swift
    /// try UserAttributeSimilarityValidator(maximumSimilarity: 0.05)   // throws
    /// ```
    public static let minimumMaximumSimilarity = 0.1
    /// The verbose names of Django's `User` fields, used in the error message.
    ///
    /// ```swift
    /// UserAttributeSimilarityValidator.defaultVerboseNames["email"]   // "email address"
    /// ```
    public static let defaultVerboseNames = [
        "username": "username", "first_name": "first name", "last_name": "last name", "email": "email address",
    ]

    /// The attributes compared, by Django field name, in order.
    public let userAttributes: [String]
    /// A similarity at or above this fails.
    public let maximumSimilarity: Double
    /// How each attribute is named in the message; attributes without an entry use their field name.
    public let verboseNames: [String: String]

    /// Django's defaults.
    ///
    /// ```swift
    /// let validator = UserAttributeSimilarityValidator()
    /// ```
    public init() {
        self.userAttributes = Self.defaultUserAttributes
        self.maximumSimilarity = Self.defaultMaximumSimilarity
        self.verboseNames = Self.defaultVerboseNames
    }

    /// Custom attributes and threshold.
    ///
    /// ```swift
    /// let strict = try UserAttributeSimilarityValidator(userAttributes: ["username", "nickname"],
    ///                                                   maximumSimilarity: 0.5,
    ///                                                   verboseNames: ["nickname": "nickname"])
    /// ```
    ///
    /// - Throws: a ``ValidationError`` with code `invalid_max_similarity` when `maximumSimilarity` is
    ///   below 0.1, as Django refuses it.
    public init(
        userAttributes: [String] = UserAttributeSimilarityValidator.defaultUserAttributes,
        maximumSimilarity: Double = UserAttributeSimilarityValidator.defaultMaximumSimilarity,
        verboseNames: [String: String] = UserAttributeSimilarityValidator.defaultVerboseNames
    ) throws(ValidationError) {
        guard maximumSimilarity >= Self.minimumMaximumSimilarity else {
            throw ValidationError(code: "invalid_max_similarity", message: "max_similarity must be at least 0.1")
        }
        self.userAttributes = userAttributes
        self.maximumSimilarity = maximumSimilarity
        self.verboseNames = verboseNames
    }

    /// Throws `password_too_similar`, naming the first attribute that is too similar.
    ///
    /// ```swift
    /// try UserAttributeSimilarityValidator().validate("doe.john", user: PasswordUserAttributes(email: "john.doe@example.com"))
    /// ```
    public func validate(_ password: String, user: PasswordUserAttributes?) throws(ValidationError) {
        guard let user else { return }
        let password = PythonText.lower(password)
        for attribute in userAttributes {
            guard let value = user[attribute], !value.isEmpty else { continue }
            let lowered = PythonText.lower(value)
            for part in PythonText.splitOnNonWordRuns(lowered) + [lowered] {
                if Self.exceedsMaximumLengthRatio(password: password, maximumSimilarity: maximumSimilarity, value: part) {
                    continue
                }
                if SequenceMatcher(a: password, b: part).quickRatio() >= maximumSimilarity {
                    let name = verboseNames[attribute] ?? attribute
                    throw ValidationError(
                        code: "password_too_similar",
                        message: "The password is too similar to the \(name)."
                    )
                }
            }
        }
    }

    /// "Your password can’t be too similar to your other personal information."
    public var helpText: String { "Your password can\u{2019}t be too similar to your other personal information." }

    /// Django's shortcut: a value at most a tenth of the password's length, and shorter than
    /// `maximumSimilarity / 2 × length`, cannot reach the threshold and is not compared.
    static func exceedsMaximumLengthRatio(password: String, maximumSimilarity: Double, value: String) -> Bool {
        let passwordLength = PythonText.length(password)
        let lengthBoundSimilarity = maximumSimilarity / 2 * Double(passwordLength)
        let valueLength = PythonText.length(value)
        return passwordLength >= 10 * valueLength && Double(valueLength) < lengthBoundSimilarity
    }
}
