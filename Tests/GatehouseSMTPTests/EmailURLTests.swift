import Gatehouse
import GatehouseSMTP
import Testing

@Suite struct EmailURLTests {
    @Test func consoleIsTheConsoleSender() throws {
        for text in ["console:", "console://", "CONSOLE:"] {
            let url = try EmailURL(text)
            #expect(url.smtp == nil)
            #expect(url.makeSender() is ConsoleEmailSender)
            #expect(url.description == "console:")
        }
    }

    @Test func schemesChooseSecurityAndDefaultPort() throws {
        let plain = try #require(try EmailURL("smtp://mail.example.com").smtp)
        #expect(plain.security == .plain)
        #expect(plain.port == 25)
        #expect(plain.host == "mail.example.com")
        #expect(plain.credentials == nil)
        let startTLS = try #require(try EmailURL("smtp+starttls://mail.example.com").smtp)
        #expect(startTLS.security == .startTLS)
        #expect(startTLS.port == 587)
        let tls = try #require(try EmailURL("smtps://mail.example.com/").smtp)
        #expect(tls.security == .tls)
        #expect(tls.port == 465)
        #expect(try EmailURL("smtp://127.0.0.1:2525").smtp?.port == 2525)
        let v6 = try #require(try EmailURL("smtps://[::1]:4650").smtp)
        #expect(v6.host == "::1")
        #expect(v6.port == 4650)
        #expect(try EmailURL("smtps://[::1]:4650").description == "smtps://[::1]:4650")
    }

    @Test func userAndPasswordArePercentDecodedAndNeverShown() throws {
        let url = try EmailURL("smtps://gatehouse%40example.com:p%40ss%3Aw%C3%B6rd%25@smtp.example.com")
        let smtp = try #require(url.smtp)
        #expect(smtp.credentials?.username == "gatehouse@example.com")
        #expect(smtp.credentials?.password == "p@ss:wörd%")
        #expect(url.description == "smtps://gatehouse%40example.com:***@smtp.example.com:465")
        #expect(!"\(smtp)".contains("p@ss"))
        #expect(!String(reflecting: smtp).contains("p@ss"))
        #expect(!"\(String(describing: smtp.credentials))".contains("p@ss"))
    }

    @Test func queryParametersSetTimeoutsAndOptions() throws {
        let smtp = try #require(
            try EmailURL("smtp://u:pw@relay.local:25?timeout=2.5&connect_timeout=1&allow_insecure_auth=true&ehlo_name=web1.example.com").smtp)
        #expect(smtp.replyTimeout == .milliseconds(2500))
        #expect(smtp.connectTimeout == .seconds(1))
        #expect(smtp.allowsInsecureAuthentication)
        #expect(smtp.ehloName == "web1.example.com")
        let defaults = try #require(try EmailURL("smtps://relay.local").smtp)
        #expect(defaults.replyTimeout == .seconds(30))
        #expect(defaults.connectTimeout == .seconds(10))
        #expect(!defaults.allowsInsecureAuthentication)
    }

    @Test(arguments: [
        "",
        "mail.example.com",
        "http://mail.example.com",
        "ftp://user:hunter2secret@mail.example.com",
        "smtp:mail.example.com",
        "smtp://",
        "smtp://:25",
        "smtp://mail.example.com:0",
        "smtp://mail.example.com:65536",
        "smtp://mail.example.com:port",
        "smtp://mail.example.com/path",
        "smtp://mail.example.com#fragment",
        "smtp://mail.example.com?unknown=1",
        "smtp://mail.example.com?timeout=0",
        "smtp://mail.example.com?timeout=-1",
        "smtp://mail.example.com?timeout=nan",
        "smtp://mail.example.com?allow_insecure_auth=maybe",
        "smtp://mail.example.com?ehlo_name=bad%20name",
        "smtp://mail example.com",
        "smtp://mail.example.com\r\nRCPT TO:<x@y>",
        "smtp://[::1",
        "smtp://[zz]:25",
        "smtp://user:hunter2secret@mail.example.com",
        "smtps://userwithoutpassword@mail.example.com",
        "smtps://:hunter2secret@mail.example.com",
        "smtps://user:hunter2secret%zz@mail.example.com",
        "smtps://user:hunter2secret%C3@mail.example.com",
        "smtps://user:hunter2secret@mail_example.com",
        "console:whatever",
        "smtp://mäil.example.com",
        "smtps://user:hunter2secret@mail.example.com?ca_file=/nonexistent/ca.pem",
        "smtps://user:hunter2secret@mail.example.com?ca_file=",
    ])
    func hostileOrUnknownURLsAreAClearErrorWithoutThePassword(text: String) {
        do {
            let url = try EmailURL(text)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error == .invalidConfiguration)
            #expect("\(error)".hasPrefix("invalid email settings: "))
            #expect(!"\(error)".contains("hunter2secret"))
        }
    }

    @Test func credentialsOnPlainSMTPNeedTheExplicitOptIn() throws {
        #expect(throws: SMTPError.invalidConfiguration) { try EmailURL("smtp://u:pw@relay.local") }
        #expect(try EmailURL("smtp://u:pw@relay.local?allow_insecure_auth=1").smtp?.allowsInsecureAuthentication == true)
    }
}
