import Foundation
import Gatehouse
import GatehouseSQL
import SQLKit
import Testing

@Suite("gatehouse command-line tool")
struct CLITests {
    static let goodPassword = "tangerine-lighthouse-47"

    @Test func migrateCreatesTheDatabaseOnceAndReportsNothingNewTheSecondTime() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let first = try await cli.run(["migrate"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("Applied 0001_django_auth_schema."))
        #expect(FileManager.default.fileExists(atPath: cli.sqlitePath))
        let second = try await cli.run(["migrate"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("No migrations to apply."))
    }

    @Test func commandsBeforeMigrateFailWithOneLineAndCreateNoFile() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let result = try await cli.run(["users", "list"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("run 'gatehouse migrate' first"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: cli.sqlitePath))
    }

    @Test func badDatabaseURLsAreOneLineErrors() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        for url in ["mysql://x/y", "sqlite://", "postgres://", "postgres://nobody@127.0.0.1:1/none"] {
            let result = try await cli.run(["users", "list", "--database", url], withDatabase: false)
            #expect(result.status != 0, "\(url)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(url): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(url)")
        }
        let unreachable = try await cli.run(["migrate", "--database", "postgres://nobody@127.0.0.1:1/none"], withDatabase: false)
        #expect(
            unreachable.stderr == "Error: could not connect to the database at postgres://nobody@127.0.0.1:1/none: no connection: connection refused (127.0.0.1:1)\n",
            "\(unreachable.stderr)"
        )
        let hidden = try await cli.run(["users", "list", "--database", "postgres://nobody:hunter2@127.0.0.1:1/none"], withDatabase: false)
        #expect(hidden.stderr.contains("postgres://nobody:***@127.0.0.1:1/none") && !hidden.stderr.contains("hunter2"))
    }

    @Test func createSuperuserWithoutInputTakesThePasswordFromTheEnvironment() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let created = try await cli.run(
            ["createsuperuser", "--no-input", "--username", "admin", "--email", "Admin@EXAMPLE.com"],
            environment: ["GATEHOUSE_SUPERUSER_PASSWORD": Self.goodPassword]
        )
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("Superuser created successfully."))
        let user = try #require(try await Self.user("admin", in: cli))
        #expect(user.isSuperuser && user.isStaff && user.isActive)
        #expect(user.email == "Admin@example.com")
        #expect(user.password.hasPrefix("pbkdf2_sha256$1500000$"))
        #expect(await PasswordHashers().checkPassword(Self.goodPassword, encoded: user.password))
        let again = try await cli.run(
            ["createsuperuser", "--no-input", "--username", "admin"],
            environment: ["GATEHOUSE_SUPERUSER_PASSWORD": Self.goodPassword]
        )
        #expect(again.status != 0)
        #expect(again.stderr.contains("already taken"))
    }

    @Test func createSuperuserWithoutInputRefusesAWeakPassword() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let result = try await cli.run(
            ["createsuperuser", "--no-input", "--username", "admin"],
            environment: ["GATEHOUSE_SUPERUSER_PASSWORD": "123"]
        )
        #expect(result.status != 0)
        #expect(result.stderr.contains("This password is too short. It must contain at least 8 characters."))
        #expect(result.stderr.contains("This password is entirely numeric."))
        #expect(try await Self.user("admin", in: cli) == nil)
    }

    @Test func createSuperuserInteractivelyOffersDjangosBypass() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        // Blank username takes the suggestion ($USER = tester); mismatched passwords are asked again;
        // a weak password is shown the validators' messages and the bypass question, answered yes.
        let result = try await cli.run(
            ["createsuperuser"],
            stdin: "\ntester@example.com\none\ntwo\npassword\npassword\ny\n"
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Username (leave blank to use 'tester'): "))
        #expect(result.stderr.contains("Error: Your passwords didn't match."))
        #expect(result.stderr.contains("This password is too common."))
        #expect(result.stderr.contains("Bypass password validation and create user anyway? [y/N]: "))
        let user = try #require(try await Self.user("tester", in: cli))
        #expect(user.isSuperuser)
        #expect(await PasswordHashers().checkPassword("password", encoded: user.password))
        #expect(!result.stderr.contains("password\n"), "the password is never echoed")
    }

    @Test func changePasswordFromStandardInputAndWithRetries() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        try await cli.run(["users", "create", "alice", "--stdin"], stdin: "\(Self.goodPassword)\n")
        let before = try #require(try await Self.user("alice", in: cli))
        let changed = try await cli.run(["changepassword", "alice", "--stdin"], stdin: "new-\(Self.goodPassword)\n")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("Password changed successfully for user 'alice'"))
        let after = try #require(try await Self.user("alice", in: cli))
        #expect(after.password != before.password)
        #expect(await PasswordHashers().checkPassword("new-\(Self.goodPassword)", encoded: after.password))
        // Validators apply; three failed attempts abort without a change.
        let weak = try await cli.run(["changepassword", "alice", "--stdin"], stdin: "alice\n")
        #expect(weak.status != 0)
        #expect(weak.stderr.contains("too similar to the username") || weak.stderr.contains("too short"))
        let aborted = try await cli.run(["changepassword", "alice"], stdin: "a\nb\nc\nd\n12345678\n12345678\n")
        #expect(aborted.status != 0)
        #expect(aborted.stderr.contains("Aborting password change for user 'alice' after 3 attempts"))
        #expect(try await Self.user("alice", in: cli)?.password == after.password)
        let missing = try await cli.run(["changepassword", "nobody", "--stdin"], stdin: "x\n")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no user named 'nobody'"))
    }

    @Test func preferredHasherArgon2MakesArgon2HashesAndOthersAreRefused() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let created = try await cli.run(["users", "create", "alice", "--stdin", "--preferred-hasher", "argon2"], stdin: "\(Self.goodPassword)\n")
        #expect(created.status == 0, "\(created.stderr)")
        let alice = try #require(try await Self.user("alice", in: cli))
        #expect(alice.password.hasPrefix("argon2$argon2id$v=19$m=102400,t=2,p=8$"))
        // Django's default list (pbkdf2_sha256 preferred) logs the user in, and would upgrade the hash.
        #expect(await PasswordHashers().checkPassword(Self.goodPassword, encoded: alice.password))
        #expect(PasswordHashers().needsUpgrade(alice.password))
        let unknown = try await cli.run(["users", "create", "bob", "--stdin", "--preferred-hasher", "md5"], stdin: "\(Self.goodPassword)\n")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("--preferred-hasher must be one of"))
    }

    @Test func usersGroupsAndPermissionsEndToEnd() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        #expect(try await cli.run(["users", "create", "alice", "--email", "a@example.com", "--no-password"]).status == 0)
        #expect(try await cli.run(["users", "create", "bob", "--no-password"]).status == 0)
        let duplicate = try await cli.run(["users", "create", "alice", "--no-password"])
        #expect(duplicate.status != 0 && duplicate.stderr.contains("already exists"))
        let invalid = try await cli.run(["users", "create", "bad name!", "--no-password"])
        #expect(invalid.status != 0 && invalid.stderr.contains("Enter a valid username"))

        #expect(try await cli.run(["permissions", "create", "blog.view_post", "--model", "post", "--name", "Can view post"]).status == 0)
        #expect(try await cli.run(["permissions", "create", "blog.change_post", "--model", "post", "--name", "Can change post"]).status == 0)
        #expect(try await cli.run(["groups", "create", "editors"]).status == 0)
        #expect(try await cli.run(["groups", "create", "editors"]).status != 0)
        #expect(try await cli.run(["groups", "add-member", "editors", "alice"]).status == 0)
        #expect(try await cli.run(["groups", "grant", "editors", "blog.change_post"]).status == 0)
        #expect(try await cli.run(["permissions", "grant", "alice", "blog.view_post"]).status == 0)

        let shown = try await cli.run(["permissions", "show", "alice"])
        #expect(shown.stdout.split(separator: "\n") == ["blog.change_post", "blog.view_post"])
        #expect(try await cli.run(["permissions", "show", "bob"]).stdout.isEmpty)

        let listed = try await cli.run(["groups", "list"])
        #expect(listed.stdout.contains("editors") && listed.stdout.contains("alice") && listed.stdout.contains("blog.change_post"))

        #expect(try await cli.run(["groups", "revoke", "editors", "blog.change_post"]).status == 0)
        #expect(try await cli.run(["permissions", "revoke", "alice", "blog.view_post"]).status == 0)
        #expect(try await cli.run(["permissions", "show", "alice"]).stdout.isEmpty)
        #expect(try await cli.run(["groups", "remove-member", "editors", "alice"]).status == 0)

        #expect(try await cli.run(["users", "deactivate", "alice"]).status == 0)
        #expect(try await Self.user("alice", in: cli)?.isActive == false)
        #expect(try await cli.run(["users", "activate", "alice"]).status == 0)
        #expect(try await Self.user("alice", in: cli)?.isActive == true)
        let users = try await cli.run(["users", "list"])
        #expect(users.stdout.contains("alice") && users.stdout.contains("bob") && users.stdout.contains("a@example.com"))
        #expect(try await cli.run(["users", "delete", "bob"]).status == 0)
        #expect(try await Self.user("bob", in: cli) == nil)

        for arguments in [
            ["permissions", "grant", "alice", "blog.nope"], ["permissions", "grant", "alice", "nodot"],
            ["groups", "add-member", "nogroup", "alice"], ["users", "delete", "ghost"],
        ] {
            let failed = try await cli.run(arguments)
            #expect(failed.status != 0, "\(arguments)")
            #expect(failed.stderr.split(separator: "\n").count == 1, "\(arguments): \(failed.stderr)")
        }
    }

    @Test func clearSessionsDeletesOnlyExpiredRows() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: cli.sqlitePath))
        try await provider.write { db in
            try await db.raw(
                """
                INSERT INTO django_session (session_key, session_data, expire_date) VALUES \
                ('expiredexpiredexpired1', 'x', '2001-01-01 00:00:00'), \
                ('expiredexpiredexpired2', 'x', '2020-05-05 10:00:00.5'), \
                ('livelivelivelivelive01', 'x', '2999-01-01 00:00:00')
                """
            ).run()
        }
        let result = try await cli.run(["clearsessions"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Deleted 2 expired sessions."))
        let left = try await provider.read { db in
            try await db.raw("SELECT session_key FROM django_session").all().map { try $0.decode(column: "session_key", as: String.self) }
        }
        #expect(left == ["livelivelivelivelive01"])
        try await provider.shutdown()
    }

    @Test func everyCommandsHelpShowsAnExample() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let commands: [[String]] = [
            [], ["migrate"], ["createsuperuser"], ["changepassword"], ["users"], ["users", "list"], ["users", "create"],
            ["users", "deactivate"], ["users", "activate"], ["users", "delete"], ["users", "set-email"], ["groups"], ["groups", "list"],
            ["groups", "create"], ["groups", "delete"], ["groups", "add-member"], ["groups", "remove-member"],
            ["groups", "grant"], ["groups", "revoke"], ["permissions"], ["permissions", "list"],
            ["permissions", "create"], ["permissions", "grant"], ["permissions", "revoke"], ["permissions", "show"],
            ["permissions", "register"], ["permissions", "grant-object"], ["permissions", "revoke-object"],
            ["permissions", "objects"], ["groups", "grant-object"], ["groups", "revoke-object"],
            ["serve"], ["clearsessions"],
        ]
        for command in commands {
            let help = try await cli.run(command + ["--help"], withDatabase: false)
            #expect(help.status == 0, "\(command)")
            #expect(help.stdout.contains("Example"), "\(command) --help shows no example")
        }
    }

    static func user(_ username: String, in cli: CLIRunner) async throws -> User? {
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: cli.sqlitePath))
        defer { Task { try? await provider.shutdown() } }
        return try await SQLAuthStore(provider: provider).user(username: username)
    }
}
