import Gatehouse
import GatehouseConformance
import GatehouseSQL
import GatehouseTestSupport
import Testing

@Suite("SQLAuthStore conformance on SQLite")
struct SQLiteAuthStoreConformanceTests {
    @Test(arguments: AuthStoreConformance.cases)
    func conformance(_ check: AuthStoreConformance.Case) async throws {
        try await TestDatabases.withSQLite { provider in
            try await check.run(on: SQLAuthStore(provider: provider))
        }
    }
}

@Suite("SQLAuthStore conformance on PostgreSQL", .enabled(if: TestDatabases.postgresEnabled))
struct PostgresAuthStoreConformanceTests {
    @Test(arguments: AuthStoreConformance.cases)
    func conformance(_ check: AuthStoreConformance.Case) async throws {
        try await TestDatabases.withPostgres { provider in
            try await check.run(on: SQLAuthStore(provider: provider))
        }
    }
}

@Suite("Permission checks with Django's semantics on SQLite")
struct SQLitePermissionCheckerTests {
    @Test(arguments: PermissionCheckerConformance.cases)
    func semantics(_ check: PermissionCheckerConformance.Case) async throws {
        try await TestDatabases.withSQLite { provider in
            try await check.run(on: SQLAuthStore(provider: provider))
        }
    }
}

@Suite("Permission checks with Django's semantics on PostgreSQL", .enabled(if: TestDatabases.postgresEnabled))
struct PostgresPermissionCheckerTests {
    @Test(arguments: PermissionCheckerConformance.cases)
    func semantics(_ check: PermissionCheckerConformance.Case) async throws {
        try await TestDatabases.withPostgres { provider in
            try await check.run(on: SQLAuthStore(provider: provider))
        }
    }
}
