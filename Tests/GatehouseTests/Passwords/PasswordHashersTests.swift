import Foundation
import Gatehouse
import Logging
import Synchronization
import GatehouseTesting
import Testing

/// Records the hashes passed to an upgrade closure.
final class UpgradeRecorder: Sendable {
    private let hashes = Mutex<[String]>([])
    var received: [String] { hashes.withLock { $0 } }

    var closure: @Sendable (String) async throws -> Void {
        { hash in self.hashes.withLock { $0.append(hash) } }
    }
}

@Suite("PasswordHashers")
struct PasswordHashersTests {
    let counter = HashCounter()

    /// Preferred: pbkdf2_sha256 at 2,000 iterations; also pbkdf2_sha1, md5 and bcrypt_sha256, all counted.
    func hashers(logger: Logger = .quietPasswords, pool: PasswordHashingPool = PasswordTestPool.pool) -> PasswordHashers {
        PasswordHashers(
            preferred: TallyingHasher(inner: PBKDF2PasswordHasher(iterations: 2_000), counter: counter),
            others: [
                TallyingHasher(inner: CheapHashers.pbkdf2SHA1, counter: counter),
                TallyingHasher(inner: MD5PasswordHasher(), counter: counter),
                TallyingHasher(inner: CheapHashers.bcryptSHA256, counter: counter),
            ],
            pool: pool,
            logger: logger
        )
    }

    @Test("Django's default list, in order; bcrypt and md5 only in allSupported")
    func defaultLists() {
        #expect(PasswordHashers().hashers.map(\.algorithm) == ["pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "scrypt"])
        #expect(
            PasswordHashers.allSupported().hashers.map(\.algorithm)
                == ["pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "bcrypt", "scrypt", "md5"]
        )
        #expect(PasswordHashers().preferred.algorithm == "pbkdf2_sha256")
        // The first hasher of an algorithm wins.
        let duplicated = PasswordHashers(preferred: CheapHashers.pbkdf2, others: [PBKDF2PasswordHasher()])
        #expect(duplicated.hashers.count == 1)
    }

    @Test("makePassword uses the preferred hasher and the result checks")
    func makeAndCheck() async throws {
        let hashers = hashers()
        let encoded = try await hashers.makePassword("correct horse")
        #expect(encoded.hasPrefix("pbkdf2_sha256$2000$"))
        #expect(await hashers.checkPassword("correct horse", encoded: encoded))
        #expect(!(await hashers.checkPassword("correct hors", encoded: encoded)))
        #expect(!hashers.needsUpgrade(encoded))
    }

