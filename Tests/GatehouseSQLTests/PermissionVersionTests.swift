import Foundation
import Gatehouse
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import GatehouseTesting
import SQLKit
import Testing

/// The database's permission version: triggers advance it for every writer (another process,
/// Django, psql), user loads bring it to this process, and cached checks follow it.
enum PermissionVersionScenario {
    /// `main` is the server's provider; `other` is a second handle on the same database, as another
    /// process (the CLI, Django) would have.
    static func run(main: any SQLDatabaseProvider, other: any SQLDatabaseProvider) async throws {
        let store = SQLAuthStore(provider: main)
        let post = try await store.insertContentType(appLabel: "blog", model: "post")
        let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
        let change = try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id)
        let alice = try await store.insertUser(NewUser(username: "alice", password: "!", dateJoined: Date()))
        let editors = try await store.insertGroup(name: "editors")
        try await store.grant(view.id, toUser: alice.id)
        let versions = store.permissionVersion
        let checker = PermissionChecker(backends: [
            CachedPermissionBackend(ModelPermissionBackend(store: store), cache: PermissionCache(), versions: versions),
            CachedPermissionBackend(ObjectPermissionBackend(store: store), cache: PermissionCache(), versions: versions),
        ])

        // The store's own writes move this process's version without a read.
        let beforeGrant = versions.current
        try await store.grant(change.id, toGroup: editors.id)
        #expect(versions.current > beforeGrant)

        /// A request: the user is loaded (bringing the version), then the permission is checked.
        func request(_ permission: String, on target: PermissionTarget? = nil) async throws -> Bool {
            let user = try #require(try await store.user(id: alice.id))
            return try await checker.hasPermission(user, permission, on: target)
        }
        func behindOurBack(_ sql: SQLQueryString) async throws {
            try await other.write { db in try await db.raw(sql).run() }
        }
        #expect(try await request("blog.view_post"))
        #expect(try await !request("blog.change_post"))

        // Each watched table, changed by another connection, shows on the next request.
        try await behindOurBack("DELETE FROM auth_user_user_permissions WHERE user_id = \(bind: alice.id)")
        #expect(try await !request("blog.view_post"), "user permission revoked elsewhere")
        try await behindOurBack("INSERT INTO auth_user_groups (user_id, group_id) VALUES (\(bind: alice.id), \(bind: editors.id))")
        #expect(try await request("blog.change_post"), "membership added elsewhere")
        try await behindOurBack("DELETE FROM auth_group_permissions WHERE group_id = \(bind: editors.id)")
        #expect(try await !request("blog.change_post"), "group permission revoked elsewhere")
        try await behindOurBack(
            "INSERT INTO auth_group_permissions (group_id, permission_id) VALUES (\(bind: editors.id), \(bind: view.id))"
        )
        #expect(try await request("blog.view_post"), "group permission granted elsewhere")
        try await behindOurBack("UPDATE auth_permission SET codename = 'read_post' WHERE id = \(bind: view.id)")
        #expect(try await !request("blog.view_post"), "permission renamed elsewhere")
        #expect(try await request("blog.read_post"))
        try await behindOurBack("UPDATE django_content_type SET app_label = 'news' WHERE id = \(bind: post.id)")
        #expect(try await request("news.read_post"), "content type renamed elsewhere")
        #expect(try await !request("blog.read_post"))
        try await behindOurBack("UPDATE django_content_type SET app_label = 'blog' WHERE id = \(bind: post.id)")

        let post7 = PermissionTarget(appLabel: "blog", model: "post", objectID: "7")
        #expect(try await !request("blog.change_post", on: post7))
        try await behindOurBack(
            """
            INSERT INTO gatehouse_user_object_permission (user_id, permission_id, content_type_id, object_pk) \
            VALUES (\(bind: alice.id), \(bind: change.id), \(bind: post.id), '7')
            """
        )
        #expect(try await request("blog.change_post", on: post7), "object grant made elsewhere")
        try await behindOurBack(
            """
            INSERT INTO gatehouse_group_object_permission (group_id, permission_id, content_type_id, object_pk) \
            VALUES (\(bind: editors.id), \(bind: change.id), \(bind: post.id), '8')
            """
        )
        #expect(try await request("blog.change_post", on: PermissionTarget(appLabel: "blog", model: "post", objectID: "8")))
        try await behindOurBack("DELETE FROM gatehouse_user_object_permission")
        #expect(try await !request("blog.change_post", on: post7), "object grant revoked elsewhere")
        try await behindOurBack("DELETE FROM auth_user_groups")
        #expect(try await !request("blog.read_post"), "membership removed elsewhere")

        // Flags need no version: the freshly loaded row decides.
        try await behindOurBack("UPDATE auth_user SET is_superuser = \(unsafeRaw: main.flavor == .sqlite ? "1" : "true")")
        #expect(try await request("blog.change_post"))
        try await behindOurBack("UPDATE auth_user SET is_active = \(unsafeRaw: main.flavor == .sqlite ? "0" : "false")")
        #expect(try await !request("blog.change_post"))

