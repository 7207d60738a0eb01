import Foundation
public import Logging

/// Argon2 (`argon2`), exactly as Django 6.1's `Argon2PasswordHasher` with argon2-cffi: Argon2id,
/// version 19, time cost 2, memory cost 102,400 KiB, parallelism 8 and a 32-byte hash.
///
/// Stored form: `argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>`, salt and hash in standard
/// base64 without padding (the salt is the base64 of Django's 22-character salt text). Hashes of the
/// other varieties (`argon2i`, `argon2d`) and version 1.0 hashes (no `v=`) verify too, and
/// ``mustUpdate(encoded:)`` asks for them to be replaced.
///
/// Argon2 is computed in Swift (``Argon2`` on ``Blake2b``), the lanes one after the other on the
/// calling thread. **Memory:** each hash allocates the hash's memory cost, 100 MiB at Django's
/// parameters, for as long as it runs, and frees it (wiped) afterwards. ``PasswordHashers`` runs
/// every hash on its ``PasswordHashingPool``, so the pool's width bounds the memory: at most
/// threads × memory cost at once (2 threads × 100 MiB = 200 MiB on a 2-core machine); requests
/// beyond it wait in the pool's queue. Stored hashes asking for more than ``maximumMemoryCost`` KiB
/// or ``maximumTimeCost`` passes never verify.
///
/// ```swift
/// let argon2 = Argon2PasswordHasher()
/// let encoded = try argon2.encode(password: "s3cret", salt: argon2.makeSalt())
/// argon2.verify(password: "s3cret", encoded: encoded)   // true
/// ```
public struct Argon2PasswordHasher: PasswordHasher {
    /// Django's time cost: 2.
    ///
    /// ```swift
    /// Argon2PasswordHasher(timeCost: Argon2PasswordHasher.defaultTimeCost + 1)
    /// ```
    public static let defaultTimeCost = 2
    /// Django's memory cost in KiB: 102,400.
    ///
    /// ```swift
    /// Argon2PasswordHasher(memoryCost: Argon2PasswordHasher.defaultMemoryCost / 2)
    /// ```
    public static let defaultMemoryCost = 102_400
    /// Django's parallelism: 8.
    ///
    /// ```swift
    /// Argon2PasswordHasher(parallelism: Argon2PasswordHasher.defaultParallelism)
    /// ```
    public static let defaultParallelism = 8
    /// argon2-cffi's hash length: 32 bytes.
    ///
    /// ```swift
    /// Argon2PasswordHasher(hashLength: Argon2PasswordHasher.defaultHashLength)
    /// ```
    public static let defaultHashLength = 32
    /// Argon2 version 1.3, written `v=19`.
    ///
    /// ```swift
    /// encoded.contains("$v=\(Argon2PasswordHasher.version)$")
    /// ```
    public static let version = 19
    /// The most memory a stored hash may ask for unless configured otherwise: 1,048,576 KiB (1 GiB).
    ///
    /// ```swift
    /// Argon2PasswordHasher(maximumMemoryCost: Argon2PasswordHasher.defaultMaximumMemoryCost / 4)
    /// ```
    public static let defaultMaximumMemoryCost = 1_048_576
    /// The most passes a stored hash may ask for unless configured otherwise: 32.
    ///
    /// ```swift
    /// Argon2PasswordHasher(maximumTimeCost: Argon2PasswordHasher.defaultMaximumTimeCost)
    /// ```
    public static let defaultMaximumTimeCost = 32
    /// The longest stored hash value accepted, in bytes: 1024.
    static let maximumHashLength = 1024

    /// Time cost (passes) for new hashes.
    public let timeCost: Int
    /// Memory cost (KiB) for new hashes; each running hash holds this much memory.
    public let memoryCost: Int
    /// Parallelism (lanes) for new hashes.
    public let parallelism: Int
    /// Hash length in bytes for new hashes.
    public let hashLength: Int
    /// Stored hashes asking for more memory (KiB) never verify.
    public let maximumMemoryCost: Int
    /// Stored hashes asking for more passes never verify.
    public let maximumTimeCost: Int
    /// Kept for source compatibility; nothing is logged.
    public let logger: Logger

