import Foundation

/// Where the sessions of each user are indexed (Gatehouse's `gatehouse_user_session` table): one
/// row per server-side session, so that a user or an administrator can list and end them.
///
/// The rows are bookkeeping beside the ``SessionStore``, which stays the only authority: a session
/// whose row here is missing still works, and a row whose session is gone means nothing
/// (``UserSessions`` ignores it and ``UserSessions/clearEnded()`` deletes it). Stores throw only when
/// their storage fails.
///
/// ```swift
/// let index: any UserSessionStore = MemoryUserSessionStore()
/// try await index.record(UserSessionRecord(sessionKey: key, userID: 42, createdAt: now, lastSeenAt: now))
/// let rows = try await index.records(userID: 42)
/// ```
public protocol UserSessionStore: Sendable {
    /// Inserts the row of `record.sessionKey`, or updates an existing one's user, last seen time,
    /// client address and user agent (its creation time stays).
    func record(_ record: UserSessionRecord) async throws

    /// The rows of `userID`, most recently seen first.
    func records(userID: Int64) async throws -> [UserSessionRecord]

    /// Deletes the row of `sessionKey`; whether there was one.
    func delete(sessionKey: String) async throws -> Bool

    /// Up to `limit` rows whose session key sorts after `sessionKey` (from the first with `nil`), in
    /// key order: for walking the whole table in pages.
    func records(after sessionKey: String?, limit: Int) async throws -> [UserSessionRecord]
}

/// A ``SessionStore`` that comes with the ``UserSessionStore`` indexing its sessions (the SQL store's
/// is `gatehouse_user_session` in the same database; ``MemorySessionStore`` keeps one in memory), so
/// that an application gets the sessions page without configuring anything.
///
/// ```swift
/// if let index = (sessionStore as? any UserSessionTracking)?.userSessions { ... }
/// ```
public protocol UserSessionTracking: Sendable {
    /// The index of this store's sessions by user.
    var userSessions: any UserSessionStore { get }
}
