import Crypto
import _CryptoExtras

/// PBKDF2 with HMAC-SHA256 (`pbkdf2_sha256`, Django's preferred hasher) or HMAC-SHA1 (`pbkdf2_sha1`).
///
/// Stored form: `pbkdf2_sha256$<iterations>$<salt>$<base64 of the derived key>`, the key as long as the
/// digest (32 bytes for SHA-256, 20 for SHA-1), the salt 22 characters of `[a-zA-Z0-9]`.
///
/// ```swift
/// let hasher = PBKDF2PasswordHasher()                       // pbkdf2_sha256, 1,500,000 iterations
/// let legacy = PBKDF2PasswordHasher(digest: .sha1)          // pbkdf2_sha1
/// let encoded = try hasher.encode(password: "s3cret", salt: hasher.makeSalt())
/// hasher.verify(password: "s3cret", encoded: encoded)       // true
/// ```
public struct PBKDF2PasswordHasher: PasswordHasher {
    /// The HMAC digest of the PBKDF2 pseudo-random function.
    ///
    /// ```swift
    /// let legacy = PBKDF2PasswordHasher(digest: .sha1)
    /// ```
    public enum Digest: Sendable, Hashable {
        /// HMAC-SHA256: algorithm `pbkdf2_sha256`.
        case sha256
        /// HMAC-SHA1: algorithm `pbkdf2_sha1`.
        case sha1
    }

    /// Django 6.1's iteration count for both PBKDF2 hashers.
    ///
    /// ```swift
    /// PBKDF2PasswordHasher(iterations: PBKDF2PasswordHasher.defaultIterations * 2)
    /// ```
    public static let defaultIterations = 1_500_000

    /// The largest iteration count a stored hash may ask for before ``verify(password:encoded:)``
    /// refuses it rather than spend the time, unless configured otherwise.
    ///
    /// ```swift
    /// PBKDF2PasswordHasher(maximumIterations: PBKDF2PasswordHasher.defaultMaximumIterations / 10)
    /// ```
    public static let defaultMaximumIterations = 20_000_000

    /// The digest.
    public let digest: Digest
    /// Iterations for new hashes; stored hashes with another count must be updated.
    public let iterations: Int
    /// Stored hashes with more iterations than this never verify.
    public let maximumIterations: Int

    /// Creates the hasher.
    ///
    /// ```swift
    /// let fastForTests = PBKDF2PasswordHasher(iterations: 1_000)
    /// ```
    ///
    /// - Precondition: `iterations` is between 1 and `maximumIterations`, which is at most `UInt32.max`.
    public init(
        digest: Digest = .sha256,
        iterations: Int = PBKDF2PasswordHasher.defaultIterations,
        maximumIterations: Int = PBKDF2PasswordHasher.defaultMaximumIterations
    ) {
        precondition(maximumIterations >= 1 && maximumIterations <= Int(UInt32.max), "maximumIterations out of range")
        precondition(iterations >= 1 && iterations <= maximumIterations, "iterations out of range")
        self.digest = digest
        self.iterations = iterations
        self.maximumIterations = maximumIterations
    }

    /// `pbkdf2_sha256` or `pbkdf2_sha1`.
    public var algorithm: String {
        switch digest {
        case .sha256: "pbkdf2_sha256"
        case .sha1: "pbkdf2_sha1"
        }
    }

    /// 22 random characters of `[a-zA-Z0-9]` (128 bits).
    ///
    /// ```swift
    /// PBKDF2PasswordHasher().makeSalt()   // 22 characters of [a-zA-Z0-9]
    /// ```
    public func makeSalt() -> String {
        DjangoHashFormat.makeSalt()
    }

    /// `algorithm$iterations$salt$base64(key)`.
    ///
    /// - Throws: ``PasswordError/invalidSalt(algorithm:)`` when `salt` is empty or contains `$`.
    ///
    /// ```swift
    /// try PBKDF2PasswordHasher(iterations: 1_000).encode(password: "s3cret", salt: "seasalt")
    /// // "pbkdf2_sha256$1000$seasalt$..."
    /// ```
    public func encode(password: String, salt: String) throws(PasswordError) -> String {
        guard DjangoHashFormat.isValidSalt(salt) else { throw .invalidSalt(algorithm: algorithm) }
        guard let key = deriveKey(password: password, salt: salt, iterations: iterations) else {
            throw .hashingFailed(algorithm: algorithm)
        }
        return format(iterations: iterations, salt: salt, key: key)
    }

