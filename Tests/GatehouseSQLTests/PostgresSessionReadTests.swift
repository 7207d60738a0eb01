import Foundation
import Gatehouse
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import GatehouseTesting
import SQLKit
import Testing

/// The session read as a prepared statement (PostgreSQL): the same answers as the SQLKit query,
/// prepared once on the connection, and off when the pool says so. Skipped without
/// GATEHOUSE_TEST_POSTGRES_URL (CI sets it).
@Suite("PostgreSQL session read as a prepared statement")
struct PostgresSessionReadTests {
    @Test(arguments: [true, false]) func answersLikeTheQuery(prepared: Bool) async throws {
        guard TestDatabases.postgresEnabled else { return }
        try await TestDatabases.withPostgresDatabase { url in
            var pool = TestDatabases.patientPool
            pool.maximumConnections = 1  // one connection: the statement list below is the one the reads used
            pool.preparedStatements = prepared
            let provider = try PostgresDatabaseProvider(url: url, pool: pool)
            var failure: (any Error)?
            do {
                try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate()
                let now = Date(timeIntervalSince1970: 1_800_000_000)
                let keys = try SigningKeys(secretKey: "prepared-read-secret-0123456789abcdefghijk")
                let store = SQLSessionStore(provider: provider, keys: keys, clock: ManualClock(now))
                let live = try await store.create(SessionRecord(data: ["a": "1"], expireDate: now.addingTimeInterval(60)))
                let expired = try await store.create(SessionRecord(data: ["b": "2"], expireDate: now.addingTimeInterval(-1)))
                for _ in 0..<3 {
                    let loaded = try #require(try await store.load(key: live, now: now))
                    #expect(loaded.data == ["a": "1"] && loaded.expireDate == now.addingTimeInterval(60))
                }
                #expect(try await store.load(key: expired, now: now) == nil, "an expired row is no session")
                #expect(try await store.load(key: "nosuchkeynosuchkeynosuchkey12345", now: now) == nil)
                // Expiry is decided by the database against `now`, to the second.
                #expect(try await store.load(key: live, now: now.addingTimeInterval(59)) != nil)
                #expect(try await store.load(key: live, now: now.addingTimeInterval(60)) == nil)
                try await provider.write { db in
                    try await db.raw("UPDATE gatehouse_permission_version SET version = version + 7 WHERE id = 1").run()
                }
                _ = try await store.load(key: live, now: now)
                #expect(provider.permissionVersion.current >= 7, "the version comes with the row")
                let statements = try await provider.read { db in
                    try await db.raw("SELECT name FROM pg_prepared_statements").all().map { try $0.decode(column: "name", as: String.self) }
                }
                #expect(statements.contains("gatehouse_session_read_1") == prepared, "\(statements)")
            } catch {
                failure = error
            }
            try? await provider.shutdown()
            if let failure { throw failure }
        }
    }
}
