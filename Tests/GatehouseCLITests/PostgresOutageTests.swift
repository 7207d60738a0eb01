import AsyncHTTPClient
import Foundation
import Gatehouse
import GatehousePostgres
import GatehouseSQL
import SQLKit
import Testing

// `gatehouse serve` on a PostgreSQL of the test's own, under a steady load of logins and authorized
// requests, while that PostgreSQL is stopped and started again or loses a connection: clients get
// 503 while it is out (never a 500, never a logout, never a wait past the pool's 5 s), then normal
// answers, and nothing that was answered as done is lost. Runs where CI runs PostgreSQL tests
// (GATEHOUSE_TEST_POSTGRES_URL set); the shared cluster itself is never touched.
@Suite("PostgreSQL outages under load, through the real binary", .serialized, .enabled(if: CLIPostgres.enabled))
struct PostgresOutageTests {
    static let password = CLITests.goodPassword
    static let users = ["ann", "ben", "cid", "dee"]
    /// The pool's default wait for a connection, and room for a loaded machine to answer after it (the
    /// test's own timing runs on a cooperative pool that other suites' CLI runs can hold for seconds).
    /// A request without the bound waited for the pool's circuit breaker: a minute.
    static let connectionTimeout = 5.0
    static let slack = 10.0

    struct Stage {
        let pg: ThrowawayPostgres
        let cli: CLIRunner
        let server: ServeProcess
        let client: HTTPClient
        let sessions: [(String, WebSession)]

        func tearDown() async {
            server.stop()
            try? await client.shutdown()
            await pg.destroy()
            try? FileManager.default.removeItem(at: cli.workingDirectory)
        }
    }

