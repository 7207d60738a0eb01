import Foundation
import Gatehouse
import GatehouseSQL
import SQLKit
import GatehouseTestSupport
import Testing

@Suite("SQLite provider")
struct SQLiteProviderTests {
    @Test func connectionsUseWALForeignKeysAndABusyTimeout() async throws {
        try await TestDatabases.withSQLite { provider in
            let mode = try await provider.read { db in
                try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            }
            #expect(mode == "wal")
            let readFK = try await provider.read { db in
                try await db.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
            }
            let writeFK = try await provider.write { db in
                try await db.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
            }
            #expect(readFK == 1 && writeFK == 1)
            let timeout = try await provider.read { db in
                try await db.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self)
            }
            #expect(timeout == 5_000)
        }
    }

    @Test func concurrentWritesFromTwoProvidersOnOneFileAllLand() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("shared.sqlite3").path
        // Two providers stand for two processes (the server and the CLI) sharing the file.
        let first = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
        let second = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
        try await MigrationRunner(provider: first, logger: TestDatabases.migrationLogger).migrate()
        let stores = [SQLAuthStore(provider: first), SQLAuthStore(provider: second)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<60 {
                group.addTask {
                    _ = try await stores[index % 2].insertGroup(name: "group-\(index)")
                }
            }
            try await group.waitForAll()
        }
        #expect(try await stores[1].groups().count == 60)
        #expect(try await stores[0].groups().count == 60)
        try await first.shutdown()
        try await second.shutdown()
    }

    @Test func aFailedWriteRollsBackEverything() async throws {
        try await TestDatabases.withSQLite { provider in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await provider.write { db in
                    try await db.raw("INSERT INTO auth_group (name) VALUES ('half-done')").run()
                    throw Boom()
                }
            }
            #expect(try await SQLAuthStore(provider: provider).group(name: "half-done") == nil)
            // The write connection is usable again afterwards.
            _ = try await SQLAuthStore(provider: provider).insertGroup(name: "after")
        }
    }
}
