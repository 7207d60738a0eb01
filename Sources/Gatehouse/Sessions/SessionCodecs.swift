public import Foundation

/// The `session_data` text of Django's database-backed sessions (`django.contrib.sessions.backends.db`
/// and `cached_db`): `signing.dumps(data, salt="django.contrib.sessions.SessionStore", compress=True)`
/// with Django's `JSONSerializer`.
///
/// Data Gatehouse encodes is accepted by Django under the same `SECRET_KEY`, and data Django encoded
/// decodes here under the same key or while that key is among the fallbacks.
///
/// ```swift
/// let codec = SessionDataCodec(keys: keys)
/// let text = codec.encode(["_auth_user_id": "42"], at: clock.now())
/// let data = try codec.decode(text)
/// ```
public struct SessionDataCodec: Sendable {
    /// The salt Django's database backends use: `"django.contrib.sessions."` followed by the session
    /// store class's `__qualname__`, which is `SessionStore` for both `db` and `cached_db`.
    ///
    /// ```swift
    /// SessionDataCodec.databaseSalt   // "django.contrib.sessions.SessionStore"
    /// ```
    public static let databaseSalt = "django.contrib.sessions.SessionStore"

    /// The secret key and fallbacks.
    ///
    /// ```swift
    /// codec.keys.fallbacks
    /// ```
    public let keys: SigningKeys

    /// The signing salt; ``databaseSalt`` unless given (a custom session store class in Django changes
    /// it).
    ///
    /// ```swift
    /// codec.salt
    /// ```
    public let salt: String

    /// Limits applied when decoding.
    ///
    /// ```swift
    /// codec.configuration.maximumDecodedBytes
    /// ```
    public let configuration: SigningConfiguration

    /// Texts already verified and decoded, so that a session loaded again with unchanged data skips
    /// the HMAC, the decompression and the JSON parsing; `nil` decodes every time.
    package let cache: SessionDataCache?

    /// Creates the codec.
    ///
    /// ```swift
    /// let codec = SessionDataCodec(keys: keys, configuration: SigningConfiguration(maximumDecodedBytes: 65_536))
    /// ```
    public init(keys: SigningKeys, salt: String = databaseSalt, configuration: SigningConfiguration = SigningConfiguration()) {
        self.init(keys: keys, salt: salt, configuration: configuration, cache: nil)
    }

    /// Creates the codec with a cache of decoded texts (the SQL session store keeps one).
    package init(keys: SigningKeys, salt: String = databaseSalt, configuration: SigningConfiguration = SigningConfiguration(), cache: SessionDataCache?) {
        self.keys = keys
        self.salt = salt
        self.configuration = configuration
        self.cache = cache
    }

    /// The signed, compressed text of `data`, timestamped `date` (Django stamps the time of the save;
    /// it does not check it when reading).
    ///
    /// ```swift
    /// let text = codec.encode(["theme": "dark"], at: clock.now())
    /// ```
    public func encode(_ data: [String: JSONValue], at date: Date) -> String {
        TimestampSigner(keys: keys, salt: salt, clock: FixedClock(date: date)).signObject(.object(data), compress: true)
    }

    /// The session dictionary of `sessionData`. Throws ``SigningError/badSignature`` when it was not
    /// signed under any of the keys with this salt, ``SigningError/tooLarge(limit:)`` past the
    /// configured size, and ``SigningError/malformed`` when it does not hold a JSON object.
    ///
    /// ```swift
    /// let data = try codec.decode(sessionDataColumn)   // django_session.session_data
    /// ```
    public func decode(_ sessionData: String) throws(SigningError) -> [String: JSONValue] {
        if let known = cache?.data(for: sessionData) { return known }
        let value = try TimestampSigner(keys: keys, salt: salt, clock: FixedClock(date: Date(timeIntervalSince1970: 0)))
            .unsignObject(sessionData, configuration: configuration)
        guard case .object(let data) = value else { throw .malformed("the session data is not a JSON object") }
        cache?.store(data, for: sessionData)
        return data
    }
}

