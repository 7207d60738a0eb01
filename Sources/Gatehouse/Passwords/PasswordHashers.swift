public import Logging

/// The configured password hashers: one preferred hasher that makes new hashes, and others that are
/// only used to check (and then upgrade) hashes made by them. Django's `PASSWORD_HASHERS`.
///
/// Hashing runs on a ``PasswordHashingPool``, never on the caller's task executor. Passwords longer
/// than ``maximumPasswordBytes`` are refused before anything is hashed. Corrupted hashes and hashes
/// of unknown algorithms never verify and are logged with at most their algorithm name: log lines and
/// errors never contain a password, salt or hash.
///
/// ```swift
/// let hashers = PasswordHashers()                       // Django 6.1's defaults
/// let encoded = try await hashers.makePassword("correct horse")
/// let ok = await hashers.checkPassword("correct horse", encoded: user.password) { upgraded in
///     var upgradedUser = user                 // only after a match: save the new hash
///     upgradedUser.password = upgraded
///     try await store.updateUser(upgradedUser)
/// }
/// ```
public struct PasswordHashers: Sendable {
    /// The longest password accepted, in UTF-8 bytes: 4096. Longer ones are refused before hashing.
    ///
    /// ```swift
    /// guard password.utf8.count <= PasswordHashers.maximumPasswordBytes else { throw PasswordError.tooLong(maximumBytes: PasswordHashers.maximumPasswordBytes) }
    /// ```
    public static let maximumPasswordBytes = 4096
    /// Django's prefix of unusable passwords: `!`.
    ///
    /// ```swift
    /// encoded.hasPrefix(PasswordHashers.unusablePasswordPrefix)   // unusable
    /// ```
    public static let unusablePasswordPrefix = "!"
    /// How many random characters follow the prefix in a new unusable password: 40.
    ///
    /// ```swift
    /// PasswordHashers.makeUnusablePassword().count == 1 + PasswordHashers.unusablePasswordSuffixLength
    /// ```
    public static let unusablePasswordSuffixLength = 40

    /// The hasher that makes new hashes and that other hashes are upgraded to.
    public let preferred: any PasswordHasher
    /// Every hasher, the preferred one first, one per algorithm.
    public let hashers: [any PasswordHasher]
    /// Where hashing runs.
    public let pool: PasswordHashingPool
    /// Where rejected hashes and failed upgrades are reported (never with secrets).
    public let logger: Logger

    private let indexByAlgorithm: [String: Int]

    /// A custom list: `preferred` makes new hashes; `others` are checked and upgraded.
    ///
    /// ```swift
    /// let hashers = PasswordHashers(
    ///     preferred: ScryptPasswordHasher(),
    ///     others: [PBKDF2PasswordHasher(), MD5PasswordHasher()]
    /// )
    /// ```
    ///
    /// When two hashers share an algorithm name, the first one is used.
    public init(
        preferred: any PasswordHasher,
        others: [any PasswordHasher] = [],
        pool: PasswordHashingPool = .shared,
        logger: Logger = Logger(label: "gatehouse.passwords")
    ) {
        var hashers: [any PasswordHasher] = []
        var index: [String: Int] = [:]
        for hasher in [preferred] + others where index[hasher.algorithm] == nil {
            index[hasher.algorithm] = hashers.count
            hashers.append(hasher)
        }
        self.preferred = preferred
        self.hashers = hashers
        self.indexByAlgorithm = index
        self.pool = pool
        self.logger = logger
    }

    /// Django 6.1's default `PASSWORD_HASHERS`: `pbkdf2_sha256` (preferred), `pbkdf2_sha1`, `argon2`
    /// (see ``Argon2PasswordHasher``), `bcrypt_sha256`, `scrypt`. To make new hashes with argon2 as a
    /// Django site with `Argon2PasswordHasher` first does, use ``init(preferred:others:pool:logger:)``.
    ///
    /// Plain `bcrypt` and `md5` are not in Django's default list and so not here either; use
    /// ``allSupported(pool:logger:)`` or list them yourself to check such hashes.
    ///
    /// ```swift
    /// let hashers = PasswordHashers()
    /// ```
    public init(pool: PasswordHashingPool = .shared, logger: Logger = Logger(label: "gatehouse.passwords")) {
        self.init(
            preferred: PBKDF2PasswordHasher(),
            others: [
                PBKDF2PasswordHasher(digest: .sha1),
                Argon2PasswordHasher(logger: logger),
                BCryptSHA256PasswordHasher(),
                ScryptPasswordHasher(),
            ],
            pool: pool,
            logger: logger
        )
    }

