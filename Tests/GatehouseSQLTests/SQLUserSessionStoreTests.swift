import Foundation
import Gatehouse
import GatehouseConformance
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import GatehouseTesting
import Testing

/// What both databases must do beside the conformance cases: the index sits beside `django_session`,
/// liveness is read from `expire_date` alone (no SECRET_KEY), and `clearEnded` removes the rows of
/// sessions that are gone.
enum UserSessionSQLChecks {
    static func check(_ provider: any SQLDatabaseProvider) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let keys = try SigningKeys(secretKey: "test-secret-key-that-is-long-enough-0123456789")
        let sessions = SQLSessionStore(provider: provider, keys: keys, clock: clock)
        let index = try #require(sessions.userSessions as? SQLUserSessionStore)
        let userSessions = UserSessions(store: index, sessions: sessions, clock: clock)
        let live = try await sessions.create(SessionRecord(data: ["_auth_user_id": "7"], expireDate: clock.now().addingTimeInterval(3600)))
        let expired = try await sessions.create(SessionRecord(data: ["_auth_user_id": "7"], expireDate: clock.now().addingTimeInterval(-1)))
        for key in [live, expired, "goneaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] {
            try await userSessions.sessionUsed(key: key, userID: 7, createdAt: nil, clientAddress: "203.0.113.9", userAgent: "Firefox")
        }
        // Another SECRET_KEY reads liveness just the same: the data is not read.
        let otherKeys = SQLSessionStore(provider: provider, keys: try SigningKeys(secretKey: "another-key-entirely-0123456789-abcdefghijklmnop"))
        #expect(try await otherKeys.isLive(key: live, now: clock.now()))
        #expect(try await !otherKeys.isLive(key: expired, now: clock.now()))
        #expect(try await !otherKeys.isLive(key: "NOT A KEY", now: clock.now()))
        #expect(try await userSessions.list(userID: 7).map(\.sessionKey) == [live])
        #expect(try await index.records(userID: 7).count == 3)
        #expect(try await userSessions.clearEnded(batchSize: 1) == 2)
        #expect(try await index.records(userID: 7).map(\.sessionKey) == [live])
    }
}

@Suite("SQLUserSessionStore on SQLite")
struct SQLiteUserSessionStoreTests {
    @Test(arguments: UserSessionStoreConformance.cases)
    func conformance(_ check: UserSessionStoreConformance.Case) async throws {
        try await TestDatabases.withSQLite { provider in
            try await check.run(on: SQLUserSessionStore(provider: provider))
        }
    }

    @Test func livenessAndCleaningUpBesideDjangoSession() async throws {
        try await TestDatabases.withSQLite { provider in try await UserSessionSQLChecks.check(provider) }
    }
}

@Suite("SQLUserSessionStore on PostgreSQL", .enabled(if: TestDatabases.postgresEnabled))
struct PostgresUserSessionStoreTests {
    @Test(arguments: UserSessionStoreConformance.cases)
    func conformance(_ check: UserSessionStoreConformance.Case) async throws {
        try await TestDatabases.withPostgres { provider in
            try await check.run(on: SQLUserSessionStore(provider: provider))
        }
    }

    @Test func livenessAndCleaningUpBesideDjangoSession() async throws {
        try await TestDatabases.withPostgres { provider in try await UserSessionSQLChecks.check(provider) }
    }
}
