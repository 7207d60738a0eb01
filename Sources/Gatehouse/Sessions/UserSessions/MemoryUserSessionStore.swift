import Foundation

/// A ``UserSessionStore`` in memory, for tests and single-process uses (the one a
/// ``MemorySessionStore`` comes with).
///
/// ```swift
/// let index = MemoryUserSessionStore()
/// ```
public actor MemoryUserSessionStore: UserSessionStore {
    private var rows: [String: UserSessionRecord] = [:]

    /// An empty store.
    public init() {}

    /// How many rows there are.
    public var count: Int { rows.count }

    /// Inserts or updates the row of `record.sessionKey`, keeping an existing row's creation time.
    public func record(_ record: UserSessionRecord) {
        var stored = record
        if let existing = rows[record.sessionKey] { stored.createdAt = existing.createdAt }
        rows[record.sessionKey] = stored
    }

    /// The rows of `userID`, most recently seen first.
    public func records(userID: Int64) -> [UserSessionRecord] {
        rows.values.filter { $0.userID == userID }.sorted { ($0.lastSeenAt, $0.sessionKey) > ($1.lastSeenAt, $1.sessionKey) }
    }

    /// Deletes the row of `sessionKey`.
    public func delete(sessionKey: String) -> Bool {
        rows.removeValue(forKey: sessionKey) != nil
    }

    /// Up to `limit` rows after `sessionKey`, in key order.
    public func records(after sessionKey: String?, limit: Int) -> [UserSessionRecord] {
        let keys = rows.keys.filter { key in sessionKey.map { key > $0 } ?? true }.sorted().prefix(max(0, limit))
        return keys.compactMap { rows[$0] }
    }
}
