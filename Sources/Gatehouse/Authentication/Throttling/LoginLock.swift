public import Foundation

/// A key that has reached its limit of failed logins, and when it lifts.
///
/// ```swift
/// if case .locked(let lock) = outcome { headers["Retry-After"] = String(lock.retryAfterSeconds(now: clock.now())) }
/// ```
public struct LoginLock: Sendable, Hashable {
    /// The key that is locked.
    public var key: LoginFailureKey
    /// Its failures within the window.
    public var failures: Int
    /// Its limit.
    public var limit: Int
    /// When enough failures will have left the window for a login to be tried again.
    public var until: Date

    /// Creates the lock.
    public init(key: LoginFailureKey, failures: Int, limit: Int, until: Date) {
        self.key = key
        self.failures = failures
        self.limit = limit
        self.until = until
    }

    /// Whole seconds from `now` until the lock lifts, at least 1: the `Retry-After` value.
    ///
    /// ```swift
    /// lock.retryAfterSeconds(now: Date())   // 840
    /// ```
    public func retryAfterSeconds(now: Date) -> Int {
        let seconds = until.timeIntervalSince(now).rounded(.up)
        guard seconds.isFinite else { return 1 }
        return max(1, Int(min(seconds, Double(Int32.max))))
    }
}

/// What a throttled login attempt came to (see ``LoginThrottle/authenticate(_:request:using:)``).
///
/// ```swift
/// switch try await throttle.authenticate(credentials, request: facts, using: authenticator) {
/// case .authenticated(let result): try await login(result)
/// case .failed: showForm(error: "wrong username or password")
/// case .locked(let lock): refuse(retryAfter: lock.retryAfterSeconds(now: Date()))
/// case .tooManyConcurrent: refuse(retryAfter: 1)
/// }
/// ```
public enum LoginAttemptOutcome: Sendable {
    /// The credentials were right.
    case authenticated(AuthenticationResult)
    /// The credentials were wrong (counted as a failure).
    case failed
    /// A key was locked: nothing was checked, the credentials may have been right or wrong.
    case locked(LoginLock)
    /// The client's address already has its share of password checks running and waiting: nothing
    /// was checked.
    case tooManyConcurrent
}