    /// A cluster, users who may see /secret/ (through a group), `serve --policy` on it with the
    /// default pool, and one logged-in session per user.
    static func stage() async throws -> Stage {
        let directory = FileManager.default.temporaryDirectory.appending(path: "gh-pg-outage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pg = try await ThrowawayPostgres.start(in: directory)
        let cli = CLIRunner(database: pg.url, workingDirectory: directory)
        func run(_ arguments: [String], stdin: String = "") async throws {
            let result = try await cli.run(arguments, stdin: stdin)
            guard result.status == 0 else { throw PeerFailure("gatehouse \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        try await run(["migrate"])
        try await run(["permissions", "register", "refapp.Secret"])
        try await run(["groups", "create", "readers"])
        try await run(["groups", "grant", "readers", "refapp.view_secret"])
        for user in users {
            try await run(["users", "create", user, "--stdin"], stdin: password + "\n")
            try await run(["groups", "add-member", "readers", user])
        }
        let policy = directory.appending(path: "policy.yaml")
        try "default: authenticated\nrules:\n  - path: /secret/\n    require:\n      permissions: [refapp.view_secret]\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        // The production default wait, which the outage is measured against (other tests on
        // PostgreSQL wait longer: ServeProcess gives them 60 s on a loaded machine).
        let server = try await ServeProcess.start(cli, ["--policy", policy.path, "--database-timeout", "5"])
        let client = WebSession.makeClient()
        var sessions: [(String, WebSession)] = []
        for user in users {
            let browser = WebSession(client: client)
            let login = try await browser.logIn(server.base, username: user, password: password)
            guard login.status == 302 else { throw PeerFailure("\(user) could not log in: \(login.status) \(login.body.prefix(300))") }
            sessions.append((user, browser))
        }
        return Stage(pg: pg, cli: cli, server: server, client: client, sessions: sessions)
    }

    /// Polls `condition` (another process's progress, not time passing) for at most `seconds`.
    static func waitUntil(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    static func isSuccess(_ record: LoadRecorder.Record) -> Bool {
        record.status == (record.kind == .login ? 302 : 200)
    }

    /// What holds whatever happened to the database: every answer a success or a 503 (no 500, no
    /// 401 or 403, which would be a logout; no dropped request), none later than the pool's wait
    /// allows; afterwards every session made before and during the load is valid, and every login
    /// answered 302 left its session row and its last_login.
    static func checkNothingLost(_ stage: Stage, _ records: [LoadRecorder.Record]) async throws {
        for record in records {
            #expect(isSuccess(record) || record.status == 503, "\(record.kind) for \(record.username): \(record.status) \(record.body)")
            #expect(record.seconds < connectionTimeout + slack, "\(record.kind) took \(record.seconds) s: answered \(record.status)")
        }
        let base = stage.server.base
        for (user, session) in stage.sessions {
            let answer = try await session.authorize(base, uri: "/secret/plans")
            #expect(answer.status == 200 && answer.header("X-Gatehouse-User") == user, "\(user)'s first session: \(answer.status)")
        }
        let provider = try PostgresDatabaseProvider(url: try DatabaseURL(stage.pg.url))
        let keys = Set(try await provider.read { db in
            try await db.raw("SELECT session_key FROM django_session").all().map { try $0.decode(column: "session_key", as: String.self) }
        })
        let lastLogins = try await provider.read { db in
            try await db.raw("SELECT username, last_login FROM auth_user").all().reduce(into: [String: Date]()) { result, row in
                result[try row.decode(column: "username", as: String.self)] = try row.decode(column: "last_login", as: Date?.self)
            }
        }
        try await provider.shutdown()
        let logins = records.filter { $0.kind == .login && $0.status == 302 }
        #expect(!logins.isEmpty)
        for login in logins {
            let key = try #require(login.sessionKey, "a 302 login set no session cookie")
            #expect(keys.contains(key), "the session of a login answered 302 (\(login.username)) is in django_session")
            let lastLogin = try #require(lastLogins[login.username] ?? nil, "\(login.username) has a last_login")
            #expect(lastLogin >= login.wallClockStart.addingTimeInterval(-1), "\(login.username)'s last_login is as late as the login answered 302")
            let browser = WebSession(client: stage.client)
            browser.setCookie("sessionid", key)
            let answer = try await browser.authorize(base, uri: "/secret/plans")
            #expect(answer.status == 200 && answer.header("X-Gatehouse-User") == login.username, "a session from the load: \(answer.status)")
        }
    }

    @Test("stopped for 10 s under load: 503 while down, normal within 5 s of its return, nothing lost", .timeLimit(.minutes(4)))
    func stoppedAndStarted() async throws {
        let stage = try await Self.stage()
        let recorder = LoadRecorder()
        let load = Task {
            await recorder.run(
                client: stage.client, base: stage.server.base, users: Self.users, password: Self.password, loginLoops: 1,
                sessions: stage.sessions, uri: "/secret/plans"
            )
        }
        var failure: (any Error)?
        do {
            let warm = await Self.waitUntil(seconds: 60) {
                let records = recorder.all
                return records.count(where: { $0.kind == .authorized && $0.status == 200 }) >= 20
                    && records.contains(where: { $0.kind == .login && $0.status == 302 })
            }
            try #require(warm, "no steady load before the outage: \(LoadRecorder.summary(recorder.all))")
            try await stage.pg.stop()
            let down = ContinuousClock.now
            try await Task.sleep(for: .seconds(10))  // the outage itself: its length is the point
            let restarting = ContinuousClock.now
            try await stage.pg.restart()
            let up = ContinuousClock.now
            let served = await Self.waitUntil(seconds: 60) {
                let after = recorder.all.filter { $0.started >= up + .seconds(5) && Self.isSuccess($0) }
                return after.count(where: { $0.kind == .authorized }) >= 20 && after.contains { $0.kind == .login }
            }
            recorder.stop()
            await load.value
            let records = recorder.all
            #expect(served, "not serving again after the restart: \(LoadRecorder.summary(records.filter { $0.started >= up }))")
            let whileDown = records.filter { $0.started >= down && $0.started + .milliseconds(Int64($0.seconds * 1000)) <= restarting }
            // Every loop met the outage (a request of each answered 503), and whatever was asked and
            // answered wholly within it was a 503. (A request takes up to the 5 s wait: on a loaded
            // machine a loop may have none that starts and ends inside the 10 s.)
            #expect(whileDown.allSatisfy { $0.status == 503 },
                    "while PostgreSQL was stopped every request answered 503: \(LoadRecorder.summary(whileDown))")
            for (user, _) in stage.sessions {
                #expect(records.contains { $0.kind == .authorized && $0.username == user && $0.status == 503 },
                        "\(user)'s requests met the outage as 503: \(LoadRecorder.summary(records.filter { $0.username == user }))")
            }
            let recovered = records.filter { $0.started >= up + .seconds(5) }
            #expect(recovered.allSatisfy(Self.isSuccess),
                    "from 5 s after PostgreSQL returned every request succeeded: \(LoadRecorder.summary(recovered))")
            print("PostgreSQL stopped for 10 s: \(LoadRecorder.summary(records)) (\(records.count) requests); while down \(LoadRecorder.summary(whileDown)); longest answer \(records.map(\.seconds).max() ?? 0) s; first success after the restart \(records.filter { $0.started >= up && Self.isSuccess($0) }.map { Double(($0.started - up).components.attoseconds) / 1e18 + Double(($0.started - up).components.seconds) }.min() ?? -1) s after it")
            try await Self.checkNothingLost(stage, records)
        } catch {
            failure = error
        }
        recorder.stop()
        await load.value
        if failure != nil { print("serve's log:\n\(stage.server.log.text.suffix(4000))") }
        await stage.tearDown()
        if let failure { throw failure }
    }

    @Test("a connection killed by the server (pg_terminate_backend) under load: at most its requests fail, with 503", .timeLimit(.minutes(4)))
    func connectionTerminated() async throws {
        let stage = try await Self.stage()
        let recorder = LoadRecorder()
        let load = Task {
            await recorder.run(
                client: stage.client, base: stage.server.base, users: Self.users, password: Self.password, loginLoops: 1,
                sessions: stage.sessions, uri: "/secret/plans"
            )
        }
        var failure: (any Error)?
        do {
            let warm = await Self.waitUntil(seconds: 60) {
                recorder.all.count(where: { $0.kind == .authorized && $0.status == 200 }) >= 20
            }
            try #require(warm, "no steady load: \(LoadRecorder.summary(recorder.all))")
            let admin = try PostgresDatabaseProvider(url: try DatabaseURL(stage.pg.url))
            let killed = try await admin.read { db in
                try await db.raw("""
                    SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                    ORDER BY backend_start LIMIT 1
                    """).first(decodingColumn: "killed", as: Bool.self)
            }
            try await admin.shutdown()
            let after = ContinuousClock.now
            #expect(killed == true, "one of serve's connections was terminated")
            let continued = await Self.waitUntil(seconds: 60) {
                recorder.all.count(where: { $0.started >= after && Self.isSuccess($0) }) >= 30
            }
            recorder.stop()
            await load.value
            let records = recorder.all
            #expect(continued, "serving went on: \(LoadRecorder.summary(records.filter { $0.started >= after }))")
            let failed = records.filter { !Self.isSuccess($0) }
            // One connection carries one request at a time: the one on it, and one that took it from the
            // pool before the pool saw it close.
            #expect(failed.count <= 2, "only the requests on the killed connection failed: \(LoadRecorder.summary(records))")
            print("pg_terminate_backend under load: \(LoadRecorder.summary(records)) (\(records.count) requests)")
            try await Self.checkNothingLost(stage, records)
        } catch {
            failure = error
        }
        recorder.stop()
        await load.value
        if failure != nil { print("serve's log:\n\(stage.server.log.text.suffix(4000))") }
        await stage.tearDown()
        if let failure { throw failure }
    }
}
