import Foundation
@testable import Gatehouse
import Testing

/// Every case of Tests/Fixtures/django/password-vectors.json (made by Django 6.1.3) against Gatehouse.
@Suite("Django password vectors")
struct PasswordVectorTests {
    @Test("the fixture is present and matches the configuration under test")
    func fixtureLoads() throws {
        let vectors = try PasswordFixtures.load("password-vectors.json", as: PasswordVectors.self)
        #expect(vectors.django_version == "6.1.3")
        #expect(vectors.cases.count > 100)
        let hashers = oracleHashers()
        #expect(hashers.hashers.map(\.algorithm) == vectors.hashers)
        #expect(hashers.preferred.algorithm == vectors.preferred)
        #expect(vectors.default_iterations["pbkdf2_sha256"] == PBKDF2PasswordHasher.defaultIterations)
        #expect(vectors.default_iterations["pbkdf2_sha1"] == PBKDF2PasswordHasher.defaultIterations)
        #expect(vectors.bcrypt_rounds == BCryptSHA256PasswordHasher.defaultCost)
        #expect(vectors.scrypt.work_factor == ScryptPasswordHasher.defaultWorkFactor)
        #expect(vectors.scrypt.block_size == ScryptPasswordHasher.defaultBlockSize)
        #expect(vectors.scrypt.parallelism == ScryptPasswordHasher.defaultParallelism)
        #expect(vectors.scrypt.dklen == ScryptPasswordHasher.keyLength)
        #expect(vectors.argon2.time_cost == Argon2PasswordHasher.defaultTimeCost)
        #expect(vectors.argon2.memory_cost == Argon2PasswordHasher.defaultMemoryCost)
        #expect(vectors.argon2.parallelism == Argon2PasswordHasher.defaultParallelism)
        #expect(vectors.argon2.hash_len == Argon2PasswordHasher.defaultHashLength)
        #expect(vectors.argon2.version == Argon2PasswordHasher.version)
        #expect(vectors.salt.length == PBKDF2PasswordHasher().makeSalt().count)
        #expect(vectors.salt.chars == String(RandomString.alphanumerics))
        #expect(vectors.unusable_password.prefix == PasswordHashers.unusablePasswordPrefix)
        #expect(vectors.unusable_password.suffix_length == PasswordHashers.unusablePasswordSuffixLength)
        #expect(!vectors.session_auth_hash.isEmpty)
    }

    @Test("each case: identified, usable, verifies, must update, upgrade decision", arguments: PasswordFixtures.passwordCases)
    func vector(_ vector: PasswordVectors.Case) throws {
        let hashers = oracleHashers(logger: .quietPasswords)
        guard let encoded = vector.encoded else {
            // Django refused to hash this password; Gatehouse must refuse too, never truncate.
            #expect(vector.kind == "make_error")
            let algorithm = try #require(vector.algorithm)
            let hasher = try #require(hashers.hasher(algorithm: algorithm))
            #expect(throws: PasswordError.self) {
                try hasher.encode(password: vector.password, salt: hasher.makeSalt())
            }
            return
        }

        #expect(PasswordHashers.isPasswordUsable(encoded) == vector.usable)
        let hasher = hashers.identifyHasher(encoded)
        #expect(hasher?.algorithm == vector.identified)

        // argon2 at Django's 100 MiB costs seconds unoptimized: debug builds check those in Argon2Tests.
        guard Self.affordable(encoded) else { return }
        let verified = hasher?.verify(password: vector.password, encoded: encoded) ?? false
        #expect(verified == Self.gatehouseVerifies(vector))

        // The hasher's own opinion. Where Django's decode() raised (null), Gatehouse says false.
        #expect((hasher?.mustUpdate(encoded: encoded) ?? false) == (vector.must_update ?? false))

        // Django's upgrade decision, where Django reached one without raising.
        if vector.django_raises == nil, vector.usable == true, hasher != nil {
            #expect(hashers.needsUpgrade(encoded) == vector.verify_password_must_update)
        }
        #expect((verified && hashers.needsUpgrade(encoded)) == (vector.needs_upgrade && Self.gatehouseVerifies(vector)))

        // Parameters decode wherever Django's decode works.
        if vector.must_update != nil {
            #expect(hasher?.summary(encoded: encoded) != nil)
        }

