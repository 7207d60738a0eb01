import Crypto

/// Django's `salted_hmac`: an HMAC whose key is derived from a purpose string (`keySalt`) and a secret,
/// so one secret key can sign many unrelated things.
///
/// The key is `H(keySalt + secret)` with the chosen digest `H`, and the result `HMAC-H(key, value)`.
///
/// ```swift
/// let mac = SaltedHMAC.hexDigest(
///     keySalt: "myapp.signup", value: "alice", secret: secretKey, algorithm: .sha256
/// )
/// ```
public enum SaltedHMAC {
    /// The digests Django's callers use.
    ///
    /// ```swift
    /// SaltedHMAC.hexDigest(keySalt: "purpose", value: "data", secret: key, algorithm: .sha1)
    /// ```
    public enum Algorithm: Sendable, Hashable {
        /// SHA-256, what Django's own callers pass.
        case sha256
        /// SHA-1, `salted_hmac`'s default when no algorithm is given.
        case sha1
    }

    /// The raw HMAC bytes of `value` (its UTF-8 bytes) under the key derived from `keySalt` and
    /// `secret`.
    ///
    /// ```swift
    /// let bytes = SaltedHMAC.digest(keySalt: "purpose", value: "data", secret: key, algorithm: .sha256)
    /// ```
    public static func digest(keySalt: String, value: String, secret: String, algorithm: Algorithm) -> [UInt8] {
        digest(keySalt: keySalt, value: Array(value.utf8), secret: Array(secret.utf8), algorithm: algorithm)
    }

    /// The raw HMAC bytes of `value` under the key derived from `keySalt` and `secret` (bytes).
    ///
    /// ```swift
    /// let bytes = SaltedHMAC.digest(keySalt: "purpose", value: [1, 2], secret: keyBytes, algorithm: .sha1)
    /// ```
    public static func digest(keySalt: String, value: [UInt8], secret: [UInt8], algorithm: Algorithm) -> [UInt8] {
        let keyMaterial = Array(keySalt.utf8) + secret
        switch algorithm {
        case .sha256:
            let key = SymmetricKey(data: Array(SHA256.hash(data: keyMaterial)))
            return Array(HMAC<SHA256>.authenticationCode(for: value, using: key))
        case .sha1:
            let key = SymmetricKey(data: Array(Insecure.SHA1.hash(data: keyMaterial)))
            return Array(HMAC<Insecure.SHA1>.authenticationCode(for: value, using: key))
        }
    }

    /// The HMAC as lowercase hex, as Django's `salted_hmac(...).hexdigest()`.
    ///
    /// ```swift
    /// SaltedHMAC.hexDigest(keySalt: "purpose", value: "data", secret: key, algorithm: .sha256)   // 64 hex digits
    /// ```
    public static func hexDigest(keySalt: String, value: String, secret: String, algorithm: Algorithm) -> String {
        let bytes = digest(keySalt: keySalt, value: value, secret: secret, algorithm: algorithm)
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
