import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The stores the guard tests run on: memory and SQLite always, PostgreSQL when
/// `GATEHOUSE_TEST_POSTGRES_URL` is set (CI sets it).
enum GuardStore: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite, postgres

    static var enabled: [GuardStore] {
        TestDatabases.postgresEnabled ? allCases : [.memory, .sqlite]
    }

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh store of this kind (and its session store), removed afterwards.
    func with(_ body: (any AuthStore, any SessionStore) async throws -> Void) async throws {
        let keys = try SigningKeys(secretKey: "test-secret-key-that-is-long-enough-0123456789")
        switch self {
        case .memory:
            try await body(MemoryAuthStore(), MemorySessionStore())
        case .sqlite:
            try await TestDatabases.withSQLite { provider in
                try await body(SQLAuthStore(provider: provider), SQLSessionStore(provider: provider, keys: keys))
            }
        case .postgres:
            try await TestDatabases.withPostgres { provider in
                try await body(SQLAuthStore(provider: provider), SQLSessionStore(provider: provider, keys: keys))
            }
        }
    }
}

/// Guards and access-denied responses, for browsers and API clients, on every store.
@Suite("Guards and access-denied responses")
struct GuardTests {
    struct Site {
        let fixture: LoginFlowTests.Fixture
        let router: Router<GatehouseRequestContext>
    }

    static func withSite(
        _ store: GuardStore, raise: Bool = false, denyByDefault: Bool = false, _ body: (Site) async throws -> Void
    ) async throws {
        try await store.with { users, sessions in
            try await body(try await site(users: users, sessions: sessions, raise: raise, denyByDefault: denyByDefault))
        }
    }

    static func site(users: any AuthStore, sessions: any SessionStore, raise: Bool, denyByDefault: Bool) async throws -> Site {
        let fixture = try await LoginFlowTests.Fixture.make(users: users, sessions: sessions)
        let users = fixture.users
        let reports = try await users.insertContentType(appLabel: "reports", model: "report")
        let view = try await users.insertPermission(name: "Can view report", codename: "view_report", contentTypeID: reports.id)
        _ = try await users.insertPermission(name: "Can add report", codename: "add_report", contentTypeID: reports.id)
        let viewers = try await users.insertGroup(name: "viewers")
        try await users.grant(view.id, toGroup: viewers.id)
        let bob = try await users.insertUser(
            NewUser(username: "bob", password: try await fixture.builder.hashers.makePassword(LoginFlowTests.password), dateJoined: Date())
        )
        try await users.addUser(bob.id, toGroup: viewers.id)

        let router = Router(context: GatehouseRequestContext.self)
        fixture.builder.install(on: router, logRequests: false)
        if raise {
            var policy = fixture.builder.accessPolicy
            policy.raiseException = true
            router.add(middleware: AccessPolicyMiddleware(policy))
        }
        if denyByDefault {
            router.add(middleware: LoginRequired(publicPrefixes: ["/static/"], publicPaths: ["/"]))
        }
        let checker = try fixture.builder.permissionChecker
        router.get("/") { _, _ in "home" }
        router.get("/static/app.css") { _, _ in "css" }
        router.get("/open") { _, context in "hello \(context.identity?.username ?? "stranger")" }
        router.get("/gone") { _, _ -> String in throw HTTPError(.notFound) }
        router.get("/missing-post") { _, _ -> String in throw HTTPError(.notFound, message: "No such post") }
        router.group("/reports")
            .add(middleware: PermissionRequired(["reports.view_report"], checker: checker))
            .get("/:id") { _, context in "report \(context.parameters.get("id") ?? "")" }
        router.group("/reports-admin")
            .add(middleware: PermissionRequired(["reports.view_report", "reports.add_report"], mode: .all, checker: checker))
            .get("/") { _, _ in "admin" }
        router.group("/reports-any")
            .add(middleware: PermissionRequired(["reports.view_report", "reports.add_report"], mode: .any, checker: checker))
            .get("/") { _, _ in "any" }
        router.group("/staff")
            .add(middleware: UserPassesTest { account in account.isStaff })
            .get("/") { _, _ in "staff" }
        struct OddPostsOnly: PermissionBackend {
            func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> {
                guard account.isAuthenticated, let target, let id = Int(target.objectID), id % 2 == 1 else { return [] }
                return ["blog.change_post"]
            }
        }
        let objectChecker = PermissionChecker(backends: [OddPostsOnly()])
        router.group("/posts")
            .add(middleware: ObjectPermissionRequired("blog.change_post", checker: objectChecker) { _, context in
                guard let id = context.parameters.get("id"), Int(id).map({ $0 < 100 }) == true else { return nil }
                return PermissionTarget(appLabel: "blog", model: "post", objectID: id)
            })
            .get("/:id/edit") { _, context in "editing \(context.parameters.get("id") ?? "")" }
        router.group("/me", context: LoggedInRequestContext<GatehouseRequestContext>.self)
            .get("/") { _, context in "you are \(context.user.username)" }
        return Site(fixture: fixture, router: router)
    }

    static func json() -> HTTPFields {
        var headers = HTTPFields()
        headers[.accept] = "application/json"
        return headers
    }

