// bcrypt through hummingbird-auth's published `HummingbirdBcrypt` product only (`Bcrypt.hash`,
// `Bcrypt.verify`); its C module is an internal target of that package. What the published API cannot
// do, and why Gatehouse does without it, is in docs/dependencies.md ("bcrypt").
import Crypto
import HummingbirdBcrypt

/// The bcrypt work shared by ``BCryptSHA256PasswordHasher`` and ``BCryptPasswordHasher``: strict parsing
/// of `$2b$12$<53 characters>` strings, salts, and hashing a key with a stored setting.
struct BCryptCore: Sendable, Hashable {
    /// `bcrypt_sha256` or `bcrypt`.
    let algorithm: String
    /// Whether the password is replaced by the lowercase hex SHA-256 of its UTF-8 bytes first.
    let prehash: Bool
    /// log2 rounds for new hashes.
    let cost: Int
    /// The largest cost a stored hash may have and still be checked.
    let maximumCost: Int

    /// bcrypt's own base64 alphabet.
    static let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    /// Costs bcrypt accepts at all.
    static let costRange = 4...31
    /// The longest key bcrypt reads.
    static let maximumKeyBytes = 72

    /// A parsed `$2x$NN$` + 22 salt characters (+ 31 checksum characters for a full hash).
    struct Setting {
        /// `a`, `b` or `y`.
        var minor: UInt8
        var cost: Int
        /// The 22 salt characters.
        var salt: ArraySlice<UInt8>
        /// The 31 checksum characters, empty for a bare salt.
        var checksum: ArraySlice<UInt8>

        /// Parses exactly a 29-character salt (`withChecksum == false`) or a 60-character hash.
        init?(_ text: some StringProtocol, withChecksum: Bool) {
            let bytes = Array(text.utf8)
            guard bytes.count == (withChecksum ? 60 : 29),
                bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
                [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
                bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
                let tens = Self.digit(bytes[4]), let ones = Self.digit(bytes[5])
            else { return nil }
            guard bytes[7...].allSatisfy({ BCryptCore.alphabet.contains($0) }) else { return nil }
            // 22 characters carry 132 bits for a 128-bit salt: the last one's low 4 bits must be zero
            // (Python's bcrypt refuses other salts; the C code would silently re-encode them).
            guard let last = BCryptCore.alphabet.firstIndex(of: bytes[28]), last & 0x0F == 0 else { return nil }
            self.minor = bytes[2]
            self.cost = tens * 10 + ones
            self.salt = bytes[7..<29]
            self.checksum = bytes[29...]
        }

        /// The parsed text as hummingbird-auth's `Bcrypt.verify` reads it: `$2y$` as `$2b$` (the same
        /// algorithm, a name the C code does not know); `$2a$` and `$2b$` unchanged.
        var published: String {
            var bytes = [UInt8(ascii: "$"), UInt8(ascii: "2"), minor == UInt8(ascii: "y") ? UInt8(ascii: "b") : minor]
            bytes += Array("$\(String(format2: cost))$".utf8)
            bytes += salt
            bytes += checksum
            return String(decoding: bytes, as: UTF8.self)
        }

        private static func digit(_ byte: UInt8) -> Int? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
        }
    }

    // MARK: Salts

