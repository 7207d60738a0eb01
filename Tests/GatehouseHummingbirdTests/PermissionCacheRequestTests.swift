import Foundation
import Gatehouse
import GatehouseTesting
import GatehouseHummingbird
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// The permission cache through whole requests on the SQL stores: a warm check sends no query, and
/// a change made by another connection (another process or server) shows on the next request.
enum PermissionCacheJourney {
    static let permissionTables = [
        "auth_permission", "auth_user_user_permissions", "auth_group_permissions", "auth_user_groups",
        "django_content_type", "gatehouse_user_object_permission", "gatehouse_group_object_permission",
    ]

    /// `main` serves the requests; `other` is a second handle on the same database.
    static func run(main: any SQLDatabaseProvider, other: any SQLDatabaseProvider) async throws {
        try await MigrationRunner(provider: main, logger: TestDatabases.migrationLogger).migrate()
        let counting = QueryCountingProvider(base: main)
        let store = SQLAuthStore(provider: counting)
        let keys = try SigningKeys(secretKey: "cache-test-secret-0123456789abcdefghijkl")
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000), pool: LoginFlowTests.pool)
        let alice = try await store.insertUser(
            NewUser(username: "alice", password: try await hashers.makePassword(LoginFlowTests.password), dateJoined: clock.now())
        )
        let registered = try await ModelRegistration(store: store).register(appLabel: "blog", model: "post")
        let post = registered.contentType
        let view = try #require(try await store.permission(appLabel: "blog", codename: "view_post"))
        let change = try #require(try await store.permission(appLabel: "blog", codename: "change_post"))
        let editors = try await store.insertGroup(name: "editors")
        try await store.grant(view.id, toGroup: editors.id)
        try await store.addUser(alice.id, toGroup: editors.id)
        try await store.grant(change.id, toUser: alice.id, on: ObjectReference(contentTypeID: post.id, objectID: "7"))

        let builder = GatehouseRouterBuilder(
            users: store, sessions: SQLSessionStore(provider: counting, keys: keys, clock: clock), keys: keys, hashers: hashers, clock: clock
        )
        let router = Router(context: GatehouseRequestContext.self)
        builder.install(on: router, logRequests: false)
        let checker = try builder.permissionChecker
        router.group("/posts")
            .add(middleware: PermissionRequired(["blog.view_post"], checker: checker))
            .get("/") { _, _ in "list" }
        router.group("/posts/:id/edit")
            .add(middleware: ObjectPermissionRequired("blog.change_post", checker: checker) { _, context in
                context.parameters.get("id").map { PermissionTarget(appLabel: "blog", model: "post", objectID: $0) }
            })
            .get("/") { _, context in "editing \(context.parameters.get("id") ?? "")" }

        @Sendable func elsewhere(_ sql: SQLQueryString) async throws {
            try await other.write { db in try await db.raw(sql).run() }
        }
        @Sendable func permissionQueries() -> [String] {
            counting.statements.filter { sql in permissionTables.contains { sql.contains($0) } }
        }

        try await Application(router: router).test(.router) { client in
            let browser = Browser(client)
            #expect(try await LoginFlowTests.logIn(browser).status == .found)
            #expect(try await browser.get("/posts/").status == .ok)  // cold: computes and caches
            #expect(try await browser.get("/posts/7/edit/").status == .ok)

            for path in ["/posts/", "/posts/7/edit/"] {
                counting.reset()
                #expect(try await browser.get(path).status == .ok)
                #expect(permissionQueries() == [], "a warm check sends no permission query: \(counting.statements)")
                let statements = counting.statements
                #expect(statements.count == 1, "one query, the session's (the user and permissions are cached): \(statements)")
                #expect(statements.first?.contains("FROM django_session") == true)
                #expect(statements.first?.contains("gatehouse_permission_version") == true)
            }
            #expect(try await browser.get("/posts/8/edit/").status == .forbidden)

            // Another process revokes the group's grant: the next request is refused.
            try await elsewhere("DELETE FROM auth_group_permissions WHERE group_id = \(bind: editors.id)")
            #expect(try await browser.get("/posts/").status == .forbidden)
            // ... grants it again, to the user directly: allowed again.
            try await elsewhere(
                "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (\(bind: alice.id), \(bind: view.id))"
            )
            #expect(try await browser.get("/posts/").status == .ok)
            // ... revokes the object grant.
            try await elsewhere("DELETE FROM gatehouse_user_object_permission WHERE user_id = \(bind: alice.id)")
            #expect(try await browser.get("/posts/7/edit/").status == .forbidden)
            // ... makes alice a superuser, then deactivates her (which also ends the session).
            try await elsewhere("UPDATE auth_user SET is_superuser = \(unsafeRaw: main.flavor == .sqlite ? "1" : "true")")
            #expect(try await browser.get("/posts/7/edit/").status == .ok)
            try await elsewhere("UPDATE auth_user SET is_active = \(unsafeRaw: main.flavor == .sqlite ? "0" : "false")")
            #expect(try await browser.get("/posts/").status == .found, "an inactive user is logged out")

            // Changes made through this process's own store show at once too.
            try await elsewhere("UPDATE auth_user SET is_active = \(unsafeRaw: main.flavor == .sqlite ? "1" : "true"), is_superuser = \(unsafeRaw: main.flavor == .sqlite ? "0" : "false")")
            #expect(try await LoginFlowTests.logIn(browser).status == .found)
            #expect(try await browser.get("/posts/").status == .ok)
            _ = try await store.revoke(view.id, fromUser: alice.id)
            #expect(try await browser.get("/posts/").status == .forbidden)

            // A password change elsewhere ends the session (the session hash no longer matches).
            let stolen = try #require(browser.cookie("sessionid"))
            #expect(try await browser.get("/posts/7/edit/").status == .forbidden, "logged in (and the user cached)")
            try await elsewhere("UPDATE auth_user SET password = 'pbkdf2_sha256$1000$bm90aGluZw$changed=' WHERE id = \(bind: alice.id)")
            let thief = Browser(client)
            thief.setCookie("sessionid", stolen)
            #expect(try await thief.get("/posts/7/edit/").status == .found, "a password change elsewhere ends the session")

        }
    }
}

@Suite("Permission cache through requests")
struct PermissionCacheRequestTests {
    @Test func sqliteWithAnotherConnection() async throws {
        try await TestDatabases.withTwoSQLiteProviders { main, other in
            try await PermissionCacheJourney.run(main: main, other: other)
        }
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled))
    func postgresWithAnotherServer() async throws {
        try await TestDatabases.withTwoPostgresProviders { main, other in
            try await PermissionCacheJourney.run(main: main, other: other)
        }
    }
}