    /// Every algorithm Gatehouse knows, with Django's defaults, in this order: `pbkdf2_sha256`
    /// (preferred), `pbkdf2_sha1`, `argon2`, `bcrypt_sha256`, `bcrypt`, `scrypt`,
    /// `md5` (checked only). For sites migrating users whose hashes predate Django's current defaults.
    ///
    /// ```swift
    /// let hashers = PasswordHashers.allSupported()
    /// ```
    public static func allSupported(
        pool: PasswordHashingPool = .shared,
        logger: Logger = Logger(label: "gatehouse.passwords")
    ) -> PasswordHashers {
        PasswordHashers(
            preferred: PBKDF2PasswordHasher(),
            others: [
                PBKDF2PasswordHasher(digest: .sha1),
                Argon2PasswordHasher(logger: logger),
                BCryptSHA256PasswordHasher(),
                BCryptPasswordHasher(),
                ScryptPasswordHasher(),
                MD5PasswordHasher(),
            ],
            pool: pool,
            logger: logger
        )
    }

    // MARK: Unusable passwords

    /// Whether `encoded` can ever match a password: `false` for unusable passwords (starting with
    /// `!`), `true` otherwise, including `nil` and hashes of unknown algorithms, as Django's
    /// `is_password_usable`.
    ///
    /// ```swift
    /// PasswordHashers.isPasswordUsable("!x7Gq...")            // false
    /// PasswordHashers.isPasswordUsable("pbkdf2_sha256$...")   // true
    /// ```
    public static func isPasswordUsable(_ encoded: String?) -> Bool {
        guard let encoded else { return true }
        return !DjangoHashFormat.hasPrefix(encoded, unusablePasswordPrefix)
    }

    /// `!` followed by 40 random letters and digits: a value that no password matches.
    ///
    /// ```swift
    /// user.password = PasswordHashers.makeUnusablePassword()
    /// ```
    public static func makeUnusablePassword() -> String {
        unusablePasswordPrefix + RandomString.make(length: unusablePasswordSuffixLength)
    }

    // MARK: Looking up hashers

    /// The configured hasher named `algorithm`.
    ///
    /// ```swift
    /// let scrypt = hashers.hasher(algorithm: "scrypt")
    /// ```
    public func hasher(algorithm: String) -> (any PasswordHasher)? {
        indexByAlgorithm[algorithm].map { hashers[$0] }
    }

    /// The configured hasher that made `encoded`, found as Django's `identify_hasher` does: the text
    /// before the first `$`, except that 32 hex-like characters without `$` (or 37 starting `md5$$`)
    /// name `unsalted_md5` and 46 starting `sha1$$` name `unsalted_sha1`. `nil` when no configured
    /// hasher has that name.
    ///
    /// ```swift
    /// hashers.identifyHasher("pbkdf2_sha256$1500000$salt$hash")?.algorithm   // "pbkdf2_sha256"
    /// ```
    public func identifyHasher(_ encoded: String) -> (any PasswordHasher)? {
        Self.algorithmName(of: encoded).flatMap { hasher(algorithm: $0) }
    }

    /// The algorithm name `encoded` claims, by Django's rules.
    static func algorithmName(of encoded: String) -> String? {
        let length = encoded.unicodeScalars.count
        let hasDollar = encoded.unicodeScalars.contains("$")
        if (length == 32 && !hasDollar) || (length == 37 && DjangoHashFormat.hasPrefix(encoded, "md5$$")) {
            return "unsalted_md5"
        }
        if length == 46 && DjangoHashFormat.hasPrefix(encoded, "sha1$$") {
            return "unsalted_sha1"
        }
        return String(DjangoHashFormat.split(encoded, maxSplits: 1)[0])
    }

