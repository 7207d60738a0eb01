import Foundation
import Gatehouse
import GatehouseTesting
import Testing

/// Passwords every hasher must handle: empty, ASCII, accented, emoji, 200 characters, spaces.
let roundTripPasswords = [
    "", "password", "pässwörd Ünïcödé", "🔐🦄🔑", String(repeating: "Gatehouse-0123456789", count: 10), "  spaced  ",
    "日本語のパスワード", "p\u{0}ss",
]

@Suite("Hashers")
struct HasherRoundTripTests {
    @Test("round trip for every encoding hasher", arguments: CheapHashers.encoding.map(\.algorithm))
    func roundTrip(algorithm: String) throws {
        let hasher = try #require(CheapHashers.encoding.first { $0.algorithm == algorithm })
        for password in roundTripPasswords {
            if algorithm == "bcrypt", password.utf8.contains(0) || password.utf8.count > 72 {
                #expect(throws: PasswordError.self) { try hasher.makePassword(password) }
                continue
            }
            let encoded = try hasher.makePassword(password)
            #expect(encoded.hasPrefix(algorithm + "$"))
            #expect(hasher.verify(password: password, encoded: encoded))
            #expect(!hasher.verify(password: password + "x", encoded: encoded))
            #expect(!hasher.verify(password: String(password.dropLast()), encoded: encoded) || password.isEmpty)
            #expect(!hasher.mustUpdate(encoded: encoded))
            #expect(hasher.summary(encoded: encoded)?.algorithm == algorithm)
            // Two hashes of one password differ by their salts.
            #expect(try hasher.makePassword(password) != encoded)
        }
    }

    @Test("no normalization: case, spaces and NFC/NFD all matter")
    func noNormalization() throws {
        let hasher = CheapHashers.pbkdf2
        let encoded = try hasher.makePassword("p\u{E4}ss")
        #expect(!hasher.verify(password: "pa\u{308}ss", encoded: encoded))
        #expect(!hasher.verify(password: "P\u{E4}SS", encoded: encoded))
        #expect(!hasher.verify(password: " p\u{E4}ss", encoded: encoded))
    }

    @Test("salts: 22 characters of [a-zA-Z0-9], unique")
    func salts() {
        var seen = Set<String>()
        for hasher in [CheapHashers.pbkdf2, CheapHashers.scrypt, MD5PasswordHasher(), Argon2PasswordHasher()] as [any PasswordHasher] {
            for _ in 0..<500 {
                let salt = hasher.makeSalt()
                #expect(salt.count == 22)
                #expect(salt.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.alphanumerics.contains($0) })
                seen.insert(salt)
            }
        }
        #expect(seen.count == 2000)
    }

    @Test("bcrypt salts look like Python's gensalt and are canonical")
    func bcryptSalts() throws {
        let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var seen = Set<String>()
        for _ in 0..<500 {
            let salt = BCryptSHA256PasswordHasher().makeSalt()
            #expect(salt.hasPrefix("$2b$12$"))
            #expect(salt.count == 29)
            #expect(salt.dropFirst(7).allSatisfy(alphabet.contains))
            // The last character carries 2 bits: one of . O e u
            #expect(".Oeu".contains(salt.last ?? "x"))
            seen.insert(salt)
        }
        #expect(seen.count == 500)
        #expect(BCryptPasswordHasher(cost: 4).makeSalt().hasPrefix("$2b$04$"))
    }

    @Test("PBKDF2 reproduces RFC 6070 and Django's format")
    func pbkdf2Known() throws {
        // RFC 6070: P = "password", S = "salt", c = 2, dkLen 20 -> ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957
        let sha1 = PBKDF2PasswordHasher(digest: .sha1, iterations: 2)
        let encoded = try sha1.encode(password: "password", salt: "salt")
        let key = try #require(Data(base64Encoded: String(encoded.split(separator: "$")[3])))
        #expect(key.map { String(format: "%02x", $0) }.joined() == "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")
        #expect(encoded.hasPrefix("pbkdf2_sha1$2$salt$"))
    }

