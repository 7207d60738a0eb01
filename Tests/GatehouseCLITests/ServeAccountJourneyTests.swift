import Foundation
import GatehouseTestSupport
import Testing

/// The account flows as a user meets them: the real `gatehouse serve` binary, curl, and for the
/// reset link a real SMTP server (aiosmtpd) that the binary delivers to.
@Suite("gatehouse serve: password change, and a reset link delivered over SMTP")
struct ServeAccountJourneyTests {
    static let newPassword = "a brand new staple battery"

    static func form(_ curl: Curl, _ url: String) async throws -> String {
        let page = try await curl([url])
        #expect(page.status == 200, "\(url): \(page.status)")
        return try ServePasswordResetTests.csrfToken(in: page)
    }

    @Test(.enabled(if: AiosmtpdServer.python != nil, AiosmtpdServer.skipReason))
    func aResetLinkIsMailedThroughSMTPAndSetsTheNewPassword() async throws {
        try await withTemporaryDirectory { directory in
            let smtp = try await AiosmtpdServer([], directory: directory)
            defer { smtp.stop() }
            let cli = try CLIRunner.sqlite()
            defer { cli.cleanUp() }
            try await cli.run(["migrate"])
            let created = try await cli.run(["users", "create", "mailed", "--email", "mailed@example.com", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
            #expect(created.status == 0, "\(created.stderr)")
            let server = try await ServeProcess.start(
                cli, ["--email-url", "smtp://127.0.0.1:\(smtp.port)", "--from-email", "Example Site <accounts@example.com>"]
            )
            defer { server.stop() }
            let base = server.base
            let curl = Curl(jar: cli.workingDirectory.appending(path: "smtp-reset.jar"))
            for email in ["nobody@example.com", "MAILED@example.com"] {
                let token = try await Self.form(curl, "\(base)/accounts/password_reset/")
                let asked = try await curl([
                    "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(token)", "--data-urlencode", "email=\(email)",
                    "\(base)/accounts/password_reset/",
                ])
                #expect(asked.status == 302 && asked.header("Location") == "/accounts/password_reset/done/", "\(email)")
            }
            // Waiting for the other process to deliver, not for time to pass.
            var deliveries: [AiosmtpdServer.Delivery] = []
            for _ in 0..<300 where deliveries.isEmpty {
                deliveries = try smtp.deliveries()
                if deliveries.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            let mail = try #require(deliveries.first, "nothing delivered: \(server.log.text)")
            #expect(deliveries.count == 1, "the unknown address got no mail")
            #expect(mail.rcpt_tos == ["mailed@example.com"] && mail.mail_from == "accounts@example.com")
            #expect(mail.parsed.header("From").first?.contains("accounts@example.com") == true)
            let text = try #require(mail.parsed.text)
            let range = try #require(text.range(of: #"http://127\.0\.0\.1:\d+/accounts/reset/[A-Za-z0-9_=-]+/[0-9a-z]+-[0-9a-f]+/"#, options: .regularExpression))
            let link = String(text[range])
            #expect(link.hasPrefix("\(base)/accounts/reset/") && text.contains("mailed"), "\(text)")
            // The link was mailed, never logged (the SMTP sender logs no message).
            let linkToken = String(link.dropLast().split(separator: "/").last ?? "")
            #expect(!server.log.text.contains(linkToken), "\(server.log.text)")

            let opened = try await curl([link])
            let setPassword = try #require(opened.header("Location"))
            let token = try await Self.form(curl, "\(base)\(setPassword)")
            let set = try await curl([
                "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(token)", "--data-urlencode", "new_password1=\(Self.newPassword)",
                "--data-urlencode", "new_password2=\(Self.newPassword)", "\(base)\(setPassword)",
            ])
            #expect(set.status == 302 && set.header("Location") == "/accounts/reset/done/")
            let fresh = Curl(jar: cli.workingDirectory.appending(path: "smtp-login.jar"))
            #expect(try await fresh.logIn(base, username: "mailed", password: Self.newPassword).status == 302)
            let stale = Curl(jar: cli.workingDirectory.appending(path: "smtp-stale.jar"))
            #expect(try await stale.logIn(base, username: "mailed", password: CLITests.goodPassword).status == 200, "the old password no longer logs in")
        }
    }

    @Test func aPasswordChangeKeepsThisSessionAndEndsTheOthers() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let created = try await cli.run(["users", "create", "changer", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        #expect(created.status == 0, "\(created.stderr)")
        let server = try await ServeProcess.start(cli, [])
        defer { server.stop() }
        let base = server.base
        let here = Curl(jar: cli.workingDirectory.appending(path: "change-here.jar"))
        let elsewhere = Curl(jar: cli.workingDirectory.appending(path: "change-elsewhere.jar"))
        #expect(try await here.logIn(base, username: "changer", password: CLITests.goodPassword).status == 302)
        #expect(try await elsewhere.logIn(base, username: "changer", password: CLITests.goodPassword).status == 302)

        let anonymous = try await Curl(jar: cli.workingDirectory.appending(path: "change-anonymous.jar"))(["\(base)/accounts/password_change/"])
        #expect(anonymous.status == 302 && anonymous.header("Location")?.hasPrefix("/accounts/login/?next=") == true)
        let wrongOld = try await here([
            "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(try await Self.form(here, "\(base)/accounts/password_change/"))",
            "--data-urlencode", "old_password=not it", "--data-urlencode", "new_password1=\(Self.newPassword)",
            "--data-urlencode", "new_password2=\(Self.newPassword)", "\(base)/accounts/password_change/",
        ])
        #expect(wrongOld.status == 200 && wrongOld.body.contains("Your old password was entered incorrectly"))
        let changed = try await here([
            "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(try await Self.form(here, "\(base)/accounts/password_change/"))",
            "--data-urlencode", "old_password=\(CLITests.goodPassword)", "--data-urlencode", "new_password1=\(Self.newPassword)",
            "--data-urlencode", "new_password2=\(Self.newPassword)", "\(base)/accounts/password_change/",
        ])
        #expect(changed.status == 302 && changed.header("Location") == "/accounts/password_change/done/")
        #expect(try await here(["\(base)/accounts/profile/"]).status == 200, "this session stays logged in")
        #expect(try await elsewhere(["\(base)/accounts/profile/"]).status == 302, "the other session ended")
        let fresh = Curl(jar: cli.workingDirectory.appending(path: "change-fresh.jar"))
        #expect(try await fresh.logIn(base, username: "changer", password: Self.newPassword).status == 302)
        #expect(!server.log.text.contains(Self.newPassword) && !server.log.text.contains(CLITests.goodPassword))
    }
}
