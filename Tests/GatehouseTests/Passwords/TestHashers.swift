import Gatehouse
import Synchronization

/// Counts how often hashing work runs.
final class HashCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func add(_ operation: String) {
        counts.withLock { $0[operation, default: 0] += 1 }
    }

    subscript(operation: String) -> Int { counts.withLock { $0[operation] ?? 0 } }

    /// Every operation that costs a hash.
    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}

/// Wraps a hasher and counts each call that hashes.
struct TallyingHasher: PasswordHasher {
    let inner: any PasswordHasher
    let counter: HashCounter

    var algorithm: String { inner.algorithm }
    var canEncode: Bool { inner.canEncode }
    func makeSalt() -> String { inner.makeSalt() }

    func encode(password: String, salt: String) throws(PasswordError) -> String {
        counter.add("encode")
        return try inner.encode(password: password, salt: salt)
    }

    func verify(password: String, encoded: String) -> Bool {
        counter.add("verify")
        return inner.verify(password: password, encoded: encoded)
    }

    func mustUpdate(encoded: String) -> Bool { inner.mustUpdate(encoded: encoded) }

    func hardenRuntime(password: String, encoded: String) {
        counter.add("harden")
        inner.hardenRuntime(password: password, encoded: encoded)
    }

    func summary(encoded: String) -> PasswordHashSummary? { inner.summary(encoded: encoded) }
}

/// Cheap hashers for tests that make many hashes.
enum CheapHashers {
    static let pbkdf2 = PBKDF2PasswordHasher(iterations: 1_000)
    static let pbkdf2SHA1 = PBKDF2PasswordHasher(digest: .sha1, iterations: 1_000)
    static let bcryptSHA256 = BCryptSHA256PasswordHasher(cost: 4)
    static let bcrypt = BCryptPasswordHasher(cost: 4)
    static let scrypt = ScryptPasswordHasher(workFactor: 1 << 10, blockSize: 8, parallelism: 1)

    /// Every hasher that makes new hashes.
    static let encoding: [any PasswordHasher] = [pbkdf2, pbkdf2SHA1, bcryptSHA256, bcrypt, scrypt]
}

/// The pool the password tests hash on: their own, with room for every test running at once, so they
/// neither see `busy` nor make other suites see it on the shared pool.
enum PasswordTestPool {
    static let pool = PasswordHashingPool(numberOfThreads: 2, maximumQueued: 10_000)
}
