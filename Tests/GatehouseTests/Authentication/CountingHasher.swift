import Foundation
import Gatehouse

/// A cheap PBKDF2 hasher that counts how often it hashes: to prove how much work a login costs.
final class CountingHasher: PasswordHasher, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    let base: PBKDF2PasswordHasher

    init(iterations: Int = 1_000) {
        base = PBKDF2PasswordHasher(iterations: iterations)
    }

    var hashes: Int { lock.withLock { count } }
    func reset() { lock.withLock { count = 0 } }
    private func tick() { lock.withLock { count += 1 } }

    var algorithm: String { base.algorithm }
    func makeSalt() -> String { base.makeSalt() }
    func encode(password: String, salt: String) throws(PasswordError) -> String {
        tick()
        return try base.encode(password: password, salt: salt)
    }
    func verify(password: String, encoded: String) -> Bool {
        tick()
        return base.verify(password: password, encoded: encoded)
    }
    func mustUpdate(encoded: String) -> Bool { base.mustUpdate(encoded: encoded) }
    func hardenRuntime(password: String, encoded: String) { base.hardenRuntime(password: password, encoded: encoded) }
    func summary(encoded: String) -> PasswordHashSummary? { base.summary(encoded: encoded) }
}
