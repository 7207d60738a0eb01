// The OpenBSD bcrypt that HummingbirdBcrypt wraps. Its Swift API (`Bcrypt.hash(_:cost:)`) always draws
// its own salt and `Bcrypt.verify` compares with `memcmp`; calling the C function directly lets a hash
// be re-made from a stored salt (Django's `bcrypt.hashpw(password, salt)`) and compared in constant
// time. The module comes with the HummingbirdBcrypt product.
internal import CBcrypt
import Crypto

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

        private static func digit(_ byte: UInt8) -> Int? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
        }

        /// `$2x$NN$` + salt, as C characters with a terminating NUL. `$2y$` is given to the C code as
        /// `$2b$`: the two are the same algorithm, and this implementation only names the latter.
        var cSetting: [CChar] {
            let cMinor = minor == UInt8(ascii: "y") ? UInt8(ascii: "b") : minor
            var bytes: [UInt8] = [UInt8(ascii: "$"), UInt8(ascii: "2"), cMinor, UInt8(ascii: "$")]
            bytes += Array(String(format2: cost).utf8) + [UInt8(ascii: "$")]
            bytes += salt
            bytes.append(0)
            return bytes.map { CChar(bitPattern: $0) }
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

    func encode(password: String, salt: String) throws(PasswordError) -> String {
        guard let setting = Setting(salt, withChecksum: false),
            (Self.costRange.lowerBound...maximumCost).contains(setting.cost)
        else {
            throw .invalidSalt(algorithm: algorithm)
        }
        let key = try key(for: password).get()
        guard let hash = Self.hash(key: key, setting: setting) else { throw .hashingFailed(algorithm: algorithm) }
        return "\(algorithm)$\(hash)"
    }

    func verify(password: String, encoded: String) -> Bool {
        let parts = DjangoHashFormat.split(encoded, maxSplits: 1)
        guard parts.count == 2, DjangoHashFormat.isExactly(parts[0], algorithm),
            let setting = Setting(parts[1], withChecksum: true),
            (Self.costRange.lowerBound...maximumCost).contains(setting.cost),
            case .success(let key) = key(for: password),
            let hash = Self.hash(key: key, setting: setting)
        else { return false }
        return DjangoHashFormat.sameEncoding(encoded, "\(algorithm)$\(hash)")
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
        for _ in 0..<extra {
            _ = Self.hash(key: key, setting: setting)
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

    /// The 60-character bcrypt hash of `key` (which holds no NUL and at most 72 bytes, or a 64-byte
    /// hex digest) with `setting`'s cost and salt; `nil` if the C code rejects the setting.
    static func hash(key: [UInt8], setting: Setting) -> String? {
        guard costRange.contains(setting.cost), !key.contains(0) else { return nil }
        let cKey = key.map { CChar(bitPattern: $0) } + [0]
        let cSetting = setting.cSetting
        var output = [CChar](repeating: 0, count: 64)
        let status = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return c_hb_bcrypt_hashpass(cKey, cSetting, base, buffer.count)
        }
        guard status == 0 else { return nil }
        let length = output.firstIndex(of: 0) ?? output.count
        var bytes = output[..<length].map { UInt8(bitPattern: $0) }
        guard bytes.count == 60 else { return nil }
        bytes[2] = setting.minor
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// A number in 0...99 as two digits, as bcrypt writes costs.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
