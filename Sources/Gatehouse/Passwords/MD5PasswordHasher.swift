import Crypto

/// Salted MD5 (`md5`), kept only to check hashes from old Django sites: it never makes new hashes.
///
/// Stored form: `md5$<salt>$<hex MD5 of salt + password>`. Not in Django's default list; add it to
/// ``PasswordHashers`` when migrating such users, and ``PasswordHashers/checkPassword(_:encoded:upgrade:)``
/// replaces each hash with the preferred algorithm at the user's next login.
///
/// ```swift
/// let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(), others: [MD5PasswordHasher()])
/// let ok = await hashers.checkPassword("s3cret", encoded: user.password) { newHash in
///     var upgraded = user   // the md5 hash is replaced at once
///     upgraded.password = newHash
///     try await store.updateUser(upgraded)
/// }
/// ```
public struct MD5PasswordHasher: PasswordHasher {
    /// Creates the hasher.
    ///
    /// ```swift
    /// let md5 = MD5PasswordHasher()
    /// ```
    public init() {}

    /// `md5`.
    public var algorithm: String { "md5" }

    /// `false`: MD5 hashes are checked, never made.
    public var canEncode: Bool { false }

    /// 22 random characters of `[a-zA-Z0-9]`, for completeness; ``encode(password:salt:)`` refuses.
    ///
    /// ```swift
    /// MD5PasswordHasher().makeSalt()   // 22 characters
    /// ```
    public func makeSalt() -> String {
        DjangoHashFormat.makeSalt()
    }

    /// Always throws ``PasswordError/encodingNotSupported(algorithm:)``: new MD5 hashes are refused.
    ///
    /// ```swift
    /// try MD5PasswordHasher().encode(password: "s3cret", salt: "salt")   // throws
    /// ```
    public func encode(password: String, salt: String) throws(PasswordError) -> String {
        throw .encodingNotSupported(algorithm: algorithm)
    }

    /// Computes `md5$salt$hex(md5(salt + password))` with the stored salt and compares the whole string
    /// in constant time.
    ///
    /// ```swift
    /// MD5PasswordHasher().verify(password: "password", encoded: "md5$seasalt$1e9bf2bf5606aa5c39852cc30f0f6f22")   // true
    /// ```
    public func verify(password: String, encoded: String) -> Bool {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 2)
        guard parts.count == 3, DjangoHashFormat.isExactly(parts[0], algorithm), DjangoHashFormat.isValidSalt(parts[1]) else { return false }
        var input = Array(parts[1].utf8)
        input.append(contentsOf: password.utf8)
        let digest = DjangoHashFormat.hex(Insecure.MD5.hash(data: input))
        return DjangoHashFormat.sameEncoding(encoded, "\(algorithm)$\(parts[1])$\(digest)")
    }

    /// `true` when the salt has fewer than 128 bits (fewer than 22 characters).
    ///
    /// ```swift
    /// MD5PasswordHasher().mustUpdate(encoded: "md5$seasalt$1e9bf2bf5606aa5c39852cc30f0f6f22")   // true: 7-character salt
    /// ```
    public func mustUpdate(encoded: String) -> Bool {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 2)
        guard parts.count == 3, DjangoHashFormat.isExactly(parts[0], algorithm) else { return false }
        return DjangoHashFormat.saltNeedsUpdate(parts[1])
    }

    /// `algorithm`, `salt` (masked after 2 characters) and `hash` (masked).
    ///
    /// ```swift
    /// MD5PasswordHasher().summary(encoded: stored)?["salt"]   // "se*****"
    /// ```
    public func summary(encoded: String) -> PasswordHashSummary? {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 2)
        guard parts.count == 3, DjangoHashFormat.isExactly(parts[0], algorithm) else { return nil }
        return PasswordHashSummary(
            algorithm: algorithm,
            fields: [
                .init(name: "algorithm", value: algorithm),
                .init(name: "salt", value: PasswordHashSummary.mask(parts[1], show: 2)),
                .init(name: "hash", value: PasswordHashSummary.mask(parts[2])),
            ]
        )
    }
}