/// The cookie value of Django's `signed_cookies` session backend: the session data itself,
/// `signing.dumps(data, salt="django.contrib.sessions.backends.signed_cookies", compress=True)`, with
/// no server-side row.
///
/// ``SessionManager`` uses it when built with ``SessionManager/init(signedCookies:configuration:clock:)``;
/// an HTTP layer can also call it directly. Anyone holding the cookie can read the data (it is signed,
/// not encrypted), and a session cannot be ended server-side before its timestamp expires: prefer a
/// ``SessionStore`` for logins.
///
/// ```swift
/// let codec = SignedCookieSessionCodec(keys: keys)
/// let cookie = codec.encode(["cart": [1, 2]], at: clock.now())
/// let (data, signedAt) = try codec.decode(cookie, now: clock.now(), maxAge: 1_209_600)
/// ```
public struct SignedCookieSessionCodec: Sendable {
    /// The salt of Django's `signed_cookies` backend.
    ///
    /// ```swift
    /// SignedCookieSessionCodec.salt   // "django.contrib.sessions.backends.signed_cookies"
    /// ```
    public static let salt = "django.contrib.sessions.backends.signed_cookies"

    /// The secret key and fallbacks.
    ///
    /// ```swift
    /// codec.keys.fallbacks
    /// ```
    public let keys: SigningKeys

    /// Limits applied when decoding.
    ///
    /// ```swift
    /// codec.configuration.maximumDecodedBytes
    /// ```
    public let configuration: SigningConfiguration

    /// Creates the codec. Cookies are small, so a limit far below the 1 MiB default is reasonable.
    ///
    /// ```swift
    /// let codec = SignedCookieSessionCodec(keys: keys, configuration: SigningConfiguration(maximumDecodedBytes: 16_384))
    /// ```
    public init(keys: SigningKeys, configuration: SigningConfiguration = SigningConfiguration()) {
        self.keys = keys
        self.configuration = configuration
    }

    /// The cookie value for `data`, signed at `date`.
    ///
    /// ```swift
    /// let cookie = codec.encode(session.data, at: clock.now())
    /// ```
    public func encode(_ data: [String: JSONValue], at date: Date) -> String {
        TimestampSigner(keys: keys, salt: Self.salt, clock: FixedClock(date: date)).signObject(.object(data), compress: true)
    }

    /// The data of a cookie value and when it was signed, refused when it was signed more than `maxAge`
    /// seconds before `now` (Django passes `SESSION_COOKIE_AGE`). A value with characters that never
    /// occur in signed cookies is refused as ``SigningError/malformed`` before any HMAC runs.
    ///
    /// ```swift
    /// let codec = SignedCookieSessionCodec(keys: keys)
    /// let (data, signedAt) = try codec.decode(cookie, now: clock.now(), maxAge: 1_209_600)
    /// ```
    public func decode(
        _ cookie: String,
        now: Date,
        maxAge: TimeInterval
    ) throws(SigningError) -> (data: [String: JSONValue], signedAt: Date) {
        guard cookie.utf8.count <= configuration.maximumSignedBytes else {
            throw .tooLarge(limit: configuration.maximumDecodedBytes)
        }
        let plausible = cookie.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"),
                UInt8(ascii: "."):
                true
            default: false
            }
        }
        guard plausible, cookie.utf8.count >= SessionKey.minimumLength else {
            throw .malformed("the cookie has characters or a length a signed session never has")
        }
        let (value, signedAt) = try TimestampSigner(keys: keys, salt: Self.salt, clock: FixedClock(date: now))
            .unsignTimestampedObject(cookie, maxAge: maxAge, configuration: configuration)
        guard case .object(let data) = value else { throw .malformed("the session data is not a JSON object") }
        return (data, signedAt)
    }
}

/// A clock stopped at one moment: signing at a given time.
struct FixedClock: WallClock {
    let date: Date
    func now() -> Date { date }
}
