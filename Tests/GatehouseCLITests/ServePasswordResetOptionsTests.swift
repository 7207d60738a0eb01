import Foundation
import Gatehouse
import GatehouseTesting
import Testing

/// `serve --password-reset-timeout` and `--password-reset-time-zone` through the real binary: links
/// made two hours ago (as a Django on the same SECRET_KEY makes them: here by Gatehouse's generator,
/// on UTC and on a +3 wall clock) work under the 3-day default, not past a shorter timeout, and
/// their age is counted on the configured zone's wall clock (a timestamp ahead of it is not expired).
@Suite("serve: password reset options")
struct ServePasswordResetOptionsTests {
    static let secret = "gateway-peers-secret-0123456789abcdefghijklmnop"  // what ServeProcess gives the server

    @Test func theTimeoutAndTimeZoneReachTheServer() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        #expect(try await cli.run(["users", "create", "late", "--email", "late@example.com", "--no-password"]).status == 0)
        #expect(try await cli.run(["changepassword", "late", "--stdin"], stdin: "\(CLITests.goodPassword)\n").status == 0)
        let user = try #require(try await CLITests.user("late", in: cli))
        let keys = try SigningKeys(secretKey: Self.secret)
        let twoHoursAgo = PasswordResetTokenGenerator(keys: keys, clock: ManualClock(Date().addingTimeInterval(-7_200)))
        let link = "/accounts/reset/\(PasswordResetUID.encode(user.id))/\(twoHoursAgo.makeToken(for: user))/"
        // A Django whose TIME_ZONE is 3 hours ahead of UTC made it two hours ago on its wall clock.
        let ahead = try #require(TimeZone(identifier: "Etc/GMT-3"))
        let djangoAhead = PasswordResetTokenGenerator(keys: keys, timeZone: ahead, clock: ManualClock(Date().addingTimeInterval(-7_200)))
        let aheadLink = "/accounts/reset/\(PasswordResetUID.encode(user.id))/\(djangoAhead.makeToken(for: user))/"

        for (arguments, environment, expected, expectedAhead) in [
            ([String](), [String: String](), 302, 302),
            (["--password-reset-timeout", "3600"], [:], 200, 302),
            ([], ["GATEHOUSE_PASSWORD_RESET_TIMEOUT": "3600"], 200, 302),
            // On the +3 wall clock the UTC link is 5 hours old and the +3 one 2 hours.
            (["--password-reset-timeout", "10800", "--password-reset-time-zone", "Etc/GMT-3"], [:], 200, 302),
            (["--password-reset-timeout", "3600", "--password-reset-time-zone", "Etc/GMT-3"], [:], 200, 200),
        ] {
            var variables = ProcessInfo.processInfo.environment
            variables["GATEHOUSE_SECRET_KEY"] = Self.secret
            variables.merge(environment) { $1 }
            let server = try await ServeProcess.start(cli, arguments, environment: variables)
            defer { server.stop() }
            let curl = Curl(jar: cli.workingDirectory.appending(path: "options.jar"))
            #expect(try await curl(["\(server.base)\(link)"]).status == expected, "\(arguments) \(environment)")
            #expect(try await curl(["\(server.base)\(aheadLink)"]).status == expectedAhead, "ahead: \(arguments) \(environment)")
        }
    }

    @Test func badValuesStopTheStart() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        for (arguments, message) in [
            (["--password-reset-timeout", "0"], "--password-reset-timeout must be a positive number of seconds"),
            (["--password-reset-timeout=-5"], "--password-reset-timeout must be a positive number of seconds"),
            (["--password-reset-time-zone", "Mars/Olympus_Mons"], "is not a time zone name"),
        ] {
            let result = try await cli.run(["serve", "--port", "0"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
