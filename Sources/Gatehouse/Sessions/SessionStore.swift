public import Foundation

/// What a ``SessionStore`` keeps under a session key: the session's data (as Django keeps it,
/// including Django's and Gatehouse's own `_`-prefixed keys) and when the row stops being valid.
///
/// ```swift
/// let record = SessionRecord(data: ["_auth_user_id": "42"], expireDate: now.addingTimeInterval(3600))
/// let key = try await store.create(record)
/// ```
public struct SessionRecord: Sendable, Hashable {
    /// The session dictionary.
    ///
    /// ```swift
    /// record.data["_auth_user_id"]?.stringValue
    /// ```
    public var data: [String: JSONValue]

    /// The first moment the row is no longer valid (`django_session.expire_date`).
    ///
    /// ```swift
    /// record.expireDate > clock.now()
    /// ```
    public var expireDate: Date

    /// Creates a record.
    ///
    /// ```swift
    /// SessionRecord(data: [:], expireDate: .distantFuture)
    /// ```
    public init(data: [String: JSONValue], expireDate: Date) {
        self.data = data
        self.expireDate = expireDate
    }
}

/// Where server-side sessions are kept (Django's `django_session`).
///
/// Every method first checks the key with ``SessionKey/isValid(_:)``; an invalid key gets `nil` or
/// `false` without touching storage. Nothing but ``create(_:)`` adds a row, and it always picks the key
/// itself, so a key chosen by a client can never become a session (no session fixation). Stores throw
/// only when their storage fails, never because of a key or stored data; unreadable data (tampered
/// with, signed under an unknown key, malformed) loads as `nil`.
///
/// ```swift
/// let key = try await store.create(SessionRecord(data: ["cart": [1, 2]], expireDate: expiry))
/// if let record = try await store.load(key: key, now: clock.now()) { print(record.data) }
/// _ = try await store.delete(key: key)
/// ```
public protocol SessionStore: Sendable {
    /// The record under `key` if it exists, is readable and `expireDate` is after `now`.
    func load(key: String, now: Date) async throws -> SessionRecord?

    /// Saves `record` under a new unique key (32 random characters of `a-z0-9`, another one tried on
    /// a collision) and returns the key.
    func create(_ record: SessionRecord) async throws -> String

    /// Replaces the record under an existing `key`; `false` (and nothing written) when there is no
    /// such row, for example because another request deleted the session (Django's `UpdateError`).
    func save(key: String, _ record: SessionRecord) async throws -> Bool

    /// Deletes the row under `key`; whether there was one.
    func delete(key: String) async throws -> Bool

    /// Whether a row exists under `key`, expired or not.
    func exists(key: String) async throws -> Bool

    /// Deletes every row whose `expireDate` is before `now` (Django's `clearsessions`) and returns how
    /// many.
    func clearExpired(now: Date) async throws -> Int

    /// Whether a row exists under `key` and its `expireDate` is after `now`, without reading its data
    /// (so without needing the signing keys). The default loads the record.
    func isLive(key: String, now: Date) async throws -> Bool
}

extension SessionStore {
    /// Whether ``load(key:now:)`` finds the record.
    public func isLive(key: String, now: Date) async throws -> Bool {
        try await load(key: key, now: now) != nil
    }
}

/// How many keys ``SessionStore/create(_:)`` implementations try before giving up.
///
/// ```swift
/// for _ in 0..<SessionStoreLimits.createAttempts { ... }
/// ```
public enum SessionStoreLimits {
    /// Tries before ``StoreError/unavailable(_:)``: a collision of 32 random characters is
    /// astronomically unlikely, so repeated collisions mean a broken key generator.
    ///
    /// ```swift
    /// SessionStoreLimits.createAttempts   // 10
    /// ```
    public static let createAttempts = 10
}
