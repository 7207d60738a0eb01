import Foundation
public import Logging

/// Recognizes Django's argon2 hashes (`argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>`) without
/// checking them: Gatehouse has no Argon2 implementation yet.
///
/// ``verify(password:encoded:)`` always returns `false` and logs one warning saying so (with no hash,
/// salt or password in it). ``mustUpdate(encoded:)`` and ``summary(encoded:)`` read the parameters as
/// Django does, so an argon2 hash is at least identified, reported and compared with Django's
/// defaults (argon2id, version 19, time cost 2, memory 102,400 KiB, parallelism 8, 32-byte hash).
///
/// ```swift
/// let argon2 = Argon2PasswordHasher(logger: logger)
/// argon2.verify(password: "s3cret", encoded: storedArgon2Hash)   // false, and a warning is logged
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

    /// Time cost Django would use for new hashes.
    public let timeCost: Int
    /// Memory cost (KiB) Django would use for new hashes.
    public let memoryCost: Int
    /// Parallelism Django would use for new hashes.
    public let parallelism: Int
    /// Hash length in bytes Django would use for new hashes.
    public let hashLength: Int
    /// Where the "not supported" warning goes.
    public let logger: Logger

    /// Creates the hasher with the parameters of the Django site whose hashes it identifies.
    ///
    /// ```swift
    /// let argon2 = Argon2PasswordHasher(logger: Logger(label: "auth"))
    /// ```
    public init(
        timeCost: Int = Argon2PasswordHasher.defaultTimeCost,
        memoryCost: Int = Argon2PasswordHasher.defaultMemoryCost,
        parallelism: Int = Argon2PasswordHasher.defaultParallelism,
        hashLength: Int = Argon2PasswordHasher.defaultHashLength,
        logger: Logger = Logger(label: "gatehouse.passwords")
    ) {
        self.timeCost = timeCost
        self.memoryCost = memoryCost
        self.parallelism = parallelism
        self.hashLength = hashLength
        self.logger = logger
    }

    /// `argon2`.
    public var algorithm: String { "argon2" }

    /// `false`: argon2 hashes are identified, never made.
    public var canEncode: Bool { false }

    /// 22 random characters of `[a-zA-Z0-9]`, for completeness; ``encode(password:salt:)`` refuses.
    ///
    /// ```swift
    /// let salt = Argon2PasswordHasher().makeSalt()   // 22 characters
    /// ```
    public func makeSalt() -> String {
        DjangoHashFormat.makeSalt()
    }

    /// Always throws ``PasswordError/encodingNotSupported(algorithm:)``.
    ///
    /// ```swift
    /// try Argon2PasswordHasher().encode(password: "s3cret", salt: "salt")   // throws
    /// ```
    public func encode(password: String, salt: String) throws(PasswordError) -> String {
        throw .encodingNotSupported(algorithm: algorithm)
    }

    /// Always `false`, after logging that argon2 is not supported yet.
    ///
    /// ```swift
    /// Argon2PasswordHasher().verify(password: "s3cret", encoded: stored)   // false
    /// ```
    public func verify(password: String, encoded: String) -> Bool {
        logger.warning(
            "argon2 password hashes are not supported yet; the password was rejected",
            metadata: ["algorithm": "argon2"]
        )
        return false
    }

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

    /// `algorithm`, `variety`, `version`, `memory cost`, `time cost`, `parallelism`, `salt` and `hash`
    /// (both masked).
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
                .init(name: "salt", value: PasswordHashSummary.mask(decoded.salt)),
                .init(name: "hash", value: PasswordHashSummary.mask(decoded.hash)),
            ]
        )
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
