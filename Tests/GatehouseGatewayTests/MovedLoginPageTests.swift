import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// The gateway exempts Gatehouse's pages where the login configuration puts them, not at a fixed
/// `/accounts/`: a site that moves its login page keeps it reachable behind a login-everywhere
/// policy, and the old place is the application's like any other path.
@Suite("Gateway: a moved login page")
struct MovedLoginPageTests {
    static func builder() throws -> GatehouseRouterBuilder {
        var builder = GatehouseRouterBuilder(
            users: MemoryAuthStore(), sessions: MemorySessionStore(),
            keys: try SigningKeys(secretKey: "moved-login-secret-0123456789abcdefghijklm"),
            hashers: PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000))
        )
        builder.login = LoginConfiguration(loginPath: "/auth/login/", logoutPath: "/auth/logout/")
        return builder
    }

    static let policy = PolicyHolder(try! GatewayPolicy(yaml: "rules:\n  - path: /\n    require: authenticated\n"))

    @Test func theRouterBuilderExemptsTheMovedPage() async throws {
        let builder = try Self.builder()
        let gateway = GatewayRouterBuilder(gatehouse: builder, policy: Self.policy, groups: MemoryAuthStore())
        #expect(gateway.exemptPrefixes.contains("/auth/login/"))
        #expect(!gateway.exemptPrefixes.contains("/accounts/login/"))
        try await Application(router: try gateway.makeRouter(logRequests: false)).test(.router) { client async throws in
            let page = try await client.execute(uri: "/auth/login/", method: .get)
            #expect(page.status == .ok, "the moved login page answers anonymously")
            let old = try await client.execute(uri: "/accounts/login/", method: .get)
            #expect(old.status == .found, "the old place is under the policy")
            #expect(old.headers[.location]?.hasPrefix("/auth/login/?next=") == true)
        }
    }

    @Test func aHandComposedGatewayExemptsTheMovedPage() async throws {
        let builder = try Self.builder()
        let store = MemoryAuthStore()
        let router = Router(context: GatehouseRequestContext.self)
        builder.install(on: router, logRequests: false)
        router.add(middleware: GatewayMiddleware(policy: Self.policy, checker: try builder.permissionChecker, groups: store, login: builder.login))
        router.get("**") { _, _ in "application" }
        try await Application(router: router).test(.router) { client async throws in
            #expect(try await client.execute(uri: "/auth/login/", method: .get).status == .ok)
            let app = try await client.execute(uri: "/anything/", method: .get)
            #expect(app.status == .found && app.headers[.location]?.hasPrefix("/auth/login/?next=") == true)
        }
    }
}
