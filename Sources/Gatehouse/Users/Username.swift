import Foundation

/// Username rules shared with Django's `auth_user.username`.
///
/// Usernames are normalized with Unicode NFKC before they are stored or compared, so `"ｊｏｅ"` and
/// `"joe"`, or a precomposed and a decomposed `"é"`, name the same account. A valid username has 1 to
/// 150 characters, each a letter, a digit or one of `@ . + - _` (Django's `UnicodeUsernameValidator`).
///
/// ```swift
/// let name = Username.normalize("Ａlice")          // "Alice"
/// try Username.validate(name)                       // throws ValidationError when invalid
/// ```
public enum Username {
    /// Django's `max_length` for usernames, in Unicode code points.
    public static let maximumLength = 150

    /// The NFKC form of `username`, as Django's `AbstractBaseUser.normalize_username`.
    public static func normalize(_ username: String) -> String {
        username.precomposedStringWithCompatibilityMapping
    }

    /// Whether `username` (already normalized) satisfies Django's username validator and length.
    public static func isValid(_ username: String) -> Bool {
        let scalars = username.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= maximumLength else { return false }
        return scalars.allSatisfy(isAllowed)
    }

    /// Throws a ``ValidationError`` with Django's message when `username` is invalid.
    public static func validate(_ username: String) throws(ValidationError) {
        let count = username.unicodeScalars.count
        if count == 0 {
            throw ValidationError(code: "required", message: "This field is required.")
        }
        if count > maximumLength {
            throw ValidationError(
                code: "max_length",
                message: "Ensure this value has at most \(maximumLength) characters (it has \(count))."
            )
        }
        if !username.unicodeScalars.allSatisfy(isAllowed) {
            throw ValidationError(
                code: "invalid",
                message: "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
            )
        }
    }

    /// A word character as Python's Unicode `\w` sees it, or one of `@ . + -`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "@", ".", "+", "-", "_": return true
        default: return isWordCharacter(scalar)
        }
    }

    /// Letters (L*) and numbers (N*): what Python's `str.isalnum` accepts.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

/// Email rules shared with Django's `BaseUserManager.normalize_email`.
///
/// ```swift
/// Email.normalize("Alice@EXAMPLE.com")   // "Alice@example.com"
/// ```
public enum Email {
    /// Django's `max_length` for `auth_user.email`.
    public static let maximumLength = 254

    /// Lowercases the part after the last `@` of the trimmed address; an address without `@` is
    /// returned unchanged.
    public static func normalize(_ email: String) -> String {
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let at = trimmed.lastIndex(of: "@") else { return email }
        let local = trimmed[..<at]
        let domain = trimmed[trimmed.index(after: at)...]
        return "\(local)@\(domain.lowercased())"
    }
}
