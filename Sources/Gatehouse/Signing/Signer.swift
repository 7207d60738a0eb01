/// Django's `django.core.signing.Signer`: appends `separator + signature` to a string, where the
/// signature is the unpadded URL-safe base64 of `salted_hmac(salt + "signer", value, key)`.
///
/// New signatures use ``SigningKeys/secretKey``; ``unsign(_:)`` accepts a signature made with it or any
/// fallback key, compared in constant time. Values and signatures made by Django verify here and the
/// other way round.
///
/// ```swift
/// let signer = Signer(keys: keys, salt: "myapp.unsubscribe")
/// let token = signer.sign("alice@example.com")          // "alice@example.com:<43 characters>"
/// let email = try signer.unsign(token)                   // "alice@example.com"
/// ```
public struct Signer: Sendable {
    /// Django's default salt for a `Signer`: its module and class name.
    ///
    /// ```swift
    /// Signer(keys: keys).salt == Signer.defaultSalt   // true
    /// ```
    public static let defaultSalt = "django.core.signing.Signer"

    let core: SignatureCore

    /// The secret key and fallbacks.
    ///
    /// ```swift
    /// signer.keys.fallbacks.count
    /// ```
    public var keys: SigningKeys { core.keys }

    /// The namespace of the signatures; a value signed under one salt does not verify under another.
    ///
    /// ```swift
    /// Signer(keys: keys, salt: "a").salt   // "a"
    /// ```
    public var salt: String { core.salt }

    /// The HMAC digest; SHA-256 unless given.
    ///
    /// ```swift
    /// signer.algorithm == .sha256
    /// ```
    public var algorithm: SaltedHMAC.Algorithm { core.algorithm }

    /// What separates the value from its signature; `:` unless given.
    ///
    /// ```swift
    /// signer.separator   // ":"
    /// ```
    public var separator: String { core.separator }

    /// Creates a signer with the `:` separator. A `nil` or empty salt means ``defaultSalt``, as in
    /// Django.
    ///
    /// ```swift
    /// let signer = Signer(keys: keys, salt: "myapp.invite")
    /// ```
    public init(keys: SigningKeys, salt: String? = nil, algorithm: SaltedHMAC.Algorithm = .sha256) {
        core = SignatureCore(keys: keys, salt: salt, defaultSalt: Self.defaultSalt, algorithm: algorithm, separator: ":")
    }

    /// Creates a signer with another separator; throws ``SigningError/invalidConfiguration`` when the
    /// separator is empty or made only of `A-z`, `0-9`, `-`, `_` and `=` (which Django also refuses:
    /// they occur in signatures).
    ///
    /// ```swift
    /// let signer = try Signer(keys: keys, salt: "myapp", separator: "/")
    /// ```
    public init(
        keys: SigningKeys,
        salt: String? = nil,
        algorithm: SaltedHMAC.Algorithm = .sha256,
        separator: String
    ) throws(SigningError) {
        try SignatureCore.validate(separator: separator)
        core = SignatureCore(keys: keys, salt: salt, defaultSalt: Self.defaultSalt, algorithm: algorithm, separator: separator)
    }

    /// The signature of `value` under the secret key (Django's `Signer.signature`).
    ///
    /// ```swift
    /// let signature = signer.signature("alice")   // 43 characters for SHA-256
    /// ```
    public func signature(_ value: String) -> String {
        core.signature(Array(value.utf8), secret: core.keys.signingSecret)
    }

    /// `value`, the separator and the signature.
    ///
    /// ```swift
    /// signer.sign("alice")   // "alice:<signature>"
    /// ```
    public func sign(_ value: String) -> String {
        core.sign(value)
    }

    /// The value in front of the last separator when the signature after it matches under any key;
    /// throws ``SigningError/badSignature`` otherwise (also when there is no separator).
    ///
    /// ```swift
    /// let value = try signer.unsign(token)
    /// ```
    public func unsign(_ signedValue: String) throws(SigningError) -> String {
        try core.unsign(signedValue)
    }

    /// Signs a JSON value as Django's `Signer.sign_object`: compact JSON, zlib-compressed when
    /// `compress` is set and that is shorter (marked by a leading `.`), base64, signature.
    ///
    /// ```swift
    /// let token = signer.signObject(["user": 42, "scope": "read"], compress: true)
    /// ```
    public func signObject(_ value: JSONValue, compress: Bool = false) -> String {
        core.sign(SignedObjectCoding.encode(value, compress: compress))
    }

