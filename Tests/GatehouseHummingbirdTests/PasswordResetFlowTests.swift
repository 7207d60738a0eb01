import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseSQL
import GatehouseTestSupport
import GatehouseTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The password reset pages through requests, on every store: Django's form and messages, the
/// link by email, the token moved into the session, the new password, and every way a link is
/// refused.
@Suite("Password reset pages")
struct PasswordResetFlowTests {
    static let newPassword = "a new staple battery"

    /// A fixture whose builder mails into `outbox` and whose app logs requests into `fixture.logs`.
    struct Site {
        let fixture: LoginFlowTests.Fixture
        let builder: GatehouseRouterBuilder
        let outbox: EmailOutbox
        let clock: ManualClock

        static func make(
            users: any AuthStore = MemoryAuthStore(), sessions: any SessionStore = MemorySessionStore(), sender: (any EmailSender)? = nil
        ) async throws -> Site {
            let clock = ManualClock(Date())
            let fixture = try await LoginFlowTests.Fixture.make(clock: clock, users: users, sessions: sessions)
            let outbox = EmailOutbox()
            var builder = fixture.builder
            builder.emailSender = sender ?? outbox
            builder.fromEmail = "accounts@example.com"
            return Site(fixture: fixture, builder: builder, outbox: outbox, clock: clock)
        }

        func app() -> some ApplicationProtocol {
            Application(router: builder.makeRouter(logRequests: true), logger: fixture.logs.logger("password-reset-test"))
        }

        /// Every message sent so far, once their delivery has finished.
        func sent() async -> [EmailMessage] {
            await builder.emailDeliveries.waitUntilIdle()
            return outbox.messages
        }
    }

    /// Repeating the form cannot flood one inbox: one message per user per minute (by the site's
    /// clock), others untouched, the answer the same every time.
    @Test func oneResetMessagePerUserPerMinute() async throws {
        let site = try await Site.make()
        let bob = try await site.fixture.users.insertUser(
            NewUser(username: "bob", password: site.fixture.alice.password, email: "bob@example.com", dateJoined: site.clock.now())
        )
        try await site.app().test(.router) { client in
            for _ in 0..<5 {
                let asked = try await Self.askForReset(Browser(client), email: "alice@example.com")
                #expect(asked.status == .found && asked.headers[.location] == "/accounts/password_reset/done/")
            }
            _ = try await Self.askForReset(Browser(client), email: "bob@example.com")
            #expect(await site.sent().map(\.to) == [["alice@example.com"], [bob.email]])
            site.clock.advance(by: 59)
            _ = try await Self.askForReset(Browser(client), email: "alice@example.com")
            #expect(await site.sent().count == 2)
            site.clock.advance(by: 1)
            _ = try await Self.askForReset(Browser(client), email: "alice@example.com")
            #expect(await site.sent().map(\.to).last == ["alice@example.com"] && site.outbox.messages.count == 3)
        }
        #expect(site.fixture.logs.all.contains { $0.level == .notice && $0.message.contains("less than 60 s ago") })
        var unlimited = try await Site.make()
        unlimited = Site(
            fixture: unlimited.fixture, builder: { var builder = unlimited.builder; builder.passwordResetMailInterval = 0; return builder }(),
            outbox: unlimited.outbox, clock: unlimited.clock
        )
        try await unlimited.app().test(.router) { client in
            for _ in 0..<3 { _ = try await Self.askForReset(Browser(client), email: "alice@example.com") }
        }
        #expect(await unlimited.sent().count == 3)
    }

    static func askForReset(_ browser: Browser, email: String) async throws -> TestResponse {
        let page = try await browser.get("/accounts/password_reset/")
        let token = try #require(Browser.csrfToken(in: page))
        return try await browser.post("/accounts/password_reset/", form: [("csrfmiddlewaretoken", token), ("email", email)])
    }

