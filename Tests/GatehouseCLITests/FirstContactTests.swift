import Foundation
import Testing

// What a newcomer meets first (issue 16, "first contact"), run through the real binary.
@Suite("first contact: messages a newcomer reads")
struct FirstContactTests {
    @Test func aSuperuserWithoutAPasswordIsCreatedWithAWarning() throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try cli.run(["migrate"])
        let created = try cli.run(["createsuperuser", "--no-input", "--username", "admin"])
        #expect(created.status == 0)
        #expect(created.stderr.contains("unusable password and cannot log in until 'gatehouse changepassword admin'"), "\(created.stderr)")
        let withPassword = try cli.run(
            ["createsuperuser", "--no-input", "--username", "other"], environment: ["GATEHOUSE_SUPERUSER_PASSWORD": CLITests.goodPassword]
        )
        #expect(withPassword.status == 0 && !withPassword.stderr.contains("unusable"))
    }

    @Test func serveHelpNamesTheGateway() throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let help = try cli.run(["serve", "--help"], withDatabase: false)
        #expect(help.stdout.contains("--upstream") && help.stdout.contains("--policy") && help.stdout.contains("gateway"))
        #expect(help.stdout.contains("--header-timeout") && help.stdout.contains("--session-cookie-name"))
    }

    @Test func theGeneratedKeyIsIgnoredByGitAndAnnouncedOnce() async throws {
        let ignore = try String(contentsOf: BrowserEndToEndTests.repositoryRoot.appending(path: ".gitignore"), encoding: .utf8)
        #expect(ignore.split(separator: "\n").contains("gatehouse-secret-key"))
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try cli.run(["migrate"])
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
        try cli.run(["migrate"])
        let first = try await ServeProcess.start(cli, [])
        defer { first.stop() }
        let second = try cli.run(["serve", "--port", String(first.port)])
        #expect(second.status != 0)
        #expect(second.stderr.contains("is already in use") && second.stderr.contains("--port"), "\(second.stderr)")
    }
}
