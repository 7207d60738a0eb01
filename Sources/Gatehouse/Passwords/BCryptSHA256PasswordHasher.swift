/// bcrypt of the lowercase hex SHA-256 of the password (`bcrypt_sha256`), Django's recommended bcrypt
/// variant: the 64-character digest means long passwords are never cut at bcrypt's 72 bytes.
///
/// Stored form: `bcrypt_sha256$$2b$12$<22 salt characters><31 checksum characters>`. Stored hashes
/// with `$2a$`, `$2b$` or `$2y$` are checked; costs above ``maximumCost`` are refused rather than run.
///
/// ```swift
/// let hasher = BCryptSHA256PasswordHasher()            // cost 12
/// let encoded = try hasher.encode(password: "s3cret", salt: hasher.makeSalt())
/// hasher.verify(password: "s3cret", encoded: encoded)  // true
/// ```
public struct BCryptSHA256PasswordHasher: PasswordHasher {
    /// Django 6.1's cost (log2 rounds): 12.
    ///
    /// ```swift
    /// BCryptSHA256PasswordHasher(cost: BCryptSHA256PasswordHasher.defaultCost + 1)
    /// ```
    public static let defaultCost = 12
    /// The highest stored cost checked unless configured otherwise: 18, 64 times the default work.
    ///
    /// ```swift
    /// BCryptSHA256PasswordHasher(cost: 12, maximumCost: BCryptSHA256PasswordHasher.defaultMaximumCost + 2)
    /// ```
    public static let defaultMaximumCost = 18

    private let core: BCryptCore

    /// Creates the hasher.
    ///
    /// ```swift
    /// let fastForTests = BCryptSHA256PasswordHasher(cost: 4)
    /// ```
    ///
    /// - Precondition: `4 <= cost <= maximumCost <= 31`.
    public init(
        cost: Int = BCryptSHA256PasswordHasher.defaultCost,
        maximumCost: Int = BCryptSHA256PasswordHasher.defaultMaximumCost
    ) {
        precondition(BCryptCore.costRange.contains(maximumCost), "maximumCost must be in 4...31")
        precondition(cost >= 4 && cost <= maximumCost, "cost must be in 4...maximumCost")
        core = BCryptCore(algorithm: "bcrypt_sha256", prehash: true, cost: cost, maximumCost: maximumCost)
    }

    /// log2 rounds for new hashes.
    public var cost: Int { core.cost }
    /// The highest stored cost that is still checked.
    public var maximumCost: Int { core.maximumCost }
    /// `bcrypt_sha256`.
    public var algorithm: String { core.algorithm }

    /// `$2b$<cost>$` and 22 random characters, as Python's `bcrypt.gensalt`.
    ///
    /// ```swift
    /// BCryptSHA256PasswordHasher().makeSalt()   // "$2b$12$" + 22 characters
    /// ```
    public func makeSalt() -> String { core.makeSalt() }

    /// `bcrypt_sha256$` + bcrypt of the hex SHA-256 of `password` at the cost and version of `salt`,
    /// with 16 new random salt bytes: hummingbird-auth's published `Bcrypt.hash` draws the salt itself,
    /// so `salt`'s 22 characters are checked but not used (docs/dependencies.md).
    ///
    /// - Throws: ``PasswordError/invalidSalt(algorithm:)`` unless `salt` is `$2a$`, `$2b$` or `$2y$`,
    ///   a cost in 4...``maximumCost``, `$` and 22 bcrypt base64 characters whose last one
    ///   carries no stray bits (as Python's `bcrypt` demands).
    ///
    /// ```swift
    /// try BCryptSHA256PasswordHasher().encode(password: "s3cret", salt: "$2b$12$GatehouseFixedSaltBcru")
    /// ```
    public func encode(password: String, salt: String) throws(PasswordError) -> String {
        try core.encode(password: password, salt: salt)
    }

    /// Re-makes the hash with the stored salt and cost (hummingbird-auth's `Bcrypt.verify`) and
    /// compares it with the stored one; only the secret checksum can differ, which a caller without
    /// the salt cannot predict, so where the comparison stops tells nothing (docs/dependencies.md).
    ///
    /// ```swift
    /// BCryptSHA256PasswordHasher().verify(password: "s3cret", encoded: stored)
    /// ```
    public func verify(password: String, encoded: String) -> Bool {
        core.verify(password: password, encoded: encoded)
    }

    /// `true` when the stored cost differs from ``cost``.
    ///
    /// ```swift
    /// BCryptSHA256PasswordHasher(cost: 13).mustUpdate(encoded: costTwelveHash)   // true
    /// ```
    public func mustUpdate(encoded: String) -> Bool { core.mustUpdate(encoded: encoded) }

    /// Runs 2^(cost - stored cost) - 1 extra hashes at the stored cost, as Django does.
    ///
    /// ```swift
    /// BCryptSHA256PasswordHasher().hardenRuntime(password: given, encoded: costTenHash)   // 3 extra hashes
    /// ```
    public func hardenRuntime(password: String, encoded: String) {
        core.hardenRuntime(password: password, encoded: encoded)
    }

    /// How many extra hashes ``hardenRuntime(password:encoded:)`` runs for `encoded`: 2^(cost -
    /// stored cost) - 1 for a weaker stored hash, 0 otherwise (and for anything malformed).
    ///
    /// ```swift
    /// BCryptSHA256PasswordHasher(cost: 6).hardeningHashes(encoded: costFourHash)   // 3
    /// ```
    public func hardeningHashes(encoded: String) -> Int {
        core.hardeningHashes(encoded: encoded)
    }

    /// `algorithm`, `work factor`, `salt` (masked) and `checksum` (masked).
    ///
    /// ```swift
    /// BCryptSHA256PasswordHasher().summary(encoded: stored)?["work factor"]   // "12"
    /// ```
    public func summary(encoded: String) -> PasswordHashSummary? { core.summary(encoded: encoded) }
}