    /// The path of the link in `message`.
    static func linkPath(in message: EmailMessage) throws -> String {
        let line = try #require(message.body.split(separator: "\n").first { $0.contains("/accounts/reset/") })
        let link = line.trimmingCharacters(in: .whitespaces)
        #expect(link.hasPrefix("http://localhost/accounts/reset/") && link.hasSuffix("/"), "\(link)")
        return String(link.dropFirst("http://localhost".count))
    }

    static func setPassword(_ browser: Browser, at path: String, _ first: String, _ second: String) async throws -> TestResponse {
        let form = try await browser.get(path)
        let token = try #require(Browser.csrfToken(in: form))
        return try await browser.post(path, form: [("csrfmiddlewaretoken", token), ("new_password1", first), ("new_password2", second)])
    }

    @Test(arguments: GuardStore.enabled)
    func theWholeJourney(_ store: GuardStore) async throws {
        try await store.with { users, sessions in
            let site = try await Site.make(users: users, sessions: sessions)
            let alice = site.fixture.alice
            let token = try await site.app().test(.router) { client -> String in
                // Alice is logged in elsewhere; that session must end.
                let elsewhere = Browser(client)
                #expect(try await LoginFlowTests.logIn(elsewhere).status == .found)
                let loggedIn = try #require(try await users.user(id: alice.id))

                // The login page links to the reset page; the reset page is Django's form.
                let login = String(buffer: try await Browser(client).get("/accounts/login/").body)
                #expect(login.contains(#"<a href="/accounts/password_reset/">"#))
                let browser = Browser(client)
                let formPage = try await browser.get("/accounts/password_reset/")
                #expect(formPage.status == .ok)
                let html = String(buffer: formPage.body)
                #expect(html.contains(#"name="email""#) && html.contains(#"autocomplete="email""#) && html.contains(#"maxlength="254""#))

                // Ask (in another case, with spaces): 302 to done, one message.
                let asked = try await Self.askForReset(browser, email: "  ALICE@example.com ")
                #expect(asked.status == .found)
                #expect(asked.headers[.location] == "/accounts/password_reset/done/")
                let done = try await browser.get("/accounts/password_reset/done/")
                #expect(String(buffer: done.body).contains("We’ve emailed you instructions for setting your password"))
                let messages = await site.sent()
                #expect(messages.count == 1)
                let message = try #require(messages.first)
                #expect(message.to == ["alice@example.com"] && message.from == "accounts@example.com")
                #expect(message.subject == "Password reset on localhost")
                #expect(message.body.contains("Your username, in case you have forgotten it: alice"))
                let path = try Self.linkPath(in: message)
                let parts = path.split(separator: "/")
                #expect(parts.count == 4 && parts[2] == PasswordResetUID.encode(alice.id))
                let token = String(parts[3])
                #expect(site.builder.passwordResetTokens.checkToken(token, for: loggedIn))

                // The link: the token moves into the session and out of the address.
                let opened = try await browser.get(path)
                #expect(opened.status == .found)
                let setPath = "/accounts/reset/\(parts[2])/set-password/"
                #expect(opened.headers[.location] == setPath)
                let form = try await browser.get(setPath)
                #expect(form.status == .ok)
                let formHTML = String(buffer: form.body)
                #expect(formHTML.contains("Please enter your new password twice so we can verify you typed it in correctly."))
                #expect(!formHTML.contains(token))
                #expect(form.headers[.cacheControl]?.contains("no-store") == true)

                // Django's errors; nothing changes.
                let mismatch = try await Self.setPassword(browser, at: setPath, Self.newPassword, Self.newPassword + "!")
                #expect(mismatch.status == .ok)
                #expect(String(buffer: mismatch.body).contains("The two password fields didn’t match."))
                let weak = try await Self.setPassword(browser, at: setPath, "123456", "123456")
                #expect(String(buffer: weak.body).contains("This password is too common."))
                #expect(try await users.user(id: alice.id)?.password == loggedIn.password)
                // No CSRF token: refused.
                let forged = try await browser.post(setPath, form: [("new_password1", Self.newPassword), ("new_password2", Self.newPassword)])
                #expect(forged.status == .forbidden)

                // Success: the preferred hasher, 302 to complete, the token gone from the session.
                let changed = try await Self.setPassword(browser, at: setPath, Self.newPassword, Self.newPassword)
                #expect(changed.status == .found)
                #expect(changed.headers[.location] == "/accounts/reset/done/")
                let saved = try #require(try await users.user(id: alice.id))
                #expect(saved.password.hasPrefix("\(site.builder.hashers.preferred.algorithm)$"))
                #expect(try await site.builder.hashers.verifyPassword(Self.newPassword, encoded: saved.password).isCorrect)
                let complete = try await browser.get("/accounts/reset/done/")
                #expect(String(buffer: complete.body).contains("Your password has been set.  You may go ahead and log in now."))

                // The link is used up, in this browser and any other.
                for reader in [browser, Browser(client)] {
                    let again = try await reader.get(path)
                    #expect(again.status == .ok)
                    #expect(String(buffer: again.body).contains("The password reset link was invalid, possibly because it has already been used."))
                }
                #expect(String(buffer: try await browser.get(setPath).body).contains("Password reset unsuccessful"))

                // Every other session ended; the new password logs in, the old one does not.
                #expect(try await elsewhere.get("/accounts/profile/").status == .found)
                #expect(try await LoginFlowTests.logIn(Browser(client)).status == .ok)
                #expect(try await LoginFlowTests.logIn(Browser(client), password: Self.newPassword).status == .found)
                return token
            }
            // No log line holds the token (the access log shows `[redacted]` instead).
            let lines = site.fixture.logs.all.map(\.text)
            #expect(!lines.contains { $0.contains(token) })
            #expect(lines.contains { $0.contains("/[redacted]/") })
        }
    }

