package import Foundation

/// A provider that reads a request's session row by a faster path than SQLKit's (PostgreSQL: a
/// prepared statement), with the same answer as ``SQLSessionStore``'s query: the row's data and
/// expiry when `expire_date` is after `now`, and the permission version read with it.
package protocol SessionRowReading: SQLDatabaseProvider {
    /// The unexpired row under `key`, or `nil`; `nil` from the method itself means "use SQLKit".
    func sessionRow(key: String, now: Date) async throws -> SessionRow??
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
