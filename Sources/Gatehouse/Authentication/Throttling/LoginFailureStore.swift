public import Foundation

/// Where failed logins are counted (Gatehouse's `gatehouse_login_failure` table, or memory), shared by
/// every server on the same store so that restarts and several instances see one count.
///
/// Usernames and addresses arrive already normalized (``LoginFailureKey/normalizedUsername(_:)``,
/// ``LoginFailureKey/normalizedAddress(_:)``); stores compare them exactly. Every implementation
/// passes the same conformance suite (`LoginFailureStoreConformance`).
///
/// ```swift
/// try await store.recordFailure(username: "alice", address: "203.0.113.9", at: now, pruningBefore: now - 900)
/// let window = try await store.failures(for: .username("alice"), since: now - 900, nthNewest: 5)
/// ```
public protocol LoginFailureStore: Sendable {
    /// Records one failed login of `username` from `address` at `date`, and deletes a bounded batch
    /// (at most ``LoginFailureStoreLimits/pruneBatch``) of failures older than `cutoff`, so the store
    /// stays as small as the window needs without a separate job.
    func recordFailure(username: String, address: String, at date: Date, pruningBefore cutoff: Date) async throws

    /// The failures under `key` at or after `since`: how many, and when the `nthNewest` newest one
    /// happened (`nil` when there are fewer than `nthNewest`, or `nthNewest` is below 1).
    func failures(for key: LoginFailureKey, since: Date, nthNewest: Int) async throws -> LoginFailureWindow

    /// Every key of `kind` with failures at or after `since`, most failures first (then by key).
    func failureGroups(_ kind: LoginFailureKey.Kind, since: Date) async throws -> [LoginFailureGroup]

    /// Deletes the failures of `username` (when given) from `address` (when given); with neither,
    /// every failure. Returns how many were deleted.
    func deleteFailures(username: String?, address: String?) async throws -> Int
}

/// The failures counted under one key within the window.
///
/// ```swift
/// let locked = window.count >= limit
/// let until = window.nthNewest.map { $0 + configuration.window }
/// ```
public struct LoginFailureWindow: Sendable, Hashable {
    /// How many failures.
    public var count: Int
    /// When the n-th newest failure happened (the n asked for), if there are that many.
    public var nthNewest: Date?

    /// Creates the window.
    public init(count: Int, nthNewest: Date?) {
        self.count = count
        self.nthNewest = nthNewest
    }
}

/// One key and its failures, as ``LoginFailureStore/failureGroups(_:since:)`` lists them.
///
/// ```swift
/// for group in try await store.failureGroups(.address, since: cutoff) { print(group.key, group.count) }
/// ```
public struct LoginFailureGroup: Sendable, Hashable {
    /// The key.
    public var key: LoginFailureKey
    /// How many failures since the time asked for.
    public var count: Int
    /// The newest of them.
    public var newest: Date

    /// Creates the group.
    public init(key: LoginFailureKey, count: Int, newest: Date) {
        self.key = key
        self.count = count
        self.newest = newest
    }
}

/// Bounds shared by every ``LoginFailureStore``.
///
/// ```swift
/// LoginFailureStoreLimits.pruneBatch   // 100
/// ```
public enum LoginFailureStoreLimits {
    /// The most old failures one ``LoginFailureStore/recordFailure(username:address:at:pruningBefore:)``
    /// deletes: enough to keep up with any rate of new ones, few enough to keep each write short.
    public static let pruneBatch = 100
}
