/// Why a password could not be hashed.
///
/// Descriptions name the rule that was broken and, at most, an algorithm name or a limit: never the
/// password, a salt or a hash, so errors are safe to log.
///
/// ```swift
/// do {
///     user.password = try await hashers.makePassword(newPassword)
/// } catch let error where error == .busy {
///     // answer 503 and let the client retry
/// }
/// ```
public struct PasswordError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case tooLong(maximumBytes: Int)
        case busy
        case cancelled
        case poolShutDown
        case encodingNotSupported(algorithm: String)
        case unknownAlgorithm(String)
        case invalidSalt(algorithm: String)
        case unsupportedPassword(algorithm: String, reason: String)
        case hashingFailed(algorithm: String)
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// The password has more than `maximumBytes` UTF-8 bytes; nothing was hashed.
    ///
    /// ```swift
    /// if error == .tooLong(maximumBytes: PasswordHashers.maximumPasswordBytes) { ... }
    /// ```
    public static func tooLong(maximumBytes: Int) -> PasswordError { PasswordError(.tooLong(maximumBytes: maximumBytes)) }

    /// The hashing pool already has its maximum number of jobs waiting; try again later.
    ///
    /// ```swift
    /// if error == .busy { response.status = .serviceUnavailable }
    /// ```
    public static let busy = PasswordError(.busy)

    /// The task waiting for the hash was cancelled before the hash ran.
    ///
    /// ```swift
    /// if error == .cancelled { return }
    /// ```
    public static let cancelled = PasswordError(.cancelled)

    /// The hashing pool was shut down.
    ///
    /// ```swift
    /// if error == .poolShutDown { ... }
    /// ```
    public static let poolShutDown = PasswordError(.poolShutDown)

    /// The hasher can check `algorithm` hashes but never makes new ones (`md5`).
    ///
    /// ```swift
    /// if error == .encodingNotSupported(algorithm: "md5") { ... }
    /// ```
    public static func encodingNotSupported(algorithm: String) -> PasswordError {
        PasswordError(.encodingNotSupported(algorithm: algorithm))
    }

    /// No configured hasher has this algorithm name.
    ///
    /// ```swift
    /// if error == .unknownAlgorithm("sha1") { ... }
    /// ```
    public static func unknownAlgorithm(_ algorithm: String) -> PasswordError {
        PasswordError(.unknownAlgorithm(algorithm))
    }

    /// The salt is empty, contains `$`, or does not have the form `algorithm` needs.
    ///
    /// ```swift
    /// if error == .invalidSalt(algorithm: "pbkdf2_sha256") { ... }
    /// ```
    public static func invalidSalt(algorithm: String) -> PasswordError {
        PasswordError(.invalidSalt(algorithm: algorithm))
    }

    /// `algorithm` cannot hash this password without changing it (plain bcrypt: more than 72 bytes or
    /// a NUL character); `reason` says which rule, never the password.
    ///
    /// ```swift
    /// if error.isUnsupportedPassword { ... }
    /// ```
    public static func unsupportedPassword(algorithm: String, reason: String) -> PasswordError {
        PasswordError(.unsupportedPassword(algorithm: algorithm, reason: reason))
    }

    /// The cryptographic library refused the parameters of `algorithm`.
    ///
    /// ```swift
    /// if error == .hashingFailed(algorithm: "scrypt") { ... }
    /// ```
    public static func hashingFailed(algorithm: String) -> PasswordError {
        PasswordError(.hashingFailed(algorithm: algorithm))
    }

    /// Whether the password was refused by ``tooLong(maximumBytes:)``.
    public var isTooLong: Bool {
        if case .tooLong = base { return true }
        return false
    }

    /// Whether the error is ``unsupportedPassword(algorithm:reason:)``.
    public var isUnsupportedPassword: Bool {
        if case .unsupportedPassword = base { return true }
        return false
    }

    /// A one-line explanation that never contains the password, a salt or a hash.
    public var description: String {
        switch base {
        case .tooLong(let maximumBytes):
            "the password is longer than \(maximumBytes) UTF-8 bytes"
        case .busy:
            "too many passwords are waiting to be hashed; try again later"
        case .cancelled:
            "the password hashing job was cancelled"
        case .poolShutDown:
            "the password hashing pool is shut down"
        case .encodingNotSupported(let algorithm):
            "new \(algorithm) password hashes are not made; \(algorithm) hashes can only be checked"
        case .unknownAlgorithm(let algorithm):
            "no password hasher for the algorithm \(algorithm) is configured"
        case .invalidSalt(let algorithm):
            "the salt is not valid for \(algorithm)"
        case .unsupportedPassword(let algorithm, let reason):
            "\(algorithm) cannot hash this password: \(reason)"
        case .hashingFailed(let algorithm):
            "\(algorithm) rejected its parameters"
        }
    }
}
