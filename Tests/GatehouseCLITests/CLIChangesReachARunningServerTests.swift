import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// A server keeps permission answers in its cache; the `gatehouse` CLI, another process, changes
/// grants in the same database; the server's next request follows the change.
enum CLIChangesReachARunningServer {
    static let password = "correct horse battery staple"

    static func journey(cli: CLIRunner, provider: any SQLDatabaseProvider) async throws {
        #expect(try await cli.run(["migrate"]).status == 0)
        #expect(try await cli.run(["users", "create", "alice", "--stdin"], stdin: password + "\n").status == 0)
        #expect(try await cli.run(["permissions", "register", "blog.post"]).status == 0)
        #expect(try await cli.run(["permissions", "grant", "alice", "blog.view_post"]).status == 0)

        let store = SQLAuthStore(provider: provider)
        let keys = try SigningKeys(secretKey: "cli-cache-test-secret-0123456789abcdefgh")
        let builder = GatehouseRouterBuilder(users: store, sessions: SQLSessionStore(provider: provider, keys: keys), keys: keys)
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
            .get("/") { _, _ in "editing" }

        try await Application(router: router).test(.router) { client in
            let browser = Browser(client)
            let login = try await browser.logIn(username: "alice", password: password)
            #expect(login.status == .found)
            #expect(try await browser.get("/posts/").status == .ok)
            #expect(try await browser.get("/posts/").status == .ok)
            #expect(builder.permissionCache.statistics.hits >= 1, "the second request was answered from the cache")

            #expect(try await cli.run(["permissions", "revoke", "alice", "blog.view_post"]).status == 0)
            #expect(try await browser.get("/posts/").status == .forbidden, "a CLI revoke is honoured on the next request")

            #expect(try await cli.run(["groups", "create", "readers"]).status == 0)
            #expect(try await cli.run(["groups", "grant", "readers", "blog.view_post"]).status == 0)
            #expect(try await browser.get("/posts/").status == .forbidden)
            #expect(try await cli.run(["groups", "add-member", "readers", "alice"]).status == 0)
            #expect(try await browser.get("/posts/").status == .ok, "membership through the CLI")
            #expect(try await cli.run(["groups", "revoke", "readers", "blog.view_post"]).status == 0)
            #expect(try await browser.get("/posts/").status == .forbidden, "group permission revoked through the CLI")

            #expect(try await browser.get("/posts/7/edit/").status == .forbidden)
            #expect(try await cli.run(["permissions", "grant-object", "alice", "blog.change_post", "7"]).status == 0)
            #expect(try await browser.get("/posts/7/edit/").status == .ok)
            #expect(try await cli.run(["permissions", "revoke-object", "alice", "blog.change_post", "7"]).status == 0)
            #expect(try await browser.get("/posts/7/edit/").status == .forbidden, "object grant revoked through the CLI")

        }
    }
}

@Suite("CLI changes reach a running server")
struct CLIChangesReachARunningServerTests {
    @Test func sqlite() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        #expect(try await cli.run(["migrate"]).status == 0)
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: cli.sqlitePath))
        var failure: (any Error)?
        do { try await CLIChangesReachARunningServer.journey(cli: cli, provider: provider) } catch { failure = error }
        try? await provider.shutdown()
        if let failure { throw failure }
    }

    @Test(.enabled(if: CLIPostgres.enabled))
    func postgres() async throws {
        try await TestDatabases.withPostgresDatabase { url in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-cli-cache-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            // Test clusters use trust authentication: the URL has no password to redact.
            let cli = CLIRunner(database: url.redacted, workingDirectory: directory)
            #expect(try await cli.run(["migrate"]).status == 0)
            let provider = try PostgresDatabaseProvider(url: url, pool: TestDatabases.patientPool)
            var failure: (any Error)?
            do { try await CLIChangesReachARunningServer.journey(cli: cli, provider: provider) } catch { failure = error }
            try? await provider.shutdown()
            if let failure { throw failure }
        }
    }
}
