/// Django's `AbstractBaseUser.get_session_auth_hash()`: an HMAC of the stored password hash that a
/// session keeps, so changing the password logs out every other session.
///
/// ```swift
/// let hash = SessionAuthHash.make(passwordHash: user.password, secretKey: keys.secretKey)
/// session["_auth_user_hash"] = .string(hash)
/// // later
/// let stillValid = SessionAuthHash.verify(session["_auth_user_hash"]?.stringValue ?? "", passwordHash: user.password,
///                                         secretKeys: [keys.secretKey] + keys.fallbacks)
/// ```
public enum SessionAuthHash {
    /// The purpose string Django mixes into the key.
    ///
    /// ```swift
    /// SaltedHMAC.hexDigest(keySalt: SessionAuthHash.keySalt, value: hash, secret: key, algorithm: .sha256)
    /// ```
    public static let keySalt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"

    /// The 64 lowercase hex digits of HMAC-SHA256 of `passwordHash` under a key derived from
    /// ``keySalt`` and `secretKey`.
    ///
    /// ```swift
    /// let hash = SessionAuthHash.make(passwordHash: user.password, secretKey: secretKey)
    /// ```
    public static func make(passwordHash: String, secretKey: String) -> String {
        SaltedHMAC.hexDigest(keySalt: keySalt, value: passwordHash, secret: secretKey, algorithm: .sha256)
    }

    /// Whether `sessionHash` is the hash of `passwordHash` under any of `secretKeys` (the current key
    /// first, then Django's `SECRET_KEY_FALLBACKS`), compared in constant time.
    ///
    /// ```swift
    /// SessionAuthHash.verify(stored, passwordHash: user.password, secretKeys: [current, previous])
    /// ```
    public static func verify(_ sessionHash: String, passwordHash: String, secretKeys: [String]) -> Bool {
        var matched = false
        for secretKey in secretKeys {
            matched = ConstantTime.equals(make(passwordHash: passwordHash, secretKey: secretKey), sessionHash) || matched
        }
        return matched
    }
}
