import Foundation
import Testing

// What a newcomer meets first (issue 16, "first contact"), run through the real binary.
@Suite("first contact: messages a newcomer reads")
struct FirstContactTests {
    @Test func aSuperuserWithoutAPasswordIsCreatedWithAWarning() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let created = try await cli.run(["createsuperuser", "--no-input", "--username", "admin"])
        #expect(created.status == 0)
        #expect(created.stderr.contains("unusable password and cannot log in until 'gatehouse changepassword admin'"), "\(created.stderr)")
        let withPassword = try await cli.run(
            ["createsuperuser", "--no-input", "--username", "other"], environment: ["GATEHOUSE_SUPERUSER_PASSWORD": CLITests.goodPassword]
        )
        #expect(withPassword.status == 0 && !withPassword.stderr.contains("unusable"))
    }

    @Test func aMistypedSubcommandGetsASuggestion() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let cases: [([String], String)] = [
            (["creatsuperuser"], "Did you mean 'gatehouse createsuperuser'?"),
            (["srve", "--port", "1"], "Did you mean 'gatehouse serve'?"),
            (["users", "lst"], "Did you mean 'gatehouse users list'?"),
            (["policy", "chek", "policy.yaml"], "Did you mean 'gatehouse policy check'?"),
            (["Migrate"], "Did you mean 'gatehouse migrate'?"),
        ]
        for (arguments, hint) in cases {
            let result = try await cli.run(arguments, withDatabase: false)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(hint), "\(arguments): \(result.stderr)")
        }
        // Nothing close: ArgumentParser's own message, no guess.
        let far = try await cli.run(["xyzzy"], withDatabase: false)
        #expect(far.status == 64 && far.stderr.contains("Unexpected argument 'xyzzy'") && !far.stderr.contains("Did you mean"))
        // A bad option of a real command is not taken for a typo of a command.
        let option = try await cli.run(["migrate", "--no-such-flag"], withDatabase: false)
        #expect(option.status == 64 && !option.stderr.contains("Did you mean 'gatehouse"))
    }

    @Test func serveHelpNamesTheGateway() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let help = try await cli.run(["serve", "--help"], withDatabase: false)
        #expect(help.stdout.contains("--upstream") && help.stdout.contains("--policy") && help.stdout.contains("gateway"))
        #expect(help.stdout.contains("--header-timeout") && help.stdout.contains("--session-cookie-name"))
    }

    @Test func theGeneratedKeyIsIgnoredByGitAndAnnouncedOnce() async throws {
        let ignore = try String(contentsOf: BrowserEndToEndTests.repositoryRoot.appending(path: ".gitignore"), encoding: .utf8)
        #expect(ignore.split(separator: "\n").contains("gatehouse-secret-key"))
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        for round in 0..<2 {
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "GATEHOUSE_SECRET_KEY")
            let server = try await ServeProcess.start(cli, [], environment: environment)
            let curl = Curl(jar: cli.workingDirectory.appending(path: "key.jar"))
            #expect(try await curl(["\(server.base)/_gatehouse/health"]).status == 200)
            server.stop()
            let warnings = server.log.text.split(separator: "\n").filter { $0.contains("warning") && $0.contains("secret key") }
            #expect(warnings.count == (round == 0 ? 1 : 0), "round \(round): \(warnings)")
            #expect(server.log.text.components(separatedBy: "applied migration").count - 1 <= 1, "each migration logged once")
        }
    }

    @Test func aTakenPortSaysSo() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let first = try await ServeProcess.start(cli, [])
        defer { first.stop() }
        let second = try await cli.run(["serve", "--port", String(first.port)])
        #expect(second.status != 0)
        #expect(second.stderr.contains("is already in use") && second.stderr.contains("--port"), "\(second.stderr)")
    }
}
