import Foundation
import Testing

/// The password reset journey through the real `gatehouse serve` binary: its default email sender
/// is the console one (Django's console backend), so the link is read from the server's log.
@Suite("gatehouse serve: password reset by email")
struct ServePasswordResetTests {
    static let newPassword = "a brand new staple battery"

    /// The reset link the server printed, once it appears.
    static func waitForLink(in log: LogCollector, seconds: Int = 30) async -> String? {
        for _ in 0..<(seconds * 10) {
            if let range = log.text.range(of: #"http://127\.0\.0\.1:\d+/accounts/reset/[A-Za-z0-9_=-]+/[0-9a-z]+-[0-9a-f]+/"#, options: .regularExpression) {
                return String(log.text[range])
            }
            try? await Task.sleep(for: .milliseconds(100))  // waiting for the server's output, not for time to pass
        }
        return nil
    }

    static func csrfToken(in page: Curl.Result) throws -> String {
        let range = try #require(page.body.range(of: #"name="csrfmiddlewaretoken" value=""#))
        return String(page.body[range.upperBound...].prefix(64))
    }

    @Test func aForgottenPasswordIsResetThroughTheEmailedLink() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let created = try await cli.run(["users", "create", "forgetful", "--email", "forgetful@example.com", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        #expect(created.status == 0, "\(created.stderr)")
        let server = try await ServeProcess.start(cli, [])
        defer { server.stop() }
        let curl = Curl(jar: cli.workingDirectory.appending(path: "reset-cookies.txt"))
        let base = server.base

        let form = try await curl(["\(base)/accounts/password_reset/"])
        #expect(form.status == 200)
        let asked = try await curl([
            "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(try Self.csrfToken(in: form))",
            "--data-urlencode", "email=Forgetful@Example.com", "\(base)/accounts/password_reset/",
        ])
        #expect(asked.status == 302 && asked.header("Location") == "/accounts/password_reset/done/")

        let link = try #require(await Self.waitForLink(in: server.log), "no link in the log: \(server.log.text)")
        #expect(link.hasPrefix("\(base)/accounts/reset/"))
        let token = String(link.dropLast().split(separator: "/").last ?? "")
        let opened = try await curl([link])
        #expect(opened.status == 302)
        let setPassword = try #require(opened.header("Location"))
        #expect(setPassword.hasSuffix("/set-password/") && !setPassword.contains(token))
        let page = try await curl(["\(base)\(setPassword)"])
        #expect(page.status == 200 && page.body.contains(#"name="new_password1""#))
        let set = try await curl([
            "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(try Self.csrfToken(in: page))",
            "--data-urlencode", "new_password1=\(Self.newPassword)", "--data-urlencode", "new_password2=\(Self.newPassword)",
            "\(base)\(setPassword)",
        ])
        #expect(set.status == 302 && set.header("Location") == "/accounts/reset/done/")

        // The new password logs in; the link is spent.
        let fresh = Curl(jar: cli.workingDirectory.appending(path: "login-cookies.txt"))
        #expect(try await fresh.logIn(base, username: "forgetful", password: Self.newPassword).status == 302)
        let again = try await Curl(jar: cli.workingDirectory.appending(path: "again-cookies.txt"))([link])
        #expect(again.status == 200 && again.body.contains("The password reset link was invalid"))

        // The token is in the console email only (by design of the development sender), never in a request line.
        #expect(server.log.text.components(separatedBy: token).count - 1 == 1, "\(server.log.text)")
        #expect(server.log.text.contains("/[redacted]/"))
    }
}
