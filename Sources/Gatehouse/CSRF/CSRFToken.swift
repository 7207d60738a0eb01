/// Django's CSRF secrets and masked tokens (Django 4.0 and later).
///
/// The *secret* is 32 characters of `[a-zA-Z0-9]` and lives in the `csrftoken` cookie. Pages carry a
/// *masked token* of 64 characters: a fresh random 32-character mask followed by the secret enciphered
/// with it (each character's alphabet index plus the mask character's index, modulo 62), so the token
/// changes on every page while the secret stays put (a defence against BREACH).
///
/// ```swift
/// let secret = CSRFToken.makeSecret()          // goes into the csrftoken cookie
/// let token = try CSRFToken.mask(secret)       // goes into the form's csrfmiddlewaretoken field
/// CSRFToken.tokensMatch(given: token, secret: secret)   // true
/// ```
package enum CSRFToken {
    /// The length of a secret: 32.
    ///
    /// ```swift
    /// CSRFToken.makeSecret().count == CSRFToken.secretLength   // true
    /// ```
    package static let secretLength = 32

    /// The length of a masked token: 64.
    ///
    /// ```swift
    /// try CSRFToken.mask(secret).count == CSRFToken.tokenLength   // true
    /// ```
    package static let tokenLength = 64

    /// The alphabet of secrets, masks and tokens, in Django's order (`a-z`, `A-Z`, `0-9`); the order
    /// defines the cipher.
    ///
    /// ```swift
    /// CSRFToken.allowedCharacters.count   // 62
    /// ```
    package static let allowedCharacters: [Character] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    private static let alphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    /// A new random secret: 32 characters from ``allowedCharacters`` (Django's `_get_new_csrf_string`).
    ///
    /// ```swift
    /// let secret = CSRFToken.makeSecret()
    /// ```
    package static func makeSecret() -> String {
        RandomString.make(length: secretLength, from: allowedCharacters)
    }

    /// A new secret to replace the current one, as Django's `rotate_token` does on login; never equal to
    /// `current`.
    ///
    /// ```swift
    /// let fresh = CSRFToken.rotate(replacing: cookies["csrftoken"])
    /// response.setCookie(Cookie(name: "csrftoken", value: fresh, path: "/", httpOnly: false, sameSite: .lax))   // Hummingbird
    /// ```
    package static func rotate(replacing current: String? = nil) -> String {
        var secret = makeSecret()
        while let current, ConstantTime.equals(secret, current) { secret = makeSecret() }
        return secret
    }

    /// Masks `secret` with a fresh random mask: a 64-character token for a form or page (Django's
    /// `_mask_cipher_secret`). Throws when `secret` is not 32 allowed characters.
    ///
    /// ```swift
    /// let token = try CSRFToken.mask(secret)
    /// ```
    package static func mask(_ secret: String) throws(CSRFTokenFormatError) -> String {
        try mask(secret, with: makeSecret())
    }

    /// Masks `secret` with the given 32-character `mask` (deterministic; for tests and vectors).
    ///
    /// ```swift
    /// try CSRFToken.mask(String(repeating: "b", count: 32), with: String(repeating: "b", count: 32))
    /// // "bbbb…bbbb" + "cccc…cccc"   (b = 1, 1 + 1 = 2 = c)
    /// ```
    package static func mask(_ secret: String, with mask: String) throws(CSRFTokenFormatError) -> String {
        let secretIndices = try indices(secret, length: secretLength)
        let maskIndices = try indices(mask, length: secretLength)
        var out = maskIndices.map { alphabet[Int($0)] }
        for (s, m) in zip(secretIndices, maskIndices) {
            out.append(alphabet[Int((s + m) % 62)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Recovers the secret from a 64-character masked token (Django's `_unmask_cipher_token`). Throws
    /// when `token` is not 64 allowed characters.
    ///
    /// ```swift
    /// try CSRFToken.unmask(try CSRFToken.mask(secret)) == secret   // true
    /// ```
    package static func unmask(_ token: String) throws(CSRFTokenFormatError) -> String {
        let all = try indices(token, length: tokenLength)
        return String(decoding: unmaskIndices(all).map { alphabet[Int($0)] }, as: UTF8.self)
    }

    /// Checks what Django's `_check_token_format` checks: 32 or 64 characters (code points), all from
    /// ``allowedCharacters``; the length is checked first.
    ///
    /// ```swift
    /// try CSRFToken.validateFormat(formField)   // throws .incorrectLength or .invalidCharacters
    /// ```
    package static func validateFormat(_ token: String) throws(CSRFTokenFormatError) {
        let length = token.unicodeScalars.count
        guard length == secretLength || length == tokenLength else { throw .incorrectLength }
        guard token.utf8.allSatisfy({ index(of: $0) != nil }) else { throw .invalidCharacters }
    }

    /// Whether `given` (a 64-character masked token or a 32-character secret, as Django accepts in the
    /// form field or header) matches `secret` (32 characters); compared in constant time. Malformed input
    /// on either side is simply `false`.
    ///
    /// ```swift
    /// CSRFToken.tokensMatch(given: form["csrfmiddlewaretoken"] ?? "", secret: cookieSecret)
    /// ```
    package static func tokensMatch(given: String, secret: String) -> Bool {
        guard let secretIndices = try? indices(secret, length: secretLength) else { return false }
        let givenIndices: [UInt8]
        if let masked = try? indices(given, length: tokenLength) {
            givenIndices = unmaskIndices(masked)
        } else if let plain = try? indices(given, length: secretLength) {
            givenIndices = plain
        } else {
            return false
        }
        return ConstantTime.equals(givenIndices, secretIndices)
    }

    /// The secret held by a `csrftoken` cookie value, as Django's middleware reads it: `nil` when the
    /// cookie is missing or malformed; a 64-character value (masked, as Django before 4.0 stored it)
    /// is unmasked.
    ///
    /// ```swift
    /// let secret = CSRFToken.secret(fromCookie: cookies["csrftoken"])
    /// ```
    package static func secret(fromCookie value: String?) -> String? {
        guard let value, (try? validateFormat(value)) != nil else { return nil }
        if value.utf8.count == tokenLength { return try? unmask(value) }
        return value
    }

    /// What a page needs for its form, as Django's `get_token`: the secret from the cookie (or a new one
    /// when the cookie is missing or malformed) and a freshly masked token for it. Set the cookie to
    /// ``CSRFIssuedToken/secret`` on the response (Django does so whenever a token was handed out, which
    /// also renews the cookie's expiry).
    ///
    /// ```swift
    /// let issued = CSRFToken.issue(cookie: cookies["csrftoken"])
    /// let field = #"<input type="hidden" name="csrfmiddlewaretoken" value="\#(issued.token)">"#
    /// response.setCookie(Cookie(name: "csrftoken", value: issued.secret, path: "/", httpOnly: false, sameSite: .lax))   // Hummingbird
    /// ```
    package static func issue(cookie: String?) -> CSRFIssuedToken {
        if let secret = secret(fromCookie: cookie), let token = try? mask(secret) {
            return CSRFIssuedToken(secret: secret, token: token, isNewSecret: cookie != secret)
        }
        let secret = makeSecret()
        // A fresh secret is always well-formed, so masking cannot fail; fall back to the secret itself
        // (which Django also accepts) rather than trap.
        let token = (try? mask(secret)) ?? secret
        return CSRFIssuedToken(secret: secret, token: token, isNewSecret: true)
    }

    /// Alphabet indices of `text`, which must be exactly `length` allowed characters.
    private static func indices(_ text: String, length: Int) throws(CSRFTokenFormatError) -> [UInt8] {
        guard text.unicodeScalars.count == length else { throw .incorrectLength }
        var out: [UInt8] = []
        out.reserveCapacity(length)
        for byte in text.utf8 {
            guard let value = index(of: byte) else { throw .invalidCharacters }
            out.append(value)
        }
        return out
    }

    /// The second half minus the first half, character by character, modulo 62.
    private static func unmaskIndices(_ token: [UInt8]) -> [UInt8] {
        let mask = token.prefix(secretLength)
        let cipher = token.dropFirst(secretLength)
        return zip(cipher, mask).map { c, m in (c + 62 - m) % 62 }
    }

    /// The position of an ASCII byte in ``allowedCharacters``, or `nil`.
    private static func index(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        default: nil
        }
    }
}

/// A masked token handed to a page, with the secret it belongs to (see ``CSRFToken/issue(cookie:)``).
///
/// ```swift
/// let issued = CSRFToken.issue(cookie: nil)
/// issued.isNewSecret   // true: the response must set the cookie
/// ```
package struct CSRFIssuedToken: Sendable, Hashable {
    /// The 32-character secret for the `csrftoken` cookie.
    package var secret: String
    /// A freshly masked 64-character token for the `csrfmiddlewaretoken` field or a page's JavaScript.
    package var token: String
    /// Whether `secret` differs from what the cookie held (new, replaced, or a legacy masked cookie now
    /// stored unmasked).
    package var isNewSecret: Bool

    /// Creates the value.
    ///
    /// ```swift
    /// let issued = CSRFIssuedToken(secret: secret, token: try CSRFToken.mask(secret), isNewSecret: false)
    /// ```
    package init(secret: String, token: String, isNewSecret: Bool) {
        self.secret = secret
        self.token = token
        self.isNewSecret = isNewSecret
    }
}

/// Why a string is not a CSRF secret or token: Django's two format problems.
///
/// ```swift
/// print(CSRFTokenFormatError.incorrectLength)   // "has incorrect length"
/// ```
public struct CSRFTokenFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case incorrectLength
        case invalidCharacters
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// Not the expected length (32 or 64 code points, or the one length an operation needs).
    ///
    /// ```swift
    /// if error == .incorrectLength { ... }
    /// ```
    public static let incorrectLength = CSRFTokenFormatError(.incorrectLength)

    /// A character outside `[a-zA-Z0-9]`.
    ///
    /// ```swift
    /// if error == .invalidCharacters { ... }
    /// ```
    public static let invalidCharacters = CSRFTokenFormatError(.invalidCharacters)

    /// Django's phrase: `has incorrect length` or `has invalid characters`.
    public var description: String {
        switch base {
        case .incorrectLength: "has incorrect length"
        case .invalidCharacters: "has invalid characters"
        }
    }
}
