import Gatehouse
import Logging

/// A stored hash string (any bytes) checked against a fixed password the way
/// `PasswordHashers.verifyPassword` does (identify, summary, upgrade check, verify, harden on a wrong
/// password), but synchronously and with every hasher's own limits set low: PBKDF2 at most 1,000
/// iterations, bcrypt cost 4-5, scrypt N ≤ 256 and 64 KiB, argon2 at most 64 KiB and 2 passes, so that a hash that parses is verified in
/// about a millisecond instead of Django's seconds. Hashes above those limits take the refusal path,
/// as real over-limit hashes do.
enum PasswordTarget {
    static let quiet = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
    static let hashers = PasswordHashers(
        preferred: PBKDF2PasswordHasher(iterations: 1, maximumIterations: 1_000),
        others: [
            PBKDF2PasswordHasher(digest: .sha1, iterations: 1, maximumIterations: 1_000),
            Argon2PasswordHasher(
                timeCost: 1, memoryCost: 8, parallelism: 1, maximumMemoryCost: 64, maximumTimeCost: 2, logger: quiet
            ),
            BCryptSHA256PasswordHasher(cost: 4, maximumCost: 5),
            BCryptPasswordHasher(cost: 4, maximumCost: 5),
            ScryptPasswordHasher(
                workFactor: 2, blockSize: 1, parallelism: 1,
                maximumMemoryBytes: 1 << 16, maximumWorkFactor: 1 << 8, maximumWork: 1 << 10
            ),
            MD5PasswordHasher(),
        ],
        logger: quiet
    )

    static func run(_ data: [UInt8]) {
        let encoded = String(decoding: data, as: UTF8.self)
        _ = hashers.needsUpgrade(encoded)
        guard PasswordHashers.isPasswordUsable(encoded), let hasher = hashers.identifyHasher(encoded) else { return }
        _ = hasher.summary(encoded: encoded)
        _ = hasher.mustUpdate(encoded: encoded)
        for password in ["correct horse", "", String(repeating: "é", count: 40)]
        where !hasher.verify(password: password, encoded: encoded) {
            hasher.hardenRuntime(password: password, encoded: encoded)
        }
    }
}
