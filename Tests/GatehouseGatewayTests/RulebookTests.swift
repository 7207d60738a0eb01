import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

// Guards, the gateway's policy and forward auth decide through one function: the same user gets
// the same answer from each. The case that used to differ: an inactive user restored by a backend
// that accepts inactive users.
@Suite("One rulebook: guards, policy and forward auth agree")
struct RulebookTests {
    @Test func anInactiveUserRestoredByItsBackendGetsOneAnswerEverywhere() async throws {
        let store = MemoryAuthStore()
        let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000))
        var draft = NewUser(username: "retired", password: try await hashers.makePassword("correct horse battery staple"), dateJoined: Date())
        draft.isStaff = true
        let active = try await store.insertUser(draft)
        var builder = GatehouseRouterBuilder(
            users: store, sessions: MemorySessionStore(), keys: try SigningKeys(secretKey: "rulebook-secret-0123456789abcdefghijklmnop"),
            hashers: hashers
        )
        builder.backends = [AllowAllUsersModelBackend(store: store, hashers: hashers)]
        let router = Router(context: GatehouseRequestContext.self)
        builder.install(on: router, logRequests: false)
        let checker = try builder.permissionChecker
        let policy = try GatewayPolicy(yaml: "rules:\n  - path: /desk/\n    require: staff\n  - path: /gw/desk/\n    require: staff\n")
        ForwardAuthRoute<GatehouseRequestContext>(policy: policy, checker: checker, groups: store).add(to: router)
        router.group("/guarded").add(middleware: LoginRequired()).get { _, _ in "in" }
        router.group("/guarded-staff").add(middleware: AccessRequired(.staff, checker: checker)).get { _, _ in "in" }
        let gateway = router.group("/gw").add(middleware: GatewayMiddleware(policy: PolicyHolder(policy), checker: checker, groups: store, login: builder.login))
        gateway.get("/home") { _, _ in "in" }
        gateway.get("/desk/") { _, _ in "in" }
        try await Application(router: router).test(.router) { (client: any TestClientProtocol) async throws in
            let browser = Browser(client)
            // Logged in while active (the login form refuses inactive users, as Django's does), then deactivated.
            #expect(try await browser.logIn(username: "retired", password: "correct horse battery staple").status == .found)
            var retired = active
            retired.isActive = false
            try await store.updateUser(retired)
            func forwardAuth(_ uri: String) async throws -> HTTPResponse.Status {
                try await browser.get("/_gatehouse/auth", headers: [HTTPField.Name("X-Original-URI")!: uri]).status
            }
            // authenticated: allowed by the guard, the gateway and forward auth alike.
            #expect(try await browser.get("/guarded").status == .ok)
            #expect(try await browser.get("/gw/home").status == .ok)
            #expect(try await forwardAuth("/home") == .ok)
            // staff needs an active user: forbidden by all three.
            #expect(try await browser.get("/guarded-staff").status == .forbidden)
            #expect(try await browser.get("/gw/desk/").status == .forbidden)
            #expect(try await forwardAuth("/desk/") == .forbidden)
        }
    }
}
