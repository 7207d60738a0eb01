import AsyncHTTPClient
import Foundation
import Testing

// Three `gatehouse serve` instances on one PostgreSQL behind nginx (round robin), started and
// stopped by scripts/scale/start.sh and stop.sh as docs/scaling.md tells users: a login through any
// instance is a login on all, and every revocation (logout, password change, deactivation, a
// permission or membership change), made through an instance, the CLI or Django, holds on every
// instance within 100 ms (each keeps sessions in memory, kept current by LISTEN/NOTIFY: the
// instance that made the change at once, the others when the notification arrives); failed-login
// counts are shared. Runs where CI runs PostgreSQL and
// nginx (GATEHOUSE_TEST_POSTGRES_URL and GATEHOUSE_TEST_NGINX set); its cluster is its own.
@Suite("scale-out: three instances behind nginx", .enabled(if: ScaleOut.enabled))
struct ScaleOutTests {
    static let password = CLITests.goodPassword

    @Test("a change through any instance, the CLI or Django holds within 100 ms on every instance", .timeLimit(.minutes(6)))
    func everyInstanceSeesEveryChange() async throws {
        let scale = try await ScaleOut.start()
        let client = WebSession.makeClient()
        var failure: (any Error)?
        do {
            try await Self.journey(scale, client: client)
        } catch {
            failure = error
        }
        try? await client.shutdown()
        if failure != nil { print("instances' logs:\n\(scale.logs.suffix(6000))") }
        await scale.stop()
        if let failure { throw failure }
    }

