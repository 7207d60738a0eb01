public import Foundation

/// Django's `django.core.signing.TimestampSigner`: like ``Signer``, with the signing time (whole
/// seconds since 1970 in ``Base62``) between the value and the signature, so ``unsign(_:maxAge:)`` can
/// refuse old signatures. The time comes from an injected ``WallClock``.
///
/// ```swift
/// let signer = TimestampSigner(keys: keys, salt: "myapp.password-reset", clock: clock)
/// let token = signer.sign("alice")                        // "alice:1r31eq:<signature>"
/// let user = try signer.unsign(token, maxAge: 3600)       // throws .expired after an hour
/// ```
public struct TimestampSigner: Sendable {
    /// Django's default salt for a `TimestampSigner`: its module and class name.
    ///
    /// ```swift
    /// TimestampSigner(keys: keys).salt == TimestampSigner.defaultSalt   // true
    /// ```
    public static let defaultSalt = "django.core.signing.TimestampSigner"

    let core: SignatureCore

    /// Where the signing time and the current time for age checks come from.
    ///
    /// ```swift
    /// signer.clock.now()
    /// ```
    public let clock: any WallClock

    /// The secret key and fallbacks.
    ///
    /// ```swift
    /// signer.keys.fallbacks.count
    /// ```
    public var keys: SigningKeys { core.keys }

    /// The namespace of the signatures.
    ///
    /// ```swift
    /// TimestampSigner(keys: keys, salt: "a").salt   // "a"
    /// ```
    public var salt: String { core.salt }

    /// The HMAC digest; SHA-256 unless given.
    ///
    /// ```swift
    /// signer.algorithm == .sha256
    /// ```
    public var algorithm: SaltedHMAC.Algorithm { core.algorithm }

    /// What separates the value, the timestamp and the signature; `:` unless given.
    ///
    /// ```swift
    /// signer.separator   // ":"
    /// ```
    public var separator: String { core.separator }

    /// Creates a signer with the `:` separator. A `nil` or empty salt means ``defaultSalt``.
    ///
    /// ```swift
    /// let signer = TimestampSigner(keys: keys, salt: "myapp.invite", clock: SystemWallClock())
    /// ```
    public init(
        keys: SigningKeys,
        salt: String? = nil,
        algorithm: SaltedHMAC.Algorithm = .sha256,
        clock: any WallClock = SystemWallClock()
    ) {
        core = SignatureCore(keys: keys, salt: salt, defaultSalt: Self.defaultSalt, algorithm: algorithm, separator: ":")
        self.clock = clock
    }

    /// Creates a signer with another separator; throws ``SigningError/invalidConfiguration`` for the
    /// separators Django refuses (see ``Signer/init(keys:salt:algorithm:separator:)``).
    ///
    /// ```swift
    /// let signer = try TimestampSigner(keys: keys, separator: "/", clock: clock)
    /// ```
    public init(
        keys: SigningKeys,
        salt: String? = nil,
        algorithm: SaltedHMAC.Algorithm = .sha256,
        separator: String,
        clock: any WallClock = SystemWallClock()
    ) throws(SigningError) {
        try SignatureCore.validate(separator: separator)
        core = SignatureCore(keys: keys, salt: salt, defaultSalt: Self.defaultSalt, algorithm: algorithm, separator: separator)
        self.clock = clock
    }

    /// The current time as Django writes it: whole seconds since 1970 (rounded down) in base 62.
    ///
    /// ```swift
    /// signer.timestamp()   // "1r31eq"
    /// ```
    public func timestamp() -> String {
        Base62.encode(Self.seconds(clock.now()))
    }