    /// Re-encodes `password` with the stored salt and iterations and compares the whole string in
    /// constant time, as Django does; a non-canonical iteration count or trailing text never matches.
    ///
    /// ```swift
    /// PBKDF2PasswordHasher().verify(password: "s3cret", encoded: stored)
    /// ```
    public func verify(password: String, encoded: String) -> Bool {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 3)
        guard parts.count == 4, DjangoHashFormat.isExactly(parts[0], algorithm),
            let storedIterations = DjangoHashFormat.canonicalPositiveInteger(parts[1], maximum: maximumIterations),
            DjangoHashFormat.isValidSalt(parts[2])
        else { return false }
        let salt = String(parts[2])
        guard let key = deriveKey(password: password, salt: salt, iterations: storedIterations) else { return false }
        return DjangoHashFormat.sameEncoding(encoded, format(iterations: storedIterations, salt: salt, key: key))
    }

    /// `true` when the stored iteration count differs from ``iterations`` or the salt has fewer than
    /// 128 bits.
    ///
    /// ```swift
    /// PBKDF2PasswordHasher().mustUpdate(encoded: "pbkdf2_sha256$1000$GatehouseFixedSalt0123$...")   // true
    /// ```
    public func mustUpdate(encoded: String) -> Bool {
        guard let decoded = decode(encoded) else { return false }
        return decoded.iterations != iterations || DjangoHashFormat.saltNeedsUpdate(decoded.salt)
    }

    /// Runs the iterations `encoded` lacks (``iterations`` minus the stored count, at most
    /// ``iterations``), as Django's `harden_runtime`.
    ///
    /// ```swift
    /// PBKDF2PasswordHasher().hardenRuntime(password: given, encoded: oldHash)   // the missing iterations
    /// ```
    public func hardenRuntime(password: String, encoded: String) {
        guard let decoded = decode(encoded) else { return }
        let missing = min(iterations, iterations &- decoded.iterations)
        guard missing > 0 else { return }
        let salt = DjangoHashFormat.isValidSalt(decoded.salt) ? String(decoded.salt) : makeSalt()
        _ = deriveKey(password: password, salt: salt, iterations: missing)
    }

    /// `algorithm`, `iterations`, `salt` (masked) and `hash` (masked).
    ///
    /// ```swift
    /// PBKDF2PasswordHasher().summary(encoded: stored)?["iterations"]   // "1500000"
    /// ```
    public func summary(encoded: String) -> PasswordHashSummary? {
        guard let decoded = decode(encoded) else { return nil }
        return PasswordHashSummary(
            algorithm: algorithm,
            fields: [
                .init(name: "algorithm", value: algorithm),
                .init(name: "iterations", value: String(decoded.iterations)),
                .init(name: "salt", value: PasswordHashSummary.mask(decoded.salt)),
                .init(name: "hash", value: PasswordHashSummary.mask(decoded.hash)),
            ]
        )
    }

    // MARK: Internals

    /// Django's `decode`: four `$`-separated parts and an iteration count Python's `int()` accepts.
    private func decode(_ encoded: String) -> (iterations: Int, salt: Substring, hash: Substring)? {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 3)
        guard parts.count == 4, DjangoHashFormat.isExactly(parts[0], algorithm),
            let iterations = DjangoHashFormat.pythonInteger(parts[1])
        else { return nil }
        return (iterations, parts[2], parts[3])
    }

    private func format(iterations: Int, salt: String, key: [UInt8]) -> String {
        "\(algorithm)$\(iterations)$\(salt)$\(DjangoHashFormat.base64(key))"
    }

    /// The derived key, as long as the digest; `nil` if the library refuses (it should not for
    /// iterations in 1...UInt32.max).
    func deriveKey(password: String, salt: String, iterations: Int) -> [UInt8]? {
        guard iterations >= 1, iterations <= Int(UInt32.max) else { return nil }
        let function: KDF.Insecure.PBKDF2.HashFunction
        let length: Int
        switch digest {
        case .sha256:
            function = .sha256
            length = SHA256.byteCount
        case .sha1:
            function = .insecureSHA1
            length = Insecure.SHA1.byteCount
        }
        // Arrays, never empty `Data`: the library takes the base address of the bytes it is given.
        var passwordBytes = Array(password.utf8)
        var saltBytes = Array(salt.utf8)
        passwordBytes.reserveCapacity(1)
        saltBytes.reserveCapacity(1)
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: passwordBytes,
                salt: saltBytes,
                using: function,
                outputByteCount: length,
                unsafeUncheckedRounds: iterations
            )
            return key.withUnsafeBytes { Array($0) }
        } catch {
            return nil
        }
    }
}
