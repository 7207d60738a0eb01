import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseSQL
import GatehouseTestSupport
import GatehouseTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The sessions page through requests, on every store: listing, ending one, ending all others,
/// the refusals, and how the records follow logins, logouts, key rotations and Django's sessions.
@Suite("Sessions page")
struct UserSessionsFlowTests {
    static let path = "/accounts/sessions/"

    static func index(_ fixture: LoginFlowTests.Fixture) throws -> any UserSessionStore {
        try #require(fixture.builder.userSessions?.store)
    }

    static func id(_ browser: Browser) throws -> String {
        UserSessionRecord.id(ofKey: try #require(browser.cookie("sessionid")))
    }

    static func isLoggedIn(_ browser: Browser) async throws -> Bool {
        try await browser.get("/accounts/profile/").status == .ok
    }

    @Test(arguments: GuardStore.enabled)
    func aUserSeesTheirSessionsAndEndsAnother(_ store: GuardStore) async throws {
        try await store.with { users, sessions in
            let fixture = try await LoginFlowTests.Fixture.make(users: users, sessions: sessions)
            _ = try await users.insertUser(
                NewUser(username: "bob", password: try await fixture.builder.hashers.makePassword(LoginFlowTests.password), dateJoined: Date())
            )
            try await fixture.app().test(.router) { client in
                let anonymous = try await Browser(client).get(Self.path)
                #expect(anonymous.status == .found)
                #expect(anonymous.headers[.location] == "/accounts/login/?next=/accounts/sessions/")

                let here = Browser(client)
                let phone = Browser(client)
                let bob = Browser(client)
                #expect(try await LoginFlowTests.logIn(here).status == .found)
                #expect(try await LoginFlowTests.logIn(phone).status == .found)
                #expect(try await LoginFlowTests.logIn(bob, username: "bob").status == .found)
                // The logins recorded their sessions under the new keys.
                let rows = try await Self.index(fixture).records(userID: fixture.alice.id)
                #expect(Set(rows.map(\.sessionKey)) == [try #require(here.cookie("sessionid")), try #require(phone.cookie("sessionid"))])

                let profile = String(buffer: try await here.get("/accounts/profile/").body)
                #expect(profile.contains(#"<a href="/accounts/sessions/">Your sessions</a>"#))

                let page = try await here.get(Self.path)
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                let hereID = try Self.id(here)
                let phoneID = try Self.id(phone)
                #expect(html.contains(#"id="session-\#(hereID.prefix(12))""#) && html.contains(#"id="session-\#(phoneID.prefix(12))""#))
                #expect(html.components(separatedBy: "(this session)").count == 2)
                #expect(html.contains(#"name="session" value="\#(phoneID)""#))
                #expect(!html.contains(#"name="session" value="\#(hereID)""#), "the current session has no end button")
                #expect(!html.contains(try #require(here.cookie("sessionid"))), "no session key on the page")
                #expect(!html.contains(try #require(phone.cookie("sessionid"))))
                #expect(!html.contains(try Self.id(bob).prefix(12)))
                let token = try #require(Browser.csrfToken(in: page))

                // Without the CSRF token: refused, nothing ended.
                #expect(try await here.post(Self.path, form: [("session", phoneID)]).status == .forbidden)
                #expect(try await Self.isLoggedIn(phone))
                // Another user's session, by its real identifier: not found, and it lives on.
                #expect(try await here.post(Self.path, form: [("csrfmiddlewaretoken", token), ("session", try Self.id(bob))]).status == .notFound)
                #expect(try await Self.isLoggedIn(bob))
                // Hostile identifiers: a 4xx, never a 500.
                for hostile in ["", "zz", String(repeating: "f", count: 10_000), "'; DROP TABLE django_session; --"] {
                    let status = try await here.post(Self.path, form: [("csrfmiddlewaretoken", token), ("session", hostile)]).status
                    #expect(status == .notFound, "\(hostile.prefix(20))")
                }
                #expect(try await here.post(Self.path, form: [("csrfmiddlewaretoken", token)]).status == .badRequest)
                // This session: refused (log out instead), still logged in.
                #expect(try await here.post(Self.path, form: [("csrfmiddlewaretoken", token), ("session", hereID)]).status == .badRequest)
                #expect(try await Self.isLoggedIn(here))

                // The phone's session ends; its next request is anonymous.
                let phoneKey = try #require(phone.cookie("sessionid"))
                let ended = try await here.post(Self.path, form: [("csrfmiddlewaretoken", token), ("session", phoneID)])
                #expect(ended.status == .found)
                #expect(ended.headers[.location] == "/accounts/sessions/?ended=1")
                #expect(try await sessions.load(key: phoneKey, now: Date()) == nil)
                #expect(try await !Self.isLoggedIn(phone))
                #expect(try await Self.isLoggedIn(here))
                let after = String(buffer: try await here.get("/accounts/sessions/?ended=1").body)
                #expect(after.contains("1 session was ended."))
                #expect(!after.contains(String(phoneID.prefix(12))))
                #expect(try await Self.index(fixture).records(userID: fixture.alice.id).map(\.sessionKey) == [try #require(here.cookie("sessionid"))])
            }
        }
    }

    @Test(arguments: GuardStore.enabled)
    func endingAllOtherSessions(_ store: GuardStore) async throws {
        try await store.with { users, sessions in
            let fixture = try await LoginFlowTests.Fixture.make(users: users, sessions: sessions)
            try await fixture.app().test(.router) { client in
                let browsers = [Browser(client), Browser(client), Browser(client)]
                for browser in browsers { #expect(try await LoginFlowTests.logIn(browser).status == .found) }
                let page = try await browsers[0].get(Self.path)
                #expect(String(buffer: page.body).contains("End all other sessions"))
                let token = try #require(Browser.csrfToken(in: page))
                let ended = try await browsers[0].post(Self.path, form: [("csrfmiddlewaretoken", token), ("all_others", "1")])
                #expect(ended.headers[.location] == "/accounts/sessions/?ended=2")
                #expect(try await Self.isLoggedIn(browsers[0]))
                #expect(try await !Self.isLoggedIn(browsers[1]))
                #expect(try await !Self.isLoggedIn(browsers[2]))
                #expect(!String(buffer: try await browsers[0].get(Self.path).body).contains("End all other sessions"))
            }
        }
    }

    @Test func recordsFollowRequestsLogoutAndKeyRotationWithoutWritingOnWarmRequests() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let fixture = try await LoginFlowTests.Fixture.make(clock: clock)
        let index = try Self.index(fixture)
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            #expect(try await LoginFlowTests.logIn(browser).status == .found)
            let loginKey = try #require(browser.cookie("sessionid"))
            let first = try #require(try await index.records(userID: fixture.alice.id).first)
            #expect(first.sessionKey == loginKey && first.createdAt == clock.now() && first.lastSeenAt == clock.now())

            // Warm requests within the resolution write nothing.
            var agent = HTTPFields()
            agent[.userAgent] = "Mozilla/5.0 (Phone)"
            clock.advance(by: 299)
            #expect(try await browser.get("/accounts/profile/", headers: agent).status == .ok)
            #expect(try await index.records(userID: fixture.alice.id) == [first])
            // Past it, the next request updates last seen and the user agent.
            clock.advance(by: 1)
            #expect(try await browser.get("/accounts/profile/", headers: agent).status == .ok)
            let seen = try #require(try await index.records(userID: fixture.alice.id).first)
            #expect(seen.lastSeenAt == clock.now() && seen.createdAt == first.createdAt)
            #expect(seen.userAgent == "Mozilla/5.0 (Phone)")

            // A password change rotates the key: the record follows it.
            let form = try await browser.get("/accounts/password_change/")
            let token = try #require(Browser.csrfToken(in: form))
            let newPassword = PasswordChangeFlowTests.newPassword
            _ = try await browser.post(
                "/accounts/password_change/",
                form: [("csrfmiddlewaretoken", token), ("old_password", LoginFlowTests.password), ("new_password1", newPassword), ("new_password2", newPassword)]
            )
            let rotated = try #require(browser.cookie("sessionid"))
            #expect(rotated != loginKey)
            #expect(try await index.records(userID: fixture.alice.id).map(\.sessionKey) == [rotated])

            // Logout removes it.
            let profile = try await browser.get("/accounts/profile/")
            let logoutToken = try #require(Browser.csrfToken(in: profile))
            _ = try await browser.post("/accounts/logout/", form: [("csrfmiddlewaretoken", logoutToken)])
            #expect(try await index.records(userID: fixture.alice.id).isEmpty)
        }
    }

