import Foundation
import Testing

/// `serve --audit-log FILE` and `GATEHOUSE_AUDIT_LOG` for the admin commands, through the real
/// binary: the events of a failed and a successful login, a logout and an administrator's changes,
/// as JSON lines in a 0600 file, without a password or a session key anywhere.
@Suite("serve --audit-log")
struct ServeAuditTests {
    static func events(_ file: URL) throws -> [[String: String]] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: String], "not an object of strings: \(line)")
        }
    }

    static func mode(_ file: URL) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func loginsLogoutAndAdminChangesLandInTheFile() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let audit = cli.workingDirectory.appending(path: "audit.jsonl")
        let environment = ["GATEHOUSE_AUDIT_LOG": audit.path]
        let created = try await cli.run(["users", "create", "bob", "--stdin"], stdin: CLITests.goodPassword + "\n", environment: environment)
        try #require(created.status == 0, "\(created.stderr)")
        #expect(try Self.mode(audit) == 0o600, "created with mode 0600")
        try await cli.run(["groups", "create", "editors"], environment: environment)
        try await cli.run(["groups", "add-member", "editors", "bob"], environment: environment)
        let unknown = try await cli.run(["groups", "add-member", "editors", "nobody"], environment: environment)
        #expect(unknown.status != 0, "a failed command writes no event")
        // A file others may read is tightened to 0600, with a warning.
        #expect(chmod(audit.path, 0o644) == 0)

        let policy = cli.workingDirectory.appending(path: "policy.yaml")
        try ServeMetricsTests.policy.write(to: policy, atomically: true, encoding: .utf8)
        let server = try await ServeProcess.start(
            cli, ["--audit-log", audit.path, "--log-format", "json", "--policy", policy.path, "--login-failure-limit", "1"]
        )
        defer { server.stop() }
        #expect(try Self.mode(audit) == 0o600)
        #expect(server.log.text.contains("had mode 644: changed to 600"), "\(server.log.text)")
        let curl = Curl(jar: cli.workingDirectory.appending(path: "audit.jar"))
        let typed = "bob\u{1B}[31m\r\nforged\u{7F}\u{202E}"
        let wrong = "wrong-horse-\(UUID().uuidString)"
        #expect(try await curl.logIn(server.base, username: typed, password: wrong).status == 200)
        #expect(try await curl.logIn(server.base, username: typed, password: wrong).status == 429, "one failure is the limit here")
        #expect(try await curl.logIn(server.base, username: "bob", password: CLITests.goodPassword).status == 302)
        #expect(try await curl(["\(server.base)/secret/plans?token=abcdefghij0123456789xyz"]).status == 403)
        let sessionKey = try #require(curl.cookie("sessionid"))
        let profile = try await curl(["\(server.base)/accounts/profile/"])
        let range = try #require(profile.body.range(of: #"name="csrfmiddlewaretoken" value=""#))
        let token = String(profile.body[range.upperBound...].prefix(64))
        let logout = try await curl(["-H", "Origin: \(server.base)", "--data-urlencode", "csrfmiddlewaretoken=\(token)", "\(server.base)/accounts/logout/"])
        #expect(logout.status == 200 || logout.status == 302)

        // An administrator ends bob's sessions (a new login first, so that there is one).
        #expect(try await curl.logIn(server.base, username: "bob", password: CLITests.goodPassword).status == 302)
        let ended = try await cli.run(["sessions", "end", "bob", "--all"], environment: environment)
        #expect(ended.status == 0, "\(ended.stderr)")
        server.stop()

        let events = try Self.events(audit)
        let names = events.map { $0["event"] ?? "" }
        #expect(
            names == [
                "user.created", "group.created", "group.member_added", "login.failed", "login.throttled", "login.succeeded", "gateway.forbidden",
                "logout", "login.succeeded", "session.ended",
            ],
            "\(names)"
        )
        for event in events {
            #expect(event["level"] == "notice" && event["label"] == "gatehouse.audit" && event["message"] == event["event"], "\(event)")
            #expect(event["timestamp"] != nil)
        }
        #expect(events[0]["username"] == "bob" && events[0]["by"] == "admin" && events[0]["os_user"] == "tester")
        #expect(events[2]["group"] == "editors" && events[2]["username"] == "bob")
        let failed = events[3]
        #expect(failed["username"] == "bob?[31m??forged??", "control characters scrubbed: \(failed)")
        #expect(failed["reason"] == "invalid_credentials" && failed["client"] == "127.0.0.1" && failed["path"] == "/accounts/login/")
        #expect(failed["user_id"] == nil)
        #expect(events[4]["username"] == failed["username"] && events[4]["reason"] == "locked" && events[4]["client"] == "127.0.0.1")
        let succeeded = events[5]
        #expect(succeeded["username"] == "bob" && succeeded["user_id"] == "1" && succeeded["client"] == "127.0.0.1")
        let forbidden = events[6]
        #expect(forbidden["username"] == "bob" && forbidden["user_id"] == "1" && forbidden["path"] == "/secret/plans", "\(forbidden)")
        #expect(forbidden["method"] == "GET" && forbidden["via"] == "proxy" && forbidden["client"] == "127.0.0.1")
        #expect(events[7]["username"] == "bob" && events[7]["user_id"] == "1")
        #expect(events[9]["by"] == "admin" && events[9]["sessions"] == "1" && events[9]["username"] == "bob")

        let file = try String(contentsOf: audit, encoding: .utf8)
        for secret in [wrong, CLITests.goodPassword, sessionKey] {
            #expect(!file.contains(secret) && !server.log.text.contains(secret), "a secret in the audit file or the log")
        }
        #expect(server.log.text.contains(#""message":"login.failed""#), "the events are in the log too")
    }

    @Test func anAuditLogThatIsNotAFileIsAStartError() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let result = try await cli.run(["serve", "--port", "0", "--audit-log", cli.workingDirectory.path])
        #expect(result.status != 0 && result.stderr.contains("audit log"), "\(result.stderr)")
        let missing = try await cli.run(["serve", "--port", "0", "--audit-log", "/nonexistent-dir/audit.jsonl"])
        #expect(missing.status != 0 && missing.stderr.contains("cannot open the audit log /nonexistent-dir/audit.jsonl"), "\(missing.stderr)")
    }
}
