import Foundation
import Testing

// The password reset journey once in headless Chromium (scripts/e2e/browser_login.py --reset):
// ask for a link, the link read from the server's log (the console email sender) and handed to the
// browser through a file, a new password set, a login with it. Same switches as the login test.
extension BrowserEndToEndTests {
    @Test(
        "a browser resets a forgotten password through the emailed link",
        .enabled("needs GATEHOUSE_TEST_BROWSER=1 and GATEHOUSE_TEST_DJANGO_PYTHON") { BrowserEndToEndTests.isEnabled() },
        .timeLimit(.minutes(5))
    )
    func aBrowserResetsAForgottenPassword() async throws {
        let python = try #require(Self.python)
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let username = "browser-forgetful"
        let created = try await cli.run(["users", "create", username, "--email", "forgetful@example.com", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        try #require(created.status == 0, "users create failed: \(created.stderr)")
        let server = try await ServeProcess.start(cli, [])
        defer { server.stop() }

        // Hands the link the server prints to the browser.
        let linkFile = cli.workingDirectory.appending(path: "reset-link.txt")
        let log = server.log
        let watcher = Task {
            guard let link = await ServePasswordResetTests.waitForLink(in: log, seconds: 120) else { return }
            try? Data((link + "\n").utf8).write(to: linkFile, options: .atomic)
        }
        defer { watcher.cancel() }

        let newPassword = "a brand new staple battery"
        var arguments = [
            Self.repositoryRoot.appending(path: "scripts/e2e/browser_login.py").path,
            server.base, username, CLITests.goodPassword, "--reset", "forgetful@example.com", newPassword, "--link-file", linkFile.path,
        ]
        if let screenshots = Self.environment["GATEHOUSE_TEST_BROWSER_SCREENSHOTS"], !screenshots.isEmpty {
            arguments += ["--screenshot", screenshots]
        }
        let pythonPath = python.hasPrefix("/") ? python : Self.repositoryRoot.appending(path: python).path
        let script = try await Self.run(pythonPath, arguments, seconds: 240)
        #expect(
            script.status == 0,
            """
            scripts/e2e/browser_login.py --reset exited with \(script.status)\(script.timedOut ? " (killed after 240 s)" : "")
            --- script output ---
            \(script.output)
            --- server log ---
            \(server.log.text)
            """
        )
        #expect(!server.log.text.contains(newPassword) && !server.log.text.contains(CLITests.goodPassword), "a password is in the server log")
    }
}
