public import Foundation

/// A ``SessionStore`` in memory: for tests and single-process servers that can lose their sessions on
/// restart.
///
/// It follows the same rules as ``SessionStore`` documents for every store: invalid keys are refused
/// before any look-up, only ``create(_:)`` adds rows and it picks the key.
///
/// ```swift
/// let sessions = SessionManager(store: MemorySessionStore())
/// let session = try await sessions.load(cookie: request.cookieValue("sessionid"))
/// ```
public actor MemorySessionStore: SessionStore, UserSessionTracking {
    private var rows: [String: SessionRecord] = [:]
    private let makeKey: @Sendable () -> String

    /// The index of these sessions by user, kept in memory beside them.
    public nonisolated let userSessions: any UserSessionStore = MemoryUserSessionStore()

    /// Creates an empty store. `makeKey` is for tests of key collisions; keep the default otherwise.
    ///
    /// ```swift
    /// let store = MemorySessionStore()
    /// ```
    public init(makeKey: @escaping @Sendable () -> String = SessionKey.generate) {
        self.makeKey = makeKey
    }

    /// How many rows the store holds, expired or not.
    ///
    /// ```swift
    /// let count = await store.count
    /// ```
    public var count: Int { rows.count }

    /// The record under `key` when it is valid and has not expired at `now`.
    public func load(key: String, now: Date) -> SessionRecord? {
        guard SessionKey.isValid(key), let record = rows[key], record.expireDate > now else { return nil }
        return record
    }

    /// Saves `record` under a new random key.
    public func create(_ record: SessionRecord) throws -> String {
        for _ in 0..<SessionStoreLimits.createAttempts {
            let key = makeKey()
            guard SessionKey.isValid(key) else {
                throw StoreError.unavailable("the session key generator made an invalid key")
            }
            if rows[key] == nil {
                rows[key] = record
                return key
            }
        }
        throw StoreError.unavailable("no unused session key was found")
    }

    /// Replaces the record under an existing `key`.
    public func save(key: String, _ record: SessionRecord) -> Bool {
        guard SessionKey.isValid(key), rows[key] != nil else { return false }
        rows[key] = record
        return true
    }

    /// Deletes the row under `key`.
    public func delete(key: String) -> Bool {
        guard SessionKey.isValid(key) else { return false }
        return rows.removeValue(forKey: key) != nil
    }

    /// Whether a row exists under `key`.
    public func exists(key: String) -> Bool {
        SessionKey.isValid(key) && rows[key] != nil
    }

    /// Deletes the rows that expired before `now`.
    public func clearExpired(now: Date) -> Int {
        let expired = rows.filter { $0.value.expireDate < now }.map(\.key)
        for key in expired { rows.removeValue(forKey: key) }
        return expired.count
    }
}