    /// Whether a correct password for `encoded` should be re-hashed: `encoded` is not in the preferred
    /// algorithm, or the preferred hasher says its parameters are out of date. `false` when no
    /// configured hasher made `encoded`.
    ///
    /// ```swift
    /// hashers.needsUpgrade("pbkdf2_sha1$1500000$...")   // true
    /// ```
    public func needsUpgrade(_ encoded: String) -> Bool {
        guard let hasher = identifyHasher(encoded) else { return false }
        return hasher.algorithm != preferred.algorithm || preferred.mustUpdate(encoded: encoded)
    }

    // MARK: Hashing

    /// Hashes `password` with the preferred hasher and a new salt; `nil` gives an unusable password
    /// (``makeUnusablePassword()``), as Django's `make_password(None)`.
    ///
    /// ```swift
    /// user.password = try await hashers.makePassword(newPassword)
    /// ```
    ///
    /// - Throws: ``PasswordError/tooLong(maximumBytes:)`` (before any hashing) for passwords over
    ///   ``maximumPasswordBytes``; ``PasswordError/busy`` when the pool's queue is full; errors of the
    ///   preferred hasher (for example plain bcrypt refusing 73 bytes).
    public func makePassword(_ password: String?) async throws(PasswordError) -> String {
        guard let password else { return Self.makeUnusablePassword() }
        return try await makePassword(password, salt: nil, algorithm: nil)
    }

    /// Hashes `password` with the hasher named `algorithm` (the preferred one when `nil`) and `salt`
    /// (a new one when `nil` or empty), as Django's `make_password(password, salt, hasher)`.
    ///
    /// ```swift
    /// let legacy = try await hashers.makePassword("s3cret", salt: nil, algorithm: "pbkdf2_sha1")
    /// ```
    ///
    /// - Throws: as ``makePassword(_:)``, and ``PasswordError/unknownAlgorithm(_:)`` when no hasher is
    ///   named `algorithm`.
    public func makePassword(_ password: String, salt: String?, algorithm: String?) async throws(PasswordError)
        -> String
    {
        guard password.utf8.count <= Self.maximumPasswordBytes else {
            throw .tooLong(maximumBytes: Self.maximumPasswordBytes)
        }
        let chosen: any PasswordHasher
        if let algorithm {
            guard let found = hasher(algorithm: algorithm) else { throw .unknownAlgorithm(algorithm) }
            chosen = found
        } else {
            chosen = preferred
        }
        guard chosen.canEncode else { throw .encodingNotSupported(algorithm: chosen.algorithm) }
        let givenSalt = salt.flatMap { $0.isEmpty ? nil : $0 }
        return try await pool.run { () throws(PasswordError) -> String in
            try chosen.encode(password: password, salt: givenSalt ?? chosen.makeSalt())
        }
    }

    // MARK: Checking

