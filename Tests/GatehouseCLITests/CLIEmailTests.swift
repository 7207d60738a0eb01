import Foundation
import Testing

/// `gatehouse serve --email-url` / `--from-email` through the real binary: a good URL starts the
/// server and is logged without its password; a bad one stops the start with a message that does not
/// contain the password.
@Suite struct CLIEmailTests {
    @Test func serveStartsWithAnSMTPURLAndLogsItWithoutThePassword() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let server = try await ServeProcess.start(
            cli, ["--email-url", "smtps://gatehouse:hunter2-secret@127.0.0.1:1?timeout=5", "--from-email", "Site <site@example.com>"])
        defer { server.stop() }
        #expect(server.log.text.contains("email: smtps://gatehouse:***@127.0.0.1:1 from Site <site@example.com>"))
        #expect(!server.log.text.contains("hunter2-secret"))
    }

    @Test func theEnvironmentChoosesTheURLAndTheDefaultIsTheConsole() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        var environment = ProcessInfo.processInfo.environment
        environment["GATEHOUSE_SECRET_KEY"] = "cli-email-secret-0123456789abcdefghijklmnop"
        environment["GATEHOUSE_EMAIL_URL"] = "smtp+starttls://relay.example.com"
        environment["GATEHOUSE_FROM_EMAIL"] = "noreply@example.com"
        let fromEnvironment = try await ServeProcess.start(cli, [], environment: environment)
        #expect(fromEnvironment.log.text.contains("email: smtp+starttls://relay.example.com:587 from noreply@example.com"))
        fromEnvironment.stop()

        environment.removeValue(forKey: "GATEHOUSE_EMAIL_URL")
        environment.removeValue(forKey: "GATEHOUSE_FROM_EMAIL")
        let byDefault = try await ServeProcess.start(cli, [], environment: environment)
        #expect(byDefault.log.text.contains("email: console: from webmaster@localhost (console: messages are logged, not sent)"))
        byDefault.stop()
    }

    @Test(arguments: [
        (["--email-url", "smtp://gatehouse:hunter2-secret@mail.example.com"], "--email-url: "),
        (["--email-url", "ftp://gatehouse:hunter2-secret@mail.example.com"], "--email-url: "),
        (["--email-url", "smtps://gatehouse:hunter2-secret@mail.example.com?verbose=1"], "--email-url: "),
        (["--email-url", "smtps://gatehouse:hunter2-secret@mail.example.com:99999"], "--email-url: "),
        (["--from-email", "site@example.com\r\nBcc: victim@example.com"], "--from-email"),
    ])
    func aBadSettingStopsTheStartWithAClearMessage(arguments: [String], expected: String) async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["serve", "--port", "0", "--database", cli.database] + arguments
        process.currentDirectoryURL = cli.workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment["GATEHOUSE_SECRET_KEY"] = "cli-email-secret-0123456789abcdefghijklmnop"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let log = LogCollector(errors.fileHandleForReading)
        let exited = await log.waitForExit(of: process, seconds: 60)
        if !exited { kill(process.processIdentifier, SIGKILL) }
        #expect(exited, "serve started with \(arguments)")
        // The pipe may deliver the last line after the exit: wait for the other process's output.
        for _ in 0..<50 where !log.text.contains(expected) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(process.terminationStatus != 0)
        #expect(log.text.contains(expected), "\(log.text)")
        #expect(!log.text.contains("hunter2-secret"))
    }
}