    /// Creates the hasher. The defaults are Django's.
    ///
    /// ```swift
    /// let argon2 = Argon2PasswordHasher()
    /// let cheapForTests = Argon2PasswordHasher(timeCost: 1, memoryCost: 64, parallelism: 1)
    /// ```
    ///
    /// - Precondition: the parameters for new hashes are valid Argon2 parameters (time cost at least
    ///   1, memory cost at least 8 × parallelism, hash length at least 4) within the limits for stored
    ///   hashes.
    public init(
        timeCost: Int = Argon2PasswordHasher.defaultTimeCost,
        memoryCost: Int = Argon2PasswordHasher.defaultMemoryCost,
        parallelism: Int = Argon2PasswordHasher.defaultParallelism,
        hashLength: Int = Argon2PasswordHasher.defaultHashLength,
        maximumMemoryCost: Int = Argon2PasswordHasher.defaultMaximumMemoryCost,
        maximumTimeCost: Int = Argon2PasswordHasher.defaultMaximumTimeCost,
        logger: Logger = Logger(label: "gatehouse.passwords")
    ) {
        self.timeCost = timeCost
        self.memoryCost = memoryCost
        self.parallelism = parallelism
        self.hashLength = hashLength
        self.maximumMemoryCost = maximumMemoryCost
        self.maximumTimeCost = maximumTimeCost
        self.logger = logger
        precondition(
            isAcceptable(
                Argon2.Parameters(
                    variant: .id, timeCost: timeCost, memoryCost: memoryCost, parallelism: parallelism,
                    tagLength: hashLength)),
            "argon2 parameters are invalid or exceed the configured limits"
        )
    }

    /// `argon2`.
    public var algorithm: String { "argon2" }

    /// 22 random characters of `[a-zA-Z0-9]` (128 bits), as Django.
    ///
    /// ```swift
    /// let salt = Argon2PasswordHasher().makeSalt()   // 22 characters
    /// ```
    public func makeSalt() -> String {
        DjangoHashFormat.makeSalt()
    }

    /// `argon2$argon2id$v=19$m=<memory>,t=<time>,p=<parallelism>$<base64 salt>$<base64 hash>`, the
    /// salt's UTF-8 bytes being Argon2's salt.
    ///
    /// - Throws: ``PasswordError/invalidSalt(algorithm:)`` when `salt` contains `$` or has fewer
    ///   than 8 bytes (Argon2's minimum).
    ///
    /// ```swift
    /// try Argon2PasswordHasher().encode(password: "s3cret", salt: "GatehouseSalt0123")
    /// // "argon2$argon2id$v=19$m=102400,t=2,p=8$R2F0ZWhvdXNlU2FsdDAxMjM$..."
    /// ```
    public func encode(password: String, salt: String) throws(PasswordError) -> String {
        guard DjangoHashFormat.isValidSalt(salt), salt.utf8.count >= 8 else { throw .invalidSalt(algorithm: algorithm) }
        let parameters = Argon2.Parameters(
            variant: .id, timeCost: timeCost, memoryCost: memoryCost, parallelism: parallelism, tagLength: hashLength)
        let saltBytes = Array(salt.utf8)
        guard let tag = Argon2.hash(password: Array(password.utf8), salt: saltBytes, parameters: parameters) else {
            throw .hashingFailed(algorithm: algorithm)
        }
        return algorithm + Self.phcString(parameters: parameters, salt: saltBytes, tag: tag)
    }

    /// Reads the stored string as libargon2 does (variety, optional `v=`, `m=`, `t=`, `p=`, salt and
    /// hash in unpadded base64), recomputes the hash with those parameters and compares it in
    /// constant time. Malformed hashes, and hashes beyond ``maximumMemoryCost`` or
    /// ``maximumTimeCost``, give `false` before any memory is allocated.
    ///
    /// ```swift
    /// Argon2PasswordHasher().verify(password: "s3cret", encoded: stored)
    /// ```
    public func verify(password: String, encoded: String) -> Bool {
        guard let stored = Self.parsePHC(encoded, algorithm: algorithm), isAcceptable(stored.parameters),
            stored.salt.count >= 8
        else { return false }
        guard
            let tag = Argon2.hash(
                password: Array(password.utf8), salt: stored.salt, parameters: stored.parameters)
        else { return false }
        return ConstantTime.equals(tag, stored.tag)
    }

