public import Gatehouse
public import Foundation
public import Logging
import SQLKit

/// The ``Gatehouse/SessionStore`` on Django's `django_session` table, for SQLite and PostgreSQL alike.
///
/// Rows are exactly what Django's database session backend writes: `session_data` is
/// ``Gatehouse/SessionDataCodec`` text under the same `SECRET_KEY` (read with `SECRET_KEY_FALLBACKS`
/// too) and `expire_date` is a `timestamp with time zone` on PostgreSQL and Django's UTC text on
/// SQLite, so Django and Gatehouse can share sessions in one database. Keys are checked with
/// ``Gatehouse/SessionKey/isValid(_:)`` before any query. A row whose data does not verify or parse
/// loads as `nil` (logged as a warning without the key or data, like Django's "Session data
/// corrupted") and is left in place.
///
/// ```swift
/// let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: "gatehouse.sqlite3"))
/// try await MigrationRunner(provider: provider).migrate()
/// let sessions = SessionManager(store: SQLSessionStore(provider: provider, keys: keys))
/// ```
public struct SQLSessionStore: SessionStore, PermissionVersionObserving {
    /// Where the connections come from.
    ///
    /// ```swift
    /// store.provider.flavor == .sqlite
    /// ```
    public let provider: any SQLDatabaseProvider

    /// How `session_data` is signed and encoded.
    ///
    /// ```swift
    /// let data = try store.codec.decode(sessionDataColumn)
    /// ```
    public let codec: SessionDataCodec

    /// The timestamps inside `session_data` (Django stamps the save time and never checks it).
    ///
    /// ```swift
    /// SQLSessionStore(provider: provider, keys: keys, clock: SystemWallClock())
    /// ```
    public let clock: any WallClock
    let values: SQLValueCoder
    let makeKey: @Sendable () -> String
    let logger: Logger
    /// `provider` when it reads session rows itself, cast once (a cast on every load costs).
    private let rowReader: (any SessionRowReading)?

