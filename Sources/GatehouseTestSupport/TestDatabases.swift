import Foundation
import Gatehouse
public import GatehousePostgres
public import GatehouseSQL
public import Logging
import SQLKit

/// Fresh, migrated databases for tests: a temporary SQLite file, or a new schema-isolated PostgreSQL
/// database when `GATEHOUSE_TEST_POSTGRES_URL` is set (CI sets it; `.ci/run` starts the cluster).
public enum TestDatabases {
    /// The pool tests use: they share two cores with every other suite (CI runs them all at once),
    /// where making a connection can take longer than the production default's 5 s wait.
    public static let patientPool = PostgresPoolConfiguration(connectionTimeout: .seconds(60))

    /// Scratch databases are migrated hundreds of times in a run: their migrations log only warnings.
    public static var migrationLogger: Logger {
        var logger = Logger(label: "gatehouse.migrations")
        logger.logLevel = .warning
        return logger
    }

    public static let postgresURL = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"]

    public static var postgresEnabled: Bool {
        if postgresURL == nil {
            reportSkip("PostgreSQL", variable: "GATEHOUSE_TEST_POSTGRES_URL")
            return false
        }
        return true
    }

    private static let skipReports = SkipReports()

    public static func reportSkip(_ suite: String, variable: String) {
        if skipReports.firstReport(suite) {
            print("note: skipped the \(suite) tests: \(variable) is not set (CI sets it)")
        }
    }

    /// A migrated SQLite database in a new temporary file; `body` runs, then the file is removed.
    public static func withSQLite<T>(_ body: (SQLiteDatabaseProvider) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let provider = try await SQLiteDatabaseProvider.open(
            SQLiteStorageConfiguration(path: directory.appendingPathComponent("test.sqlite3").path)
        )
        do {
            try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate()
            let result = try await body(provider)
            try await provider.shutdown()
            return result
        } catch {
            try? await provider.shutdown()
            throw error
        }
    }

    /// A migrated PostgreSQL database made for this test and dropped afterwards.
    public static func withPostgres<T>(_ body: (PostgresDatabaseProvider) async throws -> T) async throws -> T {
        try await withEmptyPostgres { provider in
            try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate()
            return try await body(provider)
        }
    }

    /// An empty PostgreSQL database made for this test and dropped afterwards.
    public static func withEmptyPostgres<T>(_ body: (PostgresDatabaseProvider) async throws -> T) async throws -> T {
        try await withPostgresDatabase { url in
            let provider = try PostgresDatabaseProvider(url: url, pool: TestDatabases.patientPool)
            do {
                let result = try await body(provider)
                try? await provider.shutdown()
                return result
            } catch {
                try? await provider.shutdown()
                throw error
            }
        }
    }

    /// The URL of an empty PostgreSQL database made for this test and dropped afterwards (with any
    /// connections still open to it), for tests that open several providers or run the CLI.
    public static func withPostgresDatabase<T>(_ body: (DatabaseURL) async throws -> T) async throws -> T {
        guard let postgresURL else { throw TestDatabaseError.postgresNotConfigured }
        let adminURL = try DatabaseURL(postgresURL)
        let name = "gh_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))"
        let admin = try PostgresDatabaseProvider(url: adminURL, pool: TestDatabases.patientPool)
        do {
            try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
        } catch {
            try? await admin.shutdown()
            throw error
        }
        var failure: (any Error)?
        var result: T?
        do {
            result = try await body(adminURL.replacingDatabase(with: name))
        } catch {
            failure = error
        }
        try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
        try? await admin.shutdown()
        if let failure { throw failure }
        guard let result else { throw TestDatabaseError.postgresNotConfigured }
        return result
    }

    /// The path of a new SQLite file in a new temporary directory, removed afterwards, for tests
    /// that open several providers on one file or run the CLI on it.
    public static func withSQLiteFile<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory.appendingPathComponent("test.sqlite3").path)
    }
    /// Two providers on one new SQLite file, as a server and another process would have; `body`
    /// runs with (first, second), then both are shut down. Nothing is migrated.
    public static func withTwoSQLiteProviders(
        _ body: (any SQLDatabaseProvider, any SQLDatabaseProvider) async throws -> Void
    ) async throws {
        try await withSQLiteFile { path in
            let first = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
            let second: SQLiteDatabaseProvider
            do {
                second = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
            } catch {
                try? await first.shutdown()
                throw error
            }
            try await withTwo(first, second, body)
        }
    }

    /// Two providers (two connection pools, as two servers have) on one new PostgreSQL database;
    /// `body` runs with (first, second), then both are shut down. Nothing is migrated.
    public static func withTwoPostgresProviders(
        _ body: (any SQLDatabaseProvider, any SQLDatabaseProvider) async throws -> Void
    ) async throws {
        try await withPostgresDatabase { url in
            try await withTwo(try PostgresDatabaseProvider(url: url, pool: TestDatabases.patientPool), try PostgresDatabaseProvider(url: url, pool: TestDatabases.patientPool), body)
        }
    }

    private static func withTwo(
        _ first: any SQLDatabaseProvider,
        _ second: any SQLDatabaseProvider,
        _ body: (any SQLDatabaseProvider, any SQLDatabaseProvider) async throws -> Void
    ) async throws {
        var failure: (any Error)?
        do { try await body(first, second) } catch { failure = error }
        try? await second.shutdown()
        try? await first.shutdown()
        if let failure { throw failure }
    }
}

public enum TestDatabaseError: Error {
    case postgresNotConfigured
}

final class SkipReports: @unchecked Sendable {
    private let lock = NSLock()
    private var reported: Set<String> = []

    func firstReport(_ key: String) -> Bool {
        lock.withLock { reported.insert(key).inserted }
    }
}