    @Test("salts with $ or empty salts are refused")
    func badSalts() {
        for hasher in [CheapHashers.pbkdf2, CheapHashers.scrypt] as [any PasswordHasher] {
            #expect(throws: PasswordError.invalidSalt(algorithm: hasher.algorithm)) { try hasher.encode(password: "p", salt: "") }
            #expect(throws: PasswordError.invalidSalt(algorithm: hasher.algorithm)) { try hasher.encode(password: "p", salt: "a$b") }
        }
        for salt in ["", "$2b$04$", "$2b$03$GatehouseFixedSaltBcru", "$2b$32$GatehouseFixedSaltBcru", "$2x$04$GatehouseFixedSaltBcru",
            "$2b$04$GatehouseFixedSaltBcrv", "$2b$04$GatehouseFixedSaltBcr!", "$2b$04$GatehouseFixedSaltBcru$"]
        {
            #expect(throws: PasswordError.self) { try CheapHashers.bcrypt.encode(password: "p", salt: salt) }
        }
    }

    @Test("md5 never makes new hashes")
    func checkOnlyHashers() {
        #expect(!MD5PasswordHasher().canEncode)
        #expect(Argon2PasswordHasher().canEncode)
        #expect(throws: PasswordError.encodingNotSupported(algorithm: "md5")) {
            try MD5PasswordHasher().encode(password: "p", salt: "GatehouseFixedSalt0123")
        }
    }

    @Test("argon2: parameters read as Django reads them, nothing logged")
    func argon2() throws {
        let capture = LogCapture()
        let argon2 = Argon2PasswordHasher(logger: capture.logger("test.capture"))
        let encoded = "argon2$argon2id$v=19$m=102400,t=2,p=8$R2F0ZWhvdXNlRml4ZWRTYWx0MDEyMw$6SxGjLNnF4b0EF3w0N3cFv+B+ebqQ4E2kdeGZOpPHRI"
        #expect(!argon2.mustUpdate(encoded: encoded))
        #expect(argon2.mustUpdate(encoded: encoded.replacingOccurrences(of: "t=2", with: "t=3")))
        #expect(argon2.mustUpdate(encoded: encoded.replacingOccurrences(of: "argon2id", with: "argon2i")))
        let summary = try #require(argon2.summary(encoded: encoded))
        #expect(summary["memory cost"] == "102400")
        #expect(summary["variety"] == "argon2id")
        // Django masks the salt text (decoded from base64) and the hash's base64.
        #expect(summary["salt"] == "Gateho" + String(repeating: "*", count: 16))
        #expect(capture.all.isEmpty)
    }

    @Test("summaries mask salts and hashes as Django does")
    func summaries() throws {
        let encoded = try PBKDF2PasswordHasher(iterations: 1_000).encode(password: "pw", salt: "GatehouseFixedSalt0123")
        let summary = try #require(CheapHashers.pbkdf2.summary(encoded: encoded))
        #expect(summary.fields.map(\.name) == ["algorithm", "iterations", "salt", "hash"])
        #expect(summary["iterations"] == "1000")
        #expect(summary["salt"] == "Gateho****************")
        #expect(summary["hash"]?.hasSuffix(String(repeating: "*", count: 38)) == true)
        #expect(MD5PasswordHasher().summary(encoded: "md5$seasalt$abcdef0123")?["salt"] == "se*****")
        let bcrypt = try CheapHashers.bcryptSHA256.makePassword("pw")
        #expect(CheapHashers.bcryptSHA256.summary(encoded: bcrypt)?["work factor"] == "4")
        let scrypt = try CheapHashers.scrypt.makePassword("pw")
        #expect(CheapHashers.scrypt.summary(encoded: scrypt)?["work factor"] == "1024")
        #expect(CheapHashers.pbkdf2.summary(encoded: "pbkdf2_sha256$x$s$h") == nil)
        #expect(PasswordHashSummary.mask("abc") == "abc")
    }
}
