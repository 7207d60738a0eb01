import Foundation
import Gatehouse
import GatehouseTesting
import GatehouseHummingbird
import GatehousePostgres
import GatehouseSQL
import Hummingbird
import HummingbirdTesting
import SQLKit
import GatehouseTestSupport
import Testing

/// The login journey on the SQL stores: SQLite always, PostgreSQL when `GATEHOUSE_TEST_POSTGRES_URL`
/// is set (CI sets it).
@Suite("Login and sessions on SQL stores")
struct SQLLoginFlowTests {
    static let postgresURL = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"]
    static var postgresEnabled: Bool {
        if postgresURL == nil {
            print("note: skipped the login tests on PostgreSQL: GATEHOUSE_TEST_POSTGRES_URL is not set (CI sets it)")
            return false
        }
        return true
    }

    static func journey(on provider: any SQLDatabaseProvider) async throws {
        try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate()
        let store = SQLAuthStore(provider: provider)
        let keys = try SigningKeys(secretKey: "sql-login-test-secret-0123456789abcdefgh")
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000), pool: LoginFlowTests.pool)
        let alice = try await store.insertUser(
            NewUser(username: "alice", password: try await hashers.makePassword(LoginFlowTests.password), dateJoined: clock.now())
        )
        let sessions = SQLSessionStore(provider: provider, keys: keys, clock: clock)
        let builder = GatehouseRouterBuilder(users: store, sessions: sessions, keys: keys, hashers: hashers, clock: clock)
        try await Application(router: builder.makeRouter(logRequests: false)).test(.router) { client in
            let rows = { try await provider.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM django_session").first()?.decode(column: "n", as: Int.self) ?? -1
            } }
            // Hostile cookies write nothing.
            for value in ["", String(repeating: "z", count: 4096), "ünïcödé", "abcdefghijklmnopqrstuvwxyz012345"] {
                let browser = Browser(client)
                browser.setCookie("sessionid", value)
                #expect(try await browser.get("/accounts/profile/").status == .found)
            }
            #expect(try await rows() == 0)

            let browser = Browser(client)
            let response = try await LoginFlowTests.logIn(browser)
            #expect(response.status == .found)
            let key = try #require(browser.cookie("sessionid"))
            #expect(try await rows() == 1)
            #expect(try await browser.get("/accounts/profile/").status == .ok)
            #expect(try await store.user(id: alice.id)?.lastLogin == clock.now())

            // Idle for longer than the idle timeout (24 hours): the session is over.
            clock.advance(by: 24 * 3600 + 61)
            #expect(try await browser.get("/accounts/profile/").status == .found)
            #expect(try await sessions.load(key: key, now: clock.now()) == nil)

            // Log in again; activity within the idle timeout keeps it, up to the absolute lifetime.
            _ = try await LoginFlowTests.logIn(browser)
            for _ in 0..<14 {
                clock.advance(by: 23 * 3600)
                #expect(try await browser.get("/accounts/profile/").status == .ok)
            }
            clock.advance(by: 23 * 3600)  // 15 x 23 h > 14 days since the second login
            #expect(try await browser.get("/accounts/profile/").status == .found)
        }
    }

    @Test func sqlite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-hb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: directory.appendingPathComponent("t.sqlite3").path))
        do {
            try await Self.journey(on: provider)
        } catch {
            try? await provider.shutdown()
            throw error
        }
        try await provider.shutdown()
    }

    @Test(.enabled(if: SQLLoginFlowTests.postgresEnabled))
    func postgres() async throws {
        let admin = try DatabaseURL(try #require(Self.postgresURL))
        let name = "gh_hb_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        let adminProvider = try PostgresDatabaseProvider(url: admin, pool: TestDatabases.patientPool)
        try await adminProvider.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
        let provider = try PostgresDatabaseProvider(url: admin.replacingDatabase(with: name), pool: TestDatabases.patientPool)
        var failure: (any Error)?
        do { try await Self.journey(on: provider) } catch { failure = error }
        try? await provider.shutdown()
        try? await adminProvider.read { db in try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
        try? await adminProvider.shutdown()
        if let failure { throw failure }
    }
}
