import SQLKit

/// One step of Gatehouse's schema, with its SQL for each dialect.
///
/// Migrations run in order inside a transaction each and are recorded by name in
/// `gatehouse_migrations`. They create Django's tables only when missing (so a database that Django
/// already migrated is left as it is) and put anything of Gatehouse's own in `gatehouse_*` tables.
///
/// ```swift
/// let migration = Migration(name: "0002_gatehouse_throttle", sqlite: ["CREATE TABLE ..."], postgres: ["CREATE TABLE ..."])
/// ```
public struct Migration: Sendable, Hashable {
    /// The unique name recorded once the migration has run, such as `0001_django_auth_schema`.
    public var name: String
    /// Statements for SQLite, run in order.
    public var sqlite: [String]
    /// Statements for PostgreSQL, run in order.
    public var postgres: [String]

    /// Creates a migration.
    public init(name: String, sqlite: [String], postgres: [String]) {
        self.name = name
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// The statements for `flavor`.
    public func statements(for flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }

    /// Gatehouse's migrations, in order.
    public static let all: [Migration] = [
        DjangoAuthSchema.migration,
        GatehouseObjectPermissions.migration,
        DjangoMigrationRecords.migration,
        GatehousePermissionVersion.migration,
        GatehousePermissionVersion.usersMigration,
        GatehouseLoginFailures.migration,
        GatehouseUserSessions.migration,
        GatehouseChangeNotifications.migration,
    ]
}