    static func journey(_ scale: ScaleOut, client: HTTPClient) async throws {
        let cli = scale.cli
        func run(_ arguments: [String], stdin: String = "") async throws {
            let result = try await cli.run(arguments, stdin: stdin)
            guard result.status == 0 else { throw PeerFailure("gatehouse \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        try await run(["permissions", "register", "refapp.Secret"])
        try await run(["groups", "create", "readers"])
        try await run(["groups", "grant", "readers", "refapp.view_secret"])
        for user in ["alice", "bob", "carol", "dan"] {
            try await run(["users", "create", user, "--stdin"], stdin: password + "\n")
            try await run(["groups", "add-member", "readers", user])
        }
        let balancer = scale.balancer
        let instances = scale.instances
        #expect(instances.count == 3)

        /// The answer of every instance (directly) and of the balancer (three times: each instance in
        /// turn) for this session and /secret/.
        func everywhere(_ session: WebSession) async throws -> [(String, Int, String?)] {
            var answers: [(String, Int, String?)] = []
            for base in instances + [balancer, balancer, balancer] {
                let answer = try await session.authorize(base, uri: "/secret/plans")
                answers.append((base, answer.status, answer.header("X-Gatehouse-User")))
            }
            return answers
        }
        /// Every instance answers as expected within 100 ms of the change (the instances keep sessions
        /// in memory and hear of changes by notification: docs/scaling.md gives the measured bound).
        func expectEverywhere(_ session: WebSession, _ status: Int, user: String? = nil, _ what: String) async throws {
            let changed = ContinuousClock.now
            func expected(_ answers: [(String, Int, String?)]) -> Bool {
                answers.allSatisfy { $0.1 == status && (user == nil || $0.2 == user) }
            }
            var answers = try await everywhere(session)
            while !expected(answers), ContinuousClock.now - changed < .milliseconds(100) {
                answers = try await everywhere(session)
            }
            #expect(expected(answers), "\(what): \(answers)")
        }

        // A login through the balancer is a login on every instance.
        let alice = WebSession(client: client)
        #expect(try await alice.logIn(balancer, username: "alice", password: password).status == 302)
        try await expectEverywhere(alice, 200, user: "alice", "alice's login through the balancer")
        let anonymous = WebSession(client: client)
        try await expectEverywhere(anonymous, 401, "no session: log in")

        // Membership and permission changes through the CLI.
        try await run(["groups", "remove-member", "readers", "alice"])
        try await expectEverywhere(alice, 403, "membership removed with the CLI")
        try await run(["groups", "add-member", "readers", "alice"])
        try await expectEverywhere(alice, 200, "membership back")
        try await run(["groups", "revoke", "readers", "refapp.view_secret"])
        try await expectEverywhere(alice, 403, "group permission revoked with the CLI")
        try await run(["permissions", "grant", "alice", "refapp.view_secret"])
        try await expectEverywhere(alice, 200, "direct grant with the CLI")
        try await run(["permissions", "revoke", "alice", "refapp.view_secret"])
        try await expectEverywhere(alice, 403, "direct grant revoked with the CLI")
        try await run(["groups", "grant", "readers", "refapp.view_secret"])
        try await expectEverywhere(alice, 200, "group permission back")

        // A logout through one instance ends the session on all.
        let bob = WebSession(client: client)
        #expect(try await bob.logIn(instances[0], username: "bob", password: password).status == 302)
        try await expectEverywhere(bob, 200, user: "bob", "bob's login on instance 1")
        let logout = try await bob.copy().submit(instances[1], page: "/accounts/profile/", to: "/accounts/logout/")
        #expect(logout.status == 302 || logout.status == 200, "logout on instance 2: \(logout.status)")
        try await expectEverywhere(bob, 401, "bob logged out through instance 2")

        // A password change through one instance ends the user's other sessions on all, and keeps this one.
        let carol = WebSession(client: client)
        let carolElsewhere = WebSession(client: client)
        #expect(try await carol.logIn(instances[2], username: "carol", password: password).status == 302)
        #expect(try await carolElsewhere.logIn(instances[0], username: "carol", password: password).status == 302)
        let changed = try await carol.submit(
            instances[1], page: "/accounts/password_change/", to: "/accounts/password_change/",
            fields: [("old_password", password), ("new_password1", "another-\(password)"), ("new_password2", "another-\(password)")]
        )
        #expect(changed.status == 302, "password change on instance 2: \(changed.status) \(changed.body.prefix(300))")
        try await expectEverywhere(carolElsewhere, 401, "carol's other session after her password change")
        try await expectEverywhere(carol, 200, user: "carol", "the session that changed the password")

        // A password change and a deactivation through the CLI.
        #expect(try await alice.logIn(balancer, username: "alice", password: password).status == 302)
        try await run(["changepassword", "alice", "--stdin"], stdin: "another-\(password)\n")
        try await expectEverywhere(alice, 401, "alice's session after changepassword with the CLI")
        let dan = WebSession(client: client)
        #expect(try await dan.logIn(balancer, username: "dan", password: password).status == 302)
        try await expectEverywhere(dan, 200, user: "dan", "dan's login")
        try await run(["users", "deactivate", "dan"])
        try await expectEverywhere(dan, 401, "dan deactivated with the CLI")

        // Django, on the same database: a revoke and a deactivation.
        if let python = ScaleOut.djangoPython {
            #expect(try await carol.logIn(balancer, username: "carol", password: "another-\(password)").status == 302)
            try await expectEverywhere(carol, 200, user: "carol", "carol before Django")
            try await ScaleOut.django(python, database: scale.databaseURL, """
                from django.contrib.auth.models import Group
                Group.objects.get(name="readers").user_set.remove(__import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model().objects.get(username="carol"))
                """)
            try await expectEverywhere(carol, 403, "membership removed by Django")
            try await ScaleOut.django(python, database: scale.databaseURL, """
                from django.contrib.auth import get_user_model
                user = get_user_model().objects.get(username="carol")
                user.is_active = False
                user.save()
                """)
            try await expectEverywhere(carol, 401, "carol deactivated by Django")
        }

        // Failed-login counts are shared: five failures spread over the instances lock the pair on all.
        let guesser = WebSession(client: client)
        for attempt in 0..<5 {
            let answer = try await guesser.logIn(instances[attempt % 3], username: "bob", password: "wrong-\(attempt)")
            #expect(answer.status == 200, "failure \(attempt + 1) is an ordinary refusal: \(answer.status)")
        }
        for base in instances + [balancer] {
            let locked = try await guesser.logIn(base, username: "bob", password: password)
            #expect(locked.status == 429, "the right password after five failures elsewhere is locked out at \(base): \(locked.status)")
        }
    }
}

// scripts/scale/start.sh and stop.sh, run from the test with the binary under test.
struct ScaleOut {
    static var enabled: Bool {
        guard CLIPostgres.enabled else { return false }
        guard FrontProxy.nginx.binary != nil else {
            print("note: skipped the scale-out test: set GATEHOUSE_TEST_NGINX to nginx (apt-get install nginx-light; .ci/run does)")
            return false
        }
        return true
    }

    static let djangoPython = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_DJANGO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    let directory: URL
    let balancer: String
    let instances: [String]
    let databaseURL: String
    let cli: CLIRunner

    var logs: String {
        (1...3).map { (try? String(contentsOf: directory.appending(path: "serve-\($0).log"), encoding: .utf8)) ?? "" }.joined(separator: "\n")
    }

    /// Runs scripts/scale/NAME; on failure its output is followed by what it logged.
    static func script(_ name: String, _ environment: [String: String]) async throws -> (Int32, String) {
        let log = FileManager.default.temporaryDirectory.appending(path: "gh-scale-script-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let (status, output) = try await ShellScript.run(
            BrowserEndToEndTests.repositoryRoot.appending(path: "scripts/scale/\(name)").path, environment: environment, log: log
        )
        guard status == 0 else { return (status, output + "\n" + ((try? String(contentsOf: log, encoding: .utf8)) ?? "")) }
        return (status, output)
    }

    static func start() async throws -> ScaleOut {
        let directory = FileManager.default.temporaryDirectory.appending(path: "gh-scale-\(UUID().uuidString)")
        // The policy lives in the directory stop.sh removes.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let policy = directory.appending(path: "policy.yaml")
        try "default: authenticated\nrules:\n  - path: /secret/\n    require:\n      permissions: [refapp.view_secret]\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        let (status, output) = try await script("start.sh", [
            "GATEHOUSE_BIN": CLIRunner.executable.path, "GATEHOUSE_NGINX": try #require(FrontProxy.nginx.binary),
            "GATEHOUSE_SCALE_DIR": directory.path, "GATEHOUSE_SCALE_SERVE_ARGS": "--policy \(policy.path)",
            "GATEHOUSE_PG_AUTO_INSTALL": "0",
        ])
        var exports: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count)
            guard let equals = pair.firstIndex(of: "=") else { continue }
            exports[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        guard status == 0, let balancer = exports["GATEHOUSE_SCALE_URL"], let instances = exports["GATEHOUSE_SCALE_INSTANCES"],
            let database = exports["GATEHOUSE_DATABASE_URL"]
        else {
            _ = try? await script("stop.sh", ["GATEHOUSE_SCALE_DIR": directory.path])
            throw PeerFailure("scripts/scale/start.sh failed (\(status)): \(output)")
        }
        let cli = CLIRunner(database: database, workingDirectory: directory)
        return ScaleOut(
            directory: directory, balancer: balancer, instances: instances.split(separator: " ").map(String.init), databaseURL: database, cli: cli
        )
    }

    func stop() async {
        _ = try? await Self.script("stop.sh", ["GATEHOUSE_SCALE_DIR": directory.path])
    }

    /// Runs Python in Django's shell (scripts/django/manage.py) on `database`.
    static func django(_ python: String, database: String, _ code: String) async throws {
        let root = BrowserEndToEndTests.repositoryRoot
        let executable = python.hasPrefix("/") ? python : root.appending(path: python).path
        let script = FileManager.default.temporaryDirectory.appending(path: "gh-scale-django-\(UUID().uuidString).sh")
        try "exec \"$@\"\n".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let log = FileManager.default.temporaryDirectory.appending(path: "gh-scale-django-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let (status, _) = try await ShellScript.run(
            script.path, arguments: [executable, root.appending(path: "scripts/django/manage.py").path, "shell", "-c", code],
            environment: ["ORACLE_DB_URL": database], log: log
        )
        guard status == 0 else { throw PeerFailure("Django: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")") }
    }
}