    /// The JSON value of a token made by ``signObject(_:compress:)`` or Django's `sign_object`.
    /// Throws ``SigningError/badSignature`` for a wrong signature, ``SigningError/tooLarge(limit:)``
    /// when it would decode to more than the configured bytes, and ``SigningError/malformed``
    /// otherwise.
    ///
    /// ```swift
    /// let object = try signer.unsignObject(token)
    /// ```
    public func unsignObject(
        _ signedObject: String,
        configuration: SigningConfiguration = SigningConfiguration()
    ) throws(SigningError) -> JSONValue {
        guard signedObject.utf8.count <= configuration.maximumSignedBytes else {
            throw .tooLarge(limit: configuration.maximumDecodedBytes)
        }
        return try SignedObjectCoding.decode(core.unsign(signedObject), configuration: configuration)
    }
}

/// The HMAC, separator and key handling shared by ``Signer`` and ``TimestampSigner``.
struct SignatureCore: Sendable {
    let keys: SigningKeys
    let salt: String
    let algorithm: SaltedHMAC.Algorithm
    let separator: String
    private let separatorBytes: [UInt8]
    private let keySalt: String

    init(keys: SigningKeys, salt: String?, defaultSalt: String, algorithm: SaltedHMAC.Algorithm, separator: String) {
        self.keys = keys
        let salt = salt.flatMap { $0.isEmpty ? nil : $0 } ?? defaultSalt
        self.salt = salt
        self.algorithm = algorithm
        self.separator = separator
        self.separatorBytes = Array(separator.utf8)
        self.keySalt = salt + "signer"
    }

    /// Django refuses separators matching `^[A-z0-9-_=]*$`.
    static func validate(separator: String) throws(SigningError) {
        let unsafe = separator.unicodeScalars.allSatisfy { scalar in
            (0x41...0x7A).contains(scalar.value) || (0x30...0x39).contains(scalar.value)
                || scalar == "-" || scalar == "_" || scalar == "="
        }
        if unsafe {
            throw .invalidConfiguration("the separator is empty or made only of characters that occur in signatures")
        }
    }

    func signature<Bytes: Collection<UInt8>>(_ value: Bytes, secret: [UInt8]) -> String {
        Base64URL.encode(SaltedHMAC.digest(keySalt: keySalt, value: Array(value), secret: secret, algorithm: algorithm))
    }

    func sign(_ value: String) -> String {
        value + separator + signature(Array(value.utf8), secret: keys.signingSecret)
    }

    /// The part before the last separator, when the part after it is its signature under some key.
    func unsign(_ signedValue: String) throws(SigningError) -> String {
        let bytes = Array(signedValue.utf8)
        guard let range = Self.lastRange(of: separatorBytes, in: bytes) else { throw .badSignature }
        let value = bytes[..<range.lowerBound]
        let given = bytes[range.upperBound...]
        for secret in keys.verificationSecrets where ConstantTime.equals(Array(signature(value, secret: secret).utf8), given) {
            // The separator is ASCII or whole scalars, so the prefix is valid UTF-8.
            return String(decoding: value, as: UTF8.self)
        }
        throw .badSignature
    }

    /// Python's `str.rsplit(separator, 1)` position, on UTF-8 bytes.
    static func lastRange(of separator: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard !separator.isEmpty, bytes.count >= separator.count else { return nil }
        var start = bytes.count - separator.count
        while start >= 0 {
            if bytes[start..<start + separator.count].elementsEqual(separator) {
                return start..<start + separator.count
            }
            start -= 1
        }
        return nil
    }
}

/// Django's `sign_object` / `unsign_object` payload: JSON, optionally zlib-compressed with a `.` flag,
/// base64.
enum SignedObjectCoding {
    static func encode(_ value: JSONValue, compress: Bool) -> String {
        var data: [UInt8] = []
        DjangoJSON.write(value, into: &data)
        if compress, let compressed = Zlib.compress(data), compressed.count < data.count - 1 {
            return "." + Base64URL.encode(compressed)
        }
        return Base64URL.encode(data)
    }

    static func decode(_ payload: String, configuration: SigningConfiguration) throws(SigningError) -> JSONValue {
        var bytes = Array(payload.utf8)
        let isCompressed = bytes.first == UInt8(ascii: ".")
        if isCompressed { bytes.removeFirst() }
        guard var data = Base64URL.decode(bytes: bytes) else { throw .malformed("the payload is not URL-safe base64") }
        if isCompressed {
            data = try Zlib.decompress(data, limit: configuration.maximumDecodedBytes)
        } else if data.count > configuration.maximumDecodedBytes {
            throw .tooLarge(limit: configuration.maximumDecodedBytes)
        }
        return try DjangoJSON.parse(data, maximumDepth: configuration.maximumNestingDepth)
    }
}