        // Deterministic cases: Gatehouse makes the very same string. bcrypt through hummingbird-auth's
        // published API draws its own salt: the same version and cost, a string that verifies.
        if vector.kind == "hash", let salt = vector.fixed_salt, let hasher {
            if hasher.algorithm == "bcrypt_sha256" || hasher.algorithm == "bcrypt" {
                let made = try hasher.encode(password: vector.password, salt: salt)
                let prefixLength = hasher.algorithm.count + 8  // "bcrypt$" + "$2b$12$"
                #expect(made.prefix(prefixLength) == encoded.prefix(prefixLength))
                #expect(made.count == encoded.count)
                #expect(hasher.verify(password: vector.password, encoded: made))
            } else if let sameParameters = Self.hasherWithParameters(of: encoded, like: hasher) {
                #expect(try sameParameters.encode(password: vector.password, salt: salt) == encoded)
            }
        }
    }

    /// Django's verdict.
    static func gatehouseVerifies(_ vector: PasswordVectors.Case) -> Bool {
        vector.verifies
    }

    /// Whether checking `encoded` is cheap enough for this build: argon2 at Django's 100 MiB only in
    /// optimized builds.
    static func affordable(_ encoded: String) -> Bool {
        #if DEBUG
            !(encoded.hasPrefix("argon2$") && encoded.contains("m=102400"))
        #else
            true
        #endif
    }

    /// A hasher that encodes with the parameters `encoded` was made with, for the algorithms that
    /// make new hashes.
    static func hasherWithParameters(of encoded: String, like hasher: any PasswordHasher) -> (any PasswordHasher)? {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        switch hasher.algorithm {
        case "pbkdf2_sha256", "pbkdf2_sha1":
            guard parts.count == 4, let iterations = Int(parts[1]) else { return nil }
            return PBKDF2PasswordHasher(digest: hasher.algorithm == "pbkdf2_sha1" ? .sha1 : .sha256, iterations: iterations)
        case "bcrypt_sha256", "bcrypt":
            return hasher  // the cost comes with the salt
        case "scrypt":
            guard parts.count == 6, let n = Int(parts[1]), let r = Int(parts[3]), let p = Int(parts[4]) else { return nil }
            return ScryptPasswordHasher(workFactor: n, blockSize: r, parallelism: p)
        case "argon2":
            guard let stored = Argon2PasswordHasher.parsePHC(encoded, algorithm: "argon2"),
                stored.parameters.variant == .id, stored.parameters.version == Argon2.version13
            else { return nil }
            return Argon2PasswordHasher(
                timeCost: stored.parameters.timeCost, memoryCost: stored.parameters.memoryCost,
                parallelism: stored.parameters.parallelism, hashLength: stored.parameters.tagLength)
        default:
            return nil  // md5 makes no new hashes
        }
    }

    @Test("the registry gives Django's check_password answers for every case")
    func registryMatchesCheckPassword() async throws {
        // The preferred hasher's cost matters for the upgrade decision but not for correctness, so
        // run the full registry path with Django's defaults on the cheap cases only, and the hasher
        // paths above cover the rest.
        let hashers = oracleHashers(logger: .quietPasswords)
        for vector in PasswordFixtures.passwordCases {
            guard let encoded = vector.encoded else { continue }
            let cheap = !encoded.contains("$1500000$") && !encoded.contains("$2b$12$") && !encoded.contains("$2a$12$")
                && !encoded.hasPrefix("scrypt$16384$") && (vector.usable ?? false) && hashers.identifyHasher(encoded) != nil
                && !(hashers.identifyHasher(encoded)?.algorithm == "pbkdf2_sha256" && !vector.verifies)
                && !encoded.contains("m=102400")
            guard cheap else { continue }
            let result = try await hashers.verifyPassword(vector.password, encoded: encoded)
            #expect(result.isCorrect == Self.gatehouseVerifies(vector), "\(vector.name)")
            if vector.django_raises == nil {
                #expect(result.mustUpdate == vector.verify_password_must_update, "\(vector.name)")
            }
        }
    }

    @Test("session auth hashes match Django's get_session_auth_hash")
    func sessionAuthHashes() throws {
        let vectors = try #require(PasswordFixtures.passwords)
        for entry in vectors.session_auth_hash {
            #expect(SessionAuthHash.make(passwordHash: entry.password_hash, secretKey: entry.secret_key) == entry.hash)
            #expect(SessionAuthHash.verify(entry.hash, passwordHash: entry.password_hash, secretKeys: ["other", entry.secret_key]))
            #expect(!SessionAuthHash.verify(entry.hash, passwordHash: entry.password_hash + "x", secretKeys: [entry.secret_key]))
        }
    }
}