        // Logins write last_login: that must not throw every cache away.
        _ = try await store.user(id: alice.id)
        let quiet = versions.current
        try await behindOurBack("UPDATE auth_user SET last_login = date_joined")
        _ = try await store.user(id: alice.id)
        #expect(versions.current == quiet)
        // Any other user column moves it (cached users must be reloaded).
        try await behindOurBack("UPDATE auth_user SET password = 'pbkdf2_sha256$1000$c2FsdA$other='")
        _ = try await store.user(id: alice.id)
        #expect(versions.current > quiet)
        _ = try await store.user(id: alice.id)
        let settled = versions.current
        try await behindOurBack("UPDATE auth_user SET email = 'alice@example.com'")
        _ = try await store.user(id: alice.id)
        #expect(versions.current > settled)
        let quietAgain = versions.current

        // Out of a request, refreshPermissionVersion reads it (one query).
        try await behindOurBack("DELETE FROM gatehouse_group_object_permission WHERE group_id = \(bind: editors.id)")
        try await behindOurBack("DELETE FROM auth_group_permissions WHERE group_id = \(bind: editors.id)")
        try await behindOurBack("DELETE FROM auth_group WHERE id = \(bind: editors.id)")
        #expect(versions.current == quietAgain)
        #expect(try await store.refreshPermissionVersion() > quietAgain)
        #expect(versions.current > quietAgain)
    }

    /// A trigger lost to a table rebuild comes back with the next migrate.
    static func repair(_ provider: any SQLDatabaseProvider) async throws {
        let dropped: SQLQueryString = provider.flavor == .sqlite
            ? "DROP TRIGGER gatehouse_pv_auth_user_groups_insert"
            : "DROP TRIGGER gatehouse_pv_auth_user_groups ON auth_user_groups"
        try await provider.write { db in try await db.raw(dropped).run() }
        let store = SQLAuthStore(provider: provider)
        let alice = try await store.insertUser(NewUser(username: "alice", password: "!", dateJoined: Date()))
        let group = try await store.insertGroup(name: "g")
        let before = try await store.refreshPermissionVersion()
        try await provider.write { db in
            try await db.raw("INSERT INTO auth_user_groups (user_id, group_id) VALUES (\(bind: alice.id), \(bind: group.id))").run()
        }
        #expect(try await store.refreshPermissionVersion() == before, "the trigger is really gone")
        let logs = LogCapture()
        #expect(try await MigrationRunner(provider: provider, logger: logs.logger("gatehouse.migrations")).migrate() == [])
        #expect(logs.warnings.map(\.message) == ["restored a permission-version trigger (a table was rebuilt)"])
        try await provider.write { db in try await db.raw("DELETE FROM auth_user_groups").run() }
        try await provider.write { db in
            try await db.raw("INSERT INTO auth_user_groups (user_id, group_id) VALUES (\(bind: alice.id), \(bind: group.id))").run()
        }
        #expect(try await store.refreshPermissionVersion() >= before + 2, "both changes counted again")
    }
}

@Suite("Permission version on SQLite")
struct SQLitePermissionVersionTests {
    @Test func changesByAnotherConnectionShowOnTheNextRequest() async throws {
        try await TestDatabases.withTwoSQLiteProviders { main, other in
            try await MigrationRunner(provider: main, logger: TestDatabases.migrationLogger).migrate()
            try await PermissionVersionScenario.run(main: main, other: other)
        }
    }

    @Test func migrateRestoresALostTrigger() async throws {
        try await TestDatabases.withSQLite { provider in try await PermissionVersionScenario.repair(provider) }
    }
}

@Suite("Permission version on PostgreSQL", .enabled(if: TestDatabases.postgresEnabled))
struct PostgresPermissionVersionTests {
    @Test func changesByAnotherServerShowOnTheNextRequest() async throws {
        try await TestDatabases.withTwoPostgresProviders { main, other in
            try await MigrationRunner(provider: main, logger: TestDatabases.migrationLogger).migrate()
            try await PermissionVersionScenario.run(main: main, other: other)
        }
    }

    @Test func migrateRestoresALostTrigger() async throws {
        try await TestDatabases.withPostgres { provider in try await PermissionVersionScenario.repair(provider) }
    }

    @Test func djangoFlushStyleTruncateAdvancesTheVersion() async throws {
        try await TestDatabases.withPostgres { provider in
            let store = SQLAuthStore(provider: provider)
            let before = try await store.refreshPermissionVersion()
            try await provider.write { db in try await db.raw("TRUNCATE auth_user_user_permissions").run() }
            #expect(try await store.refreshPermissionVersion() > before)
        }
    }
}
