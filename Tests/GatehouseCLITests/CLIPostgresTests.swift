import Foundation
import Gatehouse
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import SQLKit
import Testing

/// The same commands against PostgreSQL, when `GATEHOUSE_TEST_POSTGRES_URL` is set (CI sets it).
enum CLIPostgres {
    static let adminURL = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"]
    static var enabled: Bool {
        if adminURL == nil {
            print("note: skipped the CLI tests on PostgreSQL: GATEHOUSE_TEST_POSTGRES_URL is not set (CI sets it)")
            return false
        }
        return true
    }
}

@Suite("gatehouse command-line tool on PostgreSQL", .enabled(if: CLIPostgres.enabled))
struct CLIPostgresTests {
    static var adminURL: String? { CLIPostgres.adminURL }

    @Test func migrateAdminCommandsAndEffectivePermissions() async throws {
        let admin = try DatabaseURL(try #require(Self.adminURL))
        let name = "gh_cli_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        let adminProvider = try PostgresDatabaseProvider(url: admin, pool: TestDatabases.patientPool)
        try await adminProvider.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
        let url = try #require(Self.adminURL).replacingOccurrences(
            of: "/[^/]*$", with: "/\(name)", options: .regularExpression
        )
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-cli-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cli = CLIRunner(database: url, workingDirectory: directory)
        defer { try? FileManager.default.removeItem(at: directory) }

        #expect(try await cli.run(["users", "list"]).status != 0, "an unmigrated database is an error")
        let migrated = try await cli.run(["migrate"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("Applied 0001_django_auth_schema."))
        #expect(try await cli.run(["migrate"]).stdout.contains("No migrations to apply."))
        let superuser = try await cli.run(
            ["createsuperuser", "--no-input", "--username", "root", "--email", "root@EXAMPLE.org"],
            environment: ["GATEHOUSE_SUPERUSER_PASSWORD": CLITests.goodPassword]
        )
        #expect(superuser.status == 0, "\(superuser.stderr)")
        #expect(try await cli.run(["users", "create", "alice", "--stdin"], stdin: "\(CLITests.goodPassword)\n").status == 0)
        #expect(try await cli.run(["permissions", "create", "blog.view_post", "--model", "post"]).status == 0)
        #expect(try await cli.run(["groups", "create", "readers"]).status == 0)
        #expect(try await cli.run(["groups", "add-member", "readers", "alice"]).status == 0)
        #expect(try await cli.run(["groups", "grant", "readers", "blog.view_post"]).status == 0)
        #expect(try await cli.run(["permissions", "show", "alice"]).stdout == "blog.view_post\n")
        #expect(try await cli.run(["permissions", "show", "root"]).stdout.contains("blog.view_post"))
        #expect(try await cli.run(["changepassword", "alice", "--stdin"], stdin: "another-\(CLITests.goodPassword)\n").status == 0)
        #expect(try await cli.run(["users", "deactivate", "alice"]).status == 0)
        #expect(try await cli.run(["permissions", "show", "alice"]).stdout.contains("inactive"))
        let listed = try await cli.run(["users", "list"])
        #expect(listed.stdout.contains("root@example.org") && listed.stdout.contains("alice"))

        let provider = try PostgresDatabaseProvider(url: try DatabaseURL(url), pool: TestDatabases.patientPool)
        let alice = try #require(try await SQLAuthStore(provider: provider).user(username: "alice"))
        #expect(!alice.isActive)
        #expect(await PasswordHashers().checkPassword("another-\(CLITests.goodPassword)", encoded: alice.password))
        try await provider.shutdown()
        try await adminProvider.read { db in try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
        try await adminProvider.shutdown()
    }
}
