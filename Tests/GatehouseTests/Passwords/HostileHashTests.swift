import Foundation
import Gatehouse
import Testing

/// Stored hashes that are corrupted, truncated or hostile: never verified, never a crash, never a
/// runaway allocation or hang.
@Suite("Hostile hashes")
struct HostileHashTests {
    /// Every hasher, with cheap parameters where they have any.
    static let hashers: [any PasswordHasher] = CheapHashers.encoding + [MD5PasswordHasher(), Argon2PasswordHasher(logger: .quietPasswords)]

    static let hostile: [String] = [
        "", "$", "$$$$$$$$", "!", "pbkdf2_sha256", "pbkdf2_sha256$", "pbkdf2_sha256$$$", "pbkdf2_sha256$1000$$",
        "pbkdf2_sha256$4294967296$salt$hash", "pbkdf2_sha256$99999999999999999999999$salt$hash",
        "pbkdf2_sha256$-5$salt$hash", "pbkdf2_sha256$+1000$salt$hash", "pbkdf2_sha256$1_000$salt$hash",
        "pbkdf2_sha256$ 1000$salt$hash", "pbkdf2_sha256$١٠٠٠$salt$hash", "pbkdf2_sha256$1000$sa\u{0}lt$hash",
        "pbkdf2_sha1$1000$salt$", "scrypt$16384$salt$8$1$", "scrypt$1048576$salt$8$1$abc", "scrypt$2097152$salt$8$1$abc",
        "scrypt$16385$salt$8$1$abc", "scrypt$16384$salt$0$1$abc", "scrypt$16384$salt$8$0$abc",
        "scrypt$16384$salt$1073741823$1073741823$abc", "scrypt$16384$salt$9223372036854775807$1$abc",
        "scrypt$2$salt$1$1048576$abc", "scrypt$16384$salt$8$5$abc$extra", "scrypt$16384$$8$5$abc", "scrypt$0$salt$8$5$abc",
        "bcrypt$notbcrypt", "bcrypt_sha256$$2b$12$short", "bcrypt$$2b$31$GatehouseFixedSaltBcrucqW9pSqt/TrvBNTTDp9J4sfZAVFBIVG",
        "bcrypt$$2b$99$GatehouseFixedSaltBcrucqW9pSqt/TrvBNTTDp9J4sfZAVFBIVG",
        "bcrypt$$2b$03$GatehouseFixedSaltBcrucqW9pSqt/TrvBNTTDp9J4sfZAVFBIVG",
        "bcrypt$$2c$04$GatehouseFixedSaltBcrucqW9pSqt/TrvBNTTDp9J4sfZAVFBIVG",
        "bcrypt$$2b$04$GatehouseFixedSaltBcrucqW9pSqt/TrvBNTTDp9J4sfZAVFBIVGX",
        "bcrypt$$2b$04$ÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöü",
        "bcrypt_sha256$$2b$\u{0}4$GatehouseFixedSaltBcrucqW9pSqt/TrvBNTTDp9J4sfZAVFBIV",
        "md5$$", "md5$salt", "md5$$5f4dcc3b5aa765d61d8327deb882cf99", "argon2$garbage", "argon2$argon2id$v=19$m=1,t=1$c2FsdA$aGFzaA",
        "argon2$argon2id$v=19$m=x,t=1,p=1$c2FsdA$aGFzaA", "argon2$argon2id$v=19$m=1,t=1,p=1$!!!$aGFzaA",
        "ü€𝄞\u{0}\u{202e}$✓$ß", String(repeating: "$", count: 10_000),
        "pbkdf2_sha256$1000$" + String(repeating: "A", count: 100_000),
    ]

    @Test("no hasher verifies, crashes or hangs on hostile input")
    func hostileInputs() {
        let clock = ContinuousClock()
        for encoded in Self.hostile {
            for hasher in Self.hashers {
                for password in ["password", "", String(repeating: "x", count: 100)] {
                    let elapsed = clock.measure {
                        #expect(!hasher.verify(password: password, encoded: encoded), "\(hasher.algorithm) \(encoded.prefix(60))")
                        _ = hasher.mustUpdate(encoded: encoded)
                        _ = hasher.summary(encoded: encoded)
                        hasher.hardenRuntime(password: password, encoded: encoded)
                    }
                    #expect(elapsed < .seconds(5), "\(hasher.algorithm) \(encoded.prefix(60)) took \(elapsed)")
                }
            }
        }
    }

    @Test("the registry rejects hostile hashes through its whole path")
    func registry() async {
        let hashers = PasswordHashers(
            preferred: CheapHashers.pbkdf2,
            others: Array(Self.hashers.dropFirst()),
            pool: PasswordTestPool.pool,
            logger: .quietPasswords
        )
        for encoded in Self.hostile {
            #expect(!(await hashers.checkPassword("password", encoded: encoded)))
        }
    }

    @Test("stored parameters beyond the limits are refused without running")
    func limits() throws {
        // A real hash, made valid and then with its cost raised: refused, quickly.
        let bcrypt = try BCryptPasswordHasher(cost: 4).makePassword("pw")
        let raised = bcrypt.replacingOccurrences(of: "$2b$04$", with: "$2b$31$")
        let clock = ContinuousClock()
        var verified = true
        let elapsed = clock.measure { verified = BCryptPasswordHasher().verify(password: "pw", encoded: raised) }
        #expect(!verified)
        #expect(elapsed < .seconds(1))
        #expect(!BCryptPasswordHasher(cost: 4, maximumCost: 4).verify(password: "pw", encoded: bcrypt.replacingOccurrences(of: "$04$", with: "$05$")))

        let pbkdf2 = PBKDF2PasswordHasher(iterations: 1_000, maximumIterations: 5_000)
        let many = try PBKDF2PasswordHasher(iterations: 6_000).makePassword("pw")
        #expect(!pbkdf2.verify(password: "pw", encoded: many))
        #expect(pbkdf2.mustUpdate(encoded: many))

        let scrypt = ScryptPasswordHasher(workFactor: 1 << 10, parallelism: 1, maximumMemoryBytes: 3 << 19)
        let big = try ScryptPasswordHasher(workFactor: 1 << 11, parallelism: 1).makePassword("pw")
        #expect(!scrypt.verify(password: "pw", encoded: big))  // 2 MiB > 1.5 MiB
        #expect(ScryptPasswordHasher().verify(password: "pw", encoded: big))
    }

