/// Random strings from the system's cryptographically secure generator.
///
/// ```swift
/// let salt = RandomString.make(length: 22)            // [a-zA-Z0-9]
/// let key = RandomString.make(length: 32, from: RandomString.lowercaseAlphanumerics)
/// ```
package enum RandomString {
    /// `a-z`, `A-Z` and `0-9`: Django's default alphabet for salts and unusable-password suffixes.
    package static let alphanumerics: [Character] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    /// `a-z` and `0-9`: the alphabet of session keys.
    package static let lowercaseAlphanumerics: [Character] = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// Returns `length` characters drawn uniformly from `alphabet` with `SystemRandomNumberGenerator`.
    package static func make(length: Int, from alphabet: [Character] = alphanumerics) -> String {
        precondition(!alphabet.isEmpty, "alphabet must not be empty")
        var generator = SystemRandomNumberGenerator()
        var result = ""
        result.reserveCapacity(length)
        for _ in 0..<length {
            result.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
        }
        return result
    }
}
