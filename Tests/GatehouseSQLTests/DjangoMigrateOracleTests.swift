import Foundation
import Gatehouse
import GatehousePostgres
import GatehouseSQL
import SQLKit
import GatehouseTestSupport
import Testing

/// Real Django pointed at a database Gatehouse created: `migrate --check` finds nothing to apply, and
/// `migrate` itself succeeds (it only adds Django's content types and permissions).
@Suite("Django accepts a database Gatehouse created", .enabled(if: DjangoMigrateOracle.enabled))
struct DjangoMigrateOracleTests {
    @Test func sqlite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-djm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("shared.sqlite3").path
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
        try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate()
        try await provider.shutdown()
        try DjangoMigrateOracle.expectNothingToApply(databaseURL: "sqlite:///\(path)")
        // Gatehouse's migrations are idempotent afterwards too.
        let again = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
        #expect(try await MigrationRunner(provider: again, logger: TestDatabases.migrationLogger).migrate().isEmpty)
        #expect(try await SQLAuthStore(provider: again).permission(appLabel: "auth", codename: "add_user") != nil)
        try await again.shutdown()
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled))
    func postgres() async throws {
        let admin = try DatabaseURL(try #require(TestDatabases.postgresURL))
        try await TestDatabases.withPostgres { provider in
            let name = try await provider.read { db in
                try await db.raw("SELECT current_database()::text AS name").first()?.decode(column: "name", as: String.self)
            }
            guard case .postgres(let host, let port, let user, _, _) = admin.kind, let name else {
                Issue.record("no database name")
                return
            }
            try DjangoMigrateOracle.expectNothingToApply(databaseURL: "postgres://\(user)@\(host):\(port)/\(name)")
            #expect(try await SQLAuthStore(provider: provider).permission(appLabel: "auth", codename: "add_user") != nil)
        }
    }
}

enum DjangoMigrateOracle {
    static let python = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_DJANGO_PYTHON"]
    static var enabled: Bool {
        if python == nil {
            print("note: skipped the Django migrate check: GATEHOUSE_TEST_DJANGO_PYTHON is not set (CI sets it)")
            return false
        }
        return true
    }

    static func manage(_ arguments: [String], databaseURL: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/false")
        process.arguments = [Fixtures.root.deletingLastPathComponent().appendingPathComponent("../scripts/django/manage.py").standardized.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ORACLE_DB_URL"] = databaseURL
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func expectNothingToApply(databaseURL: String) throws {
        let check = try manage(["migrate", "--check", "--no-input"], databaseURL: databaseURL)
        #expect(check.status == 0, "Django sees unapplied migrations: \(check.output)")
        let plan = try manage(["showmigrations", "--plan"], databaseURL: databaseURL)
        #expect(plan.status == 0 && !plan.output.contains("[ ]"), "\(plan.output)")
        let migrate = try manage(["migrate", "--no-input"], databaseURL: databaseURL)
        #expect(migrate.status == 0, "\(migrate.output)")
        #expect(migrate.output.contains("No migrations to apply"), "\(migrate.output)")
    }
}