    @Test func noEnumeration() async throws {
        let site = try await Site.make()
        let users = site.fixture.users
        let hashers = site.builder.hashers
        _ = try await users.insertUser(NewUser(username: "ivan", password: try await hashers.makePassword("x y z w v"), email: "ivan@example.com", isActive: false, dateJoined: Date()))
        _ = try await users.insertUser(NewUser(username: "nora", password: "!nousablepasswordhere0123456789abcdefghij", email: "nora@example.com", dateJoined: Date()))
        try await site.app().test(.router) { client async throws in
            var answers: [TestResponse] = []
            for email in ["nobody@example.com", "ivan@example.com", "nora@example.com", "alice@example.com"] {
                let browser = Browser(client)
                let page = try await browser.get("/accounts/password_reset/")
                let token = try #require(Browser.csrfToken(in: page))
                answers.append(try await browser.post("/accounts/password_reset/", form: [("csrfmiddlewaretoken", token), ("email", email)]))
                if email != "alice@example.com" {
                    #expect(await site.sent().isEmpty, "nothing for \(email)")
                }
            }
            #expect(await site.sent().count == 1, "alice only")
            let first = try #require(answers.first)
            for answer in answers {
                #expect(answer.status == first.status && answer.status == .found)
                #expect(String(buffer: answer.body) == String(buffer: first.body))
                let names = { (response: TestResponse) in response.headers.map { $0.name.canonicalName }.sorted() }
                #expect(names(answer) == names(first))
                #expect(answer.headers[.location] == first.headers[.location])
                #expect(answer.headers[.setCookie] == nil)
            }
        }
    }

    @Test func formErrorsAreDjangos() async throws {
        let site = try await Site.make()
        try await site.app().test(.router) { client async throws in
            let browser = Browser(client)
            let empty = try await Self.askForReset(browser, email: "   ")
            #expect(empty.status == .ok)
            #expect(String(buffer: empty.body).contains("This field is required."))
            let invalid = try await Self.askForReset(browser, email: "alice@")
            #expect(String(buffer: invalid.body).contains("Enter a valid email address."))
            #expect(String(buffer: invalid.body).contains(#"value="alice@""#))
            let missing = try await browser.post("/accounts/password_reset/", form: [("csrfmiddlewaretoken", Browser.csrfToken(in: empty) ?? "")])
            #expect(String(buffer: missing.body).contains("This field is required."))
            #expect(try await Browser(client).post("/accounts/password_reset/", form: [("email", "alice@example.com")]).status == .forbidden)
        }
        #expect(await site.sent().isEmpty)
    }

