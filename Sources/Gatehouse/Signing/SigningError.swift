/// Why a signed value was refused, or why a signer could not be set up.
///
/// Descriptions name the rule that failed and at most a configured limit: never the signed value, a
/// signature, a salt or a secret key, so errors are safe to log. Two errors are equal when they are the
/// same kind (``tooLarge(limit:)`` also compares the limit); the detail a ``malformed`` error carries in
/// its description does not take part in equality.
///
/// ```swift
/// do {
///     let value = try signer.unsign(cookie)
/// } catch let error as SigningError where error == .badSignature {
///     // tampered with, or signed with a key that is no longer configured
/// } catch let error as SigningError where error == .expired {
///     // older than maxAge
/// }
/// ```
public struct SigningError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case badSignature
        case expired
        case malformed
        case tooLarge(limit: Int)
        case invalidConfiguration
    }

    private let base: Base
    private let detail: String

    private init(_ base: Base, _ detail: String = "") {
        self.base = base
        self.detail = detail
    }

    /// The signature is missing or does not match under the current key or any fallback key
    /// (Django's `BadSignature`).
    ///
    /// ```swift
    /// if error == .badSignature { logger.warning("session data corrupted") }
    /// ```
    public static let badSignature = SigningError(.badSignature)

    /// The signature is valid but its timestamp is older than the allowed age (Django's
    /// `SignatureExpired`).
    ///
    /// ```swift
    /// if error == .expired { print("the link has expired: ask for a new one") }
    /// ```
    public static let expired = SigningError(.expired)

    /// The value is correctly signed (or too broken to check) but its content cannot be read: bad
    /// base64, a broken zlib stream, a bad timestamp, JSON Django would not accept, or JSON nested too
    /// deeply. Compare with ``malformed``; ``description`` says which rule failed.
    ///
    /// ```swift
    /// if error == .malformed { ... }
    /// ```
    public static let malformed = SigningError(.malformed)

    static func malformed(_ detail: String) -> SigningError { SigningError(.malformed, detail) }

    /// The decoded (decompressed) payload would be larger than `limit` bytes; decoding stopped there, so
    /// a small zip bomb cannot exhaust memory.
    ///
    /// ```swift
    /// if error == .tooLarge(limit: SigningConfiguration().maximumDecodedBytes) { ... }
    /// ```
    public static func tooLarge(limit: Int) -> SigningError { SigningError(.tooLarge(limit: limit)) }

    /// A signer or key set was configured in a way Django refuses or that would be unsafe: an empty
    /// secret key, an empty fallback key, or an unsafe separator. Compare with ``invalidConfiguration``.
    ///
    /// ```swift
    /// if error == .invalidConfiguration { fatalError("\(error)") }
    /// ```
    public static let invalidConfiguration = SigningError(.invalidConfiguration)

    static func invalidConfiguration(_ detail: String) -> SigningError { SigningError(.invalidConfiguration, detail) }

    /// Whether the error says the signature did not verify (``badSignature``) or expired
    /// (``expired``): Django's `BadSignature` and its subclass.
    ///
    /// ```swift
    /// if error.isBadSignature { logger.warning("tampered session") }
    /// ```
    public var isBadSignature: Bool {
        base == .badSignature || base == .expired
    }

    /// Equal when the kinds (and the limit of ``tooLarge(limit:)``) match.
    public static func == (lhs: SigningError, rhs: SigningError) -> Bool {
        lhs.base == rhs.base
    }

    /// Hashes the kind only, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(base)
    }

    /// A one-line explanation that never contains the value, a signature or a key.
    public var description: String {
        switch base {
        case .badSignature: "the signature does not match"
        case .expired: "the signature has expired"
        case .malformed: detail.isEmpty ? "the signed value is malformed" : "the signed value is malformed: \(detail)"
        case .tooLarge(let limit): "the decoded value would be larger than \(limit) bytes"
        case .invalidConfiguration:
            detail.isEmpty ? "the signing configuration is invalid" : "the signing configuration is invalid: \(detail)"
        }
    }
}
