/// Session keys: what the session cookie carries for a server-side ``SessionStore``.
///
/// Gatehouse makes keys as Django does (32 characters from `a-z0-9`, from the system's CSPRNG) and
/// accepts 8 to 40 of those characters: Django's lower bound and the width of
/// `django_session.session_key`. Anything else (empty, long, upper case, non-ASCII, punctuation) is
/// refused before a store is asked, so hostile cookies never reach a query.
///
/// ```swift
/// let key = SessionKey.generate()          // "k3j9x0q..." (32 characters)
/// SessionKey.isValid(key)                  // true
/// SessionKey.isValid("../../etc/passwd")   // false
/// ```
public enum SessionKey {
    /// The length of generated keys: 32.
    ///
    /// ```swift
    /// SessionKey.generate().count == SessionKey.generatedLength
    /// ```
    public static let generatedLength = 32

    /// The shortest key accepted: 8, Django's lower bound.
    ///
    /// ```swift
    /// SessionKey.isValid("abcdefg")   // false: 7 characters
    /// ```
    public static let minimumLength = 8

    /// The longest key accepted: 40, the width of `django_session.session_key`.
    ///
    /// ```swift
    /// SessionKey.isValid(String(repeating: "a", count: 41))   // false
    /// ```
    public static let maximumLength = 40

    /// A new random key of ``generatedLength`` characters from `a-z0-9`.
    ///
    /// ```swift
    /// let key = SessionKey.generate()
    /// ```
    public static func generate() -> String {
        RandomString.make(length: generatedLength, from: RandomString.lowercaseAlphanumerics)
    }

    /// Whether `key` has ``minimumLength`` to ``maximumLength`` characters, all from `a-z0-9`.
    ///
    /// ```swift
    /// SessionKey.isValid("")          // false
    /// SessionKey.isValid("Ab12cd34")  // false: upper case
    /// ```
    public static func isValid(_ key: String) -> Bool {
        var count = 0
        for byte in key.utf8 {
            count += 1
            guard count <= maximumLength else { return false }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): continue
            default: return false
            }
        }
        return count >= minimumLength
    }
}