    @Test(arguments: GuardStore.enabled)
    func aSessionDjangoMadeIsListedAfterItsFirstRequestAndCanBeEnded(_ store: GuardStore) async throws {
        try await store.with { users, sessions in
            let fixture = try await LoginFlowTests.Fixture.make(users: users, sessions: sessions)
            let index = try Self.index(fixture)
            // What Django's login() leaves: its three keys and nothing of Gatehouse's.
            let djangoKey = try await sessions.create(SessionRecord(
                data: [
                    SessionLogin.userIDKey: .string(String(fixture.alice.id)),
                    SessionLogin.backendKey: .string(ModelBackend.djangoIdentifier),
                    SessionLogin.hashKey: .string(SessionAuthHash.make(passwordHash: fixture.alice.password, secretKey: fixture.builder.keys.secretKey)),
                ],
                expireDate: Date().addingTimeInterval(3600)
            ))
            #expect(try await index.records(userID: fixture.alice.id).isEmpty)
            try await fixture.app().test(.router) { client in
                let django = Browser(client)
                django.setCookie("sessionid", djangoKey)
                #expect(try await Self.isLoggedIn(django))
                #expect(try await index.records(userID: fixture.alice.id).map(\.sessionKey) == [djangoKey])

                let here = Browser(client)
                _ = try await LoginFlowTests.logIn(here)
                let page = try await here.get(Self.path)
                let token = try #require(Browser.csrfToken(in: page))
                let djangoID = UserSessionRecord.id(ofKey: djangoKey)
                #expect(String(buffer: page.body).contains(#"value="\#(djangoID)""#))
                #expect(try await here.post(Self.path, form: [("csrfmiddlewaretoken", token), ("session", djangoID)]).status == .found)
                #expect(try await !sessions.exists(key: djangoKey))
                #expect(try await !Self.isLoggedIn(django))
            }
        }
    }