    @Test("makePassword with a salt and algorithm, as Django's make_password")
    func makeWithSaltAndAlgorithm() async throws {
        let hashers = hashers()
        let encoded = try await hashers.makePassword("pw", salt: "GatehouseFixedSalt0123", algorithm: "pbkdf2_sha1")
        #expect(encoded.hasPrefix("pbkdf2_sha1$1000$GatehouseFixedSalt0123$"))
        let sameAgain = try await hashers.makePassword("pw", salt: "GatehouseFixedSalt0123", algorithm: "pbkdf2_sha1")
        #expect(encoded == sameAgain)
        let randomSalt = try await hashers.makePassword("pw", salt: "", algorithm: nil)
        #expect(randomSalt.split(separator: "$")[2].count == 22)
        await #expect(throws: PasswordError.unknownAlgorithm("sha1")) {
            try await hashers.makePassword("pw", salt: nil, algorithm: "sha1")
        }
        await #expect(throws: PasswordError.encodingNotSupported(algorithm: "md5")) {
            try await hashers.makePassword("pw", salt: nil, algorithm: "md5")
        }
        await #expect(throws: PasswordError.invalidSalt(algorithm: "pbkdf2_sha256")) {
            try await hashers.makePassword("pw", salt: "a$b", algorithm: nil)
        }
    }

    @Test("nil makes an unusable password; unusable passwords never match")
    func unusablePasswords() async throws {
        let hashers = hashers()
        let unusable = try await hashers.makePassword(nil)
        #expect(unusable.hasPrefix("!"))
        #expect(unusable.count == 41)
        #expect(unusable.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(!PasswordHashers.isPasswordUsable(unusable))
        #expect(PasswordHashers.isPasswordUsable(nil))
        #expect(PasswordHashers.isPasswordUsable(""))
        #expect(!PasswordHashers.isPasswordUsable("!"))
        #expect(PasswordHashers.makeUnusablePassword() != PasswordHashers.makeUnusablePassword())
        let recorder = UpgradeRecorder()
        for candidate in ["", "password", String(unusable.dropFirst()), unusable] {
            #expect(!(await hashers.checkPassword(candidate, encoded: unusable, upgrade: recorder.closure)))
        }
        #expect(recorder.received.isEmpty)
        let user = User(id: 1, password: unusable, username: "alice", dateJoined: Date())
        #expect(!user.hasUsablePassword)
    }

    @Test("unusable, unknown and nil inputs still cost one preferred hash, as in Django")
    func dummyHashForUncheckableInput() async throws {
        let hashers = hashers()
        #expect(!(await hashers.checkPassword("pw", encoded: "!abc")))
        #expect(counter["encode"] == 1)
        #expect(!(await hashers.checkPassword("pw", encoded: "unknownalgo$1$2$3")))
        #expect(counter["encode"] == 2)
        #expect(!(await hashers.checkPassword(nil, encoded: try await hashers.makePassword("pw"))))
        #expect(counter["encode"] == 4)
        #expect(counter["verify"] == 0)
    }

    @Test("a password over 4096 bytes is refused before any hashing")
    func tooLongRefusedBeforeHashing() async throws {
        let hashers = hashers()
        let encoded = try CheapHashers.pbkdf2.makePassword("x")
        let before = counter.total
        let tooLong = String(repeating: "é", count: 2049)  // 4098 UTF-8 bytes, 2049 characters
        #expect(tooLong.utf8.count > PasswordHashers.maximumPasswordBytes)
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) {
            try await hashers.makePassword(tooLong)
        }
        await #expect(throws: PasswordError.tooLong(maximumBytes: 4096)) {
            try await hashers.makePassword(tooLong, salt: "salt", algorithm: "pbkdf2_sha1")
        }
        let recorder = UpgradeRecorder()
        #expect(!(await hashers.checkPassword(tooLong, encoded: encoded, upgrade: recorder.closure)))
        #expect(try await hashers.verifyPassword(tooLong, encoded: encoded) == .rejected)
        #expect(counter.total == before, "nothing was hashed for a too-long password")
        #expect(recorder.received.isEmpty)

        // Exactly at the limit is fine.
        let longest = String(repeating: "a", count: 4096)
        let made = try await hashers.makePassword(longest)
        #expect(await hashers.checkPassword(longest, encoded: made))
    }

    @Test("an outdated algorithm is upgraded after a correct password, and only then")
    func upgradeFromOtherAlgorithm() async throws {
        let hashers = hashers()
        let old = try CheapHashers.pbkdf2SHA1.makePassword("s3cret")
        #expect(hashers.needsUpgrade(old))

        let wrong = UpgradeRecorder()
        #expect(!(await hashers.checkPassword("s3cre", encoded: old, upgrade: wrong.closure)))
        #expect(wrong.received.isEmpty)
        #expect(counter["harden"] == 0, "no hardening when the algorithm changes, as in Django")

        let right = UpgradeRecorder()
        #expect(await hashers.checkPassword("s3cret", encoded: old, upgrade: right.closure))
        let upgraded = try #require(right.received.first)
        #expect(right.received.count == 1)
        #expect(upgraded.hasPrefix("pbkdf2_sha256$2000$"))
        #expect(await hashers.checkPassword("s3cret", encoded: upgraded))
        #expect(!hashers.needsUpgrade(upgraded))
    }

    @Test("md5 and bcrypt_sha256 hashes from Django are upgraded too")
    func upgradeLegacyVectors() async throws {
        let hashers = hashers()
        let md5 = "md5$GatehouseFixedSalt0123$e06432082e634954017768d83b77a200"  // "password", from the vectors
        let recorder = UpgradeRecorder()
        #expect(await hashers.checkPassword("password", encoded: md5, upgrade: recorder.closure))
        #expect(recorder.received.count == 1)
        #expect(recorder.received.first?.hasPrefix("pbkdf2_sha256$") == true)

        let bcrypt = try CheapHashers.bcryptSHA256.makePassword("pässwörd")
        let second = UpgradeRecorder()
        #expect(await hashers.checkPassword("pässwörd", encoded: bcrypt, upgrade: second.closure))
        #expect(second.received.count == 1)
    }

    @Test("the preferred algorithm with old parameters: upgrade on success, hardening on failure")
    func upgradeIterationsAndHarden() async throws {
        let hashers = hashers()
        let old = try CheapHashers.pbkdf2.makePassword("s3cret")  // 1,000 iterations, preferred has 2,000
        #expect(hashers.needsUpgrade(old))

        let wrong = UpgradeRecorder()
        #expect(!(await hashers.checkPassword("wrong", encoded: old, upgrade: wrong.closure)))
        #expect(wrong.received.isEmpty)
        #expect(counter["harden"] == 1)

        let right = UpgradeRecorder()
        #expect(await hashers.checkPassword("s3cret", encoded: old, upgrade: right.closure))
        #expect(right.received.first?.hasPrefix("pbkdf2_sha256$2000$") == true)
        #expect(counter["harden"] == 1)
    }

    @Test("a current hash is not upgraded")
    func noUpgradeWhenCurrent() async throws {
        let hashers = hashers()
        let current = try await hashers.makePassword("s3cret")
        let recorder = UpgradeRecorder()
        #expect(await hashers.checkPassword("s3cret", encoded: current, upgrade: recorder.closure))
        #expect(recorder.received.isEmpty)
    }

    @Test("a failing upgrade is logged by type and the password still counts as correct")
    func failingUpgrade() async throws {
        struct StoreDown: Error {}
        let capture = LogCapture()
        let hashers = hashers(logger: capture.logger("test.capture"))
        let old = try CheapHashers.pbkdf2SHA1.makePassword("s3cret")
        #expect(await hashers.checkPassword("s3cret", encoded: old) { _ in throw StoreDown() })
        let line = try #require(capture.all.first { $0.message.contains("upgrade failed") })
        #expect(line.metadata["error_type"] == "StoreDown")
        #expect(!line.text.contains(old))
    }

    @Test("verifyPassword reports Django's (is_correct, must_update)")
    func verifyPasswordResults() async throws {
        let hashers = hashers()
        let current = try await hashers.makePassword("pw")
        #expect(try await hashers.verifyPassword("pw", encoded: current) == PasswordVerification(isCorrect: true, mustUpdate: false))
        let sha1 = try CheapHashers.pbkdf2SHA1.makePassword("pw")
        #expect(try await hashers.verifyPassword("nope", encoded: sha1) == PasswordVerification(isCorrect: false, mustUpdate: true))
        #expect(try await hashers.verifyPassword("pw", encoded: sha1) == PasswordVerification(isCorrect: true, mustUpdate: true))
    }

    @Test("identifyHasher follows Django's rules, including unsalted legacy names")
    func identify() {
        let hashers = PasswordHashers.allSupported()
        #expect(hashers.identifyHasher("pbkdf2_sha256$1$s$h")?.algorithm == "pbkdf2_sha256")
        #expect(hashers.identifyHasher("bcrypt$$2b$12$x")?.algorithm == "bcrypt")
        #expect(hashers.identifyHasher("bcrypt_sha256$$2b$12$x")?.algorithm == "bcrypt_sha256")
        #expect(hashers.identifyHasher("md5$salt$hash")?.algorithm == "md5")
        #expect(hashers.identifyHasher("md5$$5f4dcc3b5aa765d61d8327deb882cf99") == nil)  // unsalted_md5
        #expect(hashers.identifyHasher("5f4dcc3b5aa765d61d8327deb882cf99") == nil)  // unsalted_md5
        #expect(hashers.identifyHasher("sha1$$5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8") == nil)
        #expect(hashers.identifyHasher("PBKDF2_SHA256$1$s$h") == nil)
        #expect(hashers.identifyHasher("") == nil)
        #expect(hashers.identifyHasher("$") == nil)
        #expect(hashers.identifyHasher("pbkdf2_sha256") != nil)  // Django identifies it too; it never verifies
        #expect(hashers.hasher(algorithm: "scrypt")?.algorithm == "scrypt")
    }

    @Test("strings are handled as Python code points, not grapheme clusters")
    func codePoints() throws {
        // "!" followed by a combining accent is one Character in Swift but starts with "!" in Python.
        #expect(!PasswordHashers.isPasswordUsable("!\u{301}abc"))
        // A "$" followed by a combining mark still separates fields.
        let hasher = CheapHashers.pbkdf2
        let encoded = try hasher.encode(password: "pw", salt: "\u{301}salt")
        #expect(encoded.hasPrefix("pbkdf2_sha256$1000$\u{301}salt$"))
        #expect(hasher.verify(password: "pw", encoded: encoded))
        #expect(PasswordHashers.allSupported().identifyHasher("md5$$\u{301}" + String(repeating: "a", count: 31)) == nil)
        // The Kelvin sign is canonically equivalent to "K"; names still have to match byte for byte.
        #expect(!MD5PasswordHasher().verify(password: "pw", encoded: "md5$\u{212A}$x"))
    }

    @Test("log lines never contain a password, salt or hash")
    func logsHoldNoSecrets() async throws {
        let capture = LogCapture()
        let hashers = oracleHashers(logger: capture.logger("test.capture"))
        let secrets = ["hunter2-secret", "plaintext-password-stored-by-mistake"]
        let inputs = [
            "pbkdf2_sha256$abc$GatehouseSecretSalt$HASHVALUE",
            "bcrypt$notbcrypt-secretish",
            "argon2$argon2id$v=19$m=64,t=1,p=1$U2VjcmV0U2FsdA$SGFzaFZhbHVl",
            "argon2$garbage-secretish",
            "plaintext-password-stored-by-mistake",
            "unknownalgo$SECRETSALT$SECRETHASH",
            "md5$$",
        ]
        for encoded in inputs {
            _ = await hashers.checkPassword(secrets[0], encoded: encoded)
        }
        #expect(!capture.all.isEmpty)
        for line in capture.all {
            for secret in secrets + ["GatehouseSecretSalt", "HASHVALUE", "U2VjcmV0U2FsdA", "SGFzaFZhbHVl", "SECRET", "secretish"] {
                #expect(!line.text.contains(secret), "\(line.text)")
            }
        }
        #expect(capture.all.contains { $0.metadata["algorithm"] == "unknownalgo" })
    }

    @Test("the default registry's pbkdf2_sha256 hash at 1,500,000 iterations checks, and is timed")
    func defaultCost() async throws {
        let hashers = PasswordHashers(pool: PasswordTestPool.pool, logger: .quietPasswords)
        let clock = ContinuousClock()
        var encoded = ""
        let elapsed = try await clock.measure { encoded = try await hashers.makePassword("password") }
        print("pbkdf2_sha256 at 1,500,000 iterations took \(elapsed)")
        #expect(encoded.hasPrefix("pbkdf2_sha256$1500000$"))
        #expect(await hashers.checkPassword("password", encoded: encoded))
    }
}
