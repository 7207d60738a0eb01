import Foundation
@testable import Gatehouse
import Testing

/// BLAKE2b and Argon2 against their RFCs' vectors, and `Argon2PasswordHasher` against hashes made by
/// Django 6.1 with argon2-cffi (Tests/Fixtures/django/argon2-vectors.json, from
/// scripts/django/gen_argon2_vectors.py).
@Suite("Argon2")
struct Argon2Tests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Whether this is an optimized build: hashes at Django's 100 MiB take seconds without it.
    static var optimized: Bool {
        #if DEBUG
            false
        #else
            true
        #endif
    }

    @Test("BLAKE2b: RFC 7693's \"abc\" vector and known answers across block boundaries")
    func blake2b() {
        #expect(
            Self.hex(Blake2b.hash(Array("abc".utf8), outputLength: 64))
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
        #expect(
            Self.hex(Blake2b.hash([], outputLength: 64))
                == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
        // Known answers from Python's hashlib.blake2b.
        #expect(Self.hex(Blake2b.hash([], outputLength: 32)) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        #expect(
            Self.hex(Blake2b.hash((0..<128).map { UInt8($0) }, outputLength: 64))
                == "2319e3789c47e2daa5fe807f61bec2a1a6537fa03f19ff32e87eecbfd64b7e0e"
                + "8ccff439ac333b040f19b0c4ddd11a61e24ac1fe0f10a039806c5dcc0da3d115")
        #expect(
            Self.hex(Blake2b.hash((0..<129).map { UInt8($0) }, outputLength: 64))
                == "f59711d44a031d5f97a9413c065d1e614c417ede998590325f49bad2fd444d3e"
                + "4418be19aec4e11449ac1a57207898bc57d76a1bcf3566292c20c683a5c4648f")
        let thousand = (0..<1000).map { UInt8($0 % 256) }
        #expect(
            Self.hex(Blake2b.hash(thousand, outputLength: 48))
                == "4f44c973a38d5071c0c49c4e3e0ffcfd99836c96380bdb37a4ecb5c3f58bf5dbfbfba385f9b1eee63028fc25732e7d49")
        // Fed in pieces, the same digest.
        var pieces = Blake2b(outputLength: 48)
        pieces.update(thousand[..<100])
        pieces.update(thousand[100..<228])
        pieces.update(thousand[228...])
        #expect(pieces.finalize() == Blake2b.hash(thousand, outputLength: 48))
    }

    @Test(
        "Argon2d, Argon2i and Argon2id: RFC 9106 section 5 (secret and associated data)",
        arguments: [
            (Argon2.Variant.d, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"),
            (Argon2.Variant.i, "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"),
            (Argon2.Variant.id, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"),
        ])
    func rfc9106(variant: Argon2.Variant, tag: String) throws {
        let result = try #require(
            Argon2.hash(
                password: [UInt8](repeating: 1, count: 32), salt: [UInt8](repeating: 2, count: 16),
                secret: [UInt8](repeating: 3, count: 8), associatedData: [UInt8](repeating: 4, count: 12),
                parameters: .init(variant: variant, timeCost: 3, memoryCost: 32, parallelism: 4, tagLength: 32)))
        #expect(Self.hex(result) == tag)
    }

    @Test("Argon2 refuses out-of-range parameters and short salts")
    func refusals() {
        let salt = [UInt8](repeating: 2, count: 8)
        let good = Argon2.Parameters(variant: .id, timeCost: 1, memoryCost: 8, parallelism: 1, tagLength: 4)
        #expect(Argon2.hash(password: [], salt: salt, parameters: good) != nil)
        #expect(Argon2.hash(password: [], salt: Array(salt.dropLast()), parameters: good) == nil)
        for bad in [
            Argon2.Parameters(variant: .id, timeCost: 0, memoryCost: 8, parallelism: 1, tagLength: 32),
            Argon2.Parameters(variant: .id, timeCost: 1, memoryCost: 15, parallelism: 2, tagLength: 32),
            Argon2.Parameters(variant: .id, timeCost: 1, memoryCost: 8, parallelism: 0, tagLength: 32),
            Argon2.Parameters(variant: .id, timeCost: 1, memoryCost: 8, parallelism: 1, tagLength: 3),
            Argon2.Parameters(variant: .id, version: 0x12, timeCost: 1, memoryCost: 8, parallelism: 1, tagLength: 32),
        ] {
            #expect(Argon2.hash(password: [], salt: salt, parameters: bad) == nil)
        }
    }

    struct Vectors: Decodable {
        struct Case: Decodable, CustomTestStringConvertible, Sendable {
            var name: String
            var password: String
            var encoded: String
            var fixed_salt: String?
            var verifies: Bool
            var must_update: Bool
            var summary: [String: String]
            var testDescription: String { name }
        }
        var django_version: String
        var cases: [Case]
    }

    static let vectors = try? PasswordFixtures.load("argon2-vectors.json", as: Vectors.self)

    /// The Django cases this build can afford: those at Django's 100 MiB only when optimized.
    static var affordableCases: [Vectors.Case] {
        (vectors?.cases ?? []).filter { optimized || !$0.encoded.contains("m=102400") }
    }

    @Test("the argon2 fixture is Django 6.1's")
    func fixture() throws {
        let vectors = try #require(Self.vectors)
        #expect(vectors.django_version == "6.1.3")
        #expect(vectors.cases.count > 50)
    }

    @Test("Django's argon2 hashes: verify, mustUpdate and summary as Django; fixed salts re-encode exactly", arguments: affordableCases)
    func djangoVector(_ vector: Vectors.Case) throws {
        let hasher = Argon2PasswordHasher()
        #expect(hasher.verify(password: vector.password, encoded: vector.encoded) == vector.verifies)
        #expect(hasher.mustUpdate(encoded: vector.encoded) == vector.must_update)
        let summary = try #require(hasher.summary(encoded: vector.encoded))
        #expect(Dictionary(uniqueKeysWithValues: summary.fields.map { ($0.name, $0.value) }) == vector.summary)
        #expect(summary.fields.map(\.name) == ["algorithm", "variety", "version", "memory cost", "time cost", "parallelism", "salt", "hash"])
        // Django's own argon2id hashes at version 19: Gatehouse makes the very same string.
        if let salt = vector.fixed_salt, vector.verifies, vector.encoded.hasPrefix("argon2$argon2id$v=19$") {
            let stored = try #require(Argon2PasswordHasher.parsePHC(vector.encoded, algorithm: "argon2"))
            let same = Argon2PasswordHasher(
                timeCost: stored.parameters.timeCost, memoryCost: stored.parameters.memoryCost,
                parallelism: stored.parameters.parallelism, hashLength: stored.parameters.tagLength)
            #expect(try same.encode(password: vector.password, salt: salt) == vector.encoded)
        }
    }

    @Test("one hash at Django's parameters (100 MiB) verifies, and is timed")
    func djangoDefaults() throws {
        let hasher = Argon2PasswordHasher()
        let vector = try #require(Self.vectors?.cases.first { $0.encoded.contains("m=102400") && $0.verifies })
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(hasher.verify(password: vector.password, encoded: vector.encoded))
        }
        // About 1.1 s of CPU in a debug build, 0.25 s in a release build (2-core machine).
        print("argon2 at Django's parameters: one verify took \(elapsed)")
    }

    @Test("round trip: encode, verify, wrong password, mustUpdate, and the salt and hash forms")
    func roundTrip() throws {
        let cheap = Argon2PasswordHasher(timeCost: 1, memoryCost: 64, parallelism: 2)
        let encoded = try cheap.makePassword("pässwörd 🔑")
        #expect(encoded.hasPrefix("argon2$argon2id$v=19$m=64,t=1,p=2$"))
        // Salt and hash in base64 without padding.
        #expect(encoded.split(separator: "$").suffix(2).allSatisfy { !$0.contains("=") })
        #expect(cheap.verify(password: "pässwörd 🔑", encoded: encoded))
        #expect(!cheap.verify(password: "pässwörd 🔐", encoded: encoded))
        #expect(!cheap.mustUpdate(encoded: encoded))
        #expect(Argon2PasswordHasher().mustUpdate(encoded: encoded))
        #expect(Argon2PasswordHasher().verify(password: "pässwörd 🔑", encoded: encoded))
        #expect(cheap.canEncode)
        #expect(throws: PasswordError.invalidSalt(algorithm: "argon2")) { try cheap.encode(password: "p", salt: "short") }
        #expect(throws: PasswordError.invalidSalt(algorithm: "argon2")) { try cheap.encode(password: "p", salt: "long$enough") }
    }

    @Test("malformed and hostile argon2 strings never verify and allocate nothing large")
    func hostile() throws {
        let cheap = Argon2PasswordHasher(timeCost: 1, memoryCost: 64, parallelism: 1)
        let good = try cheap.encode(password: "pw", salt: "GatehouseFixedSalt0123")
        #expect(cheap.verify(password: "pw", encoded: good))
        let parts = good.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        let salt = parts[4], hash = parts[5]
        let hostile = [
            "argon2$argon2id$v=19$m=64,t=1,p=1$\(salt)$\(hash)=",  // padding
            "argon2$argon2id$v=19$m=64,t=1,p=1$\(salt)=$\(hash)",
            "argon2$argon2id$v=19$m=64,t=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$t=1,m=64,p=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=64,t=1,p=1,x=1$\(salt)$\(hash)",
            "argon2$argon2id$v=18$m=64,t=1,p=1$\(salt)$\(hash)",
            "argon2$argon2ix$v=19$m=64,t=1,p=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=64,t=0,p=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=64,t=1,p=0$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=7,t=1,p=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=64,t=1,p=9$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=+64,t=1,p=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=99999999999,t=1,p=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=4194304,t=1,p=1$\(salt)$\(hash)",  // 4 GiB: over the limit
            "argon2$argon2id$v=19$m=64,t=1000,p=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=64,t=1,p=1$c2FsdA$\(hash)",  // 4-byte salt
            "argon2$argon2id$v=19$m=64,t=1,p=1$\(salt)$aGFz",  // 3-byte hash
            "argon2$argon2id$v=19$m=64,t=1,p=1$\(salt)$\(hash.dropLast())B",  // non-zero unused bits
            "argon2$argon2id$v=19$m=64,t=1,p=1$\(salt)$\(hash)$",
            "argon2$argon2id$v=19$m=64,t=1,p=1$\(salt)",
            "argon2$argon2id$$m=64,t=1,p=1$\(salt)$\(hash)",
            "argon2$argon2id$v=19$m=６4,t=1,p=1$\(salt)$\(hash)",
            "argon2$garbage", "argon2$", "argon2", "",
        ]
        for encoded in hostile {
            #expect(!cheap.verify(password: "pw", encoded: encoded), "\(encoded)")
        }
    }

    @Test("version 16 hashes (no v=) verify")
    func version16() throws {
        let v16 = try #require(Self.vectors?.cases.first { $0.encoded.contains("$v=16$") && $0.verifies })
        #expect(Argon2PasswordHasher().verify(password: v16.password, encoded: v16.encoded))
        let withoutV = v16.encoded.replacingOccurrences(of: "$v=16$", with: "$")
        #expect(Argon2PasswordHasher().verify(password: v16.password, encoded: withoutV))
        #expect(Argon2PasswordHasher().mustUpdate(encoded: withoutV))
    }

    @Test("a user with an argon2 hash logs in, and the hash is upgraded to the preferred hasher")
    func loginUpgrades() async throws {
        let stored = try Argon2PasswordHasher(timeCost: 1, memoryCost: 64, parallelism: 1).makePassword("s3cret")
        // pbkdf2_sha256 preferred (Django's default): upgraded to it after the check.
        let hashers = PasswordHashers(
            preferred: CheapHashers.pbkdf2, others: [Argon2PasswordHasher()], pool: PasswordTestPool.pool,
            logger: .quietPasswords)
        let upgraded = LockedBox<String?>(nil)
        #expect(await hashers.checkPassword("s3cret", encoded: stored) { hash in upgraded.update { $0 = hash } })
        let newHash = try #require(upgraded.value)
        #expect(newHash.hasPrefix("pbkdf2_sha256$1000$"))
        #expect(CheapHashers.pbkdf2.verify(password: "s3cret", encoded: newHash))
        // A wrong password neither logs in nor upgrades.
        let untouched = LockedBox<String?>(nil)
        #expect(!(await hashers.checkPassword("s3cre", encoded: stored) { hash in untouched.update { $0 = hash } }))
        #expect(untouched.value == nil)

        // argon2 preferred: other argon2 parameters (and other algorithms) move to the preferred ones.
        let preferred = Argon2PasswordHasher(timeCost: 2, memoryCost: 128, parallelism: 2)
        let argon2First = PasswordHashers(
            preferred: preferred, others: [CheapHashers.pbkdf2], pool: PasswordTestPool.pool, logger: .quietPasswords)
        let reencoded = LockedBox<String?>(nil)
        #expect(await argon2First.checkPassword("s3cret", encoded: stored) { hash in reencoded.update { $0 = hash } })
        let argon2Hash = try #require(reencoded.value)
        #expect(argon2Hash.hasPrefix("argon2$argon2id$v=19$m=128,t=2,p=2$"))
        #expect(!argon2First.needsUpgrade(argon2Hash))
        let fromPBKDF2 = LockedBox<String?>(nil)
        let pbkdf2Hash = try CheapHashers.pbkdf2.makePassword("s3cret")
        #expect(await argon2First.checkPassword("s3cret", encoded: pbkdf2Hash) { hash in fromPBKDF2.update { $0 = hash } })
        #expect(fromPBKDF2.value?.hasPrefix("argon2$argon2id$v=19$m=128,t=2,p=2$") == true)
        #expect(try await argon2First.makePassword("x").hasPrefix("argon2$argon2id$"))
    }
}