    /// Checks `password` against `encoded` with Django's `verify_password` rules and reports whether a
    /// correct password's hash should be replaced.
    ///
    /// - A `nil` password, an unusable `encoded` (`!...`) or one no configured hasher made: not correct,
    ///   after one hash with the preferred hasher so the time taken does not tell these cases apart
    ///   from a real check.
    /// - A password over ``maximumPasswordBytes``: not correct, and nothing is hashed (the time then
    ///   depends only on the caller's own input, never on the account).
    /// - Otherwise the hasher of `encoded` checks it; `mustUpdate` is ``needsUpgrade(_:)``. A wrong
    ///   password against an outdated hash of the preferred algorithm also runs the hasher's
    ///   ``PasswordHasher/hardenRuntime(password:encoded:)``.
    ///
    /// ```swift
    /// let result = try await hashers.verifyPassword(given, encoded: user.password)
    /// ```
    ///
    /// - Throws: only ``PasswordError/busy``, ``PasswordError/cancelled`` or
    ///   ``PasswordError/poolShutDown``, when the hashing could not run.
    public func verifyPassword(_ password: String?, encoded: String) async throws(PasswordError)
        -> PasswordVerification
    {
        if let password, password.utf8.count > Self.maximumPasswordBytes {
            logger.debug("password rejected before hashing: longer than the maximum length")
            return .rejected
        }
        guard let password, Self.isPasswordUsable(encoded), let hasher = identifyHasher(encoded) else {
            if Self.isPasswordUsable(encoded), identifyHasher(encoded) == nil {
                logUnidentified(encoded)
            }
            try await runDummyHash()
            return .rejected
        }
        let hasherChanged = hasher.algorithm != preferred.algorithm
        let mustUpdate = hasherChanged || preferred.mustUpdate(encoded: encoded)
        if hasher.summary(encoded: encoded) == nil {
            logger.warning("malformed password hash; it cannot match", metadata: ["algorithm": "\(hasher.algorithm)"])
        }
        let isCorrect = try await pool.run { () -> Bool in
            let isCorrect = hasher.verify(password: password, encoded: encoded)
            if !isCorrect, !hasherChanged, mustUpdate {
                hasher.hardenRuntime(password: password, encoded: encoded)
            }
            return isCorrect
        }
        return PasswordVerification(isCorrect: isCorrect, mustUpdate: mustUpdate)
    }

    /// Whether `password` matches `encoded`, as Django's `check_password`. When it matches and the
    /// hash is outdated (another algorithm, or the preferred one with other parameters), a new hash
    /// is made with the preferred hasher and passed to `upgrade`; `upgrade` is never called for a
    /// wrong password.
    ///
    /// Never throws: when the pool is busy or shut down the password counts as not matching (and
    /// the event is logged); use ``verifyPassword(_:encoded:)`` to answer "try again" instead. If the
    /// re-hash or `upgrade` fails, the failure is logged (by error type only) and the result is still
    /// `true`: the password was right, only the upgrade is retried at the next login.
    ///
    /// ```swift
    /// guard await hashers.checkPassword(given, encoded: user.password, upgrade: { newHash in
    ///     var upgraded = user
    ///     upgraded.password = newHash
    ///     try await store.updateUser(upgraded)
    /// }) else { throw AuthenticationDenied(reason: "wrong password") }
    /// ```
    public func checkPassword(
        _ password: String?,
        encoded: String,
        upgrade: (@Sendable (String) async throws -> Void)? = nil
    ) async -> Bool {
        let result: PasswordVerification
        do {
            result = try await verifyPassword(password, encoded: encoded)
        } catch {
            logger.warning("password check did not run: \(error)")
            return false
        }
        guard result.isCorrect else { return false }
        if result.mustUpdate, let upgrade, let password {
            do {
                let upgraded = try await makePassword(password, salt: nil, algorithm: nil)
                try await upgrade(upgraded)
            } catch {
                logger.warning(
                    "password hash upgrade failed",
                    metadata: ["algorithm": "\(preferred.algorithm)", "error_type": "\(type(of: error))"]
                )
            }
        }
        return true
    }

    // MARK: Internals

    /// One hash of a random password with the preferred hasher, to even out response times.
    private func runDummyHash() async throws(PasswordError) {
        let hasher = preferred
        guard hasher.canEncode else { return }
        _ = try await pool.run { () -> Bool in
            (try? hasher.makePassword(RandomString.make(length: Self.unusablePasswordSuffixLength))) != nil
        }
    }

    /// Logs a hash no hasher claims, naming its algorithm only when the prefix looks like one (so a
    /// plain-text password stored by mistake is never logged).
    private func logUnidentified(_ encoded: String) {
        let name = Self.algorithmName(of: encoded) ?? ""
        let looksLikeName =
            encoded.unicodeScalars.contains("$") && !name.isEmpty && name.utf8.count <= 32
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        if looksLikeName {
            logger.warning(
                "password hash of an unknown or unconfigured algorithm; it cannot match",
                metadata: ["algorithm": "\(name)"]
            )
        } else {
            logger.warning("password hash in an unrecognized format; it cannot match")
        }
    }
}
