import Foundation
import Gatehouse
import GatehouseTesting
import GatehouseConformance
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import SQLKit
import Testing

@Suite("SQLLoginFailureStore on SQLite")
struct SQLiteLoginFailureStoreTests {
    @Test(arguments: LoginFailureStoreConformance.cases)
    func conformance(_ check: LoginFailureStoreConformance.Case) async throws {
        try await TestDatabases.withSQLite { provider in
            try await check.run(on: SQLLoginFailureStore(provider: provider))
        }
    }

    @Test func twoServersOnOneFileCountTheSameFailures() async throws {
        try await TestDatabases.withTwoSQLiteProviders { first, second in
            try await MigrationRunner(provider: first, logger: TestDatabases.migrationLogger).migrate()
            try await LoginFailureSharing.check(first, second)
        }
    }

    @Test func theTableAndItsIndexes() async throws {
        let found = try await TestDatabases.withSQLite { provider in
            try await provider.read { db in
                try await db.raw(
                    """
                    SELECT il.name AS name, (SELECT group_concat(x.name, ',') FROM \
                    (SELECT ii.name AS name FROM pragma_index_info(il.name) AS ii ORDER BY ii.seqno) AS x) AS columns \
                    FROM pragma_index_list('gatehouse_login_failure') AS il WHERE il.origin = 'c'
                    """
                ).all().map { "\(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "columns", as: String.self))" }
            }
        }
        #expect(Set(found) == LoginFailureSharing.indexes)
    }
}

@Suite("SQLLoginFailureStore on PostgreSQL", .enabled(if: TestDatabases.postgresEnabled))
struct PostgresLoginFailureStoreTests {
    @Test(arguments: LoginFailureStoreConformance.cases)
    func conformance(_ check: LoginFailureStoreConformance.Case) async throws {
        try await TestDatabases.withPostgres { provider in
            try await check.run(on: SQLLoginFailureStore(provider: provider))
        }
    }

    @Test func twoServersOnOneDatabaseCountTheSameFailures() async throws {
        try await TestDatabases.withTwoPostgresProviders { first, second in
            try await MigrationRunner(provider: first, logger: TestDatabases.migrationLogger).migrate()
            try await LoginFailureSharing.check(first, second)
        }
    }

    @Test func theTableAndItsIndexes() async throws {
        let found = try await TestDatabases.withPostgres { provider in
            try await provider.read { db in
                try await db.raw(
                    """
                    SELECT ic.relname::text AS name, \
                    array_to_string(ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) \
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS columns \
                    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid \
                    WHERE t.relname = 'gatehouse_login_failure' AND NOT i.indisprimary
                    """
                ).all().map { "\(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "columns", as: String.self))" }
            }
        }
        #expect(Set(found) == LoginFailureSharing.indexes)
    }
}

/// What two servers on one database see of each other's failures.
enum LoginFailureSharing {
    static let indexes: Set<String> = [
        "gatehouse_login_failure_username_address username,address,failed_at",
        "gatehouse_login_failure_address address,failed_at",
        "gatehouse_login_failure_username username,failed_at",
        "gatehouse_login_failure_failed_at failed_at",
    ]

    /// Failures recorded through one server lock the other; a reset on one lifts both.
    static func check(_ first: any SQLDatabaseProvider, _ second: any SQLDatabaseProvider) async throws {
        let clock = ManualClock()
        let one = LoginThrottle(store: SQLLoginFailureStore(provider: first), clock: clock)
        let two = LoginThrottle(store: SQLLoginFailureStore(provider: second), clock: clock)
        let authenticator = Authenticator(backends: [])
        let facts = RequestFacts(remoteAddress: "203.0.113.9")
        for _ in 0..<5 {
            _ = try await one.authenticate(Credentials(username: "alice", password: "x"), request: facts, using: authenticator)
            clock.advance(by: 1)
        }
        let lock = try #require(try await two.currentLock(username: "alice", address: "203.0.113.9"))
        #expect(lock.failures == 5 && lock.retryAfterSeconds(now: clock.now()) == 895)
        #expect(try await SQLLoginFailureStore(provider: second).deleteFailures(username: "alice", address: nil) == 5)
        #expect(try await one.currentLock(username: "alice", address: "203.0.113.9") == nil)
    }
}
