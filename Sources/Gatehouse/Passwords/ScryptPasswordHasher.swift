import Crypto
import _CryptoExtras

/// scrypt (`scrypt`), with Django 6.1's parameters: N = 2^14, r = 8, p = 5 and a 64-byte key.
///
/// Stored form: `scrypt$<N>$<salt>$<r>$<p>$<base64 of the 64-byte key>`.
///
/// Parameters from a stored hash are checked before any memory is allocated: N must be a power of two
/// no larger than ``maximumWorkFactor``, the memory scrypt needs (128·r·(N + 2) + 128·r·p bytes, as
/// OpenSSL counts it) at most ``maximumMemoryBytes``, and N·r·p at most ``maximumWork``. Hashes beyond
/// those limits never verify. The memory default, 32 MiB, is the limit Django itself runs scrypt with
/// (OpenSSL's default when Django passes `maxmem=0`), so every hash Django can check is checked here.
///
/// ```swift
/// let hasher = ScryptPasswordHasher()
/// let encoded = try hasher.encode(password: "s3cret", salt: hasher.makeSalt())
/// hasher.verify(password: "s3cret", encoded: encoded)   // true
/// ```
public struct ScryptPasswordHasher: PasswordHasher {
    /// Django's N: 2^14.
    ///
    /// ```swift
    /// ScryptPasswordHasher(workFactor: ScryptPasswordHasher.defaultWorkFactor * 2)
    /// ```
    public static let defaultWorkFactor = 1 << 14
    /// Django's r: 8.
    ///
    /// ```swift
    /// ScryptPasswordHasher(blockSize: ScryptPasswordHasher.defaultBlockSize)
    /// ```
    public static let defaultBlockSize = 8
    /// Django's p: 5.
    ///
    /// ```swift
    /// ScryptPasswordHasher(parallelism: ScryptPasswordHasher.defaultParallelism)
    /// ```
    public static let defaultParallelism = 5
    /// 32 MiB: OpenSSL's limit when Django passes `maxmem=0`.
    ///
    /// ```swift
    /// ScryptPasswordHasher(maximumMemoryBytes: 2 * ScryptPasswordHasher.defaultMaximumMemoryBytes)
    /// ```
    public static let defaultMaximumMemoryBytes = 32 * 1024 * 1024
    /// The largest N checked unless configured otherwise: 2^20.
    ///
    /// ```swift
    /// ScryptPasswordHasher(maximumWorkFactor: ScryptPasswordHasher.defaultMaximumWorkFactor / 4)
    /// ```
    public static let defaultMaximumWorkFactor = 1 << 20
    /// The largest N·r·p checked unless configured otherwise: 2^24, 25 times Django's default work.
    ///
    /// ```swift
    /// ScryptPasswordHasher(maximumWork: ScryptPasswordHasher.defaultMaximumWork / 4)
    /// ```
    public static let defaultMaximumWork = 1 << 24
    /// The length of the derived key in bytes.
    ///
    /// ```swift
    /// Data(base64Encoded: hashPart)?.count == ScryptPasswordHasher.keyLength
    /// ```
    public static let keyLength = 64

    /// N for new hashes (a power of two).
    public let workFactor: Int
    /// r for new hashes.
    public let blockSize: Int
    /// p for new hashes.
    public let parallelism: Int
    /// Stored hashes needing more memory than this never verify.
    public let maximumMemoryBytes: Int
    /// Stored hashes with a larger N never verify.
    public let maximumWorkFactor: Int
    /// Stored hashes with a larger N·r·p never verify.
    public let maximumWork: Int

    /// Creates the hasher.
    ///
    /// ```swift
    /// let fastForTests = ScryptPasswordHasher(workFactor: 1 << 10, parallelism: 1)
    /// ```
    ///
    /// - Precondition: the parameters for new hashes are within the limits for stored ones.
    public init(
        workFactor: Int = ScryptPasswordHasher.defaultWorkFactor,
        blockSize: Int = ScryptPasswordHasher.defaultBlockSize,
        parallelism: Int = ScryptPasswordHasher.defaultParallelism,
        maximumMemoryBytes: Int = ScryptPasswordHasher.defaultMaximumMemoryBytes,
        maximumWorkFactor: Int = ScryptPasswordHasher.defaultMaximumWorkFactor,
        maximumWork: Int = ScryptPasswordHasher.defaultMaximumWork
    ) {
        self.workFactor = workFactor
        self.blockSize = blockSize
        self.parallelism = parallelism
        self.maximumMemoryBytes = maximumMemoryBytes
        self.maximumWorkFactor = maximumWorkFactor
        self.maximumWork = maximumWork
        precondition(
            isAcceptable(n: workFactor, r: blockSize, p: parallelism),
            "scrypt parameters exceed the configured limits or N is not a power of two"
        )
    }

    /// `scrypt`.
    public var algorithm: String { "scrypt" }

    /// 22 random characters of `[a-zA-Z0-9]` (128 bits).
    ///
    /// ```swift
    /// ScryptPasswordHasher().makeSalt()   // 22 characters of [a-zA-Z0-9]
    /// ```
    public func makeSalt() -> String {
        DjangoHashFormat.makeSalt()
    }

