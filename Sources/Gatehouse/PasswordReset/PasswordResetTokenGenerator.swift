public import Foundation

/// Password reset tokens exactly as Django 6.1's `PasswordResetTokenGenerator` makes and checks them,
/// so a link either side sends works on the other when both share the database and `SECRET_KEY`.
///
/// A token is `<timestamp>-<hash>`: the timestamp is the number of seconds since 2001-01-01 in base
/// 36; the hash is every other hex digit of the salted HMAC-SHA256 (``SaltedHMAC``, purpose
/// ``keySalt``) of the user's id, password hash, `last_login` (to the second), the timestamp and the
/// email. So a token stops working when the password changes (it has been used), when the user logs
/// in, when the email changes, and after ``timeout``. Tokens are made with the current secret key and
/// accepted with it or any fallback (`SECRET_KEY_FALLBACKS`), compared in constant time.
///
/// ```swift
/// let tokens = PasswordResetTokenGenerator(keys: keys)
/// let token = tokens.makeToken(for: alice)
/// tokens.checkToken(token, for: alice)   // true, for 3 days or until alice logs in or changes password
/// ```
public struct PasswordResetTokenGenerator: Sendable {
    /// Django's purpose string for the HMAC key.
    public static let keySalt = "django.contrib.auth.tokens.PasswordResetTokenGenerator"
    /// Django's `PASSWORD_RESET_TIMEOUT`: 3 days, in seconds.
    public static let defaultTimeout = 259_200

    /// `SECRET_KEY` (makes tokens) and its fallbacks (still accepted).
    public var keys: SigningKeys
    /// How many seconds a token stays valid (Django's `PASSWORD_RESET_TIMEOUT`).
    public var timeout: Int
    /// Django's `TIME_ZONE`: Django counts the token timestamp on this zone's wall clock (its clock is
    /// the process's local time, which Django sets to `TIME_ZONE`). `UTC`, as `startproject` sets it,
    /// unless the Django site says otherwise; a different zone only shifts when tokens expire.
    public var timeZone: TimeZone
    /// The clock that stamps and expires tokens.
    public var clock: any WallClock

    /// The longest token worth looking at: 13 base-36 digits, a dash and 32 hex digits.
    static let maximumTokenLength = 46

    /// Creates the generator.
    public init(
        keys: SigningKeys,
        timeout: Int = PasswordResetTokenGenerator.defaultTimeout,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        clock: any WallClock = SystemWallClock()
    ) {
        self.keys = keys
        self.timeout = timeout
        self.timeZone = timeZone
        self.clock = clock
    }

    /// A token that lets `user` set a new password once, made now with the current secret key.
    public func makeToken(for user: User) -> String {
        token(for: user, timestamp: timestamp(at: clock.now()), secret: keys.signingSecret)
    }

    /// Whether `token` is a valid, unexpired token for `user` under the current key or a fallback.
    /// Anything malformed (no single dash, a timestamp that is not base 36 or too large, a wrong
    /// length, non-ASCII) is simply `false`.
    public func checkToken(_ token: String, for user: User) -> Bool {
        let bytes = token.utf8
        guard !bytes.isEmpty, bytes.count <= Self.maximumTokenLength else { return false }
        let parts = Substring(token).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let timestamp = Base36.decode(parts[0].utf8) else { return false }
        var matched = false
        for secret in keys.verificationSecrets {
            let expected = self.token(for: user, timestamp: timestamp, secret: secret)
            matched = ConstantTime.equals(Array(expected.utf8), Array(bytes)) || matched
        }
        guard matched else { return false }
        let (age, overflow) = self.timestamp(at: clock.now()).subtractingReportingOverflow(timestamp)
        return !overflow && age <= Int64(timeout)
    }

    /// Django's `_num_seconds(_now())`: whole seconds (truncated) from 2001-01-01 00:00 to `date` on
    /// the wall clock of ``timeZone``.
    package func timestamp(at date: Date) -> Int64 {
        let local = date.timeIntervalSinceReferenceDate + Double(timeZone.secondsFromGMT(for: date))
        guard local.isFinite, abs(local) < 9e18 else { return 0 }
        return Int64(local.rounded(.towardZero))
    }

    /// Django's `_make_token_with_timestamp`.
    package func token(for user: User, timestamp: Int64, secret: [UInt8]) -> String {
        let digest = SaltedHMAC.digest(
            keySalt: Self.keySalt, value: Array(Self.hashValue(for: user, timestamp: timestamp).utf8), secret: secret,
            algorithm: .sha256
        )
        // Every other hex digit: the high nibble of each byte.
        let hex = Array("0123456789abcdef".utf8)
        let short = digest.map { hex[Int($0 >> 4)] }
        return (Base36.encode(timestamp) ?? "0") + "-" + String(decoding: short, as: UTF8.self)
    }

    /// Django's `_make_hash_value`: id, password hash, `last_login` (`YYYY-MM-DD HH:MM:SS` in UTC,
    /// microseconds dropped; empty when never), timestamp and email, run together.
    package static func hashValue(for user: User, timestamp: Int64) -> String {
        "\(user.id)\(user.password)\(lastLoginText(user.lastLogin))\(timestamp)\(user.email)"
    }

    /// `str(last_login.replace(microsecond=0, tzinfo=None))` for an aware UTC `last_login`.
    package static func lastLoginText(_ date: Date?) -> String {
        guard let date else { return "" }
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard micros.isFinite, abs(micros) < 9e18 else { return ISODateTime.format(date, separator: UInt8(ascii: " "), suffix: "") }
        let whole = Int64(micros)
        var seconds = whole / 1_000_000
        if whole % 1_000_000 < 0 { seconds -= 1 }
        return ISODateTime.format(Date(timeIntervalSince1970: Double(seconds)), separator: UInt8(ascii: " "), suffix: "")
    }
}
