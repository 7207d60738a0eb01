/// Django's `SECRET_KEY` and `SECRET_KEY_FALLBACKS`: new signatures use the secret key; signatures
/// made with a fallback key still verify, so keys can be rotated without logging everyone out.
///
/// Printing, interpolating or `dump`ing the keys shows only how many fallbacks there are, never a key.
///
/// ```swift
/// let keys = try SigningKeys(secretKey: env["SECRET_KEY"]!, fallbacks: [env["OLD_SECRET_KEY"]!])
/// let signer = Signer(keys: keys, salt: "myapp.unsubscribe")
/// ```
public struct SigningKeys: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key new signatures are made with (Django's `SECRET_KEY`).
    ///
    /// ```swift
    /// let current = keys.secretKey
    /// ```
    public let secretKey: String

    /// Older keys that are still accepted when verifying (Django's `SECRET_KEY_FALLBACKS`), newest
    /// first.
    ///
    /// ```swift
    /// if !keys.fallbacks.isEmpty { print("rotation in progress") }
    /// ```
    public let fallbacks: [String]

    /// The UTF-8 bytes of the secret key followed by the fallbacks, in the order they are tried.
    let verificationSecrets: [[UInt8]]

    /// The UTF-8 bytes of the secret key.
    var signingSecret: [UInt8] { verificationSecrets[0] }

    /// Creates the key set; throws ``SigningError/invalidConfiguration`` when the secret key or a
    /// fallback is empty (Django refuses an empty `SECRET_KEY`; an empty fallback would let anyone
    /// forge signatures).
    ///
    /// ```swift
    /// let keys = try SigningKeys(secretKey: "new-key", fallbacks: ["old-key"])
    /// ```
    public init(secretKey: String, fallbacks: [String] = []) throws(SigningError) {
        guard !secretKey.isEmpty else { throw .invalidConfiguration("the secret key must not be empty") }
        guard !fallbacks.contains(where: \.isEmpty) else {
            throw .invalidConfiguration("a fallback secret key is empty")
        }
        self.secretKey = secretKey
        self.fallbacks = fallbacks
        self.verificationSecrets = ([secretKey] + fallbacks).map { Array($0.utf8) }
    }

    /// `SigningKeys(secretKey: <redacted>, fallbacks: n)`.
    public var description: String { "SigningKeys(secretKey: <redacted>, fallbacks: \(fallbacks.count))" }

    /// The same as ``description``: no key is shown.
    public var debugDescription: String { description }

    /// A mirror without children, so `dump` shows no key.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
