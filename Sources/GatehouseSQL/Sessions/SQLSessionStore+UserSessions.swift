public import Gatehouse
public import Foundation
import SQLKit

extension SQLSessionStore: UserSessionTracking {
    /// The ``SQLUserSessionStore`` on the same database.
    ///
    /// ```swift
    /// let sqlSessions = SQLSessionStore(provider: provider, keys: keys)
    /// let userSessions = UserSessions(store: sqlSessions.userSessions, sessions: sqlSessions)
    /// ```
    public var userSessions: any UserSessionStore { SQLUserSessionStore(provider: provider) }

    /// Whether an unexpired row exists under `key`; its data is not read, so any signing keys do.
    public func isLive(key: String, now: Date) async throws -> Bool {
        guard SessionKey.isValid(key) else { return false }
        let values = self.values
        return try await provider.read { db in
            try await db.raw(
                "SELECT 1 AS found FROM django_session WHERE session_key = \(bind: key) AND expire_date > \(values.bind(now))"
            ).first() != nil
        }
    }
}
