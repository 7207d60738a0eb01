public import Logging
import Foundation
import SQLKit

/// Applies Gatehouse's migrations to a database and records them in `gatehouse_migrations`.
///
/// Running it again applies only what is new. On a database that Django already migrated it leaves
/// Django's tables as they are.
///
/// ```swift
/// let applied = try await MigrationRunner(provider: provider).migrate()
/// print("applied:", applied)
/// ```
public struct MigrationRunner: Sendable {
    /// The database to migrate.
    public let provider: any SQLDatabaseProvider
    /// The migrations to apply, in order.
    public let migrations: [Migration]
    let logger: Logger

    /// Creates a runner for `migrations` (Gatehouse's own by default).
    public init(
        provider: any SQLDatabaseProvider,
        migrations: [Migration] = Migration.all,
        logger: Logger = Logger(label: "gatehouse.migrations")
    ) {
        self.provider = provider
        self.migrations = migrations
        self.logger = logger
    }

    static let bookkeeping = "gatehouse_migrations"

    /// Applies every migration not yet recorded and returns their names.
    @discardableResult
    public func migrate() async throws -> [String] {
        let flavor = provider.flavor
        try await provider.write { db in
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS \(ident: Self.bookkeeping) (\
                name varchar(255) NOT NULL PRIMARY KEY, \
                applied_at \(unsafeRaw: flavor == .postgres ? "timestamp with time zone" : "datetime") NOT NULL)
                """
            ).run()
        }
        var applied: [String] = []
        for migration in migrations {
            let didApply = try await provider.write { db in
                let done = try await db.raw(
                    "SELECT name FROM \(ident: Self.bookkeeping) WHERE name = \(bind: migration.name)"
                ).first()
                guard done == nil else { return false }
                for statement in migration.statements(for: flavor) {
                    try await db.raw("\(unsafeRaw: statement)").run()
                }
                let values = SQLValueCoder(flavor: flavor)
                try await db.raw(
                    "INSERT INTO \(ident: Self.bookkeeping) (name, applied_at) VALUES (\(bind: migration.name), \(values.bind(Date())))"
                ).run()
                return true
            }
            if didApply {
                logger.info("applied migration", metadata: ["migration": .string(migration.name)])
                applied.append(migration.name)
            }
        }
        if migrations.contains(where: { $0.name == GatehousePermissionVersion.name }) {
            let restored = try await provider.write { db in
                let done = Set(
                    try await db.raw(
                        """
                        SELECT name FROM \(ident: Self.bookkeeping) WHERE name IN \
                        (\(bind: GatehousePermissionVersion.name), \(bind: GatehousePermissionVersion.usersName))
                        """
                    ).all().map { try $0.decode(column: "name", as: String.self) }
                )
                guard done.contains(GatehousePermissionVersion.name) else { return [String]() }
                return try await GatehousePermissionVersion.repair(
                    db, flavor: flavor, includingUsers: done.contains(GatehousePermissionVersion.usersName)
                )
            }
            for trigger in restored where applied.isEmpty {
                logger.warning("restored a permission-version trigger (a table was rebuilt)", metadata: ["trigger": .string(trigger)])
            }
        }
        return applied
    }

    /// The names of the migrations recorded as applied, in the order they ran.
    public func appliedMigrations() async throws -> [String] {
        try await provider.read { db in
            try await db.raw("SELECT name FROM \(ident: Self.bookkeeping) ORDER BY applied_at, name").all()
        }.map { try $0.decode(column: "name", as: String.self) }
    }
}
