package import Foundation

/// A provider that reads a request's session row by a faster path than SQLKit's (SQLite: a
/// statement prepared on the calling thread; PostgreSQL: a named prepared statement), with the
/// same answer as ``SQLSessionStore``'s query: the row's data and expiry when `expire_date` is
/// after `now`, and the permission version read with it.
package protocol SessionRowReading: SQLDatabaseProvider {
    /// The unexpired row under `key`, or `nil`; `nil` from the method itself means "use SQLKit".
    func sessionRow(key: String, now: Date) async throws -> SessionRow??
}

extension SessionRowReading {
    /// The fast paths' query, with the engine's placeholders for the key and the time: the text of
    /// ``SQLSessionStore``'s SQLKit query.
    package static func sessionRowSQL(key: String, now: String) -> String {
        """
        SELECT session_data, expire_date, (SELECT version FROM gatehouse_permission_version WHERE id = 1) \
        FROM django_session WHERE session_key = \(key) AND expire_date > \(now)
        """
    }
}

extension SQLiteDatabaseProvider: SessionRowReading {
    /// Through ``SQLiteDatabaseProvider/sessionReader`` when there is one and it can answer now.
    package func sessionRow(key: String, now: Date) async throws -> SessionRow?? {
        guard let sessionReader else { return nil }
        switch sessionReader.load(key: key, now: DjangoSQLiteDate.format(now)) {
        case .none:
            return .some(nil)
        case .row(let text, let expireText, let version):
            // A date this process cannot read: the SQLKit path decides (and reports it).
            guard let expireDate = DjangoSQLiteDate.parse(expireText) else { return nil }
            return SessionRow(data: text, expireDate: expireDate, permissionVersion: UInt64(clamping: version))
        case .unavailable:
            return nil
        }
    }
}

/// One `django_session` row as ``SQLSessionStore/load(key:now:)`` needs it.
package struct SessionRow: Sendable {
    package var data: String
    package var expireDate: Date
    package var permissionVersion: UInt64

    package init(data: String, expireDate: Date, permissionVersion: UInt64) {
        self.data = data
        self.expireDate = expireDate
        self.permissionVersion = permissionVersion
    }
}
