import Foundation
import Gatehouse
import GatehousePostgres
import GatehouseSQL
import SQLKit
import GatehouseTestSupport
import Testing

/// Gatehouse's migrations must leave exactly the schema that real Django's `migrate` leaves: the same
/// tables, columns, types, nullability, column order, constraints, foreign keys and index names. The
/// expected rows come from `Tests/Fixtures/django/schema-*.json` (see scripts/django/dump_schema.py);
/// the same introspection queries run here against Gatehouse's database.
@Suite("Schema matches Django 6.1")
struct DjangoSchemaTests {
    static func rows(_ db: any SQLDatabase, _ sql: String, width: Int) async throws -> [[String?]] {
        let rows = try await db.raw("\(unsafeRaw: sql)").all()
        return try rows.map { row in
            try row.allColumns.prefix(width).map { column in
                try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self)
            }
        }
    }

    static func compare(_ dump: SchemaDump, on provider: any SQLDatabaseProvider) async throws {
        #expect(!dump.queries.isEmpty)
        for query in dump.queries {
            let actual = try await provider.read { db in
                try await rows(db, query.sql, width: query.rows.first?.count ?? 64)
            }
            #expect(actual == query.rows, "query '\(query.name)' differs from Django \(dump.django_version)")
        }
    }

    @Test func sqliteSchemaMatchesDjango() async throws {
        let dump = try SchemaDump.load("schema-sqlite.json")
        try await TestDatabases.withSQLite { provider in
            try await Self.compare(dump, on: provider)
        }
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled))
    func postgresSchemaMatchesDjango() async throws {
        let dump = try SchemaDump.load("schema-postgresql.json")
        try await TestDatabases.withPostgres { provider in
            try await Self.compare(dump, on: provider)
        }
    }

    @Test func migratingTwiceChangesNothing() async throws {
        try await TestDatabases.withSQLite { provider in
            let runner = MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger)
            #expect(try await runner.migrate().isEmpty)
            #expect(try await runner.appliedMigrations() == Migration.all.map(\.name))
            try await Self.compare(try SchemaDump.load("schema-sqlite.json"), on: provider)
        }
    }

    /// The same on PostgreSQL: Django's own DDL first, then Gatehouse's migrations add only their
    /// bookkeeping, and the schema still matches.
    @Test(.enabled(if: TestDatabases.postgresEnabled))
    func migratingADjangoPostgresDatabaseKeepsDjangosTables() async throws {
        let ddl = try DjangoDDL.loadPostgres()
        #expect(ddl.count > 20)
        try await TestDatabases.withEmptyPostgres { provider in
            try await provider.write { db in
                for statement in ddl { try await db.raw("\(unsafeRaw: statement)").run() }
                try await db.raw(
                    """
                    INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, email, \
                    is_staff, is_active, date_joined) VALUES ('!x', NULL, true, 'django-admin', 'Dj', '', 'a@b.c', true, true, \
                    '2024-01-02 03:04:05.678901+00')
                    """
                ).run()
            }
            #expect(try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate() == Migration.all.map(\.name))
            let admin = try #require(try await SQLAuthStore(provider: provider).user(username: "django-admin"))
            #expect(admin.isSuperuser && admin.firstName == "Dj")
            try await Self.compare(try SchemaDump.load("schema-postgresql.json"), on: provider)
        }
    }

    /// A database that Django migrated first (the reference DDL replayed) keeps its tables and rows;
    /// Gatehouse only adds its bookkeeping table and then reads Django's rows.
    @Test func migratingADjangoDatabaseKeepsDjangosTables() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-django-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let provider = try await SQLiteDatabaseProvider.open(
            SQLiteStorageConfiguration(path: directory.appendingPathComponent("django.sqlite3").path)
        )
        defer { Task { try? await provider.shutdown() } }
        let ddl = try DjangoDDL.load()
        try await provider.write { db in
            for statement in ddl { try await db.raw("\(unsafeRaw: statement)").run() }
            // Django's own bookkeeping, as its migrate leaves it.
            try await db.raw(
                #"CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL)"#
            ).run()
            for (app, name) in try DjangoDDL.appliedMigrations() {
                try await db.raw(
                    "INSERT INTO django_migrations (app, name, applied) VALUES (\(bind: app), \(bind: name), '2024-01-02 03:04:05.000001')"
                ).run()
            }
            try await db.raw(
                """
                INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, \
                is_active, date_joined, first_name) VALUES ('!x', NULL, 1, 'django-admin', '', 'a@b.c', 1, 1, \
                '2024-01-02 03:04:05.678901', 'Dj')
                """
            ).run()
        }
        let before = try await provider.read { db in try await Self.rows(db, "SELECT sql FROM sqlite_master ORDER BY name", width: 1) }
        #expect(try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate() == Migration.all.map(\.name))
        // Everything Gatehouse adds lives in gatehouse_* tables, plus gatehouse_pv_* triggers that
        // only advance the permission version; Django's objects are untouched.
        let after = try await provider.read { db in
            try await Self.rows(
                db, "SELECT sql FROM sqlite_master WHERE tbl_name NOT LIKE 'gatehouse_%' AND name NOT LIKE 'gatehouse_pv_%' ORDER BY name",
                width: 1
            )
        }
        #expect(before == after)
        let triggers = try await provider.read { db in
            try await Self.rows(db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name", width: 1)
        }
        #expect(triggers.count == 26)
        #expect(triggers.allSatisfy { ($0.first ?? nil)?.contains(#"BEGIN UPDATE "gatehouse_permission_version" SET "version" = "version" + 1 WHERE "id" = 1; END"#) == true })
        let admin = try #require(try await SQLAuthStore(provider: provider).user(username: "django-admin"))
        #expect(admin.isSuperuser && admin.firstName == "Dj")
        #expect(abs(admin.dateJoined.timeIntervalSince1970 - 1_704_164_645.678901) < 0.000_001)
        let recorded = try await provider.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM django_migrations").first()?.decode(column: "n", as: Int.self)
        }
        #expect(recorded == (try DjangoDDL.appliedMigrations()).count, "Django's own records are left as they are")
        try await Self.compare(try SchemaDump.load("schema-sqlite.json"), on: provider)
    }
}