    /// `$2b$<cost>$` + 22 characters encoding 16 random bytes, as Python's `bcrypt.gensalt(cost)`.
    func makeSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "$2b$\(String(format2: cost))$" + Self.encodeBase64(raw)
    }

    /// bcrypt's unpadded base64 of `bytes`.
    static func encodeBase64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let c1 = bytes[index]
            index += 1
            out.append(alphabet[Int(c1 >> 2)])
            var carry = (c1 & 0x03) << 4
            guard index < bytes.count else {
                out.append(alphabet[Int(carry)])
                break
            }
            let c2 = bytes[index]
            index += 1
            out.append(alphabet[Int(carry | (c2 >> 4))])
            carry = (c2 & 0x0F) << 2
            guard index < bytes.count else {
                out.append(alphabet[Int(carry)])
                break
            }
            let c3 = bytes[index]
            index += 1
            out.append(alphabet[Int(carry | (c3 >> 6))])
            out.append(alphabet[Int(c3 & 0x3F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Hasher operations

    /// The bytes bcrypt hashes for `password`, or why it cannot hash them unchanged.
    func key(for password: String) -> Result<[UInt8], PasswordError> {
        let bytes = Array(password.utf8)
        if prehash {
            return .success(Array(DjangoHashFormat.hex(SHA256.hash(data: bytes)).utf8))
        }
        if bytes.contains(0) {
            return .failure(.unsupportedPassword(algorithm: algorithm, reason: "it contains a NUL character"))
        }
        if bytes.count > Self.maximumKeyBytes {
            return .failure(
                .unsupportedPassword(algorithm: algorithm, reason: "it is longer than \(Self.maximumKeyBytes) bytes")
            )
        }
        return .success(bytes)
    }

    /// A new hash of `password` at `salt`'s cost, marked with `salt`'s version (`$2a$`, `$2b$`, `$2y$`).
    ///
    /// The 22 salt characters of `salt` are checked, then replaced: hummingbird-auth's published
    /// `Bcrypt.hash` draws its own 16 random bytes (from the system's secure generator) and takes no
    /// salt, so two calls with one salt give two different hashes, each of which verifies. For the
    /// keys Gatehouse hashes (at most 72 bytes) the three versions compute the same checksum.
    func encode(password: String, salt: String) throws(PasswordError) -> String {
        guard let setting = Setting(salt, withChecksum: false),
            (Self.costRange.lowerBound...maximumCost).contains(setting.cost)
        else {
            throw .invalidSalt(algorithm: algorithm)
        }
        let key = try key(for: password).get()
        var bytes = Array(Bcrypt.hash(Self.text(key), cost: UInt8(setting.cost)).utf8)
        guard let made = Setting(String(decoding: bytes, as: UTF8.self), withChecksum: true), made.cost == setting.cost
        else { throw .hashingFailed(algorithm: algorithm) }
        bytes[2] = setting.minor
        return "\(algorithm)$" + String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `encoded` strictly, then lets `Bcrypt.verify` re-make the hash with the stored salt and
    /// cost and compare it with the stored one.
    func verify(password: String, encoded: String) -> Bool {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 1)
        guard parts.count == 2, DjangoHashFormat.isExactly(parts[0], algorithm),
            let setting = Setting(parts[1], withChecksum: true),
            (Self.costRange.lowerBound...maximumCost).contains(setting.cost),
            case .success(let key) = key(for: password)
        else { return false }
        return Bcrypt.verify(Self.text(key), hash: setting.published)
    }

    /// `key` as the C string `Bcrypt` hands to bcrypt: its bytes unchanged (``key(for:)`` has refused
    /// NUL, and the password was valid UTF-8 to begin with).
    private static func text(_ key: [UInt8]) -> String {
        String(decoding: key, as: UTF8.self)
    }

    /// Django's `decode`: `algorithm$<empty>$<algostr>$<work factor>$<data>` with a work factor Python's
    /// `int()` reads.
    private func decode(_ encoded: String) -> (workFactor: Int, data: Substring)? {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 4)
        guard parts.count == 5, DjangoHashFormat.isExactly(parts[0], algorithm),
            let workFactor = DjangoHashFormat.pythonInteger(parts[3])
        else { return nil }
        return (workFactor, parts[4])
    }

    func mustUpdate(encoded: String) -> Bool {
        guard let decoded = decode(encoded) else { return false }
        return decoded.workFactor != cost
    }

    /// Django's `harden_runtime`: 2^(cost - stored cost) - 1 more hashes at the stored cost.
    func hardenRuntime(password: String, encoded: String) {
        guard let (setting, extra) = hardening(encoded: encoded), extra > 0, case .success(let key) = key(for: password)
        else { return }
        // Each verification is one full bcrypt at the stored cost and salt, the work Django adds.
        let text = Self.text(key), published = setting.published
        for _ in 0..<extra {
            _ = Bcrypt.verify(text, hash: published)
        }
    }

    /// How many extra hashes ``hardenRuntime(password:encoded:)`` runs for `encoded`.
    func hardeningHashes(encoded: String) -> Int {
        hardening(encoded: encoded)?.extra ?? 0
    }

    private func hardening(encoded: String) -> (setting: Setting, extra: Int)? {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 1)
        guard parts.count == 2, let setting = Setting(parts[1], withChecksum: true),
            Self.costRange.contains(setting.cost), setting.cost < cost
        else { return nil }
        return (setting, (1 << min(cost - setting.cost, 20)) - 1)
    }

    func summary(encoded: String) -> PasswordHashSummary? {
        guard let decoded = decode(encoded) else { return nil }
        let data = decoded.data
        let saltEnd = data.index(data.startIndex, offsetBy: 22, limitedBy: data.endIndex) ?? data.endIndex
        return PasswordHashSummary(
            algorithm: algorithm,
            fields: [
                .init(name: "algorithm", value: algorithm),
                .init(name: "work factor", value: String(decoded.workFactor)),
                .init(name: "salt", value: PasswordHashSummary.mask(data[..<saltEnd])),
                .init(name: "checksum", value: PasswordHashSummary.mask(data[saltEnd...])),
            ]
        )
    }
}

extension String {
    /// A number in 0...99 as two digits, as bcrypt writes costs.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