    /// Creates a store on `provider`'s migrated database, encoding data under `keys`. `makeKey` is for
    /// tests of key collisions; keep the default otherwise.
    ///
    /// ```swift
    /// let store = SQLSessionStore(provider: provider, keys: try SigningKeys(secretKey: secret))
    /// ```
    public init(
        provider: any SQLDatabaseProvider,
        keys: SigningKeys,
        signing: SigningConfiguration = SigningConfiguration(),
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "gatehouse.sessions"),
        makeKey: @escaping @Sendable () -> String = SessionKey.generate
    ) {
        self.provider = provider
        // Rows whose data did not change since they verified skip the HMAC and decompression.
        self.codec = SessionDataCodec(keys: keys, configuration: signing, cache: SessionDataCache())
        self.clock = clock
        self.values = SQLValueCoder(flavor: provider.flavor)
        self.makeKey = makeKey
        self.logger = logger
        self.rowReader = provider as? any SessionRowReading
    }

    /// The database's permission version, read with every session load (the provider's, shared
    /// with every ``SQLAuthStore`` on it), so that the user and permission caches can answer the
    /// rest of the request without a query.
    ///
    /// ```swift
    /// sessions.permissionVersion === store.permissionVersion   // true on one provider
    /// ```
    public var permissionVersion: PermissionVersion { provider.permissionVersion }

    /// The record under `key` when its `expire_date` is after `now` and its data verifies.
    public func load(key: String, now: Date) async throws -> SessionRecord? {
        guard SessionKey.isValid(key) else { return nil }
        let values = self.values
        if let reader = rowReader, let answer = try await reader.sessionRow(key: key, now: now) {
            guard let row = answer else { return nil }
            permissionVersion.observe(row.permissionVersion)
            return record(text: row.data, expireDate: row.expireDate)
        }
        let row = try await provider.read { db in
            try await db.raw(
                """
                SELECT session_data, expire_date, \(SQLAuthStore.permissionVersionColumn) FROM django_session \
                WHERE session_key = \(bind: key) AND expire_date > \(values.bind(now))
                """
            ).first()
        }
        guard let row else { return nil }
        permissionVersion.observe(try SQLAuthStore.decodePermissionVersion(row))
        let text = try row.decode(column: "session_data", as: String.self)
        let expireDate = try values.date(row, "expire_date")
        return record(text: text, expireDate: expireDate)
    }

    private func record(text: String, expireDate: Date) -> SessionRecord? {
        do {
            return SessionRecord(data: try codec.decode(text), expireDate: expireDate)
        } catch {
            logger.warning("session data corrupted", metadata: ["reason": "\(error)"])
            return nil
        }
    }

    /// Inserts `record` under a new random key, trying another key on a primary-key collision.
    public func create(_ record: SessionRecord) async throws -> String {
        let text = codec.encode(record.data, at: clock.now())
        let values = self.values
        for _ in 0..<SessionStoreLimits.createAttempts {
            let key = makeKey()
            guard SessionKey.isValid(key) else {
                throw StoreError.unavailable("the session key generator made an invalid key")
            }
            do {
                try await provider.write { db in
                    try await db.raw(
                        """
                        INSERT INTO django_session (session_key, session_data, expire_date) \
                        VALUES (\(bind: key), \(bind: text), \(values.bind(record.expireDate)))
                        """
                    ).run()
                }
                return key
            } catch where provider.constraintViolation(in: error) == .unique {
                continue
            }
        }
        throw StoreError.unavailable("no unused session key was found")
    }

    /// Updates the row under `key`; `false` when there is none.
    public func save(key: String, _ record: SessionRecord) async throws -> Bool {
        guard SessionKey.isValid(key) else { return false }
        let text = codec.encode(record.data, at: clock.now())
        let values = self.values
        return try await provider.write { db in
            try await db.raw(
                """
                UPDATE django_session SET session_data = \(bind: text), expire_date = \(values.bind(record.expireDate)) \
                WHERE session_key = \(bind: key) RETURNING session_key
                """
            ).first() != nil
        }
    }

    /// Deletes the row under `key`.
    public func delete(key: String) async throws -> Bool {
        guard SessionKey.isValid(key) else { return false }
        return try await provider.write { db in
            try await db.raw("DELETE FROM django_session WHERE session_key = \(bind: key) RETURNING session_key").first() != nil
        }
    }

    /// Whether a row exists under `key`, expired or not.
    public func exists(key: String) async throws -> Bool {
        guard SessionKey.isValid(key) else { return false }
        return try await provider.read { db in
            try await db.raw("SELECT 1 AS found FROM django_session WHERE session_key = \(bind: key)").first() != nil
        }
    }

    /// Deletes the rows whose `expire_date` is before `now`, in transactions of at most 5,000 rows so
    /// that requests keep being served (SQLite has one writer) and memory stays bounded however
    /// many rows expired.
    public func clearExpired(now: Date) async throws -> Int {
        try await clearExpired(now: now, batchSize: 5_000)
    }

    /// Deletes the rows whose `expire_date` is before `now`, `batchSize` rows per transaction, and
    /// returns how many it deleted.
    ///
    /// ```swift
    /// let removed = try await sessions.clearExpired(now: Date(), batchSize: 1_000)
    /// ```
    public func clearExpired(now: Date, batchSize: Int) async throws -> Int {
        let values = self.values
        let batch = max(1, batchSize)
        var total = 0
        while true {
            let removed = try await provider.write { db in
                try await db.raw(
                    """
                    DELETE FROM django_session WHERE session_key IN (\
                    SELECT session_key FROM django_session WHERE expire_date < \(values.bind(now)) LIMIT \(bind: batch)) \
                    RETURNING session_key
                    """
                ).all().count
            }
            total += removed
            if removed < batch { return total }
            await Task.yield()
        }
    }
}
