import Foundation
import Gatehouse
@testable import GatehouseSMTP
import GatehouseTesting
import Logging
import NIOCore
import NIOPosix
import Testing

/// Servers that misbehave (scripted in-process): each send ends with a plain ``SMTPError`` within
/// the configured timeouts, never a hang or a crash. No external service needed.
@Suite struct SMTPHostileServerTests {
    static let message = EmailMessage(
        from: "webmaster@example.com", to: ["alice@example.com"], subject: "Reset", body: "secret-link-0123\n.hidden dot line\n")

    static func sender(port: Int, security: SMTPSecurity = .plain, replyTimeout: Duration = .seconds(30), logger: Logger? = nil)
        -> SMTPEmailSender
    {
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: port, security: security, ehloName: "client.test")
        configuration.replyTimeout = replyTimeout
        configuration.connectTimeout = .seconds(30)
        return SMTPEmailSender(configuration: configuration, logger: logger ?? LogCapture().logger("smtp"))
    }

    /// Runs `body` and returns the SMTPError it threw (failing the test for anything else).
    static func smtpError(_ body: () async throws -> Void) async -> SMTPError? {
        do {
            try await body()
            Issue.record("expected an SMTPError, the send succeeded")
            return nil
        } catch {
            guard let error = error as? SMTPError else {
                Issue.record("expected an SMTPError, got \(error)")
                return nil
            }
            return error
        }
    }

    /// A logger whose lines are kept, not printed into a passing run's output.
    var quiet: Logger { LogCapture().logger("smtp") }

    @Test func aWellBehavedServerGetsTheWholeConversationWithDotStuffing() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220-fake.test first\r\n220 fake.test ESMTP\r\n") { ScriptedSMTPServer.standard($0) }
        defer { Task { await server.stop() } }
        try await Self.sender(port: server.port).send(
            EmailMessage(from: "webmaster@example.com", to: ["alice@example.com", "bob@example.com"], subject: "Hi", body: "one\r\n.two\n..three\rfour"))
        let lines = server.lines
        #expect(lines.first == "EHLO client.test")
        #expect(lines.contains("MAIL FROM:<webmaster@example.com>"))
        #expect(lines.contains("RCPT TO:<alice@example.com>"))
        #expect(lines.contains("RCPT TO:<bob@example.com>"))
        let data = try #require(lines.firstIndex(of: "DATA"))
        let end = try #require(lines.lastIndex(of: "."))
        let body = Array(lines[data..<end].drop { !$0.isEmpty }.dropFirst())
        #expect(body == ["one", "..two", "...three", "four"])
        #expect(lines.last == "QUIT")
    }

    @Test func anOldServerThatRefusesEHLOGetsHELO() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 old.test\r\n") { line in
            line.hasPrefix("EHLO") ? .send("502 what\r\n") : ScriptedSMTPServer.standard(line)
        }
        defer { Task { await server.stop() } }
        try await Self.sender(port: server.port).send(Self.message)
        #expect(server.lines.prefix(2) == ["EHLO client.test", "HELO client.test"])
        // Without 8BITMIME the ASCII body is 7bit and still delivered.
        #expect(server.lines.contains("MAIL FROM:<webmaster@example.com>"))
    }

    @Test func aServerThatNeverAnswersFailsAfterTheReplyTimeout() async throws {
        let server = try await ScriptedSMTPServer(greeting: nil) { _ in .nothing }
        defer { Task { await server.stop() } }
        let error = await Self.smtpError { try await Self.sender(port: server.port, replyTimeout: .milliseconds(300)).send(Self.message) }
        #expect(error == .timedOut)
        #expect(error?.stage == "greeting")
        // The 300 ms asked for is the timer that fired (not the 30 s default). Measured by the wall
        // clock instead, this test failed in CI twice: the test's task resumed 36 s later while
        // other suites starved the cooperative pool, though the timer had fired on time.
        #expect(error?.detail == "no reply within 300 ms")
    }

    @Test func aServerThatStopsAnsweringMidConversationFailsAfterTheReplyTimeout() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { line in
            line.hasPrefix("RCPT") ? .nothing : ScriptedSMTPServer.standard(line)
        }
        defer { Task { await server.stop() } }
        // 2 s per reply: the stages before RCPT must not time out on a loaded machine (300 ms did).
        let error = await Self.smtpError { try await Self.sender(port: server.port, replyTimeout: .seconds(10)).send(Self.message) }
        #expect(error == .timedOut)
        #expect(error?.stage == "RCPT TO")
    }

    @Test func aServerThatStopsReadingTheMessageFailsAfterTheReplyTimeout() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { line in
            line == "DATA" ? .sendAndStopReading("354 go ahead\r\n") : ScriptedSMTPServer.standard(line)
        }
        defer { Task { await server.stop() } }
        // Far more than the socket buffers of both ends hold.
        let body = String(repeating: String(repeating: "x", count: 900) + "\n", count: 20_000)
        let started = ContinuousClock.now
        let error = await Self.smtpError {
            try await Self.sender(port: server.port, replyTimeout: .seconds(10)).send(
                EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "big", body: body))
        }
        #expect(error == .timedOut)
        #expect(error?.stage == "message")
        // The write itself was cut off, not a reply awaited after it.
        #expect(error.map { "\($0)" }?.contains("did not take the data") == true)
        // Not a hang: formatting 18 MB in a debug build is most of the time (over a minute was seen in
        // CI beside the other suites); the write's own cut-off is what the message above proves.
        #expect(ContinuousClock.now - started < .seconds(180))
    }

    @Test func aServerThatClosesMidConversationIsAnError() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { line in
            line.hasPrefix("MAIL") ? .close : ScriptedSMTPServer.standard(line)
        }
        defer { Task { await server.stop() } }
        let error = await Self.smtpError { try await Self.sender(port: server.port).send(Self.message) }
        #expect(error == .connectionClosed)
        #expect(error?.stage == "MAIL FROM")
    }

    @Test(arguments: [
        "hello, I am not SMTP\r\n",
        "2\r\n",
        "999 too big\r\n",
        "220-first\r\n250 other code\r\n",
        "220x no separator\r\n",
        String(repeating: "2", count: 20_000),
        String(repeating: "220-line\r\n", count: 300) + "220 end\r\n",
    ])
    func garbageIsAMalformedReply(greeting: String) async throws {
        let server = try await ScriptedSMTPServer(greeting: greeting) { ScriptedSMTPServer.standard($0) }
        defer { Task { await server.stop() } }
        let error = await Self.smtpError { try await Self.sender(port: server.port, replyTimeout: .seconds(30)).send(Self.message) }
        #expect(error == .malformedReply)
    }

    @Test func aClosedPortFailsFast() async throws {
        // Bind a port, then close it: nothing listens there.
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = probe.localAddress!.port!
        try await probe.close()
        let error = await Self.smtpError { try await Self.sender(port: port).send(Self.message) }
        #expect(error == .connectionFailed)
        #expect(error?.stage == "connect")
        // Refused, not left to the 30 s connect timeout (a wall-clock bound here would measure how
        // soon a busy test run resumes the task, not the sender).
        #expect(error.map { !$0.detail.hasPrefix("no connection within") } == true, "\(error.map { $0.detail } ?? "")")
    }

    @Test func aRefusalNamesTheStageAndCodeButNotTheServersText() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { line in
            line.hasPrefix("RCPT") ? .send("550 5.1.1 user SERVER-TEXT-MARKER unknown\r\n") : ScriptedSMTPServer.standard(line)
        }
        defer { Task { await server.stop() } }
        let error = await Self.smtpError { try await Self.sender(port: server.port).send(Self.message) }
        #expect(error == .rejected)
        #expect(error?.stage == "RCPT TO")
        #expect(error?.replyCode == 550)
        #expect(error?.isTransient == false)
        #expect(error.map { "\($0)" }?.contains("SERVER-TEXT-MARKER") == false)
        #expect(error.map { "\($0)" }?.contains("550") == true)
        #expect(!server.lines.contains("DATA"))
    }

    @Test func aTemporaryRefusalIsTransient() async throws {
        let server = try await ScriptedSMTPServer(greeting: "421 busy, try later\r\n") { ScriptedSMTPServer.standard($0) }
        defer { Task { await server.stop() } }
        let error = await Self.smtpError { try await Self.sender(port: server.port).send(Self.message) }
        #expect(error == .rejected)
        #expect(error?.stage == "greeting")
        #expect(error?.replyCode == 421)
        #expect(error?.isTransient == true)
    }

    @Test func startTLSRequiredButNotOfferedSendsNothing() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { ScriptedSMTPServer.standard($0) }
        defer { Task { await server.stop() } }
        let error = await Self.smtpError { try await Self.sender(port: server.port, security: .startTLS).send(Self.message) }
        #expect(error == .tlsUnavailable)
        #expect(server.lines == ["EHLO client.test"])
    }

    @Test func repliesInjectedAfterSTARTTLSAreRefused() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { line in
            switch line {
            case let line where line.hasPrefix("EHLO"): .send("250-fake.test\r\n250 STARTTLS\r\n")
            case "STARTTLS": .send("220 go ahead\r\n250 injected\r\n")
            default: .nothing
            }
        }
        defer { Task { await server.stop() } }
        let error = await Self.smtpError { try await Self.sender(port: server.port, security: .startTLS, replyTimeout: .seconds(30)).send(Self.message) }
        // Refused before any TLS starts (or, if the bytes came late, by the handshake): never sent.
        #expect(error == .malformedReply || error == .tlsFailed)
        #expect(Array(server.lines.prefix(2)) == ["EHLO client.test", "STARTTLS"])
        #expect(!server.lines.contains { $0.hasPrefix("MAIL") || $0.hasPrefix("AUTH") })
    }

    @Test func credentialsAreNeverSentWithoutTLSUnlessAllowed() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { line in
            if line.hasPrefix("AUTH") { return .send("235 2.7.0 accepted\r\n") }
            return ScriptedSMTPServer.standard(line, ehlo: "250-fake.test\r\n250 AUTH PLAIN LOGIN\r\n")
        }
        defer { Task { await server.stop() } }
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: server.port, security: .plain, ehloName: "client.test")
        configuration.credentials = SMTPCredentials(username: "gatehouse", password: "hunter2-password")
        let error = await Self.smtpError { try await SMTPEmailSender(configuration: configuration, logger: quiet).send(Self.message) }
        #expect(error == .insecureAuthentication)
        #expect(server.lines.isEmpty)

        configuration.allowsInsecureAuthentication = true
        try await SMTPEmailSender(configuration: configuration, logger: quiet).send(Self.message)
        let plain = Data("\0gatehouse\0hunter2-password".utf8).base64EncodedString()
        #expect(server.lines.contains("AUTH PLAIN \(plain)"))
    }

    @Test func aServerWithoutAUTHFailsWhenCredentialsAreConfigured() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { ScriptedSMTPServer.standard($0) }
        defer { Task { await server.stop() } }
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: server.port, security: .plain, ehloName: "client.test")
        configuration.credentials = SMTPCredentials(username: "gatehouse", password: "hunter2-password")
        configuration.allowsInsecureAuthentication = true
        let error = await Self.smtpError { try await SMTPEmailSender(configuration: configuration, logger: quiet).send(Self.message) }
        #expect(error == .authenticationUnavailable)
        #expect(!server.lines.contains { $0.hasPrefix("MAIL") })
    }

    @Test func cancellingTheTaskEndsAWaitPromptly() async throws {
        let server = try await ScriptedSMTPServer(greeting: nil) { _ in .nothing }
        defer { Task { await server.stop() } }
        let sender = Self.sender(port: server.port, replyTimeout: .seconds(600))
        let started = ContinuousClock.now
        let task = Task { try await sender.send(Self.message) }
        // Wait for the client to be connected (waiting on the other side, not for time to pass).
        while server.connections == 0, ContinuousClock.now - started < .seconds(20) { await Task.yield() }
        #expect(server.connections == 1)
        task.cancel()
        let result = await task.result
        #expect(throws: (any Error).self) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func headerInjectionIsRefusedBeforeConnecting() async throws {
        let server = try await ScriptedSMTPServer(greeting: "220 ok\r\n") { ScriptedSMTPServer.standard($0) }
        defer { Task { await server.stop() } }
        let sender = Self.sender(port: server.port)
        let hostile = [
            EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "Hi\r\nBcc: victim@example.com", body: "x"),
            EmailMessage(from: "a@example.com", to: ["b@example.com"], subject: "Hi\nBcc: victim@example.com", body: "x"),
            EmailMessage(from: "a@example.com", to: ["b@example.com\r\nRCPT TO:<victim@example.com>"], subject: "Hi", body: "x"),
            EmailMessage(from: "a@example.com>\r\nRCPT TO:<victim@example.com", to: ["b@example.com"], subject: "Hi", body: "x"),
            EmailMessage(from: "a@example.com", to: ["b@example.com> NOTIFY=NEVER"], subject: "Hi", body: "x"),
            EmailMessage(from: "a@example.com", to: [], subject: "Hi", body: "x"),
            EmailMessage(from: "a@example.com", to: ["not an address"], subject: "Hi", body: "x"),
            EmailMessage(from: "a@example.com", to: ["b@exämple.com"], subject: "Hi", body: "x"),
        ]
        for message in hostile {
            let error = await Self.smtpError { try await sender.send(message) }
            #expect(error == .invalidMessage)
        }
        #expect(server.lines.isEmpty)
    }
}