    @Test func aHostileUserAgentIsEscapedOnThePage() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let fixture = try await LoginFlowTests.Fixture.make(clock: clock)
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await LoginFlowTests.logIn(browser)
            clock.advance(by: 300)
            var agent = HTTPFields()
            agent[.userAgent] = "<script>alert(1)</script>"
            _ = try await browser.get(Self.path, headers: agent)
            let html = String(buffer: try await browser.get(Self.path).body)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>"))
        }
    }

    @Test func hostileCookiesWriteNoRecord() async throws {
        let fixture = try await LoginFlowTests.Fixture.make()
        let index = try #require(fixture.builder.userSessions?.store as? MemoryUserSessionStore)
        try await fixture.app().test(.router) { client in
            for cookie in ["abcdefghijklmnopqrstuvwxyz012345", "../../etc", String(repeating: "a", count: 5_000)] {
                let browser = Browser(client)
                browser.setCookie("sessionid", cookie)
                let status = try await browser.get("/accounts/profile/").status
                #expect(status == .found)
            }
        }
        #expect(await index.count == 0)
    }

    @Test func signedCookieSessionsCannotBeEndedAndThePageSaysSo() async throws {
        let base = try await LoginFlowTests.Fixture.make()
        var builder = base.builder
        builder.signedCookieSessions = true
        #expect(builder.userSessions == nil)
        let fixture = LoginFlowTests.Fixture(users: base.users, sessions: base.sessions, builder: builder, alice: base.alice)
        try await fixture.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await LoginFlowTests.logIn(browser)
            let page = try await browser.get(Self.path)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("cannot be listed or ended one by one"))
            let token = try #require(Browser.csrfToken(in: try await browser.get("/accounts/profile/")))
            #expect(try await browser.post(Self.path, form: [("csrfmiddlewaretoken", token), ("all_others", "1")]).status == .badRequest)
        }
    }
}

/// Two app instances on one database, as two servers: a session ended on one stops working on the
/// other at its next request.
@Suite("Sessions ended on one server")
struct UserSessionsAcrossServersTests {
    static func check(_ first: any SQLDatabaseProvider, _ second: any SQLDatabaseProvider) async throws {
        try await MigrationRunner(provider: first, logger: TestDatabases.migrationLogger).migrate()
        let keys = try SigningKeys(secretKey: "two-servers-secret-0123456789abcdefghijklmn")
        let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000), pool: LoginFlowTests.pool)
        _ = try await SQLAuthStore(provider: first).insertUser(
            NewUser(username: "alice", password: try await hashers.makePassword(LoginFlowTests.password), dateJoined: Date())
        )
        let appOne = Self.app(first, keys: keys, hashers: hashers)
        let appTwo = Self.app(second, keys: keys, hashers: hashers)
        try await appOne.test(.router) { one in
            try await appTwo.test(.router) { two in
                let laptop = Browser(one)
                let phone = Browser(one)
                _ = try await LoginFlowTests.logIn(laptop)
                _ = try await LoginFlowTests.logIn(phone)
                #expect(try await phone.get("/accounts/profile/").status == .ok)
                // The laptop's session, used on the other server, lists both and ends the phone's.
                let laptopThere = Browser(two)
                let laptopKey = try #require(laptop.cookie("sessionid"))
                laptopThere.setCookie("sessionid", laptopKey)
                let page = try await laptopThere.get(UserSessionsFlowTests.path)
                let html = String(buffer: page.body)
                let phoneID = try UserSessionsFlowTests.id(phone)
                #expect(html.contains(#"value="\#(phoneID)""#))
                let token = try #require(Browser.csrfToken(in: page))
                #expect(try await laptopThere.post(UserSessionsFlowTests.path, form: [("csrfmiddlewaretoken", token), ("session", phoneID)]).status == .found)
                // The first server refuses the phone at once.
                #expect(try await phone.get("/accounts/profile/").status == .found)
                #expect(try await laptop.get("/accounts/profile/").status == .ok)
            }
        }
    }

    static func app(_ provider: any SQLDatabaseProvider, keys: SigningKeys, hashers: PasswordHashers) -> some ApplicationProtocol {
        let builder = GatehouseRouterBuilder(
            users: SQLAuthStore(provider: provider), sessions: SQLSessionStore(provider: provider, keys: keys), keys: keys, hashers: hashers
        )
        return Application(router: builder.makeRouter(logRequests: false))
    }

    @Test func sqlite() async throws {
        try await TestDatabases.withTwoSQLiteProviders { first, second in try await Self.check(first, second) }
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled))
    func postgres() async throws {
        try await TestDatabases.withTwoPostgresProviders { first, second in try await Self.check(first, second) }
    }
}
