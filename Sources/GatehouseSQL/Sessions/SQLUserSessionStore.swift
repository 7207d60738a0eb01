public import Gatehouse
import Foundation
import SQLKit

/// The ``Gatehouse/UserSessionStore`` on Gatehouse's `gatehouse_user_session` table, for SQLite and
/// PostgreSQL alike: every server on the database lists and ends the same sessions.
///
/// Times are stored as the session table stores them (Django's UTC text on SQLite, `timestamp with
/// time zone` on PostgreSQL). ``SQLSessionStore/userSessions`` gives the one beside a session store.
///
/// ```swift
/// let userSessions = UserSessions(store: SQLUserSessionStore(provider: provider), sessions: sessionStore)
/// ```
public struct SQLUserSessionStore: UserSessionStore {
    /// Where the connections come from.
    public let provider: any SQLDatabaseProvider
    let values: SQLValueCoder

    /// Creates a store on `provider`'s migrated database.
    public init(provider: any SQLDatabaseProvider) {
        self.provider = provider
        self.values = SQLValueCoder(flavor: provider.flavor)
    }

    /// Inserts the row, or updates an existing one (keeping its creation time), in one statement.
    public func record(_ record: UserSessionRecord) async throws {
        let values = self.values
        try await provider.write { db in
            try await db.raw(
                """
                INSERT INTO gatehouse_user_session (session_key, user_id, created, last_seen, client_address, user_agent) \
                VALUES (\(bind: record.sessionKey), \(bind: record.userID), \(values.bind(record.createdAt)), \
                \(values.bind(record.lastSeenAt)), \(bind: record.clientAddress), \(bind: record.userAgent)) \
                ON CONFLICT (session_key) DO UPDATE SET user_id = excluded.user_id, last_seen = excluded.last_seen, \
                client_address = excluded.client_address, user_agent = excluded.user_agent
                """
            ).run()
        }
    }

    /// The rows of `userID`, most recently seen first.
    public func records(userID: Int64) async throws -> [UserSessionRecord] {
        let rows = try await provider.read { db in
            try await db.raw(
                """
                SELECT session_key, user_id, created, last_seen, client_address, user_agent FROM gatehouse_user_session \
                WHERE user_id = \(bind: userID) ORDER BY last_seen DESC, session_key DESC
                """
            ).all()
        }
        return try rows.map(decode)
    }

    /// Deletes the row of `sessionKey`.
    public func delete(sessionKey: String) async throws -> Bool {
        try await provider.write { db in
            try await db.raw("DELETE FROM gatehouse_user_session WHERE session_key = \(bind: sessionKey) RETURNING session_key").first() != nil
        }
    }

    /// Up to `limit` rows after `sessionKey`, in key order.
    public func records(after sessionKey: String?, limit: Int) async throws -> [UserSessionRecord] {
        let after = sessionKey ?? ""
        let rows = try await provider.read { db in
            try await db.raw(
                """
                SELECT session_key, user_id, created, last_seen, client_address, user_agent FROM gatehouse_user_session \
                WHERE session_key > \(bind: after) ORDER BY session_key LIMIT \(bind: max(0, limit))
                """
            ).all()
        }
        return try rows.map(decode)
    }

    private func decode(_ row: any SQLRow) throws -> UserSessionRecord {
        UserSessionRecord(
            sessionKey: try row.decode(column: "session_key", as: String.self),
            userID: try row.decode(column: "user_id", as: Int64.self),
            createdAt: try values.date(row, "created"),
            lastSeenAt: try values.date(row, "last_seen"),
            clientAddress: try row.decode(column: "client_address", as: String.self),
            userAgent: try row.decode(column: "user_agent", as: String.self)
        )
    }
}