    @Test func invalidLinksShowTheInvalidLinkPage() async throws {
        let site = try await Site.make()
        let alice = site.fixture.alice
        let uid = PasswordResetUID.encode(alice.id)
        let good = site.builder.passwordResetTokens.makeToken(for: alice)
        try await site.app().test(.router) { client async throws in
            for path in [
                "/accounts/reset/\(uid)/1-0000/", "/accounts/reset/\(uid)/\(good)x/", "/accounts/reset/\(uid)/set-password/",
                "/accounts/reset/!!!/\(good)/", "/accounts/reset/OTk5/\(good)/", "/accounts/reset/\(PasswordResetUID.encode(alice.id + 1))/\(good)/",
                "/accounts/reset/LTE/\(good)/", "/accounts/reset/\(String(repeating: "A", count: 5000))/\(good)/",
                "/accounts/reset/\(uid)/\(String(repeating: "z", count: 5000))-1/", "/accounts/reset/%C3%A9/%00/",
                "/accounts/reset/MQ/zzzzzzzzzzzzzz-\(good.split(separator: "-")[1])/",
            ] {
                let response = try await Browser(client).get(path)
                #expect(response.status == .ok, "\(path.prefix(80))")
                #expect(String(buffer: response.body).contains("The password reset link was invalid"), "\(path.prefix(80))")
            }
            // A POST to the form without a token in the session is refused the same way.
            let browser = Browser(client)
            let page = try await browser.get("/accounts/password_reset/")
            let csrf = try #require(Browser.csrfToken(in: page))
            let post = try await browser.post(
                "/accounts/reset/\(uid)/set-password/",
                form: [("csrfmiddlewaretoken", csrf), ("new_password1", Self.newPassword), ("new_password2", Self.newPassword)]
            )
            #expect(post.status == .ok && String(buffer: post.body).contains("The password reset link was invalid"))
        }
        #expect(try await site.fixture.users.user(id: alice.id)?.password == alice.password)
    }

