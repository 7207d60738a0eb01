import Foundation
import Gatehouse
import Testing

@Suite("The permission-version rule: users are remembered only when the session read proves them fresh")
struct PermissionVersionRuleTests {
    /// A session store that reads a database version with every load, as the SQL store does.
    struct ObservingSessions: SessionStore, PermissionVersionObserving {
        let base = MemorySessionStore()
        let permissionVersion: PermissionVersion
        func load(key: String, now: Date) async throws -> SessionRecord? { await base.load(key: key, now: now) }
        func create(_ record: SessionRecord) async throws -> String { try await base.create(record) }
        func save(key: String, _ record: SessionRecord) async throws -> Bool { await base.save(key: key, record) }
        func delete(key: String) async throws -> Bool { await base.delete(key: key) }
        func exists(key: String) async throws -> Bool { await base.exists(key: key) }
        func clearExpired(now: Date) async throws -> Int { await base.clearExpired(now: now) }
    }

    @Test("sessions that publish the user store's own version: the rule holds and names that version")
    func sharedInstance() {
        let users = MemoryAuthStore()
        let sessions = ObservingSessions(permissionVersion: users.permissionVersion)
        let shared = PermissionVersionRule.sharedVersion(sessions: sessions, users: users)
        #expect(shared === users.permissionVersion)
        #expect(PermissionVersionRule.allowsUserCache(sessions: sessions, users: users))
    }

    @Test("an equal but separate version proves nothing: another database, or another process's counter")
    func separateInstance() {
        let users = MemoryAuthStore()
        let sessions = ObservingSessions(permissionVersion: PermissionVersion(users.permissionVersion.current))
        #expect(PermissionVersionRule.sharedVersion(sessions: sessions, users: users) == nil)
        #expect(!PermissionVersionRule.allowsUserCache(sessions: sessions, users: users))
    }

    @Test("sessions that read no version (memory, signed cookies) never allow remembered users")
    func noObservation() {
        let users = MemoryAuthStore()
        #expect(!PermissionVersionRule.allowsUserCache(sessions: MemorySessionStore(), users: users))
        #expect(!PermissionVersionRule.allowsUserCache(sessions: nil, users: users))
    }
}