    /// Does nothing, as Django: an Argon2 hash's cost cannot be topped up afterwards.
    ///
    /// ```swift
    /// Argon2PasswordHasher().hardenRuntime(password: given, encoded: stored)   // returns at once
    /// ```
    public func hardenRuntime(password: String, encoded: String) {}

    /// Django's rule: `true` when the variety, version, time or memory cost, parallelism or hash length
    /// differ from this hasher's, or the salt is shorter than 128 bits.
    ///
    /// ```swift
    /// Argon2PasswordHasher().mustUpdate(encoded: "argon2$argon2i$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA")   // true
    /// ```
    public func mustUpdate(encoded: String) -> Bool {
        guard let decoded = decode(encoded) else { return false }
        let sameParameters =
            decoded.variety == "argon2id" && decoded.version == Self.version && decoded.timeCost == timeCost
            && decoded.memoryCost == memoryCost && decoded.parallelism == parallelism
            && decoded.hashLength == hashLength
        return !sameParameters || DjangoHashFormat.saltNeedsUpdate(String(repeating: "x", count: decoded.saltBytes))
    }

    /// `algorithm`, `variety`, `version`, `memory cost`, `time cost`, `parallelism`, `salt` (the salt
    /// text, decoded from base64, masked) and `hash` (the base64 text, masked), as Django's
    /// `safe_summary`.
    ///
    /// ```swift
    /// Argon2PasswordHasher().summary(encoded: stored)?["memory cost"]   // "102400"
    /// ```
    public func summary(encoded: String) -> PasswordHashSummary? {
        guard let decoded = decode(encoded) else { return nil }
        return PasswordHashSummary(
            algorithm: algorithm,
            fields: [
                .init(name: "algorithm", value: algorithm),
                .init(name: "variety", value: decoded.variety),
                .init(name: "version", value: String(decoded.version)),
                .init(name: "memory cost", value: String(decoded.memoryCost)),
                .init(name: "time cost", value: String(decoded.timeCost)),
                .init(name: "parallelism", value: String(decoded.parallelism)),
                .init(name: "salt", value: PasswordHashSummary.mask(Self.saltText(decoded.salt))),
                .init(name: "hash", value: PasswordHashSummary.mask(decoded.hash)),
            ]
        )
    }

    // MARK: The PHC string

    /// What libargon2's decoder reads from `$variety$v=..$m=..,t=..,p=..$salt$hash`.
    struct StoredHash {
        var parameters: Argon2.Parameters
        var salt: [UInt8]
        var tag: [UInt8]
    }

    /// Whether `parameters` are valid and within this hasher's limits.
    func isAcceptable(_ parameters: Argon2.Parameters) -> Bool {
        parameters.isValid && parameters.memoryCost <= maximumMemoryCost && parameters.timeCost <= maximumTimeCost
            && parameters.tagLength <= Self.maximumHashLength
    }

    /// `$argon2id$v=19$m=..,t=..,p=..$<salt>$<tag>`, as libargon2 writes it.
    static func phcString(parameters: Argon2.Parameters, salt: [UInt8], tag: [UInt8]) -> String {
        "$\(parameters.variant.name)$v=\(parameters.version)$m=\(parameters.memoryCost),t=\(parameters.timeCost),"
            + "p=\(parameters.parallelism)$\(unpaddedBase64(salt))$\(unpaddedBase64(tag))"
    }

    /// Standard base64 without `=` padding.
    static func unpaddedBase64(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Parses `<algorithm>$<variety>[$v=<n>]$m=<n>,t=<n>,p=<n>$<salt>$<hash>` with libargon2's rules:
    /// the parts in this order and nothing else, decimal digits only, base64 without padding whose
    /// unused bits are zero. Without `v=` the version is 1.0 (16).
    static func parsePHC(_ encoded: String, algorithm: String) -> StoredHash? {
        let parts = encoded.utf8.split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard parts.count == 5 || parts.count == 6, parts[0].elementsEqual(algorithm.utf8),
            let variant = Argon2.Variant.allCases.first(where: { parts[1].elementsEqual($0.name.utf8) })
        else { return nil }
        var index = 2
        var version = UInt32(Argon2.version10)
        if parts.count == 6 {
            guard parts[2].starts(with: "v=".utf8), let value = decimal(parts[2].dropFirst(2)),
                value == Int(Argon2.version10) || value == Int(Argon2.version13)
            else { return nil }
            version = UInt32(value)
            index = 3
        }
        let costs = parts[index].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard costs.count == 3, costs[0].starts(with: "m=".utf8), costs[1].starts(with: "t=".utf8),
            costs[2].starts(with: "p=".utf8),
            let memory = decimal(costs[0].dropFirst(2)), let time = decimal(costs[1].dropFirst(2)),
            let lanes = decimal(costs[2].dropFirst(2)),
            let salt = decodeUnpaddedBase64(parts[index + 1]), let tag = decodeUnpaddedBase64(parts[index + 2])
        else { return nil }
        let parameters = Argon2.Parameters(
            variant: variant, version: version, timeCost: time, memoryCost: memory, parallelism: lanes,
            tagLength: tag.count)
        return StoredHash(parameters: parameters, salt: salt, tag: tag)
    }

    /// ASCII decimal digits (at least one) fitting in 32 bits.
    private static func decimal(_ bytes: Substring.UTF8View.SubSequence) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 10 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value <= Int(UInt32.max) ? value : nil
    }

