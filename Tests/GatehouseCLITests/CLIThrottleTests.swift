import Foundation
import Gatehouse
import GatehouseSQL
import SQLKit
import Testing

/// `gatehouse throttle list` and `gatehouse throttle reset`, run as a user would, on failures that a
/// server recorded in the database.
@Suite("gatehouse throttle")
struct CLIThrottleTests {
    static func seed(_ provider: any SQLDatabaseProvider) async throws {
        let store = SQLLoginFailureStore(provider: provider)
        let now = Date()
        for index in 0..<5 {
            try await store.recordFailure(username: "alice", address: "203.0.113.9", at: now - Double(index), pruningBefore: now - 900)
        }
        try await store.recordFailure(username: "bob", address: "198.51.100.20", at: now, pruningBefore: now - 900)
        // An old failure, outside the cool-off: not listed.
        try await store.recordFailure(username: "carol", address: "192.0.2.1", at: now - 3600, pruningBefore: .distantPast)
    }

    @Test(arguments: CLIDatabase.enabled)
    func listShowsLocksAndResetLiftsThem(_ database: CLIDatabase) async throws {
        try await database.with { cli, open in
            #expect(try await cli.run(["migrate"]).status == 0)
            let empty = try await cli.run(["throttle", "list"])
            #expect(empty.status == 0 && empty.stdout == "No failed logins within the cool-off (900 s).\n", "\(empty.stderr)")
            let provider = try await open()
            do {
                try await Self.seed(provider)
            } catch {
                try? await provider.shutdown()
                throw error
            }
            try? await provider.shutdown()

            let list = try await cli.run(["throttle", "list"])
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["kind", "username", "address", "failures", "locked", "until"])
            #expect(lines.count == 7, "\(list.stdout)")
            let pair = try #require(lines.first { $0.first == "username+address" && $0[1] == "alice" })
            #expect(pair[2] == "203.0.113.9" && pair[3] == "5" && pair[4].hasSuffix("Z"), "locked: \(pair)")
            #expect(lines.contains(["address", "-", "203.0.113.9", "5", "-"]))
            #expect(lines.contains(["username", "bob", "-", "1", "-"]))
            #expect(!list.stdout.contains("carol"))

            // A lower limit from the environment shows more locks, as serve would enforce them.
            let strict = try await cli.run(["throttle", "list"], environment: ["GATEHOUSE_LOGIN_FAILURE_LIMIT": "1"])
            #expect(strict.stdout.split(separator: "\n").filter { $0.hasPrefix("username+address") && $0.hasSuffix("Z") }.count == 2)
            // A shorter cool-off from the flag drops the failures older than it.
            let short = try await cli.run(["throttle", "list", "--login-cooloff", "1"])
            #expect(short.status == 0 && !short.stdout.contains("carol"))

            let one = try await cli.run(["throttle", "reset", "--user", " ALICE ", "--address", "203.0.113.9"])
            #expect(one.status == 0 && one.stdout == "Deleted 5 failed logins.\n", "\(one.stderr)")
            #expect(!(try await cli.run(["throttle", "list"]).stdout.contains("alice")))
            let all = try await cli.run(["throttle", "reset"])
            #expect(all.stdout == "Deleted 2 failed logins.\n")
            #expect(try await cli.run(["throttle", "list"]).stdout.hasPrefix("No failed logins"))
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func serveRefusesPastTheLimitFromItsFlagAndEnvironment() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        #expect(try await cli.run(["migrate"]).status == 0)
        #expect(try await cli.run(["users", "create", "alice", "--stdin"], stdin: "\(CLITests.goodPassword)\n").status == 0)
        let server = Process()
        server.executableURL = CLIRunner.executable
        server.arguments = ["serve", "--port", "0", "--database", cli.database, "--login-failure-limit", "2"]
        server.currentDirectoryURL = cli.workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment["GATEHOUSE_LOGIN_COOLOFF"] = "120"
        environment["GATEHOUSE_SECRET_KEY"] = "throttle-serve-test-secret-0123456789abcdef"
        server.environment = environment
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let log = LogCollector(errors.fileHandleForReading)
        let port = try #require(await log.waitForPort(seconds: 60), "server did not start: \(log.text)")
        #expect(log.text.contains("login throttling: 2 failures per username and address, 30 per address, 100 per username, in 120 s"))
        let base = "http://127.0.0.1:\(port)"
        func logIn(_ password: String) throws -> (status: Int, body: String) {
            let jar = cli.workingDirectory.appendingPathComponent("jar-\(UUID().uuidString).txt")
            let page = try ServeTests.curl(["\(base)/accounts/login/"], jar: jar)
            let token = page.body.range(of: #"name="csrfmiddlewaretoken" value=""#).map { String(page.body[$0.upperBound...].prefix(64)) } ?? ""
            return try ServeTests.curl(
                ["-D", "-", "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(token)", "--data-urlencode", "username=alice",
                 "--data-urlencode", "password=\(password)", "\(base)/accounts/login/"],
                jar: jar
            )
        }
        #expect(try logIn("wrong-1").status == 200)
        #expect(try logIn("wrong-2").status == 200)
        let locked = try logIn(CLITests.goodPassword)
        #expect(locked.status == 429)
        let retryAfter = locked.body.split(separator: "\r\n").first { $0.lowercased().hasPrefix("retry-after:") }
        let seconds = Int(retryAfter?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        #expect((100...120).contains(seconds), "\(retryAfter ?? "no Retry-After")")
        let list = try await cli.run(["throttle", "list", "--login-failure-limit", "2", "--login-cooloff", "120"])
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains { $0.count == 5 && $0[0...3] == ["username+address", "alice", "127.0.0.1", "2"] && $0[4].hasSuffix("Z") }, "\(list.stdout)")
        #expect(log.text.contains("login locked: too many failed logins"))
        #expect(!log.text.contains("wrong-1") && !log.text.contains(CLITests.goodPassword), "no password in the log")
        #expect(try await cli.run(["throttle", "reset", "--address", "127.0.0.1"]).stdout == "Deleted 2 failed logins.\n")
        #expect(try logIn(CLITests.goodPassword).status == 302)
        server.terminate()
        _ = await log.waitForExit(of: server, seconds: 15)
    }

    @Test func badLimitsAreOneLineErrors() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let flag = try await cli.run(["throttle", "list", "--login-failure-limit=-1"])
        #expect(flag.status != 0 && flag.stderr.contains("--login-failure-limit must be 0 or more"), "\(flag.stderr)")
        let variable = try await cli.run(["throttle", "list"], environment: ["GATEHOUSE_LOGIN_COOLOFF": "soon"])
        #expect(variable.status != 0 && variable.stderr == "Error: GATEHOUSE_LOGIN_COOLOFF must be a whole number, 0 or more\n")
        let help = try await cli.run(["serve", "--help"], withDatabase: false)
        for option in ["--login-failure-limit", "--login-failure-limit-address", "--login-failure-limit-user", "--login-cooloff", "--login-checks-per-address"] {
            #expect(help.stdout.contains(option), "\(option)")
        }
    }
}
