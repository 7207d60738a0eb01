import Foundation
import Gatehouse
import GatehouseSMTP
import GatehouseTesting
import Logging
import NIOSSL
import GatehouseTestSupport
import Testing

/// Delivery to a real SMTP server (aiosmtpd, scripts/smtp/server.py): what arrives is read back and
/// decoded by Python's email package.
@Suite(.enabled(if: AiosmtpdServer.python != nil, AiosmtpdServer.skipReason))
struct SMTPDeliveryTests {
    static let body = """
        Hello Alice,

        Someone asked to reset your password: https://example.com/accounts/reset/MQ/token-123/
        .a line that starts with a dot
        ..and one with two
        .
        Grüße, 日本語 — naïve café
        """

    /// A logger whose lines are kept, not printed into a passing run's output.
    static var quiet: Logger { LogCapture().logger("smtp") }

    static func configuration(_ port: Int, security: SMTPSecurity = .plain, trusting ca: URL? = nil) throws -> SMTPConfiguration {
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: port, security: security, ehloName: "client.test")
        configuration.replyTimeout = .seconds(20)
        if let ca {
            configuration.tlsConfiguration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca.path))
        }
        return configuration
    }

    @Test func aPlainDeliveryArrivesWithEveryHeaderAndTheBodyIntact() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await AiosmtpdServer([], directory: directory)
            defer { server.stop() }
            let sender = SMTPEmailSender(configuration: try Self.configuration(server.port), logger: Self.quiet)
            try await sender.send(
                EmailMessage(
                    from: "Gatehouse Site <webmaster@example.com>", to: ["alice@example.com", "bob@example.org"],
                    subject: "Password reset on example.com", body: Self.body))
            let delivery = try #require(try server.deliveries().first)
            #expect(delivery.mail_from == "webmaster@example.com")
            #expect(delivery.rcpt_tos == ["alice@example.com", "bob@example.org"])
            #expect(delivery.mail_options.contains("BODY=8BITMIME"))
            let parsed = delivery.parsed
            #expect(parsed.defects.isEmpty)
            #expect(parsed.subject == "Password reset on example.com")
            #expect(parsed.header("From") == ["Gatehouse Site <webmaster@example.com>"])
            #expect(parsed.header("To") == ["alice@example.com, bob@example.org"])
            #expect(parsed.header("MIME-Version") == ["1.0"])
            #expect(parsed.content_type == "text/plain")
            #expect(parsed.charset == "utf-8")
            #expect(parsed.transfer_encoding == "8bit")
            #expect(parsed.header("Date").count == 1)
            #expect(parsed.header("Message-ID").first?.hasSuffix("@example.com>") == true)
            #expect(parsed.text == Self.body + "\n")
            #expect(parsed.max_line_length <= 998)
        }
    }

    @Test func dateAndMessageIDAreWellFormedAndUnique() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await AiosmtpdServer([], directory: directory)
            defer { server.stop() }
            let clock = FixedClock(date: Date(timeIntervalSince1970: 1_796_609_381))  // 2026-12-07 02:09:41 UTC, a Monday
            let sender = SMTPEmailSender(configuration: try Self.configuration(server.port), clock: clock, logger: Self.quiet)
            let message = EmailMessage(from: "webmaster@localhost", to: ["alice@example.com"], subject: "one", body: "x")
            try await sender.send(message)
            try await sender.send(message)
            let deliveries = try server.deliveries()
            #expect(deliveries.count == 2)
            #expect(deliveries.first?.parsed.header("Date") == ["Mon, 07 Dec 2026 02:09:41 +0000"])
            let ids = deliveries.compactMap { $0.parsed.header("Message-ID").first }
            #expect(Set(ids).count == 2)
            #expect(ids.allSatisfy { $0.hasPrefix("<") && $0.hasSuffix("@localhost>") })
        }
    }

    @Test func nonASCIISubjectAndNamesAreEncodedWords() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await AiosmtpdServer([], directory: directory)
            defer { server.stop() }
            let subject = "Réinitialisation du mot de passe — パスワード " + String(repeating: "très long ", count: 20)
            try await SMTPEmailSender(configuration: try Self.configuration(server.port), logger: Self.quiet).send(
                EmailMessage(from: "Équipe Gatehouse <webmaster@example.com>", to: ["alice@example.com"], subject: subject, body: "x"))
            let delivery = try #require(try server.deliveries().first)
            #expect(delivery.parsed.subject == subject)
            #expect(delivery.parsed.header("From") == ["Équipe Gatehouse <webmaster@example.com>"])
            #expect(delivery.data.contains("=?utf-8?b?"))
            #expect(delivery.parsed.max_line_length <= 78)
            #expect(delivery.parsed.defects.isEmpty)
        }
    }

    @Test func withoutEightBitMIMETheBodyIsQuotedPrintable() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await AiosmtpdServer(["--no-8bitmime"], directory: directory)
            defer { server.stop() }
            // The last line's soft break puts a "." first on an encoded line: it must survive too.
            let body = Self.body + "\n" + String(repeating: "a", count: 75) + ".x"
            try await SMTPEmailSender(configuration: try Self.configuration(server.port), logger: Self.quiet).send(
                EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "QP", body: body))
            let delivery = try #require(try server.deliveries().first)
            #expect(!delivery.mail_options.contains("BODY=8BITMIME"))
            #expect(delivery.parsed.transfer_encoding == "quoted-printable")
            #expect(delivery.data.utf8.allSatisfy { $0 < 0x80 })
            #expect(delivery.parsed.text == body + "\n")
        }
    }

    @Test func aLineLongerThanSMTPAllowsIsQuotedPrintableAndArrivesWhole() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await AiosmtpdServer([], directory: directory)
            defer { server.stop() }
            let body = "short\r\n" + String(repeating: "0123456789 ", count: 300) + " \nend with space \n\ttab"
            try await SMTPEmailSender(configuration: try Self.configuration(server.port), logger: Self.quiet).send(
                EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "long", body: body))
            let delivery = try #require(try server.deliveries().first)
            #expect(delivery.parsed.transfer_encoding == "quoted-printable")
            #expect(delivery.parsed.max_line_length <= 78)
            let normalized = body.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(delivery.parsed.text == normalized + "\n")
        }
    }

    @Test func startTLSWithAuthPlainToATrustedCertificate() async throws {
        try await withTemporaryDirectory { directory in
            let certificates = try TestCertificates.make(in: directory)
            let server = try await AiosmtpdServer(
                [
                    "--mode", "starttls", "--cert", certificates.serverCertificate.path, "--key", certificates.serverKey.path,
                    "--user", "gatehouse@example.com", "--password", "p@ss:wörd %20", "--auth-required",
                ],
                directory: directory)
            defer { server.stop() }
            var configuration = try Self.configuration(server.port, security: .startTLS, trusting: certificates.caCertificate)
            configuration.credentials = SMTPCredentials(username: "gatehouse@example.com", password: "p@ss:wörd %20")
            let logs = LogCapture()
            try await SMTPEmailSender(configuration: configuration, logger: logs.logger("smtp")).send(
                EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "Secret subject", body: Self.body))
            let delivery = try #require(try server.deliveries().first)
            #expect(delivery.tls)
            #expect(delivery.auth?.mechanism == "PLAIN")
            #expect(delivery.auth?.login == "gatehouse@example.com")
            #expect(delivery.auth?.password == "p@ss:wörd %20")
            #expect(delivery.parsed.text == Self.body + "\n")
            // The log says it was sent, and nothing secret.
            #expect(logs.all.contains { $0.message == "email sent" })
            for entry in logs.all {
                #expect(!entry.text.contains("p@ss"))
                #expect(!entry.text.contains("token-123"))
                #expect(!entry.text.contains("Secret subject"))
            }
        }
    }

    @Test func authLoginWhenTheServerOffersOnlyLogin() async throws {
        try await withTemporaryDirectory { directory in
            let certificates = try TestCertificates.make(in: directory)
            let server = try await AiosmtpdServer(
                [
                    "--mode", "starttls", "--cert", certificates.serverCertificate.path, "--key", certificates.serverKey.path,
                    "--user", "gatehouse", "--password", "hunter2", "--auth-required", "--auth-exclude", "PLAIN",
                ],
                directory: directory)
            defer { server.stop() }
            var configuration = try Self.configuration(server.port, security: .startTLS, trusting: certificates.caCertificate)
            configuration.credentials = SMTPCredentials(username: "gatehouse", password: "hunter2")
            try await SMTPEmailSender(configuration: configuration, logger: Self.quiet).send(
                EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "s", body: "b"))
            let delivery = try #require(try server.deliveries().first)
            #expect(delivery.auth?.mechanism == "LOGIN")
            #expect(delivery.auth?.login == "gatehouse")
        }
    }

    @Test func aWrongPasswordIsARefusalAtAUTHThatDoesNotShowIt() async throws {
        try await withTemporaryDirectory { directory in
            let certificates = try TestCertificates.make(in: directory)
            let server = try await AiosmtpdServer(
                [
                    "--mode", "starttls", "--cert", certificates.serverCertificate.path, "--key", certificates.serverKey.path,
                    "--user", "gatehouse", "--password", "right", "--auth-required",
                ],
                directory: directory)
            defer { server.stop() }
            var configuration = try Self.configuration(server.port, security: .startTLS, trusting: certificates.caCertificate)
            configuration.credentials = SMTPCredentials(username: "gatehouse", password: "wrong-password-xyz")
            let logs = LogCapture()
            let error = await SMTPHostileServerTests.smtpError {
                try await SMTPEmailSender(configuration: configuration, logger: logs.logger("smtp")).send(
                    EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "s", body: "b"))
            }
            #expect(error == .rejected)
            #expect(error?.stage == "AUTH")
            #expect(error?.replyCode == 535)
            #expect(error.map { "\($0)" }?.contains("wrong-password-xyz") == false)
            #expect(!logs.all.contains { $0.text.contains("wrong-password-xyz") })
            #expect(try server.deliveries().isEmpty)
        }
    }

    @Test func implicitTLSDelivers() async throws {
        try await withTemporaryDirectory { directory in
            let certificates = try TestCertificates.make(in: directory)
            let server = try await AiosmtpdServer(
                [
                    "--mode", "tls", "--cert", certificates.serverCertificate.path, "--key", certificates.serverKey.path,
                    "--user", "gatehouse", "--password", "hunter2", "--auth-required",
                ],
                directory: directory)
            defer { server.stop() }
            var configuration = try Self.configuration(server.port, security: .tls, trusting: certificates.caCertificate)
            configuration.credentials = SMTPCredentials(username: "gatehouse", password: "hunter2")
            try await SMTPEmailSender(configuration: configuration, logger: Self.quiet).send(
                EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "s", body: Self.body))
            let delivery = try #require(try server.deliveries().first)
            #expect(delivery.tls)
            #expect(delivery.auth?.login == "gatehouse")
            #expect(delivery.parsed.text == Self.body + "\n")
        }
    }

    @Test(arguments: [SMTPSecurity.startTLS, .tls])
    func aCertificateFromAnUntrustedAuthorityFails(security: SMTPSecurity) async throws {
        try await withTemporaryDirectory { directory in
            let served = try TestCertificates.make(in: directory, name: "served")
            let trusted = try TestCertificates.make(in: directory, name: "trusted")
            let mode = security == .tls ? "tls" : "starttls"
            let server = try await AiosmtpdServer(
                [
                    "--mode", mode, "--cert", served.serverCertificate.path, "--key", served.serverKey.path,
                    "--user", "gatehouse", "--password", "hunter2",
                ],
                directory: directory)
            defer { server.stop() }
            var configuration = try Self.configuration(server.port, security: security, trusting: trusted.caCertificate)
            configuration.credentials = SMTPCredentials(username: "gatehouse", password: "hunter2")
            let error = await SMTPHostileServerTests.smtpError {
                try await SMTPEmailSender(configuration: configuration, logger: Self.quiet).send(
                    EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "s", body: "b"))
            }
            #expect(error == .tlsFailed)
            #expect(try server.deliveries().isEmpty)
        }
    }

    @Test func aTrustedCertificateForAnotherNameFails() async throws {
        try await withTemporaryDirectory { directory in
            let certificates = try TestCertificates.make(in: directory, names: "DNS:mail.other.test")
            let server = try await AiosmtpdServer(
                ["--mode", "tls", "--cert", certificates.serverCertificate.path, "--key", certificates.serverKey.path], directory: directory)
            defer { server.stop() }
            let error = await SMTPHostileServerTests.smtpError {
                try await SMTPEmailSender(
                    configuration: try Self.configuration(server.port, security: .tls, trusting: certificates.caCertificate), logger: Self.quiet
                ).send(EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "s", body: "b"))
            }
            #expect(error == .tlsFailed)
            #expect(try server.deliveries().isEmpty)
        }
    }

    @Test func theCertificatesHostNameIsCheckedWhenConnectingByName() async throws {
        try await withTemporaryDirectory { directory in
            let certificates = try TestCertificates.make(in: directory, names: "DNS:localhost")
            let server = try await AiosmtpdServer(
                ["--mode", "tls", "--cert", certificates.serverCertificate.path, "--key", certificates.serverKey.path], directory: directory)
            defer { server.stop() }
            var configuration = try Self.configuration(server.port, security: .tls, trusting: certificates.caCertificate)
            configuration.host = "localhost"
            try await SMTPEmailSender(configuration: configuration, logger: Self.quiet).send(
                EmailMessage(from: "webmaster@example.com", to: ["alice@example.com"], subject: "by name", body: "b"))
            #expect(try server.deliveries().first?.parsed.subject == "by name")
        }
    }

    @Test func aRefusedRecipientIsAnErrorAndNothingIsDelivered() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await AiosmtpdServer(["--reject-recipient", "nobody@example.com"], directory: directory)
            defer { server.stop() }
            let error = await SMTPHostileServerTests.smtpError {
                try await SMTPEmailSender(configuration: try Self.configuration(server.port), logger: Self.quiet).send(
                    EmailMessage(from: "webmaster@example.com", to: ["alice@example.com", "nobody@example.com"], subject: "s", body: "b"))
            }
            #expect(error == .rejected)
            #expect(error?.stage == "RCPT TO")
            #expect(error?.replyCode == 550)
            #expect(try server.deliveries().isEmpty)
        }
    }

    @Test func anEmailURLWithCredentialsAndAPrivateCADeliversOverImplicitTLS() async throws {
        try await withTemporaryDirectory { directory in
            let certificates = try TestCertificates.make(in: directory)
            let server = try await AiosmtpdServer(
                [
                    "--mode", "tls", "--cert", certificates.serverCertificate.path, "--key", certificates.serverKey.path,
                    "--user", "site@example.com", "--password", "p@ss w:rd", "--auth-required",
                ],
                directory: directory)
            defer { server.stop() }
            let url = try EmailURL(
                "smtps://site%40example.com:p%40ss%20w%3Ard@127.0.0.1:\(server.port)?ca_file=\(certificates.caCertificate.path)&timeout=20")
            try await url.makeSender(logger: Self.quiet).send(EmailMessage(from: "site@example.com", to: ["alice@example.com"], subject: "s", body: "b"))
            let delivery = try #require(try server.deliveries().first)
            #expect(delivery.tls)
            #expect(delivery.auth?.login == "site@example.com")
            #expect(delivery.auth?.password == "p@ss w:rd")
        }
    }

    @Test func anEmailURLMakesASenderThatDelivers() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await AiosmtpdServer([], directory: directory)
            defer { server.stop() }
            let url = try EmailURL("smtp://127.0.0.1:\(server.port)?timeout=30")
            let sender = url.makeSender(logger: Self.quiet)
            #expect(sender is SMTPEmailSender)
            try await sender.send(EmailMessage(from: "webmaster@localhost", to: ["alice@example.com"], subject: "via URL", body: "hello"))
            #expect(try server.deliveries().first?.parsed.subject == "via URL")
        }
    }
}

/// A clock that always says `date`.
struct FixedClock: WallClock {
    let date: Date
    func now() -> Date { date }
}
