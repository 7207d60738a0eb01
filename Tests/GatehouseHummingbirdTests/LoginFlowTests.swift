import Foundation
import Gatehouse
import GatehouseTesting
import GatehouseHummingbird
import Hummingbird
import HummingbirdTesting
import GatehouseTestSupport
import Testing

/// The request journey through the account pages, in-process, with a cookie-keeping client.
@Suite("Login, sessions and logout")
struct LoginFlowTests {
    static let password = "correct horse battery staple"
    static let pool = PasswordHashingPool(numberOfThreads: 2, maximumQueued: 1_000)

    struct Fixture {
        let users: any AuthStore
        let sessions: any SessionStore
        let builder: GatehouseRouterBuilder
        let alice: User
        /// What the app logged (refused requests are logged as warnings; the tests read them here).
        let logs = LogCapture()

        /// The session store of a memory fixture (the default).
        var memorySessions: MemorySessionStore {
            guard let memory = sessions as? MemorySessionStore else { preconditionFailure("not a memory fixture") }
            return memory
        }

        static func make(
            clock: ManualClock = ManualClock(Date()),
            login: LoginConfiguration = LoginConfiguration(),
            users: any AuthStore = MemoryAuthStore(),
            sessions: any SessionStore = MemorySessionStore()
        ) async throws -> Fixture {
            let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000), pool: LoginFlowTests.pool)
            let alice = try await users.insertUser(
                NewUser(username: "alice", password: try await hashers.makePassword(LoginFlowTests.password), email: "alice@example.com", dateJoined: clock.now())
            )
            let builder = GatehouseRouterBuilder(
                users: users, sessions: sessions, keys: try SigningKeys(secretKey: "test-secret-key-that-is-long-enough-0123456789"),
                login: login, hashers: hashers, clock: clock
            )
            return Fixture(users: users, sessions: sessions, builder: builder, alice: alice)
        }

        func app() -> some ApplicationProtocol {
            Application(router: builder.makeRouter(logRequests: false), logger: logs.logger("login-flow-test"))
        }
    }

    static func logIn(_ browser: Browser, username: String = "alice", password: String = LoginFlowTests.password, next: String = "") async throws -> TestResponse {
        try await browser.logIn(username: username, password: password, next: next)
    }

    @Test func theLoginPageIsAFormWithCSRFAndAutocomplete() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            let page = try await browser.get("/accounts/login/?next=/reports/")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"autocomplete="username""#) && html.contains(#"autocomplete="current-password""#))
            #expect(html.contains(#"type="password""#) && html.contains("<label for=\"id_username\">"))
            #expect(html.contains(#"name="next" value="/reports/""#))
            #expect(Browser.csrfToken(in: page)?.count == 64)
            #expect(browser.cookie("csrftoken")?.count == 32)
        }
    }

    @Test func loggingInRotatesTheSessionKeyAndTheOldKeyIsDead() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            // An anonymous session exists before login (something was stored in it).
            let stale = "abcdefghijklmnopqrstuvwxyz012345"
            browser.setCookie("sessionid", stale)
            let response = try await Self.logIn(browser)
            #expect(response.status == .found)
            #expect(response.headers[.location] == "/accounts/profile/")
            let key = try #require(browser.cookie("sessionid"))
            #expect(key != stale && key.count == 32)
            let setCookie = response.headers[values: .setCookie].first { $0.hasPrefix("sessionid=") } ?? ""
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains("Secure"), "plain http test requests get no Secure flag")
            let profile = try await browser.get("/accounts/profile/")
            #expect(profile.status == .ok)
            #expect(String(buffer: profile.body).contains(#"<dd id="username">alice</dd>"#))
            #expect(!String(buffer: profile.body).contains("<dt>Name</dt>"), "no empty name row for a user without a name")
            #expect(String(buffer: profile.body).contains("<dd>alice@example.com</dd>"))
            #expect(profile.headers[.vary]?.contains("Cookie") == true)
            #expect(profile.headers[.cacheControl]?.contains("private") == true)
            // The stored session carries Django's keys.
            let record = try #require(try await fixture.sessions.load(key: key, now: Date()))
            #expect(record.data["_auth_user_id"] == .string(String(fixture.alice.id)))
            #expect(record.data["_auth_user_backend"] == .string("django.contrib.auth.backends.ModelBackend"))
            #expect(record.data["_auth_user_hash"]?.stringValue?.count == 64)
            // Logging in again moves the session to yet another key.
            _ = try await Self.logIn(browser)
            let again = try #require(browser.cookie("sessionid"))
            #expect(again != key)
            #expect(try await fixture.sessions.load(key: key, now: Date()) == nil, "the old key is dead")
            #expect(try await fixture.users.user(id: fixture.alice.id)?.lastLogin != nil)
        }
    }

    @Test func unknownUserAndWrongPasswordGetTheSameAnswer() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            let wrong = try await Self.logIn(Browser(client), password: "not it")
            let unknown = try await Self.logIn(Browser(client), username: "mallory", password: "not it")
            #expect(wrong.status == .ok && unknown.status == .ok)
            let strip = { (page: TestResponse) in
                String(buffer: page.body).replacingOccurrences(of: #"value="[A-Za-z0-9]{64}""#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"value="(alice|mallory)""#, with: "", options: .regularExpression)
            }
            #expect(strip(wrong) == strip(unknown))
            #expect(String(buffer: wrong.body).contains("Please enter a correct username and password. Note that both fields may be case-sensitive."))
            #expect(wrong.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("sessionid=") })
        }
    }

    @Test func missingFieldsAreRequired() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            let page = try await Self.logIn(Browser(client), username: "", password: "")
            #expect(String(buffer: page.body).components(separatedBy: "This field is required.").count == 3)
        }
    }

    @Test func aCopiedCookieIsDeadAfterLogout() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await Self.logIn(browser)
            let key = try #require(browser.cookie("sessionid"))
            let profile = try await browser.get("/accounts/profile/")
            let token = try #require(Browser.csrfToken(in: profile))
            #expect(try await browser.get("/accounts/logout/").status == .methodNotAllowed)
            let out = try await browser.post("/accounts/logout/", form: [("csrfmiddlewaretoken", token)])
            #expect(out.status == .ok)
            #expect(String(buffer: out.body).contains("Logged out"))
            let thief = Browser(client)
            thief.setCookie("sessionid", key)
            let stolen = try await thief.get("/accounts/profile/")
            #expect(stolen.status == .found)
            #expect(stolen.headers[.location] == "/accounts/login/?next=/accounts/profile/")
        }
    }

    @Test func aPasswordChangeElsewhereEndsTheSession() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await Self.logIn(browser)
            #expect(try await browser.get("/accounts/profile/").status == .ok)
            var alice = try #require(try await fixture.users.user(id: fixture.alice.id))
            alice.password = try await fixture.builder.hashers.makePassword("a brand new passphrase")
            try await fixture.users.updateUser(alice)
            #expect(try await browser.get("/accounts/profile/").status == .found)
        }
    }

    @Test func anInactiveUserIsRefusedAndLoggedOut() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await Self.logIn(browser)
            var alice = try #require(try await fixture.users.user(id: fixture.alice.id))
            alice.isActive = false
            try await fixture.users.updateUser(alice)
            #expect(try await browser.get("/accounts/profile/").status == .found)
            let again = try await Self.logIn(Browser(client))
            #expect(again.status == .ok)
            #expect(String(buffer: again.body).contains("Please enter a correct username and password."))
        }
    }

    @Test func nextIsFollowedOnlyWhenSafe() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            for (next, expected) in [
                ("/reports/?page=2", "/reports/?page=2"), ("http://localhost/ok/", "http://localhost/ok/"),
                ("//evil.example/", "/accounts/profile/"), ("https://evil.example/", "/accounts/profile/"),
                (#"/\evil.example"#, "/accounts/profile/"), ("javascript:alert(1)", "/accounts/profile/"),
                ("\u{8}//evil.example", "/accounts/profile/"),
            ] {
                let response = try await Self.logIn(Browser(client), next: next)
                #expect(response.headers[.location] == expected, "next=\(next)")
            }
        }
    }

    @Test func csrfFailuresAreRefusedWithAReason() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            let form = [("username", "alice"), ("password", Self.password)]
            let noCookie = try await Browser(client).post("/accounts/login/", form: form)
            #expect(noCookie.status == .forbidden)
            #expect(String(buffer: noCookie.body).contains("CSRF cookie not set."))

            let browser = Browser(client)
            let page = try await browser.get("/accounts/login/")
            let token = try #require(Browser.csrfToken(in: page))
            let missing = try await browser.post("/accounts/login/", form: form)
            #expect(missing.status == .forbidden)
            let wrong = try await browser.post("/accounts/login/", form: form + [("csrfmiddlewaretoken", String(repeating: "a", count: 64))])
            #expect(wrong.status == .forbidden)
            var foreign = HTTPFields()
            foreign[.origin] = "http://evil.example"
            let crossOrigin = try await browser.post("/accounts/login/", form: form + [("csrfmiddlewaretoken", token)], headers: foreign)
            #expect(crossOrigin.status == .forbidden)
            #expect(String(buffer: crossOrigin.body).contains("Origin checking failed"))
            #expect(browser.cookie("sessionid") == nil)
            let good = try await browser.post("/accounts/login/", form: form + [("csrfmiddlewaretoken", token)])
            #expect(good.status == .found)
            // Each refusal is logged once with its reason, never with the token.
            let refusals = fixture.logs.warnings.filter { $0.message == "CSRF check failed" }
            #expect(refusals.count == 4, "\(fixture.logs.all.map(\.text))")
            #expect(refusals.contains { $0.metadata["reason"]?.contains("Origin checking failed") == true })
            #expect(!fixture.logs.all.contains { $0.text.contains(token) })
        }
    }

    @Test func loggedInUsersCanBeSentStraightOnAndLogoutCanRedirect() async throws {
        let fixture = try await Fixture.make(
            login: LoginConfiguration(logoutRedirectURL: "/goodbye/", redirectAuthenticatedUser: true)
        )
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            #expect(try await browser.get("/accounts/login/?next=/reports/").status == .ok)
            _ = try await Self.logIn(browser)
            let again = try await browser.get("/accounts/login/?next=/reports/")
            #expect(again.status == .found && again.headers[.location] == "/reports/")
            let unsafe = try await browser.get("/accounts/login/?next=https://evil.example/")
            #expect(unsafe.headers[.location] == "/accounts/profile/")
            let token = try #require(Browser.csrfToken(in: try await browser.get("/accounts/profile/")))
            let out = try await browser.post("/accounts/logout/", form: [("csrfmiddlewaretoken", token)])
            #expect(out.status == .found && out.headers[.location] == "/goodbye/")
            #expect(try await browser.get("/accounts/login/").status == .ok)
        }
    }

    @Test func signedCookieSessionsLogInAndRefuseTamperedCookies() async throws {
        let base = try await Fixture.make()
        var builder = base.builder
        builder.signedCookieSessions = true
        let fixture = Fixture(users: base.users, sessions: base.sessions, builder: builder, alice: base.alice)
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            #expect(try await Self.logIn(browser).status == .found)
            let cookie = try #require(browser.cookie("sessionid"))
            #expect(cookie.count > 40, "the session data is in the cookie")
            #expect(await fixture.memorySessions.count == 0, "no server-side rows")
            #expect(try await browser.get("/accounts/profile/").status == .ok)
            // Flip one character of the signed value: the session is refused.
            var characters = Array(cookie)
            let index = characters.count / 2
            characters[index] = characters[index] == "a" ? "b" : "a"
            let forger = Browser(client)
            forger.setCookie("sessionid", String(characters))
            #expect(try await forger.get("/accounts/profile/").status == .found)
        }
    }

    @Test func theInactiveMessageComesOnlyAfterACorrectPassword() async throws {
        let base = try await Fixture.make()
        var builder = base.builder
        builder.backends = [AllowAllUsersModelBackend(store: base.users, hashers: builder.hashers)]
        var alice = base.alice
        alice.isActive = false
        try await base.users.updateUser(alice)
        let fixture = Fixture(users: base.users, sessions: base.sessions, builder: builder, alice: alice)
        try await fixture.app().test(.router) { client in
            let right = try await Self.logIn(Browser(client))
            #expect(right.status == .ok)
            #expect(String(buffer: right.body).contains("This account is inactive."))
            let wrong = try await Self.logIn(Browser(client), password: "nope")
            #expect(!String(buffer: wrong.body).contains("This account is inactive."))
            #expect(String(buffer: wrong.body).contains("Please enter a correct username and password."))
        }
    }

    @Test func aSessionFromAnUnconfiguredBackendIsAnonymousAndFlushed() async throws {
        let fixture = try await Fixture.make()
        let key = try await fixture.sessions.create(
            SessionRecord(
                data: [
                    "_auth_user_id": .string(String(fixture.alice.id)), "_auth_user_backend": .string("some.removed.Backend"),
                    "_auth_user_hash": .string(SessionAuthHash.make(passwordHash: fixture.alice.password, secretKey: fixture.builder.keys.secretKey)),
                ],
                expireDate: Date().addingTimeInterval(3600)
            )
        )
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            browser.setCookie("sessionid", key)
            let response = try await browser.get("/accounts/profile/")
            #expect(response.status == .found)
            #expect(await fixture.memorySessions.load(key: key, now: Date()) == nil, "the session was flushed")
        }
    }

    @Test func applicationsCanOverrideATemplateByName() async throws {
        let base = try await Fixture.make()
        var builder = base.builder
        try builder.templates.override("registration/logged_out", with: "<p>See you, friend.</p>")
        let fixture = Fixture(users: base.users, sessions: base.sessions, builder: builder, alice: base.alice)
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await Self.logIn(browser)
            let token = try #require(Browser.csrfToken(in: try await browser.get("/accounts/profile/")))
            let out = try await browser.post("/accounts/logout/", form: [("csrfmiddlewaretoken", token)])
            #expect(String(buffer: out.body) == "<p>See you, friend.</p>")
        }
    }

    @Test func hostileCookiesGiveAnonymousSessionsAndCreateNoRows() async throws {
        let fixture = try await Fixture.make()
        try await fixture.app().test(.router) { client in
            var cookies = ["", String(repeating: "a", count: 4096), "ünïcödé", "../../etc/passwd", "abc;def", "%00%ff"]
            for _ in 0..<10_000 { cookies.append(RandomString.make(length: 32, from: RandomString.lowercaseAlphanumerics)) }
            for value in cookies {
                let browser = Browser(client)
                browser.setCookie("sessionid", value)
                let response = try await browser.get("/accounts/profile/")
                #expect(response.status == .found, "cookie \(value.prefix(20))")
            }
            #expect(await fixture.memorySessions.count == 0)
        }
    }
}
