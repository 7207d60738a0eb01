import AsyncHTTPClient
import Foundation
import Gatehouse
import GatehouseSQL
import SQLKit
import Testing

// SQLite has one writer at a time across processes: the `gatehouse` CLI writing users, grants and
// memberships in a loop while `gatehouse serve` takes logins as fast as it can (each login writes its
// session, last_login and the throttle's counts) must queue, not fail: no "database is locked"
// reaches a client or the CLI, and every write is there afterwards.
@Suite("SQLite: CLI writes while the server takes logins")
struct SQLiteWritersUnderLoadTests {
    static let password = CLITests.goodPassword

    /// Runs the CLI (``CLIRunner/run(_:stdin:environment:withDatabase:)`` waits off the cooperative pool).
    static func run(_ cli: CLIRunner, _ arguments: [String], stdin: String = "") async throws -> CLIRunner.Result {
        try await cli.run(arguments, stdin: stdin)
    }

    @Test("no database-is-locked error reaches a client, no write lost", .timeLimit(.minutes(4)))
    func cliWritesDuringLogins() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let users = ["lia", "leo", "lou"]
        #expect(try await Self.run(cli, ["migrate"]).status == 0)
        #expect(try await Self.run(cli, ["permissions", "register", "refapp.Secret"]).status == 0)
        for user in users {
            #expect(try await Self.run(cli, ["users", "create", user, "--stdin"], stdin: Self.password + "\n").status == 0)
            #expect(try await Self.run(cli, ["permissions", "grant", user, "refapp.view_secret"]).status == 0)
        }
        let policy = cli.workingDirectory.appending(path: "policy.yaml")
        try "default: authenticated\nrules:\n  - path: /secret/\n    require:\n      permissions: [refapp.view_secret]\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        let server = try await ServeProcess.start(cli, ["--policy", policy.path])
        defer { server.stop() }
        let client = WebSession.makeClient()
        let reader = WebSession(client: client)
        let first = try await reader.logIn(server.base, username: "lia", password: Self.password)
        try #require(first.status == 302)

        let recorder = LoadRecorder()
        let load = Task {
            await recorder.run(
                client: client, base: server.base, users: users, password: Self.password, loginLoops: 3,
                sessions: [("lia", reader)], uri: "/secret/plans"
            )
        }
        // The writer: a user, a grant, a group and a membership per round, each its own process.
        var failures: [String] = []
        let rounds = 4
        for round in 0..<rounds {
            let steps: [([String], String)] = [
                (["users", "create", "w\(round)", "--stdin"], Self.password + "\n"),
                (["permissions", "grant", "w\(round)", "refapp.view_secret"], ""),
                (["groups", "create", "g\(round)"], ""),
                (["groups", "add-member", "g\(round)", "w\(round)"], ""),
                (["permissions", "revoke", users[round % users.count], "refapp.view_secret"], ""),
                (["permissions", "grant", users[round % users.count], "refapp.view_secret"], ""),
            ]
            for (arguments, stdin) in steps {
                let result = try await Self.run(cli, arguments, stdin: stdin)
                if result.status != 0 || result.stderr.lowercased().contains("locked") {
                    failures.append("gatehouse \(arguments.joined(separator: " ")): \(result.status) \(result.stderr)")
                }
            }
        }
        // Logins went on during the writes: at least a few finished after them too.
        let loginsSoFar = recorder.all.count { $0.kind == .login }
        _ = await PostgresOutageTests.waitUntil(seconds: 30) { recorder.all.count { $0.kind == .login } >= loginsSoFar + 3 }
        recorder.stop()
        await load.value
        try? await client.shutdown()

        let records = recorder.all
        #expect(failures.isEmpty, "every CLI write succeeded: \(failures)")
        let logins = records.filter { $0.kind == .login }
        #expect(logins.count(where: { $0.status == 302 }) >= 3, "logins went on: \(LoadRecorder.summary(logins))")
        for record in records {
            #expect(!record.body.lowercased().contains("locked"), "\(record.kind): \(record.status) \(record.body)")
            #expect(record.status != 0 && record.status < 500 || record.status == 503 && record.body.contains("at once"),
                    "\(record.kind) for \(record.username): \(record.status) \(record.body)")
            if record.kind == .login {
                // 302, or the login form again only because of the hashing pool's own limit.
                #expect(record.status == 302 || record.body.contains("at once"), "login: \(record.status) \(record.body)")
            } else {
                // A revoke and its grant again, one process each: in between, 403 is the truth.
                #expect(record.status == 200 || record.status == 403, "authorized: \(record.status) \(record.body)")
            }
        }
        print("SQLite, CLI writes during logins: \(LoadRecorder.summary(records)) (\(records.count) requests, \(rounds * 6) CLI writes)")

        // Nothing lost: every CLI write and every session of a login answered 302.
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: cli.sqlitePath))
        let store = SQLAuthStore(provider: provider)
        for round in 0..<rounds {
            let user = try #require(try await store.user(username: "w\(round)"), "user w\(round)")
            let permissions = try await store.userPermissions(userID: user.id)
            #expect(permissions.contains { $0.codename == "view_secret" }, "w\(round)'s grant")
            let groups = try await store.groups(ofUser: user.id)
            #expect(groups.contains { $0.name == "g\(round)" }, "w\(round)'s membership")
        }
        for user in users {
            let shown = try await Self.run(cli, ["permissions", "show", user])
            #expect(shown.stdout.contains("refapp.view_secret"), "\(user)'s grant, revoked and granted again")
        }
        let keys = Set(try await provider.read { db in
            try await db.raw("SELECT session_key FROM django_session").all().map { try $0.decode(column: "session_key", as: String.self) }
        })
        try await provider.shutdown()
        for login in logins where login.status == 302 {
            #expect(login.sessionKey.map(keys.contains) == true, "the session of a login answered 302 is in django_session")
        }
    }
}