    static func seconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970.rounded(.towardZero)
        guard seconds.isFinite, seconds > -9.2e18, seconds < 9.2e18 else { return 0 }
        return Int64(seconds)
    }

    /// `value`, the separator, the timestamp, the separator and the signature of both.
    ///
    /// ```swift
    /// signer.sign("alice")   // "alice:1r31eq:<signature>"
    /// ```
    public func sign(_ value: String) -> String {
        core.sign(value + core.separator + timestamp())
    }

    /// The value of a signed string when its signature matches under any key and, if `maxAge` is given,
    /// it was signed at most `maxAge` seconds ago. Throws ``SigningError/badSignature``,
    /// ``SigningError/expired``, or ``SigningError/malformed`` for a verified value without a readable
    /// timestamp.
    ///
    /// ```swift
    /// let value = try signer.unsign(token, maxAge: 3600)
    /// ```
    public func unsign(_ signedValue: String, maxAge: TimeInterval? = nil) throws(SigningError) -> String {
        try unsignTimestamped(signedValue, maxAge: maxAge).value
    }

    /// Like ``unsign(_:maxAge:)``, also returning when the value was signed.
    ///
    /// ```swift
    /// let (value, signedAt) = try signer.unsignTimestamped(token)
    /// ```
    public func unsignTimestamped(
        _ signedValue: String,
        maxAge: TimeInterval? = nil
    ) throws(SigningError) -> (value: String, signedAt: Date) {
        let verified = Array(try core.unsign(signedValue).utf8)
        guard let range = SignatureCore.lastRange(of: Array(core.separator.utf8), in: verified) else {
            throw .malformed("the signed value has no timestamp")
        }
        guard let timestamp = Base62.decode(String(decoding: verified[range.upperBound...], as: UTF8.self)) else {
            throw .malformed("the timestamp is not a base 62 integer")
        }
        let signedAt = Date(timeIntervalSince1970: TimeInterval(timestamp))
        if let maxAge {
            let age = clock.now().timeIntervalSince1970 - TimeInterval(timestamp)
            if !(age <= maxAge) { throw .expired }
        }
        return (String(decoding: verified[..<range.lowerBound], as: UTF8.self), signedAt)
    }

    /// Signs a JSON value as Django's `signing.dumps` does (see ``Signer/signObject(_:compress:)``),
    /// with a timestamp.
    ///
    /// ```swift
    /// let token = signer.signObject(["user": 42], compress: true)
    /// ```
    public func signObject(_ value: JSONValue, compress: Bool = false) -> String {
        sign(SignedObjectCoding.encode(value, compress: compress))
    }

    /// The JSON value of a token made by ``signObject(_:compress:)`` or Django's `signing.dumps`,
    /// refused when older than `maxAge` seconds (if given) or larger than the configured limits.
    ///
    /// ```swift
    /// let object = try signer.unsignObject(token, maxAge: 86_400)
    /// ```
    public func unsignObject(
        _ signedObject: String,
        maxAge: TimeInterval? = nil,
        configuration: SigningConfiguration = SigningConfiguration()
    ) throws(SigningError) -> JSONValue {
        try unsignTimestampedObject(signedObject, maxAge: maxAge, configuration: configuration).value
    }

    /// Like ``unsignObject(_:maxAge:configuration:)``, also returning when the object was signed.
    ///
    /// ```swift
    /// let (object, signedAt) = try signer.unsignTimestampedObject(token)
    /// ```
    public func unsignTimestampedObject(
        _ signedObject: String,
        maxAge: TimeInterval? = nil,
        configuration: SigningConfiguration = SigningConfiguration()
    ) throws(SigningError) -> (value: JSONValue, signedAt: Date) {
        guard signedObject.utf8.count <= configuration.maximumSignedBytes else {
            throw .tooLarge(limit: configuration.maximumDecodedBytes)
        }
        let (payload, signedAt) = try unsignTimestamped(signedObject, maxAge: maxAge)
        return (try SignedObjectCoding.decode(payload, configuration: configuration), signedAt)
    }
}

/// Django's `signing.dumps` and `signing.loads`: JSON values signed with a ``TimestampSigner`` under
/// the salt `django.core.signing` unless another is given.
///
/// ```swift
/// let token = Signing.dumps(["user": 42], keys: keys, salt: "myapp.invite", compress: true)
/// let object = try Signing.loads(token, keys: keys, salt: "myapp.invite", maxAge: 86_400)
/// ```
public enum Signing {
    /// The salt `dumps` and `loads` use unless given one.
    ///
    /// ```swift
    /// Signing.defaultSalt   // "django.core.signing"
    /// ```
    public static let defaultSalt = "django.core.signing"

    /// A URL-safe, signed, timestamped token of `value`, compressed when `compress` is set and that is
    /// shorter.
    ///
    /// ```swift
    /// let token = Signing.dumps("hello", keys: keys)
    /// ```
    public static func dumps(
        _ value: JSONValue,
        keys: SigningKeys,
        salt: String = defaultSalt,
        compress: Bool = false,
        clock: any WallClock = SystemWallClock()
    ) -> String {
        TimestampSigner(keys: keys, salt: salt, clock: clock).signObject(value, compress: compress)
    }

    /// The value of a token made by ``dumps(_:keys:salt:compress:clock:)`` or Django, refused when the
    /// signature does not match under any key, when it is older than `maxAge` seconds (if given), or
    /// when it breaks the limits of `configuration`.
    ///
    /// ```swift
    /// let value = try Signing.loads(token, keys: keys, maxAge: 3600)
    /// ```
    public static func loads(
        _ token: String,
        keys: SigningKeys,
        salt: String = defaultSalt,
        maxAge: TimeInterval? = nil,
        configuration: SigningConfiguration = SigningConfiguration(),
        clock: any WallClock = SystemWallClock()
    ) throws(SigningError) -> JSONValue {
        try TimestampSigner(keys: keys, salt: salt, clock: clock).unsignObject(token, maxAge: maxAge, configuration: configuration)
    }
}