/// The `CREATE` statements Django ran, from the dump's `reference_ddl`.
enum DjangoDDL {
    /// PostgreSQL's `pg_dump --schema-only` lines joined back into statements.
    static func loadPostgres() throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Fixtures.data("django/schema-postgresql.json"))
        guard let dump = object as? [String: Any], let reference = dump["reference_ddl"] as? [String: Any],
            let lines = reference["final_schema"] as? [String]
        else { return [] }
        let text = lines.filter { !$0.hasPrefix("\\") && !$0.hasPrefix("--") && !$0.hasPrefix("SET ") && !$0.contains("set_config") }
            .joined(separator: "\n")
        return text.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty }
    }

    /// The `(app, name)` pairs Django recorded in `django_migrations`.
    static func appliedMigrations() throws -> [(String, String)] {
        let object = try JSONSerialization.jsonObject(with: Fixtures.data("django/schema-sqlite.json"))
        guard let dump = object as? [String: Any], let rows = dump["applied_migrations"] as? [[String]] else { return [] }
        return rows.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }

    static func load() throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Fixtures.data("django/schema-sqlite.json"))
        guard let dump = object as? [String: Any] else { return [] }
        let reference = dump["reference_ddl"]
        if let statements = reference as? [String] { return statements }
        if let nested = reference as? [String: Any] {
            for key in ["final_schema", "sqlite_master", "statements"] {
                if let statements = nested[key] as? [String] { return statements }
                if let rows = nested[key] as? [[String: Any]] {
                    return rows.compactMap { $0["sql"] as? String }
                }
            }
        }
        return []
    }
}
