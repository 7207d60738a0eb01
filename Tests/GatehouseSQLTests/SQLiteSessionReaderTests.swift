import Foundation
import Gatehouse
import GatehouseTesting
@testable import GatehouseSQL
import GatehouseTestSupport
import SQLKit
import Testing

/// The session lookup on the calling thread: the same answers as the asynchronous path.
@Suite("SQLite session lookup on the calling thread")
struct SQLiteSessionReaderTests {
    @Test func answersLikeTheQueryAndFallsBackBeforeMigration() async throws {
        try await TestDatabases.withSQLiteFile { path in
            let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
            var failure: (any Error)?
            do {
                let reader = try #require(provider.sessionReader)
                let now = Date(timeIntervalSince1970: 1_800_000_000)
                guard case .unavailable = reader.load(key: "abcdefghijklmnopqrstuvwxyz012345", now: DjangoSQLiteDate.format(now)) else {
                    Issue.record("an unmigrated database must fall back")
                    return
                }
                try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate()
                let keys = try SigningKeys(secretKey: "fast-reader-secret-0123456789abcdefghijk")
                let store = SQLSessionStore(provider: provider, keys: keys, clock: ManualClock(now))
                let live = try await store.create(SessionRecord(data: ["a": "1"], expireDate: now.addingTimeInterval(60)))
                let expired = try await store.create(SessionRecord(data: ["b": "2"], expireDate: now.addingTimeInterval(-1)))
                guard case .row(let text, let expireText, let version) = reader.load(key: live, now: DjangoSQLiteDate.format(now)) else {
                    Issue.record("the live row was not found")
                    return
                }
                #expect(try store.codec.decode(text) == ["a": "1"])
                #expect(DjangoSQLiteDate.parse(expireText) == now.addingTimeInterval(60))
                #expect(version >= 0)
                for key in [expired, "nosuchkeynosuchkeynosuchkey12345"] {
                    guard case .none = reader.load(key: key, now: DjangoSQLiteDate.format(now)) else {
                        Issue.record("\(key) must not be found")
                        return
                    }
                }
                // Through the store: the same record, and the version observed.
                let loaded = try #require(try await store.load(key: live, now: now))
                #expect(loaded.data == ["a": "1"] && loaded.expireDate == now.addingTimeInterval(60))
                #expect(try await store.load(key: expired, now: now) == nil)
                let other = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
                try await other.write { db in try await db.raw("DELETE FROM django_session WHERE session_key = \(bind: live)").run() }
                try await other.write { db in
                    try await db.raw("UPDATE gatehouse_permission_version SET version = version + 5 WHERE id = 1").run()
                }
                try await other.shutdown()
                #expect(try await store.load(key: live, now: now) == nil, "a delete by another connection is seen at once")
                _ = try await store.create(SessionRecord(data: ["c": "3"], expireDate: now.addingTimeInterval(60)))
                let before = provider.permissionVersion.current
                let again = try await store.create(SessionRecord(data: ["d": "4"], expireDate: now.addingTimeInterval(60)))
                _ = try await store.load(key: again, now: now)
                #expect(provider.permissionVersion.current >= before)
                #expect(provider.permissionVersion.current >= 5)
            } catch { failure = error }
            try? await provider.shutdown()
            if let failure { throw failure }
        }
    }
}