    @Test func aBare404HasAPageWithAWayBackAndAnAPIClientGetsJSON() async throws {
        try await Self.withSite(.memory) { site in
            try await Application(router: site.router).test(.router) { client in
                let browser = Browser(client)
                for path in ["/no/such/page", "/gone"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .notFound)
                    #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                    let html = String(buffer: page.body)
                    #expect(html.contains("<h1>Not Found</h1>"))
                    #expect(html.contains(#"<a href="/">Home</a>"#))
                    #expect(html.contains(#"<a href="/accounts/login/">Log in</a>"#))
                    #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                }
                let api = try await browser.get("/no/such/page", headers: Self.json())
                #expect(api.status == .notFound)
                #expect(api.headers[.contentType] == "application/json")
                #expect(String(buffer: api.body).contains(#""error":"not_found""#))
                // An application's own 404 with a message is left as the application wrote it.
                let own = try await browser.get("/missing-post")
                #expect(own.status == .notFound)
                #expect(String(buffer: own.body).contains("No such post"))
                #expect(!String(buffer: own.body).contains("<h1>Not Found</h1>"))
            }
        }
    }

    @Test(arguments: GuardStore.enabled)
    func anonymousBrowsersAreSentToLogInWithNextAndAPIClientsGet401(_ store: GuardStore) async throws {
        try await Self.withSite(store) { site in
            try await Application(router: site.router).test(.router) { client in
                let browser = Browser(client)
                let redirected = try await browser.get("/reports/7?format=pdf&x=1")
                #expect(redirected.status == .found)
                #expect(redirected.headers[.location] == "/accounts/login/?next=/reports/7%3Fformat%3Dpdf%26x%3D1")
                let api = try await browser.get("/reports/7", headers: Self.json())
                #expect(api.status == .unauthorized)
                #expect(api.headers[.wwwAuthenticate]?.hasPrefix("Session realm=") == true)
                #expect(api.headers[.contentType] == "application/json")
                #expect(String(buffer: api.body).contains(#""error":"authentication_required""#))
                var bearer = HTTPFields()
                bearer[.authorization] = "Bearer abc"
                #expect(try await browser.get("/reports/7", headers: bearer).status == .unauthorized)
                var browserAccept = HTTPFields()
                browserAccept[.accept] = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
                #expect(try await browser.get("/reports/7", headers: browserAccept).status == .found)
                #expect(try await browser.get("/me/").status == .found)
            }
        }
    }

    @Test(arguments: GuardStore.enabled)
    func loggedInUsersWithoutThePermissionGet403NeverALoginRedirect(_ store: GuardStore) async throws {
        try await Self.withSite(store) { site in
            try await Application(router: site.router).test(.router) { client in
                let alice = Browser(client)
                _ = try await LoginFlowTests.logIn(alice)
                let page = try await alice.get("/reports/7")
                #expect(page.status == .forbidden)
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: page.body).contains("Forbidden"))
                let api = try await alice.get("/reports/7", headers: Self.json())
                #expect(api.status == .forbidden)
                #expect(String(buffer: api.body).contains(#""error":"permission_denied""#))
                #expect(try await alice.get("/staff/").status == .forbidden)
                #expect(String(buffer: try await alice.get("/me/").body) == "you are alice")
            }
        }
    }

    @Test(arguments: GuardStore.enabled)
    func groupGrantsAndAllOrAnyModes(_ store: GuardStore) async throws {
        try await Self.withSite(store) { site in
            try await Application(router: site.router).test(.router) { client in
                let bob = Browser(client)
                _ = try await LoginFlowTests.logIn(bob, username: "bob")
                #expect(String(buffer: try await bob.get("/reports/7").body) == "report 7")
                #expect(try await bob.get("/reports-any/").status == .ok)
                #expect(try await bob.get("/reports-admin/").status == .forbidden)
            }
        }
    }

    @Test(arguments: GuardStore.enabled)
    func objectPermissionsUseTheLoadedObject(_ store: GuardStore) async throws {
        try await Self.withSite(store) { site in
            try await Application(router: site.router).test(.router) { client in
                let alice = Browser(client)
                _ = try await LoginFlowTests.logIn(alice)
                #expect(String(buffer: try await alice.get("/posts/3/edit").body) == "editing 3")
                #expect(try await alice.get("/posts/4/edit").status == .forbidden)
                #expect(try await alice.get("/posts/400/edit").status == .notFound)
                #expect(try await Browser(client).get("/posts/3/edit").status == .found)
            }
        }
    }

    @Test(arguments: GuardStore.enabled)
    func raiseModeAnswersAnonymousRequestsWith403(_ store: GuardStore) async throws {
        try await Self.withSite(store, raise: true) { site in
            try await Application(router: site.router).test(.router) { client in
                let anonymous = try await Browser(client).get("/reports/7")
                #expect(anonymous.status == .forbidden)
                #expect(anonymous.headers[.location] == nil)
            }
        }
    }

    @Test(arguments: GuardStore.enabled)
    func denyByDefaultKeepsTheLoginPageAndMarkedRoutesPublic(_ store: GuardStore) async throws {
        try await Self.withSite(store, denyByDefault: true) { site in
            try await Application(router: site.router).test(.router) { client in
                let browser = Browser(client)
                #expect(try await browser.get("/accounts/login/").status == .ok, "the login page is always public: no loop")
                #expect(try await browser.get("/static/app.css").status == .ok)
                #expect(try await browser.get("/").status == .ok)
                let open = try await browser.get("/open")
                #expect(open.status == .found && open.headers[.location] == "/accounts/login/?next=/open")
                _ = try await LoginFlowTests.logIn(browser)
                #expect(String(buffer: try await browser.get("/open").body) == "hello alice")
            }
        }
    }
}
