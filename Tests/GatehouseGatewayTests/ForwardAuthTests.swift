import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Forward auth endpoint")
struct ForwardAuthTests {
    static let password = "correct horse battery staple"

    @Test func answersFromTheSessionAndTheOriginalRequest() async throws {
        let store = MemoryAuthStore()
        let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000))
        let posts = try await store.insertContentType(appLabel: "blog", model: "post")
        let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: posts.id)
        let alice = try await store.insertUser(NewUser(username: "alice", password: try await hashers.makePassword(Self.password), dateJoined: Date()))
        _ = try await store.insertUser(NewUser(username: "zoë", password: try await hashers.makePassword(Self.password), dateJoined: Date()))
        try await store.grant(view.id, toUser: alice.id)
        let editors = try await store.insertGroup(name: "editors")
        let commas = try await store.insertGroup(name: "a,b")
        try await store.addUser(alice.id, toGroup: editors.id)
        try await store.addUser(alice.id, toGroup: commas.id)
        let policy = try GatewayPolicy(yaml: """
            rules:
              - path: /static/
                require: public
              - path: /posts/
                require:
                  permissions: [blog.view_post]
              - path: /team/
                methods: [POST]
                require:
                  groups: [editors]
            """)
        let builder = GatehouseRouterBuilder(
            users: store, sessions: MemorySessionStore(),
            keys: try SigningKeys(secretKey: "forward-auth-secret-0123456789abcdefghijkl"), hashers: hashers
        )
        let router = Router(context: GatehouseRequestContext.self)
        builder.install(on: router, logRequests: false)
        ForwardAuthRoute<GatehouseRequestContext>(policy: policy, checker: try builder.permissionChecker, groups: store).add(to: router)

        try await Application(router: router).test(.router) { client in
            func ask(_ browser: Browser, uri: String, method: String = "GET", traefik: Bool = false, extra: HTTPFields = [:]) async throws
                -> TestResponse
            {
                var headers = extra
                headers[HTTPField.Name(traefik ? "X-Forwarded-Uri" : "X-Original-URI")!] = uri
                headers[HTTPField.Name(traefik ? "X-Forwarded-Method" : "X-Original-Method")!] = method
                return try await browser.get("/_gatehouse/auth", headers: headers)
            }
            let anonymous = Browser(client)
            #expect(try await ask(anonymous, uri: "/static/app.css").status == .ok)
            #expect(try await ask(anonymous, uri: "/static/app.css").headers[IdentityHeaders.user] == "", "present and empty for anonymous visitors")
            let unauthorized = try await ask(anonymous, uri: "/posts/1?a=1&b=2")
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.headers[.location] == "/accounts/login/?next=/posts/1%3Fa%3D1%26b%3D2", "nginx redirects there")
            #expect(unauthorized.headers[.wwwAuthenticate]?.hasPrefix("Session") == true)
            // Traefik and Caddy pass the answer on: ?redirect=1 makes it the redirect itself, for browsers.
            var redirectHeaders = HTTPFields()
            redirectHeaders[HTTPField.Name("X-Forwarded-Uri")!] = "/posts/1"
            redirectHeaders[.accept] = "text/html"
            let redirected = try await anonymous.get("/_gatehouse/auth?redirect=1", headers: redirectHeaders)
            #expect(redirected.status == .found)
            #expect(redirected.headers[.location] == "/accounts/login/?next=/posts/1")
            redirectHeaders[.accept] = "application/json"
            #expect(try await anonymous.get("/_gatehouse/auth?redirect=1", headers: redirectHeaders).status == .unauthorized, "API clients get 401")
            #expect(try await ask(anonymous, uri: "/elsewhere?x=1", traefik: true).status == .unauthorized)
            #expect(try await ask(anonymous, uri: "/static/..%2Fposts/").status == .badRequest)
            // A client's own header under the other front server's name cannot choose what is decided.
            var smuggled = HTTPFields()
            smuggled[HTTPField.Name("X-Forwarded-Uri")!] = "/static/app.css"
            #expect(try await ask(anonymous, uri: "/posts/1", extra: smuggled).status == .badRequest)
            smuggled = [:]
            smuggled[HTTPField.Name("X-Original-URI")!] = "/static/app.css"
            #expect(try await ask(anonymous, uri: "/posts/1", traefik: true, extra: smuggled).status == .badRequest)
            smuggled = [:]
            smuggled[HTTPField.Name("X-Original-Method")!] = "GET"
            #expect(try await ask(anonymous, uri: "/posts/1", method: "POST", traefik: true, extra: smuggled).status == .badRequest)
            smuggled = [:]
            smuggled[HTTPField.Name("X-Forwarded-Uri")!] = "/static/app.css"
            #expect(try await ask(anonymous, uri: "/static/app.css", extra: smuggled).status == .ok, "the same value twice is fine")
            #expect(try await ask(anonymous, uri: "/static/../posts/").status == .badRequest, "dot segments are refused")

            let browser = Browser(client)
            let login = try await browser.logIn(username: "alice", password: Self.password)
            #expect(login.status == .found)
            var spoof = HTTPFields()
            spoof[IdentityHeaders.user] = "root"
            spoof[IdentityHeaders.groups] = "admins"
            let allowed = try await ask(browser, uri: "/posts/1?page=2", extra: spoof)
            #expect(allowed.status == .ok)
            #expect(allowed.headers[IdentityHeaders.user] == "alice")
            #expect(allowed.headers[IdentityHeaders.userID] == String(alice.id))
            #expect(allowed.headers[IdentityHeaders.groups] == "a%2Cb,editors")
            #expect(try await ask(browser, uri: "/team/", method: "POST", traefik: true).status == .ok)

            let zoe = Browser(client)
            #expect(try await zoe.logIn(username: "zoë", password: Self.password).status == .found)
            #expect(try await ask(zoe, uri: "/posts/1").status == .forbidden)
            #expect(try await ask(zoe, uri: "/team/", method: "POST").status == .forbidden)
            let open = try await ask(zoe, uri: "/team/", method: "GET")
            #expect(open.status == .ok, "GET falls to the default: authenticated")
            #expect(open.headers[IdentityHeaders.user] == "zo%C3%AB")
            #expect(open.headers[IdentityHeaders.groups] == "")
        }
    }
}