    /// Standard base64 without padding; `nil` for other characters, a length of 4k + 1, or unused
    /// trailing bits that are not zero.
    private static func decodeUnpaddedBase64(_ bytes: Substring.UTF8View.SubSequence) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            default: return nil
            }
            accumulator = (accumulator << 6 | value) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard bits <= 4, accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }

    // MARK: Decoding

    private struct Decoded {
        var variety: String
        var version: Int
        var memoryCost: Int
        var timeCost: Int
        var parallelism: Int
        var hashLength: Int
        var salt: Substring
        var saltBytes: Int
        var hash: Substring
    }

    /// The PHC string after `argon2`, read as argon2-cffi's `extract_parameters` and Django's `decode`
    /// read it: `$variety$v=19$m=..,t=..,p=..$salt$hash` (or without `v=` for version 1.0 hashes),
    /// the salt standard base64 without padding.
    private func decode(_ encoded: String) -> Decoded? {
        let head = DjangoHashFormat.split(encoded, maxSplits: 1)
        guard head.count == 2, DjangoHashFormat.isExactly(head[0], algorithm) else { return nil }
        var parts = DjangoHashFormat.split("$" + head[1])
        if parts.count == 5 { parts.insert("v=18", at: 2) }
        guard parts.count == 6, parts[0].isEmpty,
            ["argon2id", "argon2i", "argon2d"].contains(where: { DjangoHashFormat.isExactly(parts[1], $0) })
        else { return nil }
        var values: [String: Int] = [:]
        let pairs = [parts[2].unicodeScalars[...]]
            + parts[3].unicodeScalars.split(separator: ",", omittingEmptySubsequences: false)
        for pair in pairs {
            let keyValue = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard keyValue.count == 2, let value = DjangoHashFormat.pythonInteger(Substring(keyValue[1])) else { return nil }
            values[String(String.UnicodeScalarView(keyValue[0]))] = value
        }
        guard values.keys.sorted() == ["m", "p", "t", "v"],
            let version = values["v"], let memory = values["m"], let time = values["t"], let lanes = values["p"],
            let saltBytes = Self.decodedBase64Length(parts[4])
        else { return nil }
        return Decoded(
            variety: String(parts[1]), version: version, memoryCost: memory, timeCost: time, parallelism: lanes,
            hashLength: Self.unpaddedBase64ByteCount(parts[5].utf8.count), salt: parts[4], saltBytes: saltBytes,
            hash: parts[5]
        )
    }

    /// The salt as Django's `decode` gives it: the text the unpadded base64 holds.
    private static func saltText(_ base64: Substring) -> String {
        let padding = String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: String(base64) + padding) else { return String(base64) }
        return String(decoding: data, as: UTF8.self)
    }

    /// argon2-cffi's `_decoded_str_len`: the bytes unpadded base64 of `length` characters holds.
    private static func unpaddedBase64ByteCount(_ length: Int) -> Int {
        let remainder = length % 4
        return length / 4 * 3 + (remainder == 3 ? 2 : remainder == 2 ? 1 : 0)
    }

    /// The decoded length of `text` as Python's `b64decode(text + padding, validate=True)`; `nil` when
    /// it is not valid standard base64.
    private static func decodedBase64Length(_ text: Substring) -> Int? {
        let padding = String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
        return Data(base64Encoded: String(text) + padding).map(\.count)
    }
}
