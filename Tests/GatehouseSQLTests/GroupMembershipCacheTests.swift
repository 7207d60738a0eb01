import Foundation
import Gatehouse
import GatehouseSQL
import GatehouseTestSupport
import GatehouseTesting
import SQLKit
import Testing

/// A user's groups from memory at the permission version the request's session read saw: a change
/// by another process is seen as soon as a session read sees the version it advanced.
@Suite("Group memberships cached at the permission version")
struct GroupMembershipCacheTests {
    @Test func anotherProcessesChangeIsSeenWithTheNextSessionRead() async throws {
        try await TestDatabases.withSQLiteFile { path in
            let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
            let other = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
            var failure: (any Error)?
            do {
                try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate()
                let store = SQLAuthStore(provider: provider)
                let alice = try await store.insertUser(NewUser(username: "alice", password: "!", dateJoined: Date()))
                let editors = try await store.insertGroup(name: "editors")
                try await store.addUser(alice.id, toGroup: editors.id)
                let now = Date()
                let sessions = SQLSessionStore(provider: provider, keys: try SigningKeys(secretKey: "group-cache-secret-0123456789abcdefghijk"))
                let key = try await sessions.create(SessionRecord(data: ["a": "1"], expireDate: now.addingTimeInterval(600)))
                _ = try await sessions.load(key: key, now: now)

                let cache = GroupMembershipCache(store, versions: store.permissionVersion)
                #expect(try await cache.groups(ofUser: alice.id).map(\.name) == ["editors"])
                #expect(try await cache.groups(ofUser: alice.id).map(\.name) == ["editors"])
                #expect(cache.statistics == (hits: 1, misses: 1), "the second answer came from memory")

                // Another process (the CLI, Django) adds a membership and renames a group.
                let otherStore = SQLAuthStore(provider: other)
                let admins = try await otherStore.insertGroup(name: "admins")
                try await otherStore.addUser(alice.id, toGroup: admins.id)
                _ = try await sessions.load(key: key, now: now)  // the next request's session read
                #expect(try await cache.groups(ofUser: alice.id).map(\.name) == ["admins", "editors"])
                var renamed = editors
                renamed.name = "writers"
                try await otherStore.updateGroup(renamed)
                _ = try await sessions.load(key: key, now: now)
                #expect(try await cache.groups(ofUser: alice.id).map(\.name) == ["admins", "writers"])
                // A change through the cache itself is seen at once.
                #expect(try await cache.removeUser(alice.id, fromGroup: admins.id))
                #expect(try await cache.groups(ofUser: alice.id).map(\.name) == ["writers"])
            } catch {
                failure = error
            }
            try? await other.shutdown()
            try? await provider.shutdown()
            if let failure { throw failure }
        }
    }
}