    @Test func aLinkStopsWorkingAfterALoginAnEmailChangeOrTheTimeout() async throws {
        let site = try await Site.make()
        let users = site.fixture.users
        let alice = site.fixture.alice
        let uid = PasswordResetUID.encode(alice.id)
        try await site.app().test(.router) { client async throws in
            func opens(_ token: String) async throws -> Bool {
                try await Browser(client).get("/accounts/reset/\(uid)/\(token)/").status == .found
            }
            // Logging in changes last_login.
            var token = site.builder.passwordResetTokens.makeToken(for: try #require(try await users.user(id: alice.id)))
            #expect(try await opens(token))
            site.clock.advance(by: 1)
            #expect(try await LoginFlowTests.logIn(Browser(client)).status == .found)
            #expect(try await !opens(token))

            // An email change.
            var current = try #require(try await users.user(id: alice.id))
            token = site.builder.passwordResetTokens.makeToken(for: current)
            #expect(try await opens(token))
            current.email = "alice@example.org"
            try await users.updateUser(current)
            #expect(try await !opens(token))

            // The timeout: three days, then no more.
            token = site.builder.passwordResetTokens.makeToken(for: current)
            site.clock.advance(by: TimeInterval(PasswordResetTokenGenerator.defaultTimeout))
            #expect(try await opens(token))
            site.clock.advance(by: 1)
            #expect(try await !opens(token))
        }
    }

    @Test func theFormAfterTheLinkExpiresIsRefused() async throws {
        let site = try await Site.make()
        let alice = site.fixture.alice
        try await site.app().test(.router) { client async throws in
            let browser = Browser(client)
            let token = site.builder.passwordResetTokens.makeToken(for: alice)
            let uid = PasswordResetUID.encode(alice.id)
            #expect(try await browser.get("/accounts/reset/\(uid)/\(token)/").status == .found)
            site.clock.advance(by: TimeInterval(PasswordResetTokenGenerator.defaultTimeout + 1))
            let form = try await browser.get("/accounts/reset/\(uid)/set-password/")
            #expect(String(buffer: form.body).contains("The password reset link was invalid"))
        }
    }

    @Test func aSessionLoggedInAsSomeoneElseIsLoggedOutByTheReset() async throws {
        let site = try await Site.make()
        let users = site.fixture.users
        let hashers = site.builder.hashers
        _ = try await users.insertUser(NewUser(username: "bob", password: try await hashers.makePassword("bob's passphrase"), email: "bob@example.com", dateJoined: Date()))
        let alice = site.fixture.alice
        try await site.app().test(.router) { client async throws in
            let browser = Browser(client)
            #expect(try await browser.logIn(username: "bob", password: "bob's passphrase").status == .found)
            let token = site.builder.passwordResetTokens.makeToken(for: alice)
            let uid = PasswordResetUID.encode(alice.id)
            #expect(try await browser.get("/accounts/reset/\(uid)/\(token)/").status == .found)
            let done = try await Self.setPassword(browser, at: "/accounts/reset/\(uid)/set-password/", Self.newPassword, Self.newPassword)
            #expect(done.status == .found)
            #expect(try await browser.get("/accounts/profile/").status == .found, "no longer logged in as bob")
        }
    }

    /// A sender that fails after a long while: the page answers at once, the failure is logged
    /// without the link.
    struct FailingSender: EmailSender {
        struct Refused: Error, CustomStringConvertible {
            var body: String
            var description: String { "the server refused: \(body)" }
        }
        func send(_ message: EmailMessage) async throws {
            throw Refused(body: message.body)
        }
    }

    struct StuckSender: EmailSender {
        let started = AsyncStream<Void>.makeStream()
        func send(_ message: EmailMessage) async throws {
            started.continuation.yield()
            try await Task.sleep(for: .seconds(3600))
        }
    }

    @Test func aFailingSenderIsLoggedWithoutTheLink() async throws {
        let site = try await Site.make(sender: FailingSender())
        try await site.app().test(.router) { client async throws in
            let asked = try await Self.askForReset(Browser(client), email: "alice@example.com")
            #expect(asked.status == .found && asked.headers[.location] == "/accounts/password_reset/done/")
        }
        await site.builder.emailDeliveries.waitUntilIdle()
        let errors = site.fixture.logs.errors
        #expect(errors.contains { $0.text.contains("email could not be sent") && $0.text.contains("user \(site.fixture.alice.id)") })
        #expect(errors.contains { $0.text.contains("<redacted>") }, "the error text held the link and was redacted")
        #expect(!site.fixture.logs.all.contains { $0.text.contains("/accounts/reset/\(PasswordResetUID.encode(site.fixture.alice.id))/") })
    }

    @Test func aStuckSenderDoesNotHoldTheAnswer() async throws {
        let sender = StuckSender()
        let site = try await Site.make(sender: sender)
        try await site.app().test(.router) { client async throws in
            let asked = try await Self.askForReset(Browser(client), email: "alice@example.com")
            #expect(asked.status == .found)
            // The send did start (and is still stuck) while the answer is already here.
            var iterator = sender.started.stream.makeAsyncIterator()
            _ = await iterator.next()
        }
    }

    @Test func requestLogsHideTheToken() async throws {
        let site = try await Site.make()
        let alice = site.fixture.alice
        let token = site.builder.passwordResetTokens.makeToken(for: alice)
        try await site.app().test(.router) { client async throws in
            _ = try await Browser(client).get("/accounts/reset/\(PasswordResetUID.encode(alice.id))/\(token)/?x=1")
        }
        let lines = site.fixture.logs.all.map(\.text)
        #expect(lines.contains { $0.contains("/accounts/reset/\(PasswordResetUID.encode(alice.id))/[redacted]/?x=1") })
        #expect(!lines.contains { $0.contains(token) })
    }

    @Test func theEmailTemplatesCanBeReplacedAndAreText() async throws {
        var site = try await Site.make()
        var templates = GatehouseTemplates()
        try templates.override("registration/password_reset_subject", with: "Reset <{{username}}>\non {{siteName}}\n")
        try templates.override("registration/password_reset_email", with: "Go to {{resetURL}} & be <quick>, {{username}}")
        var builder = site.builder
        builder.templates = templates
        site = Site(fixture: site.fixture, builder: builder, outbox: site.outbox, clock: site.clock)
        try await site.app().test(.router) { client async throws in
            _ = try await Self.askForReset(Browser(client), email: "alice@example.com")
        }
        let message = try #require(await site.sent().first)
        #expect(message.subject == "Reset <alice>on localhost")
        #expect(message.body.hasPrefix("Go to http://localhost/accounts/reset/") && message.body.hasSuffix("/ & be <quick>, alice"))
    }

    @Test func linksUseThePublicOriginAndOtherHostsGetNoMail() async throws {
        // --public-url: every link starts with it, whatever the request's Host.
        var site = try await Site.make()
        var builder = site.builder
        builder.hosts = try HostConfiguration(publicURL: "https://auth.example.com")
        site = Site(fixture: site.fixture, builder: builder, outbox: site.outbox, clock: site.clock)
        try await site.app().test(.router) { client async throws in
            #expect(try await Self.askForReset(Browser(client), email: "alice@example.com").status == .found)
        }
        let message = try #require(await site.sent().first)
        #expect(message.body.contains("https://auth.example.com/accounts/reset/\(PasswordResetUID.encode(site.fixture.alice.id))/"))
        #expect(message.subject == "Password reset on auth.example.com")

        // A Host that is not allowed is refused before the form: no mail.
        var strict = try await Site.make()
        var strictBuilder = strict.builder
        strictBuilder.hosts = HostConfiguration(allowedHosts: AllowedHosts(["example.com"]))
        strict = Site(fixture: strict.fixture, builder: strictBuilder, outbox: strict.outbox, clock: strict.clock)
        try await strict.app().test(.router) { client async throws in
            let browser = Browser(client)
            #expect(try await browser.get("/accounts/password_reset/").status == .badRequest)
            #expect(try await browser.post("/accounts/password_reset/", form: [("email", "alice@example.com")]).status == .badRequest)
        }
        #expect(await strict.sent().isEmpty)
    }

    /// The same work for a match and a miss: one look-up, the same statement (the mail is sent
    /// afterwards, off the request path).
    @Test func aMatchAndAMissCostTheSameQueries() async throws {
        try await TestDatabases.withSQLite { provider in
            let counting = QueryCountingProvider(base: provider)
            let keys = try SigningKeys(secretKey: "test-secret-key-that-is-long-enough-0123456789")
            let site = try await Site.make(users: SQLAuthStore(provider: counting), sessions: SQLSessionStore(provider: provider, keys: keys))
            try await site.app().test(.router) { client async throws in
                var costs: [[String]] = []
                for email in ["nobody@example.com", "alice@example.com"] {
                    let browser = Browser(client)
                    let page = try await browser.get("/accounts/password_reset/")
                    let token = try #require(Browser.csrfToken(in: page))
                    counting.reset()
                    let answer = try await browser.post("/accounts/password_reset/", form: [("csrfmiddlewaretoken", token), ("email", email)])
                    #expect(answer.status == .found)
                    costs.append(counting.statements)
                }
                #expect(costs[0].count == 1 && costs[0] == costs[1], "\(costs)")
            }
            #expect(await site.sent().count == 1)
        }
    }
}