    @Test("plain bcrypt: 72 bytes work, 73 bytes and NUL never verify and are never hashed")
    func bcryptBoundaries() throws {
        let hasher = BCryptPasswordHasher(cost: 4)
        let exactly72 = String(repeating: "b", count: 72)
        let encoded = try hasher.makePassword(exactly72)
        #expect(hasher.verify(password: exactly72, encoded: encoded))
        // A longer password with the same first 72 bytes must not match (no silent truncation).
        #expect(!hasher.verify(password: exactly72 + "b", encoded: encoded))
        #expect(throws: PasswordError.self) { try hasher.makePassword(exactly72 + "b") }
        #expect(throws: PasswordError.self) { try hasher.makePassword(String(repeating: "é", count: 37)) }  // 74 bytes
        let withNUL = try hasher.makePassword("abc")
        #expect(!hasher.verify(password: "abc\u{0}def", encoded: withNUL))
        #expect(throws: PasswordError.self) { try hasher.makePassword("abc\u{0}def") }
        // bcrypt_sha256 takes any length.
        let long = String(repeating: "b", count: 500)
        let sha = try CheapHashers.bcryptSHA256.makePassword(long)
        #expect(CheapHashers.bcryptSHA256.verify(password: long, encoded: sha))
        #expect(!CheapHashers.bcryptSHA256.verify(password: String(long.dropLast()), encoded: sha))
    }

    @Test("bcrypt $2a$ and $2y$ hashes verify like $2b$")
    func bcryptVersions() throws {
        let hasher = CheapHashers.bcrypt
        let b = try hasher.encode(password: "password", salt: "$2b$04$GatehouseFixedSaltBcru")
        let a = try hasher.encode(password: "password", salt: "$2a$04$GatehouseFixedSaltBcru")
        let y = try hasher.encode(password: "password", salt: "$2y$04$GatehouseFixedSaltBcru")
        #expect(b.hasPrefix("bcrypt$$2b$04$"))
        #expect(y.hasPrefix("bcrypt$$2y$04$"))
        #expect(a.hasPrefix("bcrypt$$2a$04$"))
        // The three names compute the same checksum for keys of at most 72 bytes.
        let renamed = ["$2a$", "$2y$"].map { b.replacingOccurrences(of: "$2b$", with: $0) }
        for encoded in [a, b, y] + renamed {
            #expect(hasher.verify(password: "password", encoded: encoded))
            #expect(!hasher.verify(password: "passwore", encoded: encoded))
        }
        // Known vector (OpenBSD / Python bcrypt): "U*U" with $2a$05$CCCCCCCCCCCCCCCCCCCCC.
        let known = "bcrypt$$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
        for version in ["$2a$", "$2b$", "$2y$"] {
            let encoded = known.replacingOccurrences(of: "$2a$", with: version)
            #expect(hasher.verify(password: "U*U", encoded: encoded))
            #expect(!hasher.verify(password: "U*V", encoded: encoded))
        }
    }

    @Test("bcrypt: a given salt sets version and cost; the salt bytes are new each time (Bcrypt.hash draws them)")
    func bcryptGivenSalt() throws {
        let salt = "$2b$04$GatehouseFixedSaltBcru"
        let first = try CheapHashers.bcryptSHA256.encode(password: "pw", salt: salt)
        let second = try CheapHashers.bcryptSHA256.encode(password: "pw", salt: salt)
        #expect(first != second)
        for encoded in [first, second] {
            #expect(encoded.hasPrefix("bcrypt_sha256$$2b$04$"))
            #expect(encoded.count == "bcrypt_sha256$".count + 60)
            #expect(CheapHashers.bcryptSHA256.verify(password: "pw", encoded: encoded))
        }
    }

    @Test("bcrypt hardening runs the missing rounds at the stored cost")
    func bcryptHarden() throws {
        let stored = try BCryptSHA256PasswordHasher(cost: 4).makePassword("pw")
        // Counted, not timed: 2^(6 - 4) - 1 = 3 extra hashes at cost 4.
        #expect(BCryptSHA256PasswordHasher(cost: 6).hardeningHashes(encoded: stored) == 3)
        #expect(BCryptSHA256PasswordHasher(cost: 4).hardeningHashes(encoded: stored) == 0)
        #expect(BCryptSHA256PasswordHasher(cost: 31, maximumCost: 31).hardeningHashes(encoded: stored) == (1 << 20) - 1, "capped")
        #expect(BCryptSHA256PasswordHasher(cost: 6).hardeningHashes(encoded: "bcrypt_sha256$$2b$99$garbage") == 0)
        #expect(BCryptPasswordHasher(cost: 5).hardeningHashes(encoded: try BCryptPasswordHasher(cost: 4).makePassword("pw")) == 1)
        BCryptSHA256PasswordHasher(cost: 6).hardenRuntime(password: "x", encoded: stored)  // runs, returns
        #expect(BCryptSHA256PasswordHasher(cost: 6).mustUpdate(encoded: stored))
    }
}
