/// Plain bcrypt of the password's UTF-8 bytes (`bcrypt`). Not in Django's default list: bcrypt reads
/// at most 72 bytes, so prefer ``BCryptSHA256PasswordHasher``; add this one to ``PasswordHashers`` only
/// to check hashes a Django site configured with `BCryptPasswordHasher` made.
///
/// Unlike bcrypt libraries that cut long input silently, this hasher never changes a password: one
/// longer than 72 bytes or containing a NUL character is refused by ``encode(password:salt:)`` and never
/// verifies (Django's bcrypt library refuses the same passwords with an error).
///
/// ```swift
/// let hasher = BCryptPasswordHasher()
/// let encoded = try hasher.encode(password: "s3cret", salt: hasher.makeSalt())
/// hasher.verify(password: "s3cret", encoded: encoded)               // true
/// try hasher.encode(password: String(repeating: "x", count: 73), salt: hasher.makeSalt())   // throws
/// ```
public struct BCryptPasswordHasher: PasswordHasher {
    private let core: BCryptCore

    /// Creates the hasher.
    ///
    /// ```swift
    /// let fastForTests = BCryptPasswordHasher(cost: 4)
    /// ```
    ///
    /// - Precondition: `4 <= cost <= maximumCost <= 31`.
    public init(
        cost: Int = BCryptSHA256PasswordHasher.defaultCost,
        maximumCost: Int = BCryptSHA256PasswordHasher.defaultMaximumCost
    ) {
        precondition(BCryptCore.costRange.contains(maximumCost), "maximumCost must be in 4...31")
        precondition(cost >= 4 && cost <= maximumCost, "cost must be in 4...maximumCost")
        core = BCryptCore(algorithm: "bcrypt", prehash: false, cost: cost, maximumCost: maximumCost)
    }

    /// The most UTF-8 bytes a password may have: 72.
    ///
    /// ```swift
    /// if password.utf8.count > BCryptPasswordHasher.maximumPasswordBytes { /* use bcrypt_sha256 */ }
    /// ```
    public static let maximumPasswordBytes = BCryptCore.maximumKeyBytes

    /// log2 rounds for new hashes.
    public var cost: Int { core.cost }
    /// The highest stored cost that is still checked.
    public var maximumCost: Int { core.maximumCost }
    /// `bcrypt`.
    public var algorithm: String { core.algorithm }

    /// `$2b$<cost>$` and 22 random characters, as Python's `bcrypt.gensalt`.
    ///
    /// ```swift
    /// BCryptPasswordHasher().makeSalt()   // "$2b$12$" + 22 characters
    /// ```
    public func makeSalt() -> String { core.makeSalt() }

    /// `bcrypt$` + bcrypt of `password` at the cost and version of `salt`,
    /// with 16 new random salt bytes: hummingbird-auth's published `Bcrypt.hash` draws the salt itself,
    /// so `salt`'s 22 characters are checked but not used (docs/dependencies.md).
    ///
    /// - Throws: ``PasswordError/unsupportedPassword(algorithm:reason:)`` when `password` has more than
    ///   72 UTF-8 bytes or a NUL character; ``PasswordError/invalidSalt(algorithm:)`` for a salt that is
    ///   not `$2a$`/`$2b$`/`$2y$`, a cost in 4...``maximumCost``, `$` and 22 bcrypt base64 characters
    ///   whose last one carries no stray bits (as Python's `bcrypt` demands).
    ///
    /// ```swift
    /// try BCryptPasswordHasher().encode(password: "s3cret", salt: "$2b$12$GatehouseFixedSaltBcru")
    /// ```
    public func encode(password: String, salt: String) throws(PasswordError) -> String {
        try core.encode(password: password, salt: salt)
    }

    /// Re-makes the hash with the stored salt and cost (hummingbird-auth's `Bcrypt.verify`) and
    /// compares it with the stored one; only the secret checksum can differ, which a caller without
    /// the salt cannot predict, so where the comparison stops tells nothing (docs/dependencies.md); `false` for
    /// passwords over 72 bytes or with a NUL character.
    ///
    /// ```swift
    /// BCryptPasswordHasher().verify(password: "s3cret", encoded: stored)
    /// ```
    public func verify(password: String, encoded: String) -> Bool {
        core.verify(password: password, encoded: encoded)
    }

    /// `true` when the stored cost differs from ``cost``.
    ///
    /// ```swift
    /// BCryptPasswordHasher(cost: 13).mustUpdate(encoded: costTwelveHash)   // true
    /// ```
    public func mustUpdate(encoded: String) -> Bool { core.mustUpdate(encoded: encoded) }

    /// Runs 2^(cost - stored cost) - 1 extra hashes at the stored cost, as Django does.
    ///
    /// ```swift
    /// BCryptPasswordHasher().hardenRuntime(password: given, encoded: costTenHash)   // 3 extra hashes
    /// ```
    public func hardenRuntime(password: String, encoded: String) {
        core.hardenRuntime(password: password, encoded: encoded)
    }

    /// How many extra hashes ``hardenRuntime(password:encoded:)`` runs for `encoded`: 2^(cost -
    /// stored cost) - 1 for a weaker stored hash, 0 otherwise (and for anything malformed).
    ///
    /// ```swift
    /// BCryptPasswordHasher(cost: 6).hardeningHashes(encoded: costFourHash)   // 3
    /// ```
    public func hardeningHashes(encoded: String) -> Int {
        core.hardeningHashes(encoded: encoded)
    }

    /// `algorithm`, `work factor`, `salt` (masked) and `checksum` (masked).
    ///
    /// ```swift
    /// BCryptPasswordHasher().summary(encoded: stored)?["work factor"]   // "12"
    /// ```
    public func summary(encoded: String) -> PasswordHashSummary? { core.summary(encoded: encoded) }
}
