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

/// The one file that reaches sqlite-nio's internal C module (VaporCSQLite) against the published
/// route: if the module changes, these fail before users see a difference (docs/dependencies.md).
@Suite("SQLite session reads: the inline reader and the published SQLiteKit route agree")
struct SQLiteSessionReaderRouteTests {
    @Test("the reader calls the same SQLite library as sqlite-nio's connections")
    func sameLibrary() async throws {
        try await TestDatabases.withSQLiteFile { path in
            let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
            var failure: (any Error)?
            do {
                let row = try await provider.read { db in try await db.raw("SELECT sqlite_source_id() AS id").first() }
                let published = try #require(row).decode(column: "id", as: String.self)
                #expect(SQLiteSessionReader.sourceID == published)
                #expect(provider.sessionReader != nil, "inline reads are on by default for files")
            } catch { failure = error }
            try? await provider.shutdown()
            if let failure { throw failure }
        }
    }

    @Test("every key answers the same through the inline reader and through the published route")
    func identicalAnswers() async throws {
        try await TestDatabases.withSQLiteFile { path in
            let inline = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
            var configuration = SQLiteStorageConfiguration(path: path)
            configuration.inlineSessionReads = false
            let published = try await SQLiteDatabaseProvider.open(configuration)
            var failure: (any Error)?
            do {
                #expect(inline.sessionReader != nil)
                #expect(published.sessionReader == nil)
                try await MigrationRunner(provider: inline).migrate()
                let now = Date(timeIntervalSince1970: 1_800_000_000)
                let keys = try SigningKeys(secretKey: "fast-reader-secret-0123456789abcdefghijk")
                let fastLogs = LogCapture()
                let slowLogs = LogCapture()
                let fast = SQLSessionStore(provider: inline, keys: keys, clock: ManualClock(now), logger: fastLogs.logger("gatehouse.sessions"))
                let slow = SQLSessionStore(provider: published, keys: keys, clock: ManualClock(now), logger: slowLogs.logger("gatehouse.sessions"))
                var sessionKeys: [String] = []
                for index in 0..<20 {
                    let data: [String: JSONValue] = ["_auth_user_id": .string("\(index)"), "note": .string(String(repeating: "é", count: index * 40))]
                    sessionKeys.append(try await fast.create(SessionRecord(data: data, expireDate: now.addingTimeInterval(Double(index - 10)))))
                }
                // A row whose data does not verify, and keys that are missing or malformed.
                let tampered = try await fast.create(SessionRecord(data: ["x": "1"], expireDate: now.addingTimeInterval(60)))
                try await inline.write { db in
                    try await db.raw("UPDATE django_session SET session_data = 'e30:1abc:tampered' WHERE session_key = \(bind: tampered)").run()
                }
                sessionKeys += [tampered, "nosuchkeynosuchkeynosuchkey12345", "", "short", String(repeating: "a", count: 41), "abc' OR '1'='1xxxxxxxxxxxxxxxxxx"]
                try await inline.write { db in
                    try await db.raw("UPDATE gatehouse_permission_version SET version = version + 3 WHERE id = 1").run()
                }
                for key in sessionKeys {
                    let viaReader = try await fast.load(key: key, now: now)
                    let viaSQLiteKit = try await slow.load(key: key, now: now)
                    #expect(viaReader == viaSQLiteKit, "\(key)")
                }
                #expect(inline.permissionVersion.current == published.permissionVersion.current)
                #expect(inline.permissionVersion.current >= 3)
                let found = try await sessionKeys.asyncCount { try await fast.load(key: $0, now: now) != nil }
                #expect(found == 9, "the 9 live rows, no expired, tampered or missing one")
                // The tampered row is reported the same way by both routes, once per read.
                #expect(fastLogs.warnings.map(\.message) == ["session data corrupted", "session data corrupted"])
                #expect(slowLogs.warnings.map(\.message) == ["session data corrupted"])
            } catch { failure = error }
            try? await inline.shutdown()
            try? await published.shutdown()
            if let failure { throw failure }
        }
    }
}

extension Array {
    fileprivate func asyncCount(_ predicate: (Element) async throws -> Bool) async rethrows -> Int {
        var count = 0
        for element in self where try await predicate(element) { count += 1 }
        return count
    }
}