    /// `scrypt$N$salt$r$p$base64(key)`.
    ///
    /// - Throws: ``PasswordError/invalidSalt(algorithm:)`` when `salt` is empty or contains `$`.
    ///
    /// ```swift
    /// try ScryptPasswordHasher().encode(password: "s3cret", salt: "seasalt")
    /// // "scrypt$16384$seasalt$8$5$..."
    /// ```
    public func encode(password: String, salt: String) throws(PasswordError) -> String {
        guard DjangoHashFormat.isValidSalt(salt) else { throw .invalidSalt(algorithm: algorithm) }
        guard let key = deriveKey(password: password, salt: salt, n: workFactor, r: blockSize, p: parallelism) else {
            throw .hashingFailed(algorithm: algorithm)
        }
        return format(n: workFactor, salt: salt, r: blockSize, p: parallelism, key: key)
    }

    /// Re-encodes with the stored parameters (after checking them against the limits) and compares the
    /// whole string in constant time.
    ///
    /// ```swift
    /// ScryptPasswordHasher().verify(password: "s3cret", encoded: stored)
    /// ```
    public func verify(password: String, encoded: String) -> Bool {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 6)
        guard parts.count == 6, DjangoHashFormat.isExactly(parts[0], algorithm),
            let n = DjangoHashFormat.canonicalPositiveInteger(parts[1], maximum: maximumWorkFactor),
            let r = DjangoHashFormat.canonicalPositiveInteger(parts[3], maximum: Int(Int32.max)),
            let p = DjangoHashFormat.canonicalPositiveInteger(parts[4], maximum: Int(Int32.max)),
            DjangoHashFormat.isValidSalt(parts[2]),
            isAcceptable(n: n, r: r, p: p)
        else { return false }
        let salt = String(parts[2])
        guard let key = deriveKey(password: password, salt: salt, n: n, r: r, p: p) else { return false }
        return DjangoHashFormat.sameEncoding(encoded, format(n: n, salt: salt, r: r, p: p, key: key))
    }

    /// `true` when N, r or p differ from this hasher's.
    ///
    /// ```swift
    /// ScryptPasswordHasher().mustUpdate(encoded: "scrypt$1024$salt$8$1$...")   // true
    /// ```
    public func mustUpdate(encoded: String) -> Bool {
        guard let decoded = decode(encoded) else { return false }
        return decoded.n != workFactor || decoded.r != blockSize || decoded.p != parallelism
    }

    /// `algorithm`, `work factor`, `block size`, `parallelism`, `salt` (masked) and `hash` (masked).
    ///
    /// ```swift
    /// ScryptPasswordHasher().summary(encoded: stored)?["work factor"]   // "16384"
    /// ```
    public func summary(encoded: String) -> PasswordHashSummary? {
        guard let decoded = decode(encoded) else { return nil }
        return PasswordHashSummary(
            algorithm: algorithm,
            fields: [
                .init(name: "algorithm", value: algorithm),
                .init(name: "work factor", value: String(decoded.n)),
                .init(name: "block size", value: String(decoded.r)),
                .init(name: "parallelism", value: String(decoded.p)),
                .init(name: "salt", value: PasswordHashSummary.mask(decoded.salt)),
                .init(name: "hash", value: PasswordHashSummary.mask(decoded.hash)),
            ]
        )
    }

    // MARK: Internals

    /// Whether N, r and p are sane and within this hasher's limits, computed without overflow.
    func isAcceptable(n: Int, r: Int, p: Int) -> Bool {
        guard n >= 2, n <= maximumWorkFactor, n & (n - 1) == 0, r >= 1, p >= 1 else { return false }
        // RFC 7914: p ≤ (2^32 − 1)·32 / (128·r), so r·p < 2^30; and N < 2^(128·r/8).
        guard r <= (1 << 30) / p, r * p < 1 << 30 else { return false }
        if 16 * r < 63, n >= 1 << (16 * r) { return false }
        let (rn, o1) = r.multipliedReportingOverflow(by: n + 2)
        let (rp, o2) = r.multipliedReportingOverflow(by: p)
        let (sum, o3) = rn.addingReportingOverflow(rp)
        let (memory, o4) = sum.multipliedReportingOverflow(by: 128)
        guard !o1, !o2, !o3, !o4, memory <= maximumMemoryBytes else { return false }
        let (work, o5) = rp.multipliedReportingOverflow(by: n)
        return !o5 && work <= maximumWork
    }

    /// Django's `decode`: exactly six `$`-separated parts, numbers as Python's `int()` reads them.
    private func decode(_ encoded: String) -> (n: Int, salt: Substring, r: Int, p: Int, hash: Substring)? {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 6)
        guard parts.count == 6, DjangoHashFormat.isExactly(parts[0], algorithm),
            let n = DjangoHashFormat.pythonInteger(parts[1]),
            let r = DjangoHashFormat.pythonInteger(parts[3]),
            let p = DjangoHashFormat.pythonInteger(parts[4])
        else { return nil }
        return (n, parts[2], r, p, parts[5])
    }

    private func format(n: Int, salt: String, r: Int, p: Int, key: [UInt8]) -> String {
        "\(algorithm)$\(n)$\(salt)$\(r)$\(p)$\(DjangoHashFormat.base64(key))"
    }

    private func deriveKey(password: String, salt: String, n: Int, r: Int, p: Int) -> [UInt8]? {
        guard isAcceptable(n: n, r: r, p: p) else { return nil }
        var passwordBytes = Array(password.utf8)
        var saltBytes = Array(salt.utf8)
        passwordBytes.reserveCapacity(1)
        saltBytes.reserveCapacity(1)
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: passwordBytes,
                salt: saltBytes,
                outputByteCount: Self.keyLength,
                rounds: n,
                blockSize: r,
                parallelism: p
            )
            return key.withUnsafeBytes { Array($0) }
        } catch {
            return nil
        }
    }
}
