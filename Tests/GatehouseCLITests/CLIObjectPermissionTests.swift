import Foundation
import Gatehouse
import GatehouseSQL
import GatehouseTestSupport
import Testing

@Suite("gatehouse command-line tool: model registration and object permissions")
struct CLIObjectPermissionTests {
    @Test(arguments: CLIDatabase.enabled)
    func registerCreatesDjangosDefaultPermissionsOnce(_ database: CLIDatabase) async throws {
        try await database.with { cli, open in
            let migrated = try await cli.run(["migrate"])
            #expect(migrated.stdout.contains("Applied 0002_gatehouse_object_permissions."))
            let first = try await cli.run([
                "permissions", "register", "blog.BlogPost", "--permission", "publish_blogpost:Can publish posts",
                "--permission", "feature_blogpost:Can feature: front page",
            ])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(
                first.stdout.split(separator: "\n") == [
                    "Created content type blog.blogpost.",
                    "Created permission blog.add_blogpost (Can add blog post).",
                    "Created permission blog.change_blogpost (Can change blog post).",
                    "Created permission blog.delete_blogpost (Can delete blog post).",
                    "Created permission blog.view_blogpost (Can view blog post).",
                    "Created permission blog.publish_blogpost (Can publish posts).",
                    "Created permission blog.feature_blogpost (Can feature: front page).",
                ]
            )
            let again = try await cli.run(["permissions", "register", "blog.BlogPost", "--permission", "publish_blogpost:Can publish posts"])
            #expect(again.status == 0)
            #expect(again.stdout.contains("nothing to do"))
            let named = try await cli.run(["permissions", "register", "shop.order", "--verbose-name", "purchase order"])
            #expect(named.stdout.contains("Created permission shop.view_order (Can view purchase order)."))
            let listed = try await cli.run(["permissions", "list", "--app", "blog"])
            #expect(listed.stdout.contains("blog.view_blogpost") && listed.stdout.contains("Can publish posts"))
            let viewOnly = try await cli.run(["permissions", "register", "audit.Entry", "--default-permissions", "view, change"])
            #expect(
                viewOnly.stdout.split(separator: "\n") == [
                    "Created content type audit.entry.",
                    "Created permission audit.change_entry (Can change entry).",
                    "Created permission audit.view_entry (Can view entry).",
                ], "\(viewOnly.stderr)"
            )
            let bare = try await cli.run(["permissions", "register", "shop.cart", "--default-permissions", "none", "--permission", "checkout_cart:Can check out"])
            #expect(bare.stdout.split(separator: "\n") == ["Created content type shop.cart.", "Created permission shop.checkout_cart (Can check out)."])
            for bad in [
                ["permissions", "register", "nodot"], ["permissions", "register", "blog.post", "--permission", "nocolon"],
                ["permissions", "register", "blog.post", "--default-permissions", "view,publish"],
            ] {
                let failed = try await cli.run(bad)
                #expect(failed.status != 0, "\(bad)")
                #expect(failed.stderr.split(separator: "\n").count == 1, "\(bad): \(failed.stderr)")
            }
        }
    }

    @Test(arguments: CLIDatabase.enabled)
    func objectGrantsToUsersAndGroupsEndToEnd(_ database: CLIDatabase) async throws {
        try await database.with { cli, open in
            try await cli.run(["migrate"])
            #expect(try await cli.run(["permissions", "register", "blog.post"]).status == 0)
            #expect(try await cli.run(["users", "create", "alice", "--no-password"]).status == 0)
            #expect(try await cli.run(["users", "create", "bob", "--no-password"]).status == 0)
            #expect(try await cli.run(["groups", "create", "editors"]).status == 0)
            #expect(try await cli.run(["groups", "add-member", "editors", "alice"]).status == 0)

            let granted = try await cli.run(["permissions", "grant-object", "alice", "blog.change_post", "42"])
            #expect(granted.status == 0, "\(granted.stderr)")
            #expect(granted.stdout == "Granted blog.change_post on blog.post 42 to 'alice'.\n")
            #expect(try await cli.run(["permissions", "grant-object", "alice", "blog.change_post", "42"]).status == 0, "idempotent")
            #expect(try await cli.run(["permissions", "grant-object", "alice", "blog.change_post", "7"]).status == 0)
            let group = try await cli.run(["groups", "grant-object", "editors", "blog.change_post", "9"])
            #expect(group.stdout == "Granted blog.change_post on blog.post 9 to group 'editors'.\n")
            #expect(try await cli.run(["groups", "grant-object", "editors", "blog.change_post", "42"]).status == 0)

            #expect(try await cli.run(["permissions", "objects", "alice", "blog.change_post"]).stdout == "42\n7\n9\n")
            #expect(try await cli.run(["permissions", "objects", "bob", "blog.change_post"]).stdout.isEmpty)
            #expect(try await cli.run(["permissions", "objects", "alice", "blog.view_post"]).stdout.isEmpty)
            #expect(try await cli.run(["permissions", "show", "alice"]).stdout.isEmpty, "object grants are not global")

            // The store sees the same grants.
            let provider = try await open()
            let store = SQLAuthStore(provider: provider)
            let alice = try #require(try await store.user(username: "alice"))
            let checker = PermissionChecker(backends: [ObjectPermissionBackend(store: store)])
            #expect(try await checker.hasPermission(alice, "blog.change_post", on: PermissionTarget(appLabel: "blog", model: "post", objectID: "9")))
            #expect(try await !checker.hasPermission(alice, "blog.change_post", on: PermissionTarget(appLabel: "blog", model: "post", objectID: "8")))
            try await provider.shutdown()

            let revoked = try await cli.run(["permissions", "revoke-object", "alice", "blog.change_post", "42"])
            #expect(revoked.stdout == "Revoked blog.change_post on blog.post 42 from 'alice'.\n")
            let none = try await cli.run(["permissions", "revoke-object", "alice", "blog.change_post", "42"])
            #expect(none.status == 0 && none.stdout == "'alice' had no grant of blog.change_post on blog.post 42.\n")
            #expect(try await cli.run(["permissions", "objects", "alice", "blog.change_post"]).stdout == "42\n7\n9\n", "still through editors")
            #expect(try await cli.run(["groups", "revoke-object", "editors", "blog.change_post", "42"]).stdout.hasPrefix("Revoked"))
            #expect(try await cli.run(["groups", "revoke-object", "editors", "blog.change_post", "42"]).stdout.hasPrefix("Group 'editors' had no grant"))
            #expect(try await cli.run(["permissions", "objects", "alice", "blog.change_post"]).stdout == "7\n9\n")
            #expect(try await cli.run(["groups", "delete", "editors"]).status == 0)
            #expect(try await cli.run(["permissions", "objects", "alice", "blog.change_post"]).stdout == "7\n")

            for arguments in [
                ["permissions", "grant-object", "alice", "blog.nope", "1"],
                ["permissions", "grant-object", "ghost", "blog.change_post", "1"],
                ["permissions", "grant-object", "alice", "blog.change_post", String(repeating: "x", count: 256)],
                ["permissions", "grant-object", "alice", "blog.change_post", ""],
                ["groups", "grant-object", "nogroup", "blog.change_post", "1"],
                ["permissions", "objects", "alice", "nodot"],
            ] {
                let failed = try await cli.run(arguments)
                #expect(failed.status != 0, "\(arguments)")
                #expect(failed.stderr.split(separator: "\n").count == 1, "\(arguments): \(failed.stderr)")
            }
            let tooLong = try await cli.run(["permissions", "grant-object", "alice", "blog.change_post", String(repeating: "x", count: 256)])
            #expect(tooLong.stderr.contains("an object id has 1 to 255 characters"))
        }
    }

    @Test func aDatabaseMigratedBeforeObjectPermissionsAsksForMigrate() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: cli.sqlitePath))
        try await MigrationRunner(provider: provider, migrations: Array(Migration.all.prefix(1)), logger: TestDatabases.migrationLogger).migrate()
        try await provider.shutdown()
        let stale = try await cli.run(["permissions", "objects", "alice", "blog.change_post"])
        #expect(stale.status != 0)
        #expect(stale.stderr.contains("run 'gatehouse migrate' first"))
        let migrated = try await cli.run(["migrate"])
        #expect(migrated.stdout == Migration.all.dropFirst().map { "Applied \($0.name).\n" }.joined())
    }
}
